// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The outlier checks of one submission: each figure of the spec against the unit's own
/// history, each ratio against the unit's peers where the history says nothing.
public struct OutlierCheck: Sendable {
    public let spec: OutlierSpec
    public let schema: FormSchema

    public init(spec: OutlierSpec, schema: FormSchema) {
        self.spec = spec
        self.schema = schema
    }

    /// One value the checks look at: a figure (`sheet.field`), a row of it (`sheet.field[KEY]`),
    /// or a ratio (`ratio:id`, `ratio:id[KEY]`).
    public struct Key: Hashable, Sendable {
        public var name: String
        public var row: String?

        public init(name: String, row: String? = nil) {
            self.name = name
            self.row = row
        }
        public var text: String { row.map { "\(name)[\($0)]" } ?? name }
    }

    /// A value found out of line.
    public struct Hit: Sendable {
        /// The figure whose cell is named (for a ratio, its numerator).
        public var sheet: String
        public var field: String
        /// The row's key and its position among the table's data rows; nil for a sum or a single value.
        public var rowKey: String?
        public var rowIndex: Int?
        public var value: Double
        public var judgement: OutlierJudgement
        /// The ratio that was out, with its own value; nil for the history check.
        public var ratio: OutlierRatio?
        public var ratioValue: Double?
        /// Judged against the other units (through `ratio`, or a row with no history of its own
        /// against their rows of the same figure), not against the unit's own history.
        public var byPeers = false
        /// The ratio was out and its denominator is the cell named (the one further from the
        /// other units' values of its figure); `judgement` is then the cell's: factor and
        /// magnitude the inverse of the ratio's.
        public var blamesDenominator = false
        public var severity: Severity
        public var threshold: Double
    }

    static func rowKey(_ v: FactValue?) -> String? {
        guard let text = v?.display.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text.uppercased()
    }

    /// The values of `data` the checks look at, scaled by `share` (a predecessor's part); rows
    /// only when the whole predecessor went to the unit.
    public func observations(_ data: SubmissionData, share: Double = 1) -> [Key: Double] {
        var out: [Key: Double] = [:]
        var rowsBySheet: [String: [[String: FactValue]]] = [:]
        func rows(_ sheet: String) -> [[String: FactValue]] {
            if let r = rowsBySheet[sheet] { return r }
            let r = data.rows(of: sheet)
            rowsBySheet[sheet] = r
            return r
        }
        func total(_ sheet: String, _ field: String) -> Double? {
            guard let s = schema.sheet(sheet) else { return nil }
            if s.kind == .table {
                let values = rows(sheet).compactMap { $0[field]?.number }
                return values.isEmpty ? nil : values.reduce(0, +)
            }
            return data.value(sheet: sheet, field: field)?.number
        }
        for f in spec.figures {
            if let v = total(f.sheet, f.field) { out[Key(name: f.name)] = v * share }
            if let key = f.rowKey, share == 1 {
                for row in rows(f.sheet) {
                    if let k = Self.rowKey(row[key]), let v = row[f.field]?.number { out[Key(name: f.name, row: k)] = v }
                }
            }
        }
        for r in spec.ratios {
            if let n = total(r.numeratorSheet, r.numeratorField), let d = total(r.denominatorSheet, r.denominatorField), d > 0 {
                out[Key(name: "ratio:" + r.id)] = n / d
            }
            if let key = r.rowKey {
                for row in rows(r.numeratorSheet) {
                    if let k = Self.rowKey(row[key]), let n = row[r.numeratorField]?.number, let d = row[r.denominatorField]?.number, d > 0 {
                        out[Key(name: "ratio:" + r.id, row: k)] = n / d
                    }
                }
            }
        }
        return out
    }

    /// Whether the rows of a keyed figure's sum are not the same now as in each of the last four
    /// earlier quarters that have the figure (those the centre is taken from).
    func churned(_ f: OutlierFigure, current: [Key: Double], history: [[Key: Double]]) -> Bool {
        guard f.rowKey != nil else { return false }
        let name = f.name
        func rows(_ o: [Key: Double]) -> Set<String> { Set(o.keys.filter { $0.name == name }.compactMap(\.row)) }
        let now = rows(current)
        return !history.filter { $0[Key(name: name)] != nil }.prefix(4).allSatisfy { rows($0) == now }
    }

    /// Checks `data` against `evidence`.
    public func hits(_ data: SubmissionData, evidence: OutlierEvidence) -> [Hit] {
        let current = observations(data)
        let history: [[Key: Double]] = evidence.earlier.map { parts in
            var merged: [Key: Double] = [:]
            for part in parts { merged.merge(observations(part.data, share: part.share)) { $0 + $1 } }
            return merged
        }
        let unit = data.unitCode.uppercased()
        let peers = evidence.peerObservations.map { all in all.filter { $0.key != unit }.map(\.value) }
            ?? evidence.peers.filter { $0.unitCode.uppercased() != unit }.map { observations($0) }
        var search = HitSearch(check: self, data: data, current: current, history: history, peers: peers)
        search.judgeFiguresByHistory()
        search.judgeRatiosByPeers()
        search.judgeNewRowsByPeers()
        return search.hits
    }
}

/// The search for one submission's hits: its values and their history, the peers' references,
/// and what was found so far. Figures are judged by their history first, then ratios and rows
/// without history by the peers, each step reading what the steps before found.
private struct HitSearch {
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

    init(check: OutlierCheck, data: SubmissionData, current: [Key: Double], history: [[Key: Double]], peers: [[Key: Double]]) {
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

    /// Each figure, row by row and then its sum, against the unit's own history.
    mutating func judgeFiguresByHistory() {
        for f in spec.figures {
            let threshold = f.threshold ?? spec.threshold
            let severity = f.severity ?? spec.severity
            let name = f.name
            var rowHit = false
            if let key = f.rowKey {
                for (index, row) in data.rows(of: f.sheet).enumerated() {
                    guard let k = OutlierCheck.rowKey(row[key]) else { continue }
                    let at = Key(name: name, row: k)
                    guard let v = current[at] else { continue }
                    let past = history.compactMap { $0[at] }
                    if past.filter({ $0 > 0 }).count >= spec.minHistory { judgedByHistory.insert(at) }
                    if let j = OutlierStatistics.judge(v, references: past, minimum: spec.minHistory, recent: 4,
                                                       floor: spec.historyFloor, threshold: threshold) {
                        hits.append(Hit(sheet: f.sheet, field: f.field, rowKey: k, rowIndex: index, value: v, judgement: j,
                                        severity: severity, threshold: threshold))
                        rowHit = true
                    }
                }
            }
            let at = Key(name: name)
            guard let v = current[at] else { continue }
            let past = history.compactMap { $0[at] }
            if past.filter({ $0 > 0 }).count >= spec.minHistory { judgedByHistory.insert(at) }
            // A sum out because one of its rows is out says nothing more; nor does a sum whose
            // rows came or went in the quarters its centre is taken from (a project ended and
            // another began): its rows are judged one by one.
            if !rowHit, !check.churned(f, current: current, history: history), let j = OutlierStatistics.judge(v, references: past, minimum: spec.minHistory, recent: 4,
                                                       floor: spec.historyFloor, threshold: threshold) {
                hits.append(Hit(sheet: f.sheet, field: f.field, rowKey: nil, rowIndex: nil, value: v, judgement: j,
                                severity: severity, threshold: threshold))
            }
        }
    }

    /// Each ratio, row by row and then the unit's whole, against the peers; a hit names one of
    /// its two cells (see `ratioHit`).
    mutating func judgeRatiosByPeers() {
        let flagged = Set(hits.map { Key(name: $0.sheet + "." + $0.field, row: $0.rowKey) })
        for r in spec.ratios {
            let threshold = r.threshold ?? spec.threshold
            let name = "ratio:" + r.id
            var rowHit = false
            if let key = r.rowKey, let rowPeers = peerRows[name] {
                for (index, row) in data.rows(of: r.numeratorSheet).enumerated() {
                    guard let k = OutlierCheck.rowKey(row[key]), let q = current[Key(name: name, row: k)],
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
        let named = Set(hits.map { Key(name: $0.sheet + "." + $0.field, row: $0.rowKey) })
        for f in spec.figures where f.peers {
            guard let key = f.rowKey else { continue }
            let name = f.name
            let threshold = f.threshold ?? spec.threshold
            let pool = peerRows[name]
            var rowHit = false
            for (index, row) in data.rows(of: f.sheet).enumerated() {
                guard let k = OutlierCheck.rowKey(row[key]) else { continue }
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
