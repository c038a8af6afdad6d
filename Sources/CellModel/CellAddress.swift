// SPDX-License-Identifier: Apache-2.0
/// A zero-based cell position, printed the way a spreadsheet user reads it ("B7").
public struct CellAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Zero-based row index (row 1 in the spreadsheet is 0).
    public var row: Int
    /// Zero-based column index (column A is 0).
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Parses an A1 reference such as `"B7"` or `"$AA$10"`; nil when it is not one.
    public init?(a1: String) {
        var letters = 0
        var digits = 0
        var seenDigit = false
        var lettersCount = 0
        for scalar in a1.unicodeScalars where scalar != "$" {
            switch scalar.value {
            case 65...90 where !seenDigit, 97...122 where !seenDigit:
                letters = letters * 26 + Int((scalar.value & 0xDF) - 64)
                lettersCount += 1
                if lettersCount > 3 { return nil }
            case 48...57:
                seenDigit = true
                digits = digits * 10 + Int(scalar.value - 48)
                if digits > 1_048_576 { return nil }
            default:
                return nil
            }
        }
        guard letters > 0, digits > 0 else { return nil }
        self.init(row: digits - 1, column: letters - 1)
    }

    /// The column letters for a zero-based column index: 0 → "A", 27 → "AB".
    public static func columnLetters(_ column: Int) -> String {
        var n = column + 1
        var scalars: [Character] = []
        while n > 0 {
            let rem = (n - 1) % 26
            scalars.append(Character(Unicode.Scalar(UInt8(65 + rem))))
            n = (n - 1) / 26
        }
        return String(scalars.reversed())
    }

    public var a1: String { Self.columnLetters(column) + String(row + 1) }
    public var description: String { a1 }

    public static func < (lhs: CellAddress, rhs: CellAddress) -> Bool {
        (lhs.row, lhs.column) < (rhs.row, rhs.column)
    }
}
