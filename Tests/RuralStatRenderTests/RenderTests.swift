// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import RuralStatCore
import RuralStatTesting
import Testing
import XLSX
@testable import RuralStatRender

@Suite("Forms and reports written to disk and read back")
struct RenderTests {
    static let schema: FormSchema = {
        let path = Repository.path("templates/quarterly-v1.yaml")
        return try! FormSchema.load(yaml: String(contentsOfFile: path, encoding: .utf8), file: path)
    }()
    static let province = Province(name: "Tỉnh Thử", parentBody: "UBND TỈNH THỬ", issuingBody: "SỞ CÔNG THƯƠNG", place: "Thử",
                                   units: [ReportingUnit(code: "U01", name: "Huyện Một"), ReportingUnit(code: "U02", name: "=HYPERLINK(\"x\")")])

    func readAll(_ path: String) throws -> [SheetCells] {
        let reader = try WorkbookReader(path: path)
        return try reader.sheets.map { try reader.cells(of: $0) }
    }

    @Test func theBlankFormIsLaidOutExactlyAsTheSchemaReadsIt() throws {
        let path = try temporaryFolder() + "/blank.xlsx"
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
        let path = try temporaryFolder() + "/filled.xlsx"
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

    /// The shipped report definitions, over two units whose text fields try to become formulas.
    func shippedReports(province: Province = Self.province) throws -> [Report] {
        let catalog = FigureCatalog(schema: Self.schema)
        let period = Period("2025-Q3")!
        func project(_ row: Int, _ code: String, _ name: String, funding: String, budget: Int64, accepted: SpreadsheetDate?) -> [Fact] {
            var facts = [Fact(sheet: "projects", row: row, field: "code", value: .text(code)),
                         Fact(sheet: "projects", row: row, field: "name", value: .text(name)),
                         Fact(sheet: "projects", row: row, field: "activity", value: .code("3")),
                         Fact(sheet: "projects", row: row, field: "funding", value: .code(funding)),
                         Fact(sheet: "projects", row: row, field: "approved_budget", value: .money(dong: budget)),
                         Fact(sheet: "projects", row: row, field: "status", value: .code("NT"))]
            if let accepted { facts.append(Fact(sheet: "projects", row: row, field: "accepted_on", value: .date(accepted))) }
            return facts
        }
        let u01 = SubmissionData(unitCode: "U01", period: period, schemaID: "", schemaVersion: 1, facts:
            project(0, "=SUM(A1:A9)", "+84 đề án", funding: "KCQG", budget: 800_100_000, accepted: SpreadsheetDate(year: 2025, month: 8, day: 14)))
        let u02 = SubmissionData(unitCode: "U02", period: period, schemaID: "", schemaVersion: 1, facts:
            project(0, "-P2", "@đề án", funding: "KCDP", budget: 266_700_000, accepted: nil)
            + project(1, "P3", "Đề án 3", funding: "KCDP", budget: 800_100_000, accepted: nil))
        let tallies = ["U01": catalog.tallies(of: u01), "U02": catalog.tallies(of: u02)]
        let statuses = province.units.map { UnitStatus(unit: $0, state: .accepted, receivedAt: Date(timeIntervalSince1970: 1_760_000_000), errors: 0, lastReason: nil) }
        let inputs = ReportInputs(province: province, period: period, catalog: catalog, statuses: statuses,
                                  deadline: Date(timeIntervalSince1970: 1_761_000_000),
                                  aggregator: QuarterlyAggregator(catalog: catalog, history: [period: tallies]),
                                  submissions: [u01, u02], issuedOn: SpreadsheetDate(year: 2025, month: 10, day: 15))
        let dir = URL(fileURLWithPath: Repository.path("reports"))
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted().map { f in
            let def = try ReportDefinition.load(yaml: String(contentsOfFile: dir.appendingPathComponent(f).path, encoding: .utf8), file: f, catalog: catalog)
            return ReportBuilder(inputs: inputs).build(def)
        }
    }

    @Test func everyShippedReportIsWrittenAsTheOfficialFormAndReadsBackAsBuilt() throws {
        let dir = try temporaryFolder()
        for report in try shippedReports() {
            let path = "\(dir)/\(report.definition.file).xlsx"
            try ReportWriter().write(report, to: path)
            let sheets = try readAll(path)
            #expect(sheets.count == report.sheets.count)
            for (sheet, table) in zip(sheets, report.sheets) {
                let texts = Set(sheet.cells.values.compactMap { if case .string(let s) = $0 { return s } else { return nil } })
                for expected in ["UBND TỈNH THỬ", "SỞ CÔNG THƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                 report.definition.formNumber, "Quý III năm 2025", "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ",
                                 "Thử, ngày 15 tháng 10 năm 2025", table.title.vi.uppercased()] {
                    #expect(texts.contains(expected), "\(table.name): missing \(expected)")
                }
                // The title spans the whole table.
                #expect(sheet.mergedRanges.contains { $0.lowerBound == CellAddress(row: 4, column: 0) && $0.upperBound.column == table.columns.count - 1 },
                        "\(table.name): title not merged across the table")
                // Every row is where the layout puts it, cell for cell: numbers as numbers,
                // empty figures as empty cells, dates as dates, text as text.
                let first = try #require(sheet.cells.first { $0.value == .string(table.columns[0].header) }?.key.row)
                let headerRows = (table.columns.contains { $0.group != nil } ? 2 : 1) + (table.columns.contains { $0.unit != nil } ? 1 : 0) + 1
                for (i, row) in table.rows.enumerated() {
                    for (k, cell) in row.cells.enumerated() {
                        let got = sheet[first + headerRows + i, k]
                        switch cell {
                        case .number(let v?, _): #expect(got == .number(v), "\(table.name) row \(i) column \(k)")
                        case .number(nil, _): #expect(got == nil, "\(table.name) row \(i) column \(k)")
                        case .date(let d): #expect(got == .date(d), "\(table.name) row \(i) column \(k)")
                        case .moment: if case .date? = got {} else { Issue.record("\(table.name) row \(i): a moment is not a date cell: \(String(describing: got))") }
                        case .text(let s):
                            // Section and total labels are merged over the label columns.
                            if row.emphasis == .normal || k == 0 { #expect(got == (s.isEmpty && got == nil ? nil : .string(s)), "\(table.name) row \(i) column \(k)") }
                        }
                    }
                }
            }
        }
    }

    @Test func textThatLooksLikeAFormulaStaysText() throws {
        let report = try #require(try shippedReports().first { $0.definition.id == "promotion-projects" })
        let path = try temporaryFolder() + "/kc.xlsx"
        try ReportWriter().write(report, to: path)
        let list = try readAll(path)[1]
        let texts = list.cells.values.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
        for s in ["=SUM(A1:A9)", "+84 đề án", "-P2", "@đề án", "=HYPERLINK(\"x\")"] { #expect(texts.contains(s), "\(s)") }
        #expect(!list.cells.values.contains { if case .formula = $0 { return true } else { return false } })
    }

    @Test func theSameDataGivesTheSameBytesWhateverTheDay() throws {
        let report = try #require(try shippedReports().first { $0.definition.id == "quarterly-summary" })
        let dir = try temporaryFolder()
        try ReportWriter().write(report, to: dir + "/a.xlsx")
        Thread.sleep(forTimeInterval: 2.1)   // zip entries carry times to 2 s
        try ReportWriter().write(report, to: dir + "/b.xlsx")
        let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.xlsx")), b = try Data(contentsOf: URL(fileURLWithPath: dir + "/b.xlsx"))
        #expect(a == b)
    }
}
