// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Answers reach the units by mail through a real SMTP server on 127.0.0.1 (aiosmtpd) — with
/// STARTTLS against a certificate of a CA made by the test, and AUTH — and nothing is lost when
/// the server is down.
@Suite("Mail to the units, through a real SMTP server", .serialized, .tags(.endToEnd))
struct MailTests {
    /// The SMTP server as a child process, until `stop()`.
    final class Server {
        let process = Process()
        let folder: String
        init(folder: String, port: Int, tls: Bool, silent: Bool = false) throws {
            self.folder = folder
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            let python = Python.executable
            process.arguments = [python, Repository.path("Tests/EndToEndTests/Support/smtp_server.py"), folder, "\(port)"]
                + (tls ? ["--tls", "vanthu", "mật-khẩu-thử"] : []) + (silent ? ["--silent"] : [])
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
            #expect(line.contains("ready"), "the SMTP server did not start: \(line)")
        }
        /// SIGKILL: a test runner may start children with SIGTERM ignored, and the server holds nothing to save.
        func stop() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    @Test func answersReachTheUnitsOverStartTLSWithAuthAndSurviveADownServer() throws {
        let testSite = try TestSite.demo()
        let dir = testSite.dir, site = testSite.root, config = testSite.config
        let port = Self.freePort()
        let server = try Server(folder: dir + "/received", port: port, tls: true)
        defer { server.stop() }
        try "mật-khẩu-thử\n".write(toFile: dir + "/smtp-password", atomically: true, encoding: .utf8)
        var text = try String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: #"  - {code: "10525", name: "Phường Hải Dương""#, with: #"  - {code: "10525", email: ["vanphong@haiduong.test"], name: "Phường Hải Dương""#)
            .replacingOccurrences(of: #"  - {code: "10546", name: "Phường Chí Linh""#, with: #"  - {code: "10546", email: ["ubnd@chilinh.test", "ketoan@chilinh.test"], name: "Phường Chí Linh""#)
        text += """

            mail:
              smtp: {host: 127.0.0.1, port: \(port), security: starttls, ca_file: \(dir)/received/ca.pem}
              username: vanthu
              password_file: \(dir)/smtp-password
              from: "Sở Công Thương Hải Phòng <ruralstat@soct.test>"
              managers: [lanhdao@soct.test, phongcn@soct.test]

            """
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        func drop(_ unit: String, _ seed: Int, bad: Bool) throws {
            let name = "bao-cao-\(unit)-\(seed).xlsx"
            try testSite.fill(unit: unit, period: "2025-Q4", seed: seed, to: dir + "/" + name, textInNumber: bad)
            try FileManager.default.moveItem(atPath: dir + "/" + name, toPath: site + "/var/inbox/" + name)
        }
        try drop("10525", 1, bad: false)
        try drop("10546", 2, bad: true)
        try drop("10675", 3, bad: false)     // a unit without an address: nothing to mail
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
        #expect(try Binary.run(["mail", "list", "--config", config]).stdout.components(separatedBy: "pending").count - 1 == 3)   // two answers, one digest

        let sent = try Binary.run(["mail", "send", "--config", config])
        #expect(sent.status == 0, "\(sent.stdout)\(sent.stderr)")
        let all = try json(try Binary.python("read_mail.py", [dir + "/received"]).stdout) as! [[String: Any]]
        #expect(all.count == 3)
        // The managers: the period's reports, attached, and who has sent.
        let digest = try #require(all.first { ($0["to"] as? String)?.contains("lanhdao@soct.test") == true })
        #expect(((digest["envelope"] as? [String: Any])?["to"] as? [String])?.sorted() == ["lanhdao@soct.test", "phongcn@soct.test"])
        #expect((digest["subject"] as? String)?.hasPrefix("Báo cáo Quý IV năm 2025 đã cập nhật: 2/114 đơn vị đã nộp") == true, "\(digest["subject"] ?? "")")
        let reports = (digest["attachments"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }.sorted()
        #expect(reports == ["khuyen-cong-2025-Q4.xlsx", "lang-nghe-2025-Q4.xlsx", "tinh-hinh-nop-bao-cao-2025-Q4.xlsx", "tong-hop-quy-2025-Q4.xlsx"])
        #expect((digest["text"] as? String)?.contains("Đơn vị đã nộp: 2/114") == true)
        let mails = all.filter { !(($0["to"] as? String)?.contains("lanhdao@soct.test") ?? false) }
        #expect(mails.count == 2)
        let accepted = try #require(mails.first { ($0["to"] as? String)?.contains("vanphong@haiduong.test") == true })
        let refused = try #require(mails.first { ($0["to"] as? String)?.contains("ubnd@chilinh.test") == true })
        #expect((accepted["subject"] as? String)?.hasPrefix("[10525] Đã tiếp nhận báo cáo Quý IV năm 2025") == true, "\(accepted["subject"] ?? "")")
        #expect((refused["subject"] as? String)?.contains("chưa được tiếp nhận") == true)
        #expect(((refused["envelope"] as? [String: Any])?["to"] as? [String])?.sorted() == ["ketoan@chilinh.test", "ubnd@chilinh.test"])
        #expect((refused["envelope"] as? [String: Any])?["auth"] as? Bool == true)
        #expect((refused["from"] as? String)?.contains("Sở Công Thương Hải Phòng") == true)
        // The feedback workbook, attached as a workbook openpyxl opens, naming the cell to correct.
        let attachment = try #require((refused["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["type"] as? String == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        let cells = (attachment["first_sheet"] as? [[String]] ?? []).flatMap { $0 }
        #expect(cells.contains { $0.hasPrefix("M") && $0.count <= 4 }, "a cell reference in the findings list: \(cells.prefix(40))")
        #expect((refused["text"] as? String)?.contains("lỗi") == true && refused["has_html"] as? Bool == true)
        #expect(mails.allSatisfy { ($0["longest_line"] as? Int ?? 999) <= 998 })
        #expect(try Binary.run(["mail", "list", "--config", config]).stdout.components(separatedBy: "sent").count - 1 >= 2)

        // The server down: send keeps everything and says so; up again, each arrives once.
        server.stop()
        try drop("10525", 4, bad: false)
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
        let down = try Binary.run(["mail", "send", "--config", config])
        #expect(down.status == 1, "\(down.stdout)")
        #expect(try Binary.run(["mail", "list", "--config", config]).stdout.contains("pending"))
        let again = try Server(folder: dir + "/received", port: port, tls: true)
        defer { again.stop() }
        #expect(try Binary.run(["mail", "send", "--config", config]).status == 0)
        let after = try json(try Binary.python("read_mail.py", [dir + "/received"]).stdout) as! [[String: Any]]
        // The new answer, and no second digest within the hour (digest_minutes: 60).
        #expect(after.count == 4, "\(after.map { $0["subject"] ?? "" })")
        #expect(Set(after.compactMap { $0["message_id"] as? String }).count == 4)
    }

    /// The daemon's own clock: reminders to the units with nothing accepted (and none to a unit
    /// that sent), the overdue note and the managers' summary the morning after the deadline,
    /// each once whatever the restarts; the admin's mail of error lines; a digest owed when the
    /// daemon stopped, sent after it starts again. The deadline is placed around today through
    /// `deadline_days`, for a quarter two back, so the test holds on any day of the year.
    @Test func remindersDeadlineNotesAdminMailAndAnOwedDigestRunOnTheDaemonsClock() throws {
        let testSite = try TestSite.demo()
        let dir = testSite.dir, site = testSite.root, config = testSite.config
        let port = Self.freePort()
        let server = try Server(folder: dir + "/received", port: port, tls: false)
        defer { server.stop() }

        // The quarter two back, and how many days after its end lie today (Vietnam time).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3_600)!
        let today = calendar.startOfDay(for: Date())
        let month = calendar.component(.month, from: today), year = calendar.component(.year, from: today)
        let currentStart = calendar.date(from: DateComponents(year: year, month: (month - 1) / 3 * 3 + 1, day: 1))!
        let periodEnd = calendar.date(byAdding: .month, value: -3, to: currentStart)!      // the day after the period's last day
        let periodStart = calendar.date(byAdding: .month, value: -3, to: periodEnd)!
        let pq = (calendar.component(.month, from: periodStart) - 1) / 3 + 1
        let period = "\(calendar.component(.year, from: periodStart))-Q\(pq)"
        let title = "Quý \(["I", "II", "III", "IV"][pq - 1]) năm \(calendar.component(.year, from: periodStart))"
        let daysSinceEnd = calendar.dateComponents([.day], from: periodEnd, to: today).day!

        let base = try String(contentsOfFile: config, encoding: .utf8)
        func configure(deadlineDays: Int, digestMinutes: Int) throws {
            var text = base.replacingOccurrences(of: "deadline_days: 15 ", with: "deadline_days: \(deadlineDays) ")
            for (code, address) in [("10525", "vanphong@haiduong.test"), ("10546", "ubnd@chilinh.test"), ("10675", "ubnd@kinhmon.test")] {
                text = text.replacingOccurrences(of: "  - {code: \"\(code)\", ", with: "  - {code: \"\(code)\", email: [\(address)], ")
            }
            text += """

                mail:
                  smtp: {host: 127.0.0.1, port: \(port), security: none}
                  from: "Sở Công Thương Hải Phòng <ruralstat@soct.test>"
                  managers: [lanhdao@soct.test]
                  admin: quantri@soct.test
                  remind_days_before: [7, 1]
                  digest_minutes: \(digestMinutes)

                """
            try text.write(toFile: config, atomically: true, encoding: .utf8)
        }
        // The deadline six days from now: the 7-day reminder is due (since yesterday 08:00), the 1-day one is not.
        try configure(deadlineDays: daysSinceEnd + 6, digestMinutes: 60)
        var seed = 10
        func drop(_ unit: String, bad: Bool) throws {
            seed += 1
            let name = "bao-cao-\(unit)-\(seed).xlsx"
            try testSite.fill(unit: unit, period: period, seed: seed, to: dir + "/" + name, textInNumber: bad)
            try FileManager.default.moveItem(atPath: dir + "/" + name, toPath: site + "/var/inbox/" + name)
        }
        var seen: Set<String> = []
        /// Sends what is pending and returns the messages that arrived since the last call.
        func deliver() throws -> [[String: Any]] {
            let sent = try Binary.run(["mail", "send", "--config", config])
            #expect(sent.status == 0, "\(sent.stdout)\(sent.stderr)")
            let all = try json(try Binary.python("read_mail.py", [dir + "/received"]).stdout) as! [[String: Any]]
            let new = all.filter { !seen.contains($0["message_id"] as? String ?? "") }
            seen.formUnion(new.compactMap { $0["message_id"] as? String })
            return new
        }
        func to(_ m: [String: Any]) -> [String] { ((m["envelope"] as? [String: Any])?["to"] as? [String]) ?? [] }
        func subject(_ m: [String: Any]) -> String { m["subject"] as? String ?? "" }

        try drop("10525", bad: false)
        try drop("10546", bad: true)
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
        let first = try deliver()
        let reminders = first.filter { subject($0).contains("Nhắc nộp báo cáo") }
        // To the unit that sent nothing and the one whose file was refused; none to the one accepted.
        #expect(reminders.map { to($0) }.sorted { $0[0] < $1[0] } == [["ubnd@chilinh.test"], ["ubnd@kinhmon.test"]], "\(first.map(subject))")
        let kinhMon = try #require(reminders.first { to($0) == ["ubnd@kinhmon.test"] })
        #expect(subject(kinhMon).hasPrefix("[10675] Nhắc nộp báo cáo \(title): còn 7 ngày"), "\(subject(kinhMon))")
        // The unit's blank form for the quarter is attached, its code on the cover.
        let form = (kinhMon["attachments"] as? [[String: Any]])?.first { $0["name"] as? String == "bieu-mau-\(period)-10675.xlsx" }
        let cover = (form?["first_sheet"] as? [[String]])?.flatMap { $0 } ?? []
        #expect(cover.contains("10675") && cover.contains("Phường Kinh Môn"), "\(String(describing: kinhMon["attachments"]))")
        let chiLinh = try #require(reminders.first { to($0) == ["ubnd@chilinh.test"] })
        #expect((chiLinh["text"] as? String)?.contains("Tệp gửi gần nhất chưa được tiếp nhận") == true)
        #expect(chiLinh["has_html"] as? Bool == true)
        #expect(!first.contains { subject($0).contains("Nhắc") && to($0).contains("vanphong@haiduong.test") })
        // A restart the same day reminds no one again.
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
        #expect(try deliver().filter { subject($0).contains("Nhắc nộp") }.isEmpty)

        // The deadline was yesterday: the overdue note to the units still without an accepted
        // file, the summary to the managers; no reminder any more.
        try configure(deadlineDays: daysSinceEnd - 1, digestMinutes: 60)
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
        let second = try deliver()
        let overdue = second.filter { subject($0).contains("Đã quá hạn nộp báo cáo \(title)") }
        #expect(Set(overdue.flatMap { to($0) }) == ["ubnd@chilinh.test", "ubnd@kinhmon.test"], "\(second.map(subject))")
        #expect(!second.contains { subject($0).contains("Nhắc nộp") })
        let summary = try #require(second.first { to($0) == ["lanhdao@soct.test"] && subject($0).hasPrefix("Hết hạn nộp báo cáo \(title)") },
                                   "\(second.map(subject))")
        // 10525's accepted file arrived today, after the deadline now: late, not on time.
        #expect(subject(summary).contains("0/114 đơn vị đúng hạn"), "\(subject(summary))")
        let summaryText = summary["text"] as? String ?? ""
        #expect(summaryText.contains("- Nộp muộn: 1") && summaryText.contains("- Bị trả lại, chưa nộp lại tệp đạt: 1")
                && summaryText.contains("Phường Kinh Môn (10675)"), "\(summaryText)")
        // Once each, whatever the restarts.
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
        #expect(try deliver().isEmpty)

        // A folder the daemon cannot write: the error it logs reaches the admin, once within the hour.
        try FileManager.default.moveItem(atPath: site + "/var/feedback/10525", toPath: dir + "/feedback-10525")
        try "not a folder".write(toFile: site + "/var/feedback/10525", atomically: true, encoding: .utf8)
        try drop("10525", bad: false)
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
        let third = try deliver()
        let admin = try #require(third.first { to($0) == ["quantri@soct.test"] }, "\(third.map(subject))")
        #expect(subject(admin).contains("lỗi cần quản trị xem xét"))
        #expect((admin["text"] as? String)?.contains("feedback/10525") == true, "\(admin["text"] ?? "")")
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
        #expect(try deliver().filter { to($0) == ["quantri@soct.test"] }.isEmpty)

        // The folder back: the held file is finished and the reports change, but the managers
        // were mailed about this period within the hour. The daemon stops owing them a digest;
        // started again an hour later (the recorded time moved back), it sends it.
        try FileManager.default.removeItem(atPath: site + "/var/feedback/10525")
        try FileManager.default.moveItem(atPath: dir + "/feedback-10525", toPath: site + "/var/feedback/10525")
        let database = site + "/var/state/ruralstat.sqlite"
        func sql(_ statement: String) throws -> String {
            let python = Python.executable
            let r = try Binary.run([python, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                + "rows = c.execute(sys.argv[2]).fetchall(); c.commit(); print('\\n'.join('|'.join(map(str, r)) for r in rows))",
                database, statement], executable: "/usr/bin/env")
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try sql("UPDATE mail_log SET sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE kind = 'digest'")
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
        #expect(try sql("SELECT key FROM mail_log WHERE kind = 'digest-due'") == period)
        #expect(try deliver().filter { subject($0).contains("đã cập nhật") }.isEmpty)
        _ = try sql("UPDATE mail_log SET sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-2 hours') WHERE kind = 'digest'")
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
        let owed = try deliver().filter { subject($0).contains("đã cập nhật") }
        #expect(owed.count == 1 && owed.first.map(to) == ["lanhdao@soct.test"], "\(owed.map(subject))")
        #expect(try sql("SELECT count(*) FROM mail_log WHERE kind = 'digest-due'") == "0")
    }

    /// A relay that goes silent after DATA holds one message `timeout_seconds` at most: it is
    /// taken for unavailable, the rest wait without being tried, and a working relay later
    /// delivers them all.
    @Test func aSilentRelayHoldsOneMessageABoundedTimeNotTheOutbox() throws {
        let site = try TestSite.demo(.settleSeconds(0))
        let silentPort = Self.freePort(), port = Self.freePort()
        func configure(_ port: Int) throws {
            var text = try String(contentsOfFile: site.config, encoding: .utf8)
            if let at = text.range(of: "\nmail:\n") { text = String(text[..<at.lowerBound]) + "\n" }
            for code in ["10525", "10546", "10675"] {
                if !text.contains("{code: \"\(code)\", email:") {
                    text = text.replacingOccurrences(of: "  - {code: \"\(code)\", ", with: "  - {code: \"\(code)\", email: [u\(code)@x.test], ")
                }
            }
            text += "\nmail:\n  smtp: {host: 127.0.0.1, port: \(port), security: none}\n  from: \"So <ruralstat@soct.test>\"\n  timeout_seconds: 3\n"
            try text.write(toFile: site.config, atomically: true, encoding: .utf8)
        }
        try configure(silentPort)
        for (i, unit) in ["10525", "10546", "10675"].enumerated() {
            try site.fill(unit: unit, seed: 120 + i, to: site.inbox + "/\(unit).xlsx")
        }
        #expect(try Binary.run(["serve", "--once", "--config", site.config]).status == 0)
        let silent = try Server(folder: site.dir + "/silent", port: silentPort, tls: false, silent: true)
        defer { silent.stop() }
        let started = Date()
        let held = try Binary.run(["mail", "send", "--config", site.config])
        let took = Date().timeIntervalSince(started)
        #expect(held.status == 1 && took < 15, "took \(took) s: \(held.stdout)")
        #expect(held.stdout.components(separatedBy: "not tried").count - 1 == 2, "\(held.stdout)")
        silent.stop()

        try configure(port)
        let server = try Server(folder: site.dir + "/received", port: port, tls: false)
        defer { server.stop() }
        let sent = try Binary.run(["mail", "send", "--config", site.config])
        #expect(sent.status == 0 && sent.stdout.components(separatedBy: "sent    ").count - 1 == 3, "\(sent.stdout) \(sent.stderr)")
    }

    /// An answer due while the outbox cannot be written is kept in the database and written
    /// once the outbox works again, after a restart too: never lost.
    @Test func anAnswerDueWhileTheOutboxIsBrokenIsWrittenOnceItIsMended() throws {
        let site = try TestSite.demo(.settleSeconds(0))
        try site.editConfiguration { text in
            text.replacingOccurrences(of: "  - {code: \"10525\", ", with: "  - {code: \"10525\", email: [u10525@x.test], ")
                + "\nmail:\n  smtp: {host: 127.0.0.1, port: 2525, security: none}\n  from: \"So <ruralstat@soct.test>\"\n"
        }
        let outbox = site.root + "/var/outbox"
        try? FileManager.default.removeItem(atPath: outbox)
        #expect(FileManager.default.createFile(atPath: outbox, contents: Data("not a folder".utf8)))   // the outbox broken
        try site.fill(unit: "10525", seed: 130, to: site.inbox + "/10525.xlsx")
        let broken = try Binary.run(["serve", "--once", "--config", site.config])
        #expect(broken.stderr.contains("kept in the database"), "\(broken.stderr)")
        // Mended; the daemon started again with nothing new in the inbox.
        try FileManager.default.removeItem(atPath: outbox)
        let mended = try Binary.run(["serve", "--once", "--config", site.config])
        #expect(mended.stderr.contains("are in it now"), "\(mended.stderr)")
        let listed = try Binary.run(["mail", "list", "--config", site.config]).stdout
        #expect(listed.contains("pending") && listed.contains("u10525@x.test") && listed.contains("[10525]"), "\(listed)")
        // Once: a further run writes it no more.
        #expect(try !Binary.run(["serve", "--once", "--config", site.config]).stderr.contains("are in it now"))
    }
}
