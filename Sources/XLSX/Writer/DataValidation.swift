// SPDX-License-Identifier: Apache-2.0
/// A rule Excel and LibreOffice enforce while a cell is typed in: the form stops a wrong code or
/// a negative number before the file is ever sent.
public struct DataValidation: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A drop-down from a range, written as a formula such as `='Danh mục'!$A$2:$A$8`.
        case list(source: String)
        case wholeNumber(min: Double?, max: Double?)
        case decimal(min: Double?, max: Double?)
        /// A date between the years given.
        case date(fromYear: Int, toYear: Int)
        case textLength(max: Int)
    }

    public var kind: Kind
    /// Shown when the cell is selected (title at most 32 characters, message at most 255).
    public var inputTitle: String?
    public var inputMessage: String?
    /// Shown when a wrong value is typed; the value is refused.
    public var errorTitle: String?
    public var errorMessage: String?

    public init(_ kind: Kind, inputTitle: String? = nil, inputMessage: String? = nil,
                errorTitle: String? = nil, errorMessage: String? = nil) {
        self.kind = kind
        self.inputTitle = inputTitle
        self.inputMessage = inputMessage
        self.errorTitle = errorTitle
        self.errorMessage = errorMessage
    }
}
