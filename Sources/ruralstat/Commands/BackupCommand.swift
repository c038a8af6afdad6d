// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RuralStatStore
import RuralStatAdmin
import RuralStatConfig

/// `ruralstat backup [--config FILE] [--dated] [--keep N] [--force] DIR`: a consistent copy of
/// the database taken while the daemon runs, the configuration, schema and report definitions,
/// and `manifest.json` with their SHA-256.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database (while the daemon runs), the configuration and the definitions into DIR, with a manifest.",
        discussion: """
            The database is copied with SQLite's online backup: the copy is the store at one moment, \
            whatever the daemon is doing. The archive and rejected folders are not copied: they never \
            change once written; copy them with your usual tool (rsync -a) after the backup. \
            Exit codes: 0 done, 2 usage or I/O.
            """)

    @Argument(help: "The folder to write (created; it must be empty unless --force). With --dated, the folder to write a dated backup in.")
    var directory: String

    @Flag(help: "Write into DIR/<yyyy-MM-dd-HHmmss> (UTC) instead of DIR itself.")
    var dated = false

    @Option(help: "With --dated: keep only the newest N dated backups in DIR.")
    var keep: Int?

    @Flag(help: "Replace the backup already in DIR.")
    var force = false

    @OptionGroup var options: ConfigOption

    func validate() throws {
        if keep != nil && !dated { throw ValidationError("--keep applies to --dated backups only") }
        if let keep, keep < 1 { throw ValidationError("--keep must be at least 1") }
    }

    func run() throws {
        let config = try options.load()
        let now = Date()
        let parent = URL(fileURLWithPath: directory).standardizedFileURL.path
        let target = dated ? parent + "/" + SiteBackup.datedName(now) : parent
        do {
            let version = RuralStat.configuration.version
            let manifest = try SiteBackup.write(config: config, into: target, force: force,
                                                version: version.isEmpty ? nil : version, now: now)
            let s = manifest.store
            print("Backed up \(config.paths.database) into \(target)")
            print("  \(s.submissions) submission(s), latest period \(s.latestPeriod ?? "none"), newest submission \(s.lastSubmissionID) received \(s.lastReceivedAt ?? "-")")
            print("  \(manifest.files.count) file(s) with their SHA-256 in \(target)/\(BackupManifest.fileName)")
            print("Copy besides (never changed once written; rsync -a adds only what is new):")
            for folder in manifest.copyBesides { print("  \(folder)/") }
            if let keep {
                for removed in try SiteBackup.prune(parent, keep: keep, justMade: target) { print("Removed the older backup \(removed)") }
            }
        } catch {
            throw CommandFailure.config("backup failed: \(error)")
        }
    }
}
