// SPDX-License-Identifier: Apache-2.0
/// A parsed rule expression. The language is small, safe and total: arithmetic, comparisons,
/// `and`/`or`/`not`, `in [...]`, references to fields (`labourers`, `indicators.clusters`,
/// `prev.indicators.clusters`), and the functions `sum`, `count`, `if`, `present`, `blank`,
/// `abs`, `min`, `max`, `round`. Evaluation never fails: a missing value, a type mismatch or a
/// division by zero gives "no value", and a rule whose test has no value does not fire.
public indirect enum RuleExpression: Sendable, Hashable {
    case number(Double)
    case text(String)
    case bool(Bool)
    case null
    /// A dotted reference, such as `["prev", "indicators", "clusters"]`.
    case reference([String])
    case negate(RuleExpression)
    case not(RuleExpression)
    case binary(BinaryOperator, RuleExpression, RuleExpression)
    case member(RuleExpression, [RuleExpression])
    case call(String, [RuleExpression])

    public enum BinaryOperator: String, Sendable, Hashable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case and, or
    }

    /// The functions and how many arguments each takes.
    static let functions: [String: ClosedRange<Int>] = [
        "sum": 1...1, "count": 1...1, "if": 3...3, "present": 1...1, "blank": 1...1,
        "abs": 1...1, "min": 1...8, "max": 1...8, "round": 1...2,
    ]

    /// Every reference in the expression, with whether it is the argument of `sum`/`count`.
    func references(inAggregate: Bool = false) -> [(path: [String], aggregate: Bool)] {
        switch self {
        case .number, .text, .bool, .null: return []
        case .reference(let p): return [(p, inAggregate)]
        case .negate(let e), .not(let e): return e.references(inAggregate: inAggregate)
        case .binary(_, let a, let b): return a.references(inAggregate: inAggregate) + b.references(inAggregate: inAggregate)
        case .member(let e, let list): return e.references(inAggregate: inAggregate) + list.flatMap { $0.references(inAggregate: inAggregate) }
        case .call(let name, let args):
            let aggregate = name == "sum" || name == "count"
            return args.flatMap { $0.references(inAggregate: aggregate || inAggregate) }
        }
    }
}

/// A mistake in an expression, at a character offset in its text.
public struct ExpressionSyntaxError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// Zero-based offset, in characters, of the mistake in the expression text.
    public var offset: Int
    public var description: String { "\(message) (at character \(offset + 1))" }
}

extension RuleExpression {
    /// Parses an expression; throws `ExpressionSyntaxError` with the offset of the mistake.
    public static func parse(_ text: String) throws -> RuleExpression {
        var p = ExpressionParser(text)
        try p.advance()
        let e = try p.parseExpression(0)
        guard case .end = p.token.kind else { throw p.error("unexpected '\(p.token.text)'") }
        return e
    }
}

private struct Token {
    enum Kind: Equatable { case number(Double), text(String), identifier(String), symbol(String), end }
    var kind: Kind
    var offset: Int
    var text: String
}

/// Precedence climbing over a hand-written lexer.
private struct ExpressionParser {
    let chars: [Character]
    var position = 0
    var token = Token(kind: .end, offset: 0, text: "")

    init(_ text: String) {
        chars = Array(text)
    }

    func error(_ message: String, at offset: Int? = nil) -> ExpressionSyntaxError {
        ExpressionSyntaxError(message: message, offset: offset ?? token.offset)
    }

    mutating func lex() throws -> Token {
        while position < chars.count, chars[position].isWhitespace { position += 1 }
        let start = position
        guard position < chars.count else { return Token(kind: .end, offset: start, text: "end") }
        let c = chars[position]
        if c.isNumber {
            while position < chars.count, chars[position].isNumber || chars[position] == "." { position += 1 }
            let text = String(chars[start..<position])
            guard let v = Double(text) else { throw ExpressionSyntaxError(message: "'\(text)' is not a number", offset: start) }
            return Token(kind: .number(v), offset: start, text: text)
        }
        if c.isLetter || c == "_" {
            while position < chars.count, chars[position].isLetter || chars[position].isNumber || chars[position] == "_" { position += 1 }
            let text = String(chars[start..<position])
            return Token(kind: .identifier(text), offset: start, text: text)
        }
        if c == "\"" || c == "'" {
            position += 1
            var s = ""
            while position < chars.count, chars[position] != c { s.append(chars[position]); position += 1 }
            guard position < chars.count else { throw ExpressionSyntaxError(message: "text started here is not closed", offset: start) }
            position += 1
            return Token(kind: .text(s), offset: start, text: String(chars[start..<position]))
        }
        for op in ["==", "!=", "<=", ">="] where position + 1 < chars.count && String(chars[position...position + 1]) == op {
            position += 2
            return Token(kind: .symbol(op), offset: start, text: op)
        }
        if "+-*/()<>,[].".contains(c) {
            position += 1
            return Token(kind: .symbol(String(c)), offset: start, text: String(c))
        }
        if c == "=" { throw ExpressionSyntaxError(message: "use == to compare", offset: start) }
        throw ExpressionSyntaxError(message: "unexpected character '\(c)'", offset: start)
    }

    mutating func advance() throws { token = try lex() }

    mutating func expect(_ symbol: String) throws {
        guard token.kind == .symbol(symbol) else { throw error("expected '\(symbol)' but found '\(token.text)'") }
        try advance()
    }

    static func binary(_ t: Token) -> (RuleExpression.BinaryOperator, Int)? {
        switch t.kind {
        case .identifier("or"): return (.or, 1)
        case .identifier("and"): return (.and, 2)
        case .symbol(let s):
            switch s {
            case "==": return (.equal, 4)
            case "!=": return (.notEqual, 4)
            case "<": return (.less, 4)
            case "<=": return (.lessOrEqual, 4)
            case ">": return (.greater, 4)
            case ">=": return (.greaterOrEqual, 4)
            case "+": return (.add, 5)
            case "-": return (.subtract, 5)
            case "*": return (.multiply, 6)
            case "/": return (.divide, 6)
            default: return nil
            }
        default: return nil
        }
    }

    mutating func parseExpression(_ minimum: Int) throws -> RuleExpression {
        var left = try parseUnary()
        while true {
            if token.kind == .identifier("in") && minimum <= 4 {
                try advance()
                try expect("[")
                var items: [RuleExpression] = []
                if token.kind != .symbol("]") {
                    repeat {
                        if token.kind == .symbol(",") { try advance() }
                        items.append(try parseExpression(0))
                    } while token.kind == .symbol(",")
                }
                try expect("]")
                left = .member(left, items)
                continue
            }
            guard let (op, precedence) = Self.binary(token), precedence >= minimum else { return left }
            try advance()
            let right = try parseExpression(precedence + 1)
            left = .binary(op, left, right)
        }
    }

    mutating func parseUnary() throws -> RuleExpression {
        if token.kind == .symbol("-") { try advance(); return .negate(try parseUnary()) }
        if token.kind == .identifier("not") { try advance(); return .not(try parseExpression(3)) }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws -> RuleExpression {
        let t = token
        switch t.kind {
        case .number(let v): try advance(); return .number(v)
        case .text(let s): try advance(); return .text(s)
        case .symbol("("):
            try advance()
            let e = try parseExpression(0)
            try expect(")")
            return e
        case .identifier("true"): try advance(); return .bool(true)
        case .identifier("false"): try advance(); return .bool(false)
        case .identifier("null"): try advance(); return .null
        case .identifier(let name) where ["and", "or", "not", "in"].contains(name):
            throw error("'\(name)' needs something before it")
        case .identifier(let name):
            try advance()
            if token.kind == .symbol("(") {
                guard let arity = RuleExpression.functions[name] else {
                    throw error("unknown function '\(name)' (known: \(RuleExpression.functions.keys.sorted().joined(separator: ", ")))", at: t.offset)
                }
                try advance()
                var args: [RuleExpression] = []
                if token.kind != .symbol(")") {
                    repeat {
                        if token.kind == .symbol(",") { try advance() }
                        args.append(try parseExpression(0))
                    } while token.kind == .symbol(",")
                }
                try expect(")")
                guard arity.contains(args.count) else {
                    throw error("\(name) takes \(arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound) to \(arity.upperBound)") argument(s), not \(args.count)", at: t.offset)
                }
                return .call(name, args)
            }
            var path = [name]
            while token.kind == .symbol(".") {
                try advance()
                guard case .identifier(let next) = token.kind else { throw error("expected a name after '.'") }
                path.append(next)
                try advance()
            }
            return .reference(path)
        case .end: throw error("the expression ends too early")
        default: throw error("unexpected '\(t.text)'")
        }
    }
}
