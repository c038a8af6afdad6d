// SPDX-License-Identifier: Apache-2.0
public import Foundation
import GRDB

extension SubmissionStore {
    /// When a message of `kind` last went out for `key`; nil when never.
    public func lastMail(kind: String, key: String) throws -> Date? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT sent_at FROM mail_log WHERE kind = ? AND key = ?", arguments: [kind, key])
                .flatMap(Self.parseTimestamp)
        }
    }

    /// Records that a message of `kind` went out for `key` at `at`.
    public func recordMail(kind: String, key: String, at: Date) throws {
        try writer.write { db in
            try db.execute(sql: """
                INSERT INTO mail_log (kind, key, sent_at) VALUES (?, ?, ?)
                ON CONFLICT(kind, key) DO UPDATE SET sent_at = excluded.sent_at
                """, arguments: [kind, key, Self.timestamp(at)])
        }
    }

    /// The keys recorded under `kind` (the periods whose managers' digest is still owed).
    public func mailKeys(kind: String) throws -> [String] {
        try writer.read { db in
            try String.fetchAll(db, sql: "SELECT key FROM mail_log WHERE kind = ? ORDER BY key", arguments: [kind])
        }
    }

    /// Forgets a record of `kind` for `key` (a digest owed, once it is written).
    public func forgetMail(kind: String, key: String) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM mail_log WHERE kind = ? AND key = ?", arguments: [kind, key])
        }
    }
}
