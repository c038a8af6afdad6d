// SPDX-License-Identifier: Apache-2.0
public import CellModel
public import Foundation

/// Where a unit stands for a period, as reports and `status` print it.
public enum UnitState: String, Sendable, Codable {
    case accepted, late, rejected, missing

    public var vietnamese: String {
        switch self {
        case .accepted: return "Đã nộp"
        case .late: return "Nộp muộn"
        case .rejected: return "Bị trả lại"
        case .missing: return "Chưa nộp"
        }
    }
}

/// One unit's standing for a period: its state, when the deciding file arrived, and what
/// went wrong with its latest refused file.
public struct UnitStatus: Sendable {
    public var unit: ReportingUnit
    public var state: UnitState
    /// When the file that decided the state arrived.
    public var receivedAt: Date?
    /// The errors of the unit's latest rejected file, when it has nothing accepted.
    public var errors: Int
    public var lastReason: String?
    /// Valid files that arrived after the period was closed, waiting for review.
    public var held: Int = 0
    /// Every file the unit sent for the period, and how many of them were refused.
    public var files: Int = 0
    public var refused: Int = 0

    public init(unit: ReportingUnit, state: UnitState, receivedAt: Date?, errors: Int, lastReason: String?, held: Int = 0) {
        self.unit = unit
        self.state = state
        self.receivedAt = receivedAt
        self.errors = errors
        self.lastReason = lastReason
        self.held = held
    }
}

/// A value in a report cell, as the layout needs it: text, a number with its format (nil is
/// an empty cell, never a 0), a date, or a moment.
public enum ReportCell: Sendable, Hashable {
    case text(String)
    case number(Double?, FigureFormat)
    case date(SpreadsheetDate)
    /// A date and time of day in Vietnam, such as when a file arrived.
    case moment(Date)

    public var number: Double? {
        if case .number(let v, _) = self { return v }
        return nil
    }
}

/// A column of a laid-out table: its headers and how its cells sit.
public struct TableColumn: Sendable, Hashable {
    public enum Alignment: Sendable, Hashable { case left, center, number }
    public var header: String
    /// Spans consecutive columns with the same group above their headers.
    public var group: String?
    /// The unit of measure, printed under the header.
    public var unit: String?
    /// The column's mark in the numbering row (A, B, 1, 2, "4 = 1/3").
    public var mark: String?
    public var width: Double
    public var alignment: Alignment

    public init(_ header: String, group: String? = nil, unit: String? = nil, mark: String? = nil,
                width: Double, alignment: Alignment = .left) {
        self.header = header
        self.group = group
        self.unit = unit
        self.mark = mark
        self.width = width
        self.alignment = alignment
    }
}

/// A row of a laid-out table.
public struct TableRow: Sendable, Hashable {
    public enum Emphasis: Sendable, Hashable {
        case normal
        /// A section heading ("I. Theo nhóm ngành nghề") in bold, its label spread over the
        /// leading columns.
        case section
        /// The total of the table ("TỔNG CỘNG TOÀN TỈNH").
        case total
        /// The total of an area's rows ("Cộng khu vực Kinh Môn"), under them.
        case subtotal
    }
    public var cells: [ReportCell]
    public var emphasis: Emphasis

    public init(_ cells: [ReportCell], emphasis: Emphasis = .normal) {
        self.cells = cells
        self.emphasis = emphasis
    }
}

/// A chart of one column over some rows of a table, categories taken from another column.
public struct TableChart: Sendable, Hashable {
    public var kind: ChartDefinition.Kind
    public var title: String
    public var seriesName: String
    public var categoryColumn: Int
    public var valueColumn: Int
    /// Indices into `ReportTable.rows`.
    public var rows: Range<Int>
}

/// One sheet of a report laid out as a table, whatever its kind: the writer lays every table
/// out the same official way and knows nothing of figures or units.
public struct ReportTable: Sendable {
    public var name: String
    public var title: LocalizedText
    public var columns: [TableColumn]
    public var rows: [TableRow]
    /// How many leading columns hold labels (frozen, and spanned by section and total labels).
    public var labelColumns: Int
    /// Lines printed under the table: data sources, merged units, who is missing, empty cells.
    public var notes: [String]
    public var chart: TableChart?
    /// Print in landscape (wide tables).
    public var landscape: Bool

    public init(name: String, title: LocalizedText, columns: [TableColumn], rows: [TableRow], labelColumns: Int,
                notes: [String] = [], chart: TableChart? = nil, landscape: Bool = true) {
        self.name = name
        self.title = title
        self.columns = columns
        self.rows = rows
        self.labelColumns = labelColumns
        self.notes = notes
        self.chart = chart
        self.landscape = landscape
    }
}

/// A report ready to be written: its sheets as tables, and the letterhead's facts.
public struct Report: Sendable {
    public var definition: ReportDefinition
    public var province: Province
    public var period: Period
    /// The date in the signature block and the file's creation date: the day of the latest
    /// file of the period, so the same data always gives the same bytes.
    public var issuedOn: SpreadsheetDate
    public var sheets: [ReportTable]
}
