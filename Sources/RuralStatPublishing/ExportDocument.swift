// SPDX-License-Identifier: Apache-2.0
public import Foundation
import CellModel
public import RuralStatCore
import RuralStatStore
import RuralStatConfig

/// One figure's values in the `export` contract; absent values are written as `null`, and
/// `reasons` says why a comparison is empty.
public struct FigureValues: Encodable, Sendable, Equatable {
    public var quarter: Double?
    public var ytd: Double?
    public var sameQuarterLastYear: Double?
    public var ytdLastYear: Double?
    public var plan: Double?
    public var changePct: Double?
    public var ytdChangePct: Double?
    public var planPct: Double?
    public var programme: Double?
    public var programmeToDate: Double?
    public var programmePct: Double?
    public var reasons: [String: String]

    init(_ f: FigureComparison) {
        quarter = f.quarter
        ytd = f.ytd
        sameQuarterLastYear = f.sameQuarterLastYear
        ytdLastYear = f.ytdLastYear
        plan = f.plan
        changePct = f.change.map(Self.rounded)
        ytdChangePct = f.ytdChange.map(Self.rounded)
        planPct = f.planShare.map(Self.rounded)
        programme = f.programme
        programmeToDate = f.programmeToDate
        programmePct = f.programmeShare.map(Self.rounded)
        reasons = f.reasons.mapValues(\.en)
    }

    /// Percentages to 0.01, so the JSON shows 12.5, not 12.499999999999998.
    static func rounded(_ v: Double) -> Double { (v * 100).rounded() / 100 }

    enum CodingKeys: String, CodingKey {
        case quarter, ytd, plan, reasons
        case sameQuarterLastYear = "same_quarter_last_year"
        case ytdLastYear = "ytd_last_year"
        case changePct = "change_pct"
        case ytdChangePct = "ytd_change_pct"
        case planPct = "plan_pct"
        case programme
        case programmeToDate = "programme_to_date"
        case programmePct = "programme_pct"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(quarter, forKey: .quarter)
        try c.encode(ytd, forKey: .ytd)
        try c.encode(sameQuarterLastYear, forKey: .sameQuarterLastYear)
        try c.encode(ytdLastYear, forKey: .ytdLastYear)
        try c.encode(plan, forKey: .plan)
        try c.encode(changePct, forKey: .changePct)
        try c.encode(ytdChangePct, forKey: .ytdChangePct)
        try c.encode(planPct, forKey: .planPct)
        try c.encode(programme, forKey: .programme)
        try c.encode(programmeToDate, forKey: .programmeToDate)
        try c.encode(programmePct, forKey: .programmePct)
        try c.encode(reasons, forKey: .reasons)
    }
}

/// The `export` contract: a period's figures per unit and for the province.
public struct ExportDocument: Encodable, Sendable {
    public struct Unit: Encodable, Sendable {
        public var code: String
        public var name: String
        public var status: String
        public var figures: [String: FigureValues]
    }
    public struct ProvinceFigures: Encodable, Sendable {
        public var figures: [String: FigureValues]
    }

    public struct Group: Encodable, Sendable {
        public var name: String
        public var units: [String]
        public var figures: [String: FigureValues]
    }
    public struct CompletenessFigures: Encodable, Sendable {
        public var expected: Int
        public var on_time: Int
        public var late: Int
        public var rejected: Int
        public var missing: Int
    }

    public struct ProgrammeInfo: Encodable, Sendable {
        public var name: String
        public var from: Int
        public var to: Int
    }

    public var period: String
    public var programme: ProgrammeInfo?
    public var units: [Unit]
    public var groups: [Group]
    public var province: ProvinceFigures
    public var completeness: CompletenessFigures

    /// Builds the document: every figure with this quarter, the year to date, the same periods
    /// last year, the annual plan and the comparisons.
    public init(query: PeriodQuery, period: Period) throws {
        let aggregator = try query.aggregator(period)
        let plans = try query.plans(year: period.year)
        let programme = try query.programme(period)
        let catalog = query.definitions.catalog
        /// A scope's programme targets: its own, or the sum of its units' for figures that add up.
        func programmeTargets(_ units: [String], province: Bool) -> [String: Double] {
            guard let p = programme?.programme else { return [:] }
            var out = province ? (p.targets[nil] ?? [:]) : (units.count == 1 ? p.targets[units[0]] ?? [:] : [:])
            for (id, aggregate) in catalog.ids where out[id] == nil && aggregate == .sum {
                let parts = units.compactMap { p.targets[$0]?[id] }
                if !parts.isEmpty { out[id] = parts.reduce(0, +) }
            }
            return out
        }
        let scopes = query.scopes(period)
        /// `units` name the scope's targets; `keys` its history (with predecessors mapped to it).
        func figures(_ units: [String], keys: [String], plan: [String: Double], province: Bool = false) -> [String: FigureComparison] {
            var compared = aggregator.compare(period, units: keys, plan: plan)
            if let programme {
                let start = Period(year: programme.programme.fromYear, quarter: 1)!
                let progress = programme.aggregator.cumulative(period, since: start, units: keys)
                let targets = programmeTargets(units, province: province)
                for id in compared.keys {
                    compared[id]!.programme = targets[id]
                    compared[id]!.programmeToDate = progress[id]
                    let (share, reason) = QuarterlyAggregator.share(progress[id], of: targets[id])
                    compared[id]!.programmeShare = share
                    compared[id]!.reasons["programme_pct"] = reason
                }
            }
            return compared
        }
        self.programme = programme.map { ProgrammeInfo(name: $0.programme.name, from: $0.programme.fromYear, to: $0.programme.toYear) }
        self.period = period.description
        let statuses = try query.statuses(period)
        units = statuses.map { s in
            Unit(code: s.unit.code, name: s.unit.name, status: s.state.rawValue,
                 figures: scopes.explain(figures([s.unit.code], keys: scopes.keys(unit: s.unit.code), plan: plans.units[s.unit.code] ?? [:]),
                                         unit: s.unit.code, period: period).mapValues(FigureValues.init))
        }
        let current = scopes.province
        // The areas, in the configuration's order: each with its units' and its predecessors' history.
        groups = scopes.areas.map { g in
            let codes = scopes.units(in: g).map(\.code)
            let plan = PlanTargets(units: plans.units).combined(codes, catalog: catalog)
            return Group(name: g, units: codes, figures: figures(codes, keys: scopes.keys(area: g), plan: plan).mapValues(FigureValues.init))
        }
        province = ProvinceFigures(figures: figures(current.units.map(\.code), keys: scopes.provinceKeys, plan: plans.province,
                                                    province: true).mapValues(FigureValues.init))
        let c = query.completeness(statuses)
        completeness = CompletenessFigures(expected: c.expected, on_time: c.onTime, late: c.late, rejected: c.rejected, missing: c.missing)
    }

    /// Pretty, key-sorted JSON.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// One CSV line per unit and figure, then the province's.
    public func csv() -> String {
        var lines = ["unit,figure,quarter,ytd,same_quarter_last_year,ytd_last_year,plan,change_pct,ytd_change_pct,plan_pct"]
        func num(_ v: Double?) -> String { v.map(CellValue.format) ?? "" }
        func add(_ unit: String, _ figures: [String: FigureValues]) {
            for id in figures.keys.sorted() {
                let f = figures[id]!
                let values = [f.quarter, f.ytd, f.sameQuarterLastYear, f.ytdLastYear, f.plan, f.changePct, f.ytdChangePct, f.planPct]
                lines.append("\(unit),\"\(id)\"," + values.map(num).joined(separator: ","))
            }
        }
        for u in units { add(u.code, u.figures) }
        add("PROVINCE", province.figures)
        return lines.joined(separator: "\n") + "\n"
    }
}
