// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import RuralStatTesting
import Testing
@testable import XLSX

@Suite("Reading workbooks")
struct ReaderTests {
    @Test func readsBackEverythingTheWriterWrote() throws {
        let dir = try temporaryFolder()
        let path = dir + "/roundtrip.xlsx"
        let wb = try WorkbookWriter(path: path)
        let ws = try wb.addWorksheet("Làng nghề")
        let tricky = ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "Bát Tràng", "Tống Xá".decomposedStringWithCanonicalMapping, "a\"b<c>&d"]
        for (i, s) in tricky.enumerated() { try ws.write(i, 0, string: s) }
        for (i, n) in [0.1, -5, 1e20, 123_456_789_012, 4.34].enumerated() { try ws.write(i, 1, number: n) }
        try ws.write(0, 2, bool: true)
        try ws.write(1, 2, bool: false)
        try ws.write(0, 3, year: 2025, month: 9, day: 30, style: CellStyle().with { $0.numberFormat = "dd/mm/yyyy" })
        try ws.write(0, 4, formula: "SUM(B1:B2)", result: -4.9)
        try ws.merge(10, 0, 10, 3, string: "Tổng cộng")
        try wb.close()

        let reader = try WorkbookReader(path: path)
        #expect(reader.sheets.map(\.name) == ["Làng nghề"])
        let cells = try reader.cells(of: reader.sheets[0])
        for (i, s) in tricky.enumerated() { #expect(cells[i, 0] == .string(s)) }
        #expect(cells["B1"] == .number(0.1))
        #expect(cells["B2"] == .number(-5))
        #expect(cells["B3"] == .number(1e20))
        #expect(cells["B4"] == .number(123_456_789_012))
        #expect(cells["C1"] == .bool(true))
        #expect(cells["C2"] == .bool(false))
        #expect(cells["D1"] == .date(SpreadsheetDate(year: 2025, month: 9, day: 30)))
        #expect(cells["E1"] == .number(-4.9))
        #expect(cells.mergedRanges == [CellAddress(a1: "A11")!...CellAddress(a1: "D11")!])
        #expect(cells.lastRow == 10)
    }

    @Test func readsAWorkbookSavedByOpenpyxl() throws {
        let dir = try temporaryFolder()
        let path = dir + "/openpyxl.xlsx"
        try Python.run("""
            import sys, datetime, openpyxl
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "Chỉ tiêu"
            ws["A1"] = "Số lao động"
            ws["B1"] = 44000
            ws["B2"] = 4100.5
            ws["C1"] = datetime.date(2015, 12, 31)
            ws["C1"].number_format = "dd/mm/yyyy"
            ws["C2"] = datetime.datetime(2025, 10, 5, 8, 30, 0)
            ws["D1"] = True
            ws["E5"] = "cuối"
            ws["F1"] = "=B1+B2"
            hidden = wb.create_sheet("Ẩn")
            hidden.sheet_state = "hidden"
            wb.save(sys.argv[1])
            """, [path])
        let reader = try WorkbookReader(path: path)
        #expect(reader.sheets.map(\.name) == ["Chỉ tiêu", "Ẩn"])
        #expect(reader.sheets[1].state == "hidden")
        let cells = try reader.cells(of: reader.sheets[0])
        #expect(cells["A1"] == .string("Số lao động"))
        #expect(cells["B1"] == .number(44_000))
        #expect(cells["B2"] == .number(4_100.5))
        #expect(cells["C1"] == .date(SpreadsheetDate(year: 2015, month: 12, day: 31)))
        #expect(cells["C2"] == .date(SpreadsheetDate(year: 2025, month: 10, day: 5, hour: 8, minute: 30, hasTime: true)))
        #expect(cells["D1"] == .bool(true))
        #expect(cells["E5"] == .string("cuối"))
        // openpyxl saves formulas without a computed value: reported as such, never as 0.
        #expect(cells["F1"] == .formula("B1+B2"))
    }

    @Test func readsRowsAndCellsWithoutReferencesPrefixesAndRichText() throws {
        let dir = try temporaryFolder()
        let path = dir + "/loose.xlsx"
        let sheet = """
            <?xml version="1.0" encoding="UTF-8"?>
            <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
            <x:row><x:c t="s"><x:v>0</x:v></x:c><x:c><x:v>7</x:v></x:c></x:row>
            <x:row><x:c t="inlineStr"><x:is><x:r><x:t>Gốm </x:t></x:r><x:r><x:t xml:space="preserve">Chu Đậu</x:t></x:r></x:is></x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row>
            <x:row r="5"><x:c r="C5" t="s"><x:v>1</x:v></x:c></x:row>
            </x:sheetData></x:worksheet>
            """
        let strings = """
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Tên</t><rPh><t>ten</t></rPh></si><si><r><t>Line_x000D_</t></r><r><t>&amp;&#x1EA1;</t></r></si></sst>
            """
        try makeZip(path, minimalPackage(sheetXML: sheet, sharedStrings: strings))
        let cells = try WorkbookReader(path: path).cells(of: try #require(WorkbookReader(path: path).sheets.first))
        #expect(cells["A1"] == .string("Tên"))
        #expect(cells["B1"] == .number(7))
        #expect(cells["A2"] == .string("Gốm Chu Đậu"))
        #expect(cells["B2"] == .error("#N/A"))
        #expect(cells["C5"] == .string("Line\r&ạ"))
    }

    /// Files a district might send, each refused with a message naming the problem.
    static let hostile: [(name: String, kind: XLSXError.Kind, words: String)] = [
        ("csv", .notAZip, "not an .xlsx"),
        ("empty", .truncated, "empty"),
        ("truncated", .truncated, "incomplete"),
        ("legacy-xls", .notAZip, "97–2003"),
        ("encrypted", .encrypted, "password"),
        ("dtd", .malformed, "DTD"),
        ("deep", .limitExceeded, "nests"),
        ("bomb", .limitExceeded, "zip bomb"),
        ("no-workbook", .missingPart, "no workbook"),
        ("bad-shared-string", .malformed, "shared string"),
        ("long-string", .limitExceeded, "32767"),
    ]

    @Test(arguments: hostile)
    func refusesHostileAndBrokenFiles(_ c: (name: String, kind: XLSXError.Kind, words: String)) throws {
        let dir = try temporaryFolder()
        let path = dir + "/" + c.name + ".xlsx"
        var limits = ReadLimits()
        let plainSheet = #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>3</v></c></row></sheetData></worksheet>"#
        switch c.name {
        case "csv": try Data("ma_don_vi,so_lao_dong\nHDG,500\n".utf8).write(to: URL(fileURLWithPath: path))
        case "empty": try Data().write(to: URL(fileURLWithPath: path))
        case "truncated":
            let good = dir + "/good.xlsx"
            let wb = try WorkbookWriter(path: good)
            try wb.addWorksheet("A").write(0, 0, string: String(repeating: "làng nghề ", count: 2000))
            try wb.close()
            let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
            try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        case "legacy-xls":
            try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)).write(to: URL(fileURLWithPath: path))
        case "encrypted":
            let name = "EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 200) + name).write(to: URL(fileURLWithPath: path))
        case "dtd":
            try makeZip(path, minimalPackage(sheetXML: #"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData/></worksheet>"#))
        case "deep":
            try makeZip(path, minimalPackage(sheetXML: String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200)))
        case "bomb":
            limits.ratioFloorBytes = 1 << 20
            try makeZip(path, minimalPackage(sheetXML: "<worksheet><sheetData>" + String(repeating: " ", count: 30 << 20) + "</sheetData></worksheet>"))
        case "no-workbook":
            try makeZip(path, [("_rels/.rels", "<Relationships/>"), ("docProps/app.xml", "<Properties/>")])
        case "bad-shared-string":
            try makeZip(path, minimalPackage(sheetXML: plainSheet, sharedStrings: "<sst><si><t>x</t></si></sst>"))
        case "long-string":
            try makeZip(path, minimalPackage(sheetXML: plainSheet, sharedStrings: "<sst><si><t>" + String(repeating: "x", count: 40_000) + "</t></si></sst>"))
        default: Issue.record("no such case")
        }
        let started = Date()
        do {
            let reader = try WorkbookReader(path: path, limits: limits)
            for sheet in reader.sheets { _ = try reader.cells(of: sheet) }
            Issue.record("\(c.name) was read without complaint")
        } catch let e as XLSXError {
            #expect(e.kind == c.kind, "\(c.name): \(e)")
            #expect(e.message.contains(c.words) || e.message.contains(c.words.replacingOccurrences(of: "32767", with: "32,767")) || e.description.contains(c.words), "\(c.name): \(e.message)")
        }
        #expect(Date().timeIntervalSince(started) < 2)
    }
}

@Suite("The XML scanner")
struct XMLScannerTests {
    func events(_ xml: String, maxDepth: Int = 64) throws -> [String] {
        let bytes = Array(xml.utf8)
        return try bytes.withUnsafeBufferPointer { buf in
            var sc = XMLScanner(buf, maxDepth: maxDepth)
            var out: [String] = []
            while let ev = try sc.next() {
                switch ev {
                case .start(let t): out.append("<" + sc.decode(t.name, raw: true) + (sc.attribute("v", in: t).map { " v=\($0)" } ?? "") + (t.selfClosing ? "/>" : ">"))
                case .end(let n, _): out.append("</" + sc.decode(n, raw: true) + ">")
                case .text(let r, let raw): out.append(sc.decode(r, raw: raw))
                }
            }
            return out
        }
    }

    @Test func decodesEntitiesCDATAAndStripsPrefixes() throws {
        #expect(try events(#"<?xml version="1.0"?><!-- c --><p:a v='1 &amp; 2'>x &lt;&#233;&#x1EA1;<![CDATA[<&>]]></p:a><b/>"#)
                == ["<a v=1 & 2>", "x <éạ", "<&>", "</a>", "<b/>"])
    }

    @Test func refusesAnyDocumentTypeDeclaration() {
        #expect(throws: XLSXError.self) { try events(#"<!DOCTYPE lolz [<!ENTITY lol "lol">]><a>&lol;</a>"#) }
    }

    @Test func capsTheNestingDepth() {
        #expect(throws: XLSXError.self) { try events("<a><a><a><a></a></a></a></a>", maxDepth: 3) }
        #expect((try? events("<a><a><a></a></a></a>", maxDepth: 3)) != nil)
    }

    @Test func refusesUnclosedMarkup() {
        #expect(throws: XLSXError.self) { try events("<a><b") }
        #expect(throws: XLSXError.self) { try events("<a><!-- never closed") }
    }
}
