// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatCore
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// What a store holds, in a few numbers: written into a backup's manifest and shown by
/// `ruralstat restore` before it replaces a store.
public struct StoreSummary: Sendable, Equatable, Codable {
    public var submissions: Int
    /// Submissions by status (`accepted`, `superseded`, `rejected`, `duplicate`, `held`).
    public var byStatus: [String: Int]
    /// The latest period any submission is for.
    public var latestPeriod: String?
    /// The newest submission: a copy holds exactly the submissions up to this one.
    public var lastSubmissionID: Int64
    /// When the newest submission arrived (ISO 8601, as stored).
    public var lastReceivedAt: String?
    /// How many periods have a submission.
    public var periods: Int

    enum CodingKeys: String, CodingKey {
        case submissions, periods
        case byStatus = "by_status"
        case latestPeriod = "latest_period"
        case lastSubmissionID = "last_submission_id"
        case lastReceivedAt = "last_received_at"
    }
}

/// A submission's original as its record gives it: what `ruralstat check` compares with the disk.
public struct StoredOriginal: Sendable, Hashable {
    public var id: Int64
    public var status: SubmissionStatus
    /// Empty for a file the daemon was not allowed to read (it was kept, unhashed).
    public var sha256: String
    public var storedPath: String
    public var fileName: String
}

/// Backups, restores and health checks (`ruralstat backup`, `restore`, `check`).
extension SubmissionStore {
    /// Writes a consistent copy of the store to `path` while others may be writing (SQLite's
    /// online backup, read inside one read transaction: the copy is the store as it was at one
    /// moment, with every transaction committed by then and none after). The copy is a single
    /// file in rollback-journal mode (no -wal beside it) and passes `integrity_check`; the
    /// summary is read from the copy itself. `path` must not exist.
    public func backup(to path: String) throws -> StoreSummary {
        let copy = try DatabaseQueue(path: path)
        do {
            try writer.backup(to: copy)
            let summary = try copy.writeWithoutTransaction { db -> StoreSummary in
                // A self-contained file: the header says rollback journal, so nothing is needed
                // beside it; whoever opens it as a store turns WAL on again.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                let problems = try Self.integrityProblems(db)
                guard problems.isEmpty else {
                    throw StoreAdminError("the copy at \(path) fails integrity_check: \(problems.prefix(5).joined(separator: "; "))")
                }
                return try Self.summary(db)
            }
            try copy.close()
            // The copy holds every figure: readable by the service and its admins only.
            _ = chmod(path, 0o640)
            return summary
        } catch {
            try? copy.close()
            throw error
        }
    }

    /// The store's numbers now.
    public func summary() throws -> StoreSummary {
        try writer.read { db in try Self.summary(db) }
    }

    /// The numbers of the database file at `path`, opened as it is (not migrated, nothing
    /// created); nil when there is no such file.
    public static func summary(ofFile path: String) throws -> StoreSummary? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var config = GRDB.Configuration()
        config.busyMode = .timeout(60)
        let queue = try DatabaseQueue(path: path, configuration: config)
        defer { try? queue.close() }
        return try queue.read { db in
            guard try db.tableExists("submission") else {
                return StoreSummary(submissions: 0, byStatus: [:], latestPeriod: nil, lastSubmissionID: 0, lastReceivedAt: nil, periods: 0)
            }
            return try summary(db)
        }
    }

    static func summary(_ db: Database) throws -> StoreSummary {
        var byStatus: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM submission GROUP BY status") {
            byStatus[row[0]] = row[1]
        }
        let last = try Row.fetchOne(db, sql: "SELECT id, received_at FROM submission ORDER BY id DESC LIMIT 1")
        return StoreSummary(
            submissions: byStatus.values.reduce(0, +), byStatus: byStatus,
            latestPeriod: try String.fetchOne(db, sql: "SELECT MAX(period) FROM submission"),
            lastSubmissionID: last?[0] ?? 0, lastReceivedAt: last?[1],
            periods: try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT period) FROM submission WHERE period IS NOT NULL") ?? 0)
    }

    /// Runs SQLite's `integrity_check`; true when the file is sound.
    public func integrityCheck() throws -> Bool { try integrityProblems().isEmpty }

    /// What SQLite's `integrity_check` and `foreign_key_check` find wrong; empty when the file is sound.
    public func integrityProblems() throws -> [String] {
        try writer.read { db in try Self.integrityProblems(db) }
    }

    static func integrityProblems(_ db: Database) throws -> [String] {
        var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
        for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
            problems.append("table \(row[0] as String? ?? "?") row \(row[1] as Int64? ?? 0) refers to a missing \(row[2] as String? ?? "?") row")
        }
        return problems
    }

    /// Every submission's original as recorded, oldest first.
    public func storedOriginals() throws -> [StoredOriginal] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, status, sha256, stored_path, file_name FROM submission ORDER BY id").map {
                StoredOriginal(id: $0[0], status: SubmissionStatus(rawValue: $0[1]) ?? .rejected, sha256: $0[2],
                               storedPath: $0[3], fileName: $0[4])
            }
        }
    }

    /// The periods whose figures some submission changed (accepted, or accepted and later
    /// replaced): the periods that have published reports.
    public func periodsWithFigures() throws -> [Period] {
        try writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT period FROM submission WHERE status IN ('accepted','superseded') AND period IS NOT NULL ORDER BY period
                """).compactMap { Period($0) }
        }
    }

    /// The latest period any file was accepted for (the store's own evidence of how far the
    /// quarters have come, whatever the clock says); nil for an empty store.
    public func latestAcceptedPeriod() throws -> Period? {
        try writer.read { db in
            try String.fetchOne(db, sql: """
                SELECT MAX(period) FROM submission WHERE status IN ('accepted','superseded','held') AND period IS NOT NULL
                """).flatMap { Period($0) }
        }
    }

    /// Prepares a store copied from a backup to serve at its new place, in one transaction:
    /// records whose original lay under `from` (the old archive or rejected folder) are
    /// pointed under `to`; every publication is forgotten, so the daemon rebuilds each
    /// period's reports from the restored data at its next start (the reports folder may hold
    /// reports of files the backup does not know); and the audit log says so. Returns how many
    /// records were moved.
    @discardableResult
    public func prepareRestored(moving: [(from: String, to: String)], note: String, at: Date) throws -> Int {
        try writer.write { db in
            var moved = 0
            for (from, to) in moving where from != to {
                let prefix = from.hasSuffix("/") ? from : from + "/"
                let target = to.hasSuffix("/") ? to : to + "/"
                try db.execute(sql: """
                    UPDATE submission SET stored_path = ? || substr(stored_path, ?) WHERE substr(stored_path, 1, ?) = ?
                    """, arguments: [target, prefix.unicodeScalars.count + 1, prefix.unicodeScalars.count, prefix])
                moved += db.changesCount
            }
            try db.execute(sql: "DELETE FROM publication")
            try db.execute(sql: "INSERT INTO audit_log (at, event, actor, reason) VALUES (?, 'restored', 'restore', ?)",
                           arguments: [Self.timestamp(at), Self.bounded(note + (moved > 0 ? "; \(moved) original(s) recorded at their new place" : ""))])
            return moved
        }
    }

    /// Closes the store's connections (a restore renames the file next).
    public func close() throws {
        if let pool = writer as? DatabasePool { try pool.close() }
    }

    /// Makes the closed database file at `path` one self-contained file: its write-ahead log
    /// checkpointed into it and removed, the header set to rollback journal (the next store to
    /// open it turns WAL on again). A pool's reader connections, closed last, leave the -wal.
    public static func makeSelfContained(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
        }
        try queue.close()
    }
}

/// A backup or restore step of the store that failed, in words.
public struct StoreAdminError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
