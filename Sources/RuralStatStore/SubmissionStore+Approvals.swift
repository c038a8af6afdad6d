// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatCore
import GRDB

/// One approval of a period's figures for the level above (`ruralstat period approve`).
public struct Approval: Sendable, Hashable {
    public var period: Period
    /// 1 for the first approval of the period, then 2, 3… (each writes a new file).
    public var version: Int
    public var approvedAt: Date
    public var actor: String
    public var note: String?
    /// The SHA-256 of the file the approval wrote, and where.
    public var sha256: String
    public var path: String
    /// The last submission id the approved figures include: a file stored after it changes the
    /// period since its approval.
    public var through: Int64?

    public init(period: Period, version: Int, approvedAt: Date, actor: String, note: String?, sha256: String, path: String, through: Int64?) {
        self.period = period
        self.version = version
        self.approvedAt = approvedAt
        self.actor = actor
        self.note = note
        self.sha256 = sha256
        self.path = path
        self.through = through
    }
}

extension SubmissionStore {
    /// The approvals of `period`, oldest first.
    public func approvals(_ period: Period) throws -> [Approval] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM approval WHERE period = ? ORDER BY version", arguments: [period.description]).map { row in
                Approval(period: period, version: row["version"], approvedAt: Self.date(row["approved_at"]), actor: row["actor"],
                         note: row["note"], sha256: row["sha256"], path: row["path"], through: row["through"])
            }
        }
    }

    /// The version the next approval of `period` writes.
    public func nextApprovalVersion(_ period: Period) throws -> Int {
        try writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM approval WHERE period = ?", arguments: [period.description]) ?? 0) + 1
        }
    }

    /// The last submission id recorded for `period` (any status): what an approval covers.
    public func lastSubmissionID(period: Period) throws -> Int64? {
        try writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM submission WHERE period = ?", arguments: [period.description])
        }
    }

    /// Records an approval and closes the period in one transaction (files that arrive after
    /// it are held), with its line in the audit log.
    public func recordApproval(_ approval: Approval) throws {
        try writer.write { db in
            try db.execute(sql: """
                INSERT INTO approval (period, version, approved_at, actor, note, sha256, path, through)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [approval.period.description, approval.version, Self.timestamp(approval.approvedAt), approval.actor,
                                 approval.note, approval.sha256, approval.path, approval.through])
            try db.execute(sql: "INSERT OR REPLACE INTO period_state (period, closed, changed_at, actor) VALUES (?, 1, ?, ?)",
                           arguments: [approval.period.description, Self.timestamp(approval.approvedAt), approval.actor])
            try audit(db, at: approval.approvedAt, submission: nil, unit: nil, period: approval.period.description, sha256: approval.sha256,
                      event: "period approved (version \(approval.version))", actor: approval.actor, reason: approval.note)
        }
    }

    /// The units whose files arrived for `period` after its latest approval and would change
    /// its figures (held, or taken in since the period was opened again), by unit code; nil
    /// when the period was never approved.
    public func changedSinceApproval(_ period: Period) throws -> (approval: Approval, units: [String])? {
        guard let latest = try approvals(period).last else { return nil }
        let units = try writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT unit_code FROM submission
                WHERE period = ? AND id > ? AND status IN ('held', 'accepted', 'superseded') AND unit_code IS NOT NULL
                ORDER BY unit_code
                """, arguments: [period.description, latest.through ?? 0])
        }
        return (latest, units)
    }
}
