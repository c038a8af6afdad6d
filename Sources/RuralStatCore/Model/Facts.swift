// SPDX-License-Identifier: Apache-2.0
public import CellModel

/// One accepted value, typed by its schema definition.
public enum FactValue: Sendable, Hashable {
    case integer(Int64)
    case decimal(Double)
    /// Money held exactly, in đồng (the schema's unit is million VND: 1 triệu = 1,000,000 đồng).
    case money(dong: Int64)
    case text(String)
    case code(String)
    case date(SpreadsheetDate)
    case bool(Bool)

    /// The value as a number in the schema's unit of measure, for numeric types.
    public var number: Double? {
        switch self {
        case .integer(let v): return Double(v)
        case .decimal(let v): return v
        case .money(let d): return Double(d) / 1_000_000
        default: return nil
        }
    }

    /// How the value reads in a message or a CSV cell.
    public var display: String {
        switch self {
        case .integer(let v): return String(v)
        case .decimal(let v): return CellValue.format(v)
        case .money(let d): return CellValue.format(Double(d) / 1_000_000)
        case .text(let s), .code(let s): return s
        case .date(let d): return d.description
        case .bool(let b): return b ? "x" : ""
        }
    }
}

/// A value of a submission, addressed by sheet id, data row (tables only) and field id.
public struct Fact: Sendable, Hashable {
    public var sheet: String
    /// Position among the sheet's data rows (0-based) for tables; nil for fields and indicators.
    public var row: Int?
    public var field: String
    public var value: FactValue

    public init(sheet: String, row: Int?, field: String, value: FactValue) {
        self.sheet = sheet
        self.row = row
        self.field = field
        self.value = value
    }
}

/// What an accepted file says: who reported, for which quarter, and every typed value.
public struct SubmissionData: Sendable, Hashable {
    public var unitCode: String
    public var period: Period
    public var schemaID: String
    public var schemaVersion: Int
    public var facts: [Fact]

    public init(unitCode: String, period: Period, schemaID: String, schemaVersion: Int, facts: [Fact]) {
        self.unitCode = unitCode
        self.period = period
        self.schemaID = schemaID
        self.schemaVersion = schemaVersion
        self.facts = facts
    }

    /// The data rows of a table sheet, each as field id → value.
    public func rows(of sheet: String) -> [[String: FactValue]] {
        var rows: [Int: [String: FactValue]] = [:]
        for f in facts where f.sheet == sheet {
            guard let r = f.row else { continue }
            rows[r, default: [:]][f.field] = f.value
        }
        return rows.keys.sorted().map { rows[$0]! }
    }

    /// The value of a field or indicator (sheets without rows).
    public func value(sheet: String, field: String) -> FactValue? {
        facts.first { $0.sheet == sheet && $0.row == nil && $0.field == field }?.value
    }
}
