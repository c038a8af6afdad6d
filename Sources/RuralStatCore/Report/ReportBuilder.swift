// SPDX-License-Identifier: Apache-2.0
/// Turns a report definition and a period's inputs into tables: the figures come from the
/// aggregation, the layout from the sheet's kind.
public struct ReportBuilder {
    public let inputs: ReportInputs
    /// The province's figures, worked out once.
    let province: [String: FigureComparison]

    /// A chart of units draws at most this many: beyond, the labels of one bar per unit cannot
    /// be read on A4, and the areas sheet draws the areas instead.
    public static let maxChartCategories = 25
    /// A chart of areas draws at most this many (a province has 10–35 former districts).
    public static let maxAreaChartCategories = 30

    /// The areas sheets list, with "no area" last when some units have none; empty without areas.
    let areaList: [String?]
    /// Each area's figures, worked out once for every report and sheet that shows them.
    let areaComparisons: [String?: [String: FigureComparison]]

    public init(inputs: ReportInputs) {
        self.inputs = inputs
        province = inputs.aggregator.compare(inputs.period, units: inputs.scopes.provinceKeys, plan: inputs.plans.province)
        let areas = inputs.scopes.areas
        areaList = areas.isEmpty ? [] : areas + (inputs.statuses.contains { $0.unit.group == nil } ? [nil] : [])
        var comparisons: [String?: [String: FigureComparison]] = [:]
        for area in areaList {
            // Its units' and its predecessors' history, against its units' plans.
            let codes = inputs.statuses.filter { $0.unit.group == area }.map(\.unit.code)
            comparisons[area] = inputs.aggregator.compare(inputs.period, units: area.map(inputs.scopes.keys(area:)) ?? codes,
                                                          plan: inputs.plans.combined(codes, catalog: inputs.catalog))
        }
        areaComparisons = comparisons
    }

    /// The report of `definition`: each of its sheets laid out by kind, with the notes every sheet carries.
    public func build(_ definition: ReportDefinition) -> Report {
        var perUnit: [String: [String: FigureComparison]] = [:]
        func unitFigures(_ code: String) -> [String: FigureComparison] {
            if let known = perUnit[code] { return known }
            let f = inputs.scopes.explain(inputs.aggregator.compare(inputs.period, units: inputs.scopes.keys(unit: code),
                                                                    plan: inputs.plans.units[code] ?? [:]),
                                          unit: code, period: inputs.period)
            perUnit[code] = f
            return f
        }
        let sheets = definition.sheets.map { sheet -> ReportTable in
            let title = sheet.title ?? definition.title
            var table: ReportTable
            switch sheet.kind {
            case .indicators(let rows, let measures): table = indicators(sheet.name, title, rows, measures)
            case .units(let columns): table = units(sheet.name, title, columns, sheet.chart, unitFigures)
            case .areas(let columns): table = areas(sheet.name, title, columns, sheet.chart)
            case .completenessByArea: table = completenessByArea(sheet.name, title)
            case .breakdown(let sections, let columns): table = breakdown(sheet.name, title, sections, columns, sheet.chart)
            case .detail(let sheetID, let fields): table = detail(sheet.name, title, sheetID, fields)
            case .completeness: table = completeness(sheet.name, title)
            case .quality: table = quality(sheet.name, title)
            }
            switch sheet.kind {
            case .completeness, .completenessByArea, .quality: break
            default: table.notes += outlierNote()
            }
            table.notes += ["Nguồn: báo cáo quý của các đơn vị, tổng hợp tự động bởi ruralstat."]
            return table
        }
        return Report(definition: definition, province: inputs.province, period: inputs.period, issuedOn: inputs.issuedOn, sheets: sheets)
    }

    static func areaTitle(_ area: String?) -> String { area.map { "Khu vực \($0)" } ?? "Chưa xếp khu vực" }

    static func roman(_ n: Int) -> String {
        let numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var n = n, out = ""
        for (v, s) in numerals { while n >= v { out += s; n -= v } }
        return out
    }
}
