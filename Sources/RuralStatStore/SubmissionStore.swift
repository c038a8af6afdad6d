// SPDX-License-Identifier: Apache-2.0
import Foundation
import GRDB

/// The database of everything received: submissions with every version kept, their facts,
/// and an audit log of every change. SQLite in WAL mode with `synchronous=FULL`.
public struct SubmissionStore: Sendable {
    /// Internal, not private: the store's extensions in other files (`+Admin`, `+Rebuild`) use it.
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the database file at `path` and brings its schema up to date.
    public init(path: String) throws {
        var config = Configuration()
        // A command run beside the daemon (or the daemon beside a command) waits for the other
        // writer instead of failing with "database is locked".
        config.busyMode = .timeout(60)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let pool = try DatabasePool(path: path, configuration: config)
        try Self.migrator.migrate(pool)
        writer = pool
    }

    /// Writes one line of the audit log.
    func audit(_ db: Database, at: Date, submission: Int64?, unit: String?, period: String?, sha256: String?,
               event: String, actor: String, reason: String?) throws {
        try db.execute(sql: """
            INSERT INTO audit_log (at, submission_id, unit_code, period, sha256, event, actor, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [Self.timestamp(at), submission, unit.map { Self.bounded($0, 64) }, period, sha256, event, actor,
                             reason.map { Self.bounded($0) }])
    }

    /// Text kept in the store stays short enough for any report cell and any log line: a
    /// reason quoting a unit's 40,000-character cell keeps its first `limit` characters.
    static func bounded(_ text: String, _ limit: Int = 1_000) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// The one format every time in the database is written in: ISO 8601 in UTC, with
    /// fractions of a second (`2025-10-10T08:15:00.123Z`).
    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    /// A time read back from the database; nil when the text is none. Times written before
    /// there was one format (`mail_log` rows without fractions) read as well.
    static func parseTimestamp(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = f.date(from: text) { return date }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }

    /// `parseTimestamp`, or the epoch for a text that is no time (never written by the store).
    static func date(_ text: String) -> Date {
        parseTimestamp(text) ?? Date(timeIntervalSince1970: 0)
    }
}
