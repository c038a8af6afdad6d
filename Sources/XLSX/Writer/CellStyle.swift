// SPDX-License-Identifier: Apache-2.0
/// How a written cell looks. A value type so the writer can share one underlying format per
/// distinct style; no library types leak out of it.
public struct CellStyle: Hashable, Sendable {
    public enum HorizontalAlignment: Sendable, Hashable { case general, left, center, right, centerAcross }
    public enum VerticalAlignment: Sendable, Hashable { case bottom, center, top }

    public var fontName: String = "Times New Roman"
    public var fontSize: Double = 12
    public var bold = false
    public var italic = false
    public var underline = false
    /// RGB colour as 0xRRGGBB; nil keeps the default (black).
    public var fontColor: UInt32?
    /// Solid fill colour as 0xRRGGBB; nil for none.
    public var fill: UInt32?
    public var wrap = false
    public var horizontal: HorizontalAlignment = .general
    public var vertical: VerticalAlignment = .bottom
    /// Indentation from the aligned side, in levels (about one character each); 0 for none.
    /// With `.left` or `.right` alignment it keeps a text off the cell's border.
    public var indent: UInt8 = 0
    /// Thin border on all four sides.
    public var border = false
    /// An Excel number format such as `#,##0` or `dd/mm/yyyy`; nil for General.
    public var numberFormat: String?
    /// Cells are locked by default in Excel; only matters on a protected sheet.
    public var locked = true

    public init() {}

    /// Returns a copy with `change` applied, for building styles from a base.
    public func with(_ change: (inout CellStyle) -> Void) -> CellStyle {
        var copy = self
        change(&copy)
        return copy
    }
}
