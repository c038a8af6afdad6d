// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import Testing
@testable import RuralStatCore

@Suite("Figures and the summary report")
struct AggregationTests {
    let catalog = FigureCatalog(schema: Fixtures.schema)

    /// Hải Dương 2014–2018: 66 projects, 11,072 million VND. Budgets are split into uneven
    /// parts (266.7 + 266.7 + 266.6 …) so binary rounding would show if sums were not exact.
    static func haiDuongProjects() -> [[String: CellValue]] {
        var rows: [[String: CellValue]] = []
        func add(_ count: Int, total: Double, activity: String, funding: String) {
            // Tenths of a million, spread as evenly as integers allow.
            let tenths = Int((total * 10).rounded())
            for i in 0..<count {
                let part = tenths / count + (i < tenths % count ? 1 : 0)
                rows.append(Fixtures.project("P\(rows.count + 1)", activity: activity, funding: funding,
                                             budget: Double(part) / 10, disbursed: nil))
            }
        }
        add(3, total: 800, activity: "3", funding: "KCDP")   // demonstration models, provincial
        add(2, total: 750, activity: "3", funding: "KCQG")   // demonstration models, national
        add(50, total: 7_715, activity: "3", funding: "KCDP") // machinery, provincial
        add(5, total: 900, activity: "3", funding: "KCQG")   // machinery, national
        add(6, total: 907, activity: "4", funding: "KCDP")   // fairs and product selections
        return rows
    }

    @Test func reproducesTheHaiDuongPromotionFiguresExactly() throws {
        let data = try #require(Fixtures.validate(Fixtures.sheets(projects: Self.haiDuongProjects())).submission)
        let t = catalog.tallies(of: data)
        #expect(t["projects.rows"]?.value == 66)
        #expect(t["projects.approved_budget"]?.total == Quantity(micros: 11_072_000_000))
        #expect(t["projects.approved_budget"]?.value == 11_072)
        #expect(t["projects.approved_budget[funding=KCQG]"]?.value == 1_650)
        #expect(t["projects.approved_budget[funding=KCDP]"]?.value == 9_422)
        #expect(t["projects.approved_budget[activity=3]"]?.value == 10_165)
        #expect(t["projects.approved_budget[activity=4]"]?.value == 907)
        #expect(t["projects.rows[activity=3]"]?.value == 60)
    }

    @Test func moneyIsExactToTheDong() throws {
        let parts = [0.1, 0.2, 0.3, 1_234.567891, 0.000001]
        let data = try #require(Fixtures.validate(Fixtures.sheets(projects: parts.enumerated().map {
            Fixtures.project("P\($0.offset)", budget: $0.element, disbursed: nil)
        })).submission)
        #expect(catalog.tallies(of: data)["projects.approved_budget"]?.total == Quantity(micros: 1_235_167_892))
    }

    @Test func percentagesAverageAcrossUnitsAndEmptyTablesCountZero() throws {
        let a = try #require(Fixtures.validate(Fixtures.sheets(unit: "U01", projects: [])).submission)
        var ind = Fixtures.indicators
        ind["cluster_occupancy"] = .number(50)
        let b = try #require(Fixtures.validate(Fixtures.sheets(unit: "U02", indicators: ind)).submission)
        let combined = catalog.combine([catalog.tallies(of: a), catalog.tallies(of: b)])
        #expect(catalog.tallies(of: a)["projects.rows"]?.value == 0)
        #expect(catalog.tallies(of: a)["projects.approved_budget"]?.value == 0)
        #expect(combined["indicators.cluster_occupancy"]?.value == 61.25)
        #expect(combined["indicators.establishments"]?.value == 1_700)
    }

    /// Random submissions, summed here row by row independently of the catalog.
    @Test(arguments: 0..<40)
    func everyFigureEqualsAnIndependentSum(seed: Int) throws {
        var rng = TestRandom(seed: UInt64(seed))
        var units: [SubmissionData] = []
        var expectedRows = 0, expectedLabourers = 0, expectedRecognised = 0
        var expectedBudget: [String: Int64] = [:] // funding → tenths of a million
        for unit in ["U01", "U02"] {
            let villages = (0..<rng.int(8)).map { i -> [String: CellValue] in
                let recognised = rng.int(2) == 0
                let labourers = Double(rng.int(5_000))
                expectedLabourers += Int(labourers)
                expectedRecognised += recognised ? 1 : 0
                return Fixtures.village("V\(i)", recognition: recognised ? "CN" : "CCN", year: recognised ? 2012 : nil, labourers: labourers)
            }
            let projects = (0..<rng.int(6)).map { i -> [String: CellValue] in
                let funding = ["KCQG", "KCDP", "KHAC"][rng.int(3)]
                let tenths = Int64(rng.int(100_000))
                expectedBudget[funding, default: 0] += tenths
                return Fixtures.project("P\(i)", funding: funding, budget: Double(tenths) / 10, disbursed: nil)
            }
            expectedRows += projects.count
            units.append(try #require(Fixtures.validate(Fixtures.sheets(unit: unit, villages: villages, projects: projects)).submission))
        }
        let t = catalog.combine(units.map(catalog.tallies(of:)))
        #expect(t["projects.rows"]?.value == Double(expectedRows))
        #expect(t["villages.labourers"]?.value == Double(expectedLabourers))
        #expect(t["villages.rows[recognition=CN]"]?.value == Double(expectedRecognised))
        for funding in ["KCQG", "KCDP", "KHAC"] {
            #expect(t["projects.approved_budget[funding=\(funding)]"]?.total == Quantity(micros: expectedBudget[funding, default: 0] * 100_000))
        }
        let all = expectedBudget.values.reduce(0, +)
        #expect(t["projects.approved_budget"]?.total == Quantity(micros: all * 100_000))
    }

    // MARK: reports

    static let allKinds = """
        id: t
        file: t
        form_number: "Biểu số 01"
        title: {vi: "Tổng hợp", en: "Summary"}
        sheets:
          - name: "Chỉ tiêu"
            kind: indicators
            measures: [previous_quarter, quarter, ytd, plan, plan_share]
            rows:
              - {figure: villages.rows, label: {vi: "Làng nghề", en: "Villages"}}
              - {figure: projects.approved_budget, label: {vi: "Kinh phí", en: "Budget"}, format: money}
          - name: "Đơn vị"
            kind: units
            columns:
              - {figure: villages.rows, header: {vi: "Làng nghề", en: "Villages"}}
              - {figure: projects.approved_budget, header: {vi: "Kinh phí", en: "Budget"}, format: money}
              - {figure: projects.approved_budget, measure: plan_share, format: money}
            chart: {type: column, figure: projects.approved_budget, title: {vi: "Kinh phí", en: "Budget"}}
          - name: "Nhóm"
            kind: breakdown
            sections:
              - {by: projects.funding, title: {vi: "Theo nguồn", en: "By source"}}
              - {by: projects.activity, title: {vi: "Theo hoạt động", en: "By activity"}}
            columns:
              - {figure: projects.rows, header: {vi: "Số đề án", en: "Projects"}}
              - {figure: projects.approved_budget, header: {vi: "Kinh phí", en: "Budget"}, format: money}
            chart: {type: pie, figure: projects.approved_budget, section: 1, title: {vi: "Kinh phí", en: "Budget"}}
          - name: "Danh sách"
            kind: detail
            table: projects
            fields: [code, name, funding, approved_budget, accepted_on]
          - {name: "Nộp", kind: completeness}
          - {name: "Cảnh báo", kind: quality}
        """

    func inputs(_ data: [SubmissionData], previous: [SubmissionData] = [], plan: [String: Double] = [:],
                warnings: [String: [Finding]] = [:]) -> ReportInputs {
        let period = Period("2025-Q3")!
        func tallies(_ d: [SubmissionData]) -> [String: [String: Tally]] {
            Dictionary(uniqueKeysWithValues: d.map { ($0.unitCode, catalog.tallies(of: $0)) })
        }
        let aggregator = QuarterlyAggregator(catalog: catalog, history: [period: tallies(data), period.previous: tallies(previous)])
        let statuses = Fixtures.province.units.map { unit in
            let sent = data.contains { $0.unitCode == unit.code }
            var s = UnitStatus(unit: unit, state: sent ? .accepted : .missing, receivedAt: sent ? Date(timeIntervalSince1970: 1_760_000_000) : nil,
                               errors: 0, lastReason: nil)
            s.files = sent ? 1 : 0
            return s
        }
        return ReportInputs(province: Fixtures.province, period: period, catalog: catalog, statuses: statuses,
                            deadline: Date(timeIntervalSince1970: 1_761_000_000), aggregator: aggregator,
                            plans: PlanTargets(province: plan), submissions: data, warnings: warnings,
                            issuedOn: SpreadsheetDate(year: 2025, month: 10, day: 9))
    }

    @Test func everySheetKindTakesItsFiguresFromTheAggregation() throws {
        let def = try ReportDefinition.load(yaml: Self.allKinds, file: "t.yaml", catalog: catalog)
        let u01 = try #require(Fixtures.validate(Fixtures.sheets(projects: Self.haiDuongProjects())).submission)
        let before = try #require(Fixtures.validate(Fixtures.sheets(quarter: 2)).submission)
        let warning = Finding(.warning, rule: "r", sheet: "Chỉ tiêu", cell: "E5", value: "9", message: LocalizedText(vi: "Xem lại", en: "Check"))
        let report = ReportBuilder(inputs: inputs([u01], previous: [before], plan: ["projects.approved_budget": 22_144],
                                                  warnings: ["U01": [warning]])).build(def)
        #expect(report.sheets.map(\.name) == ["Chỉ tiêu", "Đơn vị", "Nhóm", "Danh sách", "Nộp", "Cảnh báo"])

        // Indicators: previous quarter, this quarter, year to date, plan and its share.
        let ind = report.sheets[0]
        #expect(ind.rows[1].cells.dropFirst(4).map(\.number) == [1_250.25, 11_072, 11_072, 22_144, 50])
        #expect(ind.columns.last?.mark == "5 = 3/4")

        // Units: the unit that sent nothing is blank, never 0; the total is the province.
        let units = report.sheets[1]
        #expect(units.rows.prefix(2).map { $0.cells[3] } == [.text("Đã nộp"), .text("Chưa nộp")])
        #expect(units.rows[2].cells[0] == .text("TỔNG CỘNG TOÀN TỈNH"))
        #expect(units.rows[0].cells[4...5].map(\.number) == [2, 11_072])
        #expect(units.rows[1].cells[4...6].map(\.number) == [nil, nil, nil])
        #expect(units.rows[2].emphasis == .total)
        #expect(units.rows[2].cells[4...6].map(\.number) == [2, 11_072, 50])
        #expect(units.chart == TableChart(kind: .column, title: "Kinh phí", seriesName: "Kinh phí", categoryColumn: 2, valueColumn: 5, rows: 0..<2))

        // Breakdown: the total first, then each section's codes, adding up to it.
        let groups = report.sheets[2]
        #expect(groups.rows[0].cells[3...4].map(\.number) == [66, 11_072])
        let funding = groups.rows[2...4]
        #expect(funding.map { $0.cells[2] } == [.text("KCQG"), .text("KCDP"), .text("KHAC")])
        #expect(funding.map { $0.cells[4].number } == [1_650, 9_422, 0])
        #expect(groups.rows[5].emphasis == .section)
        let activities = Array(groups.rows[6...])
        #expect(activities.compactMap { $0.cells[3].number }.reduce(0, +) == 66)
        #expect(activities.compactMap { $0.cells[4].number }.reduce(0, +) == 11_072)
        // The pie draws the second section: its rows, the budget column.
        let pie = try #require(groups.chart)
        #expect(pie.rows == 6..<(6 + activities.count) && pie.valueColumn == 4 && pie.categoryColumn == 1)

        // Detail: one row per project, codes as their labels, budgets totalled exactly.
        let list = report.sheets[3]
        #expect(list.rows.count == 67)
        #expect(list.rows[0].cells[1] == .text("Huyện Một") && list.rows[0].cells[4] == .text("Khuyến công địa phương"))
        #expect(list.rows[66].emphasis == .total && list.rows[66].cells[5].number == 11_072)

        // Completeness and quality.
        #expect(report.sheets[4].rows.map { $0.cells[3] }.prefix(2) == [.text("Đã nộp"), .text("Chưa nộp")])
        #expect(report.sheets[4].columns.count == 9 && report.sheets[4].rows[0].cells[4] == .moment(Date(timeIntervalSince1970: 1_760_000_000)))
        #expect(report.sheets[5].rows.count == 1 && report.sheets[5].rows[0].cells[6] == .text("Xem lại"))
    }

    @Test func aMissingPlanOrLastQuarterLeavesTheCellEmptyWithItsReason() throws {
        let def = try ReportDefinition.load(yaml: Self.allKinds, file: "t.yaml", catalog: catalog)
        let u01 = try #require(Fixtures.validate(Fixtures.sheets()).submission)
        let ind = ReportBuilder(inputs: inputs([u01])).build(def).sheets[0]
        #expect(ind.rows[1].cells.dropFirst(4).map(\.number) == [nil, 1_250.25, 1_250.25, nil, nil])
        #expect(ind.notes.contains { $0.contains("chưa có kế hoạch năm") })
    }

    /// Each mistake an admin can make in a report definition, with the line it is reported at.
    @Test(arguments: [
        ("sheets:\n  - {name: a, kind: units, columns: [{figure: villages.bogus, header: {vi: a, en: b}}]}", 6, "villages.bogus"),
        ("sheets:\n  - {name: a, kind: chart}", 6, "is not one of"),
        ("sheets:\n  - {name: a, kind: units}", 6, "needs 'columns'"),
        ("sheets:\n  - {name: a, kind: breakdown, sections: [{by: villages.name, title: {vi: a, en: b}}], columns: [{figure: villages.rows, header: {vi: a, en: b}}]}", 6, "code or yes/no column"),
        ("sheets:\n  - {name: a, kind: breakdown, sections: [{by: villages.trade_group, title: {vi: a, en: b}}],\n     columns: [{figure: projects.rows, header: {vi: a, en: b}}]}", 7, "breakdown of 'villages'"),
        ("sheets:\n  - {name: a, kind: detail, table: villages, fields: [code, colour]}", 6, "no column 'colour'"),
        ("sheets:\n  - {name: a, kind: completeness}\n  - {name: A, kind: quality}", 7, "used by another sheet"),
        ("sheets:\n  - {name: a, kind: units, columns: [{figure: villages.rows, header: {vi: a, en: b}}],\n     chart: {type: pie, figure: villages.labourers, title: {vi: a, en: b}}}", 7, "not one of the sheet's columns"),
        ("sheets:\n  - {name: \"a very long sheet name over thirty-one\", kind: quality}", 6, "1 to 31 characters"),
        ("sheets:\n  - {name: a, kind: quality\n", 7, "YAML syntax"),
    ])
    func aBadReportDefinitionIsRefusedWithItsLine(sheets: String, line: Int, message: String) {
        let yaml = "id: t\nfile: t\nform_number: x\ntitle: {vi: a, en: b}\n" + sheets
        do {
            _ = try ReportDefinition.load(yaml: yaml, file: "t.yaml", catalog: catalog)
            Issue.record("accepted: \(sheets)")
        } catch let error as DefinitionError {
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aDefinitionInTheLayoutBeforeSheetsSaysWhatToDo() {
        let yaml = "id: t\nfile: t\nform_number: x\ntitle: {vi: a, en: b}\nsheet: s\ncolumns:\n  - {figure: villages.rows, header: {vi: a, en: b}}\n"
        #expect {
            try ReportDefinition.load(yaml: yaml, file: "t.yaml", catalog: catalog)
        } throws: { error in
            (error as? DefinitionError)?.message.contains("Copy the shipped definitions") == true
        }
    }

    @Test func theShippedReportDefinitionsLoad() throws {
        let dir = Fixtures.repoRoot.appendingPathComponent("reports")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 4)
        for f in files {
            let def = try ReportDefinition.load(yaml: String(contentsOfFile: dir.appendingPathComponent(f).path, encoding: .utf8), file: f, catalog: catalog)
            #expect(!def.sheets.isEmpty)
        }
    }
}

/// Deterministic random numbers for generated cases.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func int(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}

@Suite("Naming the whole")
struct WholeNameTests {
    @Test(arguments: [("Tỉnh Ninh Bình", "toàn tỉnh"), ("Thành phố Hải Phòng", "toàn thành phố"), ("Toàn quốc", "toàn quốc"), ("Tỉnh …", "toàn tỉnh")])
    func theReportsNameTheWholeAsTheProvinceIsCalled(name: String, whole: String) {
        #expect(Province(name: name, parentBody: "", issuingBody: "", place: "", units: []).whole == whole)
    }
}
