// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing

/// The originals are the truth: a store made anew from `archive/` and `rejected/` gives the same
/// figures as the store it replaces, period by period.
@Suite("Rebuilding the store from the originals", .serialized, .tags(.endToEnd))
struct RebuildTests {
    @Test func aRebuiltStoreExportsWhatTheLostOneDid() throws {
        let testSite = try TestSite.demo()
        let dir = testSite.dir, site = testSite.root, config = testSite.config
        let inbox = site + "/var/inbox"
        let fm = FileManager.default
        // Two quarters of a few communes, sent in several passes: files, a resubmission that
        // supersedes, the same bytes again (a duplicate), a refused file.
        func fill(_ unit: String, _ period: String, _ seed: Int, name: String, textInNumber: Bool = false) throws {
            try testSite.fill(unit: unit, period: period, seed: seed, to: dir + "/" + name, textInNumber: textInNumber)
            try fm.moveItem(atPath: dir + "/" + name, toPath: inbox + "/" + name)
        }
        let passes: [[(String, String, Int, String, Bool)]] = [
            [("10525", "2025-Q3", 1, "a.xlsx", false), ("10546", "2025-Q3", 2, "b.xlsx", false), ("10675", "2025-Q3", 3, "c.xlsx", true)],
            [("10525", "2025-Q3", 4, "a-sua.xlsx", false), ("10675", "2025-Q3", 5, "c-sua.xlsx", false), ("10525", "2025-Q4", 6, "a4.xlsx", false)],
            [("10546", "2025-Q4", 7, "b4.xlsx", false), ("10546", "2025-Q4", 8, "b4-lan2.xlsx", false)],
        ]
        for (p, files) in passes.enumerated() {
            for (unit, period, seed, name, bad) in files { try fill(unit, period, seed, name: name, textInNumber: bad) }
            if p == 2 { try fm.copyItem(atPath: inbox + "/b4.xlsx", toPath: inbox + "/b4-ban-sao.xlsx") }
            #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
            Thread.sleep(forTimeInterval: 1.1)   // the next pass arrives in a later second
        }
        let periods = ["2025-Q3", "2025-Q4"]
        func exports() throws -> [String] { try periods.map { try Binary.run(["export", "--period", $0, "--config", config]).stdout } }
        func statuses() throws -> [String] { try periods.map { try Binary.run(["status", "--json", "--period", $0, "--config", config]).stdout } }
        let before = try exports(), statusBefore = try statuses()
        #expect(before.allSatisfy { $0.contains("\"villages.rows\"") })

        // The database is lost.
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: site + "/var/state/ruralstat.sqlite" + suffix) }
        let refused = try Binary.run(["serve", "--once", "--config", config])
        #expect(refused.status == 2 && refused.stderr.contains("archive"), "the daemon does not start on an empty store: \(refused.stderr)")

        let rebuilt = try Binary.run(["rebuild", "--config", config])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.stdout.contains("7 accepted, 1 duplicates, 1 refused"), "\(rebuilt.stdout)")
        #expect(rebuilt.stdout.contains("Lost: plans, programmes and closed periods"))
        let after = try exports()
        for (old, new) in zip(before, after) where old != new {
            let differing = zip(old.split(separator: "\n"), new.split(separator: "\n")).enumerated().filter { $0.element.0 != $0.element.1 }.prefix(3)
            Issue.record("the rebuilt store's figures differ from the lost store's: \(differing.map { "line \($0.offset): \($0.element.0) ≠ \($0.element.1)" })")
        }
        #expect(try statuses() == statusBefore, "who sent what, when, and what was refused")
        #expect(fm.fileExists(atPath: site + "/var/reports/2025-Q4/tong-hop-quy-2025-Q4.xlsx"))
        // And the daemon serves again on it.
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
    }

    /// An original edited after the fact, or gone: rebuild names it and leaves the database as
    /// it was (exit 1); with --accept-losses it installs and says which figures changed.
    @Test func rebuildIsExactOrSaysWhyNot() throws {
        let site = try TestSite.demo(.settleSeconds(0))
        for (i, unit) in ["10525", "10546", "10675"].enumerated() {
            try site.fill(unit: unit, seed: 100 + i, to: site.inbox + "/\(unit).xlsx")
        }
        #expect(try Binary.run(["serve", "--once", "--config", site.config]).status == 0)
        let fm = FileManager.default
        let archive = site.root + "/var/archive"
        let originals = try fm.subpathsOfDirectory(atPath: archive).filter { $0.hasSuffix(".xlsx") }.sorted()
        let edited = try #require(originals.first { $0.hasSuffix("-10525.xlsx") })
        let export = { try Binary.run(["export", "--period", "2025-Q3", "--config", site.config]).stdout }
        let before = try export()

        // A million more in one village's production value, under the same name.
        let path = archive + "/" + edited
        let changed = try Binary.python("edit_cells.py", [path, path + ".tmp", "Làng nghề!N6=1000000"])
        #expect(changed.status == 0, "\(changed.stderr)")
        try fm.removeItem(atPath: path)
        try fm.moveItem(atPath: path + ".tmp", toPath: path)
        let refused = try Binary.run(["rebuild", "--config", site.config])
        #expect(refused.status == 1 && refused.stderr.contains("altered: \(path)") && refused.stderr.contains("would change: 2025-Q3"),
                "\(refused.status) \(refused.stderr)")
        #expect(try export() == before, "the database is unchanged")

        // One original gone as well.
        let gone = try #require(originals.first { $0.hasSuffix("-10546.xlsx") })
        try fm.removeItem(atPath: archive + "/" + gone)
        let missing = try Binary.run(["rebuild", "--config", site.config])
        #expect(missing.status == 1 && missing.stderr.contains("missing: \(archive)/\(gone)"), "\(missing.stderr)")

        // Accepted as lost: installed, and the figures that change are said.
        let accepted = try Binary.run(["rebuild", "--accept-losses", "--config", site.config])
        #expect(accepted.status == 0 && accepted.stdout.contains("changed: 2025-Q3 villages.rows:"), "\(accepted.stdout) \(accepted.stderr)")
        let status = try json(Binary.run(["status", "--json", "--period", "2025-Q3", "--config", site.config]).stdout) as? [String: Any]
        let reported = (status?["units"] as? [[String: Any]])?.filter { $0["received_at"] as? String != nil }.compactMap { $0["code"] as? String }
        #expect(reported == ["10675"], "only the untouched original counts: \(String(describing: reported))")
    }

    /// What depended on where and when a file arrived comes back the same: a file with another
    /// unit's cover in a unit's folder is refused under the folder's unit again, and of two files
    /// of one unit, the second received under a clock set back an hour still counts.
    @Test func rebuildKeepsTheFolderAndTheOrderTheDaemonSaw() throws {
        let site = try TestSite.demo(.settleSeconds(0), .unitFolders)
        let fm = FileManager.default
        for unit in ["10525", "10546"] { try fm.createDirectory(atPath: site.inbox + "/" + unit, withIntermediateDirectories: true) }
        try site.fill(unit: "10546", seed: 140, to: site.inbox + "/10525/nham.xlsx")
        try site.fill(unit: "10546", seed: 141, to: site.inbox + "/10546/lan-1.xlsx")
        #expect(try Binary.run(["serve", "--once", "--config", site.config]).status == 0)
        // The clock stepped back an hour before the second file of 10546.
        try site.fill(unit: "10546", seed: 142, to: site.inbox + "/10546/lan-2.xlsx")
        let earlier = Date().addingTimeInterval(-3_600)
        let stamp = ISO8601DateFormatter.string(from: earlier, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime])
        let back = try Binary.run(["-f", "@" + stamp, Binary.path, "serve", "--once", "--config", site.config], executable: "/usr/bin/faketime")
        #expect(back.stderr.contains("accepted lan-2.xlsx"), "\(back.stderr)")
        let archived = try fm.subpathsOfDirectory(atPath: site.root + "/var/archive").map { ($0 as NSString).lastPathComponent }
        let first = try #require(archived.first { $0.hasSuffix("-lan-1.xlsx") }), second = try #require(archived.first { $0.hasSuffix("-lan-2.xlsx") })
        #expect(second < first, "the second file's name carries the earlier time: \(first), \(second)")
        let export = { try Binary.run(["export", "--period", "2025-Q3", "--config", site.config]).stdout }
        let status = { try Binary.run(["status", "--json", "--period", "2025-Q3", "--config", site.config]).stdout }
        let before = try export(), statusBefore = try status()
        #expect(statusBefore.contains("\"10525\"") && statusBefore.contains("\"rejected\""))

        let rebuilt = try Binary.run(["rebuild", "--config", site.config])
        #expect(rebuilt.status == 0, "\(rebuilt.stdout) \(rebuilt.stderr)")
        #expect(try export() == before, "the second file still counts")
        #expect(try status() == statusBefore, "the refusal is 10525's again, not 10546's")
    }
}
