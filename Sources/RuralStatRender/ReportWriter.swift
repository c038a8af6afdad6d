// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
public import RuralStatCore
import XLSX

/// Lays out a `Report` as an official Vietnamese report, every sheet the same way: issuing
/// body and national motto on top, form number, title and period, the table's header with
/// units of measure and column numbering, the rows, notes, the signature block, and a chart
/// on the next printed page when the sheet has one. A4, fit to one page wide.
public struct ReportWriter {
    public init() {}

    /// The first row of every table's header.
    static let headerRow = 8

    public func write(_ report: Report, to path: String) throws {
        let wb = try WorkbookWriter(path: path)
        // The file's creation time is the report's date, so the same data gives the same bytes.
        let created = VietnamTime.start(of: report.issuedOn)
        wb.setProperties(title: report.definition.title.vi + " – " + report.period.vietnameseTitle,
                         author: report.province.issuingBody, company: report.province.parentBody, created: created)
        try wb.setCustomProperty("ruralstat.report", report.definition.id)
        try wb.setCustomProperty("ruralstat.period", report.period.description)
        for table in report.sheets {
            try write(table, of: report, to: try wb.addWorksheet(table.name))
        }
        try wb.close()
    }

    private func write(_ table: ReportTable, of report: Report, to ws: WorksheetWriter) throws {
        let widths = Self.fitted(table)
        let blocks = Self.blocks(widths, Self.blockLines(report))
        try letterhead(ws, report, title: table.title, widths: widths, blocks: blocks)

        // Header: a group row when columns are grouped, the headers, units, then numbering.
        var r = Self.headerRow
        let grouped = table.columns.contains { $0.group != nil }
        let headerRows = grouped ? 2 : 1
        var c = 0
        while c < table.columns.count {
            let column = table.columns[c]
            var end = c
            if let group = column.group {
                while end + 1 < table.columns.count, table.columns[end + 1].group == group { end += 1 }
                if end > c { try ws.merge(r, c, r, end, string: group, style: Styles.header) } else { try ws.write(r, c, string: group, style: Styles.header) }
                for k in c...end { try ws.write(r + 1, k, string: table.columns[k].header, style: Styles.header) }
            } else if grouped {
                try ws.merge(r, c, r + 1, c, string: column.header, style: Styles.header)
            } else {
                try ws.write(r, c, string: column.header, style: Styles.header)
            }
            c = end + 1
        }
        // Bold headers wrap between words: counted at less than a character per width unit, so
        // no header is cut when printed.
        let headerHeight = Styles.rowHeight(table.columns.map { ($0.header, $0.width) }, perWidth: 0.9) + 6
        if grouped { try ws.setRow(r, height: 30) }
        try ws.setRow(r + headerRows - 1, height: max(32, headerHeight))
        r += headerRows
        if table.columns.contains(where: { $0.unit != nil }) {
            for (k, column) in table.columns.enumerated() {
                try ws.write(r, k, string: column.unit.map { "(\($0))" } ?? "", style: Styles.subHeader)
            }
            r += 1
        }
        if table.columns.contains(where: { $0.mark != nil }) {
            for (k, column) in table.columns.enumerated() { try ws.write(r, k, string: column.mark ?? "", style: Styles.subHeader) }
            r += 1
        }
        let headerEnd = r - 1

        var lines: [LineKey: Int] = [:]
        for row in table.rows {
            try write(row, at: r, table, ws, widths: widths, lines: &lines)
            r += 1
        }

        // Notes and the signature block.
        r = try notes(table, ws, after: r) + 2
        try signature(ws, report, row: r, widths: widths, blocks: blocks)
        r += 6

        for k in table.columns.indices { try ws.setColumns(k, k, width: widths[k]) }
        ws.freezePanes(row: headerEnd + 1, column: table.labelColumns)
        try ws.pageSetup(landscape: table.landscape, repeatRows: Self.headerRow...headerEnd)

        if let chart = table.chart, !chart.rows.isEmpty {
            // The chart prints on a page of its own after the form.
            try ws.pageBreaks(before: [r])
            r += 1
            let firstDataRow = headerEnd + 1
            let pixels = Int(table.columns.map(\.width).reduce(0, +) * 7)
            try ws.insertChart(r, 0, ChartSpec(
                kind: chart.kind == .pie ? .pie : chart.kind == .bar ? .bar : .column, title: chart.title, seriesName: chart.seriesName,
                sheet: ws.name, rows: (firstDataRow + chart.rows.lowerBound)...(firstDataRow + chart.rows.upperBound - 1),
                categoryColumn: chart.categoryColumn, valueColumn: chart.valueColumn,
                labelFormat: chart.kind == .pie ? "#,##0.0" : nil), width: min(1_000, max(640, pixels)),
                // A bar per category, each tall enough for its label (27 areas: every name shown).
                height: chart.kind == .bar ? max(400, min(1_100, chart.rows.count * 24 + 90)) : 400)
        }
    }

    /// The columns' widths: a column of centred texts (codes, code names) as wide as its longest
    /// text on one line, up to 24 — "11311-DA2601" was broken at its hyphen and a code list's
    /// name cut at both ends on the printed list of projects.
    static func fitted(_ table: ReportTable) -> [Double] {
        table.columns.enumerated().map { k, column in
            guard column.alignment != .left else { return column.width }
            // Each distinct text once: a list's code names repeat on every row.
            var texts = Set<String>(), boldTexts = Set<String>()
            for row in table.rows where k < row.cells.count {
                if case .text(let s) = row.cells[k] { if row.emphasis != .normal { boldTexts.insert(s) } else { texts.insert(s) } }
            }
            let longest = (texts.map { TextWidth.pixels($0) } + boldTexts.map { TextWidth.pixels($0, bold: true) }).max() ?? 0
            // Pixels back to width units (7 a unit, 5 for the column, 6 the cell keeps), whole.
            return max(column.width, min(24, ((longest + 6 - 5) / 7).rounded(.up)))
        }
    }

    /// The notes under a table, from the row after `row`; returns the last row written.
    private func notes(_ table: ReportTable, _ ws: WorksheetWriter, after row: Int) throws -> Int {
        var r = row + 1
        try ws.write(r, 0, string: "Ghi chú:", style: Styles.bold)
        for note in table.notes {
            r += 1
            try ws.merge(r, 0, r, table.columns.count - 1, string: "- " + note, style: Styles.note)
            let width = table.columns.map(\.width).reduce(0, +)
            if Double(note.count) > width * 1.1 { try ws.setRow(r, height: Styles.rowHeight([(note, width)])) }
        }
        return r
    }

    /// A centred text's lines in its column, kept while a table is written (its code names repeat).
    struct LineKey: Hashable {
        var column: Int
        var text: String
        var bold: Bool
    }

    private func write(_ row: TableRow, at r: Int, _ table: ReportTable, _ ws: WorksheetWriter, widths: [Double],
                       lines: inout [LineKey: Int]) throws {
        let bold = row.emphasis != .normal
        var first = 0
        switch row.emphasis {
        case .total, .subtotal:
            if case .text(let label) = row.cells[0] {
                try ws.merge(r, 0, r, table.labelColumns - 1, string: label, style: Styles.totalLabel)
                first = table.labelColumns
            }
        case .section:
            try ws.write(r, 0, string: Self.text(row.cells[0]), style: Styles.totalLabel)
            if table.labelColumns > 2, case .text(let label) = row.cells[1] {
                try ws.merge(r, 1, r, table.labelColumns - 1, string: label, style: Styles.cell.with { $0.bold = true })
                first = table.labelColumns
            } else {
                first = 1
            }
        case .normal:
            break
        }
        var height = 0.0
        for k in first..<row.cells.count {
            let column = table.columns[k]
            switch row.cells[k] {
            case .text(let s):
                // A centred text (a code) wraps only where even its widened column is too narrow.
                let style = column.alignment == .left ? Styles.cellWrap : Styles.cellCenter.with { $0.wrap = true }
                try ws.write(r, k, string: s, style: bold ? style.with { $0.bold = true } : style)
                if column.alignment == .left {
                    height = max(height, Styles.rowHeight([(s, column.width)]))
                } else {
                    let key = LineKey(column: k, text: s, bold: bold)
                    let n = lines[key] ?? TextWidth.lines(s, columns: [widths[k]], bold: bold)
                    lines[key] = n
                    height = max(height, Double(n) * Self.lineHeight(Styles.cell))
                }
            case .number(let value, let format):
                var style = Styles.number(Self.numberFormat(format), bold: bold)
                if column.alignment == .center { style.horizontal = .center }
                if let value { try ws.write(r, k, number: value, style: style) } else { try ws.writeBlank(r, k, style: style) }
            case .date(let d):
                try ws.write(r, k, date: d, style: Styles.dateCell)
            case .moment(let at):
                try ws.write(r, k, date: VietnamTime.civil(at), style: Styles.momentCell)
            }
        }
        if height > 15.5 { try ws.setRow(r, height: height) }
    }

    private static func text(_ cell: ReportCell) -> String {
        if case .text(let s) = cell { return s }
        return ""
    }

    static func numberFormat(_ format: FigureFormat) -> String {
        switch format {
        case .integer: return "#,##0"
        case .money, .percent: return "#,##0.0"
        case .decimal: return "#,##0.00"
        case .year: return "0"
        }
    }
}
