// SPDX-License-Identifier: Apache-2.0
extension ReportBuilder {
    func indicators(_ name: String, _ title: LocalizedText, _ lines: [IndicatorLine], _ measures: [Measure]) -> ReportTable {
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

    func units(_ name: String, _ title: LocalizedText, _ figures: [ReportColumn], _ chart: ChartDefinition?,
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
        rows.append(totalRow("TỔNG CỘNG " + inputs.province.whole.uppercased(), leading: 4, figures))
        return ReportTable(name: name, title: title, columns: columns, rows: rows, labelColumns: 4,
                           notes: notes + inputs.notes, chart: drawn)
    }

    /// One row per area with its comparisons, the province in the totals row; the chart draws
    /// the areas (at most `maxChartCategories`, the largest first).
    func areas(_ name: String, _ title: LocalizedText, _ figures: [ReportColumn], _ chart: ChartDefinition?) -> ReportTable {
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
        rows.append(totalRow("TỔNG CỘNG " + inputs.province.whole.uppercased(), leading: 4, figures))
        return ReportTable(name: name, title: title, columns: columns, rows: rows, labelColumns: 4, notes: notes + inputs.notes, chart: drawn)
    }

    func breakdown(_ name: String, _ title: LocalizedText, _ sections: [BreakdownSection], _ figures: [ReportColumn],
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

    func detail(_ name: String, _ title: LocalizedText, _ sheetID: String, _ fields: [String]) -> ReportTable {
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
            totalled[k] ? .number(totals[k].value, Self.format(c.spec)) : .text("")
        }, emphasis: .total))
        return ReportTable(name: name, title: title, columns: columns, rows: rows, labelColumns: 2,
                           notes: ["Số dòng: \(rows.count - 1), từ báo cáo của \(submissions.count) đơn vị."] + inputs.notes)
    }

    private func areaFigures(_ area: String?) -> [String: FigureComparison] { areaComparisons[area] ?? [:] }

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

    /// A detail list's cell for a value of a submission, shown as its spec says.
    private static func cell(_ value: FactValue?, _ spec: ValueSpec) -> ReportCell {
        guard let value else { return spec.type.isNumeric ? .number(nil, format(spec)) : .text("") }
        switch value {
        case .integer, .money, .decimal: return .number(value.number, format(spec))
        case .text(let s): return .text(s)
        case .code(let c): return .text(spec.codes?.first { $0.code == c }?.vi ?? c)
        case .date(let d): return .date(d)
        case .bool(let b): return .text(b ? "Có" : "Không")
        }
    }

    /// How a value of `spec` is written.
    private static func format(_ spec: ValueSpec) -> FigureFormat {
        FigureFormat(spec) ?? .decimal
    }
}
