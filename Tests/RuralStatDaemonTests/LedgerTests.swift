import CellModel
import Foundation
import Logging
import RuralStatCore
import RuralStatRender
import RuralStatStore
import Testing
@testable import RuralStatDaemon
@testable import RuralStatDemo
@testable import RuralStatFiles
@testable import RuralStatPublishing
@testable import RuralStatReading
@testable import RuralStatConfig

@Suite("The quarter from the store")
struct LedgerTests {
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
        let ledger = PeriodLedger(config: ws.config, definitions: ws.definitions, store: store)
        let q3 = Period("2025-Q3")!
        let at = Date(timeIntervalSince1970: 1_760_000_000)
        try store.accept(SubmissionData(unitCode: "11311", period: q3, schemaID: "", schemaVersion: 1, facts: facts(labourers: 100, production: 50)),
                         file: file("a", at), warnings: [])
        func labourers() throws -> Double? {
            try ExportDocument(ledger: ledger, period: q3).units.first { $0.code == "11311" }?.figures["villages.labourers"]?.quarter
        }
        #expect(try labourers() == 100)
        let original = try #require(try store.acceptedSubmission(sha256: "a"))
        try store.recordDuplicate(file: file("a", at + 60), of: original)
        #expect(try labourers() == 100)
        try store.accept(SubmissionData(unitCode: "11311", period: q3, schemaID: "", schemaVersion: 1, facts: facts(labourers: 140, production: 70)),
                         file: file("b", at + 120), warnings: [])
        #expect(try labourers() == 140)
        let province = try ExportDocument(ledger: ledger, period: q3).province.figures["villages.production_value"]
        #expect(province?.quarter == 70)
    }

    @Test func aMergedUnitsHistoryShowsUnderItsSuccessor() throws {
        let ws = try Workspace()
        let store = try SubmissionStore(path: ws.config.paths.database)
        var ledger = PeriodLedger(config: ws.config, definitions: ws.definitions, store: store)
        ledger.successions = [UnitSuccession(from: "11329-CU", to: "11329"), UnitSuccession(from: "GLO-CU", to: "11329", share: 0.5)]
        let at = Date(timeIntervalSince1970: 1_730_000_000)
        for (unit, l, p) in [("11329-CU", 300, 40), ("GLO-CU", 200, 20), ("11329", 50, 5)] {
            try store.accept(SubmissionData(unitCode: unit, period: Period("2024-Q3")!, schemaID: "", schemaVersion: 1,
                                            facts: facts(labourers: Int64(l), production: Int64(p))), file: file(unit, at), warnings: [])
        }
        try store.accept(SubmissionData(unitCode: "11329", period: Period("2025-Q3")!, schemaID: "", schemaVersion: 1,
                                        facts: facts(labourers: 500, production: 60)), file: file("now", at + 3e7), warnings: [])
        let kmo = try #require(try ExportDocument(ledger: ledger, period: Period("2025-Q3")!).units.first { $0.code == "11329" })
        let labourers = try #require(kmo.figures["villages.labourers"])
        #expect(labourers.quarter == 500)
        #expect(labourers.sameQuarterLastYear == Double(50 + 300 + 100))   // its own, all of 11329-CU, half of GLO-CU
        #expect(labourers.changePct == 11.11)
        let report = try #require(try ledger.reports(Period("2025-Q3")!).first)
        #expect(report.sheets.allSatisfy { $0.notes.contains { $0.contains("11329-CU → 11329") && $0.contains("GLO-CU → 11329 (50 %)") } })
    }

    @Test func aClosedPeriodHoldsNewFilesUntilItIsOpenedAgain() throws {
        let ws = try Workspace()
        let store = try SubmissionStore(path: ws.config.paths.database)
        let pipeline = SubmissionPipeline(config: ws.config, definitions: ws.definitions, store: store, logger: Logger(label: "test"))
        let unit = ws.units[0]
        func claim(_ path: String) throws -> ClaimedFile {
            let dest = ws.config.paths.work + "/" + (path as NSString).lastPathComponent
            try DurableFiles.move(path, to: dest)
            return ClaimedFile(workPath: dest, originalName: (path as NSString).lastPathComponent, unitFolder: nil)
        }
        #expect(try pipeline.process(try claim(try ws.drop(unit, name: "v1.xlsx"))).verdict == .accepted)
        try store.close(ws.period, at: Date(), actor: "test")
        let revised = DemoProvince.content(unit: unit, period: ws.period, variant: 3)
        let outcome = try pipeline.process(try claim(try ws.drop(unit, name: "v2.xlsx", content: revised)))
        #expect(outcome.verdict == .held)
        #expect(try String(contentsOfFile: outcome.feedbackPath, encoding: .utf8).contains("TẠM GIỮ"))
        let ledger = PeriodLedger(config: ws.config, definitions: ws.definitions, store: store)
        #expect(try ledger.statuses(ws.period).first?.held == 1)
        let before = try store.acceptedData(period: ws.period).first?.facts
        #expect(try store.open(ws.period, at: Date(), actor: "test") == 1)
        let after = try store.acceptedData(period: ws.period).first?.facts
        #expect(before != after)
        #expect(try store.submissions(period: ws.period).map(\.status) == [.superseded, .accepted])
        #expect(try store.auditLog().map(\.event).contains("period closed"))
    }

    @Test func theDeadlineIsTheQuartersEndPlusTheConfiguredDaysVietnamTime() throws {
        let ws = try Workspace()
        let ledger = PeriodLedger(config: ws.config, definitions: ws.definitions, store: try SubmissionStore(path: ws.config.paths.database))
        let f = ISO8601DateFormatter()
        #expect(f.string(from: ledger.deadline(Period("2025-Q3")!)) == "2025-10-15T17:00:00Z")   // 16/10 00:00 in Hà Nội
        #expect(f.string(from: ledger.deadline(Period("2025-Q4")!)) == "2026-01-15T17:00:00Z")
    }
}

@Suite("Multi-year programmes")
struct ProgrammeTests {
    @Test func progressSinceTheProgrammeBeganAgainstItsTarget() throws {
        let ws = try Workspace()
        let store = try SubmissionStore(path: ws.config.paths.database)
        let ledger = PeriodLedger(config: ws.config, definitions: ws.definitions, store: store)
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
        let doc = try ExportDocument(ledger: ledger, period: Period("2025-Q3")!)
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

    @Test func theOutlierChecksSeeTheUnitsOwnQuartersItsPredecessorsBeforeThemAndItsPeers() throws {
        let ws = try Workspace()
        let store = try SubmissionStore(path: ws.config.paths.database)
        var config = ws.config
        config.successions.append(UnitSuccession(from: "OLD1", to: "11311", share: 0.5))
        let at = Date(timeIntervalSince1970: 1_760_000_000)
        func keep(_ unit: String, _ period: String, _ sha: String, labourers: Int64) throws {
            try store.accept(SubmissionData(unitCode: unit, period: Period(period)!, schemaID: "", schemaVersion: 1,
                                            facts: [Fact(sheet: "villages", row: 0, field: "labourers", value: .integer(labourers))]),
                             file: ReceivedFile(sha256: sha, fileName: sha + ".xlsx", receivedAt: at, storedPath: "/nowhere/" + sha), warnings: [])
        }
        try keep("OLD1", "2025-Q1", "a", labourers: 200)
        try keep("OLD1", "2025-Q2", "b", labourers: 210)
        try keep("11311", "2025-Q3", "c", labourers: 100)
        try keep("11446", "2025-Q4", "d", labourers: 90)
        try keep("11311", "2025-Q4", "e", labourers: 999)   // an earlier file of this very quarter: not its own peer
        let history = StoreHistory(store: store, config: config, schema: ws.definitions.schema)
        let evidence = try #require(history.outliers("11311", Period("2025-Q4")!))
        #expect(evidence.earlier.count == ws.definitions.schema.outliers?.historyQuarters)
        #expect(evidence.earlier[0].map(\.data.unitCode) == ["11311"] && evidence.earlier[0].map(\.share) == [1])
        #expect(evidence.earlier[1].map(\.data.unitCode) == ["OLD1"] && evidence.earlier[1].map(\.share) == [0.5])
        #expect(evidence.earlier[2].map(\.data.period) == [Period("2025-Q1")!])
        #expect(evidence.earlier[3].isEmpty)
        #expect(evidence.peerObservations.map { Array($0.keys) } == ["11446"])
    }
}
