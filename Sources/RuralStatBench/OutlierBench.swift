// SPDX-License-Identifier: Apache-2.0
// ruralstat-bench outliers: how well the outlier checks (issue 17) find the errors clerks make,
// and how often they flag a clean figure. A province's history is generated, errors of known
// kinds are put into one value of one unit's last quarter, and the checks run as the daemon runs
// them (the unit's earlier quarters, or its predecessors' with their shares, and the quarter's
// other units). bench/run_outliers.py writes the output into BENCHMARKS.md.
import Foundation
import RuralStatCore
import RuralStatFiles

func outlierBench(_ args: [String]) throws {
    let options = OutlierBenchOptions(args)
    let started = Date()
    var bench = try OutlierBench(options: options)
    for p in 0..<options.provinces { bench.run(province: p) }
    let out = bench.report(seconds: Date().timeIntervalSince(started))
    if options.summary {
        print(bench.summary())
        return
    }
    print(out.joined(separator: "\n"))
    if options.verbose { FileHandle.standardError.write(Data((bench.verboseLines.joined(separator: "\n") + "\n").utf8)) }
}

/// The bench's run: the schema's outlier checks, with the command line's overrides, and what
/// has been counted over the provinces so far.
struct OutlierBench {
    let options: OutlierBenchOptions
    let schema: FormSchema
    let spec: OutlierSpec
    let check: OutlierCheck
    /// `sheet.field` of each figure of the spec, in its order.
    let figureNames: [String]
    var tallies: [InjectedError: TrialTally] = [:]
    var byFigure: [InjectedError: [String: TrialTally]] = [:]
    var byHistory: [InjectedError: [Bool: TrialTally]] = [:]
    /// By kind and figure family (`Trial.family`); a count under 10 made smaller under `smallCounts`.
    var byFamily: [InjectedError: [String: TrialTally]] = [:]
    /// A count under 10 made smaller, apart from `tallies` (see `Trial.smallCountDivided`).
    var smallCountTallies: [InjectedError: TrialTally] = [:]
    static let smallCounts = "counts under 10, made smaller (apart)"
    var alarmsByFamily: [String: (checked: Int, flagged: Int)] = [:]
    var cleanChecked = 0, cleanRows = 0, cleanWithHistory = 0, cleanFlagged = 0, cleanSubmissions = 0, flaggedSubmissions = 0
    var alarmsByFigure: [String: (checked: Int, flagged: Int)] = [:]
    var alarmsByKind: [UnitKind: (checked: Int, flagged: Int, submissions: Int, flaggedSubmissions: Int)] = [:]
    var alarmsBySize: [Int: (checked: Int, flagged: Int)] = [:]
    var alarmCauses: [String: Int] = [:]
    var unitCounts: [UnitKind: Int] = [:]
    var verboseLines: [String] = []
    var lastProvince: OutlierProvince?

    init(options: OutlierBenchOptions) throws {
        self.options = options
        let schema = try FormSchema.load(yaml: String(contentsOfFile: options.schemaPath, encoding: .utf8), file: options.schemaPath)
        guard var spec = schema.outliers else { fail("\(options.schemaPath) has no outliers: section", 1) }
        if let v = options.threshold { spec.threshold = v }
        if let v = options.historyFloor { spec.historyFloor = v }
        if let v = options.peerFloor { spec.peerFloor = v }
        if let v = options.minPeers { spec.minPeers = v }
        if let v = options.minHistory { spec.minHistory = v }
        self.schema = schema
        self.spec = spec
        check = OutlierCheck(spec: spec, schema: schema)
        figureNames = spec.figures.map { $0.sheet + "." + $0.field }
    }

    /// The values of `data` the checks look at, the figures' alone (no ratio), scaled by `share`.
    func figureKeys(_ data: SubmissionData, share: Double = 1) -> [OutlierCheck.Key: Double] {
        var out: [OutlierCheck.Key: Double] = [:]
        for (k, v) in check.observations(data, share: share) where !k.name.hasPrefix("ratio:") { out[k] = v }
        return out
    }

    /// Generates province `p` (seed `seed + p`), checks each unit's clean last quarter, plants
    /// errors into it, and runs them as trials.
    mutating func run(province p: Int) {
        let seed = options.seed + UInt64(p)
        let province = OutlierProvince(options: options, seed: seed)
        lastProvince = province
        let quarter = TestedQuarter(province: province, seed: seed, schema: schema, check: check, historyQuarters: spec.historyQuarters)
        for u in quarter.active { unitCounts[province.units[u].kind, default: 0] += 1 }
        let minHistory = spec.minHistory

        var rng = BenchRandom(seed: seed ^ 0xA5A5_5A5A)
        var trials: [(unit: Int, data: SubmissionData, trial: Trial)] = []
        var pasts: [Int: [OutlierCheck.Key: [Double]]] = [:]
        for u in quarter.active {
            let data = quarter.submissions[u][quarter.test]!
            let ev = quarter.evidence(u)
            let past = pastValues(ev)
            pasts[u] = past
            let hasHistory = { (k: OutlierCheck.Key) in (past[k] ?? []).filter { $0 > 0 }.count >= minHistory }
            let flagged = checkClean(unit: u, data, ev, past: past, hasHistory: hasHistory, in: quarter)

            // The errors: for each kind, `trialsPerUnit` values of this unit drawn at random.
            for kind in InjectedError.allCases {
                var candidates = kind.candidates(in: data, spec: spec, schema: schema, figureNames: figureNames, flagged: flagged,
                                                 hasHistory: hasHistory, rng: &rng)
                candidates.shuffle(using: &rng)
                for c in candidates.prefix(options.trialsPerUnit) { trials.append((u, c.data, c.trial)) }
            }
        }
        runTrials(trials, in: quarter, pasts: pasts)
    }

    /// The figures' earlier values as the checks merge them (predecessors' by their shares).
    private func pastValues(_ ev: OutlierEvidence) -> [OutlierCheck.Key: [Double]] {
        var past: [OutlierCheck.Key: [Double]] = [:]
        for parts in ev.earlier {
            var merged: [OutlierCheck.Key: Double] = [:]
            for part in parts { merged.merge(figureKeys(part.data, share: part.share)) { $0 + $1 } }
            for (k, v) in merged { past[k, default: []].append(v) }
        }
        return past
    }

    /// Checks unit `u`'s clean submission, counts its values and false alarms and the cause of
    /// each; returns the values flagged.
    private mutating func checkClean(unit u: Int, _ data: SubmissionData, _ ev: OutlierEvidence, past: [OutlierCheck.Key: [Double]],
                                     hasHistory: (OutlierCheck.Key) -> Bool, in quarter: TestedQuarter) -> Set<OutlierCheck.Key> {
        let seed = quarter.seed
        let hits = check.hits(data, evidence: ev).map(BenchHit.init)
        let flagged = Set(hits.map(\.key))
        let unit = quarter.province.units[u]
        countClean(checked: figureKeys(data), flagged: flagged, unit: unit, third: quarter.third(unit.size), hasHistory: hasHistory)
        for hit in hits {
            let k = hit.key
            let cause = alarmCause(hit)
            alarmCauses[cause, default: 0] += 1
            if options.verbose {
                let history = (past[k] ?? []).map { String(format: "%.1f", $0) }.joined(separator: ", ")
                verboseLines.append("false alarm seed \(seed) \(unit.code) (\(unit.kind.rawValue), size "
                    + String(format: "%.2f", unit.size) + ") \(k.text) = " + String(format: "%.1f", hit.value)
                    + String(format: ": factor %.2f score %.1f", hit.judgement.factor, hit.judgement.score)
                    + "; earlier (recent first) \(history); \(cause)")
            }
        }
        return flagged
    }

    /// The trials, on both cores, each counted; with `--verbose`, each one missed is told.
    private mutating func runTrials(_ trials: [(unit: Int, data: SubmissionData, trial: Trial)], in quarter: TestedQuarter,
                                    pasts: [Int: [OutlierCheck.Key: [Double]]]) {
        let check = self.check
        let evidences = Dictionary(uniqueKeysWithValues: quarter.active.map { ($0, quarter.evidence($0)) })
        let work = trials.map { (data: $0.data, evidence: evidences[$0.unit]!) }
        let form = FormRefusal(schema: schema)
        let results = parallelMap(trials.count, width: ProcessInfo.processInfo.activeProcessorCount) { i in
            (check.hits(work[i].data, evidence: work[i].evidence).map(BenchHit.init), form.refusal(work[i].data))
        }
        for (i, t) in trials.enumerated() {
            let (hits, refusal) = (try? results[i].get()) ?? ([], nil)
            let trial = t.trial
            let o = outcome(of: trial, hits, refusal: refusal)
            count(o, trial)
            if options.verbose, !o.detected { tellMissed(t, hits, in: quarter, pasts: pasts) }
        }
    }

    /// `--verbose`: a trial whose error was not found, with the values it changed and their history.
    private mutating func tellMissed(_ t: (unit: Int, data: SubmissionData, trial: Trial), _ hits: [BenchHit], in quarter: TestedQuarter,
                                     pasts: [Int: [OutlierCheck.Key: [Double]]]) {
        let trial = t.trial
        let seed = quarter.seed, submissions = quarter.submissions, test = quarter.test
        let unit = quarter.province.units[t.unit]
        verboseLines.append("missed seed \(seed) \(unit.code) (\(unit.kind.rawValue)) \(trial.kind.label) "
            + "\(trial.figure)\(trial.rows.map { "\($0)" } ?? "")"
            + " history=\(trial.withHistory) hits: " + hits.map { $0.key.text }.joined(separator: ", "))
        let now = figureKeys(t.data), clean = figureKeys(submissions[t.unit][test]!)
        for k in ((trial.rows ?? []).map { OutlierCheck.Key(name: trial.figure, row: $0) } + [OutlierCheck.Key(name: trial.figure, row: nil)]) {
            let earlier = (pasts[t.unit]?[k] ?? []).map { String(format: "%.1f", $0) }.joined(separator: ", ")
            let (before, after) = (clean[k].map { String(format: "%.1f", $0) } ?? "–", now[k].map { String(format: "%.1f", $0) } ?? "–")
            verboseLines.append("    \(k.text): clean \(before) → \(after); earlier \(earlier)")
        }
    }
}
