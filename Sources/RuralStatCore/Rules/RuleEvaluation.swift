// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation

/// A value an expression computes: a number (in the schema's unit), text, a truth value, or
/// nothing (a blank cell, a missing previous quarter, a division by zero).
public enum RuleValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case text(String)
    case bool(Bool)
    case null

    init(_ fact: FactValue?) {
        switch fact {
        case nil: self = .null
        case .integer?, .decimal?, .money?: self = .number(fact!.number!)
        case .text(let s)?, .code(let s)?: self = .text(s)
        case .date(let d)?: self = .text(d.description)
        case .bool(let b)?: self = .bool(b)
        }
    }

    public var description: String {
        switch self {
        case .number(let n): return CellValue.format((n * 1_000_000).rounded() / 1_000_000)
        case .text(let s): return s
        case .bool(let b): return b ? "x" : ""
        case .null: return "–"
        }
    }

    var isPresent: Bool {
        switch self {
        case .null: return false
        case .text(let s): return !s.trimmingCharacters(in: .whitespaces).isEmpty
        default: return true
        }
    }
}

/// A submission's values arranged for lookups: single values by sheet and field, table rows by sheet.
public struct SubmissionView: Sendable {
    var singles: [String: [String: FactValue]] = [:]
    var tables: [String: [[String: FactValue]]] = [:]

    public init(facts: [Fact], schema: FormSchema) {
        var rows: [String: [Int: [String: FactValue]]] = [:]
        for f in facts {
            if let r = f.row { rows[f.sheet, default: [:]][r, default: [:]][f.field] = f.value } else { singles[f.sheet, default: [:]][f.field] = f.value }
        }
        for sheet in schema.sheets where sheet.kind == .table {
            let byIndex = rows[sheet.id] ?? [:]
            tables[sheet.id] = byIndex.keys.sorted().map { byIndex[$0]! }
        }
    }
}

/// What an expression sees: this quarter's submission, the previous quarter's of the same unit
/// (if any), and, for a row rule, the row in hand and its sheet.
public struct RuleScope {
    public var current: SubmissionView
    public var previous: SubmissionView?
    public var sheet: String?
    public var row: [String: FactValue]?

    public init(current: SubmissionView, previous: SubmissionView?, sheet: String? = nil, row: [String: FactValue]? = nil) {
        self.current = current
        self.previous = previous
        self.sheet = sheet
        self.row = row
    }

    /// Which submission a path reads, and the path within it.
    private func split(_ path: [String]) -> (SubmissionView?, [String], Bool) {
        if path.first == "prev" { return (previous, Array(path.dropFirst()), true) }
        return (current, path, false)
    }

    func value(_ path: [String]) -> RuleValue {
        let (view, p, isPrevious) = split(path)
        guard let view else { return .null }
        if p.count == 1 {
            // A bare name is a field of the row in hand (this quarter only).
            return isPrevious ? .null : RuleValue(row?[p[0]])
        }
        guard p.count == 2 else { return .null }
        return RuleValue(view.singles[p[0]]?[p[1]])
    }

    /// The rows a `sum`/`count` argument covers, and the column (nil: the rows themselves).
    func column(_ path: [String]) -> (rows: [[String: FactValue]], field: String?)? {
        let (view, p, _) = split(path)
        guard let view else { return nil }
        if p.count == 1 {
            if let rows = view.tables[p[0]] { return (rows, nil) }
            if let sheet, let rows = view.tables[sheet] { return (rows, p[0]) }
            return nil
        }
        guard p.count == 2, let rows = view.tables[p[0]] else { return nil }
        return (rows, p[1])
    }

    public func evaluate(_ e: RuleExpression) -> RuleValue {
        switch e {
        case .number(let n): return .number(n)
        case .text(let s): return .text(s)
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .reference(let p): return value(p)
        case .negate(let x):
            if case .number(let n) = evaluate(x) { return .number(-n) }
            return .null
        case .not(let x):
            if case .bool(let b) = evaluate(x) { return .bool(!b) }
            return .null
        case .member(let x, let list):
            let v = evaluate(x)
            guard v != .null else { return .null }
            return .bool(list.contains { Self.equal(v, evaluate($0)) == true })
        case .binary(let op, let a, let b):
            return binary(op, a, b)
        case .call(let name, let args):
            return call(name, args)
        }
    }

    static func equal(_ a: RuleValue, _ b: RuleValue) -> Bool? {
        switch (a, b) {
        case (.null, _), (_, .null): return nil
        case (.number(let x), .number(let y)): return abs(x - y) < 1e-9
        case (.text(let x), .text(let y)): return TextMatching.same(x, y)
        case (.bool(let x), .bool(let y)): return x == y
        default: return false
        }
    }

    private func binary(_ op: RuleExpression.BinaryOperator, _ a: RuleExpression, _ b: RuleExpression) -> RuleValue {
        switch op {
        case .and:
            let x = evaluate(a)
            if x == .bool(false) { return .bool(false) }
            let y = evaluate(b)
            if y == .bool(false) { return .bool(false) }
            return x == .bool(true) && y == .bool(true) ? .bool(true) : .null
        case .or:
            let x = evaluate(a)
            if x == .bool(true) { return .bool(true) }
            let y = evaluate(b)
            if y == .bool(true) { return .bool(true) }
            return x == .bool(false) && y == .bool(false) ? .bool(false) : .null
        case .equal: return Self.equal(evaluate(a), evaluate(b)).map(RuleValue.bool) ?? .null
        case .notEqual: return Self.equal(evaluate(a), evaluate(b)).map { .bool(!$0) } ?? .null
        default: break
        }
        let x = evaluate(a), y = evaluate(b)
        if case .text(let s) = x, case .text(let t) = y {
            switch op {
            case .less: return .bool(s < t)
            case .lessOrEqual: return .bool(s <= t)
            case .greater: return .bool(s > t)
            case .greaterOrEqual: return .bool(s >= t)
            default: return .null
            }
        }
        guard case .number(let m) = x, case .number(let n) = y else { return .null }
        switch op {
        case .add: return .number(m + n)
        case .subtract: return .number(m - n)
        case .multiply: return .number(m * n)
        case .divide: return n == 0 ? .null : .number(m / n)
        case .less: return .bool(m < n - 1e-9)
        case .lessOrEqual: return .bool(m <= n + 1e-9)
        case .greater: return .bool(m > n + 1e-9)
        case .greaterOrEqual: return .bool(m >= n - 1e-9)
        default: return .null
        }
    }

    private func call(_ name: String, _ args: [RuleExpression]) -> RuleValue {
        switch name {
        case "sum", "count":
            guard case .reference(let p) = args[0], let (rows, field) = column(p) else { return .null }
            if name == "count" {
                guard let field else { return .number(Double(rows.count)) }
                return .number(Double(rows.filter { RuleValue($0[field]).isPresent }.count))
            }
            guard let field else { return .null }
            var total = Quantity.zero
            for row in rows { if let v = row[field], v.number != nil { total = total + Quantity(v) } }
            return .number(total.value)
        case "if":
            switch evaluate(args[0]) {
            case .bool(true): return evaluate(args[1])
            case .bool(false): return evaluate(args[2])
            default: return .null
            }
        case "present": return .bool(evaluate(args[0]).isPresent)
        case "blank": return .bool(!evaluate(args[0]).isPresent)
        case "abs":
            if case .number(let n) = evaluate(args[0]) { return .number(abs(n)) }
            return .null
        case "min", "max":
            var numbers: [Double] = []
            for a in args {
                guard case .number(let n) = evaluate(a) else { return .null }
                numbers.append(n)
            }
            return .number(name == "min" ? numbers.min()! : numbers.max()!)
        case "round":
            guard case .number(let n) = evaluate(args[0]) else { return .null }
            var digits = 0.0
            if args.count == 2 {
                guard case .number(let d) = evaluate(args[1]) else { return .null }
                digits = d
            }
            let scale = pow(10, digits)
            return .number((n * scale).rounded() / scale)
        default: return .null
        }
    }

    /// Fills `{expression}` placeholders in a message with their values in this scope.
    public func fill(_ text: LocalizedText) -> LocalizedText {
        func fill(_ s: String) -> String {
            var out = ""
            var rest = Substring(s)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                out += rest[..<open]
                let inner = String(rest[rest.index(after: open)..<close])
                if let e = try? RuleExpression.parse(inner) { out += evaluate(e).description } else { out += "{\(inner)}" }
                rest = rest[rest.index(after: close)...]
            }
            return out + rest
        }
        return LocalizedText(vi: fill(text.vi), en: fill(text.en))
    }
}

extension ValidationRule {
    /// Whether the rule reports in `scope`: its `when` holds (or it has none) and its assertion is
    /// false. A test that cannot be computed (a blank cell, no previous quarter) does not fire.
    public func fires(in scope: RuleScope) -> Bool {
        if let when, scope.evaluate(when) != .bool(true) { return false }
        return scope.evaluate(assertion) == .bool(false)
    }
}
