public import CellModel
public import Foundation

/// The annual plan's targets: each unit's, and the province's.
public struct PlanTargets: Sendable {
    public var units: [String: [String: Double]]
    public var province: [String: Double]

    public init(units: [String: [String: Double]] = [:], province: [String: Double] = [:]) {
        self.units = units
        self.province = province
    }

    /// The plan of several units together (an area): their targets added, for figures that add up.
    public func combined(_ codes: [String], catalog: FigureCatalog) -> [String: Double] {
        var plan: [String: Double] = [:]
        for (id, aggregate) in catalog.ids where aggregate == .sum {
            let parts = codes.compactMap { units[$0]?[id] }
            if !parts.isEmpty { plan[id] = parts.reduce(0, +) }
        }
        return plan
    }
}

/// Everything known about a period that a report can show, gathered from the store.
public struct ReportInputs: Sendable {
    /// The province as it stood in the period.
    public var province: Province
    /// Units, areas and the province, with the predecessors whose history each compares with.
    public var scopes: ComparisonScopes
    public var period: Period
    public var catalog: FigureCatalog
    public var statuses: [UnitStatus]
    /// When a file became late.
    public var deadline: Date
    /// Holds the period's tallies, and every quarter the comparisons need when a sheet asks.
    public var aggregator: QuarterlyAggregator
    public var plans: PlanTargets
    /// The submissions that count, for detail lists.
    public var submissions: [SubmissionData]
    /// The warnings of each unit's counted submission.
    public var warnings: [String: [Finding]]
    /// Extra lines for every sheet's notes (merged units).
    public var notes: [String]
    public var issuedOn: SpreadsheetDate

    public init(province: Province, scopes: ComparisonScopes? = nil, period: Period, catalog: FigureCatalog, statuses: [UnitStatus], deadline: Date,
                aggregator: QuarterlyAggregator, plans: PlanTargets = PlanTargets(), submissions: [SubmissionData] = [],
                warnings: [String: [Finding]] = [:], notes: [String] = [], issuedOn: SpreadsheetDate) {
        self.province = province
        self.scopes = scopes ?? ComparisonScopes(province: province, period: period, successions: [])
        self.period = period
        self.catalog = catalog
        self.statuses = statuses
        self.deadline = deadline
        self.aggregator = aggregator
        self.plans = plans
        self.submissions = submissions
        self.warnings = warnings
        self.notes = notes
        self.issuedOn = issuedOn
    }
}

/// Turns a report definition and a period's inputs into tables: the figures come from the
/// aggregation, the layout from the sheet's kind.
public struct ReportBuilder {
    public let inputs: ReportInputs
    private let province: [String: FigureComparison]

    /// A chart of units draws at most this many: beyond, the labels of one bar per unit cannot
    /// be read on A4, and the areas sheet draws the areas instead.
    public static let maxChartCategories = 25
    /// A chart of areas draws at most this many (a province has 10–35 former districts).
    public static let maxAreaChartCategories = 30

    /// The areas sheets list, with "no area" last when some units have none; empty without areas.
    private let areaList: [String?]
    /// Each area's figures, worked out once for every report and sheet that shows them.
    private let areaComparisons: [String?: [String: FigureComparison]]

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

    private static func areaTitle(_ area: String?) -> String { area.map { "Khu vực \($0)" } ?? "Chưa xếp khu vực" }

    private func areaFigures(_ area: String?) -> [String: FigureComparison] { areaComparisons[area] ?? [:] }

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

    // MARK: sheet kinds

    private func indicators(_ name: String, _ title: LocalizedText, _ lines: [IndicatorLine], _ measures: [Measure]) -> ReportTable {
        var columns = [TableColumn("STT", mark: "A", width: 5, alignment: .center), TableColumn("Chỉ tiêu", mark: "B", width: 40),
                       TableColumn("Mã số", mark: "C", width: 7, alignment: .center), TableColumn("Đơn vị tính", mark: "D", width: 11, alignment: .center)]
        var number: [Measure: Int] = [:]
        for (i, m) in measures.enumerated() { number[m] = i + 1 }
        for m in measures {
            var mark = "\(number[m]!)"
            let parts: (Measure, Measure)? = m == .change ? (.quarter, .sameQuarterLastYear) : m == .ytdChange ? (.ytd, .ytdLastYear)
                : m == .planShare ? (.ytd, .plan) : nil
            if let (a, b) = parts, let na = number[a], let nb = number[b] { mark += " = \(na)/\(nb)" }
            columns.append(TableColumn(m.header, mark: mark, width: m.isPercent ? 11 : 12, alignment: .number))
        }
        var reasons: [String] = []
        let rows = lines.enumerated().map { i, line -> TableRow in
            let f = province[line.figure] ?? FigureComparison()
            var cells: [ReportCell] = [.number(Double(i + 1), .integer), .text(line.label.vi), .text(line.code), .text(line.unit?.vi ?? "")]
            for m in measures {
                let value = m.value(of: f)
                cells.append(.number(value, m.isPercent ? .percent : line.format))
                if value == nil, let reason = m.reason(in: f), !reasons.contains(reason) { reasons.append(reason) }
            }
            return TableRow(cells)
        }
        var notes = submittedNote() + inputs.notes
        if !reasons.isEmpty { notes.insert("Ô để trống khi không tính được: " + reasons.joined(separator: "; ") + ".", at: 0) }
        return ReportTable(name: name, title: title, columns: columns, rows: rows, labelColumns: 2, notes: notes)
    }

    private func units(_ name: String, _ title: LocalizedText, _ figures: [ReportColumn], _ chart: ChartDefinition?,
                       _ unitFigures: (String) -> [String: FigureComparison]) -> ReportTable {
        var columns = [TableColumn("STT", mark: "A", width: 5, alignment: .center), TableColumn("Mã đơn vị", mark: "B", width: 10, alignment: .center),
                       TableColumn("Đơn vị báo cáo", mark: "C", width: 26), TableColumn("Tình trạng", mark: "D", width: 11, alignment: .center)]
        columns += figureColumns(figures)
        var rows: [TableRow] = []
        var n = 0
        func unitRow(_ status: UnitStatus) -> TableRow {
            n += 1
            let f = unitFigures(status.unit.code)
            return TableRow([.number(Double(n), .integer), .text(status.unit.code), .text(status.unit.name), .text(status.state.vietnamese)]
                + figures.map { .number(f[$0.figure].flatMap($0.measure.value), $0.effectiveFormat) })
        }
        let areas = areaList
        if areas.isEmpty {
            rows = inputs.statuses.map(unitRow)
        } else {
            // Unit → area → province: each area a heading, its units, and its subtotal.
            for (a, area) in areas.enumerated() {
                let members = inputs.statuses.filter { $0.unit.group == area }
                rows.append(TableRow([.text(Self.roman(a + 1)), .text(Self.areaTitle(area) + " (\(members.count) đơn vị)"), .text(""), .text("")]
                    + figures.map { _ in .number(nil, .integer) }, emphasis: .section))
                rows += members.map(unitRow)
                let f = areaFigures(area)
                rows.append(TableRow([.text(area.map { "Cộng khu vực \($0)" } ?? "Cộng các đơn vị chưa xếp khu vực")]
                    + Array(repeating: .text(""), count: 3) + figures.map { .number(f[$0.figure].flatMap($0.measure.value), $0.effectiveFormat) },
                    emphasis: .subtotal))
            }
        }
        // A chart draws the units' rows, named by the unit column, while they are few enough
        // to read; beyond, the areas sheet draws the areas.
        var notes = submittedNote() + missingNote()
        var drawn: TableChart?
        if let chart {
            if areas.isEmpty && rows.count <= Self.maxChartCategories {
                drawn = self.chart(chart, figures, firstColumn: 4, categoryColumn: 2, rows: 0..<rows.count)
            } else {
                notes.append("Có \(inputs.statuses.count) đơn vị: biểu đồ được vẽ theo khu vực (trang tổng hợp theo khu vực), không theo từng đơn vị.")
            }
        }
        rows.append(totalRow("TỔNG CỘNG TOÀN TỈNH", leading: 4, figures))
        return ReportTable(name: name, title: title, columns: columns, rows: rows, labelColumns: 4,
                           notes: notes + inputs.notes, chart: drawn)
    }

    /// One row per area with its comparisons, the province in the totals row; the chart draws
    /// the areas (at most `maxChartCategories`, the largest first).
    private func areas(_ name: String, _ title: LocalizedText, _ figures: [ReportColumn], _ chart: ChartDefinition?) -> ReportTable {
        var columns = [TableColumn("STT", mark: "A", width: 5, alignment: .center), TableColumn("Khu vực", mark: "B", width: 24),
                       TableColumn("Số đơn vị", mark: "C", width: 8, alignment: .center), TableColumn("Đã nộp", mark: "D", width: 9, alignment: .center)]
        columns += figureColumns(figures)
        var rows: [TableRow] = []
        for (a, area) in areaList.enumerated() {
            let members = inputs.statuses.filter { $0.unit.group == area }
            let submitted = members.filter { $0.state == .accepted || $0.state == .late }.count
            let f = areaFigures(area)
            rows.append(TableRow([.number(Double(a + 1), .integer), .text(area ?? "Chưa xếp khu vực"), .number(Double(members.count), .integer),
                                  .text("\(submitted)/\(members.count)")]
                + figures.map { .number(f[$0.figure].flatMap($0.measure.value), $0.effectiveFormat) }))
        }
        var notes = submittedNote()
        if rows.isEmpty { notes.insert("Các đơn vị chưa được xếp theo khu vực (trường group trong cấu hình).", at: 0) }
        let drawn = !rows.isEmpty && rows.count <= Self.maxAreaChartCategories ? chart.flatMap { self.chart($0, figures, firstColumn: 4, categoryColumn: 1, rows: 0..<rows.count) } : nil
        if chart != nil && drawn == nil && !rows.isEmpty {
            notes.append("Có \(rows.count) khu vực, nhiều hơn \(Self.maxAreaChartCategories): không vẽ biểu đồ để nhãn còn đọc được.")
        }
        rows.append(totalRow("TỔNG CỘNG TOÀN TỈNH", leading: 4, figures))
        return ReportTable(name: name, title: title, columns: columns, rows: rows, labelColumns: 4, notes: notes + inputs.notes, chart: drawn)
    }

    /// Per area: units expected, on time, late, refused, missing, the share submitted, and the
    /// units that still owe a valid file.
    private func completenessByArea(_ name: String, _ title: LocalizedText) -> ReportTable {
        let columns = [
            TableColumn("STT", mark: "A", width: 5, alignment: .center), TableColumn("Khu vực", mark: "B", width: 20),
            TableColumn("Số đơn vị phải nộp", unit: "đơn vị", mark: "1", width: 10, alignment: .number),
            TableColumn("Đúng hạn", unit: "đơn vị", mark: "2", width: 9, alignment: .number),
            TableColumn("Nộp muộn", unit: "đơn vị", mark: "3", width: 9, alignment: .number),
            TableColumn("Bị trả lại, chưa nộp lại", unit: "đơn vị", mark: "4", width: 11, alignment: .number),
            TableColumn("Chưa nộp", unit: "đơn vị", mark: "5", width: 9, alignment: .number),
            TableColumn("Tỷ lệ đã nộp", unit: "%", mark: "6 = (2+3)/1", width: 10, alignment: .number),
            TableColumn("Đơn vị còn nợ báo cáo hợp lệ", mark: "7", width: 48),
        ]
        func counts(_ members: [UnitStatus]) -> [ReportCell] {
            let c = { (state: UnitState) in Double(members.filter { $0.state == state }.count) }
            let share = members.isEmpty ? nil : (c(.accepted) + c(.late)) / Double(members.count) * 100
            return [.number(Double(members.count), .integer), .number(c(.accepted), .integer), .number(c(.late), .integer),
                    .number(c(.rejected), .integer), .number(c(.missing), .integer), .number(share, .percent)]
        }
        let areas: [String?] = areaList.isEmpty ? [nil] : areaList
        var rows: [TableRow] = []
        for (a, area) in areas.enumerated() {
            let members = inputs.statuses.filter { areaList.isEmpty || $0.unit.group == area }
            let owing = members.filter { $0.state == .missing || $0.state == .rejected }.map(\.unit.name)
            rows.append(TableRow([.number(Double(a + 1), .integer), .text(areaList.isEmpty ? "Toàn tỉnh" : area ?? "Chưa xếp khu vực")]
                                 + counts(members) + [.text(owing.joined(separator: ", "))]))
        }
        rows.append(TableRow([.text("TỔNG CỘNG"), .text("")] + counts(inputs.statuses) + [.text("")], emphasis: .total))
        return ReportTable(name: name, title: title, columns: columns, rows: rows, labelColumns: 2,
                           notes: ["Hạn nộp báo cáo: hết ngày \(VietnamTime.lastDayText(before: inputs.deadline)) (giờ Việt Nam). Danh sách chi tiết theo từng đơn vị ở trang sau."] + inputs.notes)
    }

    private func breakdown(_ name: String, _ title: LocalizedText, _ sections: [BreakdownSection], _ figures: [ReportColumn],
                           _ chart: ChartDefinition?) -> ReportTable {
        var columns = [TableColumn("STT", mark: "A", width: 5, alignment: .center), TableColumn("Chỉ tiêu", mark: "B", width: 34),
                       TableColumn("Mã", mark: "C", width: 8, alignment: .center)]
        columns += figureColumns(figures)
        var rows = [totalRow("TỔNG SỐ", leading: 3, figures)]
        var drawn: TableChart?
        for (s, section) in sections.enumerated() {
            rows.append(TableRow([.text(Self.roman(s + 1)), .text(section.title.vi), .text("")]
                + figures.map { _ in .number(nil, .integer) }, emphasis: .section))
            let items = codes(section)
            for (i, code) in items.enumerated() {
                let split = "[\(section.field)=\(code.code)]"
                rows.append(TableRow([.number(Double(i + 1), .integer), .text(code.vi), .text(code.code == "true" ? "" : code.code)]
                    + figures.map { .number(province[$0.figure + split].flatMap($0.measure.value), $0.effectiveFormat) }))
            }
            // A chart draws one section's codes, named by the label column.
            if let chart, chart.section == s {
                drawn = self.chart(chart, figures, firstColumn: 3, categoryColumn: 1, rows: (rows.count - items.count)..<rows.count)
            }
        }
        return ReportTable(name: name, title: title, columns: columns, rows: rows, labelColumns: 3,
                           notes: submittedNote() + inputs.notes, chart: drawn)
    }

    private func detail(_ name: String, _ title: LocalizedText, _ sheetID: String, _ fields: [String]) -> ReportTable {
        let table = inputs.catalog.schema.sheet(sheetID)!
        let specs = fields.compactMap { table.column($0) }
        var columns = [TableColumn("STT", mark: "A", width: 6, alignment: .center), TableColumn("Đơn vị báo cáo", mark: "B", width: 20)]
        for (i, c) in specs.enumerated() {
            columns.append(TableColumn(c.header.vi, unit: c.spec.unit?.vi, mark: "\(i + 1)", width: max(c.width, 9),
                                       alignment: c.spec.type.isNumeric ? .number : (c.spec.type == .date || c.spec.type == .code ? .center : .left)))
        }
        let order = Dictionary(inputs.province.units.enumerated().map { ($1.code.uppercased(), $0) }, uniquingKeysWith: { a, _ in a })
        let names = Dictionary(inputs.province.units.map { ($0.code.uppercased(), $0.name) }, uniquingKeysWith: { a, _ in a })
        let submissions = inputs.submissions.sorted { (order[$0.unitCode.uppercased()] ?? .max) < (order[$1.unitCode.uppercased()] ?? .max) }
        var rows: [TableRow] = []
        // Columns with a unit of measure that add up get a total; codes, years and rates do not.
        let totalled = specs.map { $0.spec.type.isNumeric && $0.spec.unit != nil && $0.spec.aggregate == .sum }
        var totals = Array(repeating: Quantity.zero, count: specs.count)
        for data in submissions {
            for values in data.rows(of: sheetID) {
                var cells: [ReportCell] = [.number(Double(rows.count + 1), .integer), .text(names[data.unitCode.uppercased()] ?? data.unitCode)]
                for (k, c) in specs.enumerated() {
                    let v = values[c.spec.id]
                    cells.append(Self.cell(v, c.spec))
                    if totalled[k], let v { totals[k] = totals[k] + Quantity(v) }
                }
                rows.append(TableRow(cells))
            }
        }
        rows.append(TableRow([.text("TỔNG CỘNG"), .text("")] + specs.enumerated().map { k, c in
            totalled[k] ? .number(totals[k].value, Self.format(c.spec.type)) : .text("")
        }, emphasis: .total))
        return ReportTable(name: name, title: title, columns: columns, rows: rows, labelColumns: 2,
                           notes: ["Số dòng: \(rows.count - 1), từ báo cáo của \(submissions.count) đơn vị."] + inputs.notes)
    }

    private func completeness(_ name: String, _ title: LocalizedText) -> ReportTable {
        // With areas, the units are listed area by area under a heading; otherwise in one list.
        let areas = areaList
        let columns = [
            TableColumn("STT", mark: "A", width: 5, alignment: .center), TableColumn("Mã đơn vị", mark: "B", width: 10, alignment: .center),
            TableColumn("Đơn vị báo cáo", mark: "C", width: 26),
            TableColumn("Tình trạng", mark: "1", width: 12, alignment: .center),
            TableColumn("Thời điểm nộp báo cáo được tính", mark: "2", width: 17, alignment: .center),
            TableColumn("Số ngày nộp muộn", unit: "ngày", mark: "3", width: 10, alignment: .number),
            TableColumn("Số tệp đã gửi", unit: "tệp", mark: "4", width: 9, alignment: .number),
            TableColumn("Trong đó bị trả lại", unit: "tệp", mark: "5", width: 10, alignment: .number),
            TableColumn("Ghi chú", mark: "6", width: 40),
        ]
        var rows: [TableRow] = []
        let blocks: [(String?, [UnitStatus])] = areas.isEmpty ? [(nil, inputs.statuses)]
            : areas.map { area in (area, inputs.statuses.filter { $0.unit.group == area }) }
        var n = 0
        for (a, (area, members)) in blocks.enumerated() {
          if !areas.isEmpty {
            let submitted = members.filter { $0.state == .accepted || $0.state == .late }.count
            rows.append(TableRow([.text(Self.roman(a + 1)), .text(Self.areaTitle(area) + ": \(submitted)/\(members.count) đơn vị đã nộp"), .text("")]
                                 + Array(repeating: .text(""), count: 6), emphasis: .section))
          }
          for s in members {
            n += 1
            var lateDays: Double?
            if s.state == .late, let at = s.receivedAt { lateDays = (at.timeIntervalSince(inputs.deadline) / 86_400).rounded(.up) }
            var remark = ""
            switch s.state {
            case .rejected: remark = "Tệp gần nhất có \(s.errors) lỗi: " + (s.lastReason ?? "")
            case .missing: remark = "Chưa gửi báo cáo"
            default: break
            }
            if s.held > 0 { remark += (remark.isEmpty ? "" : " ") + "\(s.held) tệp gửi sau khi khóa kỳ, chờ xem xét." }
            rows.append(TableRow([.number(Double(n), .integer), .text(s.unit.code), .text(s.unit.name)] + [
                .text(s.state.vietnamese), s.state == .accepted || s.state == .late ? s.receivedAt.map(ReportCell.moment) ?? .text("") : .text(""),
                .number(lateDays, .integer), .number(Double(s.files), .integer), .number(Double(s.refused), .integer), .text(remark),
            ]))
          }
        }
        let count = { (state: UnitState) in inputs.statuses.filter { $0.state == state }.count }
        rows.append(TableRow([.text("TỔNG CỘNG"), .text(""), .text("")]
                             + [.text("\(count(.accepted) + count(.late))/\(inputs.statuses.count) đã nộp"),
                              .text(""), .number(nil, .integer), .number(Double(inputs.statuses.map(\.files).reduce(0, +)), .integer),
                              .number(Double(inputs.statuses.map(\.refused).reduce(0, +)), .integer), .text("")], emphasis: .total))
        let notes = [
            "Hạn nộp báo cáo: hết ngày \(VietnamTime.lastDayText(before: inputs.deadline)) (giờ Việt Nam).",
            "Đúng hạn: \(count(.accepted)); nộp muộn: \(count(.late)); bị trả lại, chưa nộp lại: \(count(.rejected)); chưa nộp: \(count(.missing)).",
        ] + inputs.notes
        return ReportTable(name: name, title: title, columns: columns, rows: rows, labelColumns: 3, notes: notes)
    }

    /// The outliers the units kept after being warned (rule `outlier.…`), by unit.
    private func acceptedOutliers() -> [(unit: ReportingUnit, finding: Finding)] {
        inputs.statuses.flatMap { s in (inputs.warnings[s.unit.code] ?? []).filter { $0.rule.hasPrefix("outlier.") }.map { (s.unit, $0) } }
    }

    /// A figure sheet's note when its totals include a value the checks found out of line.
    private func outlierNote() -> [String] {
        let all = acceptedOutliers()
        guard !all.isEmpty else { return [] }
        let named = all.prefix(10).map { "\($0.unit.name) (\($0.unit.code)), \($0.finding.sheet ?? "") ô \($0.finding.cell ?? "–") = \($0.finding.value ?? "")" }
        let more = all.count > 10 ? "; và \(all.count - 10) số liệu khác" : ""
        return ["Các tổng số có bao gồm \(all.count) số liệu bất thường đã được chấp nhận (đơn vị đã được cảnh báo và giữ nguyên): "
                + named.joined(separator: "; ") + more + ". Chi tiết ở trang Chất lượng số liệu của báo cáo tình hình nộp báo cáo."]
    }

    private func quality(_ name: String, _ title: LocalizedText) -> ReportTable {
        let columns = [
            TableColumn("STT", mark: "A", width: 5, alignment: .center), TableColumn("Mã đơn vị", mark: "B", width: 10, alignment: .center),
            TableColumn("Đơn vị báo cáo", mark: "C", width: 22), TableColumn("Trang tính", mark: "1", width: 16),
            TableColumn("Ô", mark: "2", width: 7, alignment: .center), TableColumn("Giá trị", mark: "3", width: 12, alignment: .center),
            TableColumn("Nội dung cảnh báo", mark: "4", width: 60), TableColumn("Mã quy tắc", mark: "5", width: 22),
        ]
        var rows: [TableRow] = []
        for s in inputs.statuses {
            let warnings = (inputs.warnings[s.unit.code] ?? []).sorted {
                $0.sheet == $1.sheet ? Finding.cellOrder($0, $1) : ($0.sheet ?? "") < ($1.sheet ?? "")
            }
            for w in warnings {
                rows.append(TableRow([.number(Double(rows.count + 1), .integer), .text(s.unit.code), .text(s.unit.name),
                                      .text(w.sheet ?? ""), .text(w.cell ?? ""), .text(w.value ?? ""), .text(w.message.vi), .text(w.rule)]))
            }
        }
        let units = Set(rows.compactMap { if case .text(let c) = $0.cells[1] { return c } else { return nil } }).count
        var notes = ["Cảnh báo không làm báo cáo bị trả lại; đề nghị đơn vị kiểm tra lại các ô trên và gửi bản sửa nếu số liệu chưa đúng."]
        notes.insert(rows.isEmpty ? "Các báo cáo đã chấp nhận không có cảnh báo nào."
                     : "\(rows.count) cảnh báo trong báo cáo của \(units) đơn vị.", at: 0)
        let outliers = acceptedOutliers().count
        if outliers > 0 {
            notes.insert("Trong đó \(outliers) số liệu bất thường (mã quy tắc outlier.…): nội dung cảnh báo ghi giá trị, khoảng thường gặp và "
                         + "mức chênh lệch; các tổng số của kỳ có bao gồm các số liệu này.", at: 1)
        }
        return ReportTable(name: name, title: title, columns: columns, rows: rows, labelColumns: 3, notes: notes + inputs.notes)
    }

    // MARK: pieces

    private func figureColumns(_ figures: [ReportColumn]) -> [TableColumn] {
        figures.enumerated().map { i, c in
            TableColumn(c.header.vi, group: c.group?.vi, unit: c.measure.isPercent ? "%" : c.unit?.vi, mark: "\(i + 1)", width: 13, alignment: .number)
        }
    }

    private func totalRow(_ label: String, leading: Int, _ figures: [ReportColumn]) -> TableRow {
        TableRow([.text(label)] + Array(repeating: .text(""), count: leading - 1)
            + figures.map { .number(province[$0.figure].flatMap($0.measure.value), $0.effectiveFormat) }, emphasis: .total)
    }

    private func codes(_ section: BreakdownSection) -> [CodeItem] {
        let spec = inputs.catalog.schema.sheet(section.sheet)?.column(section.field)?.spec
        // A yes/no column has one row: the rows where it says yes, named by the column.
        if spec?.type == .boolean {
            let header = inputs.catalog.schema.sheet(section.sheet)?.column(section.field)?.header
            return [CodeItem(code: "true", vi: header?.vi ?? "Có", en: header?.en ?? "Yes")]
        }
        return spec?.codes ?? []
    }

    /// The chart of the figure column `c` names (figure columns start at `firstColumn`).
    private func chart(_ c: ChartDefinition, _ figures: [ReportColumn], firstColumn: Int, categoryColumn: Int, rows: Range<Int>) -> TableChart? {
        guard let k = figures.firstIndex(where: { $0.figure == c.figure && $0.measure == c.measure }) else { return nil }
        let column = figures[k]
        let unit = column.measure.isPercent ? "%" : column.unit?.vi
        return TableChart(kind: c.kind, title: c.title.vi, seriesName: column.header.vi + (unit.map { " (\($0))" } ?? ""),
                          categoryColumn: categoryColumn, valueColumn: firstColumn + k, rows: rows)
    }

    private func submittedNote() -> [String] {
        let submitted = inputs.statuses.filter { $0.state == .accepted || $0.state == .late }.count
        return ["Số đơn vị đã nộp báo cáo: \(submitted)/\(inputs.statuses.count)."]
    }

    private func missingNote() -> [String] {
        let missing = inputs.statuses.filter { $0.state == .missing || $0.state == .rejected }.map(\.unit.name)
        return missing.isEmpty ? [] : ["Đơn vị chưa có báo cáo hợp lệ: " + missing.joined(separator: ", ") + "."]
    }

    static func cell(_ value: FactValue?, _ spec: ValueSpec) -> ReportCell {
        guard let value else { return spec.type.isNumeric ? .number(nil, format(spec.type)) : .text("") }
        switch value {
        case .integer, .money, .decimal: return .number(value.number, format(spec.type))
        case .text(let s): return .text(s)
        case .code(let c): return .text(spec.codes?.first { $0.code == c }?.vi ?? c)
        case .date(let d): return .date(d)
        case .bool(let b): return .text(b ? "Có" : "Không")
        }
    }

    static func format(_ type: ValueType) -> FigureFormat {
        switch type {
        case .integer: return .integer
        case .money: return .money
        case .percent: return .percent
        default: return .decimal
        }
    }

    static func roman(_ n: Int) -> String {
        let numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var n = n, out = ""
        for (v, s) in numerals { while n >= v { out += s; n -= v } }
        return out
    }
}
