public import CellModel
import Foundation
public import RuralStatCore
import XLSX

/// Values to put into a form: how the demo, the tests and the benchmark fill one in.
public struct FormContent: Sendable {
    /// Cover values by field id (besides unit, year and quarter, which come from the arguments).
    public var fields: [String: CellValue] = [:]
    /// Table rows by sheet id, each row by column id.
    public var tables: [String: [[String: CellValue]]] = [:]
    /// Indicator values by sheet id, then row id.
    public var indicators: [String: [String: CellValue]] = [:]

    public init() {}
}

/// Writes the submission form laid out exactly as the schema reads it back: one sheet per
/// schema sheet, headers, the cover pre-filled when a unit is given, and the schema id and
/// version recorded both on the cover and as custom document properties. With `content`
/// it writes a filled form.
public struct FormWorkbook {
    public let schema: FormSchema

    public init(schema: FormSchema) { self.schema = schema }

    /// Writes the form for `period` (and `unit`, if given) to `path`.
    public func write(to path: String, period: Period, unit: ReportingUnit?, content: FormContent? = nil) throws {
        let wb = try WorkbookWriter(path: path)
        wb.setProperties(title: schema.title.vi, author: "ruralstat", company: nil, created: Self.fixedDate(period))
        try wb.setCustomProperty("ruralstat.schema", schema.id)
        try wb.setCustomProperty("ruralstat.schema_version", String(schema.version))
        for sheet in schema.sheets {
            let ws = try wb.addWorksheet(sheet.name)
            switch sheet.kind {
            case .fields: try writeFields(ws, sheet, period: period, unit: unit, values: content?.fields ?? [:])
            case .table: try writeTable(ws, sheet, rows: content?.tables[sheet.id] ?? [])
            case .indicators: try writeIndicators(ws, sheet, values: content?.indicators[sheet.id] ?? [:])
            }
        }
        try wb.close()
    }

    /// The first day of the quarter: a creation time that depends on the content only.
    static func fixedDate(_ period: Period) -> Date {
        let days = SpreadsheetDate.days(period.year, (period.quarter - 1) * 3 + 1, 1)
        return Date(timeIntervalSince1970: Double(days) * 86_400)
    }

    private func writeFields(_ ws: WorksheetWriter, _ sheet: SheetSchema, period: Period, unit: ReportingUnit?,
                             values: [String: CellValue]) throws {
        try ws.setColumns(0, 0, width: 34)
        try ws.setColumns(1, 1, width: 32)
        try ws.setColumns(2, 2, width: 30)
        try ws.merge(0, 0, 0, 2, string: schema.title.vi, style: Styles.title)
        try ws.setRow(0, height: 36)
        try ws.merge(1, 0, 1, 2, string: schema.title.en, style: Styles.subtitle)
        for field in sheet.fields {
            try ws.write(field.row, 0, string: field.label.vi, style: Styles.cell.with { $0.bold = true })
            try ws.write(field.row, 2, string: field.label.en, style: Styles.hint)
            let style = field.role == .form ? Styles.locked : Styles.input.with {
                if field.spec.type == .date { $0.numberFormat = "dd/mm/yyyy" }
                if field.spec.type == .text { $0.numberFormat = "@" }
            }
            switch field.role {
            case .form?:
                try ws.write(field.row, field.column, string: schema.formTag, style: style)
            case .year?:
                try ws.write(field.row, field.column, number: Double(period.year), style: style)
            case .quarter?:
                try ws.write(field.row, field.column, number: Double(period.quarter), style: style)
            case .unitCode? where unit != nil:
                try ws.write(field.row, field.column, string: unit!.code, style: style)
            default:
                if let value = values[field.spec.id] {
                    try write(ws, field.row, field.column, value, style)
                } else if field.spec.id == "unit_name", let unit {
                    try ws.write(field.row, field.column, string: unit.name, style: style)
                } else {
                    try ws.writeBlank(field.row, field.column, style: style)
                }
            }
        }
        if let last = sheet.fields.map(\.row).max() {
            try ws.merge(last + 2, 0, last + 2, 2,
                         string: "Điền số liệu vào cột B của từng trang tính, không đổi tên trang tính, không chèn hay xóa cột. / Fill in the white cells; do not rename sheets or insert columns.",
                         style: Styles.hint)
            try ws.setRow(last + 2, height: 30)
        }
        try ws.pageSetup(landscape: false)
        ws.activate()
    }

    private func writeTable(_ ws: WorksheetWriter, _ sheet: SheetSchema, rows: [[String: CellValue]]) throws {
        let lastColumn = sheet.columns.count - 1
        try ws.merge(0, 0, 0, lastColumn, string: sheet.title.vi, style: Styles.title.with { $0.horizontal = .left })
        try ws.merge(1, 0, 1, lastColumn, string: sheet.title.en + " — mỗi dòng một mục, bắt đầu từ dòng \(sheet.firstDataRow + 1) / one row per item, from row \(sheet.firstDataRow + 1).",
                     style: Styles.hint)
        for column in sheet.columns {
            try ws.write(sheet.headerRow, column.column, string: column.header.vi, style: Styles.header)
            let unit = column.spec.unit.map { " (\($0.vi))" } ?? ""
            try ws.write(sheet.headerRow + 1, column.column, string: column.header.en + unit, style: Styles.subHeader)
            try ws.setColumns(column.column, column.column, width: column.width, style: Self.inputStyle(column.spec.type))
        }
        for (i, row) in rows.enumerated() {
            for column in sheet.columns {
                if let value = row[column.spec.id] {
                    try write(ws, sheet.firstDataRow + i, column.column, value, Self.inputStyle(column.spec.type))
                }
            }
        }
        try ws.setRow(sheet.headerRow, height: 45)
        try ws.setRow(sheet.headerRow + 1, height: 30)
        ws.freezePanes(row: sheet.firstDataRow, column: 0)
        try ws.pageSetup(landscape: true, repeatRows: sheet.headerRow...(sheet.headerRow + 1))
    }

    private func writeIndicators(_ ws: WorksheetWriter, _ sheet: SheetSchema, values: [String: CellValue]) throws {
        let headers = ["STT", "Chỉ tiêu", "Mã số", "Đơn vị tính", "Thực hiện trong quý"]
        try ws.merge(0, 0, 0, 5, string: sheet.title.vi, style: Styles.title.with { $0.horizontal = .left })
        try ws.merge(1, 0, 1, 5, string: sheet.title.en, style: Styles.hint)
        for (i, h) in headers.enumerated() {
            try ws.write(sheet.headerRow, i, string: h, style: Styles.header)
        }
        try ws.write(sheet.headerRow, 5, string: "Indicator (English)", style: Styles.subHeader)
        for (i, width) in [6.0, 48, 8, 12, 16, 44].enumerated() { try ws.setColumns(i, i, width: width) }
        for (i, row) in sheet.rows.enumerated() {
            try ws.write(row.row, 0, number: Double(i + 1), style: Styles.cellCenter)
            try ws.write(row.row, 1, string: row.label.vi, style: Styles.cellWrap)
            try ws.write(row.row, sheet.codeColumn, string: row.code, style: Styles.cellCenter)
            try ws.write(row.row, 3, string: row.spec.unit?.vi ?? "", style: Styles.cellCenter)
            if let value = values[row.spec.id] {
                try write(ws, row.row, sheet.valueColumn, value, Self.inputStyle(row.spec.type))
            } else {
                try ws.writeBlank(row.row, sheet.valueColumn, style: Self.inputStyle(row.spec.type))
            }
            try ws.write(row.row, 5, string: row.label.en, style: Styles.hint)
        }
        ws.freezePanes(row: sheet.firstDataRow, column: 0)
        try ws.pageSetup(landscape: true, repeatRows: sheet.headerRow...sheet.headerRow)
    }

    /// Writes a value as the cell type it is: text stays text, numbers numbers, dates dates.
    private func write(_ ws: WorksheetWriter, _ row: Int, _ column: Int, _ value: CellValue, _ style: CellStyle) throws {
        switch value {
        case .string(let s): try ws.write(row, column, string: s, style: style)
        case .number(let n): try ws.write(row, column, number: n, style: style)
        case .bool(let b): try ws.write(row, column, bool: b, style: style)
        case .date(let d): try ws.write(row, column, year: d.year, month: d.month, day: d.day, style: style.with { $0.numberFormat = "dd/mm/yyyy" })
        case .error(let e): try ws.write(row, column, string: e, style: style)
        case .formula(let f): try ws.write(row, column, formula: f, result: 0, style: style)
        }
    }

    static func inputStyle(_ type: ValueType) -> CellStyle {
        Styles.input.with {
            switch type {
            case .integer: $0.numberFormat = "#,##0"
            case .money, .decimal: $0.numberFormat = "#,##0.0##"
            case .percent: $0.numberFormat = "0.0"
            case .date: $0.numberFormat = "dd/mm/yyyy"
            case .text, .code: $0.numberFormat = "@"
            case .boolean: $0.horizontal = .center
            }
        }
    }
}
