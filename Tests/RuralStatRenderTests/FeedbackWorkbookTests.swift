// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatCore
import RuralStatTesting
import Testing
@testable import RuralStatRender

/// The answer's list of findings read back with openpyxl, as the clerk's spreadsheet reads it.
@Suite("The feedback workbook's list of findings")
struct FeedbackWorkbookTests {
    @Test func aFindingsValueIsANumberCellInItsFiguresFormatAndTextStaysText() throws {
        let path = try temporaryFolder() + "/loi.xlsx"
        func finding(_ cell: String, _ value: String, _ number: FoundNumber?) -> Finding {
            Finding(.warning, rule: "r", sheet: "Chỉ tiêu", cell: cell, value: value, number: number, message: LocalizedText(vi: "v", en: "e"))
        }
        let findings = [finding("E5", "812", FoundNumber(812, format: .integer)), finding("E6", "3250,4", FoundNumber(3_250.4, format: .money)),
                        finding("E7", "73,5", FoundNumber(73.5, format: .percent)), finding("E8", "1,25", FoundNumber(1.25, format: .decimal)),
                        finding("E9", "3.5", FoundNumber(3.5, format: nil)), finding("E10", "Làng gốm", nil)]
        let header = FeedbackWorkbook.Header(fileName: "bc.xlsx", receivedAt: Date(timeIntervalSince1970: 0), sha256: "ab", unitCode: "U01",
                                             unitName: "Huyện Một", period: Period("2025-Q3"), accepted: true)
        try FeedbackWorkbook().write(to: path, header: header, sheets: [], findings: findings)
        let out = try Python.run("""
            import json, sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1])["Kết quả kiểm tra"]
            print(json.dumps({str(ws.cell(r, 4).value): [ws.cell(r, 5).data_type, ws.cell(r, 5).value, ws.cell(r, 5).number_format]
                              for r in range(1, ws.max_row + 1)}, ensure_ascii=False))
            """, [path])
        let cells = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: [Any]])
        func shown(_ cell: String) -> String { cells[cell].map { $0.map { "\($0)" }.joined(separator: " | ") } ?? "-" }
        #expect(shown("E5") == "n | 812 | #,##0")
        #expect(shown("E6") == "n | 3250.4 | #,##0.0")
        #expect(shown("E7") == "n | 73.5 | #,##0.0")
        #expect(shown("E8") == "n | 1.25 | #,##0.00")
        #expect(shown("E9") == "n | 3.5 | General")
        #expect(shown("E10") == "s | Làng gốm | General")
    }
}
