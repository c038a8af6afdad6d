public import Foundation
import CellModel
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
    /// Valid files that arrived after the period was closed, waiting for review.
    public var held: Int = 0
}

/// The province's completeness for a period.
public struct Completeness: Sendable, Equatable {
    public var expected: Int
    public var onTime: Int
    public var late: Int
    public var rejected: Int
    public var missing: Int
}

/// Answers questions about a period from the store: who stands where, and every figure of
/// each unit, group and the province with its comparisons. Shared by the publisher, `export`
/// and `status`.
public struct PeriodLedger {
    public let province: Province
    public let definitions: Definitions
    public let store: SubmissionStore
    public var deadlineDays = 15
    public var successions: [UnitSuccession] = []

    public init(province: Province, definitions: Definitions, store: SubmissionStore) {
        self.province = province
        self.definitions = definitions
        self.store = store
    }

    public init(config: Configuration, definitions: Definitions, store: SubmissionStore) {
        self.init(province: config.province, definitions: definitions, store: store)
        deadlineDays = config.deadlineDays
        successions = config.successions
    }

    /// The moment after which a file for `period` is late: the end of the quarter's last day,
    /// Vietnam time, plus the configured days.
    public func deadline(_ period: Period) -> Date {
        let next = period.quarter == 4 ? (period.year + 1, 1) : (period.year, period.quarter * 3 + 1)
        let days = SpreadsheetDate.days(next.0, next.1, 1) + deadlineDays
        return Date(timeIntervalSince1970: Double(days) * 86_400 - 7 * 3_600)
    }

    /// Each unit's state: accepted (or late) if something counts, rejected if it only sent bad
    /// files, else missing.
    public func statuses(_ period: Period) throws -> [UnitStatus] {
        let all = try store.submissions(period: period)
        let due = deadline(period)
        return province.asOf(period).units.map { unit in
            let mine = all.filter { $0.unitCode?.uppercased() == unit.code.uppercased() }
            let held = mine.filter { $0.status == .held }.count
            if let ok = mine.last(where: { $0.status == .accepted }) {
                return UnitStatus(unit: unit, state: ok.receivedAt > due ? .late : .accepted, receivedAt: ok.receivedAt,
                                  errors: 0, lastReason: nil, held: held)
            }
            if let bad = mine.last(where: { $0.status == .rejected }) {
                return UnitStatus(unit: unit, state: .rejected, receivedAt: bad.receivedAt, errors: bad.errorCount,
                                  lastReason: bad.reason, held: held)
            }
            return UnitStatus(unit: unit, state: .missing, receivedAt: nil, errors: 0, lastReason: nil, held: held)
        }
    }

    public func completeness(_ statuses: [UnitStatus]) -> Completeness {
        Completeness(expected: statuses.count,
                     onTime: statuses.filter { $0.state == .accepted }.count,
                     late: statuses.filter { $0.state == .late }.count,
                     rejected: statuses.filter { $0.state == .rejected }.count,
                     missing: statuses.filter { $0.state == .missing }.count)
    }

    /// The tallies of every unit with accepted data in `period`, predecessors' under their successors.
    public func tallies(_ period: Period) throws -> [String: [String: Tally]] {
        var out: [String: [String: Tally]] = [:]
        for data in try store.acceptedData(period: period) {
            out[data.unitCode] = definitions.catalog.tallies(of: data)
        }
        return UnitSuccession.reexpress(out, successions, catalog: definitions.catalog)
    }

    /// The aggregator over every quarter `period`'s comparisons need.
    public func aggregator(_ period: Period) throws -> QuarterlyAggregator {
        var history: [Period: [String: [String: Tally]]] = [:]
        for p in QuarterlyAggregator.periodsNeeded(for: period) { history[p] = try tallies(p) }
        return QuarterlyAggregator(catalog: definitions.catalog, history: history)
    }

    /// The multi-year programme covering `period`'s year, with an aggregator over every quarter
    /// since the programme began; nil when there is none.
    public func programme(_ period: Period) throws -> (programme: SubmissionStore.Programme, aggregator: QuarterlyAggregator)? {
        guard let programme = try store.programme(covering: period.year) else { return nil }
        var history: [Period: [String: [String: Tally]]] = [:]
        var p = Period(year: programme.fromYear, quarter: 1)!
        while p <= period {
            history[p] = try tallies(p)
            p = p.next
        }
        return (programme, QuarterlyAggregator(catalog: definitions.catalog, history: history))
    }

    /// The annual plan: each unit's targets, and the province's (its own, or else the sum of
    /// the units' for figures that add up).
    public func plans(year: Int) throws -> (units: [String: [String: Double]], province: [String: Double]) {
        let stored = try store.plan(year: year)
        var units: [String: [String: Double]] = [:]
        for (unit, targets) in stored { if let unit { units[unit] = targets } }
        var whole = stored[nil] ?? [:]
        for (id, aggregate) in definitions.catalog.ids where whole[id] == nil && aggregate == .sum {
            let parts = province.units.compactMap { units[$0.code]?[id] }   // every unit with a target that year
            if !parts.isEmpty { whole[id] = parts.reduce(0, +) }
        }
        return (units, whole)
    }

    /// The report models of a period, one per report definition.
    public func reports(_ period: Period) throws -> [SummaryReport] {
        let states = Dictionary(uniqueKeysWithValues: try statuses(period).map { ($0.unit.code, $0.state) })
        // The comparisons read this period too: load it once.
        let comparisons = definitions.reports.contains { $0.indicators != nil } ? try aggregator(period) : nil
        let tallies = try comparisons?.history[period] ?? tallies(period)
        var reports = definitions.reports.map {
            SummaryReport.build(definition: $0, province: province.asOf(period), period: period, catalog: definitions.catalog,
                                states: states, tallies: tallies)
        }
        if let comparisons {
            let compared = comparisons.compare(period, units: province.asOf(period).units.map(\.code),
                                               plan: try plans(year: period.year).province)
            for i in reports.indices {
                guard let lines = reports[i].definition.indicators?.rows else { continue }
                reports[i].indicators = lines.map { ($0, compared[$0.figure] ?? FigureComparison()) }
            }
        }
        let merged = successions.map { "\($0.from) → \($0.to)" + ($0.share < 1 ? " (\(Int(($0.share * 100).rounded())) %)" : "") }
        if !merged.isEmpty {
            for i in reports.indices {
                reports[i].notes.insert("Số liệu các kỳ trước của đơn vị đã sáp nhập được cộng vào đơn vị kế thừa: " + merged.joined(separator: ", ") + ".", at: 1)
            }
        }
        return reports
    }
}
