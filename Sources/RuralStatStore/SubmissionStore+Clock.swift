// SPDX-License-Identifier: Apache-2.0
public import Foundation
import GRDB

/// The clock as a witness, not a judge: the store knows when it last received a file, sent a
/// message, or heard an admin confirm the clock. A clock far from that evidence (set back
/// before it, or years after it) is doubted, and what it would date (reminders, overdue notes,
/// the deadline summary) waits until it agrees again or an admin confirms it.
extension SubmissionStore {
    /// How far past the newest evidence the clock may be before it is doubted: a little over
    /// a year (a province sends every quarter; a year without a file or a message is not a
    /// quiet site but a wrong clock).
    public static let clockAheadLimit: TimeInterval = 400 * 86_400
    /// How far before the newest evidence it may be: a day (time zones, a clock corrected a little).
    public static let clockBehindLimit: TimeInterval = 86_400

    /// The newest time the store witnessed: the latest file received, message recorded as
    /// sent, or clock confirmation; nil for an empty store.
    public func newestEvidence() throws -> Date? {
        try writer.read { db in
            let sources = [
                "SELECT MAX(received_at) FROM submission",
                "SELECT MAX(sent_at) FROM mail_log",
                "SELECT MAX(confirmed_at) FROM clock_confirmation",
            ]
            return try sources.compactMap { try String.fetchOne(db, sql: $0).flatMap(Self.parseTimestamp) }.max()
        }
    }

    /// Records an admin's confirmation that the clock reads right at `at`.
    public func confirmClock(at: Date, by actor: String) throws {
        try writer.write { db in
            try db.execute(sql: "INSERT INTO clock_confirmation (confirmed_at, actor) VALUES (?, ?)",
                           arguments: [Self.timestamp(at), actor])
        }
    }

    /// The latest confirmation of the clock by an admin; nil when none.
    public func latestClockConfirmation() throws -> Date? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT MAX(confirmed_at) FROM clock_confirmation").flatMap(Self.parseTimestamp)
        }
    }

    /// Why the clock reading `now` is doubted, nil when it agrees with the store's evidence
    /// (`evidence`: given by a daemon as it stood at its start, since what it records under a
    /// wrong clock cannot vouch for that clock; else the store's newest).
    public func clockDoubt(now: Date, evidence given: Date? = nil) throws -> String? {
        let confirmed = try latestClockConfirmation()
        guard let evidence = try [given ?? newestEvidence(), confirmed].compactMap({ $0 }).max() else { return nil }
        let iso = ISO8601DateFormatter()
        if now < evidence.addingTimeInterval(-Self.clockBehindLimit) {
            return "the clock reads \(iso.string(from: now)), before the store's newest evidence (\(iso.string(from: evidence)))"
        }
        if now > evidence.addingTimeInterval(Self.clockAheadLimit) {
            return "the clock reads \(iso.string(from: now)), more than 400 days after the store's newest evidence (\(iso.string(from: evidence)))"
        }
        return nil
    }
}
