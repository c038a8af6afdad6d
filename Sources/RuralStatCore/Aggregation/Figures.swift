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

    public init(schema: FormSchema) {
        self.schema = schema
        var ids: [(String, Aggregation)] = []
        var accumulation: [String: Accumulation] = [:]
        func add(_ id: String, _ spec: ValueSpec?) {
            ids.append((id, spec?.aggregate ?? .sum))
            accumulation[id] = spec?.accumulate ?? .last
        }
        for sheet in schema.sheets {
            switch sheet.kind {
            case .fields: continue
            case .indicators:
                for r in sheet.rows where r.spec.type.isNumeric { add("\(sheet.id).\(r.spec.id)", r.spec) }
            case .table:
                let numeric = sheet.columns.filter { $0.spec.type.isNumeric }
                add("\(sheet.id).rows", nil)
                for c in numeric { add("\(sheet.id).\(c.spec.id)", c.spec) }
                for (field, code) in Self.splits(sheet) {
                    add("\(sheet.id).rows[\(field)=\(code)]", nil)
                    for c in numeric { add("\(sheet.id).\(c.spec.id)[\(field)=\(code)]", c.spec) }
                }
            }
        }
        self.ids = ids
        self.accumulation = accumulation
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
        var t: [String: Tally] = [:]
        for (id, agg) in ids { t[id] = Tally(aggregate: agg) }
        for sheet in schema.sheets {
            switch sheet.kind {
            case .fields: continue
            case .indicators:
                for r in sheet.rows where r.spec.type.isNumeric {
                    if let v = data.value(sheet: sheet.id, field: r.spec.id) { t["\(sheet.id).\(r.spec.id)"]?.add(Quantity(v)) }
                }
            case .table:
                let numeric = sheet.columns.filter { $0.spec.type.isNumeric }
                let splits = Self.splits(sheet)
                for row in data.rows(of: sheet.id) {
                    t["\(sheet.id).rows"]?.add(.count(1))
                    for c in numeric { if let v = row[c.spec.id] { t["\(sheet.id).\(c.spec.id)"]?.add(Quantity(v)) } }
                    for (field, code) in splits {
                        let matches: Bool
                        switch row[field] {
                        case .code(let k)?: matches = k == code
                        case .bool(let b)?: matches = b && code == "true"
                        default: matches = false
                        }
                        guard matches else { continue }
                        t["\(sheet.id).rows[\(field)=\(code)]"]?.add(.count(1))
                        for c in numeric {
                            if let v = row[c.spec.id] { t["\(sheet.id).\(c.spec.id)[\(field)=\(code)]"]?.add(Quantity(v)) }
                        }
                    }
                }
            }
        }
        return t
    }

    /// Combines several units' tallies into one (the province, a group).
    public func combine(_ parts: [[String: Tally]]) -> [String: Tally] {
        var t: [String: Tally] = [:]
        for (id, agg) in ids { t[id] = Tally(aggregate: agg) }
        for part in parts { for (id, tally) in part { t[id]?.merge(tally) } }
        return t
    }
}
