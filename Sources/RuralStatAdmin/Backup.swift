// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatStore
public import RuralStatConfig
import RuralStatFiles
#if canImport(Glibc)
import Glibc
#endif

/// `manifest.json` of a backup: what was copied, from where, with each file's SHA-256, and
/// what the store held. Keys are added, never renamed.
public struct BackupManifest: Codable, Sendable {
    public struct Entry: Codable, Sendable {
        /// The path inside the backup folder.
        public var path: String
        /// `database`, `configuration`, `schema` or `report`.
        public var role: String
        public var sha256: String
        public var size: Int64
        /// Where it was copied from.
        public var source: String
    }

    /// The site's folders when the backup was taken: a restore elsewhere points the records of
    /// the archive and `rejected/` at their new place.
    public struct Source: Codable, Sendable {
        public var configuration: String
        public var database: String
        public var schema: String
        public var reports: String
        public var archive: String
        public var rejected: String
        public var reportsFolder: String

        enum CodingKeys: String, CodingKey {
            case configuration, database, schema, reports, archive, rejected
            case reportsFolder = "reports_folder"
        }
    }

    public var format = "ruralstat-backup/1"
    public var createdAt: String
    public var ruralstatVersion: String?
    public var host: String
    public var source: Source
    public var store: StoreSummary
    public var files: [Entry]
    /// What the backup does not hold and must be copied besides (never changed once written).
    public var copyBesides: [String]

    enum CodingKeys: String, CodingKey {
        case format, host, source, store, files
        case createdAt = "created_at"
        case ruralstatVersion = "ruralstat_version"
        case copyBesides = "copy_besides"
    }

    public static let fileName = "manifest.json"
    static let databaseName = "ruralstat.sqlite"
}

/// Why a backup or a restore stopped. `invalid`: the backup itself is damaged (exit 1);
/// otherwise usage, refusal or I/O (exit 2).
public struct BackupError: Error, CustomStringConvertible {
    public var message: String
    public var invalid = false
    public init(_ message: String, invalid: Bool = false) {
        self.message = message
        self.invalid = invalid
    }
    public var description: String { message }
}

/// `ruralstat backup`: the database copied while the daemon runs, with the configuration,
/// the schema and the report definitions it names, and a manifest.
public enum SiteBackup {
    /// Writes a backup of `config`'s site into `folder`, which must be absent or empty unless
    /// `force`. The backup is built in a hidden folder beside it and renamed into place once
    /// complete and synced, so `folder` is a whole backup or nothing.
    public static func write(config: Configuration, into folder: String, force: Bool, version: String?,
                             now: Date = Date()) throws -> BackupManifest {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: folder).standardizedFileURL.path
        if let (name, runtime) = insideRuntimeFolder(target, config) {
            // In the inbox the next pass would take the backup's files as submissions (and the
            // clerks read the whole database); in archive/ or rejected/ check counts them
            // unknown; in reports/, feedback/ or the shares the units and managers read it.
            throw BackupError("\(target) is inside the \(name) folder (\(runtime)): a backup goes outside every folder the daemon and the share use")
        }
        var isDir: ObjCBool = false
        var replacing = false
        if fm.fileExists(atPath: target, isDirectory: &isDir) {
            guard isDir.boolValue else { throw BackupError("\(target) exists and is not a folder") }
            let inside = (try? fm.contentsOfDirectory(atPath: target)) ?? []
            if !inside.isEmpty && !force {
                throw BackupError("\(target) is not empty (\(inside.count) entries); give a new folder, --dated, or --force to replace it")
            }
            replacing = !inside.isEmpty
        }
        guard fm.fileExists(atPath: config.paths.database) else {
            throw BackupError("there is no database at \(config.paths.database) to back up")
        }
        let parent = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        try DurableFiles.makeDirectory(parent)
        let partial = parent + "/." + name + ".partial-\(getpid())"
        try? fm.removeItem(atPath: partial)
        try DurableFiles.makeDirectory(partial)
        do {
            var entries: [BackupManifest.Entry] = []
            // The database first: its copy is the moment the backup stands for.
            let store = try SubmissionStore(path: config.paths.database)
            let summary = try store.backup(to: partial + "/" + BackupManifest.databaseName)
            entries.append(try entry(partial, BackupManifest.databaseName, role: "database", source: config.paths.database))
            entries.append(try copy(config.file, into: partial, as: "config/" + (config.file as NSString).lastPathComponent, role: "configuration"))
            entries.append(try copy(config.schemaPath, into: partial, as: "schema/" + (config.schemaPath as NSString).lastPathComponent, role: "schema"))
            for report in reportDefinitions(in: config.reportsPath) {
                entries.append(try copy(config.reportsPath + "/" + report, into: partial, as: "reports/" + report, role: "report"))
            }
            let manifest = BackupManifest(
                createdAt: timestamp(now), ruralstatVersion: version, host: ProcessInfo.processInfo.hostName,
                source: .init(configuration: absolute(config.file), database: config.paths.database, schema: config.schemaPath,
                              reports: config.reportsPath, archive: config.paths.archive, rejected: config.paths.rejected,
                              reportsFolder: config.paths.reports),
                store: summary, files: entries, copyBesides: [config.paths.archive, config.paths.rejected])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            // Written last: a folder with a manifest is a whole backup (publishing it syncs the
            // folder, each copy synced its own as it was published).
            try DurableFiles.publish(partial + "/" + BackupManifest.fileName, data: try encoder.encode(manifest) + Data("\n".utf8))
            // Into place: an empty folder is replaced by the rename; a backup given --force is
            // moved aside first and removed once the new one stands.
            var replaced: String?
            if replacing {
                replaced = parent + "/." + name + ".replaced-\(getpid())"
                guard rename(target, replaced!) == 0 else { throw FileError(operation: "rename", path: "\(target) → \(replaced!)", code: errno) }
            }
            guard rename(partial, target) == 0 else { throw FileError(operation: "rename", path: "\(partial) → \(target)", code: errno) }
            try DurableFiles.syncDirectory(parent)
            if let replaced { try? fm.removeItem(atPath: replaced) }
            return manifest
        } catch {
            try? fm.removeItem(atPath: partial)
            throw error
        }
    }

    /// The report definitions of a reports folder, as `Definitions.load` reads them.
    static func reportDefinitions(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    }

    private static func copy(_ source: String, into folder: String, as relative: String, role: String) throws -> BackupManifest.Entry {
        guard let data = FileManager.default.contents(atPath: source) else {
            throw FileError(operation: "read", path: source, code: errno == 0 ? EIO : errno)
        }
        try DurableFiles.publish(folder + "/" + relative, data: data)
        return BackupManifest.Entry(path: relative, role: role, sha256: SHA256.hex(data), size: Int64(data.count), source: absolute(source))
    }

    private static func entry(_ folder: String, _ relative: String, role: String, source: String) throws -> BackupManifest.Entry {
        let path = folder + "/" + relative
        try DurableFiles.syncFile(path)
        let (sha, size) = try hashFile(path)
        return BackupManifest.Entry(path: relative, role: role, sha256: sha, size: size, source: source)
    }

    /// SHA-256 and size of a file (at most `limit` bytes), as `SHA256.ofFile` reads it.
    static func hashFile(_ path: String, limit: Int64 = .max) throws -> (sha: String, size: Int64) {
        let d = try SHA256.ofFile(path, limit: limit, followLinks: true)
        return (d.sha, d.bytesRead)
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    // MARK: dated backups

    /// The runtime folder `path` lies in (or is), with its name; symbolic links on the way are
    /// followed as far as the path exists.
    static func insideRuntimeFolder(_ path: String, _ config: Configuration) -> (String, String)? {
        func real(_ p: String) -> String {
            var existing = URL(fileURLWithPath: p).standardizedFileURL
            var rest: [String] = []
            while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
                rest.insert(existing.lastPathComponent, at: 0)
                existing.deleteLastPathComponent()
            }
            return rest.reduce(existing.resolvingSymlinksInPath()) { $0.appendingPathComponent($1) }.path
        }
        let target = real(path) + "/"
        let p = config.paths
        let folders = [("inbox", p.inbox), ("work", p.work), ("archive", p.archive), ("rejected", p.rejected), ("feedback", p.feedback),
                       ("reports", p.reports), ("state", p.state), ("outbox", p.outbox), ("outbound", p.outbound), ("shares", p.shares)]
        return folders.first { target.hasPrefix(real($0.1) + "/") }.map { ($0.0, $0.1) }
    }

    /// `2025-10-10-081500` (UTC): the name `--dated` gives each backup in its parent folder.
    public static func datedName(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd-HHmmss"
        return f.string(from: date)
    }

    static func isDatedName(_ name: String) -> Bool {
        let digits = name.utf8.map { $0 >= 48 && $0 <= 57 }
        guard name.utf8.count == 17 else { return false }
        let dashes: Set<Int> = [4, 7, 10]
        return name.utf8.enumerated().allSatisfy { i, c in dashes.contains(i) ? c == UInt8(ascii: "-") : digits[i] }
    }

    /// Removes all but the newest `keep` dated backups in `parent` (folders named by
    /// `datedName` holding a manifest; nothing else there is touched), newest by the time each
    /// manifest records: first the database's newest submission, which a clock set back cannot
    /// reorder, then the time the manifest records. `justMade` is never removed and counts as
    /// one of `keep`. Returns the removed paths.
    public static func prune(_ parent: String, keep: Int, justMade: String? = nil) throws -> [String] {
        let fm = FileManager.default
        let kept = justMade.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let dated: [(path: String, order: (Int64, String))] = ((try? fm.contentsOfDirectory(atPath: parent)) ?? [])
            .filter { isDatedName($0) }
            .compactMap { name -> (path: String, order: (Int64, String))? in
                let path = parent + "/" + name
                guard let data = fm.contents(atPath: path + "/" + BackupManifest.fileName),
                      let manifest = try? JSONDecoder().decode(BackupManifest.self, from: data) else { return nil }
                return (path, (manifest.store.lastSubmissionID, manifest.createdAt))
            }
            .sorted { $0.order < $1.order }
        // The backup just made is kept whatever its clock said, and counts as one of `keep`.
        let others = dated.filter { $0.path != kept }
        var removed: [String] = []
        for backup in others.dropLast(max(keep, 1) - (kept == nil ? 0 : 1)) {
            try fm.removeItem(atPath: backup.path)
            removed.append(backup.path)
        }
        return removed
    }
}
