// SPDX-License-Identifier: Apache-2.0
import GRDB

extension SubmissionStore {
    /// What lives only in the database, not in the originals: plans, programmes, period states.
    public struct AdminState: Sendable, Equatable {
        public var planTargets: Int
        public var programmeTargets: Int
        public var closedPeriods: [String]
    }

    /// This store's plans, programmes and period states.
    public func adminState() throws -> AdminState {
        try writer.read { db in
            AdminState(planTargets: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM plan_target") ?? 0,
                       programmeTargets: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM programme_target") ?? 0,
                       closedPeriods: try String.fetchAll(db, sql: "SELECT period FROM period_state WHERE closed ORDER BY period"))
        }
    }

    /// Copies plans, programmes and period states from another store's file (a backup's copy),
    /// replacing this store's; returns what was copied.
    public func copyAdminState(from path: String) throws -> AdminState {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS other", arguments: [path])
            defer { try? db.execute(sql: "DETACH DATABASE other") }
            try db.inTransaction {
                for table in ["plan_target", "programme_target", "period_state"] {
                    try db.execute(sql: "DELETE FROM main.\(table)")
                    try db.execute(sql: "INSERT INTO main.\(table) SELECT * FROM other.\(table)")
                }
                return .commit
            }
        }
        return try adminState()
    }
}
