// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The outlier checks of one submission: each figure of the spec against the unit's own
/// history, each ratio against the unit's peers where the history says nothing.
public struct OutlierCheck: Sendable {
    public let spec: OutlierSpec
    public let schema: FormSchema
    /// The figures the form averages over the unit (`aggregate: mean`): a merged commune's is the
    /// average of its predecessors' weighted by their shares, not their sum.
    let averaged: Set<String>

    public init(spec: OutlierSpec, schema: FormSchema) {
        self.spec = spec
        self.schema = schema
        averaged = Set(schema.sheets.flatMap { sheet in
            (sheet.columns.map(\.spec) + sheet.rows.map(\.spec)).filter { $0.aggregate == .mean }.map { sheet.id + "." + $0.id }
        })
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
        /// The row's key in the last quarters, when the row was matched by its other columns
        /// (`same_row_when`): its key retyped.
        public var formerKey: String?
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
        // Each row's key once per sheet and key column, not once per figure.
        var keysBySheet: [String: [String?]] = [:]
        func keys(_ sheet: String, _ column: String) -> [String?] {
            if let k = keysBySheet[sheet + "\u{1}" + column] { return k }
            let k = rows(sheet).map { Self.rowKey($0[column]) }
            keysBySheet[sheet + "\u{1}" + column] = k
            return k
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
            // A figure that is an average (cluster occupancy) is the predecessor's own, not a part of it.
            if let v = total(f.sheet, f.field) { out[Key(name: f.name)] = averaged.contains(f.name) ? v : v * share }
            if let key = f.rowKey, share == 1 {
                for (row, k) in zip(rows(f.sheet), keys(f.sheet, key)) {
                    if let k, let v = row[f.field]?.number { out[Key(name: f.name, row: k)] = v }
                }
            }
        }
        for r in spec.ratios {
            if let n = total(r.numeratorSheet, r.numeratorField), let d = total(r.denominatorSheet, r.denominatorField), d > 0 {
                out[Key(name: "ratio:" + r.id)] = n / d
            }
            if let key = r.rowKey {
                for (row, k) in zip(rows(r.numeratorSheet), keys(r.numeratorSheet, key)) {
                    if let k, let n = row[r.numeratorField]?.number, let d = row[r.denominatorField]?.number, d > 0 {
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
        let merged = evidence.earlier.map { merge($0) }
        let renamed = retypedKeys(data, earlier: evidence.earlier, history: merged)
        let history = merged.map { renaming($0, renamed) }

        let unit = data.unitCode.uppercased()
        let peers = evidence.peerObservations.map { all in all.filter { $0.key != unit }.map(\.value) }
            ?? evidence.peers.filter { $0.unitCode.uppercased() != unit }.map { observations($0) }
        // A history taken in part from predecessors is their figures scaled by a share: smoother
        // than the unit's own and only an estimate of it, so it is given the peers' spread.
        let borrowed = evidence.earlier.contains { parts in parts.contains { $0.data.unitCode.uppercased() != unit } }
        var search = HitSearch(check: self, data: data, current: current, history: history, peers: peers, renamed: renamed,
                               borrowed: borrowed)
        search.judgeFiguresByHistory()
        search.judgeAfterZerosByPeers()
        search.judgeRatiosByPeers()
        search.judgeZeroDenominators()
        search.judgeNewRowsByPeers()
        return search.hits
    }
}

extension OutlierCheck {
    /// An earlier quarter's values from its parts (the unit's own, or its predecessors' by share).
    func merge(_ parts: [(data: SubmissionData, share: Double)]) -> [Key: Double] {
        var merged: [Key: Double] = [:], weights: [Key: Double] = [:]
        for part in parts {
            for (k, v) in observations(part.data, share: part.share) {
                if k.row == nil, averaged.contains(k.name) {
                    merged[k, default: 0] += v * part.share
                    weights[k, default: 0] += part.share
                } else {
                    merged[k, default: 0] += v
                }
            }
        }
        for (k, w) in weights where w > 0 { merged[k]! /= w }
        return merged
    }

    /// Rows whose key is new this quarter but whose other identifying columns (`same_row_when`)
    /// match a row of the earlier quarters whose key is gone: (table, new key) → the old key.
    func retypedKeys(_ data: SubmissionData, earlier: [[(data: SubmissionData, share: Double)]], history: [[Key: Double]]) -> [Key: String] {
        var out: [Key: String] = [:]
        for (table, columns) in spec.sameRowWhen.sorted(by: { $0.key < $1.key }) {
            guard let keyColumn = spec.figures.first(where: { $0.sheet == table && $0.rowKey != nil })?.rowKey else { continue }
            // Most files have no new key: the history's rows say so without reading its data again.
            let names = Set(spec.figures.filter { $0.sheet == table && $0.rowKey != nil }.map(\.name))
            let seen = Set(history.flatMap { $0.keys.filter { names.contains($0.name) }.compactMap(\.row) })
            let now = data.rows(of: table)
            guard now.contains(where: { Self.rowKey($0[keyColumn]).map { !seen.contains($0) } ?? false }) else { continue }
            func identity(_ row: [String: FactValue]) -> [String]? {
                let parts = columns.map { row[$0].map { TextMatching.key($0.display) } ?? "" }
                return parts.allSatisfy(\.isEmpty) ? nil : parts
            }
            let keysNow = Set(now.compactMap { Self.rowKey($0[keyColumn]) })
            let before = earlier.flatMap { $0.map(\.data) }.map { $0.rows(of: table) }
            let keysBefore = Set(before.flatMap { $0.compactMap { Self.rowKey($0[keyColumn]) } })
            var taken = Set<String>()
            // Two new rows alike are neither of them the row gone: which one would be a guess.
            let newRows = now.filter { Self.rowKey($0[keyColumn]).map { !keysBefore.contains($0) } ?? false }
            var alike: [[String]: Int] = [:]
            for row in newRows { if let id = identity(row) { alike[id, default: 0] += 1 } }
            for row in newRows {
                guard let k = Self.rowKey(row[keyColumn]), let id = identity(row), alike[id] == 1 else { continue }
                // The most recent quarter that had a row of the same identity, whose key is not used now.
                for rows in before {
                    let matches = rows.filter { identity($0) == id }.compactMap { Self.rowKey($0[keyColumn]) }
                        .filter { !keysNow.contains($0) && !taken.contains($0) }
                    guard let old = matches.first else { continue }
                    if matches.count == 1 {
                        out[Key(name: table, row: k)] = old
                        taken.insert(old)
                    }
                    break
                }
            }
        }
        return out
    }

    /// An earlier quarter's values with the rows of retyped keys under their new keys.
    func renaming(_ values: [Key: Double], _ renamed: [Key: String]) -> [Key: Double] {
        guard !renamed.isEmpty else { return values }
        var out = values
        for (new, old) in renamed {
            let ratios = Set(spec.ratios.filter { $0.numeratorSheet == new.name && $0.rowKey != nil }.map { "ratio:" + $0.id })
            for (k, v) in values where k.row == old && (k.name.hasPrefix(new.name + ".") || ratios.contains(k.name)) {
                out[Key(name: k.name, row: new.row)] = v
                out[k] = nil
            }
        }
        return out
    }
}
