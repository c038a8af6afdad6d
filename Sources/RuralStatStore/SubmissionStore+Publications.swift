// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatCore
import GRDB

extension SubmissionStore {
    /// The submissions that changed a period's figures when they came: counted ones, and
    /// those counted until a later version replaced them.
    private static let changedFigures = "status IN ('accepted','superseded')"

    /// The newest submission that changed `period`'s figures, or 0: what a publication of the
    /// period's reports covers.
    public func lastChange(period: Period) throws -> Int64 {
        try writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM submission WHERE period = ? AND \(Self.changedFigures)",
                               arguments: [period.description]) ?? 0
        }
    }

    /// Records that `period`'s reports were published from the data up to submission `through`.
    public func recordPublication(period: Period, through: Int64, at: Date) throws {
        try writer.write { db in
            try db.execute(sql: """
                INSERT INTO publication (period, through_submission, published_at) VALUES (?, ?, ?)
                ON CONFLICT(period) DO UPDATE SET through_submission = excluded.through_submission, published_at = excluded.published_at
                """, arguments: [period.description, through, Self.timestamp(at)])
        }
    }

    /// Periods with accepted files that their published reports do not yet reflect.
    public func unpublishedPeriods() throws -> [Period] {
        try writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT s.period FROM submission s LEFT JOIN publication p ON p.period = s.period
                WHERE s.\(Self.changedFigures) AND s.period IS NOT NULL
                GROUP BY s.period HAVING MAX(s.id) > COALESCE(MAX(p.through_submission), 0)
                """).compactMap { Period($0) }
        }
    }
}
