// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing

/// Issue 14's test of done: the demo province (Hải Phòng, 114 communes in 27 areas) with a form
/// filled by openpyxl for every unit, run through the real daemon, and every report read back.
@Suite("Hải Phòng at 114 units, every one reporting", .serialized, .tags(.endToEnd))
struct ProvinceAtScaleTests {
    /// Exact sums of the figures' decimal texts, so 114 units add up without a rounding doubt.
    static func sum(_ values: [String]) -> Double? {
        guard !values.isEmpty else { return nil }
        let total = values.map { Decimal(string: $0)! }.reduce(0, +)
        return Double("\(total)")
    }

    @Test func everyUnitsFormAddsUpThroughUnitAreaAndProvinceInEveryReport() throws {
        let site = try TestSite.demo(.settleSeconds(0))
        let dir = site.dir, config = site.config

        // A blank for every unit of the first commune quarter, each filled by openpyxl in one run.
        let made = try Binary.run(["template", "--all", "--period", "2025-Q3", "--config", config, "--out", dir + "/blanks"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/blanks").count == 114)
        let filled = try Binary.python("fill_forms.py", [dir + "/schema.json", dir + "/site/var/inbox", dir + "/expected.json", "14", dir + "/blanks"])
        #expect(filled.status == 0, "openpyxl could not fill the forms: \(filled.stderr)")
        let byPeriod = try json(String(contentsOfFile: dir + "/expected.json", encoding: .utf8)) as! [String: [String: [String: String]]]
        let expected = try #require(byPeriod["2025-Q3"])
        #expect(expected.count == 114)

        let serve = try Binary.run(["serve", "--config", config, "--once"])
        #expect(serve.status == 0, "\(serve.stderr)")
        #expect(serve.stderr.components(separatedBy: "\n").filter { $0.hasPrefix("<6>accepted") }.count == 114, "\(serve.stderr.suffix(2_000))")

        // `status --json` lists the 114 units, each with its file (late: 2025-Q3's deadline has passed).
        let status = try json(try Binary.run(["status", "--period", "2025-Q3", "--json", "--config", config]).stdout) as! [String: Any]
        let states = status["units"] as! [[String: Any]]
        #expect(states.count == 114)
        #expect(Set(states.map { $0["code"] as! String }) == Set(expected.keys))
        #expect(states.allSatisfy { $0["state"] as? String == "late" })

        // `export`: every unit's figures are the sums openpyxl's side computed; every area under
        // `groups` is the sum of its units for the figures that add up, the province of all.
        let doc = try json(try Binary.run(["export", "--period", "2025-Q3", "--config", config]).stdout) as! [String: Any]
        let units = doc["units"] as! [[String: Any]]
        #expect(units.count == 114)
        let unitFigures = Dictionary(uniqueKeysWithValues: units.map { ($0["code"] as! String, $0["figures"] as! [String: [String: Any]]) })
        for (code, figures) in expected {
            for (id, value) in figures {
                #expect(unitFigures[code]?[id]?["quarter"] as? Double == Double(value), "\(code) \(id)")
            }
        }
        let ids = Set(expected.values.flatMap(\.keys))
        let mean = "indicators.cluster_occupancy"   // a rate: its scopes take the mean, not the sum
        let groups = doc["groups"] as! [[String: Any]]
        #expect(groups.count == 27)
        let members = groups.flatMap { $0["units"] as! [String] }
        #expect(members.count == 114 && Set(members) == Set(expected.keys), "every unit in exactly one area")
        func check(_ scope: String, _ figures: [String: [String: Any]], _ codes: [String]) {
            for id in ids {
                let parts = codes.compactMap { expected[$0]?[id] }
                let got = figures[id]?["quarter"] as? Double
                if id == mean {
                    let want = parts.map { Double($0)! }.reduce(0, +) / Double(parts.count)
                    #expect(got.map { abs($0 - want) < 1e-9 } == true, "\(scope) \(id): \(String(describing: got)) ≠ \(want)")
                } else {
                    // A figure no unit of the scope had (a code nobody used) is 0 or absent, never another number.
                    #expect(got == Self.sum(parts) || (parts.isEmpty && (got ?? 0) == 0), "\(scope) \(id): \(String(describing: got)) ≠ Σ \(parts)")
                }
                // This quarter is the first with data this year: the year to date is the quarter.
                if id != mean { #expect(figures[id]?["ytd"] as? Double == got, "\(scope) \(id) ytd") }
            }
        }
        for g in groups { check("area \(g["name"] as! String)", g["figures"] as! [String: [String: Any]], g["units"] as! [String]) }
        let province = (doc["province"] as! [String: Any])["figures"] as! [String: [String: Any]]
        check("province", province, Array(expected.keys))
        for id in ids where id != mean {
            let areas = groups.compactMap { (($0["figures"] as! [String: [String: Any]])[id]?["quarter"] as? Double) }
            #expect(abs(areas.reduce(0, +) - (province[id]?["quarter"] as? Double ?? 0)) < 1e-6, "\(id): the areas add up to the province")
        }

        // The reports, read by openpyxl and by our reader alike.
        let folder = dir + "/site/var/reports/2025-Q3"
        let read = try Binary.python("read_reports.py", [folder])
        #expect(read.status == 0, "\(read.stderr)")
        let byOpenpyxl = try json(read.stdout) as! [String: [String: [[String]]]]
        #expect(byOpenpyxl.count == 4)
        for (file, sheets) in byOpenpyxl {
            let ours = try ReportTables.read(folder + "/" + file)
            for (name, rows) in sheets { #expect(ours[name] == rows, "\(file) / \(name): the two readers disagree") }
        }
        let tables = byOpenpyxl.mapValues { $0.mapValues(ReportTables.init) }
        /// The numbers of a row from column `first`, `count` of them (the readers drop trailing empty cells).
        func numbers(_ row: [String], from first: Int, count: Int = 10) -> [Double?] {
            (first..<(first + count)).map { ReportTables.number(row.count > $0 ? row[$0] : "") }
        }
        func add(_ rows: [[Double?]]) -> [Double?] {
            let width = rows.map(\.count).max() ?? 0
            return (0..<width).map { k in
                let parts = rows.compactMap { $0.count > k ? $0[k] : nil }
                return parts.isEmpty ? nil : parts.reduce(0, +)
            }
        }
        func close(_ a: [Double?], _ b: [Double?]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { x, y in x == y || (x != nil && y != nil && abs(x! - y!) < 1e-6) }
        }

        // Biểu 01 by unit: each unit's row is its own sums; each area's subtotal the sum of its
        // units' rows in every column (all of them add up); the province the sum of all units and
        // of the subtotals.
        let byUnit = try #require(tables["tong-hop-quy-2025-Q3.xlsx"]?["Theo đơn vị"])
        let columns = ["villages.rows", "villages.rows[recognition=CN]", "villages.labourers", "villages.production_value", "projects.rows",
                       "projects.approved_budget[funding=KCQG]", "projects.approved_budget[funding=KCDP]",
                       "projects.approved_budget[funding=KHAC]", "projects.approved_budget", "projects.disbursed"]
        var current: [[Double?]] = [], allUnits: [[Double?]] = [], subtotals: [[Double?]] = [], areaOf: [String: [Double?]] = [:]
        var seen: [String] = []
        for row in byUnit.rows {
            let label = row.first ?? ""
            if label.hasPrefix("n:") {
                let code = String(row[1].dropFirst(2))
                seen.append(code)
                let values = numbers(row, from: 4)
                #expect(values == columns.map { id in Self.sum(expected[code]?[id].map { [$0] } ?? []) ?? 0 }, "\(code)")
                current.append(values)
                allUnits.append(values)
            } else if label.hasPrefix("s:Cộng khu vực ") {
                let values = numbers(row, from: 4)
                #expect(current.count > 0, "\(label): an area without units")
                #expect(close(values, add(current)), "\(label) \(values) is not the sum of its \(current.count) units \(add(current))")
                subtotals.append(values)
                areaOf[String(label.dropFirst("s:Cộng khu vực ".count))] = values
                current = []
            } else if label == "s:TỔNG CỘNG TOÀN THÀNH PHỐ" {
                let values = numbers(row, from: 4)
                #expect(close(values, add(allUnits)), "province \(values) ≠ Σ units \(add(allUnits))")
                #expect(close(values, add(subtotals)), "province \(values) ≠ Σ subtotals \(add(subtotals))")
                #expect(values == columns.map { province[$0]?["quarter"] as? Double }, "province against export")
            } else {
                #expect(current.isEmpty, "\(label): a heading before the previous area's subtotal")
                #expect(label.hasPrefix("s:") && label.dropFirst(2).allSatisfy { "IVXLC".contains($0) }, "a heading numbered I, II, …: \(row)")
            }
        }
        #expect(seen.count == 114 && Set(seen) == Set(expected.keys))
        #expect(subtotals.count == 27)
        #expect(byUnit.rows.last?.first == "s:TỔNG CỘNG TOÀN THÀNH PHỐ")
        // …and the subtotal is the export's area.
        for g in groups {
            let name = g["name"] as! String
            let figures = g["figures"] as! [String: [String: Any]]
            #expect(areaOf[name] == columns.map { figures[$0]?["quarter"] as? Double }, "subtotal of \(name) against export")
        }

        // Biểu 01 by area: each area's additive columns are its subtotal's; the total their sum.
        let byArea = try #require(tables["tong-hop-quy-2025-Q3.xlsx"]?["Theo khu vực"])
        #expect(byArea.rows.count == 28)
        // (column in Theo khu vực, column in Theo đơn vị): villages, labourers, production, approved
        // budget, and the disbursement to date, which in the year's first quarter with data is the quarter's.
        let additive: [(Int, Int)] = [(0, 0), (1, 2), (2, 3), (7, 8), (8, 9)]
        var areaRows: [[Double?]] = []
        for row in byArea.rows.dropLast() {
            let name = String(row[1].dropFirst(2))
            let values = numbers(row, from: 4)
            areaRows.append(values)
            for (a, u) in additive { #expect(values[a] == areaOf[name]?[u], "\(name) column \(a + 1)") }
            #expect(values[5] == values[2], "\(name): year to date is this quarter, the first with data")
        }
        #expect(close(numbers(byArea.rows.last!, from: 4).enumerated().map { k, v in additive.contains { $0.0 == k } ? v : nil },
                      add(areaRows).enumerated().map { k, v in additive.contains { $0.0 == k } ? v : nil }), "areas add up to the province")

        // Biểu 04 by area: the counts add up to the province's.
        let perArea = try #require(tables["tinh-hinh-nop-bao-cao-2025-Q3.xlsx"]?["Theo khu vực"])
        #expect(perArea.rows.count == 28)
        let counts = perArea.rows.dropLast().map { numbers($0, from: 2, count: 5) }
        #expect(add(counts) == numbers(perArea.rows.last!, from: 2, count: 5))
        #expect(numbers(perArea.rows.last!, from: 2, count: 5) == [114, 0, 114, 0, 0])

        // No chart has more than 30 categories: the category ranges in the chart XML itself.
        let charts = try json(try Binary.python("read_charts.py", [folder]).stdout) as! [String: [String: [[String: Any]]]]
        var drawn = 0
        for (file, sheets) in charts {
            for (sheet, list) in sheets {
                for chart in list {
                    drawn += 1
                    let n = chart["categories"] as? Int
                    #expect(n != nil && n! <= 30, "\(file) / \(sheet): \(n.map(String.init) ?? "no category range") categories \(chart["refs"] ?? "")")
                    #expect((chart["cached"] as? Int).map { $0 <= 30 } ?? true, "\(file) / \(sheet): cached points \(chart)")
                }
            }
        }
        #expect(drawn >= 3)
        #expect(charts["tong-hop-quy-2025-Q3.xlsx"]?["Theo khu vực"]?.first?["categories"] as? Int == 27, "the areas chart draws the 27 areas")
        #expect(charts["tong-hop-quy-2025-Q3.xlsx"]?["Theo đơn vị"]?.isEmpty == true, "no chart of 114 bars")

        // Every figure the form collects appears in some report: under the header (or label) the
        // report definition gives it, in a published sheet, with the export's value in its total.
        let coverage = try Binary.python("report_coverage.py", [dir + "/schema.json", dir + "/site", folder])
        #expect(coverage.status == 0, "\(coverage.stderr)")
        let places = try json(coverage.stdout) as! [String: [[String: Any]]]
        #expect(places.count >= 25, "\(places.keys.sorted())")
        let measures = ["quarter": "quarter", "ytd": "ytd", "same_quarter_last_year": "same_quarter_last_year", "rows": "quarter"]
        for (id, list) in places {
            let shown = list.filter { $0["found"] as? Bool == true }
            #expect(!shown.isEmpty, "\(id) appears in no report: \(list)")
            for place in shown {
                guard let key = measures[place["measure"] as! String] else { continue }
                let source = (place["alias"] as? String) ?? id
                let want = province[source]?[key] as? Double
                for value in place["values"] as! [Any] where !(value is NSNull) {
                    let got = value as? Double
                    #expect(got != nil && want != nil && abs(got! - want!) < 1e-9 * max(1, abs(want!)),
                            "\(id) in \(place["file"] ?? "") / \(place["sheet"] ?? "") under \"\(place["text"] ?? "")\": \(String(describing: got)) ≠ \(String(describing: want))")
                }
            }
        }
    }
}
