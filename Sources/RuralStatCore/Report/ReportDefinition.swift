// SPDX-License-Identifier: Apache-2.0
import Foundation

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
    /// `0`: a year, never "2,019".
    case year

    /// How a figure of type `type` is printed; nil for a type that is not a number.
    public init?(_ type: ValueType) {
        switch type {
        case .integer: self = .integer
        case .money: self = .money
        case .percent: self = .percent
        case .decimal: self = .decimal
        case .text, .date, .code, .boolean: return nil
        }
    }

    /// How a value of `spec` is printed: as its type says, a whole number bounded within four
    /// digits (the year a village was recognised) as a year.
    public init?(_ spec: ValueSpec) {
        if spec.type == .integer, let low = spec.min, let high = spec.max, low >= 1000, high <= 9999 {
            self = .year
            return
        }
        self.init(spec.type)
    }
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
}
