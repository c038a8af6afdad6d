// SPDX-License-Identifier: Apache-2.0
public import RuralStatCore
import CellModel
import GRDB

extension SubmissionStore {
    /// Every record of a file with these bytes, oldest first.
    public func submissions(sha256: String) throws -> [StoredSubmission] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM submission WHERE sha256 = ? ORDER BY id", arguments: [sha256])
                .map(Self.submission)
        }
    }

    /// The accepted (or superseded) submission with these exact bytes, if any.
    public func acceptedSubmission(sha256: String) throws -> StoredSubmission? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM submission WHERE sha256 = ? AND status IN ('accepted','superseded','held') ORDER BY id LIMIT 1",
                             arguments: [sha256]).map(Self.submission)
        }
    }

    /// The submission that counts for each unit in `period`, by unit code (upper case): to
    /// tell which units' data changed since it was last read.
    public func acceptedIDs(period: Period) throws -> [String: Int64] {
        try writer.read { db in
            var out: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT unit_code, id FROM submission WHERE period = ? AND status = 'accepted' AND unit_code IS NOT NULL",
                                        arguments: [period.description]) {
                out[(row[0] as String).uppercased()] = row[1]
            }
            return out
        }
    }

    /// How many submissions the store holds, of any status.
    public func submissionCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM submission") ?? 0 }
    }

    /// Per unit code: the periods whose figures count (accepted or held), for the units with any.
    public func periodsWithData() throws -> [String: [Period]] {
        try writer.read { db in
            var out: [String: [Period]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT DISTINCT unit_code, period FROM submission
                WHERE status IN ('accepted', 'held') AND unit_code IS NOT NULL AND period IS NOT NULL ORDER BY period
                """) {
                if let p = Period(row["period"] as String) { out[row["unit_code"] as String, default: []].append(p) }
            }
            return out
        }
    }

    /// Every submission ever received for a period, oldest first.
    public func submissions(period: Period) throws -> [StoredSubmission] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM submission WHERE period = ? ORDER BY id", arguments: [period.description])
                .map(Self.submission)
        }
    }

    /// The submission that counts for each unit in `period`, with its facts.
    public func acceptedData(period: Period) throws -> [SubmissionData] {
        try acceptedData(period: period, unit: nil)
    }

    /// The submission that counts for one unit in `period`, with its facts; nil if none.
    public func acceptedData(unit: String, period: Period) throws -> SubmissionData? {
        try acceptedData(period: period, unit: unit).first
    }

    /// One query for the submissions and one for all their facts, read by column position:
    /// a report rebuild reads hundreds of thousands of facts, and per-submission queries and
    /// lookups by column name were most of its time.
    private func acceptedData(period: Period, unit: String?) throws -> [SubmissionData] {
        try writer.read { db in
            let filter = "period = ? AND status = 'accepted' AND (? IS NULL OR unit_code = ? COLLATE NOCASE)"
            let arguments: StatementArguments = [period.description, unit, unit]
            var out: [SubmissionData] = []
            var position: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, unit_code, schema_id, schema_version FROM submission WHERE \(filter) ORDER BY unit_code",
                                        arguments: arguments) {
                position[row[0]] = out.count
                out.append(SubmissionData(unitCode: row[1], period: period, schemaID: row[2] ?? "", schemaVersion: row[3] ?? 0, facts: []))
            }
            guard !out.isEmpty else { return [] }
            // Sheet and field names repeat on every fact: one string each.
            var names: [String: String] = [:]
            func interned(_ s: String) -> String {
                if let known = names[s] { return known }
                names[s] = s
                return s
            }
            let facts = try Row.fetchCursor(db, sql: """
                SELECT submission_id, sheet, row, field, kind, int_value, real_value, text_value FROM fact
                WHERE submission_id IN (SELECT id FROM submission WHERE \(filter))
                ORDER BY submission_id, rowid
                """, arguments: arguments)
            while let row = try facts.next() {
                guard let i = position[row[0]], let value = Self.factValue(kind: row[4], int: row[5], real: row[6], text: row[7]) else { continue }
                out[i].facts.append(Fact(sheet: interned(row[1]), row: row[2], field: interned(row[3]), value: value))
            }
            return out
        }
    }

    /// The warnings of each unit's counted submission in `period`, by unit code.
    public func acceptedWarnings(period: Period) throws -> [String: [Finding]] {
        try writer.read { db in
            var out: [String: [Finding]] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.unit_code, w.* FROM warning w JOIN submission s ON s.id = w.submission_id
                WHERE s.period = ? AND s.status = 'accepted' ORDER BY w.rowid
                """, arguments: [period.description])
            for row in rows {
                let message = LocalizedText(vi: row["message_vi"], en: row["message_en"])
                let number = (row["value_number"] as Double?).map { FoundNumber($0, format: (row["value_format"] as String?).flatMap(FigureFormat.init(rawValue:))) }
                out[row["unit_code"], default: []].append(Finding(.warning, rule: row["rule"], sheet: row["sheet"], cell: row["cell"],
                                                                  value: row["value"], number: number, message: message))
            }
            return out
        }
    }

    /// The audit log, newest last.
    public func auditLog() throws -> [(at: String, event: String, unit: String?, period: String?, reason: String?)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY id").map {
                ($0["at"], $0["event"], $0["unit_code"], $0["period"], $0["reason"])
            }
        }
    }


    private static func submission(_ row: Row) -> StoredSubmission {
        StoredSubmission(id: row["id"], unitCode: row["unit_code"], period: (row["period"] as String?).flatMap(Period.init),
                         status: SubmissionStatus(rawValue: row["status"]) ?? .rejected, sha256: row["sha256"],
                         fileName: row["file_name"], receivedAt: date(row["received_at"]), storedPath: row["stored_path"],
                         errorCount: row["error_count"], warningCount: row["warning_count"], reason: row["reason"])
    }

    private static func factValue(kind: String, int: Int64?, real: Double?, text: String?) -> FactValue? {
        switch kind {
        case "integer": return int.map { .integer($0) }
        case "money": return int.map { .money(dong: $0) }
        case "decimal": return real.map { .decimal($0) }
        case "text": return text.map { .text($0) }
        case "code": return text.map { .code($0) }
        case "boolean": return int.map { .bool($0 != 0) }
        case "date":
            let parts = (text ?? "").split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3 else { return nil }
            return .date(SpreadsheetDate(year: parts[0], month: parts[1], day: parts[2]))
        default: return nil
        }
    }
}

extension SubmissionStore {
    /// Every code the figures that count hold, by `sheet.field`: what a new form's code lists
    /// must still hold, or those figures would fall out of the reports' breakdowns.
    public func codesInUse() throws -> [String: Set<String>] {
        try writer.read { db in
            var out: [String: Set<String>] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT DISTINCT f.sheet, f.field, f.text_value FROM fact f JOIN submission s ON s.id = f.submission_id
                WHERE f.kind = 'code' AND s.status IN ('accepted', 'held') AND f.text_value IS NOT NULL
                """)
            for row in rows {
                let sheet: String = row[0], field: String = row[1], code: String = row[2]
                out[sheet + "." + field, default: []].insert(code)
            }
            return out
        }
    }

    /// Every `sheet.field` the figures that count hold.
    public func fieldsInUse() throws -> Set<String> {
        try writer.read { db in
            Set(try Row.fetchAll(db, sql: """
                SELECT DISTINCT f.sheet, f.field FROM fact f JOIN submission s ON s.id = f.submission_id
                WHERE s.status IN ('accepted', 'held')
                """).map { (row: Row) -> String in
                    let sheet: String = row[0], field: String = row[1]
                    return sheet + "." + field
                })
        }
    }
}
