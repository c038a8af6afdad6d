import Foundation
import Testing

@Suite("inspect agrees with openpyxl", .serialized)
struct ReaderAgreementTests {
    static let fixtures = Binary.repoRoot + "/Tests/Fixtures/reader"

    /// Saved by LibreOffice, openpyxl and XlsxWriter (see Tests/Fixtures/reader/make_fixtures.py),
    /// and shaped as WPS Office, Google Sheets and old Mac Excel write them (built here).
    @Test(arguments: ["libreoffice.xlsx", "openpyxl.xlsx", "xlsxwriter.xlsx", "wps-like.xlsx", "google-like.xlsx", "date1904.xlsx"])
    func inspectReadsEveryCellAsOpenpyxlDoes(_ name: String) throws {
        let dir = try Binary.folder()
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
