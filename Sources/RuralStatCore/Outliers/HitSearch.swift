// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The search for one submission's hits: its values and their history, the peers' references,
/// and what was found so far. Figures are judged by their history first, then ratios and rows
/// without history by the peers, each step reading what the steps before found.
struct HitSearch {
    typealias Key = OutlierCheck.Key
    typealias Hit = OutlierCheck.Hit

    let check: OutlierCheck
    let spec: OutlierSpec
    let data: SubmissionData
    let current: [Key: Double]
    let history: [[Key: Double]]
    /// The peers' reference for each figure or ratio: of their units' own values, and of their rows'.
    let peerUnits: [String: OutlierStatistics.Reference]
    let peerRows: [String: OutlierStatistics.Reference]
    var hits: [Hit] = []
    /// Cells the history has spoken for: judged by the unit's own past, not by its peers.
    var judgedByHistory = Set<Key>()
    /// The history is taken, at least in part, from predecessors (see `OutlierCheck.hits`).
    let borrowed: Bool
    /// Values above zero whose history is a run of zeros, in the order judged, with their figure
    /// and row: judged against the peers.
    var afterZeros: [(figure: OutlierFigure, at: Key, index: Int?)] = []
    /// Rows whose key was retyped: (table, new key) → the key of the last quarters.
    let renamed: [Key: String]
    /// The data's rows of each table the checks read, with each row's key: read once, not once a figure.
    let rows: [String: [(index: Int, key: String)]]

    init(check: OutlierCheck, data: SubmissionData, current: [Key: Double], history: [[Key: Double]], peers: [[Key: Double]],
         renamed: [Key: String] = [:], borrowed: Bool = false) {
        self.renamed = renamed
        self.borrowed = borrowed
        var rows: [String: [(index: Int, key: String)]] = [:]
        let keyed = check.spec.figures.compactMap { f in f.rowKey.map { (f.sheet, $0) } }
            + check.spec.ratios.compactMap { r in r.rowKey.map { (r.numeratorSheet, $0) } }
        for (sheet, key) in keyed where rows[sheet + "." + key] == nil {
            rows[sheet + "." + key] = data.rows(of: sheet).enumerated().compactMap { i, row in OutlierCheck.rowKey(row[key]).map { (i, $0) } }
        }
        self.rows = rows
        let spec = check.spec
        self.check = check
        self.spec = spec
        self.data = data
        self.current = current
        self.history = history
        // The peers' values by figure or ratio, in one pass: their units' own, and their rows'.
        var peerUnitValues: [String: [Double]] = [:], peerRowValues: [String: [Double]] = [:]
        for p in peers {
            for (k, v) in p {
                if k.row == nil { peerUnitValues[k.name, default: []].append(v) } else { peerRowValues[k.name, default: []].append(v) }
            }
        }
        // Each pool's centre and spread once per file, not once per row judged (a quarter of 500
        // units with 40 rows each is 20,000 values to sort).
        let peerUnits = peerUnitValues.compactMapValues { OutlierStatistics.reference($0, minimum: spec.minPeers, floor: spec.peerFloor) }
        let peerRows = peerRowValues.compactMapValues { OutlierStatistics.reference($0, minimum: spec.minPeers, floor: spec.peerFloor) }
        self.peerUnits = peerUnits
        self.peerRows = peerRows
    }

    /// The cells named so far, as keys.
    var namedCells: Set<Key> { Set(hits.map { Key(name: $0.sheet + "." + $0.field, row: $0.rowKey) }) }

    /// The history rule of a figure: where the history is borrowed, the peers' spread at least,
    /// and a flow's 0 not judged.
    func rule(for f: OutlierFigure) -> OutlierHistory {
        var rule = spec.history(for: f)
        if borrowed {
            rule.floor = max(rule.floor, spec.peerFloor)
            rule.judgesZeros = !f.flow
        }
        return rule
    }

    /// Each figure, row by row and then its sum, against the unit's own history.
    mutating func judgeFiguresByHistory() {
        for f in spec.figures {
            let rule = rule(for: f)
            let severity = f.severity ?? spec.severity
            let name = f.name
            var rowHit = false
            if let key = f.rowKey {
                for (index, k) in rows[f.sheet + "." + key] ?? [] {
                    let at = Key(name: name, row: k)
                    guard let v = current[at] else { continue }
                    if let hit = judge(f, at, v, rule: rule, severity: severity, index: index) {
                        hits.append(hit)
                        rowHit = true
                    }
                }
            }
            let at = Key(name: name)
            guard let v = current[at] else { continue }
            // A sum out because one of its rows is out says nothing more; nor does a sum whose
            // rows came or went in the quarters its centre is taken from (a project ended and
            // another began): its rows are judged one by one.
            let churned = check.churned(f, current: current, history: history)
            if let hit = judge(f, at, v, rule: rule, severity: severity, index: nil), !rowHit, !churned {
                hits.append(hit)
            }
        }
    }

    /// One value of a figure against its history: the hit, if it is out; notes the values the
    /// history has spoken for and those after a run of zeros (for the peers to judge).
    private mutating func judge(_ f: OutlierFigure, _ at: Key, _ v: Double, rule: OutlierHistory, severity: Severity, index: Int?) -> Hit? {
        let past = history.compactMap { $0[at] }
        if past.filter({ $0 > 0 }).count >= spec.minHistory || (v == 0 && past.count >= spec.minHistory) { judgedByHistory.insert(at) }
        let clean = rule.cleaned(past)
        if v > 0, rule.zerosOnly(clean) { afterZeros.append((f, at, index)) }
        guard let j = rule.judgeClean(v, against: clean) else { return nil }
        var hit = Hit(sheet: f.sheet, field: f.field, rowKey: at.row, rowIndex: index, value: v, judgement: j,
                      severity: severity, threshold: rule.threshold)
        hit.formerKey = at.row.flatMap { renamed[Key(name: f.sheet, row: $0)] }
        return hit
    }

    /// A value above zero after a run of zeros (trainees after quarters without a course): against
    /// the other units' values of the figure above zero, where they are enough.
    mutating func judgeAfterZerosByPeers() {
        let named = namedCells
        for (f, at, index) in afterZeros where !named.contains(at) {
            let threshold = f.threshold ?? spec.threshold
            guard let v = current[at], let pool = at.row == nil ? peerUnits[at.name] : peerRows[at.name],
                  var j = OutlierStatistics.judge(v, against: pool, threshold: threshold)
            else { continue }
            // A count a few above zero is a count's noise, whatever the others report.
            if f.count, OutlierHistory.anscombe(v) - OutlierHistory.anscombe(0) <= threshold { continue }
            j.afterZeros = true
            hits.append(Hit(sheet: f.sheet, field: f.field, rowKey: at.row, rowIndex: index, value: v, judgement: j, byPeers: true,
                            severity: f.severity ?? spec.severity, threshold: threshold))
        }
    }

    /// Each ratio, row by row and then the unit's whole, against the peers; a hit names one of
    /// its two cells (see `ratioHit`).
    mutating func judgeRatiosByPeers() {
        let flagged = namedCells
        for r in spec.ratios {
            let threshold = r.threshold ?? spec.threshold
            let name = "ratio:" + r.id
            var rowHit = false
            if let key = r.rowKey, let rowPeers = peerRows[name] {
                for (index, k) in rows[r.numeratorSheet + "." + key] ?? [] {
                    guard let q = current[Key(name: name, row: k)],
                          let j = OutlierStatistics.judge(q, against: rowPeers, threshold: threshold),
                          let found = ratioHit(r, q: q, j, row: k, index: index, refs: peerRows, flagged: flagged) else { continue }
                    hits.append(found)
                    rowHit = true
                }
            }
            // The unit's whole ratio, unless a row of it was named already (the row says where).
            if !rowHit, let q = current[Key(name: name)], let unitPeers = peerUnits[name],
               let j = OutlierStatistics.judge(q, against: unitPeers, threshold: threshold),
               let found = ratioHit(r, q: q, j, row: nil, index: nil, refs: peerUnits, flagged: flagged) {
                hits.append(found)
            }
        }
    }

    /// A ratio's denominator of 0 beside a numerator above zero (a village's labourers 0 beside
    /// its production value: a count divided by a thousand), where nothing named the cell yet:
    /// the ratio cannot be, whatever the unit's history or peers, so even a new row is judged.
    mutating func judgeZeroDenominators() {
        var named = namedCells
        for r in spec.ratios {
            let cells: [(index: Int?, key: String?)] = r.rowKey.map { key in (rows[r.numeratorSheet + "." + key] ?? []).map { ($0.index, $0.key) } }
                ?? [(nil, nil)]
            for (index, k) in cells {
                let d = Key(name: r.denominatorName, row: k)
                guard current[d] == 0, let n = current[Key(name: r.numeratorName, row: k)], n > 0, named.insert(d).inserted else { continue }
                var j = OutlierJudgement(factor: 0, score: -.infinity, magnitude: nil, low: 0, high: 0)
                j.zeroBeside = n
                hits.append(Hit(sheet: r.denominatorSheet, field: r.denominatorField, rowKey: k, rowIndex: index, value: 0, judgement: j,
                                ratio: r, blamesDenominator: true, severity: r.severity ?? spec.severity, threshold: r.threshold ?? spec.threshold))
            }
        }
    }

    /// The hit for a ratio out: on the numerator, or on the denominator when that is the
    /// further of the two from the other units' values of its figure (`refs`). Nil when
    /// the cell named has its own history or is named already (`flagged`).
    private func ratioHit(_ r: OutlierRatio, q: Double, _ j: OutlierJudgement, row: String?, index: Int?,
                          refs: [String: OutlierStatistics.Reference], flagged: Set<Key>) -> Hit? {
        let threshold = r.threshold ?? spec.threshold
        let severity = r.severity ?? spec.severity
        let numerator = r.numeratorName
        let denominator = r.denominatorName
        let n = current[Key(name: numerator, row: row)], d = current[Key(name: denominator, row: row)]
        var onDenominator = false
        if let n, let d, n > 0, d > 0, let nr = refs[numerator], let dr = refs[denominator] {
            onDenominator = abs(log10(d) - dr.centre) / dr.spread > abs(log10(n) - nr.centre) / nr.spread
        }
        let cell = Key(name: onDenominator ? denominator : numerator, row: row)
        guard !judgedByHistory.contains(cell), !flagged.contains(cell), let v = onDenominator ? d : n else { return nil }
        var judgement = j
        if onDenominator {
            judgement.factor = 1 / j.factor
            judgement.score = -j.score
            judgement.magnitude = j.magnitude.map { -$0 }
        }
        return Hit(sheet: onDenominator ? r.denominatorSheet : r.numeratorSheet, field: onDenominator ? r.denominatorField : r.numeratorField,
                   rowKey: row, rowIndex: index, value: v, judgement: judgement, ratio: r, ratioValue: q, byPeers: true,
                   blamesDenominator: onDenominator, severity: severity, threshold: threshold)
    }

    /// A row with no history of its own (a project in its first quarter) of a figure declared
    /// comparable between units (`peers: true`): against the other units' rows of that figure.
    mutating func judgeNewRowsByPeers() {
        let named = namedCells
        for f in spec.figures where f.peers {
            guard let key = f.rowKey else { continue }
            let name = f.name
            let threshold = f.threshold ?? spec.threshold
            let pool = peerRows[name]
            var rowHit = false
            for (index, k) in rows[f.sheet + "." + key] ?? [] {
                let at = Key(name: name, row: k)
                guard let v = current[at], !judgedByHistory.contains(at), !named.contains(at), let pool,
                      let j = OutlierStatistics.judge(v, against: pool, threshold: threshold)
                else { continue }
                hits.append(Hit(sheet: f.sheet, field: f.field, rowKey: k, rowIndex: index, value: v, judgement: j, byPeers: true,
                                severity: f.severity ?? spec.severity, threshold: threshold))
                rowHit = true
            }
            if rowHit { hits.removeAll { $0.rowKey == nil && $0.ratio == nil && $0.sheet == f.sheet && $0.field == f.field } }
        }
    }
}
