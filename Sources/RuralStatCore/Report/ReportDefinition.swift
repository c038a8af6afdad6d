import Foundation
import Yams

/// How a figure is printed in a report column.
public enum FigureFormat: String, Codable, Sendable {
    /// `#,##0`
    case integer
    /// `#,##0.0` — million VND with one decimal.
    case money
    /// `#,##0.0` for percentages written as 73.5.
    case percent
    /// `#,##0.00`
    case decimal
}

/// Which of a figure's comparisons a column shows (see `FigureComparison`).
public enum Measure: String, Codable, Sendable, CaseIterable {
    case previousQuarter = "previous_quarter"
    case quarter
    case ytd
    case sameQuarterLastYear = "same_quarter_last_year"
    case change
    case ytdLastYear = "ytd_last_year"
    case ytdChange = "ytd_change"
    case plan
    case planShare = "plan_share"

    /// The column header of the official quarterly form.
    public var header: String {
        switch self {
        case .previousQuarter: return "Thực hiện quý trước"
        case .quarter: return "Thực hiện quý này"
        case .ytd: return "Lũy kế từ đầu năm"
        case .sameQuarterLastYear: return "Cùng kỳ năm trước"
        case .change: return "So với cùng kỳ (%)"
        case .ytdLastYear: return "Lũy kế cùng kỳ năm trước"
        case .ytdChange: return "Lũy kế so với cùng kỳ (%)"
        case .plan: return "Kế hoạch năm"
        case .planShare: return "Lũy kế đạt (% kế hoạch)"
        }
    }

    /// Comparisons are percentages whatever the figure.
    public var isPercent: Bool { [.change, .ytdChange, .planShare].contains(self) }

    /// The key of `FigureComparison.reasons` explaining an empty value.
    var reasonKey: String? {
        switch self {
        case .change: return "change_pct"
        case .ytdChange: return "ytd_change_pct"
        case .planShare: return "plan_pct"
        default: return nil
        }
    }

    public func value(of f: FigureComparison) -> Double? {
        switch self {
        case .previousQuarter: return f.previousQuarter
        case .quarter: return f.quarter
        case .ytd: return f.ytd
        case .sameQuarterLastYear: return f.sameQuarterLastYear
        case .change: return f.change
        case .ytdLastYear: return f.ytdLastYear
        case .ytdChange: return f.ytdChange
        case .plan: return f.plan
        case .planShare: return f.planShare
        }
    }

    /// Why `value(of:)` is empty, in Vietnamese, when the aggregation says.
    public func reason(in f: FigureComparison) -> String? {
        reasonKey.flatMap { f.reasons[$0]?.vi }
    }

    /// The official indicator sheet's columns when a definition does not choose.
    public static let officialSet: [Measure] = [.quarter, .ytd, .sameQuarterLastYear, .change, .ytdLastYear, .ytdChange, .plan, .planShare]
}

/// One figure column of a report: which figure, which of its comparisons, under which headers.
public struct ReportColumn: Sendable, Hashable {
    public var figure: String
    public var measure: Measure
    /// The group header spanning consecutive columns ("Làng nghề"); nil for a column on its own.
    public var group: LocalizedText?
    public var header: LocalizedText
    public var unit: LocalizedText?
    public var format: FigureFormat

    /// The number format this column prints with: comparisons are percentages.
    public var effectiveFormat: FigureFormat { measure.isPercent ? .percent : format }
}

/// A row of an indicator summary: a figure of the province with its comparisons.
public struct IndicatorLine: Sendable, Hashable {
    public var figure: String
    public var label: LocalizedText
    public var code: String
    public var unit: LocalizedText?
    public var format: FigureFormat
}

/// A block of rows of a breakdown sheet: one row per code of a code field ("by trade group").
public struct BreakdownSection: Sendable, Hashable {
    /// The table sheet and its code (or yes/no) column, such as `villages` and `trade_group`.
    public var sheet: String
    public var field: String
    public var title: LocalizedText
}

/// A chart drawn under a sheet's table.
public struct ChartDefinition: Sendable, Hashable {
    public enum Kind: String, Codable, Sendable { case column, bar, pie }
    public var kind: Kind
    public var title: LocalizedText
    /// The figure column whose values are drawn (by its figure id, and measure when several
    /// columns share a figure).
    public var figure: String
    public var measure: Measure
    /// Breakdown sheets: which section's rows are the categories (0 is the first).
    public var section: Int
}

/// What a sheet of a report shows.
public enum ReportSheetKind: Sendable, Hashable {
    /// The province's indicators, one per row, with the chosen comparisons as columns.
    case indicators(rows: [IndicatorLine], measures: [Measure])
    /// One row per reporting unit, the province in the totals row; grouped by area (heading,
    /// units, subtotal) when the province has areas.
    case units(columns: [ReportColumn])
    /// One row per area (khu vực), the province in the totals row.
    case areas(columns: [ReportColumn])
    /// The province's figures broken down by code lists, one section per code field.
    case breakdown(sections: [BreakdownSection], columns: [ReportColumn])
    /// Every row of a table sheet from the units' accepted submissions, with the unit.
    case detail(sheet: String, fields: [String])
    /// Who submitted, when, late, rejected, missing; grouped by area when there are areas.
    case completeness
    /// Per area: units expected, on time, late, refused, missing, and who still owes a file.
    case completenessByArea
    /// The warnings of accepted submissions: what was let through, and where.
    case quality
}

/// One sheet of a report.
public struct ReportSheetDefinition: Sendable, Hashable {
    public var name: String
    /// The sheet's title; the report's when absent.
    public var title: LocalizedText?
    public var kind: ReportSheetKind
    public var chart: ChartDefinition?
}

/// A report as its definition file declares it: id, title, form number and its sheets, each
/// of a kind. Adding a report means writing a file in `reports/`.
public struct ReportDefinition: Sendable, Hashable {
    public var id: String
    /// File name stem: the report is published as `<file>-<period>.xlsx`.
    public var file: String
    public var formNumber: String
    /// Who the report is sent to ("Bộ Công Thương"), printed under the form number.
    public var receiver: String?
    public var title: LocalizedText
    public var sheets: [ReportSheetDefinition]

    /// True when a sheet needs comparisons with other quarters or the plan.
    public var needsHistory: Bool {
        sheets.contains { sheet in
            switch sheet.kind {
            case .indicators: return true
            case .units(let columns), .areas(let columns), .breakdown(_, let columns): return columns.contains { $0.measure != .quarter }
            default: return false
            }
        }
    }

    private struct Raw: Decodable {
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
        let schema = catalog.schema
        var sheets: [ReportSheetDefinition] = []
        var names = Set<String>()
        for (s, sheet) in raw.sheets.enumerated() {
            let at: [any NodeRepresentable] = ["sheets", s]
            let where_ = "sheets[\(s)]"
            guard (1...31).contains(sheet.name.count), !sheet.name.contains(where: { "[]:*?/\\".contains($0) }) else {
                throw fail(at, "name", "\(where_).name must have 1 to 31 characters and none of []:*?/\\")
            }
            guard names.insert(sheet.name.lowercased()).inserted else {
                throw fail(at, "name", "\(where_).name '\(sheet.name)' is used by another sheet")
            }
            func columns(table: String?) throws -> [ReportColumn] {
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
            let kind: ReportSheetKind
            switch sheet.kind {
            case "indicators":
                guard let rows = sheet.rows, !rows.isEmpty else { throw fail(at, "kind", "\(where_) (indicators) needs 'rows'") }
                for (i, r) in rows.enumerated() where !catalog.contains(r.figure) {
                    throw fail(at + ["rows", i], "figure", "\(where_).rows[\(i)] names the figure '\(r.figure)', which the schema does not define")
                }
                kind = .indicators(rows: rows.enumerated().map { i, r in
                    IndicatorLine(figure: r.figure, label: r.label, code: r.code ?? String(format: "%02d", i + 1), unit: r.unit, format: r.format ?? .integer)
                }, measures: sheet.measures ?? Measure.officialSet)
            case "units":
                kind = .units(columns: try columns(table: nil))
            case "areas":
                kind = .areas(columns: try columns(table: nil))
            case "breakdown":
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
                kind = .breakdown(sections: sections, columns: try columns(table: sections[0].sheet))
            case "detail":
                guard let table = sheet.table, let t = schema.sheet(table), t.kind == .table else {
                    throw fail(at, "table", "\(where_) (detail) needs 'table' naming a table sheet of the schema")
                }
                let fields = sheet.fields ?? t.columns.map(\.spec.id)
                for (i, f) in fields.enumerated() where t.column(f) == nil {
                    throw fail(at + ["fields", i], "", "\(where_).fields[\(i)]: the table '\(table)' has no column '\(f)'")
                }
                kind = .detail(sheet: table, fields: fields)
            case "completeness": kind = .completeness
            case "completeness_by_area": kind = .completenessByArea
            case "quality": kind = .quality
            default:
                throw fail(at, "kind", "\(where_).kind '\(sheet.kind)' is not one of indicators, units, areas, breakdown, detail, completeness, completeness_by_area, quality")
            }
            var chart: ChartDefinition?
            if let c = sheet.chart {
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
                chart = ChartDefinition(kind: c.type, title: c.title, figure: c.figure, measure: measure, section: c.section ?? 0)
            }
            sheets.append(ReportSheetDefinition(name: sheet.name, title: sheet.title, kind: kind, chart: chart))
        }
        return ReportDefinition(id: raw.id, file: raw.file, formNumber: raw.form_number, receiver: raw.receiver, title: raw.title, sheets: sheets)
    }
}
