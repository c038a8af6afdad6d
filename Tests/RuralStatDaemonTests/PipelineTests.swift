// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import Logging
import RuralStatConfig
import RuralStatCore
import RuralStatFiles
import RuralStatPublishing
import RuralStatRender
import RuralStatStore
import RuralStatTesting
import Testing
@testable import RuralStatDaemon

@Suite("The pipeline on real folders")
struct PipelineTests {
    func pipeline(_ ws: Workspace) throws -> (SubmissionPipeline, SubmissionStore) {
        let store = try SubmissionStore(path: ws.config.paths.database)
        return (SubmissionPipeline(config: ws.config, definitions: ws.definitions, store: store, logger: Logger(label: "test")), store)
    }

    func claim(_ ws: Workspace, _ path: String) throws -> ClaimedFile {
        let dest = ws.config.paths.work + "/" + (path as NSString).lastPathComponent
        try DurableFiles.move(path, to: dest)
        return ClaimedFile(workPath: dest, originalName: (path as NSString).lastPathComponent, unitFolder: nil)
    }

    @Test func anAcceptedFileIsStoredArchivedAndAnswered() throws {
        let ws = try Workspace()
        let (p, store) = try pipeline(ws)
        let outcome = try p.process(try claim(ws, try ws.drop(ws.units[0])))
        #expect(outcome.verdict == .accepted)
        #expect(outcome.storedPath.hasPrefix(ws.config.paths.archive + "/2025-Q3/11311/"))
        #expect(FileManager.default.fileExists(atPath: outcome.storedPath))
        #expect(ws.files(ws.config.paths.work).isEmpty)
        let receipt = try String(contentsOfFile: outcome.feedbackPath, encoding: .utf8)
        #expect(receipt.contains("ĐÃ TIẾP NHẬN"))
        #expect(outcome.feedbackPath.hasPrefix(ws.config.paths.feedback + "/11311/"))
        #expect(try store.acceptedData(period: ws.period).map(\.unitCode) == ["11311"])
    }

    @Test func aFileWithTextInANumberCellIsRejectedAndTheFeedbackNamesTheCell() throws {
        let ws = try Workspace()
        let (p, store) = try pipeline(ws)
        let unit = ws.units[3]
        let outcome = try p.process(try claim(ws, try ws.drop(unit, content: ws.invalidContent(unit))))
        #expect(outcome.verdict == .rejected)
        #expect(outcome.storedPath.hasPrefix(ws.config.paths.rejected + "/"))
        let text = try String(contentsOfFile: outcome.feedbackPath, encoding: .utf8)
        #expect(text.contains("Trang tính \"Làng nghề\""))
        #expect(text.contains("Ô M6 (Số lao động)"))
        #expect(text.contains("khoảng 500 người"))
        #expect(try store.acceptedData(period: ws.period).isEmpty)
        #expect(try store.submissions(period: ws.period).map(\.status) == [.rejected])
        // Managers read the open error in status, in Vietnamese.
        let status = try PeriodQuery(config: ws.config, definitions: ws.definitions, store: store).statuses(ws.period)
        #expect(status.first { $0.unit.code == unit.code }?.lastReason?.hasPrefix("Ô ") == true)
    }

    @Test func theSameBytesAgainAreADuplicateAndARevisedFileReplacesTheFirst() throws {
        let ws = try Workspace()
        let (p, store) = try pipeline(ws)
        let unit = ws.units[1]
        let first = try ws.drop(unit, name: "v1.xlsx")
        try FileManager.default.copyItem(atPath: first, toPath: ws.root + "/copy.xlsx")
        #expect(try p.process(try claim(ws, first)).verdict == .accepted)
        #expect(try p.process(try claim(ws, ws.root + "/copy.xlsx")).verdict == .duplicate)
        let revised = try ws.drop(unit, name: "v2.xlsx", content: ws.content(unit, variant: 1))
        #expect(try p.process(try claim(ws, revised)).verdict == .accepted)
        #expect(try store.submissions(period: ws.period).map(\.status) == [.superseded, .duplicate, .accepted])
        #expect(ws.files(ws.config.paths.archive + "/2025-Q3/11602").count == 3)
    }

    @Test func aFileLeftInWorkAfterItWasStoredIsFinishedNotCountedTwice() throws {
        let ws = try Workspace()
        let (p, store) = try pipeline(ws)
        let claimed = try claim(ws, try ws.drop(ws.units[2]))
        // Simulate a crash after the database commit and before the move: store it by hand.
        let outcome = try p.process(claimed)
        try DurableFiles.move(outcome.storedPath, to: claimed.workPath)
        var resumed = claimed
        resumed.resumed = true   // as the next start finds it in work/
        let again = try p.process(resumed)
        #expect(again.verdict == .accepted)
        #expect(again.storedPath == outcome.storedPath)
        #expect(try store.submissions(period: ws.period).map(\.status) == [.accepted])
        #expect(ws.files(ws.config.paths.work).isEmpty)
    }

    /// A kill after the verdict was stored and before the move: the file is back in `work/` and
    /// its record points at an empty place. Run again as found at start, it goes to that place
    /// and nothing new is recorded — for a refused file and a duplicate as for an accepted one.
    @Test func aRefusedFileOrADuplicateLeftInWorkIsFinishedUnderItsRecord() throws {
        let ws = try Workspace()
        let (p, store) = try pipeline(ws)
        let original = try ws.drop(ws.units[3], name: "goc.xlsx")
        try FileManager.default.copyItem(atPath: original, toPath: ws.root + "/ban-sao.xlsx")
        #expect(try p.process(try claim(ws, original)).verdict == .accepted)
        let bad = try ws.drop(ws.units[4], name: "sai.xlsx", content: ws.invalidContent(ws.units[4]))
        for (path, verdict) in [(ws.root + "/ban-sao.xlsx", ProcessOutcome.Verdict.duplicate), (bad, .rejected)] {
            let claimed = try claim(ws, path)
            let first = try p.process(claimed)
            #expect(first.verdict == verdict)
            try DurableFiles.move(first.storedPath, to: claimed.workPath)
            var resumed = claimed
            resumed.resumed = true
            let again = try p.process(resumed)
            #expect(again.verdict == verdict)
            #expect(again.storedPath == first.storedPath)
            #expect(again.feedbackPath == first.feedbackPath)
            #expect(FileManager.default.fileExists(atPath: first.storedPath))
        }
        #expect(try store.submissions(period: ws.period).map(\.status) == [.accepted, .duplicate, .rejected])
        #expect(ws.files(ws.config.paths.work).isEmpty)
        // The same refused bytes sent again later are a new receipt, recorded as such.
        let resent = ws.root + "/sai-lan-2.xlsx"
        try FileManager.default.copyItem(atPath: try #require(try store.submissions(period: ws.period).last?.storedPath), toPath: resent)
        #expect(try p.process(try claim(ws, resent)).verdict == .rejected)
        #expect(try store.submissions(period: ws.period).map(\.status) == [.accepted, .duplicate, .rejected, .rejected])
    }

    @Test func aBigChangeFromLastQuarterIsAcceptedWithAWarningInTheReceipt() throws {
        let ws = try Workspace()
        let (p, store) = try pipeline(ws)
        let unit = ws.units[0]
        // The commune's first quarter, then its next one (it has no quarter before the reform).
        let lastQuarter = ws.root + "/q3.xlsx"
        try ws.writeForm(unit, to: lastQuarter)
        #expect(try p.process(try claim(ws, lastQuarter)).verdict == .accepted)
        var content = ws.content(unit, period: ws.period.next)
        content.indicators["indicators"]!["establishments"] = .number(9_999)
        let next = ws.config.paths.inbox + "/bc-\(unit.code)-q4.xlsx"
        try ws.writeForm(unit, period: ws.period.next, content: content, to: next)
        let outcome = try p.process(try claim(ws, next))
        #expect(outcome.verdict == .accepted)
        #expect(outcome.findings.map(\.rule).contains("indicators.establishments_change"))
        let receipt = try String(contentsOfFile: outcome.feedbackPath, encoding: .utf8)
        #expect(receipt.contains("[CẢNH BÁO]"))
        #expect(receipt.contains("9999"))
        let warnings = outcome.findings.filter { $0.severity == .warning }.count
        #expect(warnings >= 1)
        #expect(try store.submissions(period: ws.period.next).first?.warningCount == warnings)
    }

    @Test func aClosedPeriodHoldsNewFilesUntilItIsOpenedAgain() throws {
        let ws = try Workspace()
        let (p, store) = try pipeline(ws)
        let unit = ws.units[0]
        #expect(try p.process(try claim(ws, try ws.drop(unit, name: "v1.xlsx"))).verdict == .accepted)
        try store.close(ws.period, at: Date(), actor: "test")
        let revised = ws.content(unit, variant: 3)
        let outcome = try p.process(try claim(ws, try ws.drop(unit, name: "v2.xlsx", content: revised)))
        #expect(outcome.verdict == .held)
        #expect(try String(contentsOfFile: outcome.feedbackPath, encoding: .utf8).contains("TẠM GIỮ"))
        let query = PeriodQuery(config: ws.config, definitions: ws.definitions, store: store)
        #expect(try query.statuses(ws.period).first?.held == 1)
        let before = try store.acceptedData(period: ws.period).first?.facts
        #expect(try store.open(ws.period, at: Date(), actor: "test") == 1)
        let after = try store.acceptedData(period: ws.period).first?.facts
        #expect(before != after)
        #expect(try store.submissions(period: ws.period).map(\.status) == [.superseded, .accepted])
        #expect(try store.auditLog().map(\.event).contains("period closed"))
    }

    @Test func anotherUnitsFileInAUnitFolderIsRejected() throws {
        let ws = try Workspace(unitFolders: true)
        let (p, _) = try pipeline(ws)
        let folder = ws.config.paths.inbox + "/11311"
        try DurableFiles.makeDirectory(folder)
        let path = try ws.drop(ws.units[5], into: folder)
        let dest = ws.config.paths.work + "/11311/" + (path as NSString).lastPathComponent
        try DurableFiles.move(path, to: dest)
        let outcome = try p.process(ClaimedFile(workPath: dest, originalName: "x.xlsx", unitFolder: "11311"))
        #expect(outcome.verdict == .rejected)
        #expect(outcome.findings.contains { $0.rule == "cover.unit_mismatch" })
    }

    /// Another unit's accepted file, byte for byte, dropped in a unit's folder: refused for its
    /// cover and answered in this unit's folder, not taken for the other unit's duplicate.
    @Test func anotherUnitsAcceptedFileInAUnitFolderIsRefusedThere() throws {
        let ws = try Workspace(unitFolders: true)
        let (p, store) = try pipeline(ws)
        let mine = ws.config.paths.work + "/11311", theirs = ws.config.paths.work + "/11602"
        try DurableFiles.makeDirectory(mine)
        try DurableFiles.makeDirectory(theirs)
        let original = theirs + "/bc.xlsx"
        try ws.writeForm(ws.units[1], to: original)
        let copy = mine + "/bc.xlsx"
        try FileManager.default.copyItem(atPath: original, toPath: copy)
        #expect(try p.process(ClaimedFile(workPath: original, originalName: "bc.xlsx", unitFolder: ws.units[1].code)).verdict == .accepted)
        let outcome = try p.process(ClaimedFile(workPath: copy, originalName: "bc.xlsx", unitFolder: "11311"))
        #expect(outcome.verdict == .rejected && outcome.findings.contains { $0.rule == "cover.unit_mismatch" }, "\(outcome.verdict)")
        #expect(outcome.answer?.path.hasPrefix(ws.config.paths.feedback + "/11311/") == true, "\(String(describing: outcome.answer?.path))")
        #expect(try store.submissions(period: ws.period).filter { $0.unitCode == "11311" }.map(\.status) == [.rejected])
    }

    @Test func theServiceProcessesTheInboxOncePublishesAndLeavesEveryFileInOnePlace() throws {
        let ws = try Workspace()
        for unit in ws.units.prefix(4) { try ws.drop(unit) }
        try ws.drop(ws.units[4], content: ws.invalidContent(ws.units[4]))
        try Data("không phải bảng tính".utf8).write(to: URL(fileURLWithPath: ws.config.paths.inbox + "/ghi-chu.xlsx"))
        #expect(FileManager.default.createFile(atPath: ws.config.paths.inbox + "/~$bang-khac.xlsx", contents: Data("lock".utf8)))
        let service = try Daemon(config: ws.config, definitions: ws.definitions, logger: Logger(label: "test"))
        try service.run(once: true)
        #expect(ws.files(ws.config.paths.inbox) == ["~$bang-khac.xlsx"])   // an owner file of no workbook here: left alone
        #expect(ws.files(ws.config.paths.work).isEmpty)
        #expect(ws.files(ws.config.paths.archive).count == 4)
        #expect(ws.files(ws.config.paths.rejected).count == 2)
        #expect(ws.files(ws.config.paths.reports) == ["khuyen-cong", "lang-nghe", "tinh-hinh-nop-bao-cao", "tong-hop-quy"].map { "2025-Q3/\($0)-2025-Q3.xlsx" })
        let unreadable = try #require(ws.files(ws.config.paths.feedback + "/_unknown").first)
        let text = try String(contentsOfFile: ws.config.paths.feedback + "/_unknown/" + unreadable, encoding: .utf8)
        #expect(text.contains(".xlsx"))
        let statuses = try PeriodQuery(province: ws.config.province, definitions: ws.definitions, store: service.store).statuses(ws.period)
        #expect(statuses.filter { $0.state == .late }.count == 4)   // 2025-Q3 files sent today are late
        #expect(statuses.filter { $0.state == .rejected }.map(\.unit.code) == ["11383"])
        #expect(statuses.filter { $0.state == .missing }.count == ws.config.province.asOf(ws.period).units.count - 5)
        #expect(try service.store.unpublishedPeriods().isEmpty)
    }

    /// A daemon killed after storing files and before republishing: the next start sees the
    /// period's reports behind its data and publishes them, with nothing in the inbox.
    @Test func reportsBehindTheirDataArePublishedAtTheNextStart() throws {
        let ws = try Workspace()
        let (p, store) = try pipeline(ws)
        for unit in ws.units.prefix(2) { _ = try p.process(try claim(ws, try ws.drop(unit))) }
        #expect(try store.unpublishedPeriods() == [ws.period])
        // An interrupted publication left its temporary file behind (its process, no longer
        // running: no pid is this high); a `ruralstat report` running now (this process) has one too.
        let stale = ws.config.paths.reports + "/2025-Q3/.tong-hop-quy-2025-Q3.xlsx.tmp-\(Int32.max)"
        let live = ws.config.paths.reports + "/2025-Q3/.ban-sao-rieng.xlsx.tmp-\(getpid())"
        try DurableFiles.makeDirectory(ws.config.paths.reports + "/2025-Q3")
        for path in [stale, live] { #expect(FileManager.default.createFile(atPath: path, contents: Data("half".utf8))) }
        try Daemon(config: ws.config, definitions: ws.definitions, logger: Logger(label: "test")).run(once: true)
        #expect(ws.files(ws.config.paths.reports).count == 4)
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: live))
        #expect(try store.unpublishedPeriods().isEmpty)
        // A later file makes the period due again; `report --out` elsewhere does not count, the
        // publisher's own folder does.
        _ = try p.process(try claim(ws, try ws.drop(ws.units[2])))
        #expect(try store.unpublishedPeriods() == [ws.period])
        let query = PeriodQuery(config: ws.config, definitions: ws.definitions, store: store)
        try ReportPublisher(query: query, folder: ws.root + "/copy", recordsPublication: false).publish(ws.period)
        #expect(try store.unpublishedPeriods() == [ws.period])
        try ReportPublisher(query: query, folder: ws.config.paths.reports).publish(ws.period)
        #expect(try store.unpublishedPeriods().isEmpty)
    }
}
