// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing

/// The outlier checks on every figure of the form, through the real daemon and `validate
/// --config` (issue 25): a village's enterprises, a project's disbursed amount, an indicator row
/// and a count fallen to zero, each named on its cell in both languages with the value meant; the
/// same slips a second quarter running warned again; a unit sending first in its quarter judged
/// against last quarter's units; a village whose code was retyped judged against its history.
@Suite("Outliers on every figure", .serialized, .tags(.endToEnd))
struct OutlierFormTests {
    /// The site, and the steps each case takes on it.
    struct Office {
        let site: TestSite
        var made = 0
        var root: String { site.root }

        init() throws { site = try TestSite.demo() }

        /// A form of `unit` for `period` filled from `seed` (the same seed, the same figures every
        /// quarter), with fill_form.py's `options` (the slips).
        mutating func form(_ unit: String, _ period: String, seed: Int, _ options: [String] = []) throws -> (path: String, expected: [String: Any]) {
            made += 1
            let out = site.dir + "/bao-cao-\(unit)-\(period)-\(made).xlsx"
            return (out, try site.fill(unit: unit, period: period, seed: seed, to: out, options: options))
        }

        func drop(_ path: String) throws {
            try FileManager.default.moveItem(atPath: path, toPath: root + "/var/inbox/" + (path as NSString).lastPathComponent)
        }

        func serve() throws { #expect(try Binary.run(["serve", "--once", "--config", site.config]).status == 0) }

        /// The outlier findings `validate --config --json` gives for a file, as (rule, cell, vi, en).
        func outliers(_ path: String) throws -> [[String]] {
            let run = try Binary.run(["validate", path, "--json", "--config", site.config])
            let doc = try json(run.stdout) as? [String: Any]
            let findings = ((doc?["files"] as? [[String: Any]])?.first?["findings"] as? [[String: Any]]) ?? []
            return findings.map { f in
                let m = f["message"] as? [String: String] ?? [:]
                return [f["rule"] as? String ?? "", f["cell"] as? String ?? "", m["vi"] ?? "", m["en"] ?? ""]
            }.filter { $0[0].hasPrefix("outlier.") }
        }

        /// The text answer the daemon wrote last for `unit`.
        func answer(_ unit: String) throws -> String {
            let folder = root + "/var/feedback/" + unit
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }.sorted().last)
            return try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        }
    }

    /// Four slips in one file: a village's enterprises ×10, a project's disbursed amount typed in
    /// billions (÷1,000), the trainees ×100, a village's labourers fallen to 0.
    static let slips = ["--times", "villages.enterprises", "auto", "10", "--times", "projects.disbursed", "auto", "0.001",
                        "--times", "indicators.trainees", "-", "100", "--times", "villages.labourers", "1", "0"]

    /// Each slip's finding: on its cell, in both languages, with the value meant.
    func expectNamed(_ found: [[String]], cells: [String], values: [Any]) {
        func cell(_ i: Int) -> [String]? { found.first { $0[1] == cells[i] } }
        #expect(cell(0)?[2].contains("Số doanh nghiệp") == true && cell(0)?[3].contains("one zero too many? If so: ") == true, "\(found)")
        if let v = values[0] as? Int { #expect(cell(0)?[2].hasSuffix("Nếu vậy: \(v / 10) DN.") == true, "\(String(describing: cell(0)))") }
        #expect(cell(1)?[2].contains("có thể đã nhập theo tỷ đồng? Nếu vậy: ") == true
                && cell(1)?[3].contains("entered in billion đồng? If so: ") == true, "\(found)")
        #expect(cell(2)?[2].contains("Số người được đào tạo, tập huấn") == true && cell(2)?[2].contains("có thể thừa 2 chữ số 0?") == true
                && cell(2)?[3].contains("2 zeros too many? If so: ") == true, "\(found)")
        #expect(cell(3)?[0] == "outlier.zero" && cell(3)?[2].contains("= 0, giảm về 0 từ ") == true
                && cell(3)?[3].contains("fallen to 0 from ") == true, "\(found)")
    }

    @Test func everyFigureIsJudgedAndASlipRepeatedIsWarnedAgain() throws {
        var office = try Office()
        // Three quarters of history for 10525 and 10570, and six units in 2026-Q3.
        for period in ["2025-Q4", "2026-Q1", "2026-Q2"] {
            try office.drop(try office.form("10525", period, seed: 44).path)
            try office.drop(try office.form("10570", period, seed: 45).path)
        }
        for (i, unit) in ["10546", "10549", "10552", "10573", "10603", "10606"].enumerated() { try office.drop(try office.form(unit, "2026-Q3", seed: 50 + i).path) }
        try office.serve()

        let q3 = try office.form("10525", "2026-Q3", seed: 44, Self.slips)
        let cells = try #require(q3.expected["times_cells"] as? [String]), values = q3.expected["times_values"] as? [Any] ?? []
        let found = try office.outliers(q3.path)
        expectNamed(found, cells: cells, values: values)
        // The daemon says the same, and accepts the file (warnings).
        try office.drop(q3.path)
        try office.serve()
        let text = try office.answer("10525")
        for f in found { #expect(text.contains(f[2]) && text.contains(f[3]), "the daemon did not say: \(f)") }

        // The same slips a second quarter running: the first is now history, and warned again.
        let q4 = try office.form("10525", "2026-Q4", seed: 44, Self.slips)
        expectNamed(try office.outliers(q4.path), cells: cells, values: values)

        // 10546 sends first in 2026-Q4 with one quarter of its own: last quarter's units judge it.
        let first = try office.form("10546", "2026-Q4", seed: 50, ["--times", "villages.production_value", "0", "1000"])
        let byPeers = try office.outliers(first.path)
        #expect(byPeers.contains { $0[1] == first.expected["times_cell"] as? String && $0[2].contains("giá trị sản xuất trên một lao động") },
                "\(byPeers)")

        // 10570 retypes a village's code and its export value ×1,000: judged against the village's history.
        let retyped = try office.form("10570", "2026-Q3", seed: 45, ["--times", "villages.export_value", "0", "1000", "--set", "villages.code", "0", "LN-MOI"])
        let named = try office.outliers(retyped.path)
        let hit = try #require(named.first { $0[1] == retyped.expected["times_cell"] as? String }, "\(named)")
        #expect(hit[0] == "outlier.magnitude" && hit[2].contains("LN-MOI, các quý trước ghi mã LN45-00") && hit[3].contains("LN45-00 in earlier quarters"),
                "\(hit)")
        try office.drop(retyped.path)
        try office.serve()
        #expect(try office.answer("10570").contains(hit[2]))
    }
}
