// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing

/// The clock is a witness, not a judge: the real binary with its clock moved by `faketime`
/// (one process's clock, through LD_PRELOAD).
@Suite("The clock moved", .serialized, .tags(.endToEnd))
struct ClockTests {
    /// Runs the binary with its clock starting at `start` ("2020-03-01 00:00:00") and running on.
    static func at(_ start: String, _ arguments: [String]) throws -> Binary.Result {
        try Binary.run(["-f", "@" + start, Binary.path] + arguments, executable: "/usr/bin/faketime")
    }

    /// A machine whose clock was set back to 2020 still takes this quarter's valid reports: the
    /// store already holds files for it, so the quarter has come whatever the clock says.
    @Test func aClockSetBackDoesNotRefuseTheQuartersTheStoreHolds() throws {
        let site = try TestSite.demo(.settleSeconds(0))
        try site.fill(unit: "10525", seed: 51, to: site.inbox + "/10525.xlsx")
        #expect(try Binary.run(["serve", "--once", "--config", site.config]).stderr.contains("accepted 10525.xlsx"))
        try site.fill(unit: "10546", seed: 52, to: site.inbox + "/10546.xlsx")
        let back = try Self.at("2020-03-01 00:00:00", ["serve", "--once", "--config", site.config])
        #expect(back.status == 0 && back.stderr.contains("accepted 10546.xlsx"), "\(back.stderr)")
        // A quarter the store has never seen stays refused as not yet come by that clock.
        try site.fill(unit: "10675", period: "2026-Q2", seed: 53, to: site.inbox + "/10675.xlsx")
        let future = try Self.at("2020-03-01 00:00:00", ["serve", "--once", "--config", site.config])
        #expect(future.stderr.contains("rejected 10675.xlsx"), "\(future.stderr)")
    }

    /// `backup --dated --keep 1` with the clock set back: the backup just made (named 2020-…)
    /// is kept, the one before it removed; and a backup is never made inside a runtime folder.
    @Test func keepNeverRemovesTheBackupJustMadeAndBackupsStayOutOfTheRuntimeFolders() throws {
        let site = try TestSite.demo(.settleSeconds(0))
        let fm = FileManager.default
        try site.fill(unit: "10525", seed: 54, to: site.inbox + "/10525.xlsx")
        #expect(try Binary.run(["serve", "--once", "--config", site.config]).status == 0)
        let folder = site.dir + "/sao-luu"
        #expect(try Binary.run(["backup", "--dated", "--keep", "1", folder, "--config", site.config]).status == 0)
        let first = try fm.contentsOfDirectory(atPath: folder)
        let back = try Self.at("2020-03-01 00:00:00", ["backup", "--dated", "--keep", "1", folder, "--config", site.config])
        #expect(back.status == 0, "\(back.stderr)")
        let after = try fm.contentsOfDirectory(atPath: folder)
        #expect(after.count == 1 && after[0].hasPrefix("2020-03-01") && !first.contains(after[0]), "\(first) → \(after)")

        for inside in ["/var/inbox/sao-luu", "/var/archive/x", "/var/reports", "/var/feedback/10525/b"] {
            let refused = try Binary.run(["backup", site.root + inside, "--config", site.config])
            #expect(refused.status == 2 && refused.stderr.contains("inside the"), "\(inside): \(refused.stderr)")
        }
        #expect(!fm.fileExists(atPath: site.root + "/var/inbox/sao-luu"))
        // Through a link to the inbox, too.
        try fm.createSymbolicLink(atPath: site.dir + "/loi-tat", withDestinationPath: site.root + "/var/inbox")
        #expect(try Binary.run(["backup", site.dir + "/loi-tat/b", "--config", site.config]).status == 2)
    }

    /// A clock jumped to 2031 dates nothing: no unit is told it is late for 2030-Q4 and the
    /// managers get no deadline summary, until an admin confirms the clock; then they go out.
    @Test func aClockFarFromTheStoresEvidenceDatesNoMailUntilConfirmed() throws {
        let site = try TestSite.demo(.settleSeconds(0))
        try site.editConfiguration { text in
            text.replacingOccurrences(of: "  - {code: \"10675\", ", with: "  - {code: \"10675\", email: [ubnd@kinhmon.test], ") + """

                mail:
                  smtp: {host: 127.0.0.1, port: 2525, security: none}
                  from: "Sở Công Thương <ruralstat@soct.test>"
                  managers: [lanhdao@soct.test]

                """
        }
        try site.fill(unit: "10525", seed: 55, to: site.inbox + "/10525.xlsx")
        #expect(try Binary.run(["serve", "--once", "--config", site.config]).status == 0)   // the store's evidence: today
        func overdue() throws -> Bool {
            try Binary.run(["mail", "list", "--config", site.config]).stdout.contains("Đã quá hạn nộp báo cáo Quý IV năm 2030")
        }
        let jumped = "2031-01-20 09:00:00"
        let doubted = try Self.at(jumped, ["serve", "--once", "--config", site.config])
        #expect(doubted.status == 0 && doubted.stderr.contains("the clock is doubted"), "\(doubted.stderr)")
        #expect(try !overdue(), "overdue notes written under a doubted clock")
        #expect(try Self.at(jumped, ["clock", "--config", site.config]).status == 1)
        #expect(try Binary.run(["clock", "--config", site.config]).status == 0, "today's clock agrees with the store")
        // The admin confirms: the same clock now dates the mail.
        #expect(try Self.at(jumped, ["clock", "--confirm", "--by", "quản trị", "--config", site.config]).status == 0)
        let confirmed = try Self.at(jumped, ["serve", "--once", "--config", site.config])
        #expect(!confirmed.stderr.contains("the clock is doubted"), "\(confirmed.stderr)")
        let listed = try Binary.run(["mail", "list", "--config", site.config]).stdout
        #expect(try overdue(), "\(listed)")
    }
}
