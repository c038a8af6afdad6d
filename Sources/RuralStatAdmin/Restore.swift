public import Foundation
public import RuralStatStore
#if canImport(Glibc)
import Glibc
public import RuralStatConfig
public import RuralStatFiles
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
        let fm = FileManager.default
        let manifest = try verify(folder)
        let configFile = SiteBackup.absolute(configPath)
        var restoredConfigData: Data?
        let config: Configuration
        do {
            if withConfig {
                guard let entry = manifest.files.first(where: { $0.role == "configuration" }),
                      let data = fm.contents(atPath: folder + "/" + entry.path) else {
                    throw BackupError("the backup in \(folder) holds no configuration", invalid: true)
                }
                restoredConfigData = data
                config = try Configuration.parse(yaml: String(decoding: data, as: UTF8.self), file: configFile)
            } else {
                config = try Configuration.load(path: configFile)
            }
        } catch let e as BackupError {
            throw e
        } catch {
            throw BackupError("\(error)")
        }

        try DurableFiles.makeDirectory(config.paths.state)
        let lock: ServiceLock
        do {
            lock = try ServiceLock(stateFolder: config.paths.state)
        } catch let busy as ServiceLock.Busy {
            throw BackupError("the ruralstat daemon\(busy.holder.map { " (PID \($0))" } ?? "") is running on this configuration (it holds \(busy.path)): "
                              + "stop it first (systemctl stop ruralstat), restore, then start it again")
        }
        defer { withExtendedLifetime(lock) {} }

        let database = config.paths.database
        var existing: StoreSummary?
        if fm.fileExists(atPath: database) {
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
        }

        let stamp = SiteBackup.datedName(now)
        var written: [String] = []
        var aside: [String] = []
        /// Writes `data` at `path` atomically; a different file already there is kept aside.
        func put(_ data: Data, at path: String) throws {
            var st = stat()
            let had = stat(path, &st) == 0
            if let old = fm.contents(atPath: path) {
                if old == data { return }
                let kept = path + ".before-restore-" + stamp
                try DurableFiles.move(path, to: kept)
                aside.append(kept)
            }
            try DurableFiles.publish(path, data: data)
            // The owner and mode of the file it replaces (the service reads it as its own user).
            if had {
                if geteuid() == 0 { _ = chown(path, st.st_uid, st.st_gid) }
                _ = chmod(path, st.st_mode & 0o7777)
            }
            written.append(path)
        }
        if withConfig, let restoredConfigData {
            try put(restoredConfigData, at: configFile)
            if let schema = manifest.files.first(where: { $0.role == "schema" }), let data = fm.contents(atPath: folder + "/" + schema.path) {
                try put(data, at: config.schemaPath)
            }
            let reports = manifest.files.filter { $0.role == "report" }
            let names = Set(reports.map { ($0.path as NSString).lastPathComponent })
            // Definitions the backup did not have would change the reports: kept aside.
            for name in SiteBackup.reportDefinitions(in: config.reportsPath) where !names.contains(name) {
                let path = config.reportsPath + "/" + name
                try DurableFiles.move(path, to: path + ".before-restore-" + stamp)
                aside.append(path + ".before-restore-" + stamp)
            }
            for report in reports {
                guard let data = fm.contents(atPath: folder + "/" + report.path) else { continue }
                try put(data, at: config.reportsPath + "/" + (report.path as NSString).lastPathComponent)
            }
        }

        // The new store is made beside the old one, brought to this site and synced, then
        // renamed over it. The old one's -wal goes with it (a -wal left beside the new file
        // would be read into it); its -shm is only an index, rebuilt on demand.
        guard let dbEntry = manifest.files.first(where: { $0.role == "database" }) else { throw BackupError("no database", invalid: true) }
        let temp = config.paths.state + "/.ruralstat.sqlite.restore-\(getpid())"
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temp + suffix) }
        var moved = 0
        do {
            try fm.copyItem(atPath: folder + "/" + dbEntry.path, toPath: temp)
            // Owned like the state folder: a restore run as root must leave a store the
            // service's user can write.
            var st = stat()
            if stat(config.paths.state, &st) == 0, geteuid() == 0 { _ = chown(temp, st.st_uid, st.st_gid) }
            _ = chmod(temp, 0o640)
            let store = try SubmissionStore(path: temp)
            let problems = try store.integrityProblems()
            guard problems.isEmpty else { throw BackupError("the backup's database fails integrity_check: \(problems.prefix(5).joined(separator: "; "))", invalid: true) }
            moved = try store.prepareRestored(
                moving: [(manifest.source.archive, config.paths.archive), (manifest.source.rejected, config.paths.rejected)],
                note: "restored from the backup \(SiteBackup.absolute(folder)) taken \(manifest.createdAt) on \(manifest.host)", at: now)
            try store.close()
            try StoreFiles.seal(temp)
        } catch {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temp + suffix) }
            throw error
        }
        let replaced = try StoreFiles.install(temp, at: database, keepingOldAs: ".before-restore-" + stamp).map { (existing, $0) }
        written.append(database)
        return RestoreReport(manifest: manifest, config: config, replaced: replaced, written: written, keptAside: aside, moved: moved)
    }
}
