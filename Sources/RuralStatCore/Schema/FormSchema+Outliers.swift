// SPDX-License-Identifier: Apache-2.0
import Foundation
extension RawOutliers {
    /// Checks the `outliers:` section against the schema and builds the spec: every figure it
    /// names must be a number of the form, every `rows:` a column of the figure's table.
    func build(schema: FormSchema, fail: (String) -> DefinitionError) throws -> OutlierSpec {
        var spec = OutlierSpec()
        spec.severity = severity ?? spec.severity
        for (name, v) in [("threshold", threshold), ("history_floor", history_floor), ("peer_floor", peer_floor)] {
            if let v, !(v > 0) { throw fail("outliers: \(name) must be more than 0") }
        }
        spec.threshold = threshold ?? spec.threshold
        spec.historyFloor = history_floor ?? spec.historyFloor
        spec.peerFloor = peer_floor ?? spec.peerFloor
        for (name, v) in [("history_quarters", history_quarters), ("min_history", min_history), ("min_peers", min_peers)] {
            if let v, v < 1 { throw fail("outliers: \(name) must be at least 1") }
        }
        spec.historyQuarters = history_quarters ?? spec.historyQuarters
        spec.minHistory = min_history ?? spec.minHistory
        spec.minPeers = min_peers ?? spec.minPeers
        /// `sheet.field` naming a number of the form.
        func figure(_ text: String, _ owner: String) throws -> (String, String) {
            try typedFigure(text, owner).0
        }
        func typedFigure(_ text: String, _ owner: String) throws -> ((String, String), ValueSpec) {
            let parts = text.split(separator: ".").map(String.init)
            guard parts.count == 2, let sheet = schema.sheet(parts[0]) else {
                throw fail("outliers: \(owner) '\(text)' must name sheet.field of the form")
            }
            guard let spec = sheet.spec(parts[1]) else { throw fail("outliers: \(owner) '\(text)': sheet '\(parts[0])' has no field '\(parts[1])'") }
            guard spec.type.isNumeric else {
                throw fail("outliers: \(owner) '\(text)' is not a number (\(spec.type.rawValue))")
            }
            return ((parts[0], parts[1]), spec)
        }
        func rowKey(_ key: String?, sheet: String, _ owner: String) throws -> String? {
            guard let key else { return nil }
            guard let s = schema.sheet(sheet), s.kind == .table, s.columns.contains(where: { $0.spec.id == key }) else {
                throw fail("outliers: \(owner): rows '\(key)' must be a column of the table '\(sheet)'")
            }
            return key
        }
        for f in figures ?? [] {
            let ((sheet, field), value) = try typedFigure(f.figure, "figure")
            if f.peers == true, f.rows == nil {
                throw fail("outliers: figure '\(f.figure)': peers compares a row with no history with the other units' rows; it needs rows:")
            }
            spec.figures.append(OutlierFigure(sheet: sheet, field: field, rowKey: try rowKey(f.rows, sheet: sheet, "figure '\(f.figure)'"),
                                              peers: f.peers ?? false, count: value.type == .integer, flow: value.accumulate == .sum,
                                              severity: f.severity, threshold: f.threshold))
        }
        var ids = Set<String>()
        for r in ratios ?? [] {
            guard ids.insert(r.id).inserted else { throw fail("outliers: ratio id '\(r.id)' is used twice") }
            let n = try figure(r.numerator, "ratio '\(r.id)' numerator"), d = try figure(r.denominator, "ratio '\(r.id)' denominator")
            if r.rows != nil, n.0 != d.0 {
                throw fail("outliers: ratio '\(r.id)' is checked by rows, so its numerator and denominator must be columns of one table")
            }
            spec.ratios.append(OutlierRatio(id: r.id, label: r.label, numerator: n, denominator: d,
                                            rowKey: try rowKey(r.rows, sheet: n.0, "ratio '\(r.id)'"), severity: r.severity, threshold: r.threshold))
        }
        for e in exempt ?? [] {
            let (sheet, field) = try figure(e.figure, "exempt")
            if spec.figures.contains(where: { $0.sheet == sheet && $0.field == field }) {
                throw fail("outliers: '\(e.figure)' is both checked (figures:) and exempt")
            }
            if e.why.vi.trimmingCharacters(in: .whitespaces).isEmpty || e.why.en.trimmingCharacters(in: .whitespaces).isEmpty {
                throw fail("outliers: exempt '\(e.figure)' needs its reason (why: {vi, en})")
            }
            spec.exempt[sheet + "." + field] = e.why
        }
        spec.sameRowWhen = try sameRows(spec, schema: schema, fail: fail)
        let checked = Set(spec.figures.map(\.name))
        spec.unchecked = schema.sheets.filter { $0.kind == .table || $0.kind == .indicators }.flatMap { sheet in
            (sheet.columns.map(\.spec) + sheet.rows.map(\.spec)).filter(\.type.isNumeric).map { sheet.id + "." + $0.id }
        }.filter { !checked.contains($0) && spec.exempt[$0] == nil }
        return spec
    }

    /// `same_row_when:` checked: each a table of the form with a figure checked by rows, each
    /// column one of its own other than the rows' key.
    private func sameRows(_ spec: OutlierSpec, schema: FormSchema, fail: (String) -> DefinitionError) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (table, columns) in same_row_when ?? [:] {
            guard let s = schema.sheet(table), s.kind == .table else { throw fail("outliers: same_row_when: '\(table)' is not a table of the form") }
            let keys = Set(spec.figures.filter { $0.sheet == table }.compactMap(\.rowKey))
            guard !keys.isEmpty else { throw fail("outliers: same_row_when: '\(table)' has no figure checked by rows") }
            for c in columns where !s.columns.contains(where: { $0.spec.id == c }) || keys.contains(c) {
                throw fail("outliers: same_row_when: '\(table).\(c)' must be a column of the table other than the rows' key")
            }
            guard !columns.isEmpty else { throw fail("outliers: same_row_when: '\(table)' needs at least one column") }
            out[table] = columns
        }
        return out
    }
}
