// SPDX-License-Identifier: Apache-2.0
import Foundation
import Yams

extension ReportDefinition {
    /// A definition file as written.
    fileprivate struct Raw: Decodable {
        struct Column: Decodable {
            var figure: String
            var measure: Measure?
            var group: LocalizedText?
            var header: LocalizedText?
            var unit: LocalizedText?
            var format: FigureFormat?
        }
        struct Line: Decodable {
            var figure: String
            var label: LocalizedText
            var code: String?
            var unit: LocalizedText?
            var format: FigureFormat?
        }
        struct Section: Decodable {
            var by: String
            var title: LocalizedText
        }
        struct Chart: Decodable {
            var type: ChartDefinition.Kind
            var title: LocalizedText
            var figure: String
            var measure: Measure?
            var section: Int?
        }
        struct Sheet: Decodable {
            var name: String
            var kind: String
            var title: LocalizedText?
            var rows: [Line]?
            var measures: [Measure]?
            var columns: [Column]?
            var sections: [Section]?
            var table: String?
            var fields: [String]?
            var chart: Chart?
        }
        var id: String
        var file: String
        var form_number: String
        var receiver: String?
        var title: LocalizedText
        var sheets: [Sheet]
    }

    /// Parses and checks a definition against the schema: every figure, table and field it
    /// names must exist. A mistake is reported with its line in the file.
    public static func load(yaml: String, file: String, catalog: FigureCatalog) throws -> ReportDefinition {
        let raw: Raw
        do {
            raw = try YAMLDecoder().decode(Raw.self, from: yaml)
        } catch DecodingError.keyNotFound(let key, let context) where key.stringValue == "sheets" && context.codingPath.isEmpty
                    && (yaml.contains("\ncolumns:") || yaml.contains("\nsheet:")) {
            throw DefinitionError(file: file, message: "this definition has the layout of ruralstat before report sheets (a top-level "
                + "'sheet' and 'columns'); since then a report is a list of 'sheets:', each of a kind. Copy the shipped "
                + "definitions from share/ruralstat/reports (see its README.md) and carry your changes over.")
        } catch {
            throw DefinitionError(file: file, message: YAMLErrors.describe(error), line: YAMLErrors.line(error))
        }
        let tree = try? Yams.compose(yaml: yaml)
        func fail(_ path: [any NodeRepresentable], _ key: String, _ message: String) -> DefinitionError {
            YAMLLocation(tree: tree, path: path, file: file).error(key: key, offset: nil, message)
        }
        guard raw.file.isPlainName else {
            throw fail([], "file", "'file' may only hold letters, digits, - and _")
        }
        guard !raw.sheets.isEmpty else { throw fail([], "sheets", "a report needs at least one sheet") }
        var sheets: [ReportSheetDefinition] = []
        var names = Set<String>()
        for (s, sheet) in raw.sheets.enumerated() {
            let loader = SheetLoader(sheet: sheet, at: ["sheets", s], where_: "sheets[\(s)]", catalog: catalog, tree: tree, file: file)
            sheets.append(try loader.load(names: &names))
        }
        return ReportDefinition(id: raw.id, file: raw.file, formNumber: raw.form_number, receiver: raw.receiver, title: raw.title, sheets: sheets)
    }
}

/// Checks one sheet of a report definition against the schema and builds it; a mistake is
/// reported with the sheet's place in the file.
private struct SheetLoader {
    let sheet: ReportDefinition.Raw.Sheet
    /// Where the sheet sits in the file, as a path for the YAML tree and as words.
    let at: [any NodeRepresentable]
    let where_: String
    let catalog: FigureCatalog
    let tree: Node?
    let file: String

    private func fail(_ path: [any NodeRepresentable], _ key: String, _ message: String) -> DefinitionError {
        YAMLLocation(tree: tree, path: path, file: file).error(key: key, offset: nil, message)
    }

    /// The sheet, its name not used by an earlier one (`names`, lower case).
    func load(names: inout Set<String>) throws -> ReportSheetDefinition {
        guard (1...31).contains(sheet.name.count), !sheet.name.contains(where: { "[]:*?/\\".contains($0) }) else {
            throw fail(at, "name", "\(where_).name must have 1 to 31 characters and none of []:*?/\\")
        }
        guard names.insert(sheet.name.lowercased()).inserted else {
            throw fail(at, "name", "\(where_).name '\(sheet.name)' is used by another sheet")
        }
        let kind = try self.kind()
        return ReportSheetDefinition(name: sheet.name, title: sheet.title, kind: kind, chart: try chart(for: kind))
    }

    /// The figure columns of a units, areas or breakdown sheet (of `table` alone for a breakdown).
    private func columns(table: String?) throws -> [ReportColumn] {
        guard let cols = sheet.columns, !cols.isEmpty else { throw fail(at, "kind", "\(where_) (\(sheet.kind)) needs 'columns'") }
        return try cols.enumerated().map { i, c in
            guard catalog.contains(c.figure) else {
                throw fail(at + ["columns", i], "figure", "\(where_).columns[\(i)] names the figure '\(c.figure)', which the schema does not define")
            }
            if let table, !c.figure.hasPrefix(table + ".") || c.figure.contains("[") {
                throw fail(at + ["columns", i], "figure", "\(where_).columns[\(i)]: a breakdown of '\(table)' shows that table's figures without a [code] part, not '\(c.figure)'")
            }
            guard let header = c.header ?? (c.measure.map { LocalizedText(vi: $0.header, en: $0.rawValue) }) else {
                throw fail(at + ["columns", i], "figure", "\(where_).columns[\(i)] needs a 'header'")
            }
            return ReportColumn(figure: c.figure, measure: c.measure ?? .quarter, group: c.group, header: header,
                                unit: c.unit, format: c.format ?? .integer)
        }
    }

    private func kind() throws -> ReportSheetKind {
        switch sheet.kind {
        case "indicators": return try indicators()
        case "units": return .units(columns: try columns(table: nil))
        case "areas": return .areas(columns: try columns(table: nil))
        case "breakdown": return try breakdown()
        case "detail": return try detail()
        case "completeness": return .completeness
        case "completeness_by_area": return .completenessByArea
        case "quality": return .quality
        default:
            throw fail(at, "kind", "\(where_).kind '\(sheet.kind)' is not one of indicators, units, areas, breakdown, detail, completeness, completeness_by_area, quality")
        }
    }

    private func indicators() throws -> ReportSheetKind {
        guard let rows = sheet.rows, !rows.isEmpty else { throw fail(at, "kind", "\(where_) (indicators) needs 'rows'") }
        for (i, r) in rows.enumerated() where !catalog.contains(r.figure) {
            throw fail(at + ["rows", i], "figure", "\(where_).rows[\(i)] names the figure '\(r.figure)', which the schema does not define")
        }
        return .indicators(rows: rows.enumerated().map { i, r in
            IndicatorLine(figure: r.figure, label: r.label, code: r.code ?? String(format: "%02d", i + 1), unit: r.unit, format: r.format ?? .integer)
        }, measures: sheet.measures ?? Measure.officialSet)
    }

    private func breakdown() throws -> ReportSheetKind {
        let schema = catalog.schema
        guard let raws = sheet.sections, !raws.isEmpty else { throw fail(at, "kind", "\(where_) (breakdown) needs 'sections'") }
        var sections: [BreakdownSection] = []
        for (i, r) in raws.enumerated() {
            let parts = r.by.split(separator: ".").map(String.init)
            guard parts.count == 2, let table = schema.sheet(parts[0]), let column = table.column(parts[1]),
                  column.spec.type == .code || column.spec.type == .boolean else {
                throw fail(at + ["sections", i], "by", "\(where_).sections[\(i)].by must name a code or yes/no column as TABLE.COLUMN, not '\(r.by)'")
            }
            if let first = sections.first, first.sheet != parts[0] {
                throw fail(at + ["sections", i], "by", "\(where_): every section must break down the same table ('\(first.sheet)')")
            }
            sections.append(BreakdownSection(sheet: parts[0], field: parts[1], title: r.title))
        }
        return .breakdown(sections: sections, columns: try columns(table: sections[0].sheet))
    }

    private func detail() throws -> ReportSheetKind {
        let schema = catalog.schema
        guard let table = sheet.table, let t = schema.sheet(table), t.kind == .table else {
            throw fail(at, "table", "\(where_) (detail) needs 'table' naming a table sheet of the schema")
        }
        let fields = sheet.fields ?? t.columns.map(\.spec.id)
        for (i, f) in fields.enumerated() where t.column(f) == nil {
            throw fail(at + ["fields", i], "", "\(where_).fields[\(i)]: the table '\(table)' has no column '\(f)'")
        }
        return .detail(sheet: table, fields: fields)
    }

    /// The sheet's chart, if it has one: drawn on a sheet of figure columns, of one of them.
    private func chart(for kind: ReportSheetKind) throws -> ChartDefinition? {
        guard let c = sheet.chart else { return nil }
        let measure = c.measure ?? .quarter
        let drawn: [ReportColumn]
        switch kind {
        case .units(let cols), .areas(let cols): drawn = cols
        case .breakdown(let sections, let cols):
            drawn = cols
            guard (c.section ?? 0) < sections.count else {
                throw fail(at + ["chart"], "section", "\(where_).chart.section is \(c.section ?? 0), but the sheet has \(sections.count) section(s)")
            }
        default:
            throw fail(at, "chart", "\(where_): charts are drawn on units, areas and breakdown sheets only")
        }
        guard drawn.contains(where: { $0.figure == c.figure && $0.measure == measure }) else {
            throw fail(at + ["chart"], "figure", "\(where_).chart draws '\(c.figure)' (\(measure.rawValue)), which is not one of the sheet's columns")
        }
        return ChartDefinition(kind: c.type, title: c.title, figure: c.figure, measure: measure, section: c.section ?? 0)
    }
}
