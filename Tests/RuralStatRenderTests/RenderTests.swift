import CellModel
import Foundation
import RuralStatCore
import Testing
import XLSX
@testable import RuralStatRender

@Suite("Forms and reports written to disk and read back")
struct RenderTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schema: FormSchema = {
        let path = root.appendingPathComponent("templates/quarterly-v1.yaml").path
        return try! FormSchema.load(yaml: String(contentsOfFile: path, encoding: .utf8), file: path)
    }()
    static let province = Province(name: "Tỉnh Thử", parentBody: "UBND TỈNH THỬ", issuingBody: "SỞ CÔNG THƯƠNG", place: "Thử",
                                   units: [ReportingUnit(code: "U01", name: "Huyện Một"), ReportingUnit(code: "U02", name: "=HYPERLINK(\"x\")")])

    func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ruralstat-render-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func readAll(_ path: String) throws -> [SheetCells] {
        let reader = try WorkbookReader(path: path)
        return try reader.sheets.map { try reader.cells(of: $0) }
    }

    @Test func theBlankFormIsLaidOutExactlyAsTheSchemaReadsIt() throws {
        let path = try folder() + "/blank.xlsx"
        try FormWorkbook(schema: Self.schema).write(to: path, period: Period("2025-Q3")!, unit: Self.province.units[0])
        let sheets = try readAll(path)
        #expect(sheets.map(\.name) == Self.schema.sheets.map(\.name) + ["Hướng dẫn", "Danh mục"])
        let reader = try WorkbookReader(path: path)
        #expect(reader.sheets.last?.state == "hidden")
        let cover = sheets[0]
        #expect(cover["B3"] == .string("ruralstat-quarterly v1"))
        #expect(cover["B5"] == .string("U01"))
        #expect(cover["B6"] == .string("Huyện Một"))
        #expect(cover["B7"] == .number(2025))
        #expect(cover["B8"] == .number(3))
        // Blank: only the preparer, date and indicator values are missing, never a header or a code.
        let result = SubmissionValidator(schema: Self.schema, province: Self.province).validate(sheets: sheets)
        #expect(Set(result.findings.map(\.rule)) == ["required"])
        #expect(Set(result.findings.compactMap(\.cell)) == ["B9", "B11", "E5", "E6", "E16"])
    }

    @Test func aFilledFormIsAcceptedWithTheValuesWritten() throws {
        let path = try folder() + "/filled.xlsx"
        var content = FormContent()
        content.fields["preparer"] = .string("Lê Văn Cường")
        content.fields["date_prepared"] = .date(SpreadsheetDate(year: 2025, month: 10, day: 3))
        content.tables["villages"] = [[
            "code": .string("LN01"), "name": .string("Làng gốm Chu Đậu"), "commune": .string("Thái Tân"), "trade_group": .string("4"),
            "recognition": .string("CN"), "year_recognised": .number(2008), "households": .number(420),
            "trade_households": .number(190), "labourers": .number(640), "production_value": .number(3_250.4),
        ]]
        content.tables["projects"] = [[
            "code": .string("DA01"), "name": .string("Máy đùn gốm"), "beneficiary": .string("HTX Chu Đậu"), "activity": .string("3"),
            "funding": .string("KCQG"), "approved_budget": .number(450.5), "status": .string("NT"),
            "accepted_on": .date(SpreadsheetDate(year: 2025, month: 9, day: 12)),
        ]]
        content.indicators["indicators"] = ["establishments": .number(812), "establishment_labourers": .number(5_400), "villages_total": .number(1)]
        try FormWorkbook(schema: Self.schema).write(to: path, period: Period("2025-Q3")!, unit: Self.province.units[0], content: content)
        let result = SubmissionValidator(schema: Self.schema, province: Self.province).validate(sheets: try readAll(path))
        #expect(result.findings.isEmpty, "\(result.findings)")
        let data = try #require(result.submission)
        #expect(data.rows(of: "villages")[0]["production_value"] == .money(dong: 3_250_400_000))
        #expect(data.rows(of: "projects")[0]["accepted_on"] == .date(SpreadsheetDate(year: 2025, month: 9, day: 12)))
        #expect(data.value(sheet: "indicators", field: "establishments") == .integer(812))
    }

    @Test func theSummaryReportCarriesTheLetterheadTheFiguresAndTheTotals() throws {
        let catalog = FigureCatalog(schema: Self.schema)
        let definition = try ReportDefinition.load(
            yaml: String(contentsOfFile: Self.root.appendingPathComponent("reports/quarterly-summary.yaml").path, encoding: .utf8),
            file: "quarterly-summary.yaml", catalog: catalog)
        var t1 = catalog.tallies(of: SubmissionData(unitCode: "U01", period: Period("2025-Q3")!, schemaID: "", schemaVersion: 1, facts: []))
        t1["villages.rows"]!.add(.count(3))
        t1["projects.approved_budget"]!.add(Quantity(micros: 800_100_000))
        var t2 = t1
        t2["projects.approved_budget"]!.add(Quantity(micros: 266_700_000))
        let report = SummaryReport.build(definition: definition, province: Self.province, period: Period("2025-Q3")!, catalog: catalog,
                                         states: ["U01": .accepted, "U02": .accepted], tallies: ["U01": t1, "U02": t2])
        let path = try folder() + "/report.xlsx"
        try SummaryReportWriter(issuedOn: SpreadsheetDate(year: 2025, month: 10, day: 15)).write(report, to: path)
        let sheet = try #require(try readAll(path).first)
        let texts = Set(sheet.cells.values.compactMap { if case .string(let s) = $0 { return s } else { return nil } })
        for expected in ["UBND TỈNH THỬ", "SỞ CÔNG THƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                         "Biểu số 01/CNNT-KC", "Quý III năm 2025", "TỔNG CỘNG TOÀN TỈNH", "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ",
                         "Thử, ngày 15 tháng 10 năm 2025", "=HYPERLINK(\"x\")"] {
            #expect(texts.contains(expected), "missing \(expected)")
        }
        // Locate the budget column by its header and check each unit and the total.
        let header = try #require(sheet.cells.first { $0.value == .string("Tổng kinh phí được duyệt") }?.key)
        let totalRow = try #require(sheet.cells.first { $0.value == .string("TỔNG CỘNG TOÀN TỈNH") }?.key.row)
        #expect(sheet[totalRow - 2, header.column] == .number(800.1))
        #expect(sheet[totalRow - 1, header.column] == .number(1_066.8))
        #expect(sheet[totalRow, header.column] == .number(1_866.9))
        let villages = try #require(sheet.cells.first { $0.value == .string("Tổng số") }?.key)
        #expect(sheet[totalRow, villages.column] == .number(6))
    }
}
