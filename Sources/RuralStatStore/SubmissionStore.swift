public import Foundation
public import RuralStatCore
import CellModel
import GRDB

/// The state a stored submission is in.
public enum SubmissionStatus: String, Sendable, Codable {
    /// The version that counts for its unit and period.
    case accepted
    /// Accepted once, replaced by a later version of the same unit and period.
    case superseded
    case rejected
    /// The same bytes as a submission already accepted; changed nothing.
    case duplicate
    /// Valid, but its period was closed when it arrived: kept for review, not counted until
    /// the period is opened again.
    case held
}

/// The file a submission came in: its hash, name and where it was kept.
public struct ReceivedFile: Sendable, Hashable {
    public var sha256: String
    public var fileName: String
    public var receivedAt: Date
    /// Where the original now lives (`archive/…` or `rejected/…`).
    public var storedPath: String

    public init(sha256: String, fileName: String, receivedAt: Date, storedPath: String) {
        self.sha256 = sha256
        self.fileName = fileName
        self.receivedAt = receivedAt
        self.storedPath = storedPath
    }
}

/// A row of the submissions table as callers see it.
public struct StoredSubmission: Sendable, Hashable {
    public var id: Int64
    public var unitCode: String?
    public var period: Period?
    public var status: SubmissionStatus
    public var sha256: String
    public var fileName: String
    public var receivedAt: Date
    public var storedPath: String
    public var errorCount: Int
    public var warningCount: Int
    public var reason: String?
}

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

    private static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-submissions-facts-audit") { db in
            try db.create(table: "submission") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("unit_code", .text)
                t.column("period", .text)
                t.column("status", .text).notNull()
                t.column("sha256", .text).notNull()
                t.column("file_name", .text).notNull()
                t.column("received_at", .text).notNull()
                t.column("stored_path", .text).notNull()
                t.column("schema_id", .text)
                t.column("schema_version", .integer)
                t.column("error_count", .integer).notNull().defaults(to: 0)
                t.column("warning_count", .integer).notNull().defaults(to: 0)
                t.column("reason", .text)
            }
            try db.create(index: "submission_by_unit_period", on: "submission", columns: ["unit_code", "period", "status"])
            try db.create(index: "submission_by_hash", on: "submission", columns: ["sha256"])
            try db.create(table: "fact") { t in
                t.column("submission_id", .integer).notNull().references("submission", onDelete: .cascade)
                t.column("sheet", .text).notNull()
                t.column("row", .integer)
                t.column("field", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("int_value", .integer)
                t.column("real_value", .double)
                t.column("text_value", .text)
            }
            try db.create(index: "fact_by_submission", on: "fact", columns: ["submission_id"])
            try db.create(table: "audit_log") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .text).notNull()
                t.column("submission_id", .integer)
                t.column("unit_code", .text)
                t.column("period", .text)
                t.column("sha256", .text)
                t.column("event", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("reason", .text)
            }
        }
        m.registerMigration("v2-plans-and-period-states") { db in
            try db.create(table: "plan_target") { t in
                t.column("year", .integer).notNull()
                t.column("unit_code", .text)            // null: the province
                t.column("figure", .text).notNull()
                t.column("value", .double).notNull()
                t.column("source", .text).notNull()
            }
            try db.create(index: "plan_by_year", on: "plan_target", columns: ["year"])
            try db.create(table: "period_state") { t in
                t.column("period", .text).primaryKey()
                t.column("closed", .boolean).notNull()
                t.column("changed_at", .text).notNull()
                t.column("actor", .text).notNull()
            }
        }
        m.registerMigration("v3-programme-targets") { db in
            try db.create(table: "programme_target") { t in
                t.column("name", .text).notNull()
                t.column("from_year", .integer).notNull()
                t.column("to_year", .integer).notNull()
                t.column("unit_code", .text)            // null: the province
                t.column("figure", .text).notNull()
                t.column("value", .double).notNull()
                t.column("source", .text).notNull()
            }
        }
        m.registerMigration("v4-accepted-warnings") { db in
            // The warnings an accepted file was let through with, for the data-quality sheet.
            try db.create(table: "warning") { t in
                t.column("submission_id", .integer).notNull().references("submission", onDelete: .cascade)
                t.column("rule", .text).notNull()
                t.column("sheet", .text)
                t.column("cell", .text)
                t.column("value", .text)
                t.column("message_vi", .text).notNull()
                t.column("message_en", .text).notNull()
            }
            try db.create(index: "warning_by_submission", on: "warning", columns: ["submission_id"])
        }
        m.registerMigration("v5-publication") { db in
            // How far each period's published reports reach, so that a daemon stopped between
            // storing a file and republishing catches up at its next start.
            try db.create(table: "publication") { t in
                t.column("period", .text).primaryKey()
                t.column("through_submission", .integer).notNull()
                t.column("published_at", .text).notNull()
            }
        }
        m.registerMigration("v6-mail-log") { db in
            // When each kind of message last went out for a key (the managers' digest per
            // period…), so that a restart does not send it again too soon.
            try db.create(table: "mail_log") { t in
                t.column("kind", .text).notNull()
                t.column("key", .text).notNull()
                t.column("sent_at", .text).notNull()
                t.primaryKey(["kind", "key"])
            }
        }
        return m
    }

    // MARK: plans and periods

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

    public func isClosed(_ period: Period) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT closed FROM period_state WHERE period = ?", arguments: [period.description]) ?? false
        }
    }

    /// Closes a period: files that arrive afterwards are held for review instead of changing
    /// published figures.
    /// When `period` was closed, if it is closed: a file received after that is held.
    public func closedAt(_ period: Period) throws -> Date? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT changed_at FROM period_state WHERE period = ? AND closed = 1", arguments: [period.description])
                .map(Self.date)
        }
    }

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

    // MARK: writing

    /// The accepted (or superseded) submission with these exact bytes, if any.
    public func acceptedSubmission(sha256: String) throws -> StoredSubmission? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM submission WHERE sha256 = ? AND status IN ('accepted','superseded','held') ORDER BY id LIMIT 1",
                             arguments: [sha256]).map(Self.submission)
        }
    }

    /// Stores an accepted submission in one transaction: the submission, its facts, the
    /// earlier version superseded, and the audit entries. Returns the new id.
    @discardableResult
    public func accept(_ data: SubmissionData, file: ReceivedFile, warnings: [Finding], actor: String = "intake", held: Bool = false) throws -> Int64 {
        try writer.write { db in
            let period = data.period.description
            let previous = held ? [] : try Int64.fetchAll(db, sql: "SELECT id FROM submission WHERE unit_code = ? AND period = ? AND status = 'accepted'",
                                                          arguments: [data.unitCode, period])
            try db.execute(sql: """
                INSERT INTO submission (unit_code, period, status, sha256, file_name, received_at, stored_path,
                                        schema_id, schema_version, error_count, warning_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
                """, arguments: [data.unitCode, period, held ? "held" : "accepted", file.sha256, file.fileName, Self.timestamp(file.receivedAt),
                                 file.storedPath, data.schemaID, data.schemaVersion, warnings.count])
            let id = db.lastInsertedRowID
            for w in warnings {
                try db.execute(sql: "INSERT INTO warning (submission_id, rule, sheet, cell, value, message_vi, message_en) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [id, w.rule, w.sheet, w.cell, w.value, w.message.vi, w.message.en])
            }
            let insert = try db.makeStatement(sql: """
                INSERT INTO fact (submission_id, sheet, row, field, kind, int_value, real_value, text_value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for fact in data.facts {
                let (kind, i, r, t) = Self.columns(fact.value)
                try insert.execute(arguments: [id, fact.sheet, fact.row, fact.field, kind, i, r, t])
            }
            for old in previous {
                try db.execute(sql: "UPDATE submission SET status = 'superseded', reason = ? WHERE id = ?",
                               arguments: ["replaced by submission \(id)", old])
                try audit(db, at: file.receivedAt, submission: old, unit: data.unitCode, period: period, sha256: nil,
                          event: "superseded", actor: actor, reason: "replaced by submission \(id) (\(file.fileName))")
            }
            try audit(db, at: file.receivedAt, submission: id, unit: data.unitCode, period: period, sha256: file.sha256,
                      event: held ? "held" : "accepted", actor: actor,
                      reason: held ? "the period is closed" : (warnings.isEmpty ? nil : "\(warnings.count) warning(s)"))
            return id
        }
    }

    /// Records a file that was refused, with how many errors it had and why.
    @discardableResult
    public func reject(file: ReceivedFile, unitCode: String?, period: Period?, errors: Int, reason: String,
                       actor: String = "intake") throws -> Int64 {
        try insertPlain(status: .rejected, file: file, unitCode: unitCode, period: period, errors: errors, reason: reason, actor: actor)
    }

    /// Records a file whose bytes were already accepted; nothing else changes.
    @discardableResult
    public func recordDuplicate(file: ReceivedFile, of original: StoredSubmission, actor: String = "intake") throws -> Int64 {
        try insertPlain(status: .duplicate, file: file, unitCode: original.unitCode, period: original.period, errors: 0,
                        reason: "same bytes as submission \(original.id) (\(original.fileName))", actor: actor)
    }

    private func insertPlain(status: SubmissionStatus, file: ReceivedFile, unitCode: String?, period: Period?,
                             errors: Int, reason: String, actor: String) throws -> Int64 {
        try writer.write { db in
            try db.execute(sql: """
                INSERT INTO submission (unit_code, period, status, sha256, file_name, received_at, stored_path, error_count, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [unitCode.map { Self.bounded($0, 64) }, period?.description, status.rawValue, file.sha256, file.fileName,
                                 Self.timestamp(file.receivedAt), file.storedPath, errors, Self.bounded(reason)])
            let id = db.lastInsertedRowID
            try audit(db, at: file.receivedAt, submission: id, unit: unitCode, period: period?.description, sha256: file.sha256,
                      event: status.rawValue, actor: actor, reason: reason)
            return id
        }
    }

    private func audit(_ db: Database, at: Date, submission: Int64?, unit: String?, period: String?, sha256: String?,
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

    // MARK: reading

    /// Every record of a file with these bytes, oldest first.
    public func submissions(sha256: String) throws -> [StoredSubmission] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM submission WHERE sha256 = ? ORDER BY id", arguments: [sha256])
                .map(Self.submission)
        }
    }

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
                out[row["unit_code"], default: []].append(Finding(.warning, rule: row["rule"], sheet: row["sheet"], cell: row["cell"],
                                                                  value: row["value"], message: message))
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

    /// Runs SQLite's `integrity_check`; true when the file is sound.
    public func integrityCheck() throws -> Bool { try integrityProblems().isEmpty }

    // MARK: mapping

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    static func date(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text) ?? Date(timeIntervalSince1970: 0)
    }

    private static func submission(_ row: Row) -> StoredSubmission {
        StoredSubmission(id: row["id"], unitCode: row["unit_code"], period: (row["period"] as String?).flatMap(Period.init),
                         status: SubmissionStatus(rawValue: row["status"]) ?? .rejected, sha256: row["sha256"],
                         fileName: row["file_name"], receivedAt: date(row["received_at"]), storedPath: row["stored_path"],
                         errorCount: row["error_count"], warningCount: row["warning_count"], reason: row["reason"])
    }

    private static func columns(_ v: FactValue) -> (String, Int64?, Double?, String?) {
        switch v {
        case .integer(let i): return ("integer", i, nil, nil)
        case .money(let d): return ("money", d, nil, nil)
        case .decimal(let r): return ("decimal", nil, r, nil)
        case .text(let s): return ("text", nil, nil, s)
        case .code(let s): return ("code", nil, nil, s)
        case .date(let d): return ("date", nil, nil, d.description)
        case .bool(let b): return ("boolean", b ? 1 : 0, nil, nil)
        }
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
