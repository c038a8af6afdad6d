// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatCore

/// A quantity's quarterly path: a random walk on the log scale with a drift (0.03: 3 % a quarter).
private func walk(_ level: Double, drift: Double, noise: Double, count: Int, _ rng: inout BenchRandom) -> [Double] {
    var v = level
    var out: [Double] = []
    for _ in 0..<count {
        out.append(v)
        v *= exp(drift + noise * rng.normal())
    }
    return out
}

struct VillagePath {
    var code: String
    /// The first quarter (index) the village is reported in.
    var from: Int
    var households: [Double], tradeHouseholds: [Double], labourers: [Double], establishments: [Double]
    /// Small stocks: 0–3 cooperatives, 0–5 enterprises, one coming or going now and then.
    var cooperatives: [Double], enterprises: [Double]
    /// Million VND in the quarter.
    var production: [Double]
    /// Thousand USD in the quarter; nil: the village does not export.
    var export: [Double]?
}

struct ProjectPath {
    var code: String
    /// Quarters (indices) the project is reported in: from ..< to.
    var from: Int, to: Int
    /// Million VND, the same over the project's life.
    var budget: Double
    /// Million VND in each quarter of its life (index t - from): lumps and zeros.
    var disbursed: [Double]
}

enum UnitKind: String, CaseIterable {
    case continuing = "reporting throughout"
    case merged = "new from 2025-Q3, with predecessors"
    case alone = "new from 2025-Q3, no predecessor"
    case predecessor = "predecessor (until 2025-Q2)"
}

struct UnitPath {
    var code: String
    var kind: UnitKind
    var size: Double
    /// Quarters (indices) the unit reports in: from ..< to.
    var from: Int, to: Int
    var villages: [VillagePath] = []
    var projects: [ProjectPath] = []
    var establishments: [Double] = []
    var establishmentLabourers: [Double] = []
    /// The indicators' other figures (products, artisans, fairs, booths, trainees, clusters, occupancy).
    var events = EventPaths()
    /// Indices of the predecessors in the province's units and the share of each the unit took.
    var predecessors: [(index: Int, share: Double)] = []
}

/// A generated province: its units' paths over the quarters, and the data they submit.
struct OutlierProvince {
    let periods: [Period]
    /// The quarter of the reform: units of the kinds `merged` and `alone` report from it on.
    let reform: Int
    var units: [UnitPath] = []

    /// Production value per labourer drifts up slowly; Q1 (Tết) is a little lower, Q4 higher.
    static let seasonal = [0.94, 1.0, 1.01, 1.05]

    init(options: OutlierBenchOptions, seed: UInt64) {
        var rng = BenchRandom(seed: seed)
        let first = Period("2024-Q3")!
        var periods = [first]
        while periods.count < options.quarters { periods.append(periods.last!.next) }
        self.periods = periods
        reform = periods.firstIndex(of: Period("2025-Q3")!) ?? periods.count
        let q = periods.count
        let newCount = reform < q ? Int((0.3 * Double(options.units)).rounded()) : 0
        let mergedCount = Int((Double(newCount) * 2 / 3).rounded())
        for i in 0..<options.units {
            let code = String(format: "U%03d", i + 1)
            // Log-normal sizes: the 5th and 95th percentiles about 10× apart.
            let size = exp(0.7 * rng.normal())
            let kind: UnitKind = i < options.units - newCount ? .continuing : i < options.units - newCount + mergedCount ? .merged : .alone
            switch kind {
            case .continuing:
                units.append(Self.unit(code: code, kind: kind, size: size, from: 0, to: q, quarters: q, projectLife: options.projectLife, &rng))
            case .alone:
                units.append(Self.unit(code: code, kind: kind, size: size, from: reform, to: q, quarters: q, projectLife: options.projectLife, &rng))
            case .merged, .predecessor:
                // One to three old communes, each whole (share 1) or in part (the rest went elsewhere).
                var commune = UnitPath(code: code, kind: .merged, size: size, from: reform, to: q)
                let count = 1 + rng.weighted([0.4, 0.4, 0.2])
                commune.establishments = Array(repeating: 0, count: q)
                commune.establishmentLabourers = Array(repeating: 0, count: q)
                var parts: [(EventPaths, Double)] = []
                for _ in 0..<count {
                    let pcode = String(format: "P%03d", units.count + 1)
                    let old = Self.unit(code: pcode, kind: .predecessor, size: size / Double(count) * rng.uniform(0.6, 1.4),
                                        from: 0, to: reform, quarters: q, projectLife: options.projectLife, &rng)
                    let share = rng.chance(0.6) ? 1 : (rng.uniform(0.3, 0.8) * 100).rounded() / 100
                    commune.predecessors.append((units.count, share))
                    units.append(old)
                    // The commune takes the villages and projects inside its new boundary (all of a
                    // whole predecessor's, about `share` of the others'), and its share of the rest.
                    commune.villages += old.villages.filter { _ in share == 1 || rng.chance(share) }.map { v in
                        var v = v
                        v.from = reform
                        return v
                    }
                    commune.projects += old.projects.filter { $0.to > reform && (share == 1 || rng.chance(share)) }
                    parts.append((old.events, share))
                    for t in 0..<q {
                        let redrawn = share == 1 ? 1 : exp(0.03 * rng.normal())
                        commune.establishments[t] += share * old.establishments[t] * redrawn
                        commune.establishmentLabourers[t] += share * old.establishmentLabourers[t] * redrawn
                    }
                }
                commune.events = Self.merged(parts, quarters: q)
                units.append(commune)
            }
        }
        // A few villages reported for the first time in the last quarter.
        for i in units.indices where units[i].to == q && rng.chance(options.newVillages) {
            var extra = Self.unit(code: units[i].code, kind: .continuing, size: units[i].size, from: 0, to: q, quarters: q, villages: 1,
                                  projectLife: options.projectLife, &rng).villages[0]
            extra.code = units[i].code + "-LN9"
            extra.from = q - 1
            units[i].villages.append(extra)
        }
    }

    /// A unit's paths over all the quarters (the ones it does not report in are never submitted).
    static func unit(code: String, kind: UnitKind, size: Double, from: Int, to: Int, quarters q: Int, villages: Int? = nil,
                     projectLife: ClosedRange<Int>, _ rng: inout BenchRandom) -> UnitPath {
        var u = UnitPath(code: code, kind: kind, size: size, from: from, to: to)
        // Each unit drifts 2–6 % a quarter, mostly up.
        let drift = rng.uniform(0.02, 0.06) * (rng.chance(0.7) ? 1 : -1)
        let villageCount = villages ?? rng.weighted([0.15, 0.30, 0.25, 0.18, 0.12])
        for v in 0..<villageCount {
            let d = drift + 0.01 * rng.normal()
            let households = walk(min(3000, max(60, 350 * pow(size, 0.3) * exp(0.35 * rng.normal()))), drift: d / 5, noise: 0.005, count: q, &rng)
            let tradeShare = walk(rng.uniform(0.25, 0.85), drift: d / 4, noise: 0.01, count: q, &rng).map { min(0.95, $0) }
            let trade = zip(households, tradeShare).map { ($0 * $1).rounded() }
            let perHousehold = walk(rng.uniform(1.2, 2.5), drift: d / 2, noise: 0.02, count: q, &rng)
            let labourers = zip(trade, perHousehold).map { max(1, ($0 * $1).rounded()) }
            let productivity = walk(25 * exp(0.4 * rng.normal()), drift: rng.uniform(0, 0.03), noise: 0.03, count: q, &rng)
            let production = (0..<q).map { t in labourers[t] * productivity[t] * seasonal[(2 + t) % 4] }
            let exportShare = rng.chance(0.4) ? walk(rng.uniform(0.1, 0.5), drift: 0, noise: 0.05, count: q, &rng) : nil
            let establishments = walk(max(3, labourers[0] / rng.uniform(3, 8)), drift: d / 2, noise: 0.02, count: q, &rng)
            let cooperatives = rng.smallStock(Double(rng.weighted([0.45, 0.35, 0.15, 0.05])), up: 0.03, down: 0.02, count: q)
            let enterprises = rng.smallStock(rng.poisson(1.5 * pow(size, 0.3)), up: 0.05, down: 0.03, count: q)
            u.villages.append(VillagePath(code: "\(code)-LN\(v + 1)", from: from, households: households.map { $0.rounded() },
                                          tradeHouseholds: trade, labourers: labourers, establishments: establishments.map { $0.rounded() },
                                          cooperatives: cooperatives, enterprises: enterprises,
                                          production: production, export: exportShare.map { s in zip(production, s).map { $0 * $1 / 25 } }))
        }
        // Zero to three projects at a time, each running 4–8 quarters (`projectLife`) with its budget unchanged,
        // the next one starting when it ends.
        var serial = 0
        for _ in 0..<rng.weighted([0.30, 0.35, 0.25, 0.10]) {
            var start = -Int.random(in: 0..<projectLife.upperBound, using: &rng)
            while start < q {
                let life = Int.random(in: projectLife, using: &rng)
                let budget = min(5000, max(30, 300 * pow(size, 0.3) * exp(0.6 * rng.normal()))).rounded()
                serial += 1
                u.projects.append(ProjectPath(code: "\(code)-DA\(serial)", from: start, to: start + life, budget: budget,
                                              disbursed: disbursements(budget: budget, life: life, &rng)))
                start += life
            }
        }
        let establishments = walk(max(5, 45 * size * exp(0.3 * rng.normal())), drift: drift / 2, noise: 0.015, count: q, &rng)
        let perEstablishment = walk(rng.uniform(3, 8), drift: drift / 2, noise: 0.02, count: q, &rng)
        u.establishments = establishments
        u.establishmentLabourers = zip(establishments, perEstablishment).map { $0 * $1 }
        u.events = EventPaths(size: size, quarters: q, quarterOfYear: { (2 + $0) % 4 + 1 }, &rng)
        return u
    }

    /// A merged commune's indicators: its predecessors' by the share of each it took, an average
    /// weighted by the shares for a figure that is one (nan where none has it).
    static func merged(_ parts: [(EventPaths, Double)], quarters q: Int) -> EventPaths {
        var out = EventPaths()
        for field in Set(parts.flatMap { $0.0.values.keys }) {
            out.values[field] = (0..<q).map { t in
                let present = parts.compactMap { p in p.0.values[field].map { ($0[t], p.1) } }.filter { !$0.0.isNaN }
                guard !present.isEmpty else { return .nan }
                let total = present.reduce(0) { $0 + $1.0 * $1.1 }
                return EventPaths.averaged.contains(field) ? total / present.reduce(0) { $0 + $1.1 } : total.rounded()
            }
        }
        return out
    }

    /// What unit `u` submits for quarter `t`.
    func submission(_ u: Int, _ t: Int, schema: FormSchema) -> SubmissionData {
        let unit = units[u]
        var facts: [Fact] = []
        func money(_ million: Double) -> FactValue { .money(dong: Int64((million * 10).rounded()) * 100_000) }
        let villages = unit.villages.filter { $0.from <= t }
        for (r, v) in villages.enumerated() {
            facts.append(Fact(sheet: "villages", row: r, field: "code", value: .text(v.code)))
            facts.append(Fact(sheet: "villages", row: r, field: "households", value: .integer(Int64(v.households[t]))))
            facts.append(Fact(sheet: "villages", row: r, field: "trade_households", value: .integer(Int64(v.tradeHouseholds[t]))))
            facts.append(Fact(sheet: "villages", row: r, field: "establishments", value: .integer(Int64(v.establishments[t]))))
            facts.append(Fact(sheet: "villages", row: r, field: "labourers", value: .integer(Int64(v.labourers[t]))))
            facts.append(Fact(sheet: "villages", row: r, field: "cooperatives", value: .integer(Int64(v.cooperatives[t]))))
            facts.append(Fact(sheet: "villages", row: r, field: "enterprises", value: .integer(Int64(v.enterprises[t]))))
            facts.append(Fact(sheet: "villages", row: r, field: "production_value", value: money(v.production[t])))
            if let e = v.export { facts.append(Fact(sheet: "villages", row: r, field: "export_value", value: .decimal((e[t] * 10).rounded() / 10))) }
        }
        for (r, p) in unit.projects.filter({ $0.from <= t && t < $0.to }).enumerated() {
            facts.append(Fact(sheet: "projects", row: r, field: "code", value: .text(p.code)))
            facts.append(Fact(sheet: "projects", row: r, field: "approved_budget", value: money(p.budget)))
            facts.append(Fact(sheet: "projects", row: r, field: "disbursed", value: money(p.disbursed[t - p.from])))
        }
        facts.append(Fact(sheet: "indicators", row: nil, field: "establishments", value: .integer(Int64(unit.establishments[t].rounded()))))
        facts.append(Fact(sheet: "indicators", row: nil, field: "establishment_labourers",
                          value: .integer(Int64(unit.establishmentLabourers[t].rounded()))))
        facts.append(Fact(sheet: "indicators", row: nil, field: "villages_total", value: .integer(Int64(villages.count))))
        for (field, path) in unit.events.values.sorted(by: { $0.key < $1.key }) where !path[t].isNaN {
            let value: FactValue = EventPaths.averaged.contains(field) ? .decimal(path[t]) : .integer(Int64(path[t].rounded()))
            facts.append(Fact(sheet: "indicators", row: nil, field: field, value: value))
        }
        return SubmissionData(unitCode: unit.code, period: periods[t], schemaID: schema.id, schemaVersion: schema.version, facts: facts)
    }
}
