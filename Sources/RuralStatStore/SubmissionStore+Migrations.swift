// SPDX-License-Identifier: Apache-2.0
import GRDB

extension SubmissionStore {
    /// The schema's migrations, in the order they run. Append-only: one that has run on a
    /// database is never renamed, changed or moved; a change of schema is a new one at the end.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-submissions-facts-audit", migrate: v1SubmissionsFactsAudit)
        m.registerMigration("v2-plans-and-period-states", migrate: v2PlansAndPeriodStates)
        m.registerMigration("v3-programme-targets", migrate: v3ProgrammeTargets)
        m.registerMigration("v4-accepted-warnings", migrate: v4AcceptedWarnings)
        m.registerMigration("v5-publication", migrate: v5Publication)
        m.registerMigration("v6-mail-log", migrate: v6MailLog)
        m.registerMigration("v7-approvals", migrate: v7Approvals)
        m.registerMigration("v8-clock-confirmations", migrate: v8ClockConfirmations)
        m.registerMigration("v9-mail-due", migrate: v9MailDue)
        m.registerMigration("v10-warning-numbers", migrate: v10WarningNumbers)
        return m
    }

    private static func v1SubmissionsFactsAudit(_ db: Database) throws {
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

    private static func v2PlansAndPeriodStates(_ db: Database) throws {
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

    private static func v3ProgrammeTargets(_ db: Database) throws {
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

    private static func v4AcceptedWarnings(_ db: Database) throws {
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

    private static func v5Publication(_ db: Database) throws {
        // How far each period's published reports reach, so that a daemon stopped between
        // storing a file and republishing catches up at its next start.
        try db.create(table: "publication") { t in
            t.column("period", .text).primaryKey()
            t.column("through_submission", .integer).notNull()
            t.column("published_at", .text).notNull()
        }
    }

    private static func v6MailLog(_ db: Database) throws {
        // When each kind of message last went out for a key (the managers' digest per
        // period…), so that a restart does not send it again too soon.
        try db.create(table: "mail_log") { t in
            t.column("kind", .text).notNull()
            t.column("key", .text).notNull()
            t.column("sent_at", .text).notNull()
            t.primaryKey(["kind", "key"])
        }
    }

    private static func v7Approvals(_ db: Database) throws {
        // Each approval of a period's figures for the level above: the version of the file it
        // wrote, who approved it and why, the file's SHA-256 and where it was written.
        try db.create(table: "approval") { t in
            t.column("period", .text).notNull()
            t.column("version", .integer).notNull()
            t.column("approved_at", .text).notNull()
            t.column("actor", .text).notNull()
            t.column("note", .text)
            t.column("sha256", .text).notNull()
            t.column("path", .text).notNull()
            t.column("through", .integer)
            t.primaryKey(["period", "version"])
        }
    }

    private static func v8ClockConfirmations(_ db: Database) throws {
        // An admin's word that the clock is right although it is far from the store's newest
        // evidence (`ruralstat clock confirm`): from then on that time is evidence too.
        try db.create(table: "clock_confirmation") { t in
            t.column("confirmed_at", .text).notNull()
            t.column("actor", .text).notNull()
        }
    }

    private static func v9MailDue(_ db: Database) throws {
        // A message due (a unit's answer) that could not be put in the outbox: kept here, whole,
        // until its `.eml` exists, so that mending the outbox is enough for it to go.
        try db.create(table: "mail_due") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("path", .text).notNull()
            t.column("message", .blob).notNull()
            t.column("queued_at", .text).notNull()
        }
    }

    private static func v10WarningNumbers(_ db: Database) throws {
        // A warning's value as a number with its figure's format, so that the quality sheet
        // writes a number cell a manager can sort and sum; null for text (and for the warnings
        // stored before, which keep their text).
        try db.alter(table: "warning") { t in
            t.add(column: "value_number", .double)
            t.add(column: "value_format", .text)
        }
    }
}
