// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatCore
import GRDB

extension SubmissionStore {
    public func isClosed(_ period: Period) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT closed FROM period_state WHERE period = ?", arguments: [period.description]) ?? false
        }
    }

    /// When `period` was closed, if it is closed: a file received after that is held.
    public func closedAt(_ period: Period) throws -> Date? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT changed_at FROM period_state WHERE period = ? AND closed = 1", arguments: [period.description])
                .map(Self.date)
        }
    }

    /// Closes a period: files that arrive afterwards are held for review instead of changing
    /// published figures.
    public func close(_ period: Period, at: Date, actor: String) throws {
        try writer.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO period_state (period, closed, changed_at, actor) VALUES (?, 1, ?, ?)",
                           arguments: [period.description, Self.timestamp(at), actor])
            try audit(db, at: at, submission: nil, unit: nil, period: period.description, sha256: nil, event: "period closed", actor: actor, reason: nil)
        }
    }

    /// Opens a period again; for each unit the latest held file then counts. Returns how many were released.
    @discardableResult
    public func open(_ period: Period, at: Date, actor: String) throws -> Int {
        try writer.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO period_state (period, closed, changed_at, actor) VALUES (?, 0, ?, ?)",
                           arguments: [period.description, Self.timestamp(at), actor])
            try audit(db, at: at, submission: nil, unit: nil, period: period.description, sha256: nil, event: "period opened", actor: actor, reason: nil)
            let held = try Row.fetchAll(db, sql: "SELECT id, unit_code, sha256 FROM submission WHERE period = ? AND status = 'held' ORDER BY id",
                                        arguments: [period.description])
            var latest: [String: Int64] = [:]
            for row in held { latest[row["unit_code"]] = row["id"] }
            for (unit, id) in latest {
                try db.execute(sql: "UPDATE submission SET status = 'superseded', reason = ? WHERE unit_code = ? AND period = ? AND status IN ('accepted', 'held') AND id != ?",
                               arguments: ["replaced by submission \(id) when the period was opened", unit, period.description, id])
                try db.execute(sql: "UPDATE submission SET status = 'accepted' WHERE id = ?", arguments: [id])
                try audit(db, at: at, submission: id, unit: unit, period: period.description, sha256: nil, event: "accepted",
                          actor: actor, reason: "held file released when the period was opened")
            }
            return latest.count
        }
    }
}
