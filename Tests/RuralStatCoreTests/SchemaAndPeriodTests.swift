// SPDX-License-Identifier: Apache-2.0
import CellModel
import Testing
@testable import RuralStatCore

@Suite("Periods and the schema")
struct SchemaAndPeriodTests {
    @Test(arguments: [("2025-Q3", 2025, 3), ("2024-q1", 2024, 1), ("1999-Q4", 1999, 4)])
    func parsesPeriods(_ text: String, _ year: Int, _ quarter: Int) {
        let p = Period(text)
        #expect(p?.year == year)
        #expect(p?.quarter == quarter)
    }

    @Test(arguments: ["2025-Q5", "2025-Q0", "25-Q1", "2025Q1", "2025-3", ""])
    func refusesMalformedPeriods(_ text: String) {
        #expect(Period(text) == nil)
    }

    @Test func quarterDaysAndVietnamTime() {
        #expect(Period("2024-Q1")!.lastDay == SpreadsheetDate(year: 2024, month: 3, day: 31))
        #expect(Period("2025-Q4")!.firstDay == SpreadsheetDate(year: 2025, month: 10, day: 1))
        #expect(Period("2025-Q4")!.lastDay == SpreadsheetDate(year: 2025, month: 12, day: 31))
        // 2025-09-30 17:30 UTC is already 1 October in Hà Nội: the fourth quarter.
        let evening = Date(timeIntervalSince1970: Double(SpreadsheetDate.days(2025, 9, 30)) * 86_400 + 17.5 * 3_600)
        let there = VietnamTime.civil(evening)
        #expect((there.year, there.month, there.day, there.hour, there.minute) == (2025, 10, 1, 0, 30))
        #expect(Period.containing(there) == Period("2025-Q4"))
        #expect(VietnamTime.start(of: SpreadsheetDate(year: 2025, month: 10, day: 1)) == evening.addingTimeInterval(-1_800))
    }

    @Test func periodArithmeticAndVietnameseTitle() {
        let p = Period("2025-Q1")!
        #expect(p.previous == Period("2024-Q4"))
        #expect(p.sameQuarterLastYear == Period("2024-Q1"))
        #expect(Period("2025-Q3")!.quartersToDate.map(\.description) == ["2025-Q1", "2025-Q2", "2025-Q3"])
        #expect(Period("2025-Q3")!.vietnameseTitle == "Quý III năm 2025")
    }

    @Test func theShippedSchemaDescribesTheFourSheets() {
        let s = Fixtures.schema
        #expect(s.sheets.map(\.id) == ["cover", "villages", "projects", "indicators"])
        #expect(s.sheet("villages")?.column("trade_group")?.spec.codes?.count == 7)
        #expect(s.sheet("projects")?.column("activity")?.spec.codes?.count == 9)
        #expect(s.sheet("indicators")?.rows.count == 12)
        #expect(s.rules.map(\.id) == ["indicators.villages_match_sheet", "indicators.establishments_change", "villages.labourers_change"])
        #expect(s.formTag == "ruralstat-quarterly v1")
    }


    @Test func refusesASchemaThatNamesAnUnknownCodeList() {
        let yaml = try! String(contentsOfFile: Fixtures.repoRoot.appendingPathComponent("templates/quarterly-v1.yaml").path, encoding: .utf8)
            .replacingOccurrences(of: "codes: funding_sources", with: "codes: funding")
        #expect(throws: DefinitionError.self) { try FormSchema.load(yaml: yaml, file: "s.yaml") }
        do { _ = try FormSchema.load(yaml: yaml, file: "s.yaml") } catch {
            #expect("\(error)".contains("unknown code list 'funding'"))
        }
    }

    @Test func refusesBrokenYAMLWithItsLine() {
        do {
            _ = try FormSchema.load(yaml: "id: x\nversion: 1\ntitle: {vi: a, en: b\nsheets: []\n", file: "s.yaml")
            Issue.record("a broken schema was accepted")
        } catch let e as DefinitionError {
            #expect(e.line != nil)
            #expect(e.description.hasPrefix("s.yaml:"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func refusesDuplicateIdsAndBadCells() {
        let base = "id: x\nversion: 1\ntitle: {vi: a, en: b}\nsheets:\n  - id: cover\n    name: C\n    kind: fields\n    title: {vi: a, en: b}\n    fields:\n"
        let roles = "      - {id: u, cell: B1, type: text, role: unit_code, label: {vi: a, en: b}}\n      - {id: y, cell: B2, type: integer, role: year, label: {vi: a, en: b}}\n      - {id: q, cell: B3, type: integer, role: quarter, label: {vi: a, en: b}}\n"
        #expect((try? FormSchema.load(yaml: base + roles, file: "s")) != nil)
        #expect(throws: DefinitionError.self) {
            try FormSchema.load(yaml: base + roles + "      - {id: u, cell: B4, type: text, label: {vi: a, en: b}}\n", file: "s")
        }
        #expect(throws: DefinitionError.self) {
            try FormSchema.load(yaml: base + roles + "      - {id: z, cell: 4B, type: text, label: {vi: a, en: b}}\n", file: "s")
        }
    }
}

import Foundation

@Suite("Units over time")
struct UnitValidityTests {
    @Test func onlyUnitsValidInAPeriodAreExpected() {
        let province = Province(name: "T", parentBody: "", issuingBody: "", place: "", units: [
            ReportingUnit(code: "OLD", name: "Huyện cũ", until: Period("2025-Q2")),
            ReportingUnit(code: "NEW", name: "Xã mới", from: Period("2025-Q3")),
            ReportingUnit(code: "KEEP", name: "Thị xã"),
        ])
        #expect(province.asOf(Period("2025-Q2")!).units.map(\.code) == ["OLD", "KEEP"])
        #expect(province.asOf(Period("2025-Q3")!).units.map(\.code) == ["NEW", "KEEP"])
    }
}
