// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import CellModel
public import RuralStatCore
public import RuralStatStore
public import RuralStatConfig

/// The province's completeness for a period.
public struct Completeness: Sendable, Equatable {
    public var expected: Int
    public var onTime: Int
    public var late: Int
    public var rejected: Int
    public var missing: Int
}

/// Answers questions about a period from the store, and writes nothing (a read-only facade over
/// the store, the catalog and the units): who stands where, and every figure of
/// each unit, group and the province with its comparisons. Shared by the publisher, `export`
/// and `status`.
public struct PeriodQuery {
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
    public func deadline(_ period: Period) -> Date { Self.deadline(period, days: deadlineDays) }

    /// The deadline of `period` when files are due `days` after the quarter's end.
    public static func deadline(_ period: Period, days: Int) -> Date {
        VietnamTime.start(of: period.next.firstDay).addingTimeInterval(Double(days) * 86_400)
    }

    /// Where `period`'s figures are compared: units, areas, the province, with the predecessors
    /// of each.
    public func scopes(_ period: Period) -> ComparisonScopes {
        ComparisonScopes(province: province, period: period, successions: successions)
    }

    /// Each unit's state: accepted (or late) if something counts, rejected if it only sent bad
    /// files, else missing.
    public func statuses(_ period: Period) throws -> [UnitStatus] {
        statuses(period, from: try store.submissions(period: period))
    }

    /// Each unit's state, from the period's submissions already loaded.
    func statuses(_ period: Period, from all: [StoredSubmission]) -> [UnitStatus] {
        let due = deadline(period)
        return province.asOf(period).units.map { unit in
            let mine = all.filter { $0.unitCode?.uppercased() == unit.code.uppercased() }
            let held = mine.filter { $0.status == .held }.count
            var status: UnitStatus
            if let ok = mine.last(where: { $0.status == .accepted }) {
                status = UnitStatus(unit: unit, state: ok.receivedAt > due ? .late : .accepted, receivedAt: ok.receivedAt,
                                    errors: 0, lastReason: nil, held: held)
            } else if let bad = mine.last(where: { $0.status == .rejected }) {
                status = UnitStatus(unit: unit, state: .rejected, receivedAt: bad.receivedAt, errors: bad.errorCount,
                                    lastReason: bad.reason, held: held)
            } else {
                status = UnitStatus(unit: unit, state: .missing, receivedAt: nil, errors: 0, lastReason: nil, held: held)
            }
            status.files = mine.count
            status.refused = mine.filter { $0.status == .rejected }.count
            return status
        }
    }

    public func completeness(_ statuses: [UnitStatus]) -> Completeness {
        Completeness(expected: statuses.count,
                     onTime: statuses.filter { $0.state == .accepted }.count,
                     late: statuses.filter { $0.state == .late }.count,
                     rejected: statuses.filter { $0.state == .rejected }.count,
                     missing: statuses.filter { $0.state == .missing }.count)
    }

    /// The tallies of every unit with accepted data in `period`, as seen from the reports of
    /// `reported` (by default the same quarter): a predecessor's under its successor when the
    /// predecessor no longer reports in `reported`, under its own code when it still does (a
    /// report of 2024 shows the former provinces, a report of 2026 compares with them as the new).
    public func tallies(_ period: Period, seenFrom reported: Period? = nil) throws -> [String: [String: Tally]] {
        tallies(of: try store.acceptedData(period: period), seenFrom: reported ?? period)
    }

    /// The tallies of accepted submissions already loaded, as seen from the reports of `reported`.
    func tallies(of accepted: [SubmissionData], seenFrom reported: Period) -> [String: [String: Tally]] {
        var out: [String: [String: Tally]] = [:]
        for data in accepted { out[data.unitCode] = definitions.catalog.tallies(of: data) }
        return UnitSuccession.reexpress(out, successions(seenFrom: reported), catalog: definitions.catalog)
    }

    /// The successions that apply in `reported`'s reports: those whose predecessor is not a
    /// unit reporting then.
    func successions(seenFrom reported: Period) -> [UnitSuccession] {
        successions.filter { s in province.unit(s.from).map { !$0.reports(in: reported) } ?? true }
    }

    /// The aggregator over every quarter `period`'s comparisons need; `known` holds quarters
    /// already loaded (seen from `period`).
    public func aggregator(_ period: Period, known: [Period: [String: [String: Tally]]] = [:]) throws -> QuarterlyAggregator {
        var history = known
        for p in QuarterlyAggregator.periodsNeeded(for: period) where history[p] == nil { history[p] = try tallies(p, seenFrom: period) }
        return QuarterlyAggregator(catalog: definitions.catalog, history: history)
    }

    /// The multi-year programme covering `period`'s year, with an aggregator over every quarter
    /// since the programme began; nil when there is none.
    public func programme(_ period: Period) throws -> (programme: SubmissionStore.Programme, aggregator: QuarterlyAggregator)? {
        guard let programme = try store.programme(covering: period.year) else { return nil }
        var history: [Period: [String: [String: Tally]]] = [:]
        var p = Period(year: programme.fromYear, quarter: 1)!
        while p <= period {
            history[p] = try tallies(p, seenFrom: period)
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

    /// The date a period's reports carry: the Vietnam day of the latest file received for it,
    /// or the quarter's last day before any arrived. Taken from the data, never the clock, so
    /// publishing the same data again gives the same bytes.
    public func issueDate(_ period: Period, _ submissions: [StoredSubmission]) -> SpreadsheetDate {
        guard let latest = submissions.map(\.receivedAt).max() else { return period.lastDay }
        let day = VietnamTime.civil(latest)
        return SpreadsheetDate(year: day.year, month: day.month, day: day.day)
    }

    /// Everything the reports of `period` can show.
    public func reportInputs(_ period: Period) throws -> ReportInputs {
        try reportInputs(period, approvalNote: approvalNote(period))
    }

    /// Everything the reports of `period` can show, with the approval's note already read
    /// (a publication quotes it in the managers' digest too, and reads it once).
    func reportInputs(_ period: Period, approvalNote: String?) throws -> ReportInputs {
        // The period's submissions and accepted data are read once, for every use below.
        let all = try store.submissions(period: period)
        let accepted = try store.acceptedData(period: period)
        let current = [period: tallies(of: accepted, seenFrom: period)]
        let aggregator = definitions.reports.contains(where: \.needsHistory) ? try self.aggregator(period, known: current)
            : QuarterlyAggregator(catalog: definitions.catalog, history: current)
        let plans = try self.plans(year: period.year)
        var notes: [String] = []
        let successions = successions(seenFrom: period)
        // One entry per successor, its predecessors after it: 63 former provinces make 34 entries.
        let merged = Dictionary(grouping: successions.filter { $0.level == .unit }, by: \.to)
        if !merged.isEmpty {
            let list = merged.keys.sorted().map { to in
                "\(to) ← " + merged[to]!.map { "\($0.from)" + ($0.share < 1 ? " (\(Int(($0.share * 100).rounded())) %)" : "") }.joined(separator: ", ")
            }
            notes.append("Số liệu các kỳ trước của đơn vị đã sáp nhập được cộng vào đơn vị kế thừa: " + list.joined(separator: "; ") + ".")
        }
        let toAreas = successions.filter { $0.level == .area }
        if !toAreas.isEmpty {
            let byArea = Dictionary(grouping: toAreas, by: \.to)
            let list = byArea.keys.sorted().map { "\($0) ← " + byArea[$0]!.map(\.from).joined(separator: ", ") }
            notes.append("Số liệu các kỳ trước sắp xếp đơn vị hành chính (1/7/2025) được so sánh ở cấp khu vực: " + list.joined(separator: "; ") + ".")
        }
        let toProvince = successions.filter { $0.level == .province }.map(\.from)
        if !toProvince.isEmpty {
            notes.append("Số liệu của \(toProvince.joined(separator: ", ")) được so sánh ở cấp \(province.whole).")
        }
        if let note = approvalNote { notes.append(note) }
        return ReportInputs(province: province.asOf(period), scopes: scopes(period), period: period, catalog: definitions.catalog,
                            statuses: statuses(period, from: all),
                            deadline: deadline(period), aggregator: aggregator, plans: PlanTargets(units: plans.units, province: plans.province),
                            submissions: accepted, warnings: try store.acceptedWarnings(period: period),
                            notes: notes, issuedOn: issueDate(period, all))
    }

    /// The reports of a period, one per report definition.
    public func reports(_ period: Period) throws -> [Report] {
        reports(from: try reportInputs(period))
    }

    /// The reports built from inputs already read.
    public func reports(from inputs: ReportInputs) -> [Report] {
        let builder = ReportBuilder(inputs: inputs)
        return definitions.reports.map(builder.build)
    }

    /// What the reports say of the period's approval for the ministry: which version went up
    /// when, and the units whose files came after it (held, or taken in since), if any.
    public func approvalNote(_ period: Period) throws -> String? {
        guard let (approval, units) = try store.changedSinceApproval(period) else { return nil }
        let day = VietnamTime.civil(approval.approvedAt)
        let approved = "Số liệu kỳ này đã được phê duyệt gửi Bộ Công Thương (lần \(approval.version), ngày "
            + String(format: "%02d/%02d/%04d", day.day, day.month, day.year) + ")."
        guard !units.isEmpty else { return approved }
        return approved + " Có thay đổi sau khi phê duyệt, chưa có trong bản đã gửi: \(units.joined(separator: ", "))."
    }
}
