// SPDX-License-Identifier: Apache-2.0
import Yams

/// Turns Yams and decoding errors into one readable sentence and a line number where known.
enum YAMLErrors {
    static func describe(_ error: any Error) -> String {
        if let yaml = syntaxError(error) {
            switch yaml {
            case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
                return "YAML syntax: \(problem)"
            default:
                return "YAML: \(yaml)"
            }
        }
        switch error {
        case DecodingError.keyNotFound(let key, let ctx):
            return "missing key '\(key.stringValue)' at \(path(ctx.codingPath))"
        case DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx):
            return "wrong value at \(path(ctx.codingPath)): \(ctx.debugDescription)"
        case DecodingError.dataCorrupted(let ctx):
            return "invalid value at \(path(ctx.codingPath)): \(ctx.debugDescription)"
        default:
            return "\(error)"
        }
    }

    /// The line of a YAML syntax error (Yams wraps it in a `DecodingError`).
    static func line(_ error: any Error) -> Int? {
        switch syntaxError(error) {
        case .scanner(_, _, let mark, _)?, .parser(_, _, let mark, _)?, .composer(_, _, let mark, _)?: return mark.line
        default: return nil
        }
    }

    private static func syntaxError(_ error: any Error) -> YamlError? {
        if let y = error as? YamlError { return y }
        if case DecodingError.dataCorrupted(let ctx) = error, let inner = ctx.underlyingError { return syntaxError(inner) }
        return nil
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
