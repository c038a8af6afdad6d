// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing

/// `schema --json` is enough to fill the form: a program that knows nothing else (no template
/// from ruralstat, no YAML) makes workbooks that `validate` and the daemon accept.
@Suite("The form from its contract alone", .serialized, .tags(.endToEnd))
struct SchemaContractTests {
    @Test(arguments: [0, 1, 3])
    func aFormFilledFromSchemaJSONAloneIsAccepted(rows: Int) throws {
        let site = try TestSite.demo()
        let dir = site.dir, config = site.config
        let out = dir + "/site/var/inbox/tu-phan-mem-xa.xlsx"
        let made = try Binary.python("fill_from_schema.py", [dir + "/schema.json", out, "10525", "2025", "4", "\(rows)"])
        #expect(made.status == 0, "\(made.stderr)")

        let checked = try Binary.run(["validate", "--json", "--config", config, out])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        let serve = try Binary.run(["serve", "--once", "--config", config])
        #expect(serve.stderr.contains("<6>accepted tu-phan-mem-xa.xlsx"), "\(serve.stderr)")
        let export = try json(try Binary.run(["export", "--period", "2025-Q4", "--config", config]).stdout) as! [String: Any]
        let unit = (export["units"] as! [[String: Any]]).first { $0["code"] as? String == "10525" }!
        let figures = unit["figures"] as! [String: [String: Any]]
        #expect(figures["villages.rows"]?["quarter"] as? Double == Double(rows))
    }

    @Test func theContractCarriesEverythingTheValidatorChecks() throws {
        let doc = try json(try Binary.run(["schema", "--json"]).stdout) as! [String: Any]
        let sheets = doc["sheets"] as! [[String: Any]]
        let villages = sheets.first { $0["id"] as? String == "villages" }!
        let code = (villages["columns"] as! [[String: Any]]).first { $0["id"] as? String == "code" }!
        #expect(code["pattern"] as? String == "[A-Za-z0-9_.-]+" && code["max_length"] as? Double == 20 && code["unique"] as? Bool == true)
        let production = (villages["columns"] as! [[String: Any]]).first { $0["id"] as? String == "production_value" }!
        #expect(production["accumulate"] as? String == "sum" && (production["unit"] as? [String: String])?["vi"] == "triệu đồng")
        let trade = (villages["columns"] as! [[String: Any]]).first { $0["id"] as? String == "trade_group" }!
        #expect((trade["codes"] as? [[String: Any]])?.first?["aliases"] is [Any])
        let rules = villages["rules"] as! [[String: Any]]
        #expect(rules.contains { $0["id"] as? String == "villages.recognised_needs_year" && $0["when"] as? String == #"recognition in ["CN", "TH"]"# })
        let occupancy = ((sheets.first { $0["id"] as? String == "indicators" }!["rows"]) as! [[String: Any]]).first { $0["id"] as? String == "cluster_occupancy" }!
        #expect(occupancy["aggregate"] as? String == "mean")
        #expect((doc["rules"] as! [[String: Any]]).contains { ($0["assert"] as? String)?.contains("prev.") == true })
        #expect(doc["form_tag"] as? String == "ruralstat-quarterly v1")
    }
}
