// SPDX-License-Identifier: Apache-2.0
/// Text as a workbook may hold it: the one place where the writer makes any string safe for
/// XLSX, used for every cell, comment, link, sheet name and property, so that a unit's text
/// (read from its file, echoed in a finding, stored as a reason) can never make a workbook
/// that is not well-formed XML or that Excel refuses.
public enum XLSXText {
    /// Excel's limit on the text of a cell or a comment, in UTF-16 units.
    public static let maxCellLength = 32_767
    /// Excel's limit on a sheet name, in UTF-16 units.
    public static let maxSheetNameLength = 31

    /// `text` with every character XML 1.0 cannot carry (C0 controls other than tab, line feed
    /// and carriage return, U+FFFE and U+FFFF) and every other non-character or C1 control
    /// replaced by U+FFFD, and cut to `limit` UTF-16 units with an ellipsis.
    public static func safe(_ text: String, limit: Int = maxCellLength) -> String {
        var out = text
        if text.unicodeScalars.contains(where: isUnsafe) {
            out = String(String.UnicodeScalarView(text.unicodeScalars.map { isUnsafe($0) ? "\u{FFFD}" : $0 }))
        }
        return shortened(out, to: limit)
    }

    /// `text` cut to at most `limit` UTF-16 units, ending in "…" when cut, never inside a character.
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        var kept = 0
        var end = text.startIndex
        for c in text {
            let n = c.utf16.count
            if kept + n > limit - 1 { break }
            kept += n
            end = text.index(after: end)
        }
        return String(text[..<end]) + "…"
    }

    private static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x20 { return v != 0x09 && v != 0x0A && v != 0x0D }
        if (0x7F...0x9F).contains(v) { return true }
        if (0xFDD0...0xFDEF).contains(v) { return true }
        return v & 0xFFFE == 0xFFFE
    }

    /// A sheet name Excel accepts, made from `name`: safe characters, none of `[]:*?/\`, no
    /// apostrophe at either end, not empty, at most 31 characters, and, given the names already
    /// `taken` (compared ignoring case, as Excel does), unique ("Tên (2)"…).
    public static func sheetName(_ name: String, taken: Set<String> = []) -> String {
        var base = String(String.UnicodeScalarView(safe(name, limit: .max).unicodeScalars.map {
            "[]:*?/\\".unicodeScalars.contains($0) || $0.value < 0x20 ? "_" : $0
        }))
        while base.hasPrefix("'") { base.removeFirst() }
        while base.hasSuffix("'") { base.removeLast() }
        if base.allSatisfy({ $0 == " " }) { base = "Sheet" }
        let lowered = Set(taken.map { $0.lowercased() })
        var candidate = shortened(base, to: maxSheetNameLength)
        var n = 2
        while lowered.contains(candidate.lowercased()) || candidate.lowercased() == "history" {
            let suffix = " (\(n))"
            candidate = shortened(base, to: maxSheetNameLength - suffix.utf16.count) + suffix
            n += 1
        }
        return candidate
    }
}
