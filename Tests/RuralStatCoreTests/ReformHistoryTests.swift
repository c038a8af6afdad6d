// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import Testing
@testable import RuralStatCore

/// The 2025 reform: old districts reported until 2025-Q2, communes since 2025-Q3. Comparisons
/// must be exact where the boundary is the same — an old district is its area's history, an
/// old province the province's — and a new commune has none of its own: checked against a
/// computation made here, directly from the generated files.
@Suite("History across the 2025 reform, against a direct computation")
struct ReformHistoryTests {
    let catalog = FigureCatalog(schema: Fixtures.schema)
    static let reform = Period("2025-Q3")!

    /// Areas X and Y; communes X1, X2 in X and Y1 in Y (new since the reform); C took over
    /// the old unit OLDC whole (a unit-level succession); OLDX and OLDY were the districts of
    /// X and Y; OLDP was a whole old province merged in (province level).
    static let province = Province(name: "T", parentBody: "T", issuingBody: "S", place: "T", units: [
        ReportingUnit(code: "X1", name: "Xã X1", group: "X", from: reform), ReportingUnit(code: "X2", name: "Phường X2", group: "X", from: reform),
        ReportingUnit(code: "Y1", name: "Xã Y1", group: "Y", from: reform), ReportingUnit(code: "C", name: "Đặc khu C", group: "Y", from: reform),
        ReportingUnit(code: "OLDX", name: "Huyện X", group: "X", until: reform.previous),
        ReportingUnit(code: "OLDY", name: "Huyện Y", group: "Y", until: reform.previous),
        ReportingUnit(code: "OLDC", name: "Huyện C", until: reform.previous),
        ReportingUnit(code: "OLDP", name: "Tỉnh cũ", until: reform.previous),
    ])
    static let successions: [UnitSuccession] = [.toArea(from: "OLDX", "X"), .toArea(from: "OLDY", "Y"),
                                                UnitSuccession(from: "OLDC", to: "C"), .toProvince(from: "OLDP")]

    /// Labourers (a stock) and production (a flow) of each unit that reported, by quarter.
    struct History {
        var values: [String: [Period: (labourers: Int64, production: Int64)]] = [:]

        init(seed: UInt64) {
            var rng = TestRandom(seed: seed)
            var p = Period("2024-Q1")!
            while p <= Period("2026-Q4")! {
                let units = p < ReformHistoryTests.reform ? ["OLDX", "OLDY", "OLDC", "OLDP"] : ["X1", "X2", "Y1", "C"]
                for u in units where rng.int(6) != 0 {   // a quarter missing now and then
                    values[u, default: [:]][p] = (Int64(rng.int(5_000)), Int64(rng.int(90_000)))
                }
                p = p.next
            }
        }
    }

    func aggregator(_ h: History, _ period: Period) -> QuarterlyAggregator {
        var history: [Period: [String: [String: Tally]]] = [:]
        for p in QuarterlyAggregator.periodsNeeded(for: period) {
            var byUnit: [String: [String: Tally]] = [:]
            for (unit, quarters) in h.values {
                guard let v = quarters[p] else { continue }
                let data = SubmissionData(unitCode: unit, period: p, schemaID: "t", schemaVersion: 1, facts: [
                    Fact(sheet: "villages", row: 0, field: "labourers", value: .integer(v.labourers)),
                    Fact(sheet: "villages", row: 0, field: "production_value", value: .money(dong: v.production * 1_000_000)),
                ])
                byUnit[unit] = catalog.tallies(of: data)
            }
            history[p] = UnitSuccession.reexpress(byUnit, Self.successions, catalog: catalog)
        }
        return QuarterlyAggregator(catalog: catalog, history: history)
    }

    /// The units whose own files make up a scope's figure in `p`, named without any mapping:
    /// the province is everything; an area its communes and its old district; a unit its own
    /// file and what it took over.
    static func members(_ scope: String) -> [String] {
        switch scope {
        case "province": return ["X1", "X2", "Y1", "C", "OLDX", "OLDY", "OLDC", "OLDP"]
        case "area X": return ["X1", "X2", "OLDX"]
        case "area Y": return ["Y1", "C", "OLDY", "OLDC"]
        case "C": return ["C", "OLDC"]
        default: return [scope]
        }
    }

    func check(seed: UInt64) {
        let h = History(seed: seed)
        for period in [Period("2025-Q3")!, Period("2026-Q1")!, Period("2026-Q2")!, Period("2026-Q3")!, Period("2026-Q4")!] {
            let agg = aggregator(h, period)
            let scopes = ComparisonScopes(province: Self.province, period: period, successions: Self.successions)
            let keys: [String: [String]] = ["province": scopes.provinceKeys, "area X": scopes.keys(area: "X"), "area Y": scopes.keys(area: "Y"),
                                            "X1": scopes.keys(unit: "X1"), "C": scopes.keys(unit: "C")]
            for (scope, scopeKeys) in keys {
                let f = agg.compare(period, units: scopeKeys)
                func sum(_ p: Period, _ v: ((labourers: Int64, production: Int64)) -> Int64) -> Double? {
                    let parts = Self.members(scope).compactMap { h.values[$0]?[p] }.map(v)
                    return parts.isEmpty ? nil : Double(parts.reduce(0, +))
                }
                let flowYTD = { (p: Period) -> Double? in
                    let parts = p.quartersToDate.compactMap { sum($0, \.production) }
                    return parts.isEmpty ? nil : parts.reduce(0, +)
                }
                let ly = period.sameQuarterLastYear
                let tag = "seed \(seed) \(period) \(scope)"
                #expect(HistoryTests.close(f["villages.labourers"]?.quarter, sum(period, \.labourers)), "\(tag) labourers")
                #expect(HistoryTests.close(f["villages.labourers"]?.sameQuarterLastYear, sum(ly, \.labourers)), "\(tag) labourers last year")
                #expect(HistoryTests.close(f["villages.production_value"]?.ytd, flowYTD(period)), "\(tag) production ytd")
                #expect(HistoryTests.close(f["villages.production_value"]?.ytdLastYear, flowYTD(ly)), "\(tag) production ytd last year")
            }
        }
    }

    @Test(arguments: 0..<30)
    func areaAndProvinceComparisonsEqualADirectComputation(seed: UInt64) {
        check(seed: seed)
    }

    @Test func aNewCommuneHasNoComparisonOfItsOwnAndSaysWhy() {
        let h = History(seed: 3)
        for (period, isNew) in [(Period("2026-Q2")!, true), (Period("2026-Q3")!, false)] {
            let scopes = ComparisonScopes(province: Self.province, period: period, successions: Self.successions)
            let f = scopes.explain(aggregator(h, period).compare(period, units: scopes.keys(unit: "X1")), unit: "X1", period: period)
            let labourers = f["villages.labourers"]!
            if isNew {
                // Its own history starts with the reform: nothing a year earlier, and the reason says where to look.
                #expect(labourers.sameQuarterLastYear == nil && labourers.change == nil)
                #expect(labourers.reasons["change_pct"]?.vi.contains("đơn vị mới từ Quý III năm 2025") == true)
                #expect(labourers.reasons["change_pct"]?.en.contains("compared at area (area X) and province level") == true)
            } else {
                #expect(labourers.reasons["change_pct"]?.vi.contains("đơn vị mới") != true)
                #expect(labourers.sameQuarterLastYear == h.values["X1"]?[Period("2025-Q3")!].map { Double($0.labourers) })
            }
            // Last year's year to date is one quarter of a unit formed in 2025-Q3: never set against a whole one.
            let production = f["villages.production_value"]!
            #expect(production.ytdLastYear == nil && production.ytdChange == nil)
            #expect(production.reasons["ytd_change_pct"]?.vi.contains("lũy kế cùng kỳ năm trước của riêng đơn vị không đủ các quý") == true)
            // A unit that took a predecessor over has that history: never called new.
            #expect(scopes.newUnitReason("C", period: period) == nil)
        }
        // The areas, in the order of their first unit; the province's keys hold every history.
        let scopes = ComparisonScopes(province: Self.province, period: Period("2026-Q1")!, successions: Self.successions)
        #expect(scopes.areas == ["X", "Y"])
        #expect(scopes.units(in: "Y").map(\.code) == ["Y1", "C"])
        #expect(Set(scopes.provinceKeys).isSuperset(of: ["X1", "OLDC", HistoryKey.area("X"), HistoryKey.province]))
        // From 2027 on, last year's year to date is all the commune's own.
        #expect(scopes.newUnitReason("X1", period: Period("2027-Q2")!, yearToDate: true) == nil)
    }
}
