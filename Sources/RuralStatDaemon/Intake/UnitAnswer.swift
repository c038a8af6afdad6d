// SPDX-License-Identifier: Apache-2.0
/// What a unit is told of one file, as written in `feedback/<unit>/`: the text (receipt or
/// refusal, Vietnamese and English) and, when cells are in question, the unit's own workbook
/// with them marked. Carried from the verdict to the unit's mail, not read back from disk.
public struct UnitAnswer: Sendable {
    /// Where the text is (`….tiep-nhan.txt`, `….loi.txt`…).
    public var path: String
    /// The text, as written (without the byte order mark the file begins with).
    public var text: String
    /// The marked workbook beside it; nil when there was nothing to mark.
    public var workbook: String?
}
