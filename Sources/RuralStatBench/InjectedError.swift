// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatCore

/// A kind of error clerks make, put into one value (or one column, for a shift) of a clean
/// submission.
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
        case .div10, .div1000: return "any value (a count rounded, to 0 when below half the divisor)"
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
            // A count typed in a larger unit loses its small part: 350 households ÷ 1,000 is 0.
            let r = Int64((Double(x) / Double(scale)).rounded())
            return r != x ? .integer(r) : nil
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

/// One planted error: what was changed, and what the clean submission said about it.
struct Trial: Sendable {
    var kind: InjectedError
    var figure: String
    /// The rows whose value the error changed (their keys); nil: an indicator.
    var rows: [String]?
    /// Had the clean submission already a hit on those rows or on the figure's sum?
    var flaggedClean: Bool
    /// The target had at least min_history earlier values of its own (or its predecessors').
    var withHistory: Bool
    /// The changed cell's clean value and whether the figure counts things (nil for a shift).
    var clean: Double? = nil
    var count = false

    /// A count under 10 made smaller: it has no zero to lose, and a slip of a unit takes it to 0
    /// or 1, where its own changes go too. Measured apart from the targets.
    var smallCountDivided: Bool { count && (kind.power ?? 0) < 0 && (clean ?? 10) < 10 }

    /// The figure's family, for the tables: the form's figures grouped by what they count.
    var family: String { Trial.family(figure) }

    static func family(_ figure: String) -> String {
        switch figure {
        case "villages.households", "villages.trade_households", "villages.labourers", "villages.establishments": return "village sizes"
        case "villages.cooperatives", "villages.enterprises": return "village small stocks"
        case "villages.production_value", "villages.export_value": return "village money"
        case "projects.approved_budget", "projects.disbursed": return "project money"
        case "indicators.establishments", "indicators.establishment_labourers": return "unit establishments"
        case "indicators.clusters", "indicators.cluster_occupancy": return "unit clusters"
        case let f where f.hasPrefix("indicators."): return "unit events (products, artisans, fairs, booths, trainees)"
        default: return "other"
        }
    }
}

extension InjectedError {
    /// The ways of making this kind of error on a clean submission's figures: each table column
    /// of the spec shifted by a row, or each value of the spec's figures changed (`rng` draws
    /// the digits swapped); each with its trial.
    func candidates(in data: SubmissionData, spec: OutlierSpec, schema: FormSchema, figureNames: [String],
                    flagged: Set<OutlierCheck.Key>, hasHistory: (OutlierCheck.Key) -> Bool,
                    rng: inout BenchRandom) -> [(data: SubmissionData, trial: Trial)] {
        self == .rowShift
            ? rowShifts(in: data, spec: spec, schema: schema, flagged: flagged, hasHistory: hasHistory)
            : changedValues(in: data, spec: spec, figureNames: figureNames, flagged: flagged, hasHistory: hasHistory, rng: &rng)
    }

    /// Each table figure's column moved up a row (the last left blank), where that changes a value.
    private func rowShifts(in data: SubmissionData, spec: OutlierSpec, schema: FormSchema, flagged: Set<OutlierCheck.Key>,
                           hasHistory: (OutlierCheck.Key) -> Bool) -> [(data: SubmissionData, trial: Trial)] {
        let kind = self
        var candidates: [(data: SubmissionData, trial: Trial)] = []
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
                                              withHistory: changed.allSatisfy { hasHistory(OutlierCheck.Key(name: name, row: $0)) })))
        }
        return candidates
    }

    /// Each value of the spec's figures with the error, where it can be made (see `apply`).
    private func changedValues(in data: SubmissionData, spec: OutlierSpec, figureNames: [String], flagged: Set<OutlierCheck.Key>,
                               hasHistory: (OutlierCheck.Key) -> Bool, rng: inout BenchRandom) -> [(data: SubmissionData, trial: Trial)] {
        let kind = self
        var candidates: [(data: SubmissionData, trial: Trial)] = []
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
            guard let wrong = kind.apply(fact.value, &rng), let clean = fact.value.number else { continue }
            var injected = data
            injected.facts[i].value = wrong
            let target = OutlierCheck.Key(name: name, row: row)
            candidates.append((injected, Trial(kind: kind, figure: name, rows: row.map { [$0] },
                                               flaggedClean: flagged.contains(target) || flagged.contains(OutlierCheck.Key(name: name, row: nil)),
                                               withHistory: hasHistory(target), clean: clean,
                                               count: spec.figures.first { $0.name == name }?.count ?? false)))
        }
        return candidates
    }
}
