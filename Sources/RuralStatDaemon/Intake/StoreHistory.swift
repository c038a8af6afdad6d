public import RuralStatCore
public import RuralStatStore

/// What a file is compared with, from the store: the unit's previous quarter for the `prev.`
/// rules, its earlier quarters (or its predecessors') and its peers' for the outlier checks.
/// The daemon and `validate --config` use this one, so both give the same findings for the
/// same file and store. A store that cannot be read only means no comparison.
public struct StoreHistory: Sendable {
    public let store: SubmissionStore
    public let config: Configuration
    public let schema: FormSchema

    public init(store: SubmissionStore, config: Configuration, schema: FormSchema) {
        self.store = store
        self.config = config
        self.schema = schema
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
        let peers = ((try? store.acceptedData(period: period)) ?? []).filter { $0.unitCode.uppercased() != unit.uppercased() }
        return OutlierEvidence(earlier: earlier, peers: peers)
    }
}
