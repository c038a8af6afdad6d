// SPDX-License-Identifier: Apache-2.0
public import CellModel
public import Foundation
public import RuralStatCore
import XLSX

/// The workbook a unit gets back for a refused file (or one accepted with warnings): a first
/// sheet listing every finding with a link to its cell, then the unit's own sheets rewritten
/// with each cell in question filled red (error) or amber (warning) and a comment that says
/// what to correct, in Vietnamese and English.
public struct FeedbackWorkbook {
    /// What the first sheet says about the file.
    public struct Header: Sendable {
        public var fileName: String
        /// Shown in Vietnam's time.
        public var receivedAt: Date
        public var sha256: String
        public var unitCode: String?
        /// The configured name of `unitCode`, shown beside it.
        public var unitName: String?
        public var period: Period?
        public var accepted: Bool

        public init(fileName: String, receivedAt: Date, sha256: String, unitCode: String?, unitName: String?, period: Period?, accepted: Bool) {
            self.fileName = fileName
            self.receivedAt = receivedAt
            self.sha256 = sha256
            self.unitCode = unitCode
            self.unitName = unitName
            self.period = period
            self.accepted = accepted
        }
    }

    static let summaryName = "Kết quả kiểm tra"
    static let errorFill: UInt32 = 0xFFC7CE
    static let warningFill: UInt32 = 0xFFEB9C

    public init() {}

    public func write(to path: String, header: Header, sheets: [SheetCells], findings: [Finding]) throws {
        let wb = try WorkbookWriter(path: path)
        wb.setProperties(title: "Phản hồi: \(header.fileName)", author: "ruralstat", company: nil,
                         created: Date(timeIntervalSince1970: 0))
        let summary = try wb.addWorksheet(Self.summaryName)
        // Sheet names as the unit wrote them, as far as Excel allows, and none the summary's.
        var taken: Set<String> = [summary.name]
        var names: [String] = []
        for sheet in sheets {
            names.append(XLSXText.sheetName(sheet.name, taken: taken))
            taken.insert(names.last!)
        }
        let trimmed = sheets.contains { $0.cells.count > Self.fullCopyCells }
        try writeSummary(summary, header: header, findings: findings, trimmed: trimmed,
                         names: Dictionary(zip(sheets.map(\.name), names), uniquingKeysWith: { a, _ in a }))
        for (sheet, name) in zip(sheets, names) {
            let ws = try wb.addWorksheet(name)
            try rewrite(ws, sheet, findings: findings.filter { $0.sheet.map { TextMatching.same($0, sheet.name) } ?? false })
        }
        summary.activate()
        try wb.close()
    }

    /// A sheet with more cells than this is copied in part: its first rows (the title and the
    /// headers) and the rows around each finding. A form is a few thousand cells; a 60 MB file
    /// copied whole made a 56 MB answer nobody could open on an office PC.
    static let fullCopyCells = 20_000
    static let headRows = 12
    static let rowsAround = 2

    private func writeSummary(_ ws: WorksheetWriter, header: Header, findings: [Finding], trimmed: Bool, names: [String: String]) throws {
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.count - errors
        try ws.merge(0, 0, 0, 6, string: "PHẢN HỒI KIỂM TRA TỆP BÁO CÁO / FILE CHECK", style: Styles.title.with { $0.horizontal = .left })
        let info: [(String, String)] = [
            ("Tệp / File", header.fileName),
            ("Nhận lúc / Received", VietnamTime.readable(header.receivedAt) + " (giờ Việt Nam / Vietnam time, UTC+7)"),
            ("Đơn vị / Unit", FeedbackText.unit(code: header.unitCode, name: header.unitName) ?? "?"),
            ("Kỳ báo cáo / Period", header.period.map { "\($0.vietnameseTitle) (\($0))" } ?? "?"),
            ("SHA-256", header.sha256),
            ("Kết quả / Result", header.accepted
                ? "ĐÃ TIẾP NHẬN, có \(warnings) cảnh báo cần xem lại / ACCEPTED with \(warnings) warning(s)"
                : "CHƯA TIẾP NHẬN: sửa \(errors) lỗi rồi gửi lại cả tệp / REJECTED: correct \(errors) error(s) and send the whole file again"),
        ] + (trimmed ? [("Ghi chú / Note",
                         "Tệp lớn: các trang tính dưới đây chỉ chép các dòng đầu và các dòng quanh ô cần sửa / A large file: the sheets below carry only their first rows and the rows around each cell to correct")] : [])
        for (i, (k, v)) in info.enumerated() {
            try ws.merge(2 + i, 0, 2 + i, 2, string: k, style: Styles.bold)
            try ws.merge(2 + i, 3, 2 + i, 6, string: v, style: k.hasPrefix("Kết quả")
                         ? Styles.bold.with { $0.fontColor = header.accepted ? 0x006100 : 0x9C0006 } : Styles.base)
        }
        let top = 3 + info.count
        let columns = ["STT", "Mức độ", "Trang tính", "Ô", "Giá trị đã nhập", "Nội dung cần sửa", "In English"]
        for (c, h) in columns.enumerated() { try ws.write(top, c, string: h, style: Styles.header) }
        for (n, f) in findings.enumerated() {
            let r = top + 1 + n
            let fill = f.severity == .error ? Self.errorFill : Self.warningFill
            try ws.write(r, 0, number: Double(n + 1), style: Styles.cellCenter)
            try ws.write(r, 1, string: f.severity == .error ? "Lỗi" : "Cảnh báo", style: Styles.cellCenter.with { $0.fill = fill })
            try ws.write(r, 2, string: f.sheet ?? "(toàn tệp)", style: Styles.cellWrap)
            if let cell = f.cell, let sheet = f.sheet, let name = names[sheet] {
                try ws.writeLink(r, 3, sheet: name, a1: cell, text: cell, style: Styles.cellCenter.with { $0.fontColor = 0x0563C1; $0.underline = true })
            } else {
                try ws.write(r, 3, string: f.cell ?? "", style: Styles.cellCenter)
            }
            // A number as a number in its figure's format (the clerk's own figure, to sort and sum), text as text.
            if let n = f.number {
                try ws.write(r, 4, number: n.value, style: Styles.number(n.format.map(ReportWriter.numberFormat)))
            } else {
                try ws.write(r, 4, string: Self.shown(f.value ?? ""), style: Styles.cellWrap)
            }
            try ws.write(r, 5, string: f.message.vi, style: Styles.cellWrap)
            try ws.write(r, 6, string: f.message.en, style: Styles.cellWrap.with { $0.italic = true; $0.fontColor = 0x595959 })
            // Wrapped text needs the row made tall enough: about 1.1 characters per width unit.
            try ws.setRow(r, height: Styles.rowHeight([(f.message.vi, 60), (f.message.en, 50), (f.number == nil ? Self.shown(f.value ?? "") : "", 18)]))
        }
        for (c, w) in [5.0, 10, 18, 7, 18, 60, 50].enumerated() { try ws.setColumns(c, c, width: w) }
        ws.freezePanes(row: top + 1, column: 0)
        try ws.pageSetup(landscape: true, repeatRows: top...top)
    }

    /// The unit's sheet as read, values as they were, the cells in question marked.
    private func rewrite(_ ws: WorksheetWriter, _ sheet: SheetCells, findings: [Finding]) throws {
        var marks: [CellAddress: [Finding]] = [:]
        for f in findings { if let a = f.cell.flatMap(CellAddress.init(a1:)) { marks[a, default: []].append(f) } }
        let maxColumn = min(16_383, max(sheet.cells.keys.map(\.column).max() ?? 0, marks.keys.map(\.column).max() ?? 0))
        try ws.setColumns(0, maxColumn, width: 14)
        var keep: (Int) -> Bool = { _ in true }
        if sheet.cells.count > Self.fullCopyCells {
            var rows = Set(0..<Self.headRows)
            for a in marks.keys { rows.formUnion(max(0, a.row - Self.rowsAround)...(a.row + Self.rowsAround)) }
            keep = { rows.contains($0) }
        }
        for (address, value) in sheet.cells.sorted(by: { $0.key < $1.key }) where marks[address] == nil && keep(address.row) {
            try write(ws, address, value, style: Styles.base.with { $0.fontSize = 11 })
        }
        for (address, list) in marks {
            let worst = list.contains { $0.severity == .error }
            let style = Styles.base.with { $0.fontSize = 11; $0.fill = worst ? Self.errorFill : Self.warningFill; $0.border = true }
            if let value = sheet.cells[address] { try write(ws, address, value, style: style) } else { try ws.writeBlank(address.row, address.column, style: style) }
            let text = list.map { "\($0.severity == .error ? "LỖI" : "CẢNH BÁO"): \($0.message.vi)\n(\($0.message.en))" }.joined(separator: "\n\n")
            try ws.comment(address.row, address.column, text, author: "ruralstat")
        }
        try ws.pageSetup(landscape: true)
    }

    /// The copy helps the clerk find a cell, it is not a second copy of the data: text longer
    /// than this is shown cut, with an ellipsis.
    static let shownTextLength = 300

    static func shown(_ text: String) -> String {
        text.count <= shownTextLength ? text : String(text.prefix(shownTextLength - 1)) + "…"
    }

    /// Values keep their type; a formula is shown as its text, never brought back to life.
    private func write(_ ws: WorksheetWriter, _ a: CellAddress, _ value: CellValue, style: CellStyle) throws {
        switch value {
        case .string(let s): try ws.write(a.row, a.column, string: Self.shown(s), style: style)
        case .number(let n): try ws.write(a.row, a.column, number: n, style: style)
        case .bool(let b): try ws.write(a.row, a.column, bool: b, style: style)
        case .date(let d): try ws.write(a.row, a.column, year: d.year, month: d.month, day: d.day, style: style.with { $0.numberFormat = "dd/mm/yyyy" })
        case .error(let e): try ws.write(a.row, a.column, string: e, style: style)
        case .formula(let f): try ws.write(a.row, a.column, string: Self.shown("=" + f), style: style)
        }
    }
}
