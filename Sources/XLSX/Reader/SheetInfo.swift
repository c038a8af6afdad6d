// SPDX-License-Identifier: Apache-2.0
/// A worksheet as the workbook lists it.
public struct SheetInfo: Sendable, Equatable {
    public var name: String
    /// Normalised part name inside the package.
    var part: String
    /// `visible`, `hidden` or `veryHidden`.
    public var state: String
}
