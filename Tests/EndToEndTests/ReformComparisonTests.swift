// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing

/// Comparisons across the 2025 reform, end to end: a small province whose three old districts
/// reported until 2025-Q2 and whose six communes (two per area) report since 2025-Q3, every form
/// filled by openpyxl and taken in by the real daemon; `export` then compared with a direct
/// computation from the forms' own sums at unit, area and province level.
@Suite("Comparisons across the 2025 reform", .serialized, .tags(.endToEnd))
struct ReformComparisonTests {
    static let areas = ["Kinh Môn": ("HD-KMO", ["31001", "31002"]), "Chí Linh": ("HD-CLI", ["31011", "31012"]),
                        "Thanh Hà": ("HD-THA", ["31021", "31022"])]
    static let units = """
        units:
          - {code: "31001", name: "Phường Kinh Môn", group: "Kinh Môn", from: 2025-Q3}
          - {code: "31002", name: "Phường Nhị Chiểu", group: "Kinh Môn", from: 2025-Q3}
          - {code: "31011", name: "Phường Chí Linh", group: "Chí Linh", from: 2025-Q3}
          - {code: "31012", name: "Phường Chu Văn An", group: "Chí Linh", from: 2025-Q3}
          - {code: "31021", name: "Xã Thanh Hà", group: "Thanh Hà", from: 2025-Q3}
          - {code: "31022", name: "Xã Hà Tây", group: "Thanh Hà", from: 2025-Q3}
          - {code: "HD-KMO", name: "Thị xã Kinh Môn", group: "Kinh Môn", until: 2025-Q2}
          - {code: "HD-CLI", name: "Thành phố Chí Linh", group: "Chí Linh", until: 2025-Q2}
          - {code: "HD-THA", name: "Huyện Thanh Hà", group: "Thanh Hà", until: 2025-Q2}
        successions:
          - {from: "HD-KMO", area: "Kinh Môn"}
          - {from: "HD-CLI", area: "Chí Linh"}
          - {from: "HD-THA", area: "Thanh Hà"}

        """

    /// The province, its forms for 2025-Q1…Q2 (old districts) and 2025-Q3, 2026-Q1…Q3 (communes)
    /// taken in; returns the folder, the configuration and each period's expected sums by unit.
    func province() throws -> (dir: String, config: String, expected: [String: [String: [String: String]]]) {
        // Not the demo: the province's units are this suite's own.
        let site = try TestSite.make(demo: false, [.settleSeconds(0)])
        let dir = site.dir, config = site.config
        try site.editConfiguration { text in
            var text = text
            let start = try #require(text.range(of: "\nunits:\n")), end = try #require(text.range(of: "\nreporting:"))
            text.replaceSubrange(start.upperBound..<end.lowerBound, with: Self.units.replacingOccurrences(of: "units:\n", with: ""))
            return text
        }

        var blanks: [String] = []
        for period in ["2025-Q1", "2025-Q2", "2025-Q3", "2026-Q1", "2026-Q2", "2026-Q3"] {
            let out = dir + "/blanks-" + period
            let made = try Binary.run(["template", "--all", "--period", period, "--config", config, "--out", out])
            #expect(made.status == 0, "\(period): \(made.stderr)")
            // Before the reform the districts report, after it the communes: `template --all` knows.
            let forms = try FileManager.default.contentsOfDirectory(atPath: out)
            #expect(forms.count == (period < "2025-Q3" ? 3 : 6), "\(period): \(forms.sorted())")
            blanks.append(out)
        }
        let filled = try Binary.python("fill_forms.py", [dir + "/schema.json", dir + "/site/var/inbox", dir + "/expected.json", "2025"] + blanks)
        #expect(filled.status == 0, "openpyxl could not fill the forms: \(filled.stderr)")
        let serve = try Binary.run(["serve", "--config", config, "--once"])
        #expect(serve.status == 0, "\(serve.stderr)")
        #expect(serve.stderr.components(separatedBy: "\n").filter { $0.hasPrefix("<6>accepted") }.count == 3 * 2 + 6 * 4, "\(serve.stderr)")
        let expected = try json(String(contentsOfFile: dir + "/expected.json", encoding: .utf8)) as! [String: [String: [String: String]]]
        return (dir, config, expected)
    }

    /// The export of a period, by scope: units by code, areas by name, and the province.
    struct Export {
        var units: [String: [String: [String: Any]]]
        var areas: [String: [String: [String: Any]]]
        var province: [String: [String: Any]]
    }

    func export(_ period: String, _ config: String) throws -> Export {
        let r = try Binary.run(["export", "--period", period, "--config", config])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try json(r.stdout) as! [String: Any]
        return Export(
            units: Dictionary(uniqueKeysWithValues: (doc["units"] as! [[String: Any]]).map { ($0["code"] as! String, $0["figures"] as! [String: [String: Any]]) }),
            areas: Dictionary(uniqueKeysWithValues: (doc["groups"] as! [[String: Any]]).map { ($0["name"] as! String, $0["figures"] as! [String: [String: Any]]) }),
            province: (doc["province"] as! [String: Any])["figures"] as! [String: [String: Any]])
    }

    /// The direct computation: a flow's sum over the given (period, units), from the forms' sums.
    static func flow(_ expected: [String: [String: [String: String]]], _ id: String, _ parts: [(String, [String])]) -> Double? {
        var found = false
        var total = Decimal(0)
        for (period, codes) in parts {
            for code in codes {
                guard let v = expected[period]?[code]?[id] else { continue }
                found = true
                total += Decimal(string: v)!
            }
        }
        return found ? Double("\(total)") : nil
    }

    /// A change in percent as `export` gives it: to 0.01.
    static func change(_ now: Double?, _ before: Double?) -> Double? {
        guard let now, let before, before != 0 else { return nil }
        return (((now - before) / before * 100) * 100).rounded() / 100
    }

    static let pv = "villages.production_value"   // a flow: it adds up over the year
    static let labourers = "villages.labourers"   // a stock: the latest quarter stands for the year

    @Test func areasAndTheProvinceCompareExactlyAcrossTheReformAndCommunesOnlyWithThemselves() throws {
        let (_, config, expected) = try province()
        let all = Self.areas.values.flatMap { $0.1 }, districts = Self.areas.values.map { $0.0 }
        func flow(_ id: String, _ parts: [(String, [String])]) -> Double? { Self.flow(expected, id, parts) }

        // 2026-Q3: the same quarter last year is the communes' first; the year to date last year
        // runs through the reform (the old district's 2025-Q1 and Q2, then its communes' Q3).
        let q3 = try export("2026-Q3", config)
        for (area, (district, communes)) in Self.areas {
            let f = try #require(q3.areas[area]?[Self.pv], "\(area)")
            let quarter = flow(Self.pv, [("2026-Q3", communes)])
            let ytd = flow(Self.pv, [("2026-Q1", communes), ("2026-Q2", communes), ("2026-Q3", communes)])
            let sameLastYear = flow(Self.pv, [("2025-Q3", communes)])
            let ytdLastYear = flow(Self.pv, [("2025-Q1", [district]), ("2025-Q2", [district]), ("2025-Q3", communes)])
            #expect(quarter != nil && ytd != nil && sameLastYear != nil && ytdLastYear != nil, "\(area): the forms' sums are there to compare with")
            #expect(f["quarter"] as? Double == quarter, "\(area) quarter")
            #expect(f["ytd"] as? Double == ytd, "\(area) ytd")
            #expect(f["same_quarter_last_year"] as? Double == sameLastYear, "\(area) same quarter last year")
            #expect(f["ytd_last_year"] as? Double == ytdLastYear, "\(area) ytd last year: \(String(describing: f["ytd_last_year"])) ≠ \(String(describing: ytdLastYear))")
            #expect(f["change_pct"] as? Double == Self.change(quarter, sameLastYear), "\(area) change")
            #expect(f["ytd_change_pct"] as? Double == Self.change(ytd, ytdLastYear), "\(area) ytd change")
            // A stock's year to date last year is its latest quarter: the communes' 2025-Q3.
            #expect(q3.areas[area]?[Self.labourers]?["ytd_last_year"] as? Double == flow(Self.labourers, [("2025-Q3", communes)]), "\(area) labourers")
        }
        let p = try #require(q3.province[Self.pv])
        let ytdLastYear = flow(Self.pv, [("2025-Q1", districts), ("2025-Q2", districts), ("2025-Q3", all)])
        #expect(p["ytd_last_year"] as? Double == ytdLastYear, "province ytd last year")
        #expect(p["same_quarter_last_year"] as? Double == flow(Self.pv, [("2025-Q3", all)]), "province same quarter last year")
        #expect(p["ytd_change_pct"] as? Double == Self.change(flow(Self.pv, [("2026-Q1", all), ("2026-Q2", all), ("2026-Q3", all)]), ytdLastYear))
        // A commune has its own last year from 2025-Q3 on: compared with itself, no reason given.
        for code in all {
            let f = try #require(q3.units[code]?[Self.pv])
            let quarter = flow(Self.pv, [("2026-Q3", [code])]), sameLastYear = flow(Self.pv, [("2025-Q3", [code])])
            #expect(f["quarter"] as? Double == quarter, "\(code)")
            #expect(f["same_quarter_last_year"] as? Double == sameLastYear, "\(code) same quarter last year")
            #expect(f["change_pct"] as? Double == Self.change(quarter, sameLastYear), "\(code) change")
            #expect((f["reasons"] as? [String: String])?["change_pct"] == nil, "\(code): \(String(describing: f["reasons"]))")
        }
        // The old districts are not units of 2026: they are listed nowhere but in their areas' history.
        #expect(Set(q3.units.keys) == Set(all))
        #expect(Set(q3.areas.keys) == Set(Self.areas.keys))

        // 2026-Q2: the same quarter last year is the old districts'. Their areas compare exactly;
        // a commune, new since 2025-Q3, has no such figure of its own: empty, with the reason.
        let q2 = try export("2026-Q2", config)
        for (area, (district, communes)) in Self.areas {
            let f = try #require(q2.areas[area]?[Self.pv])
            let quarter = flow(Self.pv, [("2026-Q2", communes)]), sameLastYear = flow(Self.pv, [("2025-Q2", [district])])
            let ytd = flow(Self.pv, [("2026-Q1", communes), ("2026-Q2", communes)])
            let ytdLastYear = flow(Self.pv, [("2025-Q1", [district]), ("2025-Q2", [district])])
            #expect(quarter != nil && ytd != nil && sameLastYear != nil && ytdLastYear != nil, "\(area): the forms' sums are there to compare with")
            #expect(f["same_quarter_last_year"] as? Double == sameLastYear, "\(area) same quarter last year")
            #expect(f["ytd_last_year"] as? Double == ytdLastYear, "\(area) ytd last year")
            #expect(f["change_pct"] as? Double == Self.change(quarter, sameLastYear), "\(area) change")
            #expect(f["ytd_change_pct"] as? Double == Self.change(ytd, ytdLastYear), "\(area) ytd change")
            #expect((f["reasons"] as? [String: String])?["change_pct"] == nil, "\(area): \(String(describing: f["reasons"]))")
            for code in communes {
                let u = try #require(q2.units[code]?[Self.pv])
                #expect(u["quarter"] as? Double == flow(Self.pv, [("2026-Q2", [code])]), "\(code)")
                #expect(u["same_quarter_last_year"] is NSNull, "\(code): \(String(describing: u["same_quarter_last_year"]))")
                #expect(u["ytd_last_year"] is NSNull, "\(code)")
                #expect(u["change_pct"] is NSNull && u["ytd_change_pct"] is NSNull, "\(code)")
                let reasons = u["reasons"] as? [String: String] ?? [:]
                for key in ["change_pct", "ytd_change_pct"] {
                    #expect(reasons[key]?.contains("new unit since 2025-Q3") == true, "\(code) \(key): \(String(describing: reasons[key]))")
                    #expect(reasons[key]?.contains("area") == true, "\(code) \(key): points to the area's comparison")
                }
            }
        }
        let p2 = try #require(q2.province[Self.pv])
        #expect(p2["same_quarter_last_year"] as? Double == flow(Self.pv, [("2025-Q2", districts)]))
        #expect(p2["change_pct"] as? Double == Self.change(flow(Self.pv, [("2026-Q2", all)]), flow(Self.pv, [("2025-Q2", districts)])))

        // Biểu 01 by area shows the same: this quarter and the same quarter last year per area.
        let out = try temporaryFolder("reform-reports")
        #expect(try Binary.run(["report", "--period", "2026-Q2", "--config", config, "--out", out]).status == 0)
        let sheet = ReportTables(try #require(try ReportTables.read(out + "/2026-Q2/tong-hop-quy-2026-Q2.xlsx")["Theo khu vực"]))
        #expect(sheet.rows.count == Self.areas.count + 1)
        #expect(sheet.rows.last?.first == "s:TỔNG CỘNG TOÀN TỈNH")
        #expect(ReportTables.number(sheet.rows.last!.count > 7 ? sheet.rows.last![7] : "") == flow(Self.pv, [("2025-Q2", districts)]), "province same quarter last year")
        for row in sheet.rows.dropLast() {
            let area = String(row[1].dropFirst(2))
            let (district, communes) = try #require(Self.areas[area], "\(row)")
            #expect(ReportTables.number(row[6]) == flow(Self.pv, [("2026-Q2", communes)]), "\(area) quarter")
            #expect(ReportTables.number(row[7]) == flow(Self.pv, [("2025-Q2", [district])]), "\(area) same quarter last year")
        }
    }

    /// A commune formed on 1 July 2025 has no year to date of its own for 2025 before its first
    /// quarter: in 2026-Q3 its year to date (Q1–Q3) would be compared with 2025-Q3 alone. The
    /// comparison must stay empty with the new unit's reason, as the issue asks ("never a made-up
    /// split"); its area compares the whole year exactly.
    @Test func aNewCommunesYearToDateIsNotComparedWithItsFirstQuarterAlone() throws {
        let (_, config, _) = try province()
        let q3 = try export("2026-Q3", config)
        for code in Self.areas.values.flatMap({ $0.1 }) {
            let f = try #require(q3.units[code]?[Self.pv])
            #expect(f["ytd_change_pct"] is NSNull,
                    "\(code): 2026-Q1…Q3 (\(String(describing: f["ytd"]))) compared with 2025-Q3 alone (\(String(describing: f["ytd_last_year"]))): \(String(describing: f["ytd_change_pct"]))")
            #expect((f["reasons"] as? [String: String])?["ytd_change_pct"]?.contains("new unit") == true, "\(code): \(String(describing: f["reasons"]))")
        }
    }
}
