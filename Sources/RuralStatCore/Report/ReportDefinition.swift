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

/// One column of a report: which figure, under which headers.
public struct ReportColumn: Sendable, Hashable {
    public var figure: String
    /// The group header spanning consecutive columns ("Làng nghề"); nil for a column on its own.
    public var group: LocalizedText?
    public var header: LocalizedText
    public var unit: LocalizedText?
    public var format: FigureFormat
}

/// A row of an indicator summary: a figure of the province with its comparisons.
public struct IndicatorLine: Sendable, Hashable {
    public var figure: String
    public var label: LocalizedText
    public var code: String
    public var unit: LocalizedText?
    public var format: FigureFormat
}

/// The official quarterly layout: one row per indicator; columns for this quarter, the year to
/// date, the same periods last year, the changes, the annual plan and its share.
public struct IndicatorSheetDefinition: Sendable, Hashable {
    public var sheetName: String
    public var title: LocalizedText
    public var rows: [IndicatorLine]
}

/// A report as its definition file declares it: title, form number, the columns of the
/// per-unit summary table, and optionally an indicator summary in the official layout.
/// Adding a report means writing a file in `reports/`.
public struct ReportDefinition: Sendable, Hashable {
    public var id: String
    /// File name stem: the report is published as `<file>-<period>.xlsx`.
    public var file: String
    public var formNumber: String
    public var title: LocalizedText
    public var sheetName: String
    public var columns: [ReportColumn]
    public var indicators: IndicatorSheetDefinition?

    private struct Raw: Decodable {
        struct Column: Decodable {
            var figure: String
            var group: LocalizedText?
            var header: LocalizedText
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
        struct Indicators: Decodable {
            var sheet: String
            var title: LocalizedText
            var rows: [Line]
        }
        var id: String
        var file: String
        var form_number: String
        var title: LocalizedText
        var sheet: String
        var columns: [Column]
        var indicators: Indicators?
    }

    /// Parses and checks a definition: every figure must exist in the schema's catalog.
    public static func load(yaml: String, file: String, catalog: FigureCatalog) throws -> ReportDefinition {
        let raw: Raw
        do {
            raw = try YAMLDecoder().decode(Raw.self, from: yaml)
        } catch {
            throw DefinitionError(file: file, message: YAMLErrors.describe(error), line: YAMLErrors.line(error))
        }
        guard !raw.columns.isEmpty else { throw DefinitionError(file: file, message: "a report needs at least one column") }
        guard raw.sheet.count <= 31 else { throw DefinitionError(file: file, message: "sheet names have at most 31 characters") }
        guard raw.file.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), !raw.file.isEmpty else {
            throw DefinitionError(file: file, message: "'file' may only hold letters, digits, - and _")
        }
        for (i, c) in raw.columns.enumerated() where !catalog.contains(c.figure) {
            throw DefinitionError(file: file, message: "columns[\(i)] names the figure '\(c.figure)', which the schema does not define")
        }
        var indicators: IndicatorSheetDefinition?
        if let ind = raw.indicators {
            guard ind.sheet.count <= 31, ind.sheet != raw.sheet else {
                throw DefinitionError(file: file, message: "indicators.sheet must differ from sheet and have at most 31 characters")
            }
            for (i, r) in ind.rows.enumerated() where !catalog.contains(r.figure) {
                throw DefinitionError(file: file, message: "indicators.rows[\(i)] names the figure '\(r.figure)', which the schema does not define")
            }
            indicators = IndicatorSheetDefinition(sheetName: ind.sheet, title: ind.title, rows: ind.rows.enumerated().map { i, r in
                IndicatorLine(figure: r.figure, label: r.label, code: r.code ?? String(format: "%02d", i + 1), unit: r.unit, format: r.format ?? .integer)
            })
        }
        return ReportDefinition(
            id: raw.id, file: raw.file, formNumber: raw.form_number, title: raw.title, sheetName: raw.sheet,
            columns: raw.columns.map { ReportColumn(figure: $0.figure, group: $0.group, header: $0.header, unit: $0.unit, format: $0.format ?? .integer) },
            indicators: indicators)
    }
}
