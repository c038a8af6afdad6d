// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import Logging
import RuralStatConfig
import RuralStatCore
import RuralStatFiles
import RuralStatMail
import RuralStatPublishing
import RuralStatRender
import RuralStatStore
import RuralStatTesting
import Testing
@testable import RuralStatDaemon

/// What people read of a warned figure, to the last line: the unit's answer (text, workbook and
/// mail) gives the time in Vietnam's clock and the unit's name beside its code; the answer's
/// workbook and the published quality sheet hold the figure as a number in its format, read
/// back with openpyxl as a manager's spreadsheet reads it.
@Suite("What the unit and the managers read of a warned figure")
struct AnswerTests {
    /// 10 October 2025, 17:05 UTC: already 11 October, 00:05, in Vietnam.
    static let receivedAt = Date(timeIntervalSince1970: 1_760_115_900)

    /// A commune's quarter, then its next one with a count of establishments far from the first:
    /// accepted with the warning `indicators.establishments_change` on 9,999.
    func warnedQuarter() throws -> (Workspace, ReportingUnit, ProcessOutcome, SubmissionStore) {
        let ws = try Workspace()
        let store = try SubmissionStore(path: ws.config.paths.database)
        var p = SubmissionPipeline(config: ws.config, definitions: ws.definitions, store: store, logger: Logger(label: "test"))
        p.now = { Self.receivedAt }
        let unit = ws.units[0]
        func claim(_ path: String) throws -> ClaimedFile {
            let dest = ws.config.paths.work + "/" + (path as NSString).lastPathComponent
            try DurableFiles.move(path, to: dest)
            return ClaimedFile(workPath: dest, originalName: (path as NSString).lastPathComponent, unitFolder: nil)
        }
        let first = ws.root + "/q3.xlsx"
        try ws.writeForm(unit, to: first)
        #expect(try p.process(try claim(first)).verdict == .accepted)
        var content = ws.content(unit, period: ws.period.next)
        content.indicators["indicators"]!["establishments"] = .number(9_999)
        let next = ws.config.paths.inbox + "/bc-\(unit.code)-q4.xlsx"
        try ws.writeForm(unit, period: ws.period.next, content: content, to: next)
        let outcome = try p.process(try claim(next))
        #expect(outcome.verdict == .accepted)
        return (ws, unit, outcome, store)
    }

    @Test func theAnswerGivesTheTimeInVietnamAndTheUnitsName() throws {
        let (ws, unit, outcome, _) = try warnedQuarter()
        let answer = try #require(outcome.answer)
        let text = try String(contentsOfFile: answer.path, encoding: .utf8)
        #expect(text.hasSuffix(answer.text))
        #expect(text.contains("Nhận lúc: 11/10/2025 00:05 (giờ Việt Nam)"), "\(text)")
        #expect(text.contains("Received: 11/10/2025 00:05 (Vietnam time, UTC+7)"), "\(text)")
        #expect(!text.contains("UTC\r") && !text.contains("17:05"), "the server's UTC is not the clerk's time: \(text)")
        #expect(text.contains("Đơn vị: \(unit.name) (\(unit.code))") && text.contains("Unit: \(unit.name) (\(unit.code))"), "\(text)")

        // The workbook beside it says the same on its first sheet.
        let workbook = try #require(answer.workbook)
        let info = try Python.run("""
            import json, sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1])["Kết quả kiểm tra"]
            print(json.dumps({str(ws.cell(r, 1).value): ws.cell(r, 4).value for r in range(3, 10)}, ensure_ascii=False))
            """, [workbook])
        let lines = try #require(try JSONSerialization.jsonObject(with: Data(info.utf8)) as? [String: Any])
        #expect(lines["Nhận lúc / Received"] as? String == "11/10/2025 00:05 (giờ Việt Nam / Vietnam time, UTC+7)", "\(lines)")
        #expect(lines["Đơn vị / Unit"] as? String == "\(unit.name) (\(unit.code))", "\(lines)")

        // And the mail the unit gets: the answer's text as its body.
        var province = ws.config.province
        let index = try #require(province.units.firstIndex { $0.code == unit.code })
        province.units[index].email = ["xa@example.gov.vn"]
        let mail = try #require(UnitAnswerMail.message(for: outcome, fileName: "bc.xlsx", province: province,
                                                       settings: MailSettings(from: "so@example.gov.vn"), at: Self.receivedAt))
        #expect(mail.text.contains("Nhận lúc: 11/10/2025 00:05 (giờ Việt Nam)") && mail.text.contains("Đơn vị: \(unit.name) (\(unit.code))"))
    }

    /// The value column of a workbook's sheet, row by row where `key` (a column) matches: the cell's
    /// type as openpyxl reads it (`n` number, `s` text), its value and its number format.
    func valueCells(_ path: String, sheet: String, key: Int, value: Int) throws -> [String: [String]] {
        let out = try Python.run("""
            import json, sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1])[sys.argv[2]]
            key, value = int(sys.argv[3]), int(sys.argv[4])
            print(json.dumps({str(ws.cell(r, key).value): [ws.cell(r, value).data_type, str(ws.cell(r, value).value), ws.cell(r, value).number_format]
                              for r in range(1, ws.max_row + 1) if ws.cell(r, key).value is not None}, ensure_ascii=False))
            """, [path, sheet, String(key), String(value)])
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: [String]])
    }

    @Test func aWarnedCountIsANumberInItsFormatInTheAnswerAndTheQualitySheet() throws {
        let (ws, unit, outcome, store) = try warnedQuarter()
        let warning = try #require(outcome.findings.first { $0.rule == "indicators.establishments_change" })
        let cell = try #require(warning.cell)
        #expect(warning.number == FoundNumber(9_999, format: .integer))

        // The answer's list of findings: cell in column D, value in E.
        let listed = try valueCells(try #require(outcome.answer?.workbook), sheet: "Kết quả kiểm tra", key: 4, value: 5)
        #expect(listed[cell] == ["n", "9999", "#,##0"], "\(listed)")

        // The published quality sheet: rule in column H, value in F.
        let query = PeriodQuery(config: ws.config, definitions: ws.definitions, store: store)
        let paths = try ReportPublisher(query: query, folder: ws.root + "/reports", recordsPublication: false).publish(ws.period.next).paths
        let status = try #require(paths.first { $0.hasSuffix("/tinh-hinh-nop-bao-cao-\(ws.period.next).xlsx") }, "\(paths)")
        let quality = try valueCells(status, sheet: "Chất lượng số liệu", key: 8, value: 6)
        #expect(quality["indicators.establishments_change"] == ["n", "9999", "#,##0"], "\(quality)")
        // The unit's code and name beside it, as the sheet lists them.
        let units = try valueCells(status, sheet: "Chất lượng số liệu", key: 8, value: 2)
        #expect(units["indicators.establishments_change"]?[1] == unit.code, "\(units)")
    }
}
