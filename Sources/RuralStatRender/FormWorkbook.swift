// SPDX-License-Identifier: Apache-2.0
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

    /// The instructions sheet and the hidden sheet holding the drop-down lists.
    static let guideName = "Hướng dẫn"
    static let listsName = "Danh mục"
    /// How many rows of a table sheet get drop-downs and checks.
    static let tableRows = 1_000

    /// Writes each code list as "code - label" in a column of the hidden sheet; returns the
    /// range formula for each list name.
    private func writeCodeLists(_ ws: WorksheetWriter) throws -> [String: String] {
        var sources: [String: String] = [:]
        for (column, name) in schema.codeLists.keys.sorted().enumerated() {
            let items = schema.codeLists[name]!
            try ws.write(0, column, string: name, style: Styles.bold)
            for (i, item) in items.enumerated() { try ws.write(i + 1, column, string: "\(item.code) - \(item.vi)") }
            let letter = CellAddress.columnLetters(column)
            sources[name] = "='\(Self.listsName)'!$\(letter)$2:$\(letter)$\(items.count + 1)"
            try ws.setColumns(column, column, width: 40)
        }
        ws.hide()
        return sources
    }

    /// The validation for a value, with its input message, or nil for free text.
    private func validation(_ spec: ValueSpec, label: String, lists: [String: String]) -> DataValidation? {
        func range() -> String {
            switch (spec.min, spec.max) {
            case let (lo?, hi?): return "từ \(CellValue.format(lo)) đến \(CellValue.format(hi))"
            case let (lo?, nil): return "không nhỏ hơn \(CellValue.format(lo))"
            case let (nil, hi?): return "không lớn hơn \(CellValue.format(hi))"
            default: return "một số"
            }
        }
        let unit = spec.unit.map { " (\($0.vi))" } ?? ""
        let title = String(label.prefix(32))
        switch spec.type {
        case .code:
            guard let name = spec.codeListName, let source = lists[name] else { return nil }
            return DataValidation(.list(source: source), inputTitle: title, inputMessage: "Chọn trong danh sách.",
                                  errorTitle: "Mã không hợp lệ", errorMessage: "Chỉ chọn một mục trong danh sách thả xuống.")
        case .integer:
            return DataValidation(.wholeNumber(min: spec.min, max: spec.max), inputTitle: title,
                                  inputMessage: "Nhập số nguyên \(range())\(unit).",
                                  errorTitle: "Số không hợp lệ", errorMessage: "Phải là số nguyên \(range())\(unit).")
        case .decimal, .money, .percent:
            return DataValidation(.decimal(min: spec.min, max: spec.max), inputTitle: title,
                                  inputMessage: "Nhập số \(range())\(unit). Dấu phẩy trước phần thập phân.",
                                  errorTitle: "Số không hợp lệ", errorMessage: "Phải là số \(range())\(unit).")
        case .date:
            return DataValidation(.date(fromYear: 2000, toYear: 2100), inputTitle: title, inputMessage: "Nhập ngày, ví dụ 15/10/2025.",
                                  errorTitle: "Ngày không hợp lệ", errorMessage: "Nhập một ngày dạng ngày/tháng/năm.")
        case .text:
            guard let max = spec.maxLength else { return nil }
            return DataValidation(.textLength(max: max), inputTitle: title, inputMessage: "Tối đa \(max) ký tự.",
                                  errorTitle: "Quá dài", errorMessage: "Tối đa \(max) ký tự.")
        case .boolean:
            return nil
        }
    }

    /// A sheet that tells the clerk, in Vietnamese, what goes where.
    private func writeGuide(_ ws: WorksheetWriter) throws {
        try ws.merge(0, 0, 0, 5, string: "HƯỚNG DẪN ĐIỀN BIỂU MẪU – \(schema.formTag)", style: Styles.title.with { $0.horizontal = .left })
        let intro = [
            "1. Điền vào các ô màu trắng; không đổi tên trang tính, không chèn hay xóa cột, không sửa dòng tiêu đề.",
            "2. Ô có danh sách thả xuống: chọn trong danh sách. Ô số: nhập số, không kèm chữ hay đơn vị.",
            "3. Mỗi làng nghề, mỗi đề án ghi một dòng, bắt đầu từ dòng đầu tiên dưới tiêu đề; có thể chèn thêm dòng.",
            "4. Lưu tệp dạng Excel Workbook (.xlsx) và gửi vào thư mục chung; kết quả kiểm tra có trong thư mục phản hồi của đơn vị.",
            "5. Đơn vị báo cáo từ ngày 1/7/2025 là UBND xã, phường, đặc khu; cơ sở công nghiệp nông thôn là cơ sở sản xuất trên địa bàn xã, phường, đặc khu (Nghị định 235/2025/NĐ-CP).",
        ]
        for (i, line) in intro.enumerated() { try ws.merge(2 + i, 0, 2 + i, 5, string: line, style: Styles.base) }
        var row = 3 + intro.count
        for (c, h) in ["Trang tính", "Cột / ô", "Nội dung", "Kiểu dữ liệu", "Bắt buộc", "Giá trị cho phép"].enumerated() {
            try ws.write(row, c, string: h, style: Styles.header)
        }
        for sheet in schema.sheets {
            var entries: [(String, String, ValueSpec)] = []
            switch sheet.kind {
            case .fields: entries = sheet.fields.filter { $0.role != .form }.map { (CellAddress(row: $0.row, column: $0.column).a1, $0.label.vi, $0.spec) }
            case .table: entries = sheet.columns.map { (CellAddress.columnLetters($0.column), $0.header.vi, $0.spec) }
            case .indicators: entries = sheet.rows.map { (CellAddress(row: $0.row, column: sheet.valueColumn).a1, $0.label.vi, $0.spec) }
            }
            for (place, label, spec) in entries {
                row += 1
                try ws.write(row, 0, string: sheet.name, style: Styles.cellWrap)
                try ws.write(row, 1, string: place, style: Styles.cellCenter)
                try ws.write(row, 2, string: label, style: Styles.cellWrap)
                try ws.write(row, 3, string: Self.typeName(spec), style: Styles.cellWrap)
                try ws.write(row, 4, string: spec.required ? "có" : "", style: Styles.cellCenter)
                try ws.write(row, 5, string: Self.allowed(spec), style: Styles.cellWrap)
                try ws.setRow(row, height: Styles.rowHeight([(label, 40), (Self.allowed(spec), 60)]))
            }
        }
        for (c, w) in [18.0, 8, 40, 16, 9, 60].enumerated() { try ws.setColumns(c, c, width: w) }
        try ws.pageSetup(landscape: true, repeatRows: (3 + intro.count)...(3 + intro.count))
    }

    static func typeName(_ spec: ValueSpec) -> String {
        let unit = spec.unit.map { " (\($0.vi))" } ?? ""
        switch spec.type {
        case .text: return "chữ"
        case .integer: return "số nguyên" + unit
        case .decimal: return "số" + unit
        case .money: return "số tiền" + unit
        case .percent: return "tỷ lệ %"
        case .date: return "ngày (dd/mm/yyyy)"
        case .code: return "mã trong danh sách"
        case .boolean: return "x nếu có"
        }
    }

    static func allowed(_ spec: ValueSpec) -> String {
        if let codes = spec.codes { return codes.map { "\($0.code) = \($0.vi)" }.joined(separator: "; ") }
        switch (spec.min, spec.max) {
        case let (lo?, hi?): return "từ \(CellValue.format(lo)) đến \(CellValue.format(hi))"
        case let (lo?, nil): return "từ \(CellValue.format(lo))"
        case let (nil, hi?): return "đến \(CellValue.format(hi))"
        default: return spec.maxLength.map { "tối đa \($0) ký tự" } ?? ""
        }
    }

    /// Writes the form for `period` (and `unit`, if given) to `path`.
    public func write(to path: String, period: Period, unit: ReportingUnit?, content: FormContent? = nil) throws {
        let wb = try WorkbookWriter(path: path)
        wb.setProperties(title: schema.title.vi, author: "ruralstat", company: nil, created: Self.fixedDate(period))
        try wb.setCustomProperty("ruralstat.schema", schema.id)
        try wb.setCustomProperty("ruralstat.schema_version", String(schema.version))
        var sheets: [(SheetSchema, WorksheetWriter)] = []
        for sheet in schema.sheets { sheets.append((sheet, try wb.addWorksheet(sheet.name))) }
        let guide = try wb.addWorksheet(Self.guideName)
        let lists = try wb.addWorksheet(Self.listsName)
        let sources = try writeCodeLists(lists)
        for (sheet, ws) in sheets {
            switch sheet.kind {
            case .fields: try writeFields(ws, sheet, period: period, unit: unit, values: content?.fields ?? [:], lists: sources)
            case .table: try writeTable(ws, sheet, rows: content?.tables[sheet.id] ?? [], lists: sources)
            case .indicators: try writeIndicators(ws, sheet, values: content?.indicators[sheet.id] ?? [:])
            }
        }
        try writeGuide(guide)
        try wb.close()
    }

    /// The first day of the quarter: a creation time that depends on the content only.
    static func fixedDate(_ period: Period) -> Date {
        let days = SpreadsheetDate.days(period.year, (period.quarter - 1) * 3 + 1, 1)
        return Date(timeIntervalSince1970: Double(days) * 86_400)
    }

    private func writeFields(_ ws: WorksheetWriter, _ sheet: SheetSchema, period: Period, unit: ReportingUnit?,
                             values: [String: CellValue], lists: [String: String]) throws {
        // Wide enough for the longest label (bold Vietnamese in A, the English hint in C): a
        // label cut at the cell's edge ("Tên đơn vị báo cáo (UBND xã, phườn") leaves the clerk guessing.
        func width(_ texts: [String], least: Double, bold: Double) -> Double {
            min(70, max(least, Double(texts.map(\.count).max() ?? 0) * bold + 2))
        }
        try ws.setColumns(0, 0, width: width(sheet.fields.map(\.label.vi), least: 34, bold: 1.15))
        try ws.setColumns(1, 1, width: 32)
        try ws.setColumns(2, 2, width: width(sheet.fields.map(\.label.en), least: 30, bold: 1.0))
        try ws.merge(0, 0, 0, 2, string: schema.title.vi, style: Styles.title)
        try ws.setRow(0, height: 36)
        try ws.merge(1, 0, 1, 2, string: schema.title.en, style: Styles.subtitle)
        for field in sheet.fields {
            try ws.write(field.row, 0, string: field.label.vi, style: Styles.cell.with { $0.bold = true })
            try ws.write(field.row, 2, string: field.label.en, style: Styles.hint)
            // The form tag, and for a given unit its identity and period, are filled in and locked.
            let fixed = field.role == .form || (unit != nil && (field.role != nil || field.spec.id == "unit_name"))
            let style = fixed ? Styles.locked : Styles.input.with {
                if field.spec.type == .date { $0.numberFormat = "dd/mm/yyyy" }
                if field.spec.type == .text { $0.numberFormat = "@" }
            }
            if !fixed, let rule = validation(field.spec, label: field.label.vi, lists: lists) {
                try ws.validate(field.row, field.column, field.row, field.column, rule)
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
        ws.protect()
        ws.activate()
    }

    private func writeTable(_ ws: WorksheetWriter, _ sheet: SheetSchema, rows: [[String: CellValue]], lists: [String: String]) throws {
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
        for column in sheet.columns {
            if let rule = validation(column.spec, label: column.header.vi, lists: lists) {
                try ws.validate(sheet.firstDataRow, column.column, sheet.firstDataRow + Self.tableRows - 1, column.column, rule)
            }
        }
        try ws.pageSetup(landscape: true, repeatRows: sheet.headerRow...(sheet.headerRow + 1))
        // Headers are locked; rows can still be inserted and deleted.
        ws.protect(allowRows: true)
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
        for row in sheet.rows {
            if let rule = validation(row.spec, label: row.label.vi, lists: [:]) {
                try ws.validate(row.row, sheet.valueColumn, row.row, sheet.valueColumn, rule)
            }
        }
        ws.freezePanes(row: sheet.firstDataRow, column: 0)
        try ws.pageSetup(landscape: true, repeatRows: sheet.headerRow...sheet.headerRow)
        ws.protect()
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
