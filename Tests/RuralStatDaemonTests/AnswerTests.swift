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
/// mail) gives the time in Vietnam's clock and the unit's name beside its code.
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
}
