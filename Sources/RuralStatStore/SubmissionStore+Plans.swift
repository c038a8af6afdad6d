// SPDX-License-Identifier: Apache-2.0
public import Foundation
import GRDB

extension SubmissionStore {
    /// A multi-year programme (such as 2021–2025) and its targets, by unit (nil: the province).
    public struct Programme: Sendable, Equatable {
        public var name: String
        public var fromYear: Int
        public var toYear: Int
        public var targets: [String?: [String: Double]]

        public init(name: String, fromYear: Int, toYear: Int, targets: [String?: [String: Double]]) {
            self.name = name
            self.fromYear = fromYear
            self.toYear = toYear
            self.targets = targets
        }
    }

    /// Replaces the targets of the programme with the same years in one transaction.
    public func importProgramme(_ programme: Programme, source: String, at: Date, actor: String) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM programme_target WHERE from_year = ? AND to_year = ?",
                           arguments: [programme.fromYear, programme.toYear])
            let insert = try db.makeStatement(sql: """
                INSERT INTO programme_target (name, from_year, to_year, unit_code, figure, value, source) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            var count = 0
            for (unit, targets) in programme.targets {
                for (figure, value) in targets {
                    try insert.execute(arguments: [programme.name, programme.fromYear, programme.toYear, unit, figure, value, source])
                    count += 1
                }
            }
            try audit(db, at: at, submission: nil, unit: nil, period: "\(programme.fromYear)-\(programme.toYear)", sha256: nil,
                      event: "programme imported", actor: actor, reason: "\(count) target(s) of \(programme.name) from \(source)")
        }
    }

    /// The programme whose years cover `year`, if any (the latest starting one).
    public func programme(covering year: Int) throws -> Programme? {
        try writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM programme_target WHERE from_year <= ? AND to_year >= ? ORDER BY from_year DESC
                """, arguments: [year, year])
            guard let first = rows.first else { return nil }
            let from: Int = first["from_year"], to: Int = first["to_year"]
            var targets: [String?: [String: Double]] = [:]
            for row in rows where (row["from_year"] as Int) == from && (row["to_year"] as Int) == to {
                targets[row["unit_code"] as String?, default: [:]][row["figure"]] = row["value"]
            }
            return Programme(name: first["name"], fromYear: from, toYear: to, targets: targets)
        }
    }

    /// Replaces the targets of `year` in one transaction. A nil unit is the province.
    public func importPlan(year: Int, targets: [(unit: String?, figure: String, value: Double)], source: String,
                           at: Date, actor: String) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM plan_target WHERE year = ?", arguments: [year])
            let insert = try db.makeStatement(sql: "INSERT INTO plan_target (year, unit_code, figure, value, source) VALUES (?, ?, ?, ?, ?)")
            for t in targets { try insert.execute(arguments: [year, t.unit, t.figure, t.value, source]) }
            try audit(db, at: at, submission: nil, unit: nil, period: String(year), sha256: nil, event: "plan imported",
                      actor: actor, reason: "\(targets.count) target(s) from \(source)")
        }
    }

    /// The targets of `year`: by unit code, and the province's under nil.
    public func plan(year: Int) throws -> [String?: [String: Double]] {
        try writer.read { db in
            var out: [String?: [String: Double]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM plan_target WHERE year = ?", arguments: [year]) {
                out[row["unit_code"] as String?, default: [:]][row["figure"]] = row["value"]
            }
            return out
        }
    }
}
