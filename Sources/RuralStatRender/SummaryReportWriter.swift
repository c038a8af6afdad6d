public import CellModel
import Foundation
public import RuralStatCore
import XLSX

/// Lays out a `SummaryReport` as an official Vietnamese report: issuing body and national
/// motto on top, form number, title and period, a two-row header with units of measure,
/// one row per unit, the province total, notes and the signature block. A4 landscape.
public struct SummaryReportWriter {
    /// The date printed in the signature block ("Hải Dương, ngày 15 tháng 10 năm 2025").
    public var issuedOn: SpreadsheetDate

    public init(issuedOn: SpreadsheetDate) { self.issuedOn = issuedOn }

    /// Fixed columns before the figures: STT, unit code, unit name, state.
    static let leading = 4

    public func write(_ report: SummaryReport, to path: String) throws {
        let wb = try WorkbookWriter(path: path)
        let created = Date(timeIntervalSince1970: Double(SpreadsheetDate.days(issuedOn.year, issuedOn.month, issuedOn.day)) * 86_400)
        wb.setProperties(title: report.definition.title.vi + " – " + report.period.vietnameseTitle,
                         author: report.province.issuingBody, company: report.province.parentBody, created: created)
        try wb.setCustomProperty("ruralstat.report", report.definition.id)
        try wb.setCustomProperty("ruralstat.period", report.period.description)
        let ws = try wb.addWorksheet(report.definition.sheetName)
        let columns = report.definition.columns
        let last = Self.leading + columns.count - 1

        try letterhead(ws, report, title: report.definition.title, last: last)

        // Header: a group row, a header row, a unit-of-measure row.
        let h = 8
        for (i, text) in ["STT", "Mã đơn vị", "Đơn vị báo cáo", "Tình trạng"].enumerated() {
            try ws.merge(h, i, h + 1, i, string: text, style: Styles.header)
            try ws.write(h + 2, i, string: "", style: Styles.subHeader)
        }
        var i = 0
        while i < columns.count {
            let group = columns[i].group
            var j = i
            while j + 1 < columns.count, group != nil, columns[j + 1].group == group { j += 1 }
            if let group {
                if j > i {
                    try ws.merge(h, Self.leading + i, h, Self.leading + j, string: group.vi, style: Styles.header)
                } else {
                    try ws.write(h, Self.leading + i, string: group.vi, style: Styles.header)
                }
                for k in i...j { try ws.write(h + 1, Self.leading + k, string: columns[k].header.vi, style: Styles.header) }
            } else {
                try ws.merge(h, Self.leading + i, h + 1, Self.leading + i, string: columns[i].header.vi, style: Styles.header)
            }
            i = j + 1
        }
        for (k, c) in columns.enumerated() {
            try ws.write(h + 2, Self.leading + k, string: c.unit.map { "(\($0.vi))" } ?? "", style: Styles.subHeader)
        }
        try ws.setRow(h, height: 32)
        try ws.setRow(h + 1, height: 48)

        // One row per unit, then the province.
        var row = h + 3
        for (n, unitRow) in report.rows.enumerated() {
            try ws.write(row, 0, number: Double(n + 1), style: Styles.cellCenter)
            try ws.write(row, 1, string: unitRow.unit.code, style: Styles.cellCenter)
            try ws.write(row, 2, string: unitRow.unit.name, style: Styles.cellWrap)
            try ws.write(row, 3, string: unitRow.state.vietnamese, style: Styles.cellCenter)
            for (k, value) in unitRow.values.enumerated() {
                try writeFigure(ws, row, Self.leading + k, value, columns[k].format, bold: false)
            }
            row += 1
        }
        try ws.merge(row, 0, row, 3, string: "TỔNG CỘNG TOÀN TỈNH", style: Styles.totalLabel)
        for (k, value) in report.totals.enumerated() {
            try writeFigure(ws, row, Self.leading + k, value, columns[k].format, bold: true)
        }

        // Notes and the signature block.
        row += 2
        try ws.write(row, 0, string: "Ghi chú:", style: Styles.bold)
        for note in report.notes {
            row += 1
            try ws.merge(row, 0, row, last, string: "- " + note, style: Styles.note)
        }
        try signature(ws, report, row: row + 2, last: last)

        try ws.setColumns(0, 0, width: 5)
        try ws.setColumns(1, 1, width: 10)
        try ws.setColumns(2, 2, width: 26)
        try ws.setColumns(3, 3, width: 11)
        try ws.setColumns(Self.leading, last, width: 13)
        ws.freezePanes(row: h + 3, column: 3)
        try ws.pageSetup(landscape: true, repeatRows: h...(h + 2))
        if let definition = report.definition.indicators, !report.indicators.isEmpty {
            try writeIndicators(try wb.addWorksheet(definition.sheetName), report, definition)
        }
        try wb.close()
    }

    /// Issuing body left, national motto and form number right, then the title and period.
    private func letterhead(_ ws: WorksheetWriter, _ report: SummaryReport, title: LocalizedText, last: Int) throws {
        let half = max(3, last / 2)
        try ws.merge(0, 0, 0, 3, string: report.province.parentBody.uppercased(), style: Styles.centeredBold)
        try ws.merge(1, 0, 1, 3, string: report.province.issuingBody.uppercased(), style: Styles.centeredBoldUnderlined)
        try ws.merge(0, half + 1, 0, last, string: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", style: Styles.centeredBold)
        try ws.merge(1, half + 1, 1, last, string: "Độc lập - Tự do - Hạnh phúc", style: Styles.centeredBoldUnderlined)
        try ws.merge(2, half + 1, 2, last, string: report.definition.formNumber, style: Styles.centeredItalic)
        try ws.merge(4, 0, 4, last, string: title.vi.uppercased(), style: Styles.title)
        try ws.setRow(4, height: 36)
        try ws.merge(5, 0, 5, last, string: report.period.vietnameseTitle, style: Styles.centeredBold)
        try ws.merge(6, 0, 6, last, string: "(\(title.en), \(report.period))", style: Styles.centeredItalic)
    }

    /// Place and date, then who prepared the report and the head of the unit, to sign.
    private func signature(_ ws: WorksheetWriter, _ report: SummaryReport, row: Int, last: Int) throws {
        let half = max(3, last / 2)
        let place = "\(report.province.place), ngày \(issuedOn.day) tháng \(issuedOn.month) năm \(issuedOn.year)"
        try ws.merge(row, half + 1, row, last, string: place, style: Styles.centeredItalic)
        try ws.merge(row + 1, 0, row + 1, 3, string: "NGƯỜI LẬP BIỂU", style: Styles.centeredBold)
        try ws.merge(row + 1, half + 1, row + 1, last, string: "THỦ TRƯỞNG ĐƠN VỊ", style: Styles.centeredBold)
        try ws.merge(row + 2, 0, row + 2, 3, string: "(Ký, ghi rõ họ tên)", style: Styles.centeredItalic)
        try ws.merge(row + 2, half + 1, row + 2, last, string: "(Ký, đóng dấu, ghi rõ họ tên)", style: Styles.centeredItalic)
    }

    /// The official quarterly form: each indicator with this quarter, the year to date, the same
    /// periods last year and the changes, the annual plan and its share. An empty cell is
    /// explained under the table, never shown as 0.
    private func writeIndicators(_ ws: WorksheetWriter, _ report: SummaryReport, _ definition: IndicatorSheetDefinition) throws {
        let headers = ["STT", "Chỉ tiêu", "Mã số", "Đơn vị tính", "Thực hiện quý này", "Lũy kế từ đầu năm",
                       "Cùng kỳ năm trước", "So với cùng kỳ (%)", "Lũy kế cùng kỳ năm trước", "Lũy kế so với cùng kỳ (%)",
                       "Kế hoạch năm", "Lũy kế đạt (% kế hoạch)"]
        let last = headers.count - 1
        try letterhead(ws, report, title: definition.title, last: last)
        let h = 8
        for (c, text) in headers.enumerated() { try ws.write(h, c, string: text, style: Styles.header) }
        for (c, mark) in ["A", "B", "C", "D", "1", "2", "3", "4 = 1/3", "5", "6 = 2/5", "7", "8 = 2/7"].enumerated() {
            try ws.write(h + 1, c, string: mark, style: Styles.subHeader)
        }
        try ws.setRow(h, height: 48)
        var reasons: [String] = []
        for (i, (line, f)) in report.indicators.enumerated() {
            let r = h + 2 + i
            try ws.write(r, 0, number: Double(i + 1), style: Styles.cellCenter)
            try ws.write(r, 1, string: line.label.vi, style: Styles.cellWrap)
            try ws.write(r, 2, string: line.code, style: Styles.cellCenter)
            try ws.write(r, 3, string: line.unit?.vi ?? "", style: Styles.cellCenter)
            let values: [(Double?, FigureFormat, String?)] = [
                (f.quarter, line.format, nil), (f.ytd, line.format, nil), (f.sameQuarterLastYear, line.format, nil),
                (f.change, .percent, "change_pct"), (f.ytdLastYear, line.format, nil), (f.ytdChange, .percent, "ytd_change_pct"),
                (f.plan, line.format, nil), (f.planShare, .percent, "plan_pct"),
            ]
            for (k, (value, format, key)) in values.enumerated() {
                try writeFigure(ws, r, 4 + k, value, format, bold: false)
                if value == nil, let key, let reason = f.reasons[key]?.vi, !reasons.contains(reason) { reasons.append(reason) }
            }
            try ws.setRow(r, height: Styles.rowHeight([(line.label.vi, 38)]))
        }
        var row = h + 2 + report.indicators.count + 1
        try ws.write(row, 0, string: "Ghi chú:", style: Styles.bold)
        var notes = report.notes
        if !reasons.isEmpty { notes.insert("Ô để trống khi không tính được: " + reasons.joined(separator: "; ") + ".", at: 0) }
        for note in notes {
            row += 1
            try ws.merge(row, 0, row, last, string: "- " + note, style: Styles.note)
        }
        try signature(ws, report, row: row + 2, last: last)
        for (c, w) in [5.0, 40, 7, 11, 12, 12, 12, 11, 12, 11, 12, 12].enumerated() { try ws.setColumns(c, c, width: w) }
        ws.freezePanes(row: h + 2, column: 2)
        try ws.pageSetup(landscape: true, repeatRows: h...(h + 1))
    }

    private func writeFigure(_ ws: WorksheetWriter, _ row: Int, _ column: Int, _ value: Double?, _ format: FigureFormat, bold: Bool) throws {
        let style = Styles.number(Self.numberFormat(format), bold: bold)
        if let value {
            try ws.write(row, column, number: value, style: style)
        } else {
            try ws.writeBlank(row, column, style: style)
        }
    }

    static func numberFormat(_ format: FigureFormat) -> String {
        switch format {
        case .integer: return "#,##0"
        case .money: return "#,##0.0"
        case .percent: return "0.0"
        case .decimal: return "#,##0.00"
        }
    }
}
