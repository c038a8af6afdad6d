// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing
@testable import XLSX

/// Whatever text a unit's file carries, the workbooks written from it are well-formed and
/// within Excel's limits: checked by openpyxl, which refuses what Excel would repair.
@Suite("Text no workbook may hold")
struct XLSXTextTests {
    /// Swift refuses non-characters in literals: they are made from their code points.
    static func text(_ points: [UInt32]) -> String {
        String(String.UnicodeScalarView(points.map { Unicode.Scalar($0)! }))
    }

    @Test(arguments: [
        ([0x61, 0x01, 0x62], [0x61, 0xFFFD, 0x62]), ([0x74, 0x09, 0x0A, 0x0D], [0x74, 0x09, 0x0A, 0x0D]),
        ([0x1B, 0x5B], [0xFFFD, 0x5B]), ([0x78, 0xFFFE, 0x79, 0xFFFF], [0x78, 0xFFFD, 0x79, 0xFFFD]),
        ([0xFDD0], [0xFFFD]), ([0x10FFFF], [0xFFFD]), ([0x85], [0xFFFD]), ([0x1EA9], [0x1EA9]),
    ] as [([UInt32], [UInt32])])
    func charactersXMLCannotCarryAreReplaced(_ input: [UInt32], _ expected: [UInt32]) {
        #expect(XLSXText.safe(Self.text(input)) == Self.text(expected))
    }

    @Test func longTextIsCutWithinExcelsLimitAtACharacterBoundary() {
        let emoji = String(repeating: "😀", count: 20_000)   // 40,000 UTF-16 units
        let cut = XLSXText.safe(emoji)
        #expect(cut.utf16.count <= XLSXText.maxCellLength)
        #expect(cut.hasSuffix("…"))
        #expect(cut.dropLast().allSatisfy { $0 == "😀" })
        #expect(XLSXText.safe("ngắn") == "ngắn")
    }

    @Test func sheetNamesAreShortenedCleanedAndMadeUnique() {
        let long = "Đề án khuyến công địa phương năm 2026 (bản sửa)"
        let first = XLSXText.sheetName(long)
        #expect(first.utf16.count <= 31)
        #expect(XLSXText.sheetName("a/b:c*d?[e]\\f") == "a_b_c_d__e__f")
        #expect(XLSXText.sheetName("'trích'") == "trích")
        #expect(XLSXText.sheetName("") == "Sheet")
        #expect(XLSXText.sheetName("History") == "History (2)")
        let second = XLSXText.sheetName(long, taken: [first])
        #expect(second != first && second.hasSuffix(" (2)") && second.utf16.count <= 31)
        #expect(XLSXText.sheetName("DATA", taken: ["data"]) == "DATA (2)")
    }

    @Test func aWorkbookWrittenFromHostileTextOpensInOpenpyxl() throws {
        let dir = try temporaryFolder()
        let path = dir + "/hostile.xlsx"
        let wb = try WorkbookWriter(path: path)
        let names = ["Trang tính có tên dài hơn ba mươi mốt ký tự", "Trang tính có tên dài hơn ba mươi mốt ký tự khác", "a:b"]
        var written: [String] = []
        for name in names {
            let ws = try wb.addWorksheet(name)
            written.append(ws.name)
            for c in 0..<0x20 { try ws.write(c, 0, string: "x_\(c)_\u{0}" + String(UnicodeScalar(UInt8(c))) + "y") }
            try ws.write(40, 0, string: "bad" + Self.text([0xFFFE]) + "char")
            try ws.write(41, 0, string: String(repeating: "=A1+", count: 10_000))   // a 40,000-character formula echoed
            try ws.comment(41, 0, "LỖI: " + String(repeating: "x\u{01}", count: 20_000), author: "ruralstat\u{1B}")
            try ws.merge(42, 0, 42, 3, string: "merged\u{07}")
            try ws.writeLink(43, 0, sheet: ws.name, a1: "A1", text: "link\u{02}")
        }
        wb.setProperties(title: "t\u{01}", author: nil, company: nil, created: Date(timeIntervalSince1970: 0))
        try wb.close()
        #expect(Set(written).count == 3)
        #expect(written.allSatisfy { $0.utf16.count <= 31 })
        let out = try Python.run("""
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb.worksheets[0]
            print(len(wb.sheetnames), repr(ws['A2'].value), len(ws['A42'].value), len(ws['A42'].comment.text) <= 32767)
            """, [path])
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "3 'x_1_\u{FFFD}\u{FFFD}y' 32767 True")
    }
}
