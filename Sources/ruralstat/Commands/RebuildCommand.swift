// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import Logging
import RuralStatCore
import RuralStatStore
import RuralStatAdmin
import RuralStatFiles
import RuralStatPublishing
import RuralStatConfig

/// `ruralstat rebuild --config FILE [--from-backup DB]`: a new store from the originals alone.
struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Make the database anew from archive/ and rejected/, in the order the files arrived, and republish.",
        discussion: """
        Every original is read and checked again as it was when it arrived, and recorded where it \
        lies: the same verdicts, supersessions and figures. Nothing is moved or answered. The \
        database it replaces is kept beside it (ruralstat.sqlite.before-rebuild-<time>). Plans, \
        programmes and closed periods live only in the database: give a backup's copy of it with \
        --from-backup to keep them, otherwise they are reported as lost. Stop the daemon first.
        """)

    @OptionGroup var options: ConfigOption

    @Option(help: "A database file (a backup's copy) to take plans, programmes and closed periods from.")
    var fromBackup: String?

    @Flag(help: "Install the rebuilt database although originals were altered or are missing, and say which figures change.")
    var acceptLosses = false

    func run() throws {
        let config = try options.load()
        let definitions = try loadDefinitions(config)
        let lock = try ServiceLock(stateFolder: config.paths.state)
        defer { withExtendedLifetime(lock) {} }
        let fm = FileManager.default
        let database = config.paths.database
        let building = database + ".rebuilding"
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: building + suffix) }
        var logger = Logger(label: "ruralstat.rebuild")
        logger.logLevel = .warning
        let summary: StoreRebuild.Summary
        var kept: SubmissionStore.AdminState?
        // What the database being replaced knew: each original's record, to check the bytes against.
        let known = fm.fileExists(atPath: database) ? (try? SubmissionStore(path: database).storedOriginals()) ?? [] : []
        var changes: [String] = []
        do {
            let fresh = try SubmissionStore(path: building)
            // First: a file received after its period was closed is held again, as it was.
            if let fromBackup { kept = try fresh.copyAdminState(from: fromBackup) }
            summary = try StoreRebuild(config: config, definitions: definitions, logger: logger).run(into: fresh, known: known)
            if !summary.losses.isEmpty && fm.fileExists(atPath: database) {
                changes = try Self.figureChanges(config, definitions, old: SubmissionStore(path: database), new: fresh)
            }
            try fresh.close()
            try StoreFiles.seal(building)
        } catch {
            throw CommandFailure.config("rebuild failed; the database is unchanged: \(error)")
        }
        if !summary.losses.isEmpty && !acceptLosses {
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: building + suffix) }
            for line in summary.losses { printError(line) }
            for line in changes.prefix(40) { printError("would change: " + line) }
            printError("rebuild would lose what the replaced database counted (\(summary.losses.count) original(s)); the database is unchanged. "
                       + "Put the originals back (from a copy of archive/ and rejected/), or run again with --accept-losses.")
            throw ExitCode(1)
        }
        // What the old store held that the originals cannot give back.
        let lost = fm.fileExists(atPath: database) ? try? SubmissionStore(path: database).adminState() : nil
        let replaced = try StoreFiles.install(building, at: database, keepingOldAs: ".before-rebuild-" + SiteBackup.datedName(Date()))
        let store = try SubmissionStore(path: database)
        let publisher = ReportPublisher(query: PeriodQuery(config: config, definitions: definitions, store: store), folder: config.paths.reports)
        for period in summary.periods.sorted() { try publisher.publish(period) }

        print("Rebuilt \(database) from the originals: \(summary.accepted) accepted, \(summary.duplicates) duplicates, \(summary.rejected) refused; "
              + "reports of \(summary.periods.count) period(s) published again.")
        if let replaced { print("The database it replaces is kept as \(replaced).") }
        for line in summary.disagreements { print("note: " + line) }
        for line in summary.losses { print("lost (--accept-losses): " + line) }
        for line in changes { print("changed: " + line) }
        for path in summary.skipped { print("left out (not named as ruralstat names its originals): " + path) }
        if let kept {
            print("From the backup: \(kept.planTargets) plan target(s), \(kept.programmeTargets) programme target(s), "
                  + "closed periods: \(kept.closedPeriods.isEmpty ? "none" : kept.closedPeriods.joined(separator: ", ")).")
        } else {
            let before = lost.map { " (the replaced database had \($0.planTargets) plan target(s), \($0.programmeTargets) programme target(s), closed periods: \($0.closedPeriods.isEmpty ? "none" : $0.closedPeriods.joined(separator: ", ")))" } ?? ""
            print("Lost: plans, programmes and closed periods live only in the database\(before); import them again "
                  + "(`ruralstat plan import`, `ruralstat period close`) or rebuild with --from-backup.")
        }
    }

    /// Each province figure whose quarter value differs between the replaced store and the
    /// rebuilt one, every period either has figures for: "2025-Q3 villages.labourers: 1200 → 900".
    static func figureChanges(_ config: Configuration, _ definitions: Definitions, old: SubmissionStore, new: SubmissionStore) throws -> [String] {
        let before = PeriodQuery(config: config, definitions: definitions, store: old)
        let after = PeriodQuery(config: config, definitions: definitions, store: new)
        let periods = Set(try old.periodsWithFigures()).union(try new.periodsWithFigures()).sorted()
        var out: [String] = []
        for period in periods {
            let a = try ExportDocument(query: before, period: period).province.figures
            let b = try ExportDocument(query: after, period: period).province.figures
            for id in Set(a.keys).union(b.keys).sorted() where a[id]?.quarter != b[id]?.quarter {
                func text(_ v: Double?) -> String { v.map { String(format: "%.6g", $0) } ?? "none" }
                out.append("\(period) \(id): \(text(a[id]?.quarter)) → \(text(b[id]?.quarter))")
            }
        }
        return out
    }
}
