/// One figure as managers read it: this quarter, the year to date, the same periods last
/// year, the annual plan, and the comparisons — each nil when it cannot be computed, with
/// the reason in `reasons` (keyed by the field), never a false 0 %.
public struct FigureComparison: Sendable, Equatable {
    public var previousQuarter: Double?
    public var quarter: Double?
    public var ytd: Double?
    public var sameQuarterLastYear: Double?
    public var ytdLastYear: Double?
    public var plan: Double?
    /// Change of the quarter against the same quarter last year, in percent.
    public var change: Double?
    /// Change of the year to date against last year's, in percent.
    public var ytdChange: Double?
    /// The year to date as a share of the annual plan, in percent.
    public var planShare: Double?
    /// A multi-year programme's target, and the progress towards it since its first quarter.
    public var programme: Double?
    public var programmeToDate: Double?
    public var programmeShare: Double?
    public var reasons: [String: LocalizedText] = [:]

    public init() {}
}

/// A predecessor unit whose history now counts under a successor (the 2025 reform merged
/// districts and split some between communes): `share` of its figures go to `to`.
public struct UnitSuccession: Sendable, Hashable, Codable {
    public var from: String
    public var to: String
    public var share: Double

    public init(from: String, to: String, share: Double = 1) {
        self.from = from
        self.to = to
        self.share = share
    }

    /// Re-expresses tallies keyed by unit under the current units: a predecessor's figures are
    /// added to its successors (following chains), a current unit keeps its own.
    public static func reexpress(_ tallies: [String: [String: Tally]], _ successions: [UnitSuccession],
                                 catalog: FigureCatalog) -> [String: [String: Tally]] {
        guard !successions.isEmpty else { return tallies }
        var bySource: [String: [UnitSuccession]] = [:]
        for s in successions { bySource[s.from.uppercased(), default: []].append(s) }
        func destinations(_ unit: String, _ share: Double, _ depth: Int) -> [(String, Double)] {
            guard depth < 16, let next = bySource[unit.uppercased()] else { return [(unit, share)] }
            return next.flatMap { destinations($0.to, share * $0.share, depth + 1) }
        }
        var out: [String: [String: Tally]] = [:]
        for (unit, figures) in tallies {
            for (target, share) in destinations(unit, 1, 0) {
                let part = share == 1 ? figures : figures.mapValues { $0.scaled(share) }
                out[target] = catalog.combine([out[target], part].compactMap { $0 })
            }
        }
        return out
    }
}

/// Puts a period's figures in their year: pure, it takes every quarter's tallies by unit and
/// the plan, and returns each figure with its comparisons for any set of units.
public struct QuarterlyAggregator: Sendable {
    public let catalog: FigureCatalog
    /// Tallies of each period, by (current) unit code.
    public let history: [Period: [String: [String: Tally]]]

    public init(catalog: FigureCatalog, history: [Period: [String: [String: Tally]]]) {
        self.catalog = catalog
        self.history = history
    }

    /// The periods whose tallies `compare` needs for `period`.
    public static func periodsNeeded(for period: Period) -> [Period] {
        var periods = period.quartersToDate + period.sameQuarterLastYear.quartersToDate
        if !periods.contains(period.previous) { periods.append(period.previous) }
        return periods
    }

    /// The combined tallies of `units` in `period`; nil when none of them has data.
    func combined(_ units: [String], _ period: Period) -> [String: Tally]? {
        let parts = units.compactMap { history[period]?[$0] }
        return parts.isEmpty ? nil : catalog.combine(parts)
    }

    /// The figure's value over the quarters of a year to date, given each quarter's combined
    /// tallies (nil where no unit had data): flows add up, stocks are the latest quarter with data.
    func toDate(_ id: String, _ quarters: [[String: Tally]?]) -> Double? {
        switch catalog.accumulation[id] ?? .last {
        case .sum:
            let present = quarters.compactMap { $0?[id] }
            guard !present.isEmpty else { return nil }
            if present[0].aggregate == .mean { return present.compactMap(\.value).last }
            var t = Tally(aggregate: present[0].aggregate)
            for q in present { t.merge(q) }
            return t.value
        case .last:
            return quarters.reversed().compactMap { $0?[id]?.value }.first
        }
    }

    /// Progress since `start` up to `period` (a multi-year programme): flows summed over every
    /// quarter, stocks as the latest quarter says. The history must hold those quarters.
    public func cumulative(_ period: Period, since start: Period, units: [String]) -> [String: Double] {
        var quarters: [[String: Tally]?] = []
        var p = start
        while p <= period {
            quarters.append(combined(units, p))
            p = p.next
        }
        var out: [String: Double] = [:]
        for (id, _) in catalog.ids { if let v = toDate(id, quarters) { out[id] = v } }
        return out
    }

    /// Every figure for the units in `units` (one unit, a group, the province).
    public func compare(_ period: Period, units: [String], plan: [String: Double] = [:]) -> [String: FigureComparison] {
        // Each quarter is combined once; every figure then reads from it.
        let thisYear = period.quartersToDate.map { combined(units, $0) }
        let lastYear = period.sameQuarterLastYear.quartersToDate.map { combined(units, $0) }
        let previous = combined(units, period.previous)
        var out: [String: FigureComparison] = [:]
        for (id, _) in catalog.ids {
            var f = FigureComparison()
            f.quarter = thisYear.last??[id]?.value
            f.previousQuarter = previous?[id]?.value
            f.ytd = toDate(id, thisYear)
            f.sameQuarterLastYear = lastYear.last??[id]?.value
            f.ytdLastYear = toDate(id, lastYear)
            f.plan = plan[id]
            (f.change, f.reasons["change_pct"]) = Self.percentChange(f.quarter, f.sameQuarterLastYear)
            (f.ytdChange, f.reasons["ytd_change_pct"]) = Self.percentChange(f.ytd, f.ytdLastYear)
            (f.planShare, f.reasons["plan_pct"]) = Self.share(f.ytd, of: f.plan)
            out[id] = f
        }
        return out
    }

    static func percentChange(_ now: Double?, _ before: Double?) -> (Double?, LocalizedText?) {
        guard let now else { return (nil, LocalizedText(vi: "chưa có số liệu kỳ này", en: "no figure for this period")) }
        guard let before else { return (nil, LocalizedText(vi: "không có số liệu cùng kỳ năm trước", en: "no figure for the same period last year")) }
        guard before != 0 else { return (nil, LocalizedText(vi: "cùng kỳ năm trước bằng 0", en: "the same period last year was 0")) }
        return ((now - before) / before * 100, nil)
    }

    public static func share(_ value: Double?, of plan: Double?) -> (Double?, LocalizedText?) {
        guard let plan else { return (nil, LocalizedText(vi: "chưa có kế hoạch năm", en: "no annual plan")) }
        guard plan != 0 else { return (nil, LocalizedText(vi: "kế hoạch năm bằng 0", en: "the annual plan is 0")) }
        guard let value else { return (nil, LocalizedText(vi: "chưa có số liệu", en: "no figure yet")) }
        return (value / plan * 100, nil)
    }
}
