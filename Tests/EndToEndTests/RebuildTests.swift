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
}
