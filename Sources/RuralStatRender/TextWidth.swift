// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How wide a line prints in Times New Roman, in pixels at 96 dpi, and how many lines a text
/// takes wrapped in cells of given column widths (a width unit is a digit of the workbook's
/// default font, Calibri 11: 7 pixels, and a column has 5 more). The writer cannot measure text: the letters are as wide as Adobe's metrics
/// of Times-Roman and Times-Bold say (italic, narrower, is counted as roman), a letter with
/// Vietnamese marks as wide as its base letter (ơ, ư a little wider for the horn). LibreOffice
/// without Times New Roman prints in a wider serif font, and reads the column widths with a
/// wider default font too: the two grow together, so what fits here fits there.
enum TextWidth {
    /// Widths in thousandths of an em, A–Z then a–z.
    private static let roman: [Int] = [
        722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611,
        444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444,
    ]
    private static let bold: [Int] = [
        722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667,
        500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444,
    ]
    private static let punctuation: [Character: Int] = [
        " ": 250, ",": 250, ".": 250, ":": 278, ";": 278, "(": 333, ")": 333, "-": 333, "/": 278, "'": 333, "\"": 408,
        "%": 833, "=": 564, "+": 564, "–": 500, "—": 1000, "…": 1000,
    ]

    /// The pixels (at 96 dpi) of columns `widths` side by side, less the room a cell keeps on its two sides.
    static func room(_ widths: some Collection<Double>) -> Double {
        widths.map { ($0 * 7 + 5).rounded(.down) }.reduce(0, +) - 6
    }

    /// The width of `text` on one line, in pixels at 96 dpi, at `size` points.
    static func pixels(_ text: String, size: Double = 12, bold isBold: Bool = false) -> Double {
        let table = isBold ? bold : roman
        var thousandths = 0
        for ch in text {
            thousandths += width(of: ch, table)
        }
        // Points to pixels at 96 dpi; a twentieth more for what the metrics miss (kerning off,
        // hinting rounding each letter up).
        return Double(thousandths) / 1_000 * size * 96 / 72 * 1.05
    }

    /// A precomposed Latin letter with marks (the Vietnamese ones among them) → its base letter,
    /// and whether a horn is among its marks (ơ, ư print a little wider). Built once: taking a
    /// letter apart for every character measured was most of a report's time (20,000 list rows).
    private static let bases: [UInt32: (base: UInt32, horn: Bool)] = {
        var out: [UInt32: (base: UInt32, horn: Bool)] = [0x110: (68, false), 0x111: (100, false)]
        for range: ClosedRange<UInt32> in [0xC0...0x24F, 0x1E00...0x1EFF] {
            for v in range {
                guard let scalar = Unicode.Scalar(v) else { continue }
                let parts = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
                guard parts.count > 1, let first = parts.first, first.isASCII else { continue }
                out[v] = (first.value, parts.contains { $0.value == 0x31B })
            }
        }
        return out
    }()

    private static let punctuationScalars: [UInt32: Int] = Dictionary(uniqueKeysWithValues: punctuation.compactMap { ch, w in
        ch.unicodeScalars.first.map { ($0.value, w) }
    })

    private static func width(of ch: Character, _ table: [Int]) -> Int {
        let scalars = ch.unicodeScalars
        guard var v = scalars.first?.value else { return 600 }
        if let w = punctuationScalars[v], scalars.count == 1 { return w }
        var horn = false
        if let known = bases[v] {
            (v, horn) = known
        } else if scalars.count > 1 {
            // A letter typed with combining marks: its first scalar is the base.
            horn = scalars.contains { $0.value == 0x31B }
        }
        let extra = horn ? 80 : 0
        switch v {
        case 65...90: return table[Int(v) - 65] + extra
        case 97...122: return table[26 + Int(v) - 97] + extra
        case 48...57: return 500
        default: return 600
        }
    }

    /// How many lines `text` takes wrapped between words in cells of column widths `columns`
    /// merged (1 when it fits); a line break starts a line.
    static func lines(_ text: String, columns: some Collection<Double>, size: Double = 12, bold: Bool = false) -> Int {
        let room = max(1, room(columns))
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { paragraphLines(String($0), room: room, size: size, bold: bold) }.reduce(0, +)
    }

    private static func paragraphLines(_ text: String, room: Double, size: Double, bold: Bool) -> Int {
        let space = pixels(" ", size: size, bold: bold)
        var lines = 1, used = 0.0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let w = pixels(String(word), size: size, bold: bold)
            if used == 0 {
                used = w
            } else if used + space + w <= room {
                used += space + w
            } else {
                lines += 1
                used = w
            }
            // A word longer than the line breaks inside it.
            while used > room {
                lines += 1
                used -= room
            }
        }
        return lines
    }
}
