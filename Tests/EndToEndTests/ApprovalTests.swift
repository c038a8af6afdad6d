// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing

/// A province approves its quarter: the file it writes for the ministry carries exactly the
/// province's figures, so that a site of the level above, taking it as a submission, exports for
/// the province what the province exports for itself; a file arriving after the approval is
/// held until the period is opened again and approved anew.
@Suite("Approving a quarter for the ministry", .serialized, .tags(.endToEnd))
struct ApprovalTests {
    /// The province's own figures of `period`, from its `export`: figure id → the quarter's value.
    static func quarterFigures(_ export: Any, unit: String? = nil) -> [String: Double] {
        let doc = export as? [String: Any] ?? [:]
        let scope: [String: Any]?
        if let unit {
            scope = (doc["units"] as? [[String: Any]])?.first { $0["code"] as? String == unit }
        } else {
            scope = doc["province"] as? [String: Any]
        }
        var out: [String: Double] = [:]
        for (id, values) in scope?["figures"] as? [String: Any] ?? [:] {
            if let v = (values as? [String: Any])?["quarter"] as? Double { out[id] = v }
        }
        return out
    }

    /// Each figure the province exports whose value the level above does not give the same, to
    /// the millionth every figure is kept in (a mean of the units' values has more digits).
    static func differences(_ province: [String: Double], _ national: [String: Double]) -> [String] {
        province.keys.sorted().compactMap { id in
            let value = province[id]!
            guard let other = national[id] else { return "\(id): \(value) at the province, nothing above" }
            return (other * 1_000_000).rounded() == (value * 1_000_000).rounded() ? nil : "\(id): \(value) at the province, \(other) above"
        }
    }

    /// The ministry's site, as `init --national` makes it (the 34 provinces, the province-level
    /// form), taking files as soon as they are there.
    static func ministrySite(_ dir: String) throws -> String {
        let made = try Binary.run(["init", dir + "/bo", "--national"])
        guard made.status == 0 else { throw SetupFailure(step: "ruralstat init --national", output: made.stderr) }
        let config = dir + "/bo/ruralstat.yaml"
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try text.replacingOccurrences(of: "settle_seconds: 2 ", with: "settle_seconds: 0 ").write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    @Test func theApprovedFileCarriesTheProvincesFiguresToTheLevelAbove() throws {
        let site = try TestSite.demo(.settleSeconds(0))
        let period = "2025-Q4"
        // Delivered to the ministry's share mounted here, and by mail through the outbox.
        let share = site.dir + "/bo-share"
        try site.editConfiguration { $0 + """

            upward: {folder: \(share)}
            mail: {from: "Sở Công Thương <ruralstat@haiphong.test>", upward: "khuyencong@moit.test"}
            """ }
        for (unit, seed) in [("10525", 11), ("10546", 12), ("10675", 13)] {
            try site.fill(unit: unit, period: period, seed: seed, to: site.inbox + "/bao-cao-\(unit).xlsx")
        }
        #expect(try Binary.run(["serve", "--once", "--config", site.config]).status == 0)
        let provinceExport = try json(Binary.run(["export", "--period", period, "--config", site.config]).stdout)
        let provinceFigures = Self.quarterFigures(provinceExport)
        #expect((provinceFigures["villages.rows"] ?? 0) > 0)

        // Approved: the period closes, the file is written, its path the last line.
        let approved = try Binary.run(["period", "approve", period, "--by", "Trần Văn Duyệt", "--note", "Số liệu quý IV", "--config", site.config])
        #expect(approved.status == 0, "\(approved.stderr)")
        let path = approved.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(path.hasSuffix("/var/outbound/\(period)/31-\(period)-v1.xlsx"), "\(approved.stdout)")
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(FileManager.default.contents(atPath: share + "/31-\(period)-v1.xlsx") == FileManager.default.contents(atPath: path),
                "the ministry's share has the approved file, byte for byte")
        let mails = try Binary.run(["mail", "list", "--config", site.config]).stdout
        #expect(mails.contains("khuyencong@moit.test") && mails.contains("lần 1"), "\(mails)")

        // The level above takes it as a submission, valid against the province-level form, and
        // exports for the province exactly what the province exports for itself.
        let ministry = try Self.ministrySite(site.dir)
        let checked = try Binary.run(["validate", path, "--json", "--config", ministry])
        #expect(checked.status == 0, "\(checked.stdout) \(checked.stderr)")
        // A commune's form sent to the ministry by mistake is refused for its form, on its form cell.
        let communeForm = site.dir + "/xa-10525.xlsx"
        try site.fill(unit: "10525", period: period, seed: 5, to: communeForm)
        let wrongForm = try Binary.run(["validate", communeForm, "--json", "--config", ministry])
        #expect(wrongForm.status == 1 && wrongForm.stdout.contains("\"form.unknown\"") && wrongForm.stdout.contains("ruralstat-province-quarterly v1"),
                "\(wrongForm.stdout.prefix(600))")
        try FileManager.default.copyItem(atPath: path, toPath: site.dir + "/bo/var/inbox/31-\(period)-v1.xlsx")
        #expect(try Binary.run(["serve", "--once", "--config", ministry]).status == 0)
        let national = Self.quarterFigures(try json(Binary.run(["export", "--period", period, "--config", ministry]).stdout), unit: "31")
        let differences = Self.differences(provinceFigures, national)
        #expect(differences.isEmpty, "\(differences.prefix(10))")

        // A commune's file after the approval is held, and the period cannot be approved over it.
        try site.fill(unit: "10546", period: period, seed: 99, to: site.inbox + "/bao-cao-10546-sua.xlsx")
        #expect(try Binary.run(["serve", "--once", "--config", site.config]).status == 0)
        let status = try json(Binary.run(["status", "--json", "--period", period, "--config", site.config]).stdout) as? [String: Any]
        let approval = status?["approval"] as? [String: Any]
        #expect(approval?["version"] as? Double == 1 && approval?["changed_units"] as? [String] == ["10546"], "\(String(describing: approval))")
        #expect(try Binary.run(["status", "--period", period, "--config", site.config]).stdout.contains("Có thay đổi sau khi phê duyệt, chưa có trong bản đã gửi: 10546"))
        let refused = try Binary.run(["period", "approve", period, "--config", site.config])
        #expect(refused.status == 1 && refused.stderr.contains("10546") && refused.stderr.contains("held"), "\(refused.stderr)")
        #expect(try Binary.run(["period", "reopen", period, "--config", site.config]).status == 0)
        let again = try Binary.run(["period", "approve", period, "--config", site.config])
        #expect(again.status == 0 && again.stdout.hasSuffix("31-\(period)-v2.xlsx\n"), "\(again.stdout) \(again.stderr)")
        let settled = try json(Binary.run(["status", "--json", "--period", period, "--config", site.config]).stdout) as? [String: Any]
        #expect((settled?["approval"] as? [String: Any])?["changed_units"] as? [String] == [], "the second version has every file")
        // The second version supersedes the first at the level above: its figures are the province's now.
        let changed = Self.quarterFigures(try json(Binary.run(["export", "--period", period, "--config", site.config]).stdout))
        #expect(changed != provinceFigures)
        let second = again.stdout.split(separator: "\n").last.map(String.init) ?? ""
        try FileManager.default.copyItem(atPath: second, toPath: site.dir + "/bo/var/inbox/31-\(period)-v2.xlsx")
        #expect(try Binary.run(["serve", "--once", "--config", ministry]).status == 0)
        let nationalAfter = Self.quarterFigures(try json(Binary.run(["export", "--period", period, "--config", ministry]).stdout), unit: "31")
        let differencesAfter = Self.differences(changed, nationalAfter)
        #expect(differencesAfter.isEmpty, "after version 2: \(differencesAfter.prefix(10))")

        // Overtaken on its way: at a site that has version 2, version 1 arriving late is refused
        // with a finding on its version cell, and version 2's figures stay.
        let other = try Self.ministrySite(site.dir + "/other")
        let otherInbox = site.dir + "/other/bo/var/inbox"
        try FileManager.default.copyItem(atPath: second, toPath: otherInbox + "/31-\(period)-v2.xlsx")
        #expect(try Binary.run(["serve", "--once", "--config", other]).status == 0)
        try FileManager.default.copyItem(atPath: path, toPath: otherInbox + "/31-\(period)-v1.xlsx")
        #expect(try Binary.run(["serve", "--once", "--config", other]).status == 0)
        let answers = try FileManager.default.contentsOfDirectory(atPath: site.dir + "/other/bo/var/feedback/31")
        let refusal = try answers.first { $0.contains("31-\(period)-v1") && $0.hasSuffix(".loi.txt") }
            .map { try String(contentsOfFile: site.dir + "/other/bo/var/feedback/31/" + $0, encoding: .utf8) }
        #expect(refusal?.contains("lần gửi 2 đã được tiếp nhận") == true, "\(answers) \(refusal ?? "")")
        let kept = Self.quarterFigures(try json(Binary.run(["export", "--period", period, "--config", other]).stdout), unit: "31")
        #expect(Self.differences(changed, kept).isEmpty, "version 2's figures stay")

        // Both arriving in one pass, version 2 taken first: version 1 is still refused (the
        // versions are compared again as each file is stored, one at a time).
        let third = try Self.ministrySite(site.dir + "/third")
        let thirdInbox = site.dir + "/third/bo/var/inbox"
        try FileManager.default.copyItem(atPath: second, toPath: thirdInbox + "/a-31-v2.xlsx")
        try FileManager.default.copyItem(atPath: path, toPath: thirdInbox + "/b-31-v1.xlsx")
        #expect(try Binary.run(["serve", "--once", "--config", third]).status == 0)
        let together = Self.quarterFigures(try json(Binary.run(["export", "--period", period, "--config", third]).stdout), unit: "31")
        #expect(Self.differences(changed, together).isEmpty, "version 2's figures, whatever the order in one pass: \(Self.differences(changed, together).prefix(5))")
    }

    @Test func theMinistrysSiteHasTheProvincesByRegionAndTheFormerOnesAsTheirHistory() throws {
        let dir = try temporaryFolder("national")
        let config = try Self.ministrySite(dir)
        let status = try json(Binary.run(["status", "--json", "--period", "2026-Q1", "--config", config]).stdout) as? [String: Any]
        let units = (status?["units"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        #expect(units.count == 34 && Set(units).count == 34, "\(units)")
        let before = try json(Binary.run(["status", "--json", "--period", "2025-Q2", "--config", config]).stdout) as? [String: Any]
        let former = (before?["units"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        #expect(former.count == 63 && former.allSatisfy { $0.hasPrefix("TC") }, "\(former)")
        let schema = try json(Binary.run(["schema", "--json", "--config", config]).stdout) as? [String: Any]
        #expect(schema?["id"] as? String == "ruralstat-province-quarterly")
        let text = try String(contentsOfFile: config, encoding: .utf8)
        #expect(text.contains("{from: \"TC30\", to: \"31\"}"), "old Hải Dương is Hải Phòng's history")
    }

    @Test func aProvinceWithoutItsCodeIsToldWhatToSet() throws {
        let site = try TestSite.make(demo: false)
        let refused = try Binary.run(["period", "approve", "2025-Q4", "--config", site.config])
        #expect(refused.status == 2 && refused.stderr.contains("province.code"), "\(refused.stderr)")
    }
}
