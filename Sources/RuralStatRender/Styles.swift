// SPDX-License-Identifier: Apache-2.0
import XLSX

/// The styles every generated workbook shares: Times New Roman, as official forms use.
enum Styles {
    static let base = CellStyle()
    static let bold = base.with { $0.bold = true }
    static let title = base.with { $0.bold = true; $0.fontSize = 14; $0.horizontal = .center; $0.vertical = .center; $0.wrap = true }
    static let subtitle = base.with { $0.italic = true; $0.horizontal = .center }
    static let centeredBold = base.with { $0.bold = true; $0.horizontal = .center }
    static let centeredBoldUnderlined = centeredBold.with { $0.underline = true }
    static let centeredItalic = base.with { $0.italic = true; $0.horizontal = .center }
    /// Notes under a table: wrapped inside their merged row (LibreOffice shrinks the whole printed
    /// page to fit a line that runs past the table).
    static let note = base.with { $0.italic = true; $0.fontSize = 11; $0.wrap = true; $0.vertical = .top }
    static let hint = base.with { $0.italic = true; $0.fontSize = 10; $0.fontColor = 0x595959; $0.wrap = true; $0.vertical = .top }
    static let header = base.with {
        $0.bold = true; $0.wrap = true; $0.border = true; $0.horizontal = .center; $0.vertical = .center; $0.fill = 0xD9E1F2
    }
    static let subHeader = base.with {
        $0.italic = true; $0.fontSize = 10; $0.wrap = true; $0.border = true; $0.horizontal = .center; $0.vertical = .center; $0.fill = 0xEDEDED
    }
    static let cell = base.with { $0.border = true; $0.vertical = .center }
    /// Body text and numbers keep a small gap from the border, so that a right-aligned count
    /// does not run into the left-aligned remark beside it.
    static let cellWrap = cell.with { $0.wrap = true; $0.horizontal = .left; $0.indent = 1 }
    static let cellCenter = cell.with { $0.horizontal = .center }
    static let input = cell.with { $0.locked = false }
    static let locked = cell.with { $0.fill = 0xEDEDED }
    static let totalLabel = cell.with { $0.bold = true; $0.horizontal = .center }

    static let dateCell = cellCenter.with { $0.numberFormat = "dd/mm/yyyy" }
    static let momentCell = cellCenter.with { $0.numberFormat = "dd/mm/yyyy hh:mm" }

    static func number(_ format: String?, bold: Bool = false) -> CellStyle {
        cell.with { $0.numberFormat = format; $0.bold = bold; $0.horizontal = .right; $0.indent = 1 }
    }

    /// A row height (points) tall enough for wrapped texts, each with its column's width in
    /// characters: the writer cannot measure text, so about 1.3 characters of Times New Roman
    /// per width unit.
    /// `perWidth`: characters a width unit holds (about 1.1 for body text in Times New Roman; bold headers, which
    /// break between words, hold fewer).
    static func rowHeight(_ texts: [(String, Double)], perWidth: Double = 1.1) -> Double {
        let lines = texts.map { Int((Double($0.0.count) / ($0.1 * perWidth)).rounded(.up)) }.max() ?? 1
        // Excel refuses rows taller than 409 points.
        return min(409, Double(max(1, lines)) * 15.5)
    }
}
