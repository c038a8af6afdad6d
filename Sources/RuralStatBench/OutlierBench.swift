// ruralstat-bench outliers: how well the outlier checks (issue 17) find the errors clerks make,
// and how often they flag a clean figure. A province's history is generated, errors of known
// kinds are put into one value of one unit's last quarter, and the checks run as the daemon runs
// them (the unit's earlier quarters, or its predecessors' with their shares, and the quarter's
// other units). bench/run_outliers.py writes the output into BENCHMARKS.md.
import Foundation
import RuralStatCore
import RuralStatFiles

// MARK: - Options

struct OutlierBenchOptions {
    var units = 114
    var quarters = 8
    var seed: UInt64 = 1
    /// Provinces generated (seeds seed, seed + 1, …); the trials and clean figures of all are pooled.
    var provinces = 3
    /// Errors of each kind put into each unit's last quarter, one at a time, per province.
    var trialsPerUnit = 2
    var schemaPath = "templates/quarterly-v1.yaml"
    var threshold: Double?
    var historyFloor: Double?
    var peerFloor: Double?
    var minPeers: Int?
    var minHistory: Int?
    /// The generator's two sources of rows that come and go: how long a project runs (quarters),
    /// and the share of units reporting a new village in the last quarter.
    var projectLife = 4...8
    var newVillages = 0.06
    /// Print every false alarm with its history, and every missed error.
    var verbose = false
    /// One line instead of the markdown: the false-alarm rate and the recall of each kind.
    var summary = false

    static let usage = """
        usage: ruralstat-bench outliers [--units N] [--quarters Q] [--seed S] [--provinces P] [--trials T] [--schema PATH]
                                        [--threshold Z] [--history-floor F] [--peer-floor F] [--min-peers N] [--min-history N]
                                        [--project-life MIN-MAX] [--new-villages SHARE] [--verbose] [--summary]
        --trials 0: the clean submissions alone (false alarms only).
        """

    init(_ args: [String]) {
        var i = 0
        func value() -> String {
            guard i + 1 < args.count else { fail(Self.usage, 2) }
            i += 1
            return args[i]
        }
        func number<T: LosslessStringConvertible>(_: T.Type) -> T {
            let text = value()
            guard let v = T(text) else { fail("\(args[i - 1]): '\(text)' is not a number\n" + Self.usage, 2) }
            return v
        }
        while i < args.count {
            switch args[i] {
            case "--units": units = number(Int.self)
            case "--quarters": quarters = number(Int.self)
            case "--seed": seed = number(UInt64.self)
            case "--provinces": provinces = number(Int.self)
            case "--trials": trialsPerUnit = number(Int.self)
            case "--schema": schemaPath = value()
            case "--threshold": threshold = number(Double.self)
            case "--history-floor": historyFloor = number(Double.self)
            case "--peer-floor": peerFloor = number(Double.self)
            case "--min-peers": minPeers = number(Int.self)
            case "--min-history": minHistory = number(Int.self)
            case "--new-villages": newVillages = number(Double.self)
            case "--project-life":
                let parts = value().split(separator: "-").compactMap { Int($0) }
                guard parts.count == 2, parts[0] >= 1, parts[0] <= parts[1] else { fail("--project-life: MIN-MAX quarters, say 4-8", 2) }
                projectLife = parts[0]...parts[1]
            case "--verbose": verbose = true
            case "--summary": summary = true
            default: fail("unknown option '\(args[i])'\n" + Self.usage, 2)
            }
            i += 1
        }
        guard units >= 10, provinces >= 1, trialsPerUnit >= 0 else { fail("--units must be at least 10, --provinces at least 1", 2) }
    }
}

// MARK: - Random numbers

/// SplitMix64 (the demo's generator): the same province for the same seed on every machine.
struct BenchRandom: RandomNumberGenerator {
    private var mix: SplitMix
    init(seed: UInt64) { mix = SplitMix(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x1234_5678) }
    mutating func next() -> UInt64 { mix.next() }
    mutating func uniform(_ a: Double, _ b: Double) -> Double { Double.random(in: a..<b, using: &self) }
    mutating func chance(_ p: Double) -> Bool { uniform(0, 1) < p }
    /// A standard normal deviate (Box–Muller).
    mutating func normal() -> Double {
        let u = max(uniform(0, 1), 1e-300), v = uniform(0, 1)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
    /// An index drawn with the given weights.
    mutating func weighted(_ weights: [Double]) -> Int {
        var x = uniform(0, weights.reduce(0, +))
        for (i, w) in weights.enumerated() {
            if x < w { return i }
            x -= w
        }
        return weights.count - 1
    }
}

// MARK: - The province

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
    var disbursed: Double
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
                    for t in 0..<q {
                        let redrawn = share == 1 ? 1 : exp(0.03 * rng.normal())
                        commune.establishments[t] += share * old.establishments[t] * redrawn
                        commune.establishmentLabourers[t] += share * old.establishmentLabourers[t] * redrawn
                    }
                }
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
            u.villages.append(VillagePath(code: "\(code)-LN\(v + 1)", from: from, households: households.map { $0.rounded() },
                                          tradeHouseholds: trade, labourers: labourers, establishments: establishments.map { $0.rounded() },
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
                                              disbursed: budget / Double(life)))
                start += life
            }
        }
        let establishments = walk(max(5, 45 * size * exp(0.3 * rng.normal())), drift: drift / 2, noise: 0.015, count: q, &rng)
        let perEstablishment = walk(rng.uniform(3, 8), drift: drift / 2, noise: 0.02, count: q, &rng)
        u.establishments = establishments
        u.establishmentLabourers = zip(establishments, perEstablishment).map { $0 * $1 }
        return u
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
            facts.append(Fact(sheet: "villages", row: r, field: "production_value", value: money(v.production[t])))
            if let e = v.export { facts.append(Fact(sheet: "villages", row: r, field: "export_value", value: .decimal((e[t] * 10).rounded() / 10))) }
        }
        for (r, p) in unit.projects.filter({ $0.from <= t && t < $0.to }).enumerated() {
            facts.append(Fact(sheet: "projects", row: r, field: "code", value: .text(p.code)))
            facts.append(Fact(sheet: "projects", row: r, field: "approved_budget", value: money(p.budget)))
            facts.append(Fact(sheet: "projects", row: r, field: "disbursed", value: money(p.disbursed)))
        }
        facts.append(Fact(sheet: "indicators", row: nil, field: "establishments", value: .integer(Int64(unit.establishments[t].rounded()))))
        facts.append(Fact(sheet: "indicators", row: nil, field: "establishment_labourers",
                          value: .integer(Int64(unit.establishmentLabourers[t].rounded()))))
        facts.append(Fact(sheet: "indicators", row: nil, field: "villages_total", value: .integer(Int64(villages.count))))
        return SubmissionData(unitCode: unit.code, period: periods[t], schemaID: schema.id, schemaVersion: schema.version, facts: facts)
    }
}

// MARK: - Errors

enum InjectedError: CaseIterable {
    case times10, times100, times1000, times1e6, div10, div1000, rowShift, digitSwap

    /// n for a value 10ⁿ times what it should be.
    var power: Int? {
        switch self {
        case .times10: return 1
        case .times100: return 2
        case .times1000: return 3
        case .times1e6: return 6
        case .div10: return -1
        case .div1000: return -3
        case .rowShift, .digitSwap: return nil
        }
    }

    var label: String {
        switch self {
        case .times10: return "×10"
        case .times100: return "×100"
        case .times1000: return "×1000"
        case .times1e6: return "×10⁶"
        case .div10: return "÷10"
        case .div1000: return "÷1000"
        case .rowShift: return "row shifted by one"
        case .digitSwap: return "digits swapped"
        }
    }

    var appliedTo: String {
        switch self {
        case .times10, .times100, .times1000, .times1e6: return "any value"
        case .div10: return "any value still ≥ 1 (counts rounded)"
        case .div1000: return "money and decimal values (tỷ for triệu, million for thousand USD)"
        case .rowShift: return "a table column with ≥ 2 rows: each value moved up a row, the last left blank"
        case .digitSwap: return "two differing adjacent digits of the whole part (no leading 0)"
        }
    }

    /// `v` with the error; nil when it cannot be made on `v` (see `appliedTo`).
    func apply(_ v: FactValue, _ rng: inout BenchRandom) -> FactValue? {
        guard let number = v.number, number > 0 else { return nil }
        if self == .digitSwap {
            let whole = Int64(number.rounded(.down))
            guard let swapped = Self.swapDigits(whole, &rng) else { return nil }
            switch v {
            case .integer: return .integer(swapped)
            case .money(let dong): return .money(dong: swapped * 1_000_000 + dong % 1_000_000)
            case .decimal(let x): return .decimal(Double(swapped) + (x - Double(whole)))
            default: return nil
            }
        }
        guard let n = power else { return nil }
        let scale = Int64(pow(10, Double(abs(n))))
        switch v {
        case .integer(let x):
            if n > 0 {
                let (r, overflow) = x.multipliedReportingOverflow(by: scale)
                return overflow ? nil : .integer(r)
            }
            guard n == -1 else { return nil }
            let r = Int64((Double(x) / Double(scale)).rounded())
            return r >= 1 ? .integer(r) : nil
        case .money(let dong):
            if n > 0 {
                let (r, overflow) = dong.multipliedReportingOverflow(by: scale)
                return overflow ? nil : .money(dong: r)
            }
            return dong / scale > 0 ? .money(dong: dong / scale) : nil
        case .decimal(let x):
            return .decimal(n > 0 ? x * Double(scale) : x / Double(scale))
        default:
            return nil
        }
    }

    /// Two adjacent digits that differ, swapped; not making a leading zero.
    static func swapDigits(_ x: Int64, _ rng: inout BenchRandom) -> Int64? {
        var digits = Array(String(x))
        let places = (0..<max(0, digits.count - 1)).filter { digits[$0] != digits[$0 + 1] && !($0 == 0 && digits[1] == "0") }
        guard let at = places.randomElement(using: &rng) else { return nil }
        digits.swapAt(at, at + 1)
        return Int64(String(digits))
    }
}

// MARK: - The run

/// A value the checks look at: figure `sheet.field`, on a row (its key) or not (a sum, an indicator).
typealias CheckedValue = OutlierCheck.Key

private struct Trial: Sendable {
    var kind: InjectedError
    var figure: String
    /// The rows whose value the error changed (their keys); nil: an indicator.
    var rows: [String]?
    /// Had the clean submission already a hit on those rows or on the figure's sum?
    var flaggedClean: Bool
    /// The target had at least min_history earlier values of its own (or its predecessors').
    var withHistory: Bool
}

private struct Outcome {
    var detected = false
    var onCell = false
    var magnitudeNamed = false
}

private struct Tally {
    var trials = 0, detected = 0, onCell = 0, named = 0, flaggedClean = 0
    mutating func add(_ o: Outcome, _ t: Trial) {
        trials += 1
        if o.detected { detected += 1 }
        if o.onCell { onCell += 1 }
        if o.magnitudeNamed { named += 1 }
        if t.flaggedClean { flaggedClean += 1 }
    }
}

private func percent(_ a: Int, _ b: Int) -> String { b == 0 ? "–" : String(format: "%.1f %%", 100 * Double(a) / Double(b)) }

func outlierBench(_ args: [String]) throws {
    let options = OutlierBenchOptions(args)
    let started = Date()
    let schema = try FormSchema.load(yaml: String(contentsOfFile: options.schemaPath, encoding: .utf8), file: options.schemaPath)
    guard var spec = schema.outliers else { fail("\(options.schemaPath) has no outliers: section", 1) }
    if let v = options.threshold { spec.threshold = v }
    if let v = options.historyFloor { spec.historyFloor = v }
    if let v = options.peerFloor { spec.peerFloor = v }
    if let v = options.minPeers { spec.minPeers = v }
    if let v = options.minHistory { spec.minHistory = v }
    let check = OutlierCheck(spec: spec, schema: schema)
    let figureNames = spec.figures.map { $0.sheet + "." + $0.field }
    func figureKeys(_ data: SubmissionData, share: Double = 1) -> [CheckedValue: Double] {
        var out: [CheckedValue: Double] = [:]
        for (k, v) in check.observations(data, share: share) where !k.name.hasPrefix("ratio:") { out[k] = v }
        return out
    }
    func key(_ hit: BenchHit) -> CheckedValue { CheckedValue(name: hit.sheet + "." + hit.field, row: hit.rowKey) }

    var tallies: [InjectedError: Tally] = [:]
    var byFigure: [InjectedError: [String: Tally]] = [:]
    var byHistory: [InjectedError: [Bool: Tally]] = [:]
    var cleanChecked = 0, cleanRows = 0, cleanWithHistory = 0, cleanFlagged = 0, cleanSubmissions = 0, flaggedSubmissions = 0
    var alarmsByFigure: [String: (checked: Int, flagged: Int)] = [:]
    var alarmsByKind: [UnitKind: (checked: Int, flagged: Int, submissions: Int, flaggedSubmissions: Int)] = [:]
    var alarmsBySize: [Int: (checked: Int, flagged: Int)] = [:]
    var alarmCauses: [String: Int] = [:]
    var unitCounts: [UnitKind: Int] = [:]
    var verboseLines: [String] = []
    var lastProvince: OutlierProvince?

    for p in 0..<options.provinces {
        let seed = options.seed + UInt64(p)
        let province = OutlierProvince(options: options, seed: seed)
        lastProvince = province
        let q = province.periods.count, test = q - 1
        guard province.reform <= test else { fail("--quarters must reach 2025-Q3 (at least 5)", 2) }
        var submissions: [[SubmissionData?]] = province.units.indices.map { u in
            (0..<q).map { t in province.units[u].from <= t && t < province.units[u].to ? province.submission(u, t, schema: schema) : nil }
        }
        let active = province.units.indices.filter { province.units[$0].to == q }
        for u in active { unitCounts[province.units[u].kind, default: 0] += 1 }
        let peers = active.compactMap { submissions[$0][test] }
        func checkHits(_ data: SubmissionData, _ ev: OutlierEvidence) -> [BenchHit] { check.hits(data, evidence: ev).map(BenchHit.init) }
        func evidence(_ u: Int) -> OutlierEvidence {
            var earlier: [[(data: SubmissionData, share: Double)]] = []
            for k in 1...spec.historyQuarters {
                let t = test - k
                if t < 0 { earlier.append([]); continue }
                if let own = submissions[u][t] { earlier.append([(own, 1)]); continue }
                earlier.append(province.units[u].predecessors.compactMap { pre in submissions[pre.index][t].map { ($0, pre.share) } })
            }
            let code = province.units[u].code.uppercased()
            return OutlierEvidence(earlier: earlier, peers: peers.filter { $0.unitCode.uppercased() != code })
        }
        // Sizes in thirds: small, middle, large.
        let sorted = active.map { province.units[$0].size }.sorted()
        func third(_ size: Double) -> Int { size < sorted[sorted.count / 3] ? 0 : size < sorted[2 * sorted.count / 3] ? 1 : 2 }

        var rng = BenchRandom(seed: seed ^ 0xA5A5_5A5A)
        var trials: [(unit: Int, data: SubmissionData, trial: Trial)] = []
        var pasts: [Int: [CheckedValue: [Double]]] = [:]
        for u in active {
            let data = submissions[u][test]!
            let ev = evidence(u)
            // The figures' earlier values as the checks merge them (predecessors' by their shares).
            var past: [CheckedValue: [Double]] = [:]
            for parts in ev.earlier {
                var merged: [CheckedValue: Double] = [:]
                for part in parts { merged.merge(figureKeys(part.data, share: part.share)) { $0 + $1 } }
                for (k, v) in merged { past[k, default: []].append(v) }
            }
            pasts[u] = past
            let hasHistory = { (k: CheckedValue) in (past[k] ?? []).filter { $0 > 0 }.count >= spec.minHistory }
            let hits = checkHits(data, ev)
            let flagged = Set(hits.map(key))
            let checked = figureKeys(data)
            let unit = province.units[u]
            cleanSubmissions += 1
            cleanChecked += checked.count
            cleanRows += checked.keys.filter { $0.row != nil }.count
            cleanWithHistory += checked.keys.filter(hasHistory).count
            cleanFlagged += flagged.count
            if !flagged.isEmpty { flaggedSubmissions += 1 }
            for k in checked.keys {
                let label = k.name + (k.row == nil ? (k.name.hasPrefix("indicators.") ? "" : " (sum)") : " (row)")
                alarmsByFigure[label, default: (0, 0)].checked += 1
                if flagged.contains(k) { alarmsByFigure[label, default: (0, 0)].flagged += 1 }
            }
            alarmsByKind[unit.kind, default: (0, 0, 0, 0)].checked += checked.count
            alarmsByKind[unit.kind, default: (0, 0, 0, 0)].flagged += flagged.count
            alarmsByKind[unit.kind, default: (0, 0, 0, 0)].submissions += 1
            if !flagged.isEmpty { alarmsByKind[unit.kind, default: (0, 0, 0, 0)].flaggedSubmissions += 1 }
            alarmsBySize[third(unit.size), default: (0, 0)].checked += checked.count
            alarmsBySize[third(unit.size), default: (0, 0)].flagged += flagged.count
            // Why a clean value was flagged: a value judged by its own history (an indicator, a row,
            // a column's sum over the same rows as the quarters its centre comes from, or over rows
            // that came or went), or a value with no history of its own judged against the peers.
            for hit in hits {
                let k = key(hit)
                var cause: String
                if let ratio = hit.ratio {
                    cause = "peers (ratio \(ratio)): a value with no history of its own"
                } else if hit.byPeers {
                    cause = "peers' rows: a row with no history of its own, against the other units' rows"
                } else if k.row == nil, spec.figures.contains(where: { $0.sheet == hit.sheet && $0.field == hit.field && $0.rowKey != nil }) {
                    // A sum whose rows came or went is not judged (OutlierCheck.churned).
                    cause = "history: a column's sum over the same rows as in the 4 quarters before"
                } else {
                    cause = "history: " + (k.row == nil ? "an indicator" : "a row")
                }
                alarmCauses[cause, default: 0] += 1
                if options.verbose {
                    let history = (past[k] ?? []).map { String(format: "%.1f", $0) }.joined(separator: ", ")
                    verboseLines.append("false alarm seed \(seed) \(unit.code) (\(unit.kind.rawValue), size "
                        + String(format: "%.2f", unit.size) + ") \(k.text) = " + String(format: "%.1f", hit.value)
                        + String(format: ": factor %.2f score %.1f", hit.judgement.factor, hit.judgement.score)
                        + "; earlier (recent first) \(history); \(cause)")
                }
            }

            // The errors: for each kind, `trialsPerUnit` values of this unit drawn at random.
            for kind in InjectedError.allCases {
                var candidates: [(data: SubmissionData, trial: Trial)] = []
                if kind == .rowShift {
                    for f in spec.figures where schema.sheet(f.sheet)?.kind == .table {
                        let indices = data.facts.indices.filter { data.facts[$0].sheet == f.sheet && data.facts[$0].row != nil }
                        let rowCount = Set(indices.map { data.facts[$0].row! }).count
                        guard rowCount >= 2, let keyField = f.rowKey else { continue }
                        var codes: [Int: String] = [:]
                        var values: [Int: FactValue] = [:]
                        for i in indices {
                            if data.facts[i].field == keyField { codes[data.facts[i].row!] = data.facts[i].value.display.uppercased() }
                            if data.facts[i].field == f.field { values[data.facts[i].row!] = data.facts[i].value }
                        }
                        var facts = data.facts.filter { !($0.sheet == f.sheet && $0.field == f.field && $0.row != nil) }
                        var changed: [String] = []
                        for r in 0..<rowCount {
                            if let v = values[r + 1] { facts.append(Fact(sheet: f.sheet, row: r, field: f.field, value: v)) }
                            if values[r + 1] != values[r], let c = codes[r] { changed.append(c) }
                        }
                        guard !changed.isEmpty else { continue }
                        var shifted = data
                        shifted.facts = facts
                        let name = f.sheet + "." + f.field
                        let rows = Set(changed)
                        candidates.append((shifted, Trial(kind: kind, figure: name, rows: changed,
                                                          flaggedClean: flagged.contains { $0.name == name && ($0.row == nil || rows.contains($0.row!)) },
                                                          withHistory: changed.allSatisfy { hasHistory(CheckedValue(name: name, row: $0)) })))
                    }
                } else {
                    for (i, fact) in data.facts.enumerated() {
                        let name = fact.sheet + "." + fact.field
                        guard figureNames.contains(name) else { continue }
                        var row: String?
                        if let r = fact.row {
                            guard let f = spec.figures.first(where: { $0.sheet == fact.sheet && $0.field == fact.field }), let keyField = f.rowKey,
                                  let code = data.facts.first(where: { $0.sheet == fact.sheet && $0.row == r && $0.field == keyField })
                            else { continue }
                            row = code.value.display.uppercased()
                        }
                        guard let wrong = kind.apply(fact.value, &rng) else { continue }
                        var injected = data
                        injected.facts[i].value = wrong
                        let target = CheckedValue(name: name, row: row)
                        candidates.append((injected, Trial(kind: kind, figure: name, rows: row.map { [$0] },
                                                           flaggedClean: flagged.contains(target) || flagged.contains(CheckedValue(name: name, row: nil)),
                                                           withHistory: hasHistory(target))))
                    }
                }
                candidates.shuffle(using: &rng)
                for c in candidates.prefix(options.trialsPerUnit) { trials.append((u, c.data, c.trial)) }
            }
        }

        // The trials, on both cores.
        let evidences = Dictionary(uniqueKeysWithValues: active.map { ($0, evidence($0)) })
        let work = trials.map { (data: $0.data, evidence: evidences[$0.unit]!) }
        let results = parallelMap(trials.count, width: ProcessInfo.processInfo.activeProcessorCount) { i in
            check.hits(work[i].data, evidence: work[i].evidence).map(BenchHit.init)
        }
        for (i, t) in trials.enumerated() {
            let hits = (try? results[i].get()) ?? []
            let trial = t.trial
            let onTarget = hits.filter { h in
                key(h).name == trial.figure && (h.rowKey == nil || (trial.rows ?? []).contains(h.rowKey!))
            }
            var o = Outcome()
            o.detected = !onTarget.isEmpty
            o.onCell = onTarget.contains { h in trial.rows == nil || h.rowKey != nil }
            if let n = trial.kind.power {
                // The cell's own hit when there is one, else the sum's.
                let named = onTarget.first { $0.rowKey != nil } ?? onTarget.first
                o.magnitudeNamed = named?.judgement.magnitude == n
            }
            tallies[trial.kind, default: Tally()].add(o, trial)
            byFigure[trial.kind, default: [:]][trial.figure, default: Tally()].add(o, trial)
            byHistory[trial.kind, default: [:]][trial.withHistory, default: Tally()].add(o, trial)
            if options.verbose, !o.detected {
                let unit = province.units[t.unit]
                verboseLines.append("missed seed \(seed) \(unit.code) (\(unit.kind.rawValue)) \(trial.kind.label) "
                    + "\(trial.figure)\(trial.rows.map { "\($0)" } ?? "")"
                    + " history=\(trial.withHistory) hits: " + hits.map { key($0).text }.joined(separator: ", "))
                let now = figureKeys(t.data), clean = figureKeys(submissions[t.unit][test]!)
                for k in ((trial.rows ?? []).map { CheckedValue(name: trial.figure, row: $0) } + [CheckedValue(name: trial.figure, row: nil)]) {
                    let earlier = (pasts[t.unit]?[k] ?? []).map { String(format: "%.1f", $0) }.joined(separator: ", ")
                    let (before, after) = (clean[k].map { String(format: "%.1f", $0) } ?? "–", now[k].map { String(format: "%.1f", $0) } ?? "–")
                    verboseLines.append("    \(k.text): clean \(before) → \(after); earlier \(earlier)")
                }
            }
        }
        submissions.removeAll()
    }

    // MARK: The report (markdown)
    let province = lastProvince!
    let overridden = options.threshold != nil || options.historyFloor != nil || options.peerFloor != nil
        || options.minPeers != nil || options.minHistory != nil
    let seconds = Date().timeIntervalSince(started)
    var out: [String] = []
    let active = unitCounts.values.reduce(0, +) / options.provinces
    let predecessorsPerProvince = province.units.filter { $0.kind == .predecessor }.count
    out.append("Generated by `ruralstat-bench outliers` (Sources/RuralStatBench/OutlierBench.swift): \(options.provinces) province(s) "
        + "(seeds \(options.seed)…\(options.seed + UInt64(options.provinces) - 1)) of \(active) reporting units each, "
        + "quarters \(province.periods.first!)…\(province.periods.last!), the last one tested. Per province about "
        + "\(unitCounts[.continuing, default: 0] / options.provinces) units report throughout; "
        + "\(unitCounts[.merged, default: 0] / options.provinces) are communes new from 2025-Q3 made of 1–3 old communes "
        + "(\(predecessorsPerProvince) in the last province; 60 % taken whole, share 1, the others in part, share 0.3–0.8, with "
        + "about that share of their villages and projects), whose earlier quarters are their predecessors' data with the shares; "
        + "\(unitCounts[.alone, default: 0] / options.provinces) are new from 2025-Q3 with no predecessor (nothing before). "
        + "Unit sizes are log-normal (σ = 0.7, 5th to 95th percentile about 10×); each unit has 0–4 craft villages "
        + "(households a few hundred, labourers hundreds, production value per labourer about 25 million VND a quarter, "
        + "log-normal σ 0.4 between villages; 40 % export), 0–3 projects at a time (budgets of hundreds of million VND, "
        + "unchanged over a life of \(options.projectLife.lowerBound)–\(options.projectLife.upperBound) quarters, the next starting when one ends) "
        + "and the two establishment indicators "
        + "(tens to hundreds of establishments, 3–8 labourers each). Every figure is a random walk on the log scale drifting "
        + "2–6 % a quarter per unit (70 % of units up, 30 % down; households a fifth of that) with 0.5–3 % noise a quarter, "
        + "production value with a mild season (Q1 −6 %, Q4 +5 %); "
        + "\(Int((options.newVillages * 100).rounded())) % of units report a new village in the last quarter. "
        + "Each check runs as the daemon runs it: the unit's 7 earlier quarters (its own, its predecessors' with their shares, "
        + "or nothing), and the quarter's other units as peers.")
    out.append("")
    out.append("Spec: threshold \(spec.threshold), history floor \(spec.historyFloor), peer floor \(spec.peerFloor), "
        + "min history \(spec.minHistory), min peers \(spec.minPeers)" + (overridden ? " (**overridden on the command line**)" : " (the schema's)") + ".")
    out.append("")
    let errors = options.trialsPerUnit > 0
    let faOK = Double(cleanFlagged) <= 0.02 * Double(cleanChecked)
    out.append("**Targets** (issue 17): recall ≥ 95 % for every ×10ⁿ kind with n ≥ 1, false alarms ≤ 2 % of clean values.")
    out.append("")
    for kind in InjectedError.allCases where errors && (kind.power ?? 0) >= 1 {
        let t = tallies[kind] ?? Tally()
        let ok = t.trials > 0 && Double(t.detected) >= 0.95 * Double(t.trials)
        out.append("- \(kind.label): \(ok ? "met" : "**missed**") (\(percent(t.detected, t.trials)) of \(t.trials)).")
    }
    out.append("- False alarms: \(faOK ? "met" : "**missed**") (\(percent(cleanFlagged, cleanChecked)) of \(cleanChecked) clean values).")
    out.append("")
    if errors {
        out.append("**Errors.** One value of one unit's last quarter is changed at a time, \(options.trialsPerUnit) per unit, kind and province "
            + "(drawn at random among the values the kind applies to: the figures of the spec, each village's, project's or indicator's "
            + "cell). An error counts as **found** when a hit names that figure on the changed row or the figure's column sum "
            + "(for an indicator, the indicator); **on the cell**: the hit is on the changed row itself; **n named**: of the found ones, "
            + "the hit (the row's when there is one) says the value is about 10ⁿ times off with the right n. "
            + "A hit through a ratio names whichever of its two cells is further from the other units' values of its figure; "
            + "it counts when that is the changed cell. "
            + "**With history**: the changed value (every changed row, for a shift) had at least min_history earlier values; "
            + "**no history**: fewer (a village new in the last quarter, a project in its first or second quarter), "
            + "judged against the other units: through the ratios of the peers' rows (production value, trade households), "
            + "else, for a figure marked `peers: true` (project budgets), against the peers' rows of that figure, "
            + "and through its column's sum when the column's rows did not change.")
        out.append("")
        out.append("| error | applied to | trials | found | on the cell | n named | with history: found | no history: found |")
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for kind in InjectedError.allCases {
            let t = tallies[kind] ?? Tally()
            let h = byHistory[kind]?[true] ?? Tally(), n = byHistory[kind]?[false] ?? Tally()
            out.append("| \(kind.label) | \(kind.appliedTo) | \(t.trials) | \(percent(t.detected, t.trials)) | \(percent(t.onCell, t.trials)) | "
                + (kind.power != nil ? percent(t.named, t.detected) : "–")
                + " | \(percent(h.detected, h.trials)) (\(h.trials)) | \(percent(n.detected, n.trials)) (\(n.trials)) |")
        }
        let already = tallies.values.map(\.flaggedClean).reduce(0, +), all = tallies.values.map(\.trials).reduce(0, +)
        out.append("")
        out.append("In \(already) of the \(all) trials the changed row or its column sum was already flagged in the clean submission "
            + "(a false alarm, below); such a trial counts as found when the hit is still there.")
        out.append("")
    }
    out.append("**False alarms.** A checked value is each value the spec looks at in a clean submission of the last quarter: "
        + "each figure's value on each row that has a key (village, project), each table figure's column sum, each indicator "
        + "(\(cleanChecked) in all: \(cleanRows) rows, \(cleanChecked - cleanRows) sums and indicators; \(cleanWithHistory) of them with "
        + "at least min_history earlier values). A checked value is **flagged** when a hit names it (a ratio's hit names the cell it blames).")
    out.append("")
    out.append("- Flagged clean values: \(cleanFlagged) of \(cleanChecked) (**\(percent(cleanFlagged, cleanChecked))**).")
    out.append("- Clean submissions with any flag: \(flaggedSubmissions) of \(cleanSubmissions) (\(percent(flaggedSubmissions, cleanSubmissions))).")
    out.append("")
    if errors {
        out.append("Found, by figure (trials in brackets):")
        out.append("")
        out.append("| error | " + figureNames.joined(separator: " | ") + " |")
        out.append("| --- |" + String(repeating: " ---: |", count: figureNames.count))
        for kind in InjectedError.allCases {
            let cells = figureNames.map { f -> String in
                guard let t = byFigure[kind]?[f], t.trials > 0 else { return "–" }
                return "\(percent(t.detected, t.trials)) (\(t.trials))"
            }
            out.append("| \(kind.label) | " + cells.joined(separator: " | ") + " |")
        }
        out.append("")
    }
    out.append("False alarms, by value (flagged of checked):")
    out.append("")
    out.append("| value | checked | flagged | rate |")
    out.append("| --- | ---: | ---: | ---: |")
    for (label, v) in alarmsByFigure.sorted(by: { $0.key < $1.key }) {
        out.append("| \(label) | \(v.checked) | \(v.flagged) | \(percent(v.flagged, v.checked)) |")
    }
    out.append("")
    out.append("| unit | submissions | with a flag | checked | flagged | rate |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind in UnitKind.allCases {
        guard let v = alarmsByKind[kind] else { continue }
        out.append("| \(kind.rawValue) | \(v.submissions) | \(v.flaggedSubmissions) | \(v.checked) | \(v.flagged) | \(percent(v.flagged, v.checked)) |")
    }
    for (i, name) in ["smallest third", "middle third", "largest third"].enumerated() {
        guard let v = alarmsBySize[i] else { continue }
        out.append("| \(name) by size | | | \(v.checked) | \(v.flagged) | \(percent(v.flagged, v.checked)) |")
    }
    out.append("")
    out.append("Why clean values were flagged (hits):")
    out.append("")
    for (cause, n) in alarmCauses.sorted(by: { $0.value > $1.value }) { out.append("- \(cause): \(n)") }
    out.append("")
    out.append(String(format: "Run time %.1f s (%d checks).", seconds, cleanSubmissions + tallies.values.map(\.trials).reduce(0, +)))
    if options.summary {
        // One line, for comparing settings.
        var line = "false alarms \(percent(cleanFlagged, cleanChecked)) (\(cleanFlagged)/\(cleanChecked)), submissions flagged "
            + percent(flaggedSubmissions, cleanSubmissions)
        for kind in InjectedError.allCases where errors {
            let t = tallies[kind] ?? Tally()
            line += "; \(kind.label) \(percent(t.detected, t.trials))"
        }
        print(line)
        return
    }
    print(out.joined(separator: "\n"))
    if options.verbose { FileHandle.standardError.write(Data((verboseLines.joined(separator: "\n") + "\n").utf8)) }
}

/// A hit as the bench counts it.
struct BenchHit: Sendable {
    var sheet: String
    var field: String
    var rowKey: String?
    var value: Double
    var judgement: OutlierJudgement
    /// The ratio's id for a hit through a ratio.
    var ratio: String?
    /// Judged against the other units rather than the unit's own history.
    var byPeers: Bool

    init(_ hit: OutlierCheck.Hit) {
        (sheet, field, rowKey, value, judgement, ratio, byPeers) = (hit.sheet, hit.field, hit.rowKey, hit.value, hit.judgement, hit.ratio?.id, hit.byPeers)
    }
}
