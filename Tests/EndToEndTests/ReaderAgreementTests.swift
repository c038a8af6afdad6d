// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing

@Suite("inspect agrees with openpyxl", .serialized, .tags(.endToEnd))
struct ReaderAgreementTests {
    static let fixtures = Repository.path("Tests/Fixtures/reader")

    /// Saved by LibreOffice, openpyxl and XlsxWriter (see Tests/Fixtures/reader/make_fixtures.py),
    /// and shaped as WPS Office, Google Sheets and old Mac Excel write them (built here).
    /// The last six exercise the XML rules the reader follows (Sources/XLSX/Reader/README.md).
    @Test(arguments: ["libreoffice.xlsx", "openpyxl.xlsx", "xlsxwriter.xlsx", "wps-like.xlsx", "google-like.xlsx", "date1904.xlsx",
                      "conformance-cells.xlsx", "mac-extension.xlsx", "utf16le.xlsx", "utf16be-no-bom.xlsx", "latin1.xlsx"])
    func inspectReadsEveryCellAsOpenpyxlDoes(_ name: String) throws {
        let dir = try temporaryFolder()
        var path = Self.fixtures + "/" + name
        if !FileManager.default.fileExists(atPath: path) {
            let made = try Binary.python("make_odd_packages.py", [dir])
            #expect(made.status == 0, "\(made.stderr)")
            path = dir + "/" + name
        }
        let inspect = try Binary.run(["inspect", path])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        try inspect.stdout.write(toFile: dir + "/inspect.json", atomically: true, encoding: .utf8)
        let compared = try Binary.python("compare_with_openpyxl.py", [path, dir + "/inspect.json"])
        #expect(compared.status == 0, "differences in \(name):\n\(compared.stdout)\(compared.stderr)")
    }

    /// Builds one package of `make_odd_packages.py` into a fresh folder and returns its path.
    func oddPackage(_ name: String) throws -> String {
        let dir = try temporaryFolder(name)
        let made = try Binary.python("make_odd_packages.py", [dir])
        #expect(made.status == 0, "\(made.stderr)")
        return dir + "/" + name
    }

    @Test func inspectShowsTheTimeOfADateUnderADateOnlyFormatAndTimesAlone() throws {
        let r = try Binary.run(["inspect", try oddPackage("conformance-cells.xlsx"), "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.components(separatedBy: "\r\n")
        #expect(lines[4] == "23:44:52,2025-10-05T08:30:51,2025-10-05T08:30:52,2025-10-05,08:30:00")
        #expect(lines[5] == "2016-05-31T12:11:14,2025-09-30,18:00:00")
    }

    @Test func anEmptySavedValueReadsTheSameWrittenEitherWay() throws {
        let r = try Binary.run(["inspect", try oddPackage("empty-values.xlsx")])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = ((try json(r.stdout) as! [String: Any])["sheets"] as! [[String: Any]])[0]["rows"] as! [[Any]]
        #expect(rows[0][0] is NSNull && rows[0][1] is NSNull)
        #expect((rows[0][2] as? [String: String]) == ["formula": "D1+1"])
        #expect((rows[0][3] as? [String: String]) == ["formula": "D1+1"])
        #expect(rows[0][4] as? Int == 5)
    }

    @Test func aWorkbookWithNoWorksheetIsRefusedByInspectAndValidateInTheSameWords() throws {
        let path = try oddPackage("no-worksheet.xlsx")
        let inspect = try Binary.run(["inspect", path])
        #expect(inspect.status == 2)
        #expect(inspect.stderr.contains("No worksheet could be read from this file"), "\(inspect.stderr)")
        let validate = try Binary.run(["validate", "--json", path])
        #expect(validate.status == 2, "\(validate.stdout)")
        let files = (try json(validate.stdout) as! [String: Any])["files"] as! [[String: Any]]
        let findings = files[0]["findings"] as! [[String: Any]]
        // One refusal, not one "sheet missing" per sheet of the form.
        #expect(findings.count == 1, "\(findings)")
        #expect("\(findings)".contains("No worksheet could be read from this file"), "\(findings)")
        #expect("\(findings)".contains("Không đọc được trang tính nào trong tệp này"), "\(findings)")
    }

    @Test func theDaemonRefusesAWorkbookWithNoWorksheetWithFeedback() throws {
        let site = try TestSite.demo(.settleSeconds(0))
        let dir = site.dir, config = site.config
        try FileManager.default.copyItem(atPath: try oddPackage("no-worksheet.xlsx"), toPath: dir + "/site/var/inbox/bao-cao-10525.xlsx")
        let serve = try Binary.run(["serve", "--config", config, "--once"])
        #expect(serve.status == 0, "\(serve.stderr)")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: dir + "/site/var/rejected").contains { $0.hasSuffix(".xlsx") })
        let feedback = dir + "/site/var/feedback"
        let texts = try FileManager.default.subpathsOfDirectory(atPath: feedback).filter { $0.hasSuffix(".txt") }
            .map { try String(contentsOfFile: feedback + "/" + $0, encoding: .utf8) }
        #expect(texts.contains { $0.contains("No worksheet could be read from this file") }, "\(texts)")
    }

    @Test func csvHasOneBlockPerSheetWithRFC4180Quoting() throws {
        let r = try Binary.run(["inspect", Self.fixtures + "/xlsxwriter.xlsx", "--format", "csv"])
        #expect(r.status == 0)
        let lines = r.stdout.components(separatedBy: "\r\n")
        #expect(lines[0] == "# sheet: Báo cáo")
        #expect(lines[1] == "Làng nghề Bát Tràng,1234.5678,2025-09-30,2469.1356,TRUE")
        #expect(lines[2] == "=không phải công thức")
        #expect(r.stdout.contains("\"a\r\nb\""))
    }
}
