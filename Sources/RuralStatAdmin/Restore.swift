// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatStore
public import RuralStatConfig
import RuralStatFiles
#if canImport(Glibc)
import Glibc
#endif

/// What `ruralstat restore` did.
public struct RestoreReport: Sendable {
    public var manifest: BackupManifest
    /// The configuration the restored store now serves (the one written back, with `--with-config`).
    public var config: Configuration
    /// The store that was replaced, if there was one, and where it was kept.
    public var replaced: (summary: StoreSummary?, keptAt: String)?
    /// Files put back besides the database (configuration, schema, report definitions).
    public var written: [String]
    /// Files that were in the way of those, kept under a `.before-restore-…` name.
    public var keptAside: [String]
    /// Records pointed at the archive and `rejected/` folders of this configuration.
    public var moved: Int
}

/// `ruralstat restore`: a backup's database (and, if asked, its configuration and
/// definitions) put back in place.
public enum SiteRestore {
    /// Reads the manifest and checks every file it lists against its size and SHA-256.
    /// A damaged or incomplete backup is `BackupError(invalid: true)`.
    public static func verify(_ folder: String) throws -> BackupManifest {
        let path = folder + "/" + BackupManifest.fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BackupError("\(path) is missing: \(folder) is not a complete ruralstat backup", invalid: true)
        }
        let manifest: BackupManifest
        do {
            manifest = try JSONDecoder().decode(BackupManifest.self, from: data)
        } catch {
            throw BackupError("\(path) cannot be read: \(error)", invalid: true)
        }
        var problems: [String] = []
        for entry in manifest.files {
            let parts = entry.path.split(separator: "/")
            guard !entry.path.hasPrefix("/"), !parts.contains(".."), !parts.isEmpty else {
                problems.append("\(entry.path): not a path inside the backup")
                continue
            }
            let file = folder + "/" + entry.path
            guard let (sha, size) = try? SiteBackup.hashFile(file) else {
                problems.append("\(file): missing or unreadable")
                continue
            }
            if size != entry.size || sha != entry.sha256 {
                problems.append("\(file): \(size) bytes with SHA-256 \(sha), the manifest says \(entry.size) bytes with \(entry.sha256)")
            }
        }
        if !manifest.files.contains(where: { $0.role == "database" }) { problems.append("the manifest lists no database") }
        guard problems.isEmpty else {
            throw BackupError("the backup in \(folder) is damaged:\n  " + problems.joined(separator: "\n  "), invalid: true)
        }
        return manifest
    }

    /// Puts the backup in `folder` back for the configuration at `configPath` (written back
    /// from the backup first with `withConfig`). Refuses while a daemon holds the
    /// configuration's lock, and when the store in place holds submissions unless `force`.
    /// Nothing is deleted: a store, configuration or definition replaced is kept beside
    /// under `<name>.before-restore-<time>`.
    public static func restore(from folder: String, configPath: String, withConfig: Bool, force: Bool,
                               now: Date = Date()) throws -> RestoreReport {
        let manifest = try verify(folder)
        let configFile = SiteBackup.absolute(configPath)
        let (config, restoredConfigData) = try configuration(manifest, folder: folder, configFile: configFile, withConfig: withConfig)
        try DurableFiles.makeDirectory(config.paths.state)
        let lock = try serviceLock(config)
        defer { withExtendedLifetime(lock) {} }
        let database = config.paths.database
        let existing = try storeInPlace(database, manifest: manifest, force: force)
        var files = Replacement(stamp: SiteBackup.datedName(now))
        if withConfig, let restoredConfigData {
            try files.put(restoredConfigData, at: configFile)
            try putDefinitions(manifest, folder: folder, config: config, into: &files)
        }
        let moved = try installStore(manifest, folder: folder, config: config, now: now)
        let replaced = try StoreFiles.install(config.paths.state + "/.ruralstat.sqlite.restore-\(getpid())", at: database,
                                              keepingOldAs: ".before-restore-" + files.stamp).map { (existing, $0) }
        files.written.append(database)
        return RestoreReport(manifest: manifest, config: config, replaced: replaced, written: files.written, keptAside: files.aside, moved: moved)
    }

    /// The configuration restored into: the backup's own (`withConfig`, parsed as if it were
    /// at `configFile`, with its bytes to write there) or the one in place.
    ///
    /// A restore writes only where the configuration **in place** says: the backup's own
    /// configuration may name any path (a backup is not signed, and an edited one with its
    /// manifest recomputed still verifies), so one whose schema, report definitions or state
    /// folder lie elsewhere than the live configuration's is refused, naming both. Moving a
    /// site to other paths: edit the configuration in place, then restore without `--with-config`.
    private static func configuration(_ manifest: BackupManifest, folder: String, configFile: String,
                                      withConfig: Bool) throws -> (Configuration, Data?) {
        let live: Configuration?
        do {
            live = withConfig && !FileManager.default.fileExists(atPath: configFile) ? nil : try Configuration.load(path: configFile)
        } catch {
            throw BackupError("\(error)")
        }
        guard withConfig else { return (live!, nil) }
        guard let entry = manifest.files.first(where: { $0.role == "configuration" }),
              let data = FileManager.default.contents(atPath: folder + "/" + entry.path) else {
            throw BackupError("the backup in \(folder) holds no configuration", invalid: true)
        }
        let restored: Configuration
        do {
            restored = try Configuration.parse(yaml: String(decoding: data, as: UTF8.self), file: configFile)
        } catch {
            throw BackupError("the backup's configuration does not load: \(error)", invalid: true)
        }
        let written = [("schema", restored.schemaPath), ("reports", restored.reportsPath), ("paths.state", restored.paths.state)]
        if let live {
            let differing = zip(written, [live.schemaPath, live.reportsPath, live.paths.state]).filter { $0.0.1 != $0.1 }
            guard differing.isEmpty else {
                throw BackupError("the backup's configuration puts " + differing.map { "\($0.0.0) at \($0.0.1), the configuration in place at \($0.1)" }
                    .joined(separator: "; ") + ": a restore writes only where the configuration in place says. Edit it to the paths you want, then restore without --with-config.")
            }
        } else {
            // No configuration in place (a new machine): only below the folder it is restored into.
            let home = URL(fileURLWithPath: (configFile as NSString).deletingLastPathComponent).standardizedFileURL.path + "/"
            let outside = written.filter { !URL(fileURLWithPath: $0.1).standardizedFileURL.path.hasPrefix(home) }
            guard outside.isEmpty else {
                throw BackupError("the backup's configuration puts " + outside.map { "\($0.0) at \($0.1)" }.joined(separator: "; ")
                    + ", outside \(home): with no configuration in place a restore writes only below the configuration's folder. "
                    + "Install a configuration naming those paths first, or restore into a folder that holds them.")
            }
        }
        return (restored, data)
    }

    /// The configuration's lock, held for the restore: refused while a daemon runs on it.
    private static func serviceLock(_ config: Configuration) throws -> ServiceLock {
        do {
            return try ServiceLock(stateFolder: config.paths.state)
        } catch let busy as ServiceLock.Busy {
            throw BackupError("the ruralstat daemon\(busy.holder.map { " (PID \($0))" } ?? "") is running on this configuration (it holds \(busy.path)): "
                              + "stop it first (systemctl stop ruralstat), restore, then start it again")
        }
    }

    /// What the store in place holds; refused (unless `force`) when it holds submissions or cannot be read.
    private static func storeInPlace(_ database: String, manifest: BackupManifest, force: Bool) throws -> StoreSummary? {
        guard FileManager.default.fileExists(atPath: database) else { return nil }
        var existing: StoreSummary?
        do {
            existing = try SubmissionStore.summary(ofFile: database)
        } catch {
            guard force else {
                throw BackupError("the database at \(database) cannot be read (\(error)); pass --force to replace it (it is kept beside)")
            }
        }
        if let existing, existing.submissions > 0, !force {
            throw BackupError("the database at \(database) holds \(existing.submissions) submission(s), the latest for \(existing.latestPeriod ?? "no period")"
                              + " (received \(existing.lastReceivedAt ?? "?")); pass --force to replace it with the backup"
                              + " (\(manifest.store.submissions) submission(s), taken \(manifest.createdAt)). The store replaced is kept beside.")
        }
        return existing
    }

    /// Files written back in place, each atomically; a different file already there is kept
    /// aside under `<name>.before-restore-<stamp>`.
    private struct Replacement {
        let stamp: String
        var written: [String] = []
        var aside: [String] = []

        init(stamp: String) { self.stamp = stamp }

        /// Writes `data` at `path`, with the owner and mode of the file it replaces (the
        /// service reads it as its own user); nothing when the same bytes are there.
        mutating func put(_ data: Data, at path: String) throws {
            var st = stat()
            let had = stat(path, &st) == 0
            if let old = FileManager.default.contents(atPath: path) {
                if old == data { return }
                try keepAside(path)
            }
            try DurableFiles.publish(path, data: data)
            if had {
                if geteuid() == 0 { _ = chown(path, st.st_uid, st.st_gid) }
                _ = chmod(path, st.st_mode & 0o7777)
            }
            written.append(path)
        }

        /// Moves the file at `path` aside.
        mutating func keepAside(_ path: String) throws {
            let kept = path + ".before-restore-" + stamp
            try DurableFiles.move(path, to: kept)
            aside.append(kept)
        }
    }

    /// The backup's schema and report definitions, where the restored configuration points.
    private static func putDefinitions(_ manifest: BackupManifest, folder: String, config: Configuration,
                                       into files: inout Replacement) throws {
        let fm = FileManager.default
        if let schema = manifest.files.first(where: { $0.role == "schema" }), let data = fm.contents(atPath: folder + "/" + schema.path) {
            try files.put(data, at: config.schemaPath)
        }
        let reports = manifest.files.filter { $0.role == "report" }
        let names = Set(reports.map { ($0.path as NSString).lastPathComponent })
        // Definitions the backup did not have would change the reports: kept aside.
        for name in SiteBackup.reportDefinitions(in: config.reportsPath) where !names.contains(name) {
            try files.keepAside(config.reportsPath + "/" + name)
        }
        for report in reports {
            guard let data = fm.contents(atPath: folder + "/" + report.path) else { continue }
            try files.put(data, at: config.reportsPath + "/" + (report.path as NSString).lastPathComponent)
        }
    }

    /// The new store is made beside the old one (`.ruralstat.sqlite.restore-PID` in the state
    /// folder), brought to this site and synced, ready to be renamed over it. The old one's
    /// -wal goes with it (a -wal left beside the new file would be read into it); its -shm is
    /// only an index, rebuilt on demand. Returns how many records were moved to this site's folders.
    private static func installStore(_ manifest: BackupManifest, folder: String, config: Configuration, now: Date) throws -> Int {
        guard let dbEntry = manifest.files.first(where: { $0.role == "database" }) else { throw BackupError("no database", invalid: true) }
        let temp = config.paths.state + "/.ruralstat.sqlite.restore-\(getpid())"
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temp + suffix) }
        do {
            try FileManager.default.copyItem(atPath: folder + "/" + dbEntry.path, toPath: temp)
            // Owned like the state folder: a restore run as root must leave a store the
            // service's user can write.
            var st = stat()
            if stat(config.paths.state, &st) == 0, geteuid() == 0 { _ = chown(temp, st.st_uid, st.st_gid) }
            _ = chmod(temp, 0o640)
            // A database SQLite cannot read is the backup damaged (exit 1), whatever its manifest says.
            let store: SubmissionStore
            do {
                store = try SubmissionStore(path: temp)
                let problems = try store.integrityProblems()
                guard problems.isEmpty else { throw BackupError("the backup's database fails integrity_check: \(problems.prefix(5).joined(separator: "; "))", invalid: true) }
                // The manifest's counts are the backup's word for what it holds: checked, not just printed.
                let found = try store.summary()
                guard found.submissions == manifest.store.submissions, found.lastSubmissionID == manifest.store.lastSubmissionID else {
                    throw BackupError("the backup's database holds \(found.submissions) submissions up to #\(found.lastSubmissionID), its manifest says \(manifest.store.submissions) up to #\(manifest.store.lastSubmissionID)", invalid: true)
                }
            } catch let e as BackupError {
                throw e
            } catch {
                throw BackupError("the backup's database cannot be read: \(error)", invalid: true)
            }
            let moved = try store.prepareRestored(
                moving: [(manifest.source.archive, config.paths.archive), (manifest.source.rejected, config.paths.rejected)],
                note: "restored from the backup \(SiteBackup.absolute(folder)) taken \(manifest.createdAt) on \(manifest.host)", at: now)
            try store.close()
            try StoreFiles.seal(temp)
            return moved
        } catch {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temp + suffix) }
            throw error
        }
    }
}
