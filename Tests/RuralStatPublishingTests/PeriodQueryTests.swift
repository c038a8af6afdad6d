// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatConfig
import RuralStatCore
import RuralStatStore
import RuralStatTesting
import Testing
@testable import RuralStatPublishing

@Suite("The quarter from the store")
struct PeriodQueryTests {
    func facts(labourers: Int64, production: Int64) -> [Fact] {
        [Fact(sheet: "villages", row: 0, field: "labourers", value: .integer(labourers)),
         Fact(sheet: "villages", row: 0, field: "production_value", value: .money(dong: production * 1_000_000))]
    }

    func file(_ sha: String, _ at: Date) -> ReceivedFile {
        ReceivedFile(sha256: sha, fileName: sha + ".xlsx", receivedAt: at, storedPath: "/nowhere/" + sha)
    }

    @Test func aResubmissionChangesTheFiguresAndADuplicateChangesNothing() throws {
        let ws = try Workspace()
        let store = try SubmissionStore(path: ws.config.paths.database)
        let query = PeriodQuery(config: ws.config, definitions: ws.definitions, store: store)
        let q3 = Period("2025-Q3")!
        let at = Date(timeIntervalSince1970: 1_760_000_000)
        try store.accept(SubmissionData(unitCode: "11311", period: q3, schemaID: "", schemaVersion: 1, facts: facts(labourers: 100, production: 50)),
                         file: file("a", at), warnings: [])
        func labourers() throws -> Double? {
            try ExportDocument(query: query, period: q3).units.first { $0.code == "11311" }?.figures["villages.labourers"]?.quarter
        }
        #expect(try labourers() == 100)
        let original = try #require(try store.acceptedSubmission(sha256: "a"))
        try store.recordDuplicate(file: file("a", at + 60), of: original)
        #expect(try labourers() == 100)
        try store.accept(SubmissionData(unitCode: "11311", period: q3, schemaID: "", schemaVersion: 1, facts: facts(labourers: 140, production: 70)),
                         file: file("b", at + 120), warnings: [])
        #expect(try labourers() == 140)
        let province = try ExportDocument(query: query, period: q3).province.figures["villages.production_value"]
        #expect(province?.quarter == 70)
    }

    @Test func aMergedUnitsHistoryShowsUnderItsSuccessor() throws {
        let ws = try Workspace()
        let store = try SubmissionStore(path: ws.config.paths.database)
        var query = PeriodQuery(config: ws.config, definitions: ws.definitions, store: store)
        query.successions = [UnitSuccession(from: "11329-CU", to: "11329"), UnitSuccession(from: "GLO-CU", to: "11329", share: 0.5)]
        let at = Date(timeIntervalSince1970: 1_730_000_000)
        for (unit, l, p) in [("11329-CU", 300, 40), ("GLO-CU", 200, 20), ("11329", 50, 5)] {
            try store.accept(SubmissionData(unitCode: unit, period: Period("2024-Q3")!, schemaID: "", schemaVersion: 1,
                                            facts: facts(labourers: Int64(l), production: Int64(p))), file: file(unit, at), warnings: [])
        }
        try store.accept(SubmissionData(unitCode: "11329", period: Period("2025-Q3")!, schemaID: "", schemaVersion: 1,
                                        facts: facts(labourers: 500, production: 60)), file: file("now", at + 3e7), warnings: [])
        let kmo = try #require(try ExportDocument(query: query, period: Period("2025-Q3")!).units.first { $0.code == "11329" })
        let labourers = try #require(kmo.figures["villages.labourers"])
        #expect(labourers.quarter == 500)
        #expect(labourers.sameQuarterLastYear == Double(50 + 300 + 100))   // its own, all of 11329-CU, half of GLO-CU
        #expect(labourers.changePct == 11.11)
        let report = try #require(try query.reports(Period("2025-Q3")!).first)
        #expect(report.sheets.allSatisfy { $0.notes.contains { $0.contains("11329 ← 11329-CU, GLO-CU (50 %)") } })
    }

    @Test func theDeadlineIsTheQuartersEndPlusTheConfiguredDaysVietnamTime() throws {
        let ws = try Workspace()
        let query = PeriodQuery(config: ws.config, definitions: ws.definitions, store: try SubmissionStore(path: ws.config.paths.database))
        let f = ISO8601DateFormatter()
        #expect(f.string(from: query.deadline(Period("2025-Q3")!)) == "2025-10-15T17:00:00Z")   // 16/10 00:00 in Hà Nội
        #expect(f.string(from: query.deadline(Period("2025-Q4")!)) == "2026-01-15T17:00:00Z")
    }
}

@Suite("Multi-year programmes")
struct ProgrammeTests {
    @Test func progressSinceTheProgrammeBeganAgainstItsTarget() throws {
        let ws = try Workspace()
        let store = try SubmissionStore(path: ws.config.paths.database)
        let query = PeriodQuery(config: ws.config, definitions: ws.definitions, store: store)
        var production = 0.0
        var quarter = 0
        for year in 2024...2025 {
            for q in 1...4 where !(year == 2025 && q == 4) {
                quarter += 1
                let facts = [Fact(sheet: "villages", row: 0, field: "labourers", value: .integer(Int64(100 * quarter))),
                             Fact(sheet: "villages", row: 0, field: "production_value", value: .money(dong: Int64(quarter) * 10_500_000))]
                production += Double(quarter) * 10.5
                try store.accept(SubmissionData(unitCode: "11311", period: Period(year: year, quarter: q)!, schemaID: "", schemaVersion: 1, facts: facts),
                                 file: ReceivedFile(sha256: "\(year)\(q)", fileName: "f", receivedAt: Date(timeIntervalSince1970: Double(quarter)), storedPath: "/x"),
                                 warnings: [])
            }
        }
        try store.importProgramme(SubmissionStore.Programme(name: "Khuyến công 2024–2025", fromYear: 2024, toYear: 2025, targets: [
            nil: ["villages.production_value": 400], "11311": ["villages.labourers": 1_000],
        ]), source: "test", at: Date(), actor: "test")
        let doc = try ExportDocument(query: query, period: Period("2025-Q3")!)
        #expect(doc.programme?.name == "Khuyến công 2024–2025")
        let flow = try #require(doc.province.figures["villages.production_value"])
        #expect(flow.programme == 400)
        #expect(flow.programmeToDate == production)                 // every quarter since 2024-Q1
        #expect(flow.programmePct == (production / 400 * 10_000).rounded() / 100)
        let stock = try #require(doc.units.first { $0.code == "11311" }?.figures["villages.labourers"])
        #expect(stock.programmeToDate == 700)                        // the latest quarter
        #expect(stock.programmePct == 70)
        #expect(doc.units.first { $0.code == "11602" }?.figures["villages.labourers"]?.reasons["programme_pct"] == "no annual plan")
    }
}
