// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatCore

/// When the periods whose figures changed get their reports again: once a burst is over —
/// nothing more to come in this pass or settling in the inbox, and `publish_delay_seconds`
/// since the last change (with `--once`, no delay) — or when the burst's first change has
/// waited `publish_max_delay_seconds` (a flood still shows progress). A publication that failed
/// is tried again a minute later. Pure: the caller passes the clock.
struct PublicationSchedule {
    var delaySeconds: Double
    var maxDelaySeconds: Double
    /// The periods whose reports are behind their figures.
    private(set) var dirty: Set<Period> = []
    /// When the last change came in.
    private var lastChange = Date.distantPast
    /// When the oldest unpublished change came in (a long burst still gets its reports).
    private var firstChange: Date?
    /// When a publication that failed is tried again.
    private(set) var retryAt: Date?

    init(delaySeconds: Double, maxDelaySeconds: Double) {
        self.delaySeconds = delaySeconds
        self.maxDelaySeconds = maxDelaySeconds
    }

    var isEmpty: Bool { dirty.isEmpty }

    /// A period's figures changed at `now`.
    mutating func changed(_ period: Period, at now: Date) {
        if dirty.isEmpty { firstChange = now }
        dirty.insert(period)
        lastChange = now
    }

    /// Whether the reports are due now; `moreComing`: more files of this pass are still to be
    /// stored, `settling`: files are still settling in the inbox.
    func due(now: Date, moreComing: Bool, settling: Bool, once: Bool) -> Bool {
        guard !dirty.isEmpty else { return false }
        if now.timeIntervalSince(firstChange ?? now) >= maxDelaySeconds { return true }
        guard !moreComing, !settling else { return false }
        return once || now.timeIntervalSince(lastChange) >= delaySeconds
    }

    /// The periods to publish now, oldest first; empty while a failed publication waits for its retry.
    mutating func take(now: Date) -> [Period] {
        if let at = retryAt, at > now { return [] }
        firstChange = nil
        retryAt = nil
        return dirty.sorted()
    }

    /// The period's reports are published.
    mutating func published(_ period: Period) { dirty.remove(period) }

    /// The period's publication failed: tried again a minute later (not at all with `--once`,
    /// which leaves it to the next start: the store says the period is behind).
    mutating func failed(_ period: Period, now: Date, once: Bool) {
        retryAt = now.addingTimeInterval(60)
        if once { dirty.remove(period) }
    }

    /// How long the loop may sleep before the reports could be due (nil: nothing to publish).
    func secondsUntilQuiet(now: Date) -> Double? {
        dirty.isEmpty ? nil : delaySeconds - now.timeIntervalSince(lastChange)
    }
}
