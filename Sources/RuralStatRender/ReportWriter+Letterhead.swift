// SPDX-License-Identifier: Apache-2.0
import CellModel
import RuralStatCore
import XLSX

/// The letterhead on top of every sheet and the signature block under it. A merged cell does not
/// spill over its neighbours: a line wider than its cell is printed cut at both ends ("Đơn vị nhận
/// báo cáo: Bộ Công Thương (…); UBND tỉnh" was, on Biểu 03). So each line is measured: the two
/// blocks are placed over the columns where their lines fit, and a line that still does not fit
/// wraps, its row made tall enough for every line.
extension ReportWriter {
    /// The issuing body's block over columns 0...left, the motto's over right...last.
    struct Blocks: Equatable {
        var left: Int
        var right: Int
    }

    /// A line of one of the blocks: how many lines it may take and still look as it should (the
    /// receiver may wrap, the motto may not), and how much a cut or wrap of it counts.
    struct BlockLine {
        var text: String
        var style: CellStyle
        var lines = 1
        var weight = 10
    }

    /// The longest issuing body written on one line; a longer one (the ministry's department)
    /// takes two lines, as official letterheads write it.
    static let oneLineIssuingBody = 32

    static let motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    static let independence = "Độc lập - Tự do - Hạnh phúc"
    static let preparer = ("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)")
    static let head = ("THỦ TRƯỞNG ĐƠN VỊ", "(Ký, đóng dấu, ghi rõ họ tên)")

    static func receiverLine(_ report: Report) -> String? { report.definition.receiver.map { "Đơn vị nhận báo cáo: " + $0 } }

    static func placeLine(_ report: Report) -> String {
        let d = report.issuedOn
        return "\(report.province.place), ngày \(d.day) tháng \(d.month) năm \(d.year)"
    }

    /// The lines of the left block (issuing body, preparer) and of the right one (motto, form,
    /// receiver, place and date, head of the unit).
    static func blockLines(_ report: Report) -> (left: [BlockLine], right: [BlockLine]) {
        let issuing = report.province.issuingBody.uppercased()
        let left = [BlockLine(text: report.province.parentBody.uppercased(), style: Styles.centeredBold),
                    BlockLine(text: issuing, style: Styles.centeredBoldUnderlined, lines: issuing.count > oneLineIssuingBody ? 2 : 1),
                    BlockLine(text: preparer.0, style: Styles.centeredBold), BlockLine(text: preparer.1, style: Styles.centeredItalic)]
        var right = [BlockLine(text: motto, style: Styles.centeredBold), BlockLine(text: independence, style: Styles.centeredBoldUnderlined),
                     BlockLine(text: report.definition.formNumber, style: Styles.centeredItalic),
                     BlockLine(text: placeLine(report), style: Styles.centeredItalic),
                     BlockLine(text: head.0, style: Styles.centeredBold), BlockLine(text: head.1, style: Styles.centeredItalic)]
        if let receiver = receiverLine(report) { right.append(BlockLine(text: receiver, style: Styles.centeredItalic, weight: 1)) }
        return (left, right)
    }

    /// Lines `text` takes written in `style` over columns of widths `columns`.
    static func lines(_ text: String, _ style: CellStyle, columns: ArraySlice<Double>) -> Int {
        TextWidth.lines(text, columns: columns, size: style.fontSize, bold: style.bold)
    }

    /// Where the blocks go: where the fewest of their lines are cut or wrapped (the motto's before
    /// the receiver's), and among those the nearest to the usual place (a quarter of the columns
    /// on the left, the right half on the right).
    static func blocks(_ widths: [Double], _ block: (left: [BlockLine], right: [BlockLine])) -> Blocks {
        let last = widths.count - 1
        let usual = Blocks(left: min(3, max(1, last / 2 - 1)), right: max(min(3, max(1, last / 2 - 1)) + 1, last / 2))
        guard last >= 2 else { return usual }
        func misfits(_ block: [BlockLine], _ columns: ArraySlice<Double>) -> Int {
            block.filter { lines($0.text, $0.style, columns: columns) > $0.lines }.map(\.weight).reduce(0, +)
        }
        var best = usual
        var bestScore = (Int.max, Int.max)
        for left in 1..<last {
            for right in (left + 1)...last {
                let score = (misfits(block.left, widths[0...left]) + misfits(block.right, widths[right...last]),
                             abs(left - usual.left) + abs(right - usual.right))
                if score < bestScore { (best, bestScore) = (Blocks(left: left, right: right), score) }
            }
        }
        return best
    }

    /// A line too wide for `width` broken after a "; " where the part before fits on one line
    /// (a receiver naming two bodies, one a line), else as it is (wrapped between words).
    static func broken(_ text: String, _ style: CellStyle, columns: ArraySlice<Double>) -> String {
        guard lines(text, style, columns: columns) > 1 else { return text }
        for split in text.ranges(of: "; ").reversed() where lines(String(text[..<split.lowerBound]) + ";", style, columns: columns) == 1 {
            return text[..<split.lowerBound] + ";\n" + text[split.upperBound...]
        }
        return text
    }

    /// Writes `text` merged over `columns` of rows `rows`, wrapped when it does not fit on as many
    /// lines as it has rows; notes in `heights` what each row then needs.
    static func put(_ ws: WorksheetWriter, _ rows: ClosedRange<Int>, _ columns: ClosedRange<Int>, _ text: String, _ style: CellStyle,
                    widths: [Double], heights: inout [Int: Double]) throws {
        let n = lines(text, style, columns: widths[columns])
        // From the top, so that the lines of a row made taller start level.
        let wraps = n > 1 || rows.count > 1
        try ws.merge(rows.lowerBound, columns.lowerBound, rows.upperBound, columns.upperBound, string: text,
                     style: style.with { $0.wrap = wraps; $0.vertical = .top })
        guard n > rows.count else { return }
        let each = Double(n) * lineHeight(style) / Double(rows.count)
        for r in rows { heights[r] = max(heights[r] ?? 0, each) }
    }

    /// The points a line of `style` takes: about 1.3 times the font's size (15.5 at 12).
    static func lineHeight(_ style: CellStyle) -> Double { style.fontSize * 1.3 - 0.1 }

    /// Issuing body left, national motto and form number right, then the title and period.
    func letterhead(_ ws: WorksheetWriter, _ report: Report, title: LocalizedText, widths: [Double], blocks b: Blocks) throws {
        let last = widths.count - 1
        let lines = Self.blockLines(report).left
        var heights: [Int: Double] = [:]
        try Self.put(ws, 0...0, 0...b.left, lines[0].text, lines[0].style, widths: widths, heights: &heights)
        try Self.put(ws, lines[1].lines > 1 ? 1...2 : 1...1, 0...b.left, lines[1].text, lines[1].style, widths: widths, heights: &heights)
        try Self.put(ws, 0...0, b.right...last, Self.motto, Styles.centeredBold, widths: widths, heights: &heights)
        try Self.put(ws, 1...1, b.right...last, Self.independence, Styles.centeredBoldUnderlined, widths: widths, heights: &heights)
        try Self.put(ws, 2...2, b.right...last, report.definition.formNumber, Styles.centeredItalic, widths: widths, heights: &heights)
        if let receiver = Self.receiverLine(report) {
            let text = Self.broken(receiver, Styles.centeredItalic, columns: widths[b.right...last])
            try Self.put(ws, 3...3, b.right...last, text, Styles.centeredItalic, widths: widths, heights: &heights)
        }
        // The title takes two lines of its row as it is; more when the table is narrow.
        try ws.merge(4, 0, 4, last, string: title.vi.uppercased(), style: Styles.title)
        let titleLines = Self.lines(title.vi.uppercased(), Styles.title, columns: widths[...])
        heights[4] = max(36, Double(titleLines) * Self.lineHeight(Styles.title))
        try Self.put(ws, 5...5, 0...last, report.period.vietnameseTitle, Styles.centeredBold, widths: widths, heights: &heights)
        try Self.put(ws, 6...6, 0...last, "(\(title.en), \(report.period))", Styles.centeredItalic, widths: widths, heights: &heights)
        for (r, h) in heights.sorted(by: { $0.key < $1.key }) { try ws.setRow(r, height: h) }
    }

    /// Place and date, then who prepared the report and the head of the unit, to sign.
    func signature(_ ws: WorksheetWriter, _ report: Report, row: Int, widths: [Double], blocks b: Blocks) throws {
        let last = widths.count - 1
        var heights: [Int: Double] = [:]
        try Self.put(ws, row...row, b.right...last, Self.placeLine(report), Styles.centeredItalic, widths: widths, heights: &heights)
        try Self.put(ws, (row + 1)...(row + 1), 0...b.left, Self.preparer.0, Styles.centeredBold, widths: widths, heights: &heights)
        try Self.put(ws, (row + 1)...(row + 1), b.right...last, Self.head.0, Styles.centeredBold, widths: widths, heights: &heights)
        try Self.put(ws, (row + 2)...(row + 2), 0...b.left, Self.preparer.1, Styles.centeredItalic, widths: widths, heights: &heights)
        try Self.put(ws, (row + 2)...(row + 2), b.right...last, Self.head.1, Styles.centeredItalic, widths: widths, heights: &heights)
        for (r, h) in heights.sorted(by: { $0.key < $1.key }) { try ws.setRow(r, height: h) }
    }
}
