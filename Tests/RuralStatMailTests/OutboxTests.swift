// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RuralStatFiles
import RuralStatTesting
import Testing
@testable import RuralStatMail

/// The outbox on real folders: messages written, sent through a relay that answers as told,
/// moved to `sent/` or `failed/`, or left waiting.
@Suite("The outbox")
struct OutboxTests {
    let outbox: Outbox
    let settings = MailSettings(from: "Sở Công Thương Hải Phòng <ruralstat@soct.test>")
    /// 10 October 2025, 08:15 UTC, and a message every minute after it.
    let start = Date(timeIntervalSince1970: 1_760_084_100)

    init() throws {
        outbox = Outbox(folder: try temporaryFolder("outbox") + "/outbox")
        try outbox.checkWritable()
    }

    /// Writes a message to `to`, the `n`-th minute after `start`.
    @discardableResult
    func write(to: String, _ n: Int, subject: String? = nil) throws -> String {
        try outbox.write(MailMessage(from: settings.from, to: [to], subject: subject ?? "Thư số \(n) gửi \(to)", text: "Nội dung \(n)",
                                     messageID: "m\(n)-\(UUID().uuidString.prefix(8))@ruralstat", date: start.addingTimeInterval(Double(n) * 60)))
    }

    func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func writtenMessagesWaitOldestFirstUnderTheirTime() throws {
        let second = try write(to: "b@x.test", 2)
        let first = try write(to: "a@x.test", 1)
        #expect(outbox.pending() == [first, second])
        #expect((first as NSString).lastPathComponent.hasPrefix("20251010-081600-m1"))
        #expect((first as NSString).lastPathComponent.hasSuffix(".eml"))
        // Whole, and no temporary left beside them.
        #expect(names(outbox.folder) == ["failed", "sent", (first as NSString).lastPathComponent, (second as NSString).lastPathComponent].sorted())
        #expect(Outbox.summary(first).to == ["a@x.test"])
    }

    /// The relay's answer decides where each message goes: taken to `sent/`; refused for good to
    /// `failed/` with the reason beside it; "later" stays, until it has waited too long.
    @Test func eachAnswerOfTheRelayPutsTheMessageWhereItBelongs() throws {
        var settings = self.settings
        settings.giveUpHours = 2
        let sent = try write(to: "ok@x.test", 1), refused = try write(to: "khong-co@x.test", 2), later = try write(to: "sau@x.test", 3)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: sent))
        var handed: [(from: String, to: [String], data: Data)] = []
        let report = outbox.send(settings: settings) { data, from, to in
            handed.append((from, to, data))
            switch to {
            case ["ok@x.test"]: return .sent
            case ["khong-co@x.test"]: return .refused("550 5.1.1 no such user")
            default: return .later("451 4.3.0 try again later")
            }
        }
        #expect(handed.map { $0.to } == [["ok@x.test"], ["khong-co@x.test"], ["sau@x.test"]])
        #expect(handed.allSatisfy { $0.from == "ruralstat@soct.test" })
        #expect(handed.first?.data == bytes)
        #expect(report.sent == [sent])
        #expect(report.tried == [sent, refused, later])
        #expect(names(outbox.sent) == [(sent as NSString).lastPathComponent])
        let failedName = (refused as NSString).lastPathComponent
        #expect(names(outbox.failed) == [failedName, failedName + ".reason"])
        #expect(try String(contentsOfFile: outbox.failed + "/" + failedName + ".reason", encoding: .utf8) == "550 5.1.1 no such user")
        #expect(report.failed.map { $0.path } == [outbox.failed + "/" + failedName] && report.failed.map { $0.why } == ["550 5.1.1 no such user"])
        #expect(outbox.pending() == [later])
        #expect(report.waiting.map { $0.path } == [later] && report.waiting.map { $0.why } == ["451 4.3.0 try again later"])

        // Tried again within the two hours it may wait: still waiting.
        #expect(outbox.send(settings: settings, now: Date().addingTimeInterval(3_600)) { _, _, _ in .later("451 busy") }.waiting.map { $0.path } == [later])
        // After them: given up, with why.
        let late = outbox.send(settings: settings, now: Date().addingTimeInterval(2 * 3_600 + 60)) { _, _, _ in .later("451 busy") }
        #expect(late.waiting.isEmpty && outbox.pending().isEmpty)
        #expect(late.failed.map { $0.why } == ["waited more than 2 hours: 451 busy"])
        #expect(names(outbox.failed).count == 4)
    }

    /// A relay that cannot be reached is asked once, not once per message: the rest wait untried.
    @Test func anUnavailableRelayIsNotAskedForTheRest() throws {
        let paths = try (1...3).map { try write(to: "u\($0)@x.test", $0) }
        var asked = 0
        let report = outbox.send(settings: settings) { _, _, _ in
            asked += 1
            return .unavailable("connection refused")
        }
        #expect(asked == 1)
        #expect(report.sent.isEmpty && report.failed.isEmpty)
        #expect(report.tried == Set(paths))
        #expect(report.waiting.map { $0.path } == paths)
        #expect(report.waiting.map { $0.why } == ["connection refused", "not tried: connection refused", "not tried: connection refused"])
        #expect(outbox.pending() == paths)
        // Those already tried in this run are skipped.
        asked = 0
        _ = outbox.send(settings: settings, skip: Set(paths.prefix(2))) { _, _, _ in asked += 1; return .sent }
        #expect(asked == 1 && outbox.pending() == Array(paths.prefix(2)))
    }

    /// A message that names nobody is refused without asking the relay.
    @Test func aMessageWithoutRecipientsIsRefusedWithoutTheRelay() throws {
        let path = outbox.folder + "/20251010-081500-tay.eml"
        try Data("From: a@x.test\r\nTo: \r\nSubject: x\r\n\r\nbody\r\n".utf8).write(to: URL(fileURLWithPath: path))
        var asked = 0
        let report = outbox.send(settings: settings) { _, _, _ in asked += 1; return .sent }
        #expect(asked == 0)
        #expect(report.failed.map { $0.why } == ["the message names no recipient"])
    }

    /// The admin hears of each failed message once: after `markTold` it is not listed again.
    @Test func failuresAreToldOnceWithTheirRecipientsSubjectAndReason() throws {
        let subject = "[ruralstat] Báo cáo quý III năm 2025 của Phường Hồng Bàng chưa được tiếp nhận — đề nghị gửi lại"
        try write(to: "khong-co@x.test", 1, subject: subject)
        _ = outbox.send(settings: settings) { _, _, _ in .refused("550 no such user") }
        // A failed message put there by hand, its reason unknown.
        try Data("To: tay@x.test\r\nSubject: tay\r\n\r\n".utf8).write(to: URL(fileURLWithPath: outbox.failed + "/20251011-000000-tay.eml"))
        let untold = outbox.untoldFailures()
        #expect(untold.map { $0.to } == [["khong-co@x.test"], ["tay@x.test"]])
        #expect(untold.map { $0.subject } == [subject, "tay"])
        #expect(untold.map { $0.why } == ["550 no such user", "the reason was not recorded"])
        let notice = Outbox.failureNotice(untold, folder: outbox.failed, settings: settings, to: "admin@soct.test", at: start)
        #expect(notice.to == ["admin@soct.test"] && notice.text.contains(subject) && notice.text.contains("550 no such user"))
        try outbox.markTold([untold[0].path])
        #expect(outbox.untoldFailures().map { $0.path } == [untold[1].path])
        #expect(FileManager.default.fileExists(atPath: untold[0].path + ".told"))
        // `list` shows every message with its state.
        #expect(outbox.list().map { $0.state } == ["failed", "failed"])
    }

    /// `summary` reads the recipients and the decoded subject from the head alone.
    @Test func theSummaryReadsRecipientsAndTheDecodedSubject() throws {
        let subject = "Nhắc nộp báo cáo quý III năm 2025: còn 7 ngày nữa là hết hạn nộp — Sở Công Thương thành phố Hải Phòng"
        let path = try outbox.write(MailMessage(from: settings.from, to: ["ubnd@chilinh.test", "ketoan@chilinh.test"], subject: subject,
                                                text: "x", attachments: [.init(fileName: "a.xlsx", contentType: "application/octet-stream",
                                                                               data: Data(count: 100_000))], date: start))
        let summary = Outbox.summary(path)
        #expect(summary.to == ["ubnd@chilinh.test", "ketoan@chilinh.test"])
        #expect(summary.subject == subject)
        #expect(Outbox.summary(outbox.folder + "/none.eml").to.isEmpty)
    }

    @Test func checkWritableMakesItsFoldersAndRefusesOnesItCannotWrite() throws {
        for dir in [outbox.folder, outbox.sent, outbox.failed] {
            var isDir: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) && isDir.boolValue)
        }
        // An outbox where a file stands cannot be made.
        let blocked = outbox.folder + "/../blocked"
        #expect(FileManager.default.createFile(atPath: blocked, contents: Data()))
        #expect(throws: FileError.self) { try Outbox(folder: blocked + "/outbox").checkWritable() }
        // A folder without write permission (root may write anywhere: not checked as root).
        if geteuid() != 0 {
            let readOnly = Outbox(folder: outbox.folder + "/../read-only")
            try readOnly.checkWritable()
            #expect(chmod(readOnly.sent, 0o500) == 0)
            #expect(throws: FileError.self) { try readOnly.checkWritable() }
            _ = chmod(readOnly.sent, 0o700)
        }
    }

    /// One sender at a time: while another holds the outbox's lock, a second `send` sends
    /// nothing and leaves every message waiting.
    @Test func aSecondSenderLeavesEverythingWaitingWhileTheFirstHoldsTheLock() throws {
        let paths = try (1...2).map { try write(to: "u\($0)@x.test", $0) }
        let lock = open(outbox.folder, O_RDONLY | O_DIRECTORY)
        #expect(lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0)
        var asked = 0
        let blocked = outbox.send(settings: settings) { _, _, _ in asked += 1; return .sent }
        #expect(asked == 0)
        #expect(blocked.sent.isEmpty && blocked.tried.isEmpty)
        #expect(blocked.waiting.map { $0.path } == paths)
        #expect(blocked.waiting.allSatisfy { $0.why == "another mail send is sending the outbox now" })
        #expect(outbox.pending() == paths)
        close(lock)
        // Let go: the next sender sends them.
        #expect(outbox.send(settings: settings) { _, _, _ in asked += 1; return .sent }.sent == paths)
        #expect(asked == 2)
    }

    /// What lies in the outbox that the daemon did not write is set aside, never sent: a link
    /// to a message elsewhere, a folder named like a message, a file named otherwise.
    @Test func onlyTheDaemonsOwnMessagesAreSent() throws {
        let mine = try write(to: "ok@x.test", 1)
        let elsewhere = try temporaryFolder() + "/planted.eml"
        try Data("To: victim@x.test\r\nSubject: planted\r\n\r\nhi\r\n".utf8).write(to: URL(fileURLWithPath: elsewhere))
        #expect(symlink(elsewhere, outbox.folder + "/20251010-090000-link.eml") == 0)
        try FileManager.default.createDirectory(atPath: outbox.folder + "/20251010-090100-folder.eml", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: elsewhere, toPath: outbox.folder + "/thu-la.eml")
        var handed: [[String]] = []
        let report = outbox.send(settings: settings) { _, _, to in
            handed.append(to)
            return .sent
        }
        #expect(handed == [["ok@x.test"]], "\(handed)")
        #expect(report.sent == [mine])
        #expect(Set(report.setAside.map { ($0.path as NSString).lastPathComponent }) == ["20251010-090000-link.eml", "20251010-090100-folder.eml", "thu-la.eml"],
                "\(report.setAside)")
        #expect(names(outbox.aside).count == 3 && outbox.pending().isEmpty)
        // The next run has nothing left to stumble on.
        #expect(outbox.send(settings: settings) { _, _, _ in .sent }.setAside.isEmpty)
    }
}
