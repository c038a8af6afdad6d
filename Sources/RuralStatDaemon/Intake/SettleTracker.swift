// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Decides when a file has finished arriving: its size and modification time must be the
/// same at two looks and older than the settle time. Pure: the caller passes the clock.
public struct SettleTracker: Sendable {
    public var settleSeconds: Double
    private var seen: [[UInt8]: (size: Int64, modified: Double)] = [:]

    public init(settleSeconds: Double) { self.settleSeconds = settleSeconds }

    /// Records a scan; returns the entries that are ready to be claimed, and forgets files
    /// that have gone.
    public mutating func observe(_ entries: [InboxEntry], now: Double) -> [InboxEntry] {
        var ready: [InboxEntry] = []
        var next: [[UInt8]: (size: Int64, modified: Double)] = [:]
        for e in entries {
            if let prior = seen[e.location], prior.size == e.size, prior.modified == e.modified,
               now - e.modified >= settleSeconds {
                ready.append(e)
            } else {
                next[e.location] = (e.size, e.modified)
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
        seen.values.map { max(0, $0.modified + settleSeconds - now) }.min()
    }
}
