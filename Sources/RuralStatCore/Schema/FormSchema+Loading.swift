import CellModel
import Foundation
import Yams

/// Why a schema or another definition file was refused at load time.
public struct DefinitionError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String
    public var line: Int?
    public var column: Int?

    public init(file: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        guard let line else { return "\(file): \(message)" }
        return column.map { "\(file):\(line):\($0): \(message)" } ?? "\(file):\(line): \(message)"
    }
}

extension FormSchema {
    /// Parses and checks a schema from YAML text. `file` names it in errors.
    public static func load(yaml: String, file: String) throws -> FormSchema {
        let raw: RawSchema
        do {
            raw = try YAMLDecoder().decode(RawSchema.self, from: yaml)
        } catch {
            throw DefinitionError(file: file, message: YAMLErrors.describe(error), line: YAMLErrors.line(error))
        }
        let tree = try? Yams.compose(yaml: yaml)
        return try raw.build(file: file, tree: tree)
    }
}

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

// MARK: the YAML shape

private struct RawSpecUnit: Decodable { var vi: String; var en: String }

private struct RawField: Decodable {
    var id: String
    var cell: String
    var type: ValueType
    var required: Bool?
    var max_length: Int?
    var pattern: String?
    var min: Double?
    var max: Double?
    var codes: String?
    var role: FieldRole?
    var label: LocalizedText
}

private struct RawColumn: Decodable {
    var id: String
    var type: ValueType
    var required: Bool?
    var max_length: Int?
    var pattern: String?
    var unique: Bool?
    var min: Double?
    var max: Double?
    var codes: String?
    var unit: LocalizedText?
    var width: Double?
    var aggregate: Aggregation?
    var accumulate: Accumulation?
    var header: LocalizedText
    var aliases: [String]?
}

private struct RawRow: Decodable {
    var id: String
    var code: String
    var type: ValueType
    var required: Bool?
    var min: Double?
    var max: Double?
    var unit: LocalizedText?
    var aggregate: Aggregation?
    var accumulate: Accumulation?
    var label: LocalizedText
}

private struct RawRule: Decodable {
    var id: String
    var severity: Severity?
    var when: String?
    var assert: String
    var cell: String?
    var message: LocalizedText
}

private struct RawSheet: Decodable {
    var id: String
    var name: String
    var kind: SheetKind
    var title: LocalizedText
    var fields: [RawField]?
    var columns: [RawColumn]?
    var rows: [RawRow]?
    var header_row: Int?
    var first_data_row: Int?
    var code_column: String?
    var value_column: String?
    var rules: [RawRule]?
}

private struct RawSchema: Decodable {
    var id: String
    var version: Int
    var title: LocalizedText
    var sheets: [RawSheet]
    var code_lists: [String: [CodeItem]]?
    var rules: [RawRule]?
    var outliers: RawOutliers?

    func build(file: String, tree: Node?) throws -> FormSchema {
        func fail(_ m: String) -> DefinitionError { DefinitionError(file: file, message: m) }
        let lists = code_lists ?? [:]
        func resolve(_ name: String?, _ type: ValueType, _ owner: String) throws -> [CodeItem]? {
            guard type == .code else { return nil }
            guard let name else { throw fail("\(owner) is of type code but names no code list") }
            guard let list = lists[name] else { throw fail("\(owner) names an unknown code list '\(name)'") }
            return list
        }
        func pattern(_ p: String?, _ id: String) throws -> String? {
            guard let p else { return nil }
            guard (try? NSRegularExpression(pattern: p)) != nil else { throw fail("'\(id)': pattern '\(p)' is not a valid regular expression") }
            return p
        }
        var seenSheets = Set<String>()
        var sheets: [SheetSchema] = []
        for s in self.sheets {
            guard seenSheets.insert(s.id).inserted else { throw fail("sheet id '\(s.id)' is used twice") }
            guard s.name.count <= 31 else { throw fail("sheet '\(s.id)': a worksheet name has at most 31 characters") }
            var sheet = SheetSchema(id: s.id, name: s.name, kind: s.kind, title: s.title)
            sheet.headerRow = (s.header_row ?? 1) - 1
            sheet.firstDataRow = (s.first_data_row ?? 2) - 1
            var ids = Set<String>()
            func unique(_ id: String) throws {
                guard ids.insert(id).inserted else { throw fail("sheet '\(s.id)': id '\(id)' is used twice") }
                guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw fail("sheet '\(s.id)': id '\(id)' may only hold letters, digits and _")
                }
            }
            switch s.kind {
            case .fields:
                for f in s.fields ?? [] {
                    try unique(f.id)
                    guard let a = CellAddress(a1: f.cell) else { throw fail("field '\(f.id)': '\(f.cell)' is not a cell like B5") }
                    let spec = ValueSpec(id: f.id, type: f.type, required: f.required ?? false, min: f.min, max: f.max,
                                         codes: try resolve(f.codes, f.type, "field '\(f.id)'"), codeListName: f.codes,
                                         unit: nil, aggregate: .sum, maxLength: f.max_length, pattern: try pattern(f.pattern, f.id))
                    sheet.fields.append(FieldSchema(spec: spec, label: f.label, row: a.row, column: a.column, role: f.role))
                }
            case .table:
                guard let columns = s.columns, !columns.isEmpty else { throw fail("table sheet '\(s.id)' has no columns") }
                guard sheet.firstDataRow > sheet.headerRow else { throw fail("sheet '\(s.id)': first_data_row must follow header_row") }
                for (i, c) in columns.enumerated() {
                    try unique(c.id)
                    let spec = ValueSpec(id: c.id, type: c.type, required: c.required ?? false, min: c.min, max: c.max,
                                         codes: try resolve(c.codes, c.type, "column '\(c.id)'"), codeListName: c.codes,
                                         unit: c.unit, aggregate: c.aggregate ?? (c.type == .percent ? .mean : .sum),
                                         accumulate: c.accumulate ?? .last, maxLength: c.max_length, pattern: try pattern(c.pattern, c.id))
                    sheet.columns.append(ColumnSchema(spec: spec, header: c.header, column: i, unique: c.unique ?? false,
                                                      width: c.width ?? 12, aliases: c.aliases ?? []))
                }
            case .indicators:
                guard let rows = s.rows, !rows.isEmpty else { throw fail("indicators sheet '\(s.id)' has no rows") }
                guard let code = s.code_column.flatMap({ CellAddress(a1: $0 + "1")?.column }),
                      let value = s.value_column.flatMap({ CellAddress(a1: $0 + "1")?.column }) else {
                    throw fail("indicators sheet '\(s.id)' needs code_column and value_column letters")
                }
                sheet.codeColumn = code
                sheet.valueColumn = value
                var codes = Set<String>()
                for (i, r) in rows.enumerated() {
                    try unique(r.id)
                    guard codes.insert(r.code).inserted else { throw fail("sheet '\(s.id)': row code '\(r.code)' is used twice") }
                    var spec = ValueSpec(id: r.id, type: r.type, required: r.required ?? false, min: r.min, max: r.max,
                                         codes: nil, codeListName: nil, unit: r.unit,
                                         aggregate: r.aggregate ?? (r.type == .percent ? .mean : .sum))
                    spec.accumulate = r.accumulate ?? .last
                    sheet.rows.append(IndicatorRow(spec: spec, code: r.code, label: r.label, row: sheet.firstDataRow + i))
                }
            }
            sheets.append(sheet)
        }
        for i in sheets.indices {
            for j in sheets[i].fields.indices { sheets[i].fields[j].spec.codeIndex = ValueSpec.codeIndex(sheets[i].fields[j].spec.codes ?? []) }
            for j in sheets[i].columns.indices { sheets[i].columns[j].spec.codeIndex = ValueSpec.codeIndex(sheets[i].columns[j].spec.codes ?? []) }
        }
        var schema = FormSchema(id: id, version: version, title: title, sheets: sheets, codeLists: lists)
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
        if let o = outliers { schema.outliers = try o.build(schema: schema, fail: fail) }
        for role in [FieldRole.unitCode, .year, .quarter] where schema.field(role: role) == nil {
            throw fail("the schema needs a cover field with role '\(role.rawValue)'")
        }
        return schema
    }
}

/// Where something sits in a YAML definition file, to point at a mistake in it: the rule of a
/// schema, a figure named in a report definition.
struct YAMLLocation {
    var tree: Node?
    var path: [any NodeRepresentable]
    var file: String

    func error(key: String, offset: Int?, _ message: String) -> DefinitionError {
        var node = tree
        for step in path { node = node?[step] }
        guard let value = key.isEmpty ? node : node?[key], let mark = value.mark else { return DefinitionError(file: file, message: message) }
        let quoted = value.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
        return DefinitionError(file: file, message: message, line: mark.line,
                               column: offset.map { mark.column + $0 + (quoted ? 1 : 0) } ?? mark.column)
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

/// The `outliers:` section as written.
private struct RawOutliers: Decodable {
    struct Figure: Decodable { var figure: String; var rows: String?; var peers: Bool?; var severity: Severity?; var threshold: Double? }
    struct Ratio: Decodable {
        var id: String; var label: LocalizedText; var numerator: String; var denominator: String
        var rows: String?; var severity: Severity?; var threshold: Double?
    }
    var severity: Severity?
    var threshold: Double?
    var history_quarters: Int?
    var min_history: Int?
    var min_peers: Int?
    var history_floor: Double?
    var peer_floor: Double?
    var figures: [Figure]?
    var ratios: [Ratio]?

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
            let parts = text.split(separator: ".").map(String.init)
            guard parts.count == 2, let sheet = schema.sheet(parts[0]) else {
                throw fail("outliers: \(owner) '\(text)' must name sheet.field of the form")
            }
            let type = sheet.columns.first { $0.spec.id == parts[1] }?.spec.type
                ?? sheet.rows.first { $0.spec.id == parts[1] }?.spec.type ?? sheet.fields.first { $0.spec.id == parts[1] }?.spec.type
            guard let type else { throw fail("outliers: \(owner) '\(text)': sheet '\(parts[0])' has no field '\(parts[1])'") }
            guard type.isNumeric else {
                throw fail("outliers: \(owner) '\(text)' is not a number (\(type.rawValue))")
            }
            return (parts[0], parts[1])
        }
        func rowKey(_ key: String?, sheet: String, _ owner: String) throws -> String? {
            guard let key else { return nil }
            guard let s = schema.sheet(sheet), s.kind == .table, s.columns.contains(where: { $0.spec.id == key }) else {
                throw fail("outliers: \(owner): rows '\(key)' must be a column of the table '\(sheet)'")
            }
            return key
        }
        for f in figures ?? [] {
            let (sheet, field) = try figure(f.figure, "figure")
            if f.peers == true, f.rows == nil {
                throw fail("outliers: figure '\(f.figure)': peers compares a row with no history with the other units' rows; it needs rows:")
            }
            spec.figures.append(OutlierFigure(sheet: sheet, field: field, rowKey: try rowKey(f.rows, sheet: sheet, "figure '\(f.figure)'"),
                                              peers: f.peers ?? false, severity: f.severity, threshold: f.threshold))
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
        return spec
    }
}
