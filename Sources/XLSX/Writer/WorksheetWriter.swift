// SPDX-License-Identifier: Apache-2.0
public import CellModel
internal import CXlsxWriter
import Foundation

/// One worksheet of a `WorkbookWriter`. Rows and columns are zero-based. Keeps its workbook
/// alive; using it after the workbook is closed is a programming error.
public struct WorksheetWriter {
    private let sheet: UnsafeMutablePointer<lxw_worksheet>
    private let owner: WorkbookWriter
    public let name: String

    init(sheet: UnsafeMutablePointer<lxw_worksheet>, owner: WorkbookWriter, name: String) {
        self.sheet = sheet
        self.owner = owner
        self.name = name
    }

    /// Writes text as a string cell, always: text starting with `=` never becomes a formula.
    public func write(_ row: Int, _ column: Int, string: String, style: CellStyle? = nil) throws {
        try write(row, column, string: string, format: owner.resolve(style))
    }

    /// Writes a string cell in a format resolved once (`WorkbookWriter.resolve`): the way to
    /// write many cells of the same look.
    public func write(_ row: Int, _ column: Int, string: String, format: CellFormat) throws {
        try owner.check(worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), XLSXText.safe(string), format.pointer),
                        "cell \(CellAddress(row: row, column: column))")
    }

    /// Writes a number cell.
    public func write(_ row: Int, _ column: Int, number: Double, style: CellStyle? = nil) throws {
        try write(row, column, number: number, format: owner.resolve(style))
    }

    /// Writes a number cell in a format resolved once.
    public func write(_ row: Int, _ column: Int, number: Double, format: CellFormat) throws {
        try owner.check(worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), number, format.pointer),
                        "cell \(CellAddress(row: row, column: column))")
    }

    /// Writes a link to a cell of this workbook (`sheet` and `a1` such as "B7") showing `text`.
    public func writeLink(_ row: Int, _ column: Int, sheet: String, a1: String, text: String, style: CellStyle? = nil) throws {
        let target = "internal:'" + sheet.replacingOccurrences(of: "'", with: "''") + "'!" + a1
        try owner.check(worksheet_write_url_opt(self.sheet, lxw_row_t(row), lxw_col_t(column), target, owner.resolve(style).pointer,
                                                XLSXText.safe(text), nil),
                        "link at \(CellAddress(row: row, column: column))")
    }

    /// Writes a boolean cell.
    public func write(_ row: Int, _ column: Int, bool: Bool, style: CellStyle? = nil) throws {
        try owner.check(worksheet_write_boolean(sheet, lxw_row_t(row), lxw_col_t(column), bool ? 1 : 0,
                                                owner.resolve(style).pointer), "cell \(CellAddress(row: row, column: column))")
    }

    /// Writes a date (no time of day) as a date serial with the style's number format.
    public func write(_ row: Int, _ column: Int, year: Int, month: Int, day: Int, style: CellStyle) throws {
        try write(row, column, date: SpreadsheetDate(year: year, month: month, day: day), format: owner.resolve(style))
    }

    /// Writes a date in a format resolved once.
    public func write(_ row: Int, _ column: Int, year: Int, month: Int, day: Int, format: CellFormat) throws {
        try write(row, column, date: SpreadsheetDate(year: year, month: month, day: day), format: format)
    }

    /// Writes a date, with its time of day, as a date serial with the style's number format.
    public func write(_ row: Int, _ column: Int, date: SpreadsheetDate, style: CellStyle) throws {
        try write(row, column, date: date, format: owner.resolve(style))
    }

    /// Writes a date and time of day in a format resolved once.
    public func write(_ row: Int, _ column: Int, date: SpreadsheetDate, format: CellFormat) throws {
        var dt = lxw_datetime(year: Int32(date.year), month: Int32(date.month), day: Int32(date.day),
                              hour: Int32(date.hour), min: Int32(date.minute), sec: Double(date.second))
        try owner.check(worksheet_write_datetime(sheet, lxw_row_t(row), lxw_col_t(column), &dt, format.pointer),
                        "cell \(CellAddress(row: row, column: column))")
    }

    /// Writes a formula together with its computed result, so every reader sees the same number.
    public func write(_ row: Int, _ column: Int, formula: String, result: Double, style: CellStyle? = nil) throws {
        try owner.check(worksheet_write_formula_num(sheet, lxw_row_t(row), lxw_col_t(column), formula,
                                                    owner.resolve(style).pointer, result), "cell \(CellAddress(row: row, column: column))")
    }

    /// Writes an empty cell that still carries a style (borders, fills).
    public func writeBlank(_ row: Int, _ column: Int, style: CellStyle) throws {
        try owner.check(worksheet_write_blank(sheet, lxw_row_t(row), lxw_col_t(column), owner.resolve(style).pointer),
                        "cell \(CellAddress(row: row, column: column))")
    }

    /// Merges a range and writes `string` into it.
    public func merge(_ firstRow: Int, _ firstColumn: Int, _ lastRow: Int, _ lastColumn: Int,
                      string: String, style: CellStyle? = nil) throws {
        try owner.check(worksheet_merge_range(sheet, lxw_row_t(firstRow), lxw_col_t(firstColumn),
                                              lxw_row_t(lastRow), lxw_col_t(lastColumn), XLSXText.safe(string), owner.resolve(style).pointer),
                        "merged range at \(CellAddress(row: firstRow, column: firstColumn))")
    }

    /// Sets the width (in characters) of columns `first...last`, their default style for
    /// cells not written, and optionally hides them.
    public func setColumns(_ first: Int, _ last: Int, width: Double, style: CellStyle? = nil, hidden: Bool = false) throws {
        var options = lxw_row_col_options()
        options.hidden = hidden ? 1 : 0
        try owner.check(worksheet_set_column_opt(sheet, lxw_col_t(first), lxw_col_t(last), width, owner.resolve(style).pointer, &options),
                        "column width")
    }

    /// Protects the sheet so locked cells cannot be edited; cells styled `locked = false` stay
    /// open. `allowRows` lets rows be inserted and deleted (table sheets).
    public func protect(allowRows: Bool = false) {
        var options = lxw_protection()
        options.insert_rows = allowRows ? 1 : 0
        options.delete_rows = allowRows ? 1 : 0
        options.format_columns = 1
        options.format_rows = 1
        worksheet_protect(sheet, nil, &options)
    }

    /// Adds a data validation to the range; texts longer than Excel allows are shortened.
    public func validate(_ firstRow: Int, _ firstColumn: Int, _ lastRow: Int, _ lastColumn: Int, _ rule: DataValidation) throws {
        var v = lxw_data_validation()
        var owned: [UnsafeMutablePointer<CChar>] = []
        defer { owned.forEach { free($0) } }
        func c(_ s: String?, _ limit: Int) -> UnsafeMutablePointer<CChar>? {
            guard let s else { return nil }
            let p = strdup(XLSXText.safe(s, limit: limit))!
            owned.append(p)
            return p
        }
        func bounds(_ min: Double?, _ max: Double?) {
            switch (min, max) {
            case let (lo?, hi?):
                v.criteria = UInt8(LXW_VALIDATION_CRITERIA_BETWEEN.rawValue)
                v.minimum_number = lo
                v.maximum_number = hi
            case let (lo?, nil):
                v.criteria = UInt8(LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO.rawValue)
                v.value_number = lo
            case let (nil, hi?):
                v.criteria = UInt8(LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO.rawValue)
                v.value_number = hi
            case (nil, nil):
                v.criteria = UInt8(LXW_VALIDATION_CRITERIA_BETWEEN.rawValue)
                v.minimum_number = -1e15
                v.maximum_number = 1e15
            }
        }
        switch rule.kind {
        case .list(let source):
            v.validate = UInt8(LXW_VALIDATION_TYPE_LIST_FORMULA.rawValue)
            v.value_formula = c(source, 255)
        case .wholeNumber(let min, let max):
            v.validate = UInt8(LXW_VALIDATION_TYPE_INTEGER.rawValue)
            bounds(min, max)
        case .decimal(let min, let max):
            v.validate = UInt8(LXW_VALIDATION_TYPE_DECIMAL.rawValue)
            bounds(min, max)
        case .date(let fromYear, let toYear):
            v.validate = UInt8(LXW_VALIDATION_TYPE_DATE.rawValue)
            v.criteria = UInt8(LXW_VALIDATION_CRITERIA_BETWEEN.rawValue)
            v.minimum_datetime = lxw_datetime(year: Int32(fromYear), month: 1, day: 1, hour: 0, min: 0, sec: 0)
            v.maximum_datetime = lxw_datetime(year: Int32(toYear), month: 12, day: 31, hour: 0, min: 0, sec: 0)
        case .textLength(let max):
            v.validate = UInt8(LXW_VALIDATION_TYPE_LENGTH.rawValue)
            v.criteria = UInt8(LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO.rawValue)
            v.value_number = Double(max)
        }
        v.input_title = c(rule.inputTitle, 32)
        v.input_message = c(rule.inputMessage, 255)
        v.error_title = c(rule.errorTitle, 32)
        v.error_message = c(rule.errorMessage, 255)
        v.ignore_blank = UInt8(LXW_VALIDATION_ON.rawValue)
        v.show_input = UInt8(rule.inputMessage == nil ? LXW_VALIDATION_OFF.rawValue : LXW_VALIDATION_ON.rawValue)
        v.show_error = UInt8(LXW_VALIDATION_ON.rawValue)
        v.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_STOP.rawValue)
        try owner.check(worksheet_data_validation_range(sheet, lxw_row_t(firstRow), lxw_col_t(firstColumn),
                                                        lxw_row_t(lastRow), lxw_col_t(lastColumn), &v),
                        "data validation at \(CellAddress(row: firstRow, column: firstColumn))")
    }

    /// Sets a row's height in points.
    public func setRow(_ row: Int, height: Double) throws {
        try owner.check(worksheet_set_row(sheet, lxw_row_t(row), height, nil), "row height")
    }

    /// Freezes the rows above `row` and the columns left of `column`.
    public func freezePanes(row: Int, column: Int) {
        worksheet_freeze_panes(sheet, lxw_row_t(row), lxw_col_t(column))
    }

    /// Adds a cell comment (a note) shown when the cell is hovered.
    public func comment(_ row: Int, _ column: Int, _ text: String, author: String? = nil) throws {
        var options = lxw_comment_options()
        let a = author.map { strdup(XLSXText.safe($0, limit: 255))! }
        defer { free(a) }
        options.author = a
        options.width = 320
        options.height = 120
        try owner.check(worksheet_write_comment_opt(sheet, lxw_row_t(row), lxw_col_t(column), XLSXText.safe(text), &options),
                        "comment at \(CellAddress(row: row, column: column))")
    }

    /// Page set-up for printing: A4, orientation, fit to one page wide, rows repeated on top.
    public func pageSetup(landscape: Bool, fitWidth: Bool = true, repeatRows: ClosedRange<Int>? = nil) throws {
        if landscape { worksheet_set_landscape(sheet) } else { worksheet_set_portrait(sheet) }
        worksheet_set_paper(sheet, 9) // 9 = A4
        worksheet_set_margins(sheet, 0.5, 0.4, 0.6, 0.6)
        if fitWidth { worksheet_fit_to_pages(sheet, 1, 0) }
        if let rows = repeatRows {
            try owner.check(worksheet_repeat_rows(sheet, lxw_row_t(rows.lowerBound), lxw_row_t(rows.upperBound)),
                            "repeated rows")
        }
        _ = worksheet_set_footer(sheet, "&CTrang &P/&N")
    }

    /// Starts a new printed page above each of `rows`.
    public func pageBreaks(before rows: [Int]) throws {
        var breaks = rows.map { lxw_row_t($0) } + [0]
        try owner.check(worksheet_set_h_pagebreaks(sheet, &breaks), "page breaks")
    }

    /// Draws `chart` with its top-left corner in the cell at `row`, `column`, `width` × `height` pixels.
    public func insertChart(_ row: Int, _ column: Int, _ chart: ChartSpec, width: Int = 720, height: Int = 360) throws {
        let c = try owner.addChart(chart)
        var options = lxw_chart_options()
        options.x_scale = Double(width) / 480
        options.y_scale = Double(height) / 288
        options.x_offset = 0
        options.y_offset = 0
        try owner.check(worksheet_insert_chart_opt(sheet, lxw_row_t(row), lxw_col_t(column), c, &options),
                        "chart at \(CellAddress(row: row, column: column))")
    }

    /// Hides the worksheet (its tab is not shown).
    public func hide() { worksheet_hide(sheet) }

    /// Makes this the sheet shown when the workbook opens.
    public func activate() { worksheet_activate(sheet) }
}
