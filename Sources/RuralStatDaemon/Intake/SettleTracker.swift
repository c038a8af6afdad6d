// SPDX-License-Identifier: Apache-2.0
import Foundation
public import RuralStatFiles

/// Decides when a file has finished arriving: its size and modification time must be the
/// same at two looks, and still for the settle time — by its modification time when that lies
/// in the past, else by the daemon's own clock since it first saw them so (a file copied by
/// Windows keeps the time of the clerk's PC, which may be a day ahead: it must not wait for
/// that day). Pure: the caller passes the clock.
public struct SettleTracker: Sendable {
    public var settleSeconds: Double
    private var seen: [[UInt8]: Look] = [:]

    /// A file's size and time, and when the daemon first saw it with them.
    private struct Look: Sendable {
        var size: Int64
        var modified: Double
        var since: Double

        /// Since when the file has been still: its modification time, or the daemon's first
        /// look at it when that time is later (a clock ahead).
        var stillSince: Double { min(modified, since) }
    }

    public init(settleSeconds: Double) { self.settleSeconds = settleSeconds }

    /// Records a scan; returns the entries that are ready to be claimed, and forgets files
    /// that have gone.
    public mutating func observe(_ entries: [InboxEntry], now: Double) -> [InboxEntry] {
        var ready: [InboxEntry] = []
        var next: [[UInt8]: Look] = [:]
        for e in entries {
            if let prior = seen[e.location], prior.size == e.size, prior.modified == e.modified {
                if now - prior.stillSince >= settleSeconds {
                    ready.append(e)
                } else {
                    next[e.location] = prior
                }
            } else {
                next[e.location] = Look(size: e.size, modified: e.modified, since: now)
            }
        }
        seen = next
        return ready
    }

    /// Files seen but not yet settled.
    public var waiting: Int { seen.count }

    /// Seconds until the next look could find a waiting file settled (0: at once), nil when
    /// nothing waits. A file that keeps changing is simply looked at again then.
    public func secondsToNextLook(now: Double) -> Double? {
        seen.values.map { max(0, $0.stillSince + settleSeconds - now) }.min()
    }
}
