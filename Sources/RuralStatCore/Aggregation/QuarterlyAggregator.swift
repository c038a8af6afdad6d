// SPDX-License-Identifier: Apache-2.0
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

/// A predecessor (an old district, a whole old province) whose history now counts under what
/// followed it since the 2025 reform. Comparisons are exact only where the boundary is the
/// same, so a predecessor is mapped to the level where it is: a unit that took it over whole
/// (or a `share` of it, where the province decided a split), the **area** its communes were
/// formed from, or the **province**. Nothing is ever split that the province did not split.
public struct UnitSuccession: Sendable, Hashable, Codable {
    /// The level a predecessor's history goes to.
    public enum Level: String, Sendable, Hashable, Codable {
        case unit, area, province
    }
    public var from: String
    /// The successor unit's code, or the area's name; empty for the province.
    public var to: String
    public var share: Double
    public var level: Level

    public init(from: String, to: String, share: Double = 1) {
        self.from = from
        self.to = to
        self.share = share
        level = .unit
    }

    /// The predecessor's history is the history of the area `name`.
    public static func toArea(from: String, _ name: String) -> UnitSuccession {
        var s = UnitSuccession(from: from, to: name)
        s.level = .area
        return s
    }

    /// The predecessor's history is part of the province's (old provinces merged whole).
    public static func toProvince(from: String) -> UnitSuccession {
        var s = UnitSuccession(from: from, to: "")
        s.level = .province
        return s
    }

    /// Re-expresses tallies keyed by unit under what followed: a predecessor's figures are
    /// added to its successor units (following chains), or kept under its area's or the
    /// province's history key (`HistoryKey`); a current unit keeps its own.
    public static func reexpress(_ tallies: [String: [String: Tally]], _ successions: [UnitSuccession],
                                 catalog: FigureCatalog) -> [String: [String: Tally]] {
        guard !successions.isEmpty else { return tallies }
        var bySource: [String: [UnitSuccession]] = [:]
        for s in successions { bySource[s.from.uppercased(), default: []].append(s) }
        func destinations(_ unit: String, _ share: Double, _ depth: Int) -> [(String, Double)] {
            guard depth < 16, let next = bySource[unit.uppercased()] else { return [(unit, share)] }
            return next.flatMap { s -> [(String, Double)] in
                switch s.level {
                case .unit: return destinations(s.to, share * s.share, depth + 1)
                case .area: return [(HistoryKey.area(s.to), share)]
                case .province: return [(HistoryKey.province, share)]
                }
            }
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

/// Keys of the history that belong to no current unit: a predecessor's figures kept for its
/// area or for the province. They start with a character no unit code can hold.
public enum HistoryKey {
    public static func area(_ name: String) -> String { "\u{1}area:" + name }
    public static let province = "\u{1}province"
}

/// The scopes figures are compared in — a unit, an area (khu vực: a unit's `group`, such as
/// the former district its commune was formed from), the province — and the history keys
/// each is made of, with the reason a scope has no history of its own.
public struct ComparisonScopes: Sendable {
    /// The province as it stands in the period.
    public let province: Province
    /// Every unit ever configured (those that stopped reporting keep their history).
    public let allUnits: [ReportingUnit]
    public let successions: [UnitSuccession]
    /// The areas in the order their first unit is listed; empty when no unit has one.
    public let areas: [String]

    public init(province: Province, period: Period, successions: [UnitSuccession]) {
        self.province = province.asOf(period)
        allUnits = province.units
        self.successions = successions
        var seen: [String] = []
        for u in self.province.units { if let g = u.group, !seen.contains(g) { seen.append(g) } }
        areas = seen
    }

    /// The units of `area` in the period, in the configuration's order.
    public func units(in area: String) -> [ReportingUnit] {
        province.units.filter { $0.group == area }
    }

    /// A unit's history is its own (and what unit-level successions gave it).
    public func keys(unit code: String) -> [String] { [code] }

    /// An area's history: its units' and its predecessors' (old districts mapped to it).
    public func keys(area: String) -> [String] {
        units(in: area).map(\.code) + [HistoryKey.area(area)]
    }

    /// The province's history: every unit's, every area's predecessors', and the old provinces'.
    public var provinceKeys: [String] {
        var areaNames = areas
        for s in successions where s.level == .area && !areaNames.contains(s.to) { areaNames.append(s.to) }
        return allUnits.map(\.code) + areaNames.map(HistoryKey.area) + [HistoryKey.province]
    }

    /// The first quarter a unit has figures of its own, when it was formed recently (`from`)
    /// and nothing was mapped to it; nil for a unit with its own history.
    private func newSince(_ code: String) -> (ReportingUnit, Period)? {
        guard let unit = province.unit(code), let from = unit.from,
              !successions.contains(where: { $0.level == .unit && $0.to.uppercased() == code.uppercased() }) else { return nil }
        return (unit, from)
    }

    /// Why a unit formed recently has no comparison with last year in `period`: its same quarter
    /// last year (or, with `yearToDate`, any quarter of last year's year to date) comes before
    /// its first quarter. Nil when the comparison is its own to make.
    public func newUnitReason(_ code: String, period: Period, yearToDate: Bool = false) -> LocalizedText? {
        guard let (unit, from) = newSince(code) else { return nil }
        let firstCompared = yearToDate ? Period(year: period.year - 1, quarter: 1)! : period.sameQuarterLastYear
        guard firstCompared < from else { return nil }
        let area = unit.group.map { " (khu vực \($0))" } ?? ""
        let areaEn = unit.group.map { " (area \($0))" } ?? ""
        let what = yearToDate ? "lũy kế cùng kỳ năm trước của riêng đơn vị không đủ các quý" : "chưa có số liệu cùng kỳ của riêng đơn vị"
        let whatEn = yearToDate ? "its own year to date last year is not a whole one" : "with no figures of its own for the same period last year"
        return LocalizedText(
            vi: "đơn vị mới từ \(from.vietnameseTitle), \(what): so sánh ở cấp khu vực\(area) và toàn tỉnh",
            en: "a new unit since \(from), \(whatEn): compared at area\(areaEn) and province level")
    }

    /// A new unit's comparisons with last year are left empty with the reason: the same quarter
    /// before it existed, and a year to date last year that covers only part of the year (a
    /// commune of 2025-Q3 compared in 2026-Q3 would set three quarters against one).
    public func explain(_ figures: [String: FigureComparison], unit code: String, period: Period) -> [String: FigureComparison] {
        let quarter = newUnitReason(code, period: period)
        let yearToDate = newUnitReason(code, period: period, yearToDate: true)
        guard quarter != nil || yearToDate != nil else { return figures }
        return figures.mapValues { f in
            var f = f
            if let quarter {
                f.sameQuarterLastYear = nil
                f.change = nil
                f.reasons["change_pct"] = quarter
            }
            if let yearToDate {
                f.ytdLastYear = nil
                f.ytdChange = nil
                f.reasons["ytd_change_pct"] = yearToDate
            }
            return f
        }
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
