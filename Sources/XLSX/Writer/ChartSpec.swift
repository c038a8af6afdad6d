// SPDX-License-Identifier: Apache-2.0
/// A chart of one series drawn from cells of a worksheet: categories in one column, values in
/// another, over the same rows.
public struct ChartSpec: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case column, bar, pie }

    public var kind: Kind
    public var title: String
    public var seriesName: String
    /// The worksheet holding the data, and the zero-based rows and columns of the series.
    public var sheet: String
    public var rows: ClosedRange<Int>
    public var categoryColumn: Int
    public var valueColumn: Int
    /// Data labels on each point, with this number format (nil: no labels).
    public var labelFormat: String?
    public var fontName: String

    public init(kind: Kind, title: String, seriesName: String, sheet: String, rows: ClosedRange<Int>,
                categoryColumn: Int, valueColumn: Int, labelFormat: String? = nil, fontName: String = "Times New Roman") {
        self.kind = kind
        self.title = title
        self.seriesName = seriesName
        self.sheet = sheet
        self.rows = rows
        self.categoryColumn = categoryColumn
        self.valueColumn = valueColumn
        self.labelFormat = labelFormat
        self.fontName = fontName
    }
}
