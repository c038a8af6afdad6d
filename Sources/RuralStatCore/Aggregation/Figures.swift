// SPDX-License-Identifier: Apache-2.0
/// An exact quantity in millionths of the schema's unit: money in million VND is then held
/// to the đồng, and sums never pick up binary rounding.
public struct Quantity: Sendable, Hashable, Comparable, AdditiveArithmetic {
    public var micros: Int64

    public init(micros: Int64) { self.micros = micros }
    public init(_ value: FactValue) {
        switch value {
        case .integer(let v): micros = v * 1_000_000
        case .money(let dong): micros = dong
        case .decimal(let d): micros = Int64((d * 1_000_000).rounded())
        default: micros = 0
        }
    }
    public static func count(_ n: Int) -> Quantity { Quantity(micros: Int64(n) * 1_000_000) }

    public static var zero: Quantity { Quantity(micros: 0) }
    public static func + (a: Quantity, b: Quantity) -> Quantity { Quantity(micros: a.micros + b.micros) }
    public static func - (a: Quantity, b: Quantity) -> Quantity { Quantity(micros: a.micros - b.micros) }
    public static func < (a: Quantity, b: Quantity) -> Bool { a.micros < b.micros }

    /// The nearest Double; prints as the exact decimal for values of up to 15 digits.
    public var value: Double { Double(micros) / 1_000_000 }
}

/// A figure being added up: its total, how many values went in, and how it combines.
public struct Tally: Sendable, Hashable {
    public var total: Quantity = .zero
    public var count = 0
    public var aggregate: Aggregation

    public init(aggregate: Aggregation) { self.aggregate = aggregate }

    public mutating func add(_ q: Quantity) {
        total = total + q
        count += 1
    }

    public mutating func merge(_ other: Tally) {
        total = total + other.total
        count += other.count
    }

    /// The tally scaled by `share` (a unit split between successors), exact to the micro-unit.
    public func scaled(_ share: Double) -> Tally {
        var t = self
        t.total = Quantity(micros: Int64((Double(total.micros) * share).rounded()))
        return t
    }

    /// The figure: the total, or the mean of what went in; nil for a mean of nothing.
    public var value: Double? {
        switch aggregate {
        case .sum: return total.value
        case .mean: return count == 0 ? nil : total.value / Double(count)
        }
    }
}

/// The named figures of the schema, computed from submissions. Ids follow the export contract:
/// `SHEET.rows`, `SHEET.FIELD`, `SHEET.rows[CODEFIELD=CODE]`, `SHEET.FIELD[CODEFIELD=CODE]`,
/// and `SHEET.FIELD` for an indicator row.
public struct FigureCatalog: Sendable {
    public let schema: FormSchema
    /// Every figure id in a stable order, with how it combines.
    public let ids: [(id: String, aggregate: Aggregation)]
    /// How each figure builds up over a year (row counts and stocks: `.last`).
    public let accumulation: [String: Accumulation]
    /// Where each fact goes among `ids`, worked out once: a rebuild tallies hundreds of
    /// thousands of facts and must not build a figure's name for each.
    private let indicatorSlots: [String: [String: Int]]
    private let tablePlans: [String: TablePlan]

    private struct TablePlan: Sendable {
        var rowsSlot: Int
        /// Column position of each field a figure reads (numeric ones and the split codes).
        var position: [String: Int]
        var numeric: [(position: Int, slot: Int)]
        var splits: [(position: Int, code: String, rowsSlot: Int, numericSlots: [Int])]
    }

    public init(schema: FormSchema) {
        self.schema = schema
        var ids: [(String, Aggregation)] = []
        var accumulation: [String: Accumulation] = [:]
        var indicatorSlots: [String: [String: Int]] = [:]
        var tablePlans: [String: TablePlan] = [:]
        func add(_ id: String, _ spec: ValueSpec?) -> Int {
            ids.append((id, spec?.aggregate ?? .sum))
            accumulation[id] = spec?.accumulate ?? .last
            return ids.count - 1
        }
        for sheet in schema.sheets {
            switch sheet.kind {
            case .fields: continue
            case .indicators:
                for r in sheet.rows where r.spec.type.isNumeric {
                    indicatorSlots[sheet.id, default: [:]][r.spec.id] = add("\(sheet.id).\(r.spec.id)", r.spec)
                }
            case .table:
                let numeric = sheet.columns.filter { $0.spec.type.isNumeric }
                var position: [String: Int] = [:]
                func at(_ field: String) -> Int {
                    if let p = position[field] { return p }
                    position[field] = position.count
                    return position.count - 1
                }
                var plan = TablePlan(rowsSlot: add("\(sheet.id).rows", nil), position: [:], numeric: [], splits: [])
                for c in numeric { plan.numeric.append((at(c.spec.id), add("\(sheet.id).\(c.spec.id)", c.spec))) }
                for (field, code) in Self.splits(sheet) {
                    let rowsSlot = add("\(sheet.id).rows[\(field)=\(code)]", nil)
                    let slots = numeric.map { c in add("\(sheet.id).\(c.spec.id)[\(field)=\(code)]", c.spec) }
                    plan.splits.append((at(field), code, rowsSlot, slots))
                }
                plan.position = position
                tablePlans[sheet.id] = plan
            }
        }
        self.ids = ids
        self.accumulation = accumulation
        self.indicatorSlots = indicatorSlots
        self.tablePlans = tablePlans
    }

    /// The (code field, code) pairs a table's figures are broken down by.
    static func splits(_ sheet: SheetSchema) -> [(String, String)] {
        var out: [(String, String)] = []
        for c in sheet.columns {
            if c.spec.type == .code { out += (c.spec.codes ?? []).map { (c.spec.id, $0.code) } }
            if c.spec.type == .boolean { out += [(c.spec.id, "true")] }
        }
        return out
    }

    public func contains(_ id: String) -> Bool { ids.contains { $0.id == id } }

    /// The tallies of one submission, every id present.
    public func tallies(of data: SubmissionData) -> [String: Tally] {
        var t = ids.map { Tally(aggregate: $0.aggregate) }
        // Table rows as arrays by column position, only the fields a figure reads.
        var rows: [String: [Int: [FactValue?]]] = [:]
        var seenIndicator: Set<Int> = []
        for f in data.facts {
            if let r = f.row {
                guard let plan = tablePlans[f.sheet] else { continue }
                let width = plan.position.count
                var cells = rows[f.sheet]?[r] ?? Array(repeating: nil, count: width)
                if let p = plan.position[f.field] { cells[p] = f.value }
                rows[f.sheet, default: [:]][r] = cells
            } else if let slot = indicatorSlots[f.sheet]?[f.field], seenIndicator.insert(slot).inserted {
                t[slot].add(Quantity(f.value))
            }
        }
        for (sheet, plan) in tablePlans {
            for cells in (rows[sheet] ?? [:]).values {
                t[plan.rowsSlot].add(.count(1))
                for (p, slot) in plan.numeric { if let v = cells[p] { t[slot].add(Quantity(v)) } }
                for split in plan.splits {
                    let matches: Bool
                    switch cells[split.position] {
                    case .code(let k)?: matches = k == split.code
                    case .bool(let b)?: matches = b && split.code == "true"
                    default: matches = false
                    }
                    guard matches else { continue }
                    t[split.rowsSlot].add(.count(1))
                    for ((p, _), slot) in zip(plan.numeric, split.numericSlots) { if let v = cells[p] { t[slot].add(Quantity(v)) } }
                }
            }
        }
        var out: [String: Tally] = [:]
        out.reserveCapacity(ids.count)
        for (i, id) in ids.enumerated() { out[id.id] = t[i] }
        return out
    }

    /// Combines several units' tallies into one (the province, a group).
    public func combine(_ parts: [[String: Tally]]) -> [String: Tally] {
        var t: [String: Tally] = [:]
        for (id, agg) in ids { t[id] = Tally(aggregate: agg) }
        for part in parts { for (id, tally) in part { t[id]?.merge(tally) } }
        return t
    }
}
