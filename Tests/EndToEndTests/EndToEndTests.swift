// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import RuralStatTesting
import Testing
import XLSX

@Suite("The real binary, end to end", .serialized, .tags(.endToEnd))
struct EndToEndTests {
    /// A demo province set up by `init --demo`, settling immediately so `serve --once` is quick.
    func province(name: String = #function) throws -> (site: TestSite, dir: String, config: String) {
        let site = try TestSite.demo(.settleSeconds(0), name: name)
        return (site, site.dir, site.config)
    }

    /// A blank form from `template`, filled by openpyxl beside the site, then moved whole into the inbox.
    func submit(_ site: TestSite, unit: String, seed: Int, textInNumber: Bool = false) throws -> [String: Any] {
        let filled = site.dir + "/bao-cao-\(unit).xlsx"
        let expected = try site.fill(unit: unit, seed: seed, to: filled, textInNumber: textInNumber)
        try FileManager.default.moveItem(atPath: filled, toPath: site.inbox + "/bao-cao-\(unit).xlsx")
        return expected
    }

    @Test func formsFilledByOpenpyxlAreAcceptedAndTheFiguresEqualAnIndependentSum() throws {
        let (site, dir, config) = try province()
        let units = ["10525", "10546", "10675", "10966", "10606"]
        var expected: [String: [String: Any]] = [:]
        for (i, unit) in units.enumerated() { expected[unit] = try submit(site, unit: unit, seed: 100 + i) }

        let serve = try Binary.run(["serve", "--config", config, "--once"])
        #expect(serve.status == 0, "\(serve.stderr)")
        #expect(serve.stderr.components(separatedBy: "\n").filter { $0.hasPrefix("<6>accepted") }.count == units.count, "\(serve.stderr)")

        let export = try Binary.run(["export", "--period", "2025-Q3", "--config", config])
        #expect(export.status == 0, "\(export.stderr)")
        let doc = try json(export.stdout) as! [String: Any]
        #expect(doc["period"] as? String == "2025-Q3")
        let exportedUnits = doc["units"] as! [[String: Any]]
        #expect(exportedUnits.count == 114)
        var provinceSums: [String: Decimal] = [:]
        for u in exportedUnits {
            let code = u["code"] as! String
            let figures = u["figures"] as! [String: [String: Any]]
            guard let want = expected[code] else {
                #expect(u["status"] as? String == "missing")
                #expect(figures["villages.rows"]?["quarter"] is NSNull)
                continue
            }
            // Files for 2025-Q3 sent today are past the deadline: they count, marked late.
            #expect(u["status"] as? String == "late")
            for (figure, value) in want where !figure.hasPrefix("bad_") {
                let wanted = Decimal(string: value as! String)!
                provinceSums[figure, default: 0] += wanted
                if figure == "indicators.cluster_occupancy" { continue } // a rate: averaged, checked below
                let got = figures[figure]?["quarter"] as? Double
                #expect(got == NSDecimalNumber(decimal: wanted).doubleValue, "\(code) \(figure): \(String(describing: got)) ≠ \(wanted)")
            }
            // A code that no row used still reports zero rather than nothing.
            #expect(figures["projects.rows[funding=KCQG]"]?["quarter"] is Double)
        }
        let province = (doc["province"] as! [String: Any])["figures"] as! [String: [String: Any]]
        for figure in ["villages.rows", "villages.labourers", "villages.production_value", "projects.approved_budget", "indicators.establishments"] {
            #expect(province[figure]?["quarter"] as? Double == NSDecimalNumber(decimal: provinceSums[figure] ?? 0).doubleValue, "province \(figure)")
        }
        let occupancy = NSDecimalNumber(decimal: provinceSums["indicators.cluster_occupancy"]!).doubleValue / Double(units.count)
        #expect(abs((province["indicators.cluster_occupancy"]?["quarter"] as! Double) - occupancy) < 1e-9)

        // Every published report, read by openpyxl and by our reader: the same cells in both,
        // and the numbers those of the export.
        let folder = dir + "/site/var/reports/2025-Q3"
        let read = try Binary.python("read_reports.py", [folder])
        #expect(read.status == 0, "\(read.stderr)")
        let byOpenpyxl = try json(read.stdout) as! [String: [String: [[String]]]]
        #expect(byOpenpyxl.keys.sorted() == ["khuyen-cong-2025-Q3.xlsx", "lang-nghe-2025-Q3.xlsx", "tinh-hinh-nop-bao-cao-2025-Q3.xlsx", "tong-hop-quy-2025-Q3.xlsx"])
        for (file, sheets) in byOpenpyxl {
            let ours = try ReportTables.read(folder + "/" + file)
            #expect(ours.keys.sorted() == sheets.keys.sorted(), "\(file)")
            for (name, rows) in sheets { #expect(ours[name] == rows, "\(file) / \(name): the two readers disagree") }
        }
        // How each sheet prints, as openpyxl reads it: A4 landscape, one page wide, the header
        // repeated on every page, panes frozen under it, page numbers, Times New Roman; the
        // letterhead merged left and right and the title across the table; the charts.
        let setup = try json(try Binary.python("read_print_setup.py", [folder]).stdout) as! [String: [String: [String: Any]]]
        var charts = 0
        for (file, sheets) in setup {
            for (name, s) in sheets {
                let at = "\(file) / \(name)"
                #expect(s["orientation"] as? String == "landscape" && s["paper"] as? String == "9", "\(at)")
                #expect(s["fit"] as? Bool == true && (s["fit_width"] is NSNull || s["fit_width"] as? Int == 1) && s["fit_height"] as? Int == 0, "\(at)")
                #expect((s["title_rows"] as? String)?.hasPrefix("$9:$") == true, "\(at)")
                let titleEnd = Int((s["title_rows"] as? String)?.split(separator: "$").last ?? "") ?? 0
                #expect((s["freeze"] as? String)?.hasSuffix("\(titleEnd + 1)") == true, "\(at): panes frozen at \(String(describing: s["freeze"]))")
                #expect(s["footer"] as? String == "Trang &P/&N", "\(at)")
                #expect(s["font"] as? String == "Times New Roman", "\(at)")
                let merged = s["merged"] as? [String] ?? []
                #expect(merged.contains { $0.hasPrefix("A1:") } && merged.contains { $0.hasPrefix("A2:") } && merged.contains { $0.hasPrefix("A5:") }, "\(at): \(merged)")
                #expect(merged.filter { !$0.hasPrefix("A") }.count == 4, "\(at): motto, slogan, form number and receiver on the right: \(merged)")
                charts += s["charts"] as? Int ?? 0
            }
        }
        // Biểu 01 draws the areas (27 of them), not one bar per unit (114); Biểu 02 and 03 their codes.
        #expect(charts == 3)
        #expect(setup["tong-hop-quy-2025-Q3.xlsx"]?["Theo khu vực"]?["charts"] as? Int == 1)
        #expect(setup["tong-hop-quy-2025-Q3.xlsx"]?["Theo đơn vị"]?["charts"] as? Int == 0)

        let tables = byOpenpyxl.mapValues { $0.mapValues(ReportTables.init) }
        let unitFigures = Dictionary(uniqueKeysWithValues: exportedUnits.map { ($0["code"] as! String, $0["figures"] as! [String: [String: Any]]) })
        let groups = doc["groups"] as! [[String: Any]]
        let groupFigures = Dictionary(uniqueKeysWithValues: groups.map { ($0["name"] as! String, $0["figures"] as! [String: [String: Any]]) })
        func figure(_ id: String, _ measure: String = "quarter", unit: String? = nil, area: String? = nil) -> Double? {
            (unit.map { unitFigures[$0]?[id] } ?? area.map { groupFigures[$0]?[id] } ?? province[id])?[measure] as? Double
        }

        // Biểu 01, the indicators in the official layout (reports/quarterly-summary.yaml, in its
        // order): this quarter, year to date, last year.
        let indicators = try #require(tables["tong-hop-quy-2025-Q3.xlsx"]?["Chỉ tiêu chủ yếu"])
        let ids = ["villages.rows", "villages.rows[recognition=CN]", "villages.labourers", "villages.production_value", "villages.export_value",
                   "villages.establishments", "villages.cooperatives", "villages.enterprises",
                   "indicators.establishments", "indicators.establishment_labourers", "projects.rows", "projects.approved_budget",
                   "projects.approved_budget[funding=KCQG]", "projects.approved_budget[funding=KCDP]", "projects.disbursed",
                   "indicators.products_province", "indicators.products_region", "indicators.products_nation", "indicators.artisans",
                   "indicators.fairs", "indicators.booths", "indicators.trainees", "indicators.clusters", "indicators.cluster_occupancy"]
        #expect(indicators.rows.count == ids.count)
        for (row, id) in zip(indicators.rows, ids) {
            #expect(ReportTables.number(row[4]) == figure(id), "\(id) this quarter")
            #expect(ReportTables.number(row[5]) == figure(id, "ytd"), "\(id) year to date")
            #expect(row.count <= 6 || row[6] == "", "\(id): no data last year, so no figure")
        }
        // Biểu 01, by area: one row per area in the configuration's order (the export's `groups`),
        // its units and how many sent a file, its figures those of the export's area; the province last.
        let byArea = try #require(tables["tong-hop-quy-2025-Q3.xlsx"]?["Theo khu vực"])
        let areaColumns = [("villages.rows", "quarter"), ("villages.labourers", "quarter"), ("villages.production_value", "quarter"),
                           ("villages.production_value", "same_quarter_last_year"), ("villages.production_value", "change_pct"),
                           ("villages.production_value", "ytd"), ("villages.production_value", "ytd_change_pct"),
                           ("projects.approved_budget", "quarter"), ("projects.disbursed", "ytd"), ("projects.disbursed", "plan_pct")]
        #expect(groups.count == 27)
        #expect(byArea.rows.count == groups.count + 1)
        for (row, group) in zip(byArea.rows, groups) {
            let name = group["name"] as! String
            let members = group["units"] as! [String]
            #expect(row[1] == "s:" + name)
            #expect(ReportTables.number(row[2]) == Double(members.count), "\(name)")
            #expect(row[3] == "s:\(members.filter { expected[$0] != nil }.count)/\(members.count)", "\(name)")
            for (k, (id, measure)) in areaColumns.enumerated() {
                #expect(ReportTables.number(row.count > 4 + k ? row[4 + k] : "") == figure(id, measure, area: name), "\(name) \(id) \(measure)")
            }
        }
        #expect(byArea.rows.last?.first == "s:TỔNG CỘNG TOÀN THÀNH PHỐ")
        for (k, (id, measure)) in areaColumns.enumerated() {
            #expect(ReportTables.number(byArea.rows.last!.count > 4 + k ? byArea.rows.last![4 + k] : "") == figure(id, measure), "province \(id) \(measure)")
        }
        // Biểu 01, by unit, grouped by area: per area a heading (I, II, …), its units with their
        // figures, the subtotal ("Cộng khu vực …") that of the export's area; then the province.
        let byUnit = try #require(tables["tong-hop-quy-2025-Q3.xlsx"]?["Theo đơn vị"])
        let unitColumns = ["villages.rows", "villages.rows[recognition=CN]", "villages.labourers", "villages.production_value", "projects.rows",
                           "projects.approved_budget[funding=KCQG]", "projects.approved_budget[funding=KCDP]",
                           "projects.approved_budget[funding=KHAC]", "projects.approved_budget", "projects.disbursed"]
        func numbers(_ row: [String]) -> [Double?] { unitColumns.indices.map { ReportTables.number(row.count > 4 + $0 ? row[4 + $0] : "") } }
        #expect(byUnit.rows.count == exportedUnits.count + 2 * groups.count + 1)
        var at = 0, listed: [String] = []
        for (a, group) in groups.enumerated() {
            let name = group["name"] as! String
            let members = group["units"] as! [String]
            guard at + members.count + 1 < byUnit.rows.count else { Issue.record("\(name): the sheet ends early"); break }
            let heading = byUnit.rows[at]
            #expect(heading.first == "s:" + ReportTables.roman(a + 1), "\(name): \(heading)")
            #expect(heading.count > 1 && heading[1] == "s:Khu vực \(name) (\(members.count) đơn vị)", "\(heading)")
            #expect(numbers(heading).allSatisfy { $0 == nil }, "\(name): a heading has no figures")
            for (i, code) in members.enumerated() {
                let row = byUnit.rows[at + 1 + i]
                guard row.count > 1 else { Issue.record("\(name): \(row)"); continue }
                #expect(row[0].hasPrefix("n:") && row[1] == "s:" + code, "\(name): \(row)")
                listed.append(String(row[1].dropFirst(2)))
                #expect(numbers(row) == unitColumns.map { figure($0, unit: code) }, "\(code)")
            }
            let subtotal = byUnit.rows[at + 1 + members.count]
            #expect(subtotal.first == "s:Cộng khu vực " + name, "\(subtotal)")
            #expect(numbers(subtotal) == unitColumns.map { figure($0, area: name) }, "subtotal \(name)")
            // Every column here adds up: the subtotal is the sum of the rows above it.
            // (An area none of whose units sent a file has no figures, as the province would not.)
            let sums = unitColumns.indices.map { k -> Double? in
                let parts = members.indices.compactMap { numbers(byUnit.rows[at + 1 + $0])[k] }
                return parts.isEmpty ? nil : parts.reduce(0, +)
            }
            #expect(numbers(subtotal) == sums, "subtotal \(name) against its rows")
            at += members.count + 2
        }
        #expect(listed.sorted() == exportedUnits.map { $0["code"] as! String }.sorted(), "every unit once, area by area")
        #expect(byUnit.rows.last?.first == "s:TỔNG CỘNG TOÀN THÀNH PHỐ")
        #expect(numbers(byUnit.rows.last!) == unitColumns.map { figure($0) }, "province")
        // Biểu 02 and 03, broken down by code: the total first, then every code of each section.
        for (file, sheet, table, sections, columns) in [
            ("lang-nghe-2025-Q3.xlsx", "Theo nhóm ngành nghề", "villages", ["trade_group", "recognition", "traditional"],
             [("rows", "quarter"), ("households", "quarter"), ("trade_households", "quarter"), ("establishments", "quarter"),
              ("cooperatives", "quarter"), ("enterprises", "quarter"), ("labourers", "quarter"),
              ("production_value", "quarter"), ("production_value", "ytd"), ("export_value", "quarter")]),
            ("khuyen-cong-2025-Q3.xlsx", "Theo nguồn kinh phí", "projects", ["funding", "activity", "status"],
             [("rows", "quarter"), ("approved_budget", "quarter"), ("disbursed", "quarter"), ("disbursed", "ytd"), ("disbursed", "same_quarter_last_year")]),
        ] {
            let t = try #require(tables[file]?[sheet])
            var section = -1
            for (i, row) in t.rows.enumerated() {
                if i > 0, row[0].hasPrefix("s:") { section += 1; continue }   // "I", "II": a section's heading
                let code = row[2] == "" ? "true" : String(row[2].dropFirst(2))
                let split = i == 0 ? "" : "[\(sections[section])=\(code)]"
                for (k, (field, measure)) in columns.enumerated() {
                    let id = "\(table).\(field)\(split)"
                    #expect(ReportTables.number(row.count > 3 + k ? row[3 + k] : "") == figure(id, measure), "\(sheet): \(id) \(measure)")
                }
            }
            #expect(section == sections.count - 1)
        }
        // The lists: one row per village or project, and the totals of the export.
        let villages = try #require(tables["lang-nghe-2025-Q3.xlsx"]?["Danh sách làng nghề"])
        #expect(Double(villages.rows.count - 1) == figure("villages.rows"))
        #expect(ReportTables.number(villages.rows.last![10]) == figure("villages.labourers"))
        let projects = try #require(tables["khuyen-cong-2025-Q3.xlsx"]?["Danh sách đề án"])
        #expect(Double(projects.rows.count - 1) == figure("projects.rows"))
        #expect(ReportTables.number(projects.rows.last![7]) == figure("projects.approved_budget"))
        // Biểu 04: every unit's state as `status` gives it, area by area under a heading that
        // counts the area's files.
        let submitted = try #require(tables["tinh-hinh-nop-bao-cao-2025-Q3.xlsx"]?["Tình hình nộp"])
        #expect(submitted.rows.count == exportedUnits.count + groups.count + 1)
        let headings = submitted.rows.filter { !$0[0].hasPrefix("n:") && !$0[0].hasPrefix("s:TỔNG") }
        #expect(headings.map { $0[0] } == groups.indices.map { "s:" + ReportTables.roman($0 + 1) })
        #expect(headings.map { $0.count > 1 ? $0[1] : "" } == groups.map { g in
            let members = g["units"] as! [String]
            return "s:Khu vực \(g["name"] as! String): \(members.filter { expected[$0] != nil }.count)/\(members.count) đơn vị đã nộp"
        })
        let state = { (row: [String]) in row.count > 3 ? row[3] : "" }
        #expect(submitted.rows.filter { state($0) == "s:Nộp muộn" }.map { String($0[1].dropFirst(2)) }.sorted() == units.sorted())
        #expect(submitted.rows.filter { state($0) == "s:Chưa nộp" }.count == 114 - units.count)
        #expect(submitted.rows.filter { state($0) == "s:Nộp muộn" }.allSatisfy { $0[4].hasPrefix("d:") })
        #expect(state(submitted.rows.last ?? []) == "s:\(units.count)/114 đã nộp")
        // …and before it, the counts per area: expected, on time, late, refused, missing.
        let perArea = try #require(tables["tinh-hinh-nop-bao-cao-2025-Q3.xlsx"]?["Theo khu vực"])
        #expect(perArea.rows.count == groups.count + 1)
        for (row, g) in zip(perArea.rows, groups) {
            let members = g["units"] as! [String]
            let late = Double(members.filter { expected[$0] != nil }.count)
            guard row.count > 6 else { Issue.record("\(row)"); continue }
            #expect(row[1] == "s:" + (g["name"] as! String))
            #expect(Array(row[2...6]).map(ReportTables.number) == [Double(members.count), 0, late, 0, Double(members.count) - late], "\(row)")
            let owing = members.filter { expected[$0] == nil }.map { code in exportedUnits.first { $0["code"] as? String == code }!["name"] as! String }
            #expect((row.count > 8 ? row[8] : "") == (owing.isEmpty ? "" : "s:" + owing.joined(separator: ", ")), "\(row)")
        }
        #expect(perArea.rows.last!.count > 6 && Array(perArea.rows.last![2...6]).map(ReportTables.number) == [114, 0, Double(units.count), 0, Double(114 - units.count)])

        let status = try Binary.run(["status", "--period", "2025-Q3", "--json", "--config", config])
        let states = (try json(status.stdout) as! [String: Any])["units"] as! [[String: Any]]
        #expect(states.count == 114)
        #expect(states.filter { $0["state"] as? String == "late" }.compactMap { $0["code"] as? String }.sorted() == units.sorted())
        #expect(states.filter { $0["state"] as? String == "missing" }.count == 114 - units.count)

        // Rebuilding from the store gives the report again.
        let rebuilt = try Binary.run(["report", "--period", "2025-Q3", "--config", config, "--out", dir + "/again"])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/again/2025-Q3/tong-hop-quy-2025-Q3.xlsx"))
    }

    @Test func textInANumberCellIsRejectedAndTheFeedbackNamesTheSheetAndCell() throws {
        let (site, dir, config) = try province()
        let expected = try submit(site, unit: "11074", seed: 7, textInNumber: true)
        let cell = expected["bad_cell"] as! String
        let sheet = expected["bad_sheet"] as! String

        let validate = try Binary.run(["validate", "--json", "--config", config, dir + "/site/var/inbox/bao-cao-11074.xlsx"])
        #expect(validate.status == 1)
        let files = (try json(validate.stdout) as! [String: Any])["files"] as! [[String: Any]]
        let findings = files[0]["findings"] as! [[String: Any]]
        #expect(findings.contains { $0["cell"] as? String == cell && $0["sheet"] as? String == sheet && $0["rule"] as? String == "type.integer" })
        #expect(files[0]["valid"] as? Bool == false)

        let serve = try Binary.run(["serve", "--config", config, "--once"])
        #expect(serve.status == 0, "\(serve.stderr)")
        let feedbackDir = dir + "/site/var/feedback/11074"
        let names = try FileManager.default.contentsOfDirectory(atPath: feedbackDir)
        #expect(names.count == 2)
        let text = try String(contentsOfFile: feedbackDir + "/" + names.first { $0.hasSuffix(".txt") }!, encoding: .utf8)
        #expect(text.contains("Trang tính \"\(sheet)\""))
        #expect(text.contains("Ô \(cell)"))
        #expect(text.contains("khoảng 500"))
        // The feedback workbook: the bad cell filled red with the message as its comment,
        // and the summary sheet linking to it.
        let workbook = feedbackDir + "/" + names.first { $0.hasSuffix(".xlsx") }!
        let read = try Binary.python("read_feedback.py", [workbook])
        #expect(read.status == 0, "\(read.stderr)")
        let fb = try json(read.stdout) as! [String: Any]
        let sheetNames = fb["sheets"] as! [String]
        #expect(sheetNames.first == "Kết quả kiểm tra")
        #expect(sheetNames.contains(sheet))
        let comments = (fb["comments"] as! [String: [String: String]])[sheet] ?? [:]
        #expect(comments[cell]?.contains("khoảng 500") == true, "\(comments)")
        #expect(comments.count == 1)
        #expect((fb["fills"] as! [String: [String: String]])[sheet]?[cell]?.hasSuffix("FFC7CE") == true)
        let links = (fb["links"] as! [String: [String: String]])["Kết quả kiểm tra"] ?? [:]
        #expect(links.values.contains("'\(sheet)'!\(cell)"), "\(links)")
        // The unit's other values come back as they were sent.
        let values = (fb["values"] as! [String: [String: Any]])[sheet] ?? [:]
        #expect(values[cell] as? String == "khoảng 500")
        let day = try FileManager.default.contentsOfDirectory(atPath: dir + "/site/var/rejected")
        #expect(day.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/site/var/inbox").isEmpty)
    }

    @Test func theCommandLineKeepsItsExitCodes() throws {
        let dir = try temporaryFolder()
        try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: dir + "/bang.xlsx"))
        let unreadable = try Binary.run(["validate", dir + "/bang.xlsx"])
        #expect(unreadable.status == 2)
        #expect(unreadable.stdout.contains(".xlsx"))
        #expect(try Binary.run(["report", "--period", "2025-Q9", "--config", dir + "/none.yaml"]).status == 2)
        #expect(try Binary.run(["export", "--period", "2025-Q3", "--config", dir + "/none.yaml"]).status == 2)
        #expect(try Binary.run(["no-such-command"]).status == 2)
        #expect(try Binary.run(["inspect", dir + "/bang.xlsx"]).status == 2)
        #expect(try Binary.run(["--help"]).status == 0)

        let blank = dir + "/blank.xlsx"
        #expect(try Binary.run(["template", "--period", "2025-Q3", "--out", blank]).status == 0)
        let inspect = try Binary.run(["inspect", blank, "--sheet", "Thông tin chung"])
        #expect(inspect.status == 0)
        let sheets = (try json(inspect.stdout) as! [String: Any])["sheets"] as! [[String: Any]]
        let rows = sheets[0]["rows"] as! [[Any]]
        #expect(rows[2][1] as? String == "ruralstat-quarterly v1")
        #expect(rows[6][1] as? Int == 2025)
        let blankCheck = try Binary.run(["validate", blank, "--lang", "en"])
        #expect(blankCheck.status == 1)
        #expect(blankCheck.stdout.contains("Cell B9: \"Prepared by\" is empty"))
    }

    @Test func schemaJSONFollowsTheContract() throws {
        let r = try Binary.run(["schema", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try json(r.stdout) as! [String: Any]
        #expect(doc["id"] as? String == "ruralstat-quarterly")
        #expect(doc["version"] as? Int == 1)
        let sheets = doc["sheets"] as! [[String: Any]]
        #expect(sheets.map { $0["kind"] as! String } == ["fields", "table", "table", "indicators"])
        let villages = sheets[1]
        #expect(villages["headerRow"] as? Int == 4)
        #expect(villages["firstDataRow"] as? Int == 6)
        let columns = villages["columns"] as! [[String: Any]]
        let labourers = columns.first { $0["id"] as? String == "labourers" }!
        #expect(labourers["column"] as? String == "M")
        #expect(labourers["type"] as? String == "integer")
        #expect(labourers["codes"] is NSNull)
        let group = columns.first { $0["id"] as? String == "trade_group" }!
        #expect((group["codes"] as? [[String: Any]])?.count == 7)
        #expect(sheets[3]["valueColumn"] as? String == "E")
        #expect(((sheets[0]["fields"] as! [[String: Any]]).first { $0["id"] as? String == "unit_code" })?["cell"] as? String == "B5")
    }
}

@Suite("A form remade by a district office", .serialized, .tags(.endToEnd))
struct RemadeFormTests {
    @Test func titleBlockMergedHeadersReorderedColumnsNFDAndVietnameseNumbersAreAccepted() throws {
        let site = try TestSite.demo()
        let dir = site.dir, config = site.config
        let path = dir + "/site/var/inbox/bao-cao-10966.xlsx"
        let made = try Binary.python("make_messy_form.py", [path, "10966", "2025", "3"])
        #expect(made.status == 0, "\(made.stderr)")

        let check = try Binary.run(["validate", "--json", "--config", config, path])
        #expect(check.status == 0, "\(check.stdout)")
        let serve = try Binary.run(["serve", "--once", "--config", config])
        #expect(serve.status == 0, "\(serve.stderr)")
        #expect(serve.stderr.contains("<6>accepted bao-cao-10966.xlsx"), "\(serve.stderr)")

        let export = try Binary.run(["export", "--period", "2025-Q3", "--config", config])
        let units = (try json(export.stdout) as! [String: Any])["units"] as! [[String: Any]]
        let figures = units.first { $0["code"] as? String == "10966" }!["figures"] as! [String: [String: Any]]
        func quarter(_ id: String) -> Double? { figures[id]?["quarter"] as? Double }
        #expect(quarter("villages.rows") == 3)
        #expect(quarter("villages.households") == Double(1_250 + 480 + 320))
        #expect(quarter("villages.trade_households") == Double(640 + 215 + 96))
        #expect(quarter("villages.labourers") == Double(1_832 + 905 + 410))
        #expect(quarter("villages.production_value") == 5_738.15)
        #expect(quarter("villages.rows[recognition=CN]") == 2)
        #expect(quarter("projects.approved_budget") == 750.5)
        #expect(quarter("projects.approved_budget[funding=KCDP]") == 450.5)
        #expect(quarter("indicators.establishments") == 1_120)
        #expect(quarter("indicators.establishment_labourers") == 8_450)
        #expect(quarter("indicators.cluster_occupancy") == 73.5)
    }
}

@Suite("Round trips through LibreOffice", .serialized, .tags(.endToEnd))
struct LibreOfficeTests {
    @Test func aFormFilledByOpenpyxlAndResavedByLibreOfficeIsAcceptedWithTheSameFigures() throws {
        let site = try TestSite.demo()
        let dir = site.dir, config = site.config
        try site.fill(unit: "10804", seed: 42, to: dir + "/filled.xlsx", expected: dir + "/expected.json")
        try FileManager.default.createDirectory(atPath: dir + "/lo", withIntermediateDirectories: true)
        let resaved = try Office.convert(dir + "/filled.xlsx", to: "xlsx:Calc MS Excel 2007 XML", outDir: dir + "/lo")

        let check = try Binary.run(["validate", "--config", config, resaved])
        #expect(check.status == 0, "\(check.stdout)")
        try FileManager.default.moveItem(atPath: resaved, toPath: dir + "/site/var/inbox/bao-cao-10804.xlsx")
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
        let expected = try json(String(contentsOfFile: dir + "/expected.json", encoding: .utf8)) as! [String: String]
        let units = (try json(try Binary.run(["export", "--period", "2025-Q3", "--config", config]).stdout) as! [String: Any])["units"] as! [[String: Any]]
        let figures = units.first { $0["code"] as? String == "10804" }!["figures"] as! [String: [String: Any]]
        for id in ["villages.rows", "villages.labourers", "villages.production_value", "projects.rows", "indicators.establishments"] {
            let want = expected[id].flatMap { Double($0) } ?? 0
            #expect(figures[id]?["quarter"] as? Double == want, "\(id)")
        }
    }

    @Test func theFeedbackWorkbookAndEveryReportOpenInLibreOffice() throws {
        let site = try TestSite.demo()
        let dir = site.dir, config = site.config
        for (unit, bad) in [("10525", false), ("10546", true)] {
            try site.fill(unit: unit, seed: 5, to: site.inbox + "/\(unit).xlsx", textInNumber: bad)
        }
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)
        let feedback = try FileManager.default.contentsOfDirectory(atPath: dir + "/site/var/feedback/10546").first { $0.hasSuffix(".xlsx") }!
        let reports = try FileManager.default.contentsOfDirectory(atPath: dir + "/site/var/reports/2025-Q3").sorted()
        #expect(reports.count == 4)
        for file in [dir + "/site/var/feedback/10546/" + feedback] + reports.map({ dir + "/site/var/reports/2025-Q3/" + $0 }) {
            let pdf = try Office.convert(file, to: "pdf", outDir: dir)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
            #expect(bytes.count > 5_000, "\(pdf) is only \(bytes.count) bytes")
            // One page at least for every sheet: LibreOffice laid out each of them.
            let pages = String(decoding: bytes, as: UTF8.self).components(separatedBy: "/Type/Page").count - 1
                - (String(decoding: bytes, as: UTF8.self).components(separatedBy: "/Type/Pages").count - 1)
            let sheets = try WorkbookReader(path: file).sheets.filter { $0.state == "visible" }.count
            #expect(pages >= sheets, "\(pdf): \(pages) pages for \(sheets) sheets")
        }
    }
}

@Suite("Plans, status and closed periods from the command line", .serialized, .tags(.endToEnd))
struct QuarterCommandTests {
    @Test func plansStatusAndClosingAPeriod() throws {
        let site = try TestSite.demo()
        let dir = site.dir, config = site.config
        func submit(_ unit: String, seed: Int, bad: Bool = false) throws -> [String: String] {
            try site.fill(unit: unit, seed: seed, to: site.inbox + "/\(unit)-\(seed).xlsx", textInNumber: bad) as! [String: String]
        }
        let hdg = try submit("10525", seed: 1)
        _ = try submit("10546", seed: 2, bad: true)
        #expect(try Binary.run(["serve", "--once", "--config", config]).status == 0)

        // The annual plan, from YAML; then a workbook replaces it.
        try """
            year: 2025
            province: {villages.rows: 40}
            units:
              "10525": {villages.rows: 8, villages.production_value: 100000}
            """.write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let imported = try Binary.run(["plan", "import", dir + "/plan.yaml", "--config", config])
        #expect(imported.status == 0, "\(imported.stderr)")
        var units = (try json(try Binary.run(["export", "--period", "2025-Q3", "--config", config]).stdout) as! [String: Any])["units"] as! [[String: Any]]
        var rows = (units.first { $0["code"] as? String == "10525" }!["figures"] as! [String: [String: Any]])["villages.rows"]!
        let villages = Double(hdg["villages.rows"]!)!
        #expect(rows["plan"] as? Double == 8)
        #expect(rows["ytd"] as? Double == villages)
        #expect(rows["plan_pct"] as? Double == (villages / 8 * 10_000).rounded() / 100)
        try "year: 2025\nunits: {\"10525\": {villages.nonsense: 1}}\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let refused = try Binary.run(["plan", "import", dir + "/bad.yaml", "--config", config])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("villages.nonsense"))
        let made = try Binary.python("make_plan_workbook.py", [dir + "/plan.xlsx"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try Binary.run(["plan", "import", dir + "/plan.xlsx", "--config", config]).status == 0)
        units = (try json(try Binary.run(["export", "--period", "2025-Q3", "--config", config]).stdout) as! [String: Any])["units"] as! [[String: Any]]
        rows = (units.first { $0["code"] as? String == "10525" }!["figures"] as! [String: [String: Any]])["villages.rows"]!
        #expect(rows["plan"] as? Double == 10)

        // A multi-year programme, on its own in a plan file.
        try """
            programme:
              name: "Chương trình khuyến công 2021–2025"
              from: 2021
              to: 2025
              province: {projects.rows: 60}
            """.write(toFile: dir + "/programme.yaml", atomically: true, encoding: .utf8)
        let programme = try Binary.run(["plan", "import", dir + "/programme.yaml", "--config", config])
        #expect(programme.status == 0, "\(programme.stderr)")
        let withProgramme = try json(try Binary.run(["export", "--period", "2025-Q3", "--config", config]).stdout) as! [String: Any]
        #expect((withProgramme["programme"] as? [String: Any])?["from"] as? Int == 2021)
        let projects = ((withProgramme["province"] as! [String: Any])["figures"] as! [String: [String: Any]])["projects.rows"]!
        #expect(projects["programme"] as? Double == 60)

        // Status as a manager reads it.
        let status = try Binary.run(["status", "--period", "2025-Q3", "--config", config])
        #expect(status.status == 0)
        #expect(status.stdout.contains("Nộp muộn"))
        #expect(status.stdout.contains("Bị trả lại"))
        #expect(status.stdout.contains("Chưa nộp"))
        #expect(status.stdout.contains("Đã nộp 1/114 (đúng hạn 0, muộn 1); bị trả lại chưa sửa 1; chưa nộp 112."), "\(status.stdout)")

        // A closed period holds a new file; opening it lets the file count.
        #expect(try Binary.run(["period", "close", "2025-Q3", "--config", config]).status == 0)
        _ = try submit("10525", seed: 9)
        let serve = try Binary.run(["serve", "--once", "--config", config])
        #expect(serve.stderr.contains("held"), "\(serve.stderr)")
        let held = try json(try Binary.run(["status", "--period", "2025-Q3", "--json", "--config", config]).stdout) as! [String: Any]
        #expect(((held["units"] as! [[String: Any]]).first { $0["code"] as? String == "10525" })?["held"] as? Int == 1)
        let opened = try Binary.run(["period", "open", "2025-Q3", "--config", config])
        #expect(opened.stdout.contains("1 held file(s) now count"))
    }
}

@Suite("Blank forms that prevent mistakes", .serialized, .tags(.endToEnd))
struct FormRulesTests {
    @Test func theFormCarriesDropDownsNumberChecksAndLockedHeaders() throws {
        let site = try TestSite.demo()
        let dir = site.dir, config = site.config
        let made = try Binary.run(["template", "--all", "--period", "2025-Q4", "--config", config, "--out", dir + "/forms"])
        #expect(made.status == 0, "\(made.stderr)")
        let forms = try FileManager.default.contentsOfDirectory(atPath: dir + "/forms").sorted()
        #expect(forms.count == 114)
        #expect(forms.contains("bieu-mau-10525-2025-Q4.xlsx"))

        let r = try Binary.python("read_form_rules.py", [dir + "/forms/bieu-mau-10525-2025-Q4.xlsx"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try json(r.stdout) as! [String: Any]
        let validations = doc["validations"] as! [String: [[String: Any]]]
        let villages = validations["Làng nghề"] ?? []
        // The trade group column (D) offers the 7 groups; households (H) refuse negatives.
        let group = villages.first { ($0["sqref"] as? String) == "D6:D1005" }
        #expect(group?["type"] as? String == "list")
        #expect((group?["formula1"] as? String)?.contains("Danh mục") == true)
        // "stop" and "between" are the OOXML defaults, left out of the file when meant.
        #expect((group?["errorStyle"] as? String ?? "stop") == "stop")
        let households = villages.first { ($0["sqref"] as? String) == "H6:H1005" }
        #expect(households?["type"] as? String == "whole")
        #expect((households?["operator"] as? String ?? "between") == "between")
        #expect(households?["formula1"] as? String == "0")
        #expect(households?["formula2"] as? String == "100000")
        #expect((households?["prompt"] as? String)?.contains("số nguyên") == true)
        let budget = (validations["Đề án khuyến công"] ?? []).first { ($0["sqref"] as? String) == "F6:F1005" }
        #expect(budget?["type"] as? String == "decimal")
        #expect((doc["protected"] as! [String]).contains("Thông tin chung"))
        #expect(doc["hidden"] as? [String] == ["Danh mục"])
        let locked = doc["locked"] as! [String: Bool]
        #expect(locked["B5"] == true)       // the unit code, filled in for 10525
        #expect(locked["B9"] == false)      // the preparer, for the clerk

        // LibreOffice keeps the rules when it saves the form: they are real, not decoration.
        try FileManager.default.createDirectory(atPath: dir + "/lo", withIntermediateDirectories: true)
        let resaved = try Office.convert(dir + "/forms/bieu-mau-10525-2025-Q4.xlsx", to: "xlsx:Calc MS Excel 2007 XML", outDir: dir + "/lo")
        let after = try json(try Binary.python("read_form_rules.py", [resaved]).stdout) as! [String: Any]
        let kept = (after["validations"] as! [String: [[String: Any]]])["Làng nghề"] ?? []
        #expect(kept.contains { $0["type"] as? String == "list" })
        #expect(kept.contains { $0["type"] as? String == "whole" })

        // LibreOffice itself refuses a wrong code and a negative number typed into the form,
        // and takes the right ones: its "Mark Invalid Data" judges each value by the form's rules.
        let cases = ["Làng nghề!D6=99": true, "Làng nghề!D6=Sản xuất muối": true, "Làng nghề!D6=6 - Sản xuất muối": false,
                     "Làng nghề!H6=-5": true, "Làng nghề!H6=120": false, "Làng nghề!H6=2.5": true,
                     "Đề án khuyến công!F6=-1": true, "Đề án khuyến công!F6=250.5": false,
                     "Đề án khuyến công!E6=KCQG - Khuyến công quốc gia": false, "Đề án khuyến công!E6=Trung ương": true]
        let lo = try Binary.run([Repository.path("Tests/EndToEndTests/Support/lo_validation.py"),
                                 dir + "/forms/bieu-mau-10525-2025-Q4.xlsx"] + cases.keys.sorted(), executable: "/usr/bin/python3")
        #expect(lo.status == 0, "\(lo.stderr)")
        let verdicts = try json(lo.stdout) as! [[String: Any]]
        #expect(verdicts.count == cases.count)
        for v in verdicts {
            let c = v["case"] as! String
            #expect(v["invalid_before"] as? Bool == false, "\(c): the blank form already holds invalid data")
            #expect(v["refused"] as? Bool == cases[c], "\(c): LibreOffice \(v["refused"] as? Bool == true ? "refused" : "took") it")
        }
    }
}

/// The tables of a published report as text cells, the way `read_reports.py` prints them:
/// the rows between the column numbering ("A", "B", …) and "Ghi chú:".
struct ReportTables {
    var rows: [[String]]
    init(_ rows: [[String]]) { self.rows = rows }

    /// Reads every sheet of a report with our reader.
    static func read(_ path: String) throws -> [String: [[String]]] {
        let reader = try WorkbookReader(path: path)
        var out: [String: [[String]]] = [:]
        for sheet in reader.sheets {
            let cells = try reader.cells(of: sheet)
            let width = (cells.cells.keys.map(\.column).max() ?? 0) + 1
            let rows = (0...max(0, cells.lastRow)).map { r in (0..<width).map { text(cells[r, $0]) } }
            guard let marks = rows.firstIndex(where: { $0[0] == "s:A" && $0[1] == "s:B" }),
                  let notes = rows.firstIndex(where: { $0[0] == "s:Ghi chú:" }) else { continue }
            var table = rows[(marks + 1)..<notes].map { row -> [String] in
                var r = row
                while r.last == "" { r.removeLast() }
                return r
            }
            while table.last?.isEmpty == true { table.removeLast() }
            out[sheet.name] = table
        }
        return out
    }

    static func text(_ value: CellValue?) -> String {
        switch value {
        case nil: return ""
        case .number(let n)?: return String(format: "n:%.6f", n)
        case .string(let s)?: return "s:" + s
        case .bool(let b)?: return "b:\(b)"
        case .date(let d)?: return String(format: "d:%04d-%02d-%02dT%02d:%02d", d.year, d.month, d.day, d.hour, d.minute)
        case .error(let e)?: return "e:" + e
        case .formula(let f)?: return "f:" + f
        }
    }

    /// The roman numeral report headings number sections with (I, II, …, XXVII).
    static func roman(_ n: Int) -> String {
        var n = n, out = ""
        for (v, s) in [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")] { while n >= v { out += s; n -= v } }
        return out
    }

    /// The number a cell holds, nil for an empty one.
    static func number(_ text: String) -> Double? {
        text.hasPrefix("n:") ? Double(text.dropFirst(2)) : nil
    }
}
