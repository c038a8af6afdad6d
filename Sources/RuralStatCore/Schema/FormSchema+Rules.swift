// SPDX-License-Identifier: Apache-2.0
import Foundation
import Yams

extension RawSchema {
    /// Compiles the rules under each table sheet, then the workbook's, each against the schema
    /// as built so far; a mistake is reported with its line in the file.
    func compileRules(into schema: inout FormSchema, file: String, tree: Node?) throws {
        func fail(_ m: String) -> DefinitionError { DefinitionError(file: file, message: m) }
        for (i, s) in self.sheets.enumerated() {
            guard let rules = s.rules, !rules.isEmpty else { continue }
            guard s.kind == .table else { throw fail("sheet '\(s.id)': rules under a sheet apply to table rows; put others in the top-level 'rules'") }
            for (j, r) in rules.enumerated() {
                let at = YAMLLocation(tree: tree, path: ["sheets", i, "rules", j], file: file)
                schema.sheets[i].rules.append(try RuleCompiler(schema: schema, rowSheet: schema.sheets[i]).compile(r, at))
            }
        }
        for (j, r) in (self.rules ?? []).enumerated() {
            let at = YAMLLocation(tree: tree, path: ["rules", j], file: file)
            schema.rules.append(try RuleCompiler(schema: schema, rowSheet: nil).compile(r, at))
        }
    }
}

/// Parses a rule's expressions and checks that every reference names something the schema has.
private struct RuleCompiler {
    let schema: FormSchema
    /// The table sheet whose rows a row rule runs on; nil for a workbook rule.
    let rowSheet: SheetSchema?

    func compile(_ r: RawRule, _ at: YAMLLocation) throws -> ValidationRule {
        func expression(_ key: String, _ text: String) throws -> RuleExpression {
            let e: RuleExpression
            do {
                e = try RuleExpression.parse(text)
            } catch let err as ExpressionSyntaxError {
                throw at.error(key: key, offset: err.offset, "rule '\(r.id)', \(key): \(err.message)")
            }
            for ref in e.references() {
                if let problem = check(ref.path, aggregate: ref.aggregate) {
                    let offset = text.range(of: ref.path.joined(separator: ".")).map { text.distance(from: text.startIndex, to: $0.lowerBound) }
                    throw at.error(key: key, offset: offset, "rule '\(r.id)', \(key): \(problem)")
                }
            }
            return e
        }
        let when = try r.when.map { try expression("when", $0) }
        let assertion = try expression("assert", r.assert)
        var cell: [String]?
        if let c = r.cell {
            let path = c.split(separator: ".").map(String.init)
            if let problem = check(path, aggregate: false) ?? (rowSheet == nil && path.count != 2 ? "a workbook rule points at sheet.field" : nil) {
                throw at.error(key: "cell", offset: nil, "rule '\(r.id)', cell: \(problem)")
            }
            cell = path
        }
        for placeholder in Self.placeholders(r.message.vi) + Self.placeholders(r.message.en) {
            _ = try expression("message", placeholder)
        }
        var rule = ValidationRule(id: r.id, severity: r.severity ?? .error, when: when, assertion: assertion, cell: cell, message: r.message)
        rule.assertText = r.assert
        rule.whenText = r.when
        return rule
    }

    static func placeholders(_ text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    /// Nil when `path` names something; otherwise what is wrong with it.
    func check(_ path: [String], aggregate: Bool) -> String? {
        var p = path
        if p.first == "prev" { p.removeFirst() }
        guard !p.isEmpty else { return "'prev' needs a sheet and a field after it" }
        if p.count == 1 {
            if aggregate, let sheet = schema.sheet(p[0]), sheet.kind == .table { return nil }
            guard let rowSheet else { return "'\(p[0])' needs its sheet, as sheet.field" }
            guard path.first != "prev" else { return "the previous quarter has no row in hand; write prev.sheet.field" }
            return rowSheet.column(p[0]) == nil ? "'\(p[0])' is not a column of sheet '\(rowSheet.id)'" : nil
        }
        guard p.count == 2 else { return "'\(path.joined(separator: "."))' has too many parts" }
        guard let sheet = schema.sheet(p[0]) else {
            return "there is no sheet '\(p[0])' (sheets: \(schema.sheets.map(\.id).joined(separator: ", ")))"
        }
        switch sheet.kind {
        case .table:
            guard sheet.column(p[1]) != nil else { return "'\(p[1])' is not a column of sheet '\(p[0])'" }
            return aggregate ? nil : "a column of a table has many values: use sum(\(path.joined(separator: "."))) or count(…)"
        case .fields:
            return sheet.fields.contains { $0.spec.id == p[1] } ? nil : "'\(p[1])' is not a field of sheet '\(p[0])'"
        case .indicators:
            return sheet.rows.contains { $0.spec.id == p[1] } ? nil : "'\(p[1])' is not an indicator of sheet '\(p[0])'"
        }
    }
}
