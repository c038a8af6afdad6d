// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatConfig
import RuralStatFiles
import RuralStatPublishing
import RuralStatStore
import RuralStatTesting
import Testing
@testable import RuralStatAdmin

@Suite("Backups, restores and the health check, in process")
struct AdminTests {
    /// A workspace with `count` files accepted into the store and the archive, as the daemon
    /// keeps them, and the period published.
    func site(files count: Int, name: String = #function) throws -> (Workspace, SubmissionStore) {
        let ws = try Workspace(name: name)
        let store = try SubmissionStore(path: ws.config.paths.database)
        for unit in ws.units.prefix(count) { try ws.accept(try ws.drop(unit), store: store) }
        try ReportPublisher(query: PeriodQuery(config: ws.config, definitions: ws.definitions, store: store), folder: ws.config.paths.reports).publish(ws.period)
        return (ws, store)
    }

    @Test func eachCopyTakenWhileAWriterRecordsIsTheStoreAtOneMoment() throws {
        let ws = try Workspace()
        let store = try SubmissionStore(path: ws.config.paths.database)
        let writer = Thread {
            for i in 0..<400 {
                // One submission and its audit entry per transaction.
                _ = try? store.reject(file: ReceivedFile(sha256: String(repeating: "a", count: 63) + "\(i % 10)", fileName: "f\(i).xlsx",
                                                         receivedAt: Date(), storedPath: ws.config.paths.rejected + "/f\(i).xlsx"),
                                      unitCode: nil, period: nil, errors: 1, reason: "test")
            }
        }
        writer.start()
        while try store.submissionCount() == 0 { Thread.sleep(forTimeInterval: 0.001) }
        var seen: [Int] = []
        for n in 0..<8 {
            let path = ws.root + "/copy-\(n).sqlite"
            let summary = try store.backup(to: path)
            let copy = try SubmissionStore(path: path)
            // Neither torn nor half a transaction: as many audit entries as submissions, ids 1…N.
            #expect(try copy.submissionCount() == summary.submissions)
            #expect(Int64(summary.submissions) == summary.lastSubmissionID)
            #expect(try copy.auditLog().count == summary.submissions)
            #expect(try copy.integrityProblems().isEmpty)
            #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
            seen.append(summary.submissions)
        }
        while writer.isExecuting || !writer.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        #expect(seen == seen.sorted())
        // Taken while the writer was at work (else this proves less than it says).
        #expect(seen.contains { $0 > 0 && $0 < 400 }, "\(seen)")
        #expect(try store.submissionCount() == 400)
    }

    @Test func aBackupRestoredElsewherePointsAtItsArchiveAndRepublishes() throws {
        let (ws, store) = try site(files: 3)
        #expect(try store.unpublishedPeriods().isEmpty)
        let backup = ws.root + "/backup"
        let manifest = try SiteBackup.write(config: ws.config, into: backup, force: false, version: nil)
        #expect(manifest.store.submissions == 3 && manifest.store.latestPeriod == "2025-Q3")
        #expect(manifest.files.map(\.role).filter { $0 == "report" }.count == ws.definitions.reports.count)
        #expect(throws: BackupError.self) { try SiteBackup.write(config: ws.config, into: backup, force: false, version: nil) }
        #expect(try SiteRestore.verify(backup).files.count == manifest.files.count)

        // Another site, in another folder, with the archive copied over.
        let other = try Workspace()
        try FileManager.default.removeItem(atPath: other.config.paths.archive)
        try FileManager.default.copyItem(atPath: ws.config.paths.archive, toPath: other.config.paths.archive)
        let report = try SiteRestore.restore(from: backup, configPath: other.config.file, withConfig: false, force: false)
        #expect(report.moved == 3)
        let restored = try SubmissionStore(path: other.config.paths.database)
        #expect(try restored.storedOriginals().allSatisfy { $0.storedPath.hasPrefix(other.config.paths.archive + "/") })
        #expect(try restored.unpublishedPeriods() == [ws.period])
        #expect(try restored.auditLog().last?.event == "restored")
        let before = try HealthCheck(config: other.config).run()
        #expect(Set(before.problems.map(\.kind)) == [.reportsStale, .reportMissing])
        try ReportPublisher(query: PeriodQuery(config: other.config, definitions: other.definitions, store: restored), folder: other.config.paths.reports).publish(ws.period)
        let after = try HealthCheck(config: other.config).run()
        #expect(after.ok, "\(after.problems)")

        // Over a store that now holds data: refused, then done with force, the old one kept.
        #expect(throws: BackupError.self) { try SiteRestore.restore(from: backup, configPath: other.config.file, withConfig: false, force: false) }
        let forced = try SiteRestore.restore(from: backup, configPath: other.config.file, withConfig: false, force: true)
        #expect(forced.replaced?.summary?.submissions == 3)
        #expect(FileManager.default.fileExists(atPath: forced.replaced!.keptAt))
    }

    @Test func restoreIsRefusedWhileTheDaemonHoldsTheLock() throws {
        let (ws, _) = try site(files: 1)
        let backup = ws.root + "/backup"
        _ = try SiteBackup.write(config: ws.config, into: backup, force: false, version: "test")
        let lock = try ServiceLock(stateFolder: ws.config.paths.state)
        do {
            _ = try SiteRestore.restore(from: backup, configPath: ws.config.file, withConfig: false, force: true)
            Issue.record("restored under a running daemon")
        } catch let e as BackupError {
            #expect(e.message.contains("is running") && !e.invalid, "\(e)")
        }
        withExtendedLifetime(lock) {}
    }

    @Test func pruneRemovesOnlyTheOlderDatedBackups() throws {
        let root = try temporaryFolder()
        let fm = FileManager.default
        // A manifest as backup writes it: the time it records, the store's newest submission.
        func manifest(_ created: String, last: Int) -> Data {
            Data("""
                {"format": "ruralstat-backup/1", "created_at": "\(created)", "host": "h", "files": [], "copy_besides": [],
                 "source": {"configuration": "", "database": "", "schema": "", "reports": "", "archive": "", "rejected": "", "reports_folder": ""},
                 "store": {"submissions": \(last), "by_status": {}, "last_submission_id": \(last), "periods": 1}}
                """.utf8)
        }
        let dated = [("2026-01-01-023000", 10), ("2026-01-02-023000", 12), ("2026-01-03-023000", 15)]
        for (name, last) in dated + [("2025-12-31-023000-copy", 1), ("keep-me", 1)] {
            try fm.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            try manifest(name, last: last).write(to: URL(fileURLWithPath: root + "/" + name + "/manifest.json"))
        }
        try fm.createDirectory(atPath: root + "/2025-01-01-000000", withIntermediateDirectories: true)   // no manifest: not a backup
        let removed = try SiteBackup.prune(root, keep: 2)
        #expect(removed == [root + "/2026-01-01-023000"])
        #expect(try fm.contentsOfDirectory(atPath: root).sorted() == ["2025-01-01-000000", "2025-12-31-023000-copy", "2026-01-02-023000", "2026-01-03-023000", "keep-me"])
        // Made with the clock set back: named 2020, yet the newest by its store; kept, and counted.
        try fm.createDirectory(atPath: root + "/2020-01-01-000000", withIntermediateDirectories: true)
        try manifest("2020-01-01-000000", last: 16).write(to: URL(fileURLWithPath: root + "/2020-01-01-000000/manifest.json"))
        #expect(try SiteBackup.prune(root, keep: 2, justMade: root + "/2020-01-01-000000") == [root + "/2026-01-02-023000"])
        #expect(SiteBackup.datedName(Date(timeIntervalSince1970: 0)) == "1970-01-01-000000")
    }
}
