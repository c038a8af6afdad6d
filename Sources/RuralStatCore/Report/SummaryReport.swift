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

/// One unit's line in a summary report.
public struct SummaryRow: Sendable, Hashable {
    public var unit: ReportingUnit
    public var state: UnitState
    /// One value per report column; nil where the unit has no accepted data.
    public var values: [Double?]
}

/// A report ready to be laid out: everything a manager reads, nothing about cells or fonts.
public struct SummaryReport: Sendable {
    public var definition: ReportDefinition
    public var province: Province
    public var period: Period
    public var rows: [SummaryRow]
    /// The province's figures, one per column.
    public var totals: [Double?]
    /// Lines printed under the table (who has not submitted, data sources).
    public var notes: [String]
    /// The province's indicators with their comparisons, when the definition asks for them.
    public var indicators: [(line: IndicatorLine, figure: FigureComparison)] = []

    /// Builds the report from each unit's state and tallies (absent for units with no data).
    public static func build(definition: ReportDefinition, province: Province, period: Period,
                             catalog: FigureCatalog, states: [String: UnitState],
                             tallies: [String: [String: Tally]]) -> SummaryReport {
        var rows: [SummaryRow] = []
        for unit in province.units {
            let t = tallies[unit.code]
            let values = definition.columns.map { c in t.flatMap { $0[c.figure]?.value } }
            rows.append(SummaryRow(unit: unit, state: states[unit.code] ?? .missing, values: values))
        }
        let combined = catalog.combine(province.units.compactMap { tallies[$0.code] })
        let totals = definition.columns.map { combined[$0.figure]?.value }
        let submitted = rows.filter { $0.state == .accepted || $0.state == .late }.count
        var notes = ["Số đơn vị đã nộp báo cáo: \(submitted)/\(rows.count)."]
        let missing = rows.filter { $0.state == .missing || $0.state == .rejected }.map(\.unit.name)
        if !missing.isEmpty {
            notes.append("Đơn vị chưa có báo cáo hợp lệ: " + missing.joined(separator: ", ") + ".")
        }
        notes.append("Nguồn: báo cáo quý của các đơn vị, tổng hợp tự động bởi ruralstat.")
        return SummaryReport(definition: definition, province: province, period: period,
                             rows: rows, totals: totals, notes: notes)
    }
}
