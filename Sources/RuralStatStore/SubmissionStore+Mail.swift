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

    /// Keeps a message that could not be written to the outbox, as the bytes meant for `path`.
    public func queueMail(path: String, message: Data, at: Date) throws {
        try writer.write { db in
            try db.execute(sql: "INSERT INTO mail_due (path, message, queued_at) VALUES (?, ?, ?)",
                           arguments: [path, message, Self.timestamp(at)])
        }
    }

    /// The messages kept until the outbox takes them, oldest first.
    public func queuedMail() throws -> [(id: Int64, path: String, message: Data)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, path, message FROM mail_due ORDER BY id").map { ($0[0], $0[1], $0[2]) }
        }
    }

    /// Forgets a kept message once its `.eml` is in the outbox.
    public func forgetQueuedMail(id: Int64) throws {
        try writer.write { db in try db.execute(sql: "DELETE FROM mail_due WHERE id = ?", arguments: [id]) }
    }
}
