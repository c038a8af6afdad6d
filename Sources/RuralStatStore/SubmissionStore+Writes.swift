// SPDX-License-Identifier: Apache-2.0
public import RuralStatCore
import CellModel
import GRDB

extension SubmissionStore {
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
                try db.execute(sql: """
                    INSERT INTO warning (submission_id, rule, sheet, cell, value, value_number, value_format, message_vi, message_en)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, w.rule, w.sheet, w.cell, w.value, w.number?.value, w.number?.format?.rawValue, w.message.vi, w.message.en])
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
}
