// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 15, items 2 and 3, on the real binary: `backup` while the daemon takes files,
/// `restore` into a fresh folder, and `check` finding each planted problem.
@Suite("Backups that restore and the health check, end to end", .serialized, .tags(.endToEnd))
struct AdminEndToEndTests {
    let fm = FileManager.default

    /// Filled forms, one per (unit, period), by openpyxl from `template`'s blanks; `seed`
    /// changes the figures (a second seed gives each unit a new version to send).
    func forms(_ dir: String, _ config: String, _ wanted: [(unit: String, period: String)], seed: Int) throws -> [String] {
        let blanks = dir + "/blanks-\(seed)", out = dir + "/forms-\(seed)"
        try fm.createDirectory(atPath: blanks, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (unit, period) in wanted {
            let t = try Binary.run(["template", "--period", period, "--unit", unit, "--config", config, "--out", "\(blanks)/\(unit)-\(period).xlsx"])
            #expect(t.status == 0, "\(t.stderr)")
        }
        let py = try Binary.python("fill_forms.py", [dir + "/schema.json", out, dir + "/expected-\(seed).json", String(seed), blanks])
        #expect(py.status == 0, "openpyxl could not fill the forms: \(py.stderr)")
        return wanted.map { "\(out)/bao-cao-\($0.unit)-\($0.period).xlsx" }
    }

    /// Puts a file into the inbox whole (written beside it, then renamed in).
    func drop(_ file: String, as name: String, site: String) throws {
        let staging = site + "/staging"
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try? fm.removeItem(atPath: staging + "/" + name)
        try fm.copyItem(atPath: file, toPath: staging + "/" + name)
        try fm.moveItem(atPath: staging + "/" + name, toPath: site + "/var/inbox/" + name)
    }

    func regularFiles(_ root: String) -> [String] {
        (fm.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter {
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: root + "/" + $0, isDirectory: &isDir) && !isDir.boolValue
        }.map { root + "/" + $0 }.sorted()
    }

    /// `check --json`: whether it passed, and each problem's kind and path.
    func check(_ config: String, _ extra: [String] = []) throws -> (status: Int32, ok: Bool, problems: [(kind: String, path: String)], checked: [String: Any], text: String) {
        let r = try Binary.run(["check", "--json", "--config", config] + extra)
        let doc = try json(r.stdout) as! [String: Any]
        let problems = (doc["problems"] as! [[String: Any]]).map { ($0["kind"] as! String, $0["path"] as! String) }
        return (r.status, doc["ok"] as! Bool, problems, doc["checked"] as! [String: Any], r.stdout)
    }

    /// The daemon in the background, its log in a file.
    final class Daemon {
        let process = Process()
        init(config: String, log: String) throws {
            process.executableURL = URL(fileURLWithPath: Binary.path)
            process.arguments = ["serve", "--config", config]
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: log)
            process.standardOutput = FileHandle.nullDevice
            try process.run()
        }

        /// Waits until the daemon holds the configuration's lock (it writes its PID there once it has it).
        func holdsLock(state: String) -> Bool {
            for _ in 0..<300 {
                if let text = try? String(contentsOfFile: state + "/ruralstat.lock", encoding: .utf8),
                   text.trimmingCharacters(in: .whitespacesAndNewlines) == String(process.processIdentifier) { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }

    /// Waits until `count` files are archived or rejected and (unless `busyAllowed`) nothing is left in the inbox or work/.
    func waitUntilProcessed(_ site: String, count: Int, timeout: Double = 180, busyAllowed: Bool = false) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let done = regularFiles(site + "/var/archive").count + regularFiles(site + "/var/rejected").count
            if done >= count && (busyAllowed || regularFiles(site + "/var/inbox").isEmpty && regularFiles(site + "/var/work").isEmpty) { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    // MARK: check

    @Test func checkPassesOnAHealthySiteAndFindsEachPlantedProblem() throws {
        // A demo province settling at once, its schema as JSON for the form filler.
        let made = try TestSite.demo(.settleSeconds(0))
        let dir = made.dir, config = made.config, site = made.root
        let units = ["10525", "10546", "10675", "10966"]
        let files = try forms(dir, config, units.map { ($0, "2025-Q3") }, seed: 11)
        for (unit, file) in zip(units, files) { try drop(file, as: "bc-\(unit).xlsx", site: site) }
        // One refused file, kept in rejected/: a workbook that is no form.
        try Data("not a workbook".utf8).write(to: URL(fileURLWithPath: site + "/var/inbox/ghi-chu.xlsx"))
        let serve = try Binary.run(["serve", "--once", "--config", config])
        #expect(serve.status == 0, "\(serve.stderr)")

        let healthy = try check(config)
        #expect(healthy.status == 0 && healthy.ok, "\(healthy.text)")
        #expect(healthy.problems.isEmpty)
        #expect(healthy.checked["submissions"] as? Double == 5)
        #expect(healthy.checked["originals_hashed"] as? Double == 5)
        #expect(healthy.checked["archive_files"] as? Double == 4 && healthy.checked["rejected_files"] as? Double == 1)
        #expect(healthy.checked["report_files"] as? Double == 4)
        let text = try Binary.run(["check", "--config", config])
        #expect(text.status == 0 && text.stdout.hasPrefix("ok: 5 submissions"), "\(text.stdout)")

        // Plant one of each problem.
        let archived = regularFiles(site + "/var/archive")
        let removed = archived[0], altered = archived[1]
        try fm.removeItem(atPath: removed)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: altered))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("x".utf8))
        try handle.close()
        let unknown = site + "/var/archive/2025-Q3/10525/20250101-000000-00000000-tu-chep-vao.xlsx"
        try Data("copied in by hand".utf8).write(to: URL(fileURLWithPath: unknown))
        let stuck = site + "/var/work/bc-10606.xlsx"
        try fm.copyItem(atPath: files[0], toPath: stuck)
        let missingReport = site + "/var/reports/2025-Q3/lang-nghe-2025-Q3.xlsx"
        try fm.removeItem(atPath: missingReport)
        // Reports a crash left behind: the store says they reach one submission less than it holds.
        let py = try Binary.run([Python.executable, "-c",
                                 "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('UPDATE publication SET through_submission = through_submission - 1'); c.commit()",
                                 site + "/var/state/ruralstat.sqlite"], executable: "/usr/bin/env")
        #expect(py.status == 0, "\(py.stderr)")

        // A file in work/ for a moment is in hand, not stuck.
        let young = try check(config)
        #expect(!young.problems.contains { $0.kind == "stuck-in-work" }, "\(young.text)")
        let found = try check(config, ["--stuck-after", "0"])
        #expect(found.status == 1 && !found.ok)
        let expected: [(String, String)] = [
            ("original-missing", removed), ("original-altered", altered), ("unknown-file", unknown),
            ("stuck-in-work", stuck), ("report-missing", missingReport), ("reports-stale", site + "/var/reports/2025-Q3"),
        ]
        for (kind, path) in expected {
            #expect(found.problems.contains { $0.kind == kind && $0.path == path }, "\(kind) \(path) not reported: \(found.text)")
        }
        #expect(found.problems.count == expected.count, "\(found.text)")
        // In plain words, one line per problem with its path, and the count.
        let plain = try Binary.run(["check", "--config", config, "--stuck-after", "0"])
        #expect(plain.status == 1)
        let lines = plain.stdout.split(separator: "\n")
        #expect(lines.count == expected.count + 1 && lines.last?.hasPrefix("6 problem(s)") == true, "\(plain.stdout)")
        for (kind, path) in expected { #expect(lines.contains { $0.hasPrefix("\(kind): \(path): ") }, "\(plain.stdout)") }

    }

    // MARK: restore's refusals

    @Test func restoreRefusesWhileTheDaemonRunsAndOverAStoreWithDataAndADamagedBackup() throws {
        let made = try TestSite.demo(.settleSeconds(0))
        let dir = made.dir, config = made.config, site = made.root, state = site + "/var/state"
        let files = try forms(dir, config, [("10525", "2025-Q3"), ("10546", "2025-Q3")], seed: 21)
        for (i, file) in files.enumerated() { try drop(file, as: "bc-\(i).xlsx", site: site) }
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)

        let backup = dir + "/backup"
        let b = try Binary.run(["backup", "--config", config, backup])
        #expect(b.status == 0, "\(b.stderr)")
        let manifest = try json(String(contentsOfFile: backup + "/manifest.json", encoding: .utf8)) as! [String: Any]
        #expect((manifest["store"] as! [String: Any])["submissions"] as? Int == 2)
        #expect((manifest["store"] as! [String: Any])["latest_period"] as? String == "2025-Q3")
        #expect(Set((manifest["files"] as! [[String: Any]]).map { $0["role"] as! String }) == ["database", "configuration", "schema", "report"])
        // Another backup into the same folder is refused unless --force.
        let again = try Binary.run(["backup", "--config", config, backup])
        #expect(again.status == 2 && again.stderr.contains("not empty"), "\(again.stderr)")
        #expect(try Binary.run(["backup", "--config", config, "--force", backup]).status == 0)

        // While the daemon runs: refused, even with --force, and the store is untouched.
        let daemon = try Daemon(config: config, log: dir + "/daemon.log")
        defer { daemon.stop() }
        #expect(daemon.holdsLock(state: state), "the daemon did not start")
        for force in [false, true] {
            let r = try Binary.run(["restore", "--config", config, backup] + (force ? ["--force"] : []))
            #expect(r.status == 2, "\(r.stdout)")
            #expect(r.stderr.contains("is running") && r.stderr.contains("PID \(daemon.process.processIdentifier)"), "\(r.stderr)")
        }
        daemon.stop()
        #expect(!fm.fileExists(atPath: state + "/ruralstat.sqlite.before-restore") && regularFiles(state).allSatisfy { !$0.contains("before-restore") })

        // A store with data is not replaced unless asked.
        let refused = try Binary.run(["restore", "--config", config, backup])
        #expect(refused.status == 2 && refused.stderr.contains("holds 2 submission(s)") && refused.stderr.contains("--force"), "\(refused.stderr)")
        let forced = try Binary.run(["restore", "--config", config, "--force", backup])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(regularFiles(state).contains { $0.contains("ruralstat.sqlite.before-restore-") }, "the replaced store is kept beside")
        // Restored in place: the daemon republishes, and everything agrees again.
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
        let after = try check(config)
        #expect(after.ok, "\(after.text)")

        // A damaged backup is refused before anything is touched (exit 1).
        let report = regularFiles(backup + "/reports")[0]
        try (try String(contentsOfFile: report, encoding: .utf8) + "\n# changed\n").write(toFile: report, atomically: true, encoding: .utf8)
        let damaged = try Binary.run(["restore", "--config", config, "--force", backup])
        #expect(damaged.status == 1 && damaged.stderr.contains("damaged") && damaged.stderr.contains(report), "\(damaged.stderr)")

        // Dated backups, the newest two kept.
        for _ in 0..<3 {
            #expect(try Binary.run(["backup", "--config", config, "--dated", "--keep", "2", dir + "/dated"]).status == 0)
            Thread.sleep(forTimeInterval: 1.1)
        }
        let dated = try fm.contentsOfDirectory(atPath: dir + "/dated").sorted()
        #expect(dated.count == 2 && dated.allSatisfy { fm.fileExists(atPath: dir + "/dated/" + $0 + "/manifest.json") }, "\(dated)")
        #expect(try Binary.run(["backup", "--config", config, "--keep", "2", dir + "/x"]).status == 2)
    }

    // MARK: a backup while files arrive

    /// The backup is the store at one moment: exactly the submissions up to its newest, as an
    /// independent rewind of the original's final database gives them. Restored into a fresh
    /// folder (with a new path), its export of every period equals the rewound original's, and
    /// `check` finds exactly the files that arrived after the backup, then passes once the
    /// archive holds what it held at that moment.
    @Test func aBackupTakenWhileFilesArriveRestoresTheStoreAsItWasAtThatMoment() throws {
        // A demo province settling at once, its schema as JSON for the form filler.
        let made = try TestSite.demo(.settleSeconds(0))
        let dir = made.dir, config = made.config, site = made.root
        let units = ["10525", "10546", "10675", "10966", "10606", "11311", "11602", "11329"]
        let first = try forms(dir, config, units.map { ($0, "2025-Q3") } + units.prefix(4).map { ($0, "2026-Q3") }, seed: 31)
        // New versions of half the units' forms: they supersede the first ones.
        let second = try forms(dir, config, units.prefix(4).map { ($0, "2025-Q3") } + units.prefix(4).map { ($0, "2026-Q3") }, seed: 32)

        let daemon = try Daemon(config: config, log: dir + "/daemon.log")
        defer { daemon.stop() }
        #expect(daemon.holdsLock(state: site + "/var/state"))
        // The history before: every first version, processed.
        for (i, file) in first.enumerated() { try drop(file, as: "a-\(i).xlsx", site: site) }
        #expect(waitUntilProcessed(site, count: first.count), "the first files were not processed")
        // Then a stream of new versions and a broken file, dropped while the backup is taken.
        var stream = second.enumerated().map { ($0.element, "b-\($0.offset).xlsx") }
        try Data("hỏng".utf8).write(to: URL(fileURLWithPath: dir + "/broken.xlsx"))
        stream.insert((dir + "/broken.xlsx", "hong.xlsx"), at: 3)
        let toDrop = stream
        let dropper = Thread {
            for (file, name) in toDrop {
                try? self.drop(file, as: name, site: site)
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        dropper.start()
        // The backup once the stream has begun to be stored, while more is still to come.
        #expect(waitUntilProcessed(site, count: first.count + 1, busyAllowed: true))
        let backup = dir + "/backup"
        let b = try Binary.run(["backup", "--config", config, backup])
        #expect(b.status == 0, "\(b.stderr)")
        while dropper.isExecuting || !dropper.isFinished { Thread.sleep(forTimeInterval: 0.05) }
        let log = (try? String(contentsOfFile: dir + "/daemon.log", encoding: .utf8)) ?? ""
        #expect(waitUntilProcessed(site, count: first.count + stream.count), "the stream was not processed: \(log)")
        daemon.stop()
        #expect(daemon.process.terminationStatus == 0)
        // The daemon carried on unharmed.
        let original = try check(config)
        #expect(original.ok, "\(original.text)")

        let manifest = try json(String(contentsOfFile: backup + "/manifest.json", encoding: .utf8)) as! [String: Any]
        let store = manifest["store"] as! [String: Any]
        let last = store["last_submission_id"] as! Int
        let total = first.count + stream.count
        // Taken in the middle of the stream (else this test proves less than it says).
        #expect(last > first.count && last < total, "the backup holds \(last) of \(total) submissions")
        #expect(store["submissions"] as? Int == last)

        // The original's final store wound back to the backup's newest submission.
        let rewound = dir + "/rewound"
        try fm.createDirectory(atPath: rewound + "/var/state", withIntermediateDirectories: true)
        for item in ["ruralstat.yaml", "templates", "reports"] { try fm.copyItem(atPath: site + "/" + item, toPath: rewound + "/" + item) }
        let r = try Binary.python("rewind_store.py", [site + "/var/state/ruralstat.sqlite", String(last),
                                                      rewound + "/var/state/ruralstat.sqlite", backup + "/ruralstat.sqlite"])
        #expect(r.status == 0, "\(r.stderr)")
        let rewind = try json(r.stdout) as! [String: Any]
        #expect(rewind["same"] as? Bool == true, "the backup is not the store at one moment: \(r.stdout)")
        let later = rewind["later"] as! [String]
        #expect(later.count == total - last)
        let periods = rewind["periods"] as! [String]
        #expect(Set(periods) == ["2025-Q3", "2026-Q3"])

        // A fresh folder somewhere else: the archive and rejected/ copied (after the backup, as
        // an admin's rsync would), then the backup restored with its configuration.
        let fresh = dir + "/fresh"
        try fm.createDirectory(atPath: fresh + "/var", withIntermediateDirectories: true)
        try fm.copyItem(atPath: site + "/var/archive", toPath: fresh + "/var/archive")
        try fm.copyItem(atPath: site + "/var/rejected", toPath: fresh + "/var/rejected")
        let restored = try Binary.run(["restore", "--config", fresh + "/ruralstat.yaml", "--with-config", backup])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains(site + "/var/archive") && restored.stdout.contains(fresh + "/var/archive"), "\(restored.stdout)")
        #expect(fm.fileExists(atPath: fresh + "/templates/quarterly-v1.yaml") && regularFiles(fresh + "/reports").count == 4)
        #expect(try Binary.run(["serve", "--once", "--config", fresh + "/ruralstat.yaml"]).status == 0)

        for period in periods {
            let want = try Binary.run(["export", "--period", period, "--config", rewound + "/ruralstat.yaml"])
            let got = try Binary.run(["export", "--period", period, "--config", fresh + "/ruralstat.yaml"])
            #expect(want.status == 0 && got.status == 0, "\(want.stderr) \(got.stderr)")
            #expect(got.stdout == want.stdout, "\(period): the restored export differs from the original's at the moment of the backup")
            // …and the stream did change the figures after it.
            let now = try Binary.run(["export", "--period", period, "--config", config])
            if period == "2025-Q3" { #expect(now.stdout != want.stdout || later.isEmpty) }
        }

        // The archive copied after the backup holds the files that came later: check names
        // exactly those, and nothing else is wrong.
        let laterHere = Set(later.map { $0.replacingOccurrences(of: site + "/var/", with: fresh + "/var/") })
        let withLater = try check(fresh + "/ruralstat.yaml")
        #expect(withLater.status == 1)
        #expect(withLater.problems.allSatisfy { $0.kind == "unknown-file" }, "\(withLater.text)")
        #expect(Set(withLater.problems.map(\.path)) == laterHere, "\(withLater.text)")
        // The archive as it was at the moment of the backup: check passes.
        for path in laterHere { try fm.removeItem(atPath: path) }
        let atTheMoment = try check(fresh + "/ruralstat.yaml")
        #expect(atTheMoment.status == 0 && atTheMoment.ok, "\(atTheMoment.text)")
        #expect(atTheMoment.checked["submissions"] as? Double == Double(last))
    }

    /// An edited backup (its manifest recomputed, so it verifies) whose configuration names a
    /// schema path elsewhere: `restore --with-config` writes nothing there, with a configuration
    /// in place and without one.
    @Test func aForgedBackupCannotWriteOutsideTheConfiguredPaths() throws {
        let site = try TestSite.demo(.settleSeconds(0))
        let fm = FileManager.default
        try site.fill(unit: "10525", seed: 61, to: site.inbox + "/10525.xlsx")
        #expect(try Binary.run(["serve", "--once", "--config", site.config]).status == 0)
        let backup = site.dir + "/sao-luu"
        #expect(try Binary.run(["backup", backup, "--config", site.config]).status == 0)
        let target = site.dir + "/ngoai/bi-ghi-de.yaml"
        try fm.createDirectory(atPath: site.dir + "/ngoai", withIntermediateDirectories: true)
        try "giữ nguyên\n".write(toFile: target, atomically: true, encoding: .utf8)
        let forged = try Binary.python("forge_backup.py", [backup, "schema: templates/quarterly-v1.yaml", "schema: \(target)"])
        #expect(forged.status == 0, "\(forged.stderr)")

        // Into the site in place (its store kept aside with --force).
        let inPlace = try Binary.run(["restore", "--config", site.config, "--with-config", "--force", backup])
        #expect(inPlace.status == 2 && inPlace.stderr.contains("configuration in place") && inPlace.stderr.contains(target), "\(inPlace.stderr)")
        // Into a new folder with no configuration.
        let fresh = site.dir + "/moi"
        try fm.createDirectory(atPath: fresh, withIntermediateDirectories: true)
        let elsewhere = try Binary.run(["restore", "--config", fresh + "/ruralstat.yaml", "--with-config", backup])
        #expect(elsewhere.status == 2 && elsewhere.stderr.contains("outside"), "\(elsewhere.stderr)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "giữ nguyên\n", "the file outside was written")
        #expect(!fm.fileExists(atPath: fresh + "/ruralstat.yaml"))
    }

    /// Damaged inputs are findings, exit 1, in the JSON every other finding has: a backup whose
    /// database is damaged though its manifest was made to match, and `check` on a damaged database.
    @Test func aDamagedDatabaseIsAFindingNotAFailure() throws {
        let site = try TestSite.demo(.settleSeconds(0))
        for (i, unit) in ["10525", "10546", "10675"].enumerated() {
            try site.fill(unit: unit, seed: 70 + i, to: site.inbox + "/\(unit).xlsx")
        }
        #expect(try Binary.run(["serve", "--once", "--config", site.config]).status == 0)
        let backup = site.dir + "/sao-luu"
        #expect(try Binary.run(["backup", backup, "--config", site.config]).status == 0)
        #expect(try Binary.python("forge_backup.py", [backup, "--damage-database"]).status == 0)
        let restored = try Binary.run(["restore", "--config", site.config, "--force", backup])
        #expect(restored.status == 1 && restored.stderr.contains("backup's database"), "\(restored.status) \(restored.stderr)")
        // The store in place is untouched by the refused restore; now damage it and ask check.
        #expect(try Binary.run(["check", "--config", site.config]).status != 2)
        #expect(try Binary.python("forge_backup.py", [site.root + "/var/state", "--damage-database"]).status == 0)
        let checked = try Binary.run(["check", "--json", "--config", site.config])
        let problems = (try? json(checked.stdout) as? [String: Any])?["problems"] as? [[String: Any]] ?? []
        #expect(checked.status == 1 && problems.contains { $0["kind"] as? String == "database" }, "\(checked.status) \(checked.stdout) \(checked.stderr)")
    }

    /// The device of `path` (nil when it cannot be told).
    static func device(_ path: String) -> UInt64? {
        (try? FileManager.default.attributesOfFileSystem(forPath: path))?[.systemNumber] as? UInt64
    }

    /// `work/` on another file system than the inbox: refused at start (every claim would fail
    /// with "Invalid cross-device link"), and a reload that would move it there is refused with
    /// the running configuration kept, files still taken.
    @Test(.enabled(if: device("/dev/shm") != nil && device("/dev/shm") != device(FileManager.default.temporaryDirectory.path)))
    func aWorkFolderOnAnotherFileSystemIsRefusedAtStartAndOnReload() throws {
        let site = try TestSite.demo(.settleSeconds(0), .scanIntervalSeconds(1))
        let elsewhere = "/dev/shm/ruralstat-test-work-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let original = try String(contentsOfFile: site.config, encoding: .utf8)
        let moved = original.replacingOccurrences(of: "  root: var ", with: "  root: var\n  work: \(elsewhere)\n  ")
        #expect(moved != original)
        try moved.write(toFile: site.config, atomically: true, encoding: .utf8)
        let refused = try Binary.run(["serve", "--once", "--config", site.config])
        #expect(refused.status == 2 && refused.stderr.contains("rename"), "\(refused.stderr)")

        // Running on the right folders, then reloaded onto the wrong one.
        try original.write(toFile: site.config, atomically: true, encoding: .utf8)
        let daemon = try RunningDaemon(config: site.config, log: site.dir + "/daemon.log")
        try moved.write(toFile: site.config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(daemon.waitFor("reload failed"), "\(daemon.text)")
        try site.fill(unit: "10525", seed: 81, to: site.dir + "/f.xlsx")
        try FileManager.default.moveItem(atPath: site.dir + "/f.xlsx", toPath: site.inbox + "/f.xlsx")
        #expect(daemon.waitFor("accepted f.xlsx"), "files are still taken on the running folders: \(daemon.text)")
        #expect(daemon.stop() == 0)
    }

    /// A reload whose form drops a code the stored figures use is refused, the codes named, the
    /// running form kept; the same form reloads fine.
    @Test func aReloadThatDropsACodeInUseIsRefused() throws {
        let site = try TestSite.demo(.settleSeconds(0), .scanIntervalSeconds(1))
        for (i, unit) in ["10525", "10546", "10675"].enumerated() {
            try site.fill(unit: unit, seed: 90 + i, to: site.inbox + "/\(unit).xlsx")
        }
        #expect(try Binary.run(["serve", "--once", "--config", site.config]).status == 0)
        let export = try json(Binary.run(["export", "--period", "2025-Q3", "--config", site.config]).stdout) as? [String: Any]
        let figures = ((export?["province"] as? [String: Any])?["figures"] as? [String: Any]) ?? [:]
        let used = try #require(figures.keys.compactMap { $0.wholeMatch(of: /villages\.rows\[trade_group=(\d)\]/).map { String($0.1) } }.sorted().first)

        let daemon = try RunningDaemon(config: site.config, log: site.dir + "/daemon.log")
        daemon.signal(SIGHUP)
        #expect(daemon.waitFor("configuration reloaded"), "the same form reloads: \(daemon.text)")
        let schema = site.root + "/templates/quarterly-v1.yaml"
        let original = try String(contentsOfFile: schema, encoding: .utf8)
        // Only the trade group's line (the first of the code lists): the activity types' code of the same digit stays.
        var seen = false
        let edited = original.components(separatedBy: "\n").filter { line in
            guard !seen, line.hasPrefix("    - {code: \"\(used)\", vi: \"") else { return true }
            seen = true
            return false
        }
        #expect(seen)
        try edited.joined(separator: "\n").write(toFile: schema, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(daemon.waitFor("reload failed"), "\(daemon.text)")
        #expect(daemon.text.contains("villages.trade_group: \(used)"), "\(daemon.text)")
        #expect(daemon.stop() == 0)
    }

    /// A reload to a folder the daemon cannot write is refused, the running folders kept. The
    /// daemon runs as `nobody` (root may write anywhere), as the service's own user would.
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func aReloadToAFolderTheDaemonCannotWriteIsRefused() throws {
        let site = try TestSite.demo(.settleSeconds(0), .scanIntervalSeconds(1))
        let closed = site.dir + "/bao-cao-cua-root"
        try FileManager.default.createDirectory(atPath: closed, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: site.root + "/var", withIntermediateDirectories: true)
        #expect(try Binary.run(["-R", "nobody:", site.root], executable: "/bin/chown").status == 0)
        #expect(chmod(site.dir, 0o755) == 0 && chmod(closed, 0o755) == 0)
        let daemon = try RunningDaemon(config: site.config, log: site.dir + "/daemon.log",
                                       wrapper: ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"])
        let original = try String(contentsOfFile: site.config, encoding: .utf8)
        try original.replacingOccurrences(of: "  root: var ", with: "  root: var\n  reports: \(closed)\n  ")
            .write(toFile: site.config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(daemon.waitFor("reload failed") && daemon.text.contains("cannot write \(closed)"), "\(daemon.text)")
        #expect(daemon.stop() == 0)
    }
}
