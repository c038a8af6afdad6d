// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing

/// The outlier checks through the real daemon and `validate --config`, on files openpyxl fills:
/// a production value typed in đồng against the unit's own history, the same mistake by a new
/// unit against its peers, nothing on a first file with nothing to compare with, the warning on
/// the clerk's cell in both languages and in the feedback workbook, the same findings from
/// `validate --config`, and the accepted outlier in the published quality sheet.
@Suite("Outliers at intake", .serialized, .tags(.endToEnd))
struct OutlierTests {
    @Test func aValueTypedInTheWrongUnitIsNamedWithWhatWasMeant() throws {
        let testSite = try TestSite.demo()
        let dir = testSite.dir, site = testSite.root, config = testSite.config
        var made = 0
        /// A form of `unit` for `period` filled from `seed` (the same seed gives the same figures
        /// every quarter), optionally with one village's production value multiplied.
        func form(_ unit: String, _ period: String, seed: Int, times: Double? = nil) throws -> (path: String, expected: [String: Any]) {
            made += 1
            let out = dir + "/bao-cao-\(unit)-\(period)-\(made).xlsx"
            return (out, try testSite.fill(unit: unit, period: period, seed: seed, to: out,
                                           options: times.map { ["--times", "villages.production_value", "0", "\($0)"] } ?? []))
        }
        func drop(_ path: String) throws {
            try FileManager.default.moveItem(atPath: path, toPath: site + "/var/inbox/" + (path as NSString).lastPathComponent)
        }
        func serve() throws { #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0) }
        /// The findings `validate --config --json` gives for a file, as (rule, cell, vi, en).
        func validate(_ path: String) throws -> [[String]] {
            let run = try Binary.run(["validate", path, "--json", "--config", config])
            let doc = try json(run.stdout) as? [String: Any]
            let findings = ((doc?["files"] as? [[String: Any]])?.first?["findings"] as? [[String: Any]]) ?? []
            return findings.map { f in
                let m = f["message"] as? [String: String] ?? [:]
                return [f["rule"] as? String ?? "", f["cell"] as? String ?? "", m["vi"] ?? "", m["en"] ?? ""]
            }
        }
        /// The text answer the daemon wrote last for `unit`.
        func answer(_ unit: String) throws -> String {
            let folder = site + "/var/feedback/" + unit
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }.sorted().last)
            return try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        }

        // A first file, and nothing to compare it with: a value a thousand times too big passes unremarked.
        let first = try form("10675", "2025-Q4", seed: 70, times: 1_000)
        #expect(try validate(first.path).filter { $0[0].hasPrefix("outlier.") }.isEmpty)

        // Three quarters of 10525's history, and six peers in 2026-Q3.
        for period in ["2025-Q4", "2026-Q1", "2026-Q2"] { try drop(try form("10525", period, seed: 41).path) }
        for (i, unit) in ["10546", "10549", "10552", "10570", "10573", "10603"].enumerated() { try drop(try form(unit, "2026-Q3", seed: 50 + i).path) }
        try serve()

        // 10525 types one village's production value in thousand đồng: ×1,000 its own history
        // (in đồng, ×1,000,000, it would pass the form's upper bound and be refused outright).
        let wrong = try form("10525", "2026-Q3", seed: 41, times: 1_000)
        let cell = try #require(wrong.expected["times_cell"] as? String)
        let checked = try validate(wrong.path)
        let outlier = try #require(checked.first { $0[0] == "outlier.magnitude" }, "\(checked)")
        #expect(outlier[1] == cell)
        #expect(outlier[2].hasPrefix("Ô \(cell): Giá trị sản xuất trong quý (Mã làng nghề LN41-00) = "), "\(outlier[2])")
        #expect(outlier[2].contains("gấp khoảng 1.000 lần các quý trước của đơn vị") && outlier[2].contains("có thể đã nhập theo nghìn đồng? Nếu vậy: "),
                "\(outlier[2])")
        #expect(outlier[3].contains("entered in thousand đồng? If so: "), "\(outlier[3])")
        // What was meant: the value a thousandth as big, in the Vietnamese way of writing it.
        let meant = try #require(wrong.expected["times_value"] as? Double) / 1_000
        #expect(outlier[2].hasSuffix("Nếu vậy: \(vietnamese(meant)) triệu đồng."), "\(outlier[2]) / \(meant)")

        // The daemon: accepted with the warning (severity warning by default), the same findings.
        try drop(wrong.path)
        try serve()
        let text = try answer("10525")
        #expect(text.contains(outlier[2]) && text.contains(outlier[3]), "\(text)")
        // The same findings, every one of them, from validate --config and from the daemon.
        for finding in checked { #expect(text.contains(finding[2]), "validate found what the daemon did not: \(finding)") }
        #expect(text.components(separatedBy: "\n").filter { $0.contains("(outlier.") }.count == 2 * checked.filter { $0[0].hasPrefix("outlier.") }.count,
                "\(text)")
        let folder = site + "/var/feedback/10525"
        let workbook = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".xlsx") }.sorted().last)
        let marked = try json(try Binary.python("read_feedback.py", [folder + "/" + workbook]).stdout) as? [String: Any]
        let comments = (marked?["comments"] as? [String: [String: String]])?["Làng nghề"] ?? [:]
        #expect(comments[cell]?.contains("có thể đã nhập theo nghìn đồng?") == true, "\(comments)")
        #expect(try Binary.run(["status", "--config", config]).status == 0)

        // A new unit (no history at all) making the same mistake: its peers' production per labourer names it.
        let newcomer = try form("10606", "2026-Q3", seed: 60, times: 1_000)
        let byPeers = try validate(newcomer.path)
        let peerHit = try #require(byPeers.first { $0[0].hasPrefix("outlier.") }, "\(byPeers)")
        #expect(peerHit[1] == newcomer.expected["times_cell"] as? String)
        #expect(peerHit[2].contains("giá trị sản xuất trên một lao động") && peerHit[2].contains("các đơn vị khác trong quý"), "\(peerHit[2])")

        // The published quality sheet lists the accepted outlier; the totals say they include one.
        let reports = try json(try Binary.python("read_reports.py", [site + "/var/reports/2026-Q3"]).stdout)
        let dump = String(describing: reports)
        #expect(dump.contains("outlier.magnitude") && dump.contains("LN41-00"), "the quality sheet lists the outlier")
        // Every text of the village report, notes included: its totals say they include the outlier.
        let python = Python.executable
        let texts = try Binary.run([python, "-c", "import openpyxl, sys\nwb = openpyxl.load_workbook(sys.argv[1])\n"
            + "print('\\n'.join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)))",
            site + "/var/reports/2026-Q3/lang-nghe-2026-Q3.xlsx"], executable: "/usr/bin/env").stdout
        #expect(texts.contains("số liệu bất thường đã được chấp nhận") && texts.contains("Phường Hải Dương (10525), Làng nghề ô \(cell)"),
                "a note on the totals that include it")
    }

    /// A value with at most one decimal (as fill_form.py writes production values) the Vietnamese way.
    func vietnamese(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        var whole = String(tenths / 10)
        var grouped = ""
        while whole.count > 3 { grouped = "." + whole.suffix(3) + grouped; whole = String(whole.dropLast(3)) }
        return whole + grouped + (tenths % 10 == 0 ? "" : ",\(tenths % 10)")
    }
}
