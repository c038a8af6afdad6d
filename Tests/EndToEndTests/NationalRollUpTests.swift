// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing

/// Three provinces, each with its communes' forms filled by openpyxl, approve two quarters; the
/// ministry's site takes their files. What the ministry then holds for each province is what the
/// province holds for itself, and the nation's totals are the sums of every commune file, added
/// up here from what the filler wrote, not from anything ruralstat computed.
@Suite("Three provinces' quarters at the ministry", .serialized, .tags(.endToEnd))
struct NationalRollUpTests {
    /// A province of the test: its official code and name, and its communes (made-up codes).
    struct Province {
        let code: String
        let name: String
        let site: TestSite
        var communes: [String] { (1...4).map { code + String(format: "%03d", $0) } }
    }

    static let periods = ["2026-Q1", "2026-Q2"]

    /// A province's site as its admin sets it up: `init`, then its code, name and communes in two areas.
    static func province(_ code: String, _ name: String) throws -> Province {
        let site = try TestSite.make(demo: false, [.settleSeconds(0)], name: "province\(code)")
        let province = Province(code: code, name: name, site: site)
        try site.editConfiguration { text in
            let units = province.communes.enumerated().map { i, unit in
                "  - {code: \"\(unit)\", name: \"Xã Thử \(unit)\", group: \"Khu vực \(i / 2 + 1)\"}"
            }
            var lines: [String] = []
            for line in text.components(separatedBy: "\n") where !line.contains("{code: \"U0") {
                if line == "  name: \"Tỉnh …\"" {
                    lines += ["  code: \"\(code)\"", "  name: \"\(name)\""]
                } else {
                    lines.append(line)
                }
                if line == "units:" { lines += units }
            }
            guard lines.contains("  code: \"\(code)\"") else { throw SetupFailure(step: "setting the province", output: text) }
            return lines.joined(separator: "\n")
        }
        return province
    }

    /// What a filled form put into each figure (`fill_form.py`'s report: export names → sums).
    static func filled(_ report: [String: Any]) -> [String: Double] {
        report.reduce(into: [:]) { out, entry in
            if let text = entry.value as? String, let value = Double(text) { out[entry.key] = value }
        }
    }

    /// Every comparison the ministry can make of a figure from the provinces' files alone (the
    /// plans are the province's own): figure id → comparison → value (nil stays nil).
    static func comparisons(_ export: Any, unit: String? = nil) -> [String: Double?] {
        let doc = export as? [String: Any] ?? [:]
        let scope = unit.map { code in (doc["units"] as? [[String: Any]])?.first { $0["code"] as? String == code } }
            ?? doc["province"] as? [String: Any]
        var out: [String: Double?] = [:]
        for (id, values) in scope?["figures"] as? [String: Any] ?? [:] {
            let values = values as? [String: Any] ?? [:]
            for key in ["quarter", "ytd", "same_quarter_last_year", "ytd_last_year", "change_pct", "ytd_change_pct"] {
                out["\(id) \(key)"] = values[key] as? Double
            }
        }
        return out
    }

    /// The entries of `expected` that `actual` does not give the same, to the millionth.
    static func differences(_ expected: [String: Double?], _ actual: [String: Double?]) -> [String] {
        expected.keys.sorted().compactMap { key in
            let want = expected[key] ?? nil, got = actual[key] ?? nil
            switch (want, got) {
            case (nil, nil): return nil
            case let (w?, g?) where (w * 1_000_000).rounded() == (g * 1_000_000).rounded(): return nil
            default: return "\(key): \(want.map { "\($0)" } ?? "none") expected, \(got.map { "\($0)" } ?? "none")"
            }
        }
    }

    static func export(_ period: String, _ config: String) throws -> Any {
        let run = try Binary.run(["export", "--period", period, "--config", config])
        guard run.status == 0 else { throw SetupFailure(step: "export \(period)", output: run.stderr) }
        return try json(run.stdout)
    }

    /// Approves `period` at `province`; the approved file's path.
    static func approve(_ period: String, _ province: Province) throws -> String {
        let run = try Binary.run(["period", "approve", period, "--by", "Nguyễn Văn Duyệt", "--config", province.site.config])
        guard run.status == 0, let path = run.stdout.split(separator: "\n").last.map(String.init) else {
            throw SetupFailure(step: "period approve \(period) at \(province.code)", output: run.stderr)
        }
        return path
    }

    /// The figures of the form that are a mean over units (`aggregate: mean`), from the schema.
    static func meanFigures(config: String) throws -> Set<String> {
        let schema = try json(Binary.run(["schema", "--json", "--config", config]).stdout) as? [String: Any]
        var out: Set<String> = []
        for sheet in schema?["sheets"] as? [[String: Any]] ?? [] {
            for field in (sheet["rows"] ?? sheet["columns"]) as? [[String: Any]] ?? [] where field["aggregate"] as? String == "mean" {
                out.insert("\(sheet["id"] as? String ?? "").\(field["id"] as? String ?? "")")
            }
        }
        return out
    }

    /// The nation's quarter from the commune files as filled (province → its communes' figures):
    /// each sum the sum over every commune; each mean the provinces' means averaged, as each
    /// level of the form takes a mean of the units below it.
    static func nation(_ files: [String: [[String: Double]]], means: Set<String>) -> [String: Double?] {
        var sums: [String: Double] = [:], provinceMeans: [String: [Double]] = [:]
        for communes in files.values {
            var provinceSums: [String: [Double]] = [:]
            for figures in communes {
                for (id, value) in figures { provinceSums[id, default: []].append(value) }
            }
            for (id, values) in provinceSums {
                if means.contains(id) {
                    provinceMeans[id, default: []].append(values.reduce(0, +) / Double(values.count))
                } else {
                    sums[id, default: 0] += values.reduce(0, +)
                }
            }
        }
        for (id, values) in provinceMeans { sums[id] = values.reduce(0, +) / Double(values.count) }
        return sums.reduce(into: [:]) { $0["\($1.key) quarter"] = $1.value }
    }

    @Test func theNationsFiguresAreTheSumsOfEveryCommuneFile() throws {
        let provinces = try [("01", "Thành phố Hà Nội"), ("46", "Thành phố Huế"), ("79", "Thành phố Hồ Chí Minh")].map(Self.province)
        let means = try Self.meanFigures(config: provinces[0].site.config)
        #expect(means == ["indicators.cluster_occupancy"], "the form's means: \(means)")
        // What each commune's file put in: period → province → each commune's figures, in commune order.
        var files: [String: [String: [[String: Double]]]] = [:]
        for (p, province) in provinces.enumerated() {
            for (q, period) in Self.periods.enumerated() {
                for (c, unit) in province.communes.enumerated() {
                    let report = try province.site.fill(unit: unit, period: period, seed: 1000 * (p + 1) + 100 * q + c,
                                                        to: province.site.inbox + "/\(unit)-\(period).xlsx")
                    files[period, default: [:]][province.code, default: []].append(Self.filled(report))
                }
            }
            let served = try Binary.run(["serve", "--once", "--config", province.site.config])
            #expect(served.status == 0, "\(province.code): \(served.stderr)")
        }

        // The ministry's site, each province dropping into its own folder.
        let dir = try temporaryFolder("ministry")
        let ministry = try ApprovalTests.ministrySite(dir)
        let inbox = dir + "/bo/var/inbox"
        try String(contentsOfFile: ministry, encoding: .utf8).replacingOccurrences(of: "unit_folders: false", with: "unit_folders: true")
            .write(toFile: ministry, atomically: true, encoding: .utf8)
        for province in provinces {
            try FileManager.default.createDirectory(atPath: inbox + "/" + province.code, withIntermediateDirectories: true)
            for period in Self.periods {
                let path = try Self.approve(period, province)
                try FileManager.default.copyItem(atPath: path, toPath: inbox + "/\(province.code)/" + (path as NSString).lastPathComponent)
            }
        }
        let served = try Binary.run(["serve", "--once", "--config", ministry])
        #expect(served.status == 0, "\(served.stderr)")

        for period in Self.periods {
            let national = try Self.export(period, ministry)
            // Each province as the ministry holds it: every comparison, as the province makes it.
            for province in provinces {
                let own = Self.comparisons(try Self.export(period, province.site.config))
                let above = Self.comparisons(national, unit: province.code)
                let differences = Self.differences(own, above)
                #expect(differences.isEmpty, "\(province.code) \(period): \(differences.prefix(8))")
            }
            // The nation's quarter, from every commune file as filled.
            let expected = Self.nation(files[period] ?? [:], means: means)
            #expect((expected["villages.rows quarter"] ?? 0) ?? 0 > 0)
            let differences = Self.differences(expected, Self.comparisons(national))
            #expect(differences.isEmpty, "the nation's \(period): \(differences.prefix(8))")
        }

        // A commune sends its 2026-Q2 again after the approval: held and flagged at its province,
        // taken in on reopening; version 2 moves the nation by exactly that file's difference.
        let province = provinces[1], commune = 2, unit = province.communes[commune], period = "2026-Q2"
        let before = Self.comparisons(try Self.export(period, ministry))
        let report = try province.site.fill(unit: unit, period: period, seed: 7777, to: province.site.inbox + "/\(unit)-sua.xlsx")
        #expect(try Binary.run(["serve", "--once", "--config", province.site.config]).status == 0)
        let status = try json(Binary.run(["status", "--json", "--period", period, "--config", province.site.config]).stdout) as? [String: Any]
        #expect((status?["approval"] as? [String: Any])?["changed_units"] as? [String] == [unit], "\(String(describing: status?["approval"]))")
        #expect(Self.differences(before, Self.comparisons(try Self.export(period, ministry))).isEmpty, "nothing moves before the new version")
        #expect(try Binary.run(["period", "reopen", period, "--config", province.site.config]).status == 0)
        let second = try Self.approve(period, province)
        #expect(second.hasSuffix("-v2.xlsx"), "\(second)")
        try FileManager.default.copyItem(atPath: second, toPath: inbox + "/\(province.code)/" + (second as NSString).lastPathComponent)
        #expect(try Binary.run(["serve", "--once", "--config", ministry]).status == 0)
        files[period]?[province.code]?[commune] = Self.filled(report)
        let after = Self.comparisons(try Self.export(period, ministry))
        let differences = Self.differences(Self.nation(files[period] ?? [:], means: means), after)
        #expect(differences.isEmpty, "after version 2: \(differences.prefix(8))")
        #expect(Self.differences(before, after).contains { $0.hasPrefix("villages.rows quarter") || $0.hasPrefix("indicators.") },
                "the new file's figures are not the old one's")
    }

    /// A province's file gone wrong on its way: each refused with its cell in both languages,
    /// answered in the folder it was dropped in, kept in `rejected/`; the good file still counts.
    @Test func aProvinceFileGoneWrongIsRefusedWithItsCell() throws {
        let site = try TestSite.demo(.settleSeconds(0))
        let period = "2025-Q4"
        for (unit, seed) in [("10525", 21), ("10546", 22), ("10675", 23)] {
            try site.fill(unit: unit, period: period, seed: seed, to: site.inbox + "/\(unit).xlsx")
        }
        #expect(try Binary.run(["serve", "--once", "--config", site.config]).status == 0)
        let approved = try Binary.run(["period", "approve", period, "--config", site.config])
        let file = try #require(approved.stdout.split(separator: "\n").last.map(String.init), "\(approved.stderr)")

        let ministry = try ApprovalTests.ministrySite(site.dir)
        try String(contentsOfFile: ministry, encoding: .utf8).replacingOccurrences(of: "unit_folders: false", with: "unit_folders: true")
            .write(toFile: ministry, atomically: true, encoding: .utf8)
        let var_ = site.dir + "/bo/var"
        for code in ["01", "31"] { try FileManager.default.createDirectory(atPath: var_ + "/inbox/" + code, withIntermediateDirectories: true) }
        func edited(_ name: String, _ edits: [String]) throws -> String {
            let out = site.dir + "/" + name
            let run = try Binary.python("edit_cells.py", [file, out] + edits)
            guard run.status == 0 else { throw SetupFailure(step: "editing \(name)", output: run.stderr) }
            return out
        }
        // The wrong folder, a total that no longer matches its rows, a hash given twice, a unit
        // named twice; and the province's own good file.
        let cases: [(folder: String, name: String, path: String, finding: String, cell: String)] = [
            ("01", "cua-hai-phong", file, "cover.unit_mismatch", "B5"),
            ("31", "tong-sai", try edited("tong-sai.xlsx", ["Chỉ tiêu!E16=999"]), "indicators.villages_match_sheet", "E16"),
            ("31", "bam-lap", try edited("bam-lap.xlsx", ["Nguồn số liệu!E7<Nguồn số liệu!E6"]), "đã có ở ô E6", "E7"),
            ("31", "don-vi-lap", try edited("don-vi-lap.xlsx", ["Nguồn số liệu!A7<Nguồn số liệu!A6"]), "đã có ở ô A6", "A7"),
        ]
        for c in cases {
            try FileManager.default.copyItem(atPath: c.path, toPath: var_ + "/inbox/\(c.folder)/\(c.name).xlsx")
        }
        try FileManager.default.copyItem(atPath: file, toPath: var_ + "/inbox/31/31.xlsx")
        #expect(try Binary.run(["serve", "--once", "--config", ministry]).status == 0)

        let rejected = try FileManager.default.subpathsOfDirectory(atPath: var_ + "/rejected")
        for c in cases {
            let folder = var_ + "/feedback/" + c.folder
            let answers = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            guard let name = answers.first(where: { $0.hasPrefix(c.name + ".") && $0.hasSuffix(".loi.txt") }) else {
                Issue.record("\(c.name): no refusal in feedback/\(c.folder): \(answers)")
                continue
            }
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            #expect(text.contains("KẾT QUẢ: CHƯA TIẾP NHẬN") && text.contains("RESULT: REJECTED"), "\(c.name), in both languages: \(text.prefix(400))")
            #expect(text.contains(c.finding), "\(c.name): \(c.finding) in \(text)")
            #expect(text.contains("Ô \(c.cell)") && text.contains("Cell \(c.cell)"), "\(c.name): cell \(c.cell) in \(text)")
            #expect(rejected.contains { $0.hasSuffix("-\(c.name).xlsx") }, "\(c.name) kept in rejected/: \(rejected)")
        }
        // The good file counts, for Hải Phòng; the file in Hà Nội's folder is Hà Nội's refusal.
        let status = try json(Binary.run(["status", "--json", "--period", period, "--config", ministry]).stdout) as? [String: Any]
        let states = (status?["units"] as? [[String: Any]])?.reduce(into: [String: String]()) { out, unit in
            if unit["received_at"] as? String != nil { out[unit["code"] as? String ?? ""] = unit["state"] as? String }
        }
        #expect(states == ["31": "late", "01": "rejected"], "\(String(describing: states))")

        // A former province's code for a quarter after the reform: the unit did not exist then.
        let former = try edited("tinh-cu.xlsx", ["Thông tin chung!B5=TC31", "Thông tin chung!B6=Thành phố Hải Phòng (trước 1/7/2025)"])
        let checked = try Binary.run(["validate", former, "--json", "--config", ministry])
        #expect(checked.status == 1 && checked.stdout.contains("\"cover.unit_not_in_period\"") && checked.stdout.contains("\"B5\""),
                "\(checked.stdout.prefix(800))")
    }

    /// The ministry's demo (`init --national --demo`, the release binary: it stores 548 files): the
    /// 63 former provinces report until 2025-Q2 and each shows its own figures then; the 34 since,
    /// each compared with last year as the former provinces it was formed from.
    @Test func theMinistrysDemoComparesEachProvinceWithTheFormerOnes() throws {
        let dir = try temporaryFolder("national-demo")
        let made = try Binary.run(["init", dir + "/bo", "--national", "--demo"], executable: Binary.releasePath)
        #expect(made.status == 0, "\(made.stderr)")
        let config = dir + "/bo/ruralstat.yaml"
        // Store and archive agree; only the reports are still to build (the daemon does it).
        let check = try json(Binary.run(["check", "--json", "--config", config]).stdout) as? [String: Any]
        let kinds = Set((check?["problems"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String })
        #expect(kinds.isSubset(of: ["reports-stale", "report-missing"]), "\(kinds)")

        let before = try Self.export("2024-Q3", config), after = try Self.export("2025-Q3", config)
        func units(_ doc: Any) -> [String: [String: Any]] {
            ((doc as? [String: Any])?["units"] as? [[String: Any]] ?? []).reduce(into: [:]) { $0[$1["code"] as? String ?? ""] = $1["figures"] as? [String: Any] }
        }
        let former = units(before), new = units(after)
        #expect(former.count == 63 && former.keys.allSatisfy { $0.hasPrefix("TC") } && new.count == 34, "\(former.count) \(new.count)")
        // Each former province has its own figures in 2024, and so has each region.
        let establishments = { (figures: [String: Any]?) in (figures?["indicators.establishments"] as? [String: Any])?["quarter"] as? Double }
        #expect(former.values.allSatisfy { establishments($0) != nil }, "a former province without its 2024 figures")
        let regions = (before as? [String: Any])?["groups"] as? [[String: Any]] ?? []
        #expect(regions.count == 6 && regions.allSatisfy { establishments($0["figures"] as? [String: Any]) != nil }, "\(regions.map { $0["name"] ?? "" })")

        // Each new province's same quarter last year: its former provinces' quarter, summed (a
        // mean figure: their mean), for every figure.
        let text = try String(contentsOfFile: config, encoding: .utf8)
        var formedFrom: [String: [String]] = [:]
        for match in text.matches(of: /\{from: "(TC\d+)", to: "(\d+)"\}/) { formedFrom[String(match.2), default: []].append(String(match.1)) }
        #expect(formedFrom.count == 34 && formedFrom.values.map(\.count).reduce(0, +) == 63)
        let means = try Self.meanFigures(config: config)
        var wrong: [String] = []
        for (code, sources) in formedFrom {
            for (id, values) in new[code] ?? [:] {
                let parts = sources.compactMap { ((former[$0]?[id] as? [String: Any])?["quarter"] as? Double) }
                guard !parts.isEmpty else { continue }
                let expected = means.contains(id) ? parts.reduce(0, +) / Double(parts.count) : parts.reduce(0, +)
                let got = (values as? [String: Any])?["same_quarter_last_year"] as? Double
                if got.map({ abs($0 - expected) > 1e-6 }) ?? true { wrong.append("\(code) \(id): \(got.map { "\($0)" } ?? "none"), expected \(expected)") }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong, e.g. \(wrong.sorted().prefix(5))")
    }
}
