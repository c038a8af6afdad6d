// SPDX-License-Identifier: Apache-2.0
internal import CXlsxWriter
public import Foundation

/// A cell format of one workbook, resolved from a `CellStyle` by `WorkbookWriter.resolve`.
public struct CellFormat {
    let pointer: UnsafeMutablePointer<lxw_format>?
}

/// Writes one XLSX file through libxlsxwriter. Owns the C workbook: `close()` writes the file
/// and frees it; a writer dropped without closing frees it without writing anything.
public final class WorkbookWriter {
    private var handle: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [CellStyle: UnsafeMutablePointer<lxw_format>] = [:]
    /// Strings handed to the C side that must outlive it (libxlsxwriter keeps some pointers).
    private var retainedStrings: [UnsafeMutablePointer<CChar>] = []
    /// The names of the sheets added so far.
    private var sheetNames: Set<String> = []
    public let path: String

    /// Creates the workbook at `path`. `constantMemory` streams rows to disk (rows must then be
    /// written in order); `tempDirectory` is where libxlsxwriter keeps its scratch files.
    public init(path: String, constantMemory: Bool = false, tempDirectory: String? = nil) throws {
        self.path = path
        var options = lxw_workbook_options()
        options.constant_memory = constantMemory ? 1 : 0
        options.use_zip64 = 0
        let tmp = tempDirectory.map { strdup($0)! }
        options.tmpdir = tmp
        handle = workbook_new_opt(path, &options)
        if let tmp { retainedStrings.append(tmp) }
        guard handle != nil else {
            throw XLSXError(.writer, "Cannot create the workbook \(path).")
        }
    }

    deinit {
        if let handle { lxw_workbook_free(handle) }
        for s in retainedStrings { free(s) }
    }

    private func open() -> UnsafeMutablePointer<lxw_workbook> {
        guard let handle else { preconditionFailure("WorkbookWriter used after close()") }
        return handle
    }

    /// Adds a worksheet named `name` as far as Excel allows (`XLSXText.sheetName`: 31
    /// characters, no `[]:*?/\`, unique); the sheet's `name` is the one it got.
    public func addWorksheet(_ requested: String) throws -> WorksheetWriter {
        let name = XLSXText.sheetName(requested, taken: sheetNames)
        sheetNames.insert(name)
        guard let sheet = workbook_add_worksheet(open(), name) else {
            throw XLSXError(.writer, "Cannot add a worksheet named \"\(name)\".",
                            detail: "names are at most 31 characters, unique, without []:*?/\\")
        }
        return WorksheetWriter(sheet: sheet, owner: self, name: name)
    }

    /// Sets the document properties. `created` fixes the creation time so the same content
    /// gives the same bytes.
    public func setProperties(title: String?, author: String?, company: String?, created: Date) {
        var props = lxw_doc_properties()
        let t = title.map { strdup(XLSXText.safe($0, limit: 255))! }, a = author.map { strdup(XLSXText.safe($0, limit: 255))! }
        let c = company.map { strdup(XLSXText.safe($0, limit: 255))! }
        props.title = t
        props.author = a
        props.company = c
        props.created = time_t(created.timeIntervalSince1970)
        workbook_set_properties(open(), &props)
        for p in [t, a, c].compactMap({ $0 }) { retainedStrings.append(p) }
    }

    /// Records a custom document property (File → Properties → Custom in Excel).
    public func setCustomProperty(_ name: String, _ value: String) throws {
        try check(workbook_set_custom_property_string(open(), XLSXText.safe(name, limit: 255), XLSXText.safe(value, limit: 255)),
                  "custom property \(name)")
    }

    /// Writes the file to disk and releases the workbook. Throws if the file cannot be written.
    public func close() throws {
        let h = open()
        handle = nil
        let rc = workbook_close(h)
        try check(rc, "writing \(path)")
    }

    /// Creates the chart object of `spec`; the caller places it on a worksheet.
    func addChart(_ spec: ChartSpec) throws -> UnsafeMutablePointer<lxw_chart> {
        let type: lxw_chart_type
        switch spec.kind {
        case .column: type = LXW_CHART_COLUMN
        case .bar: type = LXW_CHART_BAR
        case .pie: type = LXW_CHART_PIE
        }
        guard let chart = workbook_add_chart(open(), UInt8(type.rawValue)),
              let series = chart_add_series(chart, nil, nil) else {
            throw XLSXError(.writer, "Cannot add a chart to \(path).")
        }
        let first = lxw_row_t(spec.rows.lowerBound), last = lxw_row_t(spec.rows.upperBound)
        chart_series_set_categories(series, spec.sheet, first, lxw_col_t(spec.categoryColumn), last, lxw_col_t(spec.categoryColumn))
        chart_series_set_values(series, spec.sheet, first, lxw_col_t(spec.valueColumn), last, lxw_col_t(spec.valueColumn))
        chart_series_set_name(series, XLSXText.safe(spec.seriesName, limit: 255))
        chart_title_set_name(chart, XLSXText.safe(spec.title, limit: 255))
        spec.fontName.withCString { name in
            let fontName = UnsafeMutablePointer(mutating: name)
            var title = lxw_chart_font(); title.name = fontName; title.size = 13; title.bold = 1
            chart_title_set_name_font(chart, &title)
            var body = lxw_chart_font(); body.name = fontName; body.size = 10
            chart_legend_set_font(chart, &body)
            if spec.kind != .pie {
                chart_axis_set_num_font(chart.pointee.x_axis, &body)
                chart_axis_set_num_font(chart.pointee.y_axis, &body)
            }
            if let format = spec.labelFormat {
                chart_series_set_labels(series)
                chart_series_set_labels_num_format(series, format)
                chart_series_set_labels_font(series, &body)
            }
        }
        // Bars list their categories from the top, in the table's order.
        if spec.kind == .bar { chart_axis_set_reverse(chart.pointee.y_axis) }
        if spec.kind == .pie {
            chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_RIGHT.rawValue))
        } else {
            chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_NONE.rawValue))
            var fill = lxw_chart_fill(); fill.color = 0x2F5597
            chart_series_set_fill(series, &fill)
        }
        return chart
    }

    /// The workbook's format for `style`, created on first use. Writing many cells with one
    /// look, resolve it once and pass the `CellFormat`: the lookup hashes the whole style.
    public func resolve(_ style: CellStyle?) -> CellFormat {
        CellFormat(pointer: style.map(format))
    }

    private func format(_ style: CellStyle) -> UnsafeMutablePointer<lxw_format> {
        if let existing = formats[style] { return existing }
        let f = workbook_add_format(open())!
        format_set_font_name(f, style.fontName)
        format_set_font_size(f, style.fontSize)
        if style.bold { format_set_bold(f) }
        if style.italic { format_set_italic(f) }
        if style.underline { format_set_underline(f, UInt8(LXW_UNDERLINE_SINGLE.rawValue)) }
        if let color = style.fontColor { format_set_font_color(f, lxw_color_t(color)) }
        if let fill = style.fill {
            format_set_pattern(f, UInt8(LXW_PATTERN_SOLID.rawValue))
            format_set_bg_color(f, lxw_color_t(fill))
        }
        if style.wrap { format_set_text_wrap(f) }
        if style.indent > 0 { format_set_indent(f, style.indent) }
        switch style.horizontal {
        case .general: break
        case .left: format_set_align(f, UInt8(LXW_ALIGN_LEFT.rawValue))
        case .center: format_set_align(f, UInt8(LXW_ALIGN_CENTER.rawValue))
        case .right: format_set_align(f, UInt8(LXW_ALIGN_RIGHT.rawValue))
        case .centerAcross: format_set_align(f, UInt8(LXW_ALIGN_CENTER_ACROSS.rawValue))
        }
        switch style.vertical {
        case .bottom: break
        case .center: format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
        case .top: format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        }
        if style.border { format_set_border(f, UInt8(LXW_BORDER_THIN.rawValue)) }
        if let nf = style.numberFormat { format_set_num_format(f, nf) }
        if !style.locked { format_set_unlocked(f) }
        formats[style] = f
        return f
    }

    /// Turns a libxlsxwriter result into an error naming `what`; the name is only built when
    /// something failed, since this runs for every cell.
    @inline(__always)
    func check(_ rc: lxw_error, _ what: @autoclosure () -> String) throws {
        guard rc == LXW_NO_ERROR else {
            let reason = String(cString: lxw_strerror(rc))
            throw XLSXError(.writer, "Cannot write the workbook: \(what()).", detail: reason)
        }
    }
}
