import CellModel
import Foundation
import Yams

/// Why a schema or another definition file was refused at load time.
public struct DefinitionError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String
    public var line: Int?

    public init(file: String, message: String, line: Int? = nil) {
        self.file = file
        self.message = message
        self.line = line
    }

    public var description: String {
        line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
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
        return try raw.build(file: file)
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
    var unique: Bool?
    var min: Double?
    var max: Double?
    var codes: String?
    var unit: LocalizedText?
    var width: Double?
    var aggregate: Aggregation?
    var header: LocalizedText
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
    var label: LocalizedText
}

private struct RawRule: Decodable {
    struct When: Decodable { var field: String; var `in`: [String] }
    var id: String
    var kind: String
    var severity: Severity?
    var field: String
    var when: When?
    var than: String?
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

    func build(file: String) throws -> FormSchema {
        func fail(_ m: String) -> DefinitionError { DefinitionError(file: file, message: m) }
        let lists = code_lists ?? [:]
        func resolve(_ name: String?, _ type: ValueType, _ owner: String) throws -> [CodeItem]? {
            guard type == .code else { return nil }
            guard let name else { throw fail("\(owner) is of type code but names no code list") }
            guard let list = lists[name] else { throw fail("\(owner) names an unknown code list '\(name)'") }
            return list
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
                                         unit: nil, aggregate: .sum)
                    sheet.fields.append(FieldSchema(spec: spec, label: f.label, row: a.row, column: a.column, role: f.role))
                }
            case .table:
                guard let columns = s.columns, !columns.isEmpty else { throw fail("table sheet '\(s.id)' has no columns") }
                guard sheet.firstDataRow > sheet.headerRow else { throw fail("sheet '\(s.id)': first_data_row must follow header_row") }
                for (i, c) in columns.enumerated() {
                    try unique(c.id)
                    let spec = ValueSpec(id: c.id, type: c.type, required: c.required ?? false, min: c.min, max: c.max,
                                         codes: try resolve(c.codes, c.type, "column '\(c.id)'"), codeListName: c.codes,
                                         unit: c.unit, aggregate: c.aggregate ?? (c.type == .percent ? .mean : .sum))
                    sheet.columns.append(ColumnSchema(spec: spec, header: c.header, column: i, unique: c.unique ?? false, width: c.width ?? 12))
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
                    let spec = ValueSpec(id: r.id, type: r.type, required: r.required ?? false, min: r.min, max: r.max,
                                         codes: nil, codeListName: nil, unit: r.unit,
                                         aggregate: r.aggregate ?? (r.type == .percent ? .mean : .sum))
                    sheet.rows.append(IndicatorRow(spec: spec, code: r.code, label: r.label, row: sheet.firstDataRow + i))
                }
            }
            for r in s.rules ?? [] {
                guard s.kind == .table else { throw fail("rule '\(r.id)': rules apply to table sheets") }
                func known(_ f: String) throws {
                    guard sheet.column(f) != nil else { throw fail("rule '\(r.id)' names an unknown column '\(f)'") }
                }
                try known(r.field)
                let rule: RowRule
                switch r.kind {
                case "required_if":
                    guard let w = r.when else { throw fail("rule '\(r.id)': required_if needs 'when'") }
                    try known(w.field)
                    rule = .requiredIf(field: r.field, whenField: w.field, values: w.in)
                case "not_greater":
                    guard let than = r.than else { throw fail("rule '\(r.id)': not_greater needs 'than'") }
                    try known(than)
                    rule = .notGreater(field: r.field, than: than)
                default:
                    throw fail("rule '\(r.id)': unknown kind '\(r.kind)' (required_if, not_greater)")
                }
                sheet.rules.append(SheetRule(id: r.id, rule: rule, severity: r.severity ?? .error, message: r.message))
            }
            sheets.append(sheet)
        }
        let schema = FormSchema(id: id, version: version, title: title, sheets: sheets, codeLists: lists)
        for role in [FieldRole.unitCode, .year, .quarter] where schema.field(role: role) == nil {
            throw fail("the schema needs a cover field with role '\(role.rawValue)'")
        }
        return schema
    }
}
