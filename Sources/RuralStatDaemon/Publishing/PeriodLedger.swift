public import Foundation
public import RuralStatCore
public import RuralStatStore

/// One unit's standing for a period, as `status` prints it.
public struct UnitStatus: Sendable {
    public var unit: ReportingUnit
    public var state: UnitState
    /// When the file that decided the state arrived.
    public var receivedAt: Date?
    /// The errors of the unit's latest rejected file, when it has nothing accepted.
    public var errors: Int
    public var lastReason: String?
}

/// Answers questions about a period from the store: who stands where, and every figure of
/// each unit and the province. Shared by the publisher, `export` and `status`.
public struct PeriodLedger {
    public let province: Province
    public let definitions: Definitions
    public let store: SubmissionStore

    public init(province: Province, definitions: Definitions, store: SubmissionStore) {
        self.province = province
        self.definitions = definitions
        self.store = store
    }

    /// Each unit's state: accepted if anything counts, rejected if it only sent bad files, else missing.
    public func statuses(_ period: Period) throws -> [UnitStatus] {
        let all = try store.submissions(period: period)
        return province.units.map { unit in
            let mine = all.filter { $0.unitCode?.uppercased() == unit.code.uppercased() }
            if let ok = mine.last(where: { $0.status == .accepted }) {
                return UnitStatus(unit: unit, state: .accepted, receivedAt: ok.receivedAt, errors: 0, lastReason: nil)
            }
            if let bad = mine.last(where: { $0.status == .rejected }) {
                return UnitStatus(unit: unit, state: .rejected, receivedAt: bad.receivedAt, errors: bad.errorCount, lastReason: bad.reason)
            }
            return UnitStatus(unit: unit, state: .missing, receivedAt: nil, errors: 0, lastReason: nil)
        }
    }

    /// The tallies of every unit with accepted data in `period`.
    public func tallies(_ period: Period) throws -> [String: [String: Tally]] {
        var out: [String: [String: Tally]] = [:]
        for data in try store.acceptedData(period: period) {
            out[data.unitCode] = definitions.catalog.tallies(of: data)
        }
        return out
    }

    /// The report models of a period, one per report definition.
    public func reports(_ period: Period) throws -> [SummaryReport] {
        let states = Dictionary(uniqueKeysWithValues: try statuses(period).map { ($0.unit.code, $0.state) })
        let tallies = try tallies(period)
        return definitions.reports.map {
            SummaryReport.build(definition: $0, province: province, period: period, catalog: definitions.catalog,
                                states: states, tallies: tallies)
        }
    }
}
