// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import Yams

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

extension RawSchema {
    /// Checks the schema as written and builds it: its sheets, their code indexes, the rules,
    /// the outlier checks, and last the cover fields every submission is identified by.
    func build(file: String, tree: Node?) throws -> FormSchema {
        func fail(_ m: String) -> DefinitionError { DefinitionError(file: file, message: m) }
        let lists = code_lists ?? [:]
        var seenSheets = Set<String>()
        var sheets: [SheetSchema] = []
        for s in self.sheets {
            guard seenSheets.insert(s.id).inserted else { throw fail("sheet id '\(s.id)' is used twice") }
            var builder = SheetBuilder(raw: s, lists: lists, file: file)
            sheets.append(try builder.build())
        }
        for i in sheets.indices {
            for j in sheets[i].fields.indices { sheets[i].fields[j].spec.codeIndex = ValueSpec.codeIndex(sheets[i].fields[j].spec.codes ?? []) }
            for j in sheets[i].columns.indices { sheets[i].columns[j].spec.codeIndex = ValueSpec.codeIndex(sheets[i].columns[j].spec.codes ?? []) }
        }
        var schema = FormSchema(id: id, version: version, title: title, sheets: sheets, codeLists: lists)
        try compileRules(into: &schema, file: file, tree: tree)
        if let o = outliers { schema.outliers = try o.build(schema: schema, fail: fail) }
        for role in [FieldRole.unitCode, .year, .quarter] where schema.field(role: role) == nil {
            throw fail("the schema needs a cover field with role '\(role.rawValue)'")
        }
        return schema
    }
}

/// Builds one sheet of a schema from its YAML shape, checking its ids, cells, code lists and
/// patterns.
private struct SheetBuilder {
    let raw: RawSheet
    let lists: [String: [CodeItem]]
    let file: String
    /// The ids met on the sheet so far: each may be used once.
    private var ids = Set<String>()

    init(raw: RawSheet, lists: [String: [CodeItem]], file: String) {
        self.raw = raw
        self.lists = lists
        self.file = file
    }

    private func fail(_ m: String) -> DefinitionError { DefinitionError(file: file, message: m) }

    mutating func build() throws -> SheetSchema {
        let s = raw
        guard s.name.count <= 31 else { throw fail("sheet '\(s.id)': a worksheet name has at most 31 characters") }
        var sheet = SheetSchema(id: s.id, name: s.name, kind: s.kind, title: s.title)
        sheet.headerRow = (s.header_row ?? 1) - 1
        sheet.firstDataRow = (s.first_data_row ?? 2) - 1
        switch s.kind {
        case .fields: try addFields(to: &sheet)
        case .table: try addColumns(to: &sheet)
        case .indicators: try addRows(to: &sheet)
        }
        return sheet
    }

    /// Refuses an id used twice on the sheet, or holding anything but letters, digits and _.
    private mutating func unique(_ id: String) throws {
        let s = raw
        guard ids.insert(id).inserted else { throw fail("sheet '\(s.id)': id '\(id)' is used twice") }
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw fail("sheet '\(s.id)': id '\(id)' may only hold letters, digits and _")
        }
    }

    /// The code list a value of type code names; nil for any other type.
    private func resolve(_ name: String?, _ type: ValueType, _ owner: String) throws -> [CodeItem]? {
        guard type == .code else { return nil }
        guard let name else { throw fail("\(owner) is of type code but names no code list") }
        guard let list = lists[name] else { throw fail("\(owner) names an unknown code list '\(name)'") }
        return list
    }

    private func pattern(_ p: String?, _ id: String) throws -> String? {
        guard let p else { return nil }
        guard (try? NSRegularExpression(pattern: p)) != nil else { throw fail("'\(id)': pattern '\(p)' is not a valid regular expression") }
        return p
    }

    private mutating func addFields(to sheet: inout SheetSchema) throws {
        let s = raw
        for f in s.fields ?? [] {
            try unique(f.id)
            guard let a = CellAddress(a1: f.cell) else { throw fail("field '\(f.id)': '\(f.cell)' is not a cell like B5") }
            let spec = ValueSpec(id: f.id, type: f.type, required: f.required ?? false, min: f.min, max: f.max,
                                 codes: try resolve(f.codes, f.type, "field '\(f.id)'"), codeListName: f.codes,
                                 unit: nil, aggregate: .sum, maxLength: f.max_length, pattern: try pattern(f.pattern, f.id))
            sheet.fields.append(FieldSchema(spec: spec, label: f.label, row: a.row, column: a.column, role: f.role))
        }
    }

    private mutating func addColumns(to sheet: inout SheetSchema) throws {
        let s = raw
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
    }

    private mutating func addRows(to sheet: inout SheetSchema) throws {
        let s = raw
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
}
