// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import GRDB
import RuralStatCore
import RuralStatTesting
import Testing
@testable import RuralStatStore

@Suite("The submission store")
struct SubmissionStoreTests {
    let dir: String
    let store: SubmissionStore
    let period = Period("2025-Q3")!

    init() throws {
        dir = try temporaryFolder("store")
        store = try SubmissionStore(path: dir + "/db.sqlite")
    }

    func data(unit: String = "U01", labourers: Int64 = 400) -> SubmissionData {
        SubmissionData(unitCode: unit, period: period, schemaID: "ruralstat-quarterly", schemaVersion: 1, facts: [
            Fact(sheet: "cover", row: nil, field: "preparer", value: .text("Trần Thị Bình")),
            Fact(sheet: "cover", row: nil, field: "date_prepared", value: .date(SpreadsheetDate(year: 2025, month: 10, day: 5))),
            Fact(sheet: "villages", row: 0, field: "labourers", value: .integer(labourers)),
            Fact(sheet: "villages", row: 0, field: "recognition", value: .code("CN")),
            Fact(sheet: "villages", row: 0, field: "traditional", value: .bool(true)),
            Fact(sheet: "villages", row: 0, field: "production_value", value: .money(dong: 1_250_500_001)),
            Fact(sheet: "villages", row: 1, field: "export_value", value: .decimal(12.75)),
        ])
    }

    func file(_ sha: String, _ name: String = "bc.xlsx", at seconds: Double = 1_760_000_000) -> ReceivedFile {
        ReceivedFile(sha256: sha, fileName: name, receivedAt: Date(timeIntervalSince1970: seconds), storedPath: dir + "/" + name)
    }

    @Test func keepsEveryFactExactlyAsAccepted() throws {
        try store.accept(data(), file: file("aa"), warnings: [])
        let back = try store.acceptedData(period: period)
        #expect(back.count == 1)
        #expect(Set(back[0].facts) == Set(data().facts))
        #expect(try store.integrityCheck())
    }

    @Test func acceptsResubmissionAndSupersedesEarlierVersion() throws {
        let old = Finding(.warning, rule: "villages.recognition_share", sheet: "Làng nghề", cell: "J6", value: "10",
                          message: LocalizedText(vi: "Chỉ 10%", en: "Only 10%"))
        let new = Finding(.warning, rule: "prev.change", sheet: "Chỉ tiêu", cell: "E5", value: "520",
                          message: LocalizedText(vi: "Tăng hơn 50%", en: "Up more than 50%"))
        let first = try store.accept(data(labourers: 400), file: file("aa", "v1.xlsx"), warnings: [old])
        try store.accept(data(labourers: 520), file: file("bb", "v2.xlsx", at: 1_760_000_100), warnings: [new])
        let counted = try store.acceptedData(period: period)
        #expect(counted.count == 1)
        #expect(counted[0].facts.contains(Fact(sheet: "villages", row: 0, field: "labourers", value: .integer(520))))
        let all = try store.submissions(period: period)
        #expect(all.map(\.status) == [.superseded, .accepted])
        #expect(all[0].id == first)
        #expect(all[1].warningCount == 1)
        // Only the warnings of the version that counts are reported, intact.
        #expect(try store.acceptedWarnings(period: period) == ["U01": [new]])
        let log = try store.auditLog()
        #expect(log.map(\.event) == ["accepted", "superseded", "accepted"])
        #expect(log[1].reason?.contains("v2.xlsx") == true)
    }

    @Test func theSameBytesTwiceAreADuplicateThatChangesNothing() throws {
        try store.accept(data(), file: file("aa"), warnings: [])
        let original = try #require(try store.acceptedSubmission(sha256: "aa"))
        try store.recordDuplicate(file: file("aa", "copy.xlsx"), of: original)
        #expect(try store.acceptedData(period: period).count == 1)
        #expect(try store.submissions(period: period).map(\.status) == [.accepted, .duplicate])
        #expect(try store.acceptedSubmission(sha256: "zz") == nil)
    }

    @Test func rejectionsAreKeptWithTheirReasonAndCountNothing() throws {
        try store.reject(file: file("cc"), unitCode: "U02", period: period, errors: 3, reason: "Cell M6: not a number")
        let all = try store.submissions(period: period)
        #expect(all.count == 1)
        #expect(all[0].status == .rejected)
        #expect(all[0].errorCount == 3)
        #expect(try store.acceptedData(period: period).isEmpty)
    }

    @Test func survivesReopeningTheFile() throws {
        try store.accept(data(unit: "U01"), file: file("aa"), warnings: [])
        try store.accept(data(unit: "U02"), file: file("bb"), warnings: [])
        let reopened = try SubmissionStore(path: dir + "/db.sqlite")
        #expect(try reopened.acceptedData(period: period).map(\.unitCode) == ["U01", "U02"])
        #expect(try reopened.submissions(period: period).first?.receivedAt == Date(timeIntervalSince1970: 1_760_000_000))
    }

    @Test func everyTimeIsWrittenInOneFormatAndOldMailRowsStillRead() throws {
        // Given a mail_log row as versions before one format wrote it (no fractions of a second)
        try store.writer.write { db in
            try db.execute(sql: "INSERT INTO mail_log (kind, key, sent_at) VALUES ('digest', '2025-Q3', '2025-10-10T08:15:00Z')")
        }
        // Then it reads back as that moment
        #expect(try store.lastMail(kind: "digest", key: "2025-Q3") == Date(timeIntervalSince1970: 1_760_084_100))
        // When a message is recorded now, it is written as the submissions' times are, fractions included
        let at = Date(timeIntervalSince1970: 1_760_084_100.25)
        try store.recordMail(kind: "digest", key: "2025-Q3", at: at)
        let text = try store.writer.read { db in
            try String.fetchOne(db, sql: "SELECT sent_at FROM mail_log WHERE kind = 'digest' AND key = '2025-Q3'")
        }
        #expect(text == SubmissionStore.timestamp(at))
        #expect(text == "2025-10-10T08:15:00.250Z")
        #expect(try store.lastMail(kind: "digest", key: "2025-Q3") == at)
    }

    @Test func anApprovalClosesThePeriodAndWhatComesAfterItIsNamed() throws {
        // Given two units' files and an approval of the quarter
        try store.accept(data(unit: "U01"), file: file("aa"), warnings: [])
        try store.accept(data(unit: "U02"), file: file("bb", "u2.xlsx"), warnings: [])
        #expect(try store.changedSinceApproval(period) == nil)
        #expect(try store.nextApprovalVersion(period) == 1)
        let at = Date(timeIntervalSince1970: 1_760_100_000)
        try store.recordApproval(Approval(period: period, version: 1, approvedAt: at, actor: "Trần Văn Duyệt", note: "quý III",
                                          sha256: String(repeating: "a", count: 64), path: dir + "/31-2025-Q3-v1.xlsx",
                                          through: try store.lastSubmissionID(period: period)))
        // Then the period is closed from that moment, nothing has changed since, the next version is 2
        #expect(try store.closedAt(period) == at)
        #expect(try store.changedSinceApproval(period)?.units == [])
        #expect(try store.nextApprovalVersion(period) == 2)
        // When U02 sends again, held as the period is closed
        try store.accept(data(unit: "U02", labourers: 700), file: file("cc", "u2-sua.xlsx", at: 1_760_200_000), warnings: [], held: true)
        // Then U02 is named as changed since the approval, and the audit log has the approval
        #expect(try store.changedSinceApproval(period)?.units == ["U02"])
        #expect(try store.approvals(period).map(\.version) == [1])
        #expect(try store.auditLog().contains { $0.event == "period approved (version 1)" && $0.reason == "quý III" })
    }
}
