// SPDX-License-Identifier: Apache-2.0
import Foundation
public import RuralStatCore
public import RuralStatStore
public import RuralStatConfig

/// What a file is compared with, from the store: the unit's previous quarter for the `prev.`
/// rules, its earlier quarters (or its predecessors') and its peers' for the outlier checks.
/// The daemon and `validate --config` use this one, so both give the same findings for the
/// same file and store. A store that cannot be read only means no comparison.
public struct StoreHistory: Sendable {
    public let store: SubmissionStore
    public let config: Configuration
    public let schema: FormSchema
    /// The peers' values, kept between files (a daemon's pipeline keeps one for its life).
    public let cache: PeerCache

    public init(store: SubmissionStore, config: Configuration, schema: FormSchema, cache: PeerCache = PeerCache()) {
        self.store = store
        self.config = config
        self.schema = schema
        self.cache = cache
    }

    /// The unit's accepted data for `period`.
    public func previous(_ unit: String, _ period: Period) -> SubmissionData? {
        (try? store.acceptedData(unit: unit, period: period)) ?? nil
    }

    /// The unit's earlier quarters, most recent first — its own data, or where it has none, that
    /// of the units configured to have gone to it (`{from, to, share}`) — and the quarter's
    /// other units. Nil when the schema checks no outlier.
    public func outliers(_ unit: String, _ period: Period) -> OutlierEvidence? {
        guard let spec = schema.outliers else { return nil }
        let predecessors = config.successions.filter { $0.level == .unit && $0.to.uppercased() == unit.uppercased() }
        var earlier: [[(data: SubmissionData, share: Double)]] = []
        var p = period
        for _ in 0..<spec.historyQuarters {
            p = p.previous
            if let own = previous(unit, p) {
                earlier.append([(own, 1)])
            } else {
                earlier.append(predecessors.compactMap { s in previous(s.from, p).map { ($0, s.share) } })
            }
        }
        return OutlierEvidence(earlier: earlier, peerObservations: peers(unit, period, spec: spec))
    }

    /// The quarter's other units; where they are fewer than `min_peers` (the first files of a
    /// quarter), those of the same quarter last year, else of the quarter before: a unit sending
    /// first is still judged. A ratio or a figure's size between units moves little in a year.
    func peers(_ unit: String, _ period: Period, spec: OutlierSpec) -> [String: [OutlierCheck.Key: Double]] {
        let check = OutlierCheck(spec: spec, schema: schema)
        var best: [String: [OutlierCheck.Key: Double]] = [:]
        for p in [period, period.sameQuarterLastYear, period.previous] {
            // The unit's own earlier file of this quarter is no peer of its new one.
            let observed = (cache.observations(p, store: store, check: check) ?? [:]).filter { $0.key != unit.uppercased() }
            if observed.count >= spec.minPeers { return observed }
            if best.isEmpty { best = observed }
        }
        return best
    }
}

/// The quarter's accepted data reduced to what the outlier checks look at, by unit, each kept
/// until that unit's accepted file changes: without it each file of a 500-unit quarter read and
/// reduced every other unit's facts again (about a second per file, measured by bench/run_scale.py).
public final class PeerCache: @unchecked Sendable {
    private let lock = NSLock()
    /// By period, by unit: the accepted submission's id and what the checks look at in it.
    private var kept: [Period: [String: (id: Int64, values: [OutlierCheck.Key: Double])]] = [:]

    public init() {}

    /// The observations of every unit with accepted data for `period`; nil when the store cannot be read.
    /// Files read in parallel wait for one another here, so a quarter is read once, not once each.
    func observations(_ period: Period, store: SubmissionStore, check: OutlierCheck) -> [String: [OutlierCheck.Key: Double]]? {
        lock.lock()
        defer { lock.unlock() }
        guard let ids = try? store.acceptedIDs(period: period) else { return nil }
        var known = (kept[period] ?? [:]).filter { ids[$0.key] == $0.value.id }
        let missing = ids.filter { known[$0.key] == nil }
        // A few units changed: read those; many (a first look): read the quarter in one go.
        let read: [SubmissionData]
        do {
            read = missing.count > 8 ? try store.acceptedData(period: period).filter { missing[$0.unitCode.uppercased()] != nil }
                : try missing.keys.compactMap { try store.acceptedData(unit: $0, period: period) }
        } catch { return nil }
        for data in read { known[data.unitCode.uppercased()] = (missing[data.unitCode.uppercased()]!, check.observations(data)) }
        // A few quarters at most are being received at once.
        if kept.count > 8 && kept[period] == nil { kept.removeAll() }
        kept[period] = known
        return known.mapValues(\.values)
    }
}
