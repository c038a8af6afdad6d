import CellModel
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

    @Test func summaryReportLeavesMissingUnitsBlankAndTotalsTheRest() throws {
        let def = try ReportDefinition.load(yaml: """
            id: t
            file: t
            form_number: "Biểu số 01"
            title: {vi: "Tổng hợp", en: "Summary"}
            sheet: "Tổng hợp"
            columns:
              - {figure: villages.rows, header: {vi: "Làng nghề", en: "Villages"}}
              - {figure: projects.approved_budget, header: {vi: "Kinh phí", en: "Budget"}, format: money}
            """, file: "t.yaml", catalog: catalog)
        let data = try #require(Fixtures.validate(Fixtures.sheets()).submission)
        let report = SummaryReport.build(definition: def, province: Fixtures.province, period: Period("2025-Q3")!, catalog: catalog,
                                         states: ["U01": .accepted], tallies: ["U01": catalog.tallies(of: data)])
        #expect(report.rows.map(\.state) == [.accepted, .missing])
        #expect(report.rows[0].values == [2, 1_250.25])
        #expect(report.rows[1].values == [nil, nil])
        #expect(report.totals == [2, 1_250.25])
        #expect(report.notes.contains { $0.contains("Huyện Hai") })
    }

    @Test func reportDefinitionNamingAnUnknownFigureIsRefused() {
        #expect(throws: DefinitionError.self) {
            try ReportDefinition.load(yaml: """
                id: t
                file: t
                form_number: x
                title: {vi: a, en: b}
                sheet: s
                columns:
                  - {figure: villages.bogus, header: {vi: a, en: b}}
                """, file: "t.yaml", catalog: catalog)
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
