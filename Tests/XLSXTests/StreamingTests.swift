// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import RuralStatTesting
import Testing
@testable import XLSX

@Suite("Streaming and package edge cases")
struct StreamingTests {
    static let tricky = """
        \u{FEFF}<?xml version="1.0" encoding="UTF-8"?><!-- a comment > with a bracket -->
        <x:worksheet xmlns:x="urn:x"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr" note="a>b"><x:is><x:t xml:space="preserve"> Bát &amp; Tràng </x:t></x:is></x:c>
        <x:c r="B1"><x:v>1.5E+3</x:v></x:c><x:c r="C1"><![CDATA[<raw & text>]]></x:c></x:row>
        <x:row r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="B2"><x:f>SUM(B1)</x:f></x:c></x:row></x:sheetData></x:worksheet>
        """

    /// Events written out as text, so two ways of scanning can be compared.
    static func describe(_ ev: XMLEvent, _ sc: XMLScanner) -> String {
        switch ev {
        case .start(let t):
            var attrs: [String] = []
            sc.forEachAttribute(in: t) { n, v in attrs.append(sc.decode(n, raw: true) + "=" + sc.decode(v, raw: false)) }
            return "<" + sc.decode(t.name, raw: true) + " " + attrs.joined(separator: " ") + (t.selfClosing ? "/>" : ">")
        case .end(let n, _): return "</" + sc.decode(n, raw: true) + ">"
        case .text(let r, let raw): return "'" + sc.decode(r, raw: raw) + "'"
        }
    }

    @Test(arguments: [1, 2, 3, 7, 16, 64, 1 << 16])
    func aSlidingWindowGivesTheSameEventsAsTheWholePart(chunk: Int) throws {
        let dir = try temporaryFolder("stream\(chunk)")
        try makeZip(dir + "/p.zip", [("part.xml", Self.tricky)])
        let bytes = Array(Self.tricky.utf8)
        let whole: [String] = try bytes.withUnsafeBufferPointer { buf in
            var sc = XMLScanner(buf, maxDepth: 64)
            var out: [String] = []
            while let ev = try sc.next() { out.append(Self.describe(ev, sc)) }
            return out
        }
        let zip = try ZipArchive(path: dir + "/p.zip", limits: ReadLimits())
        var stream = XMLStream(entry: try #require(try zip.open("part.xml")), part: "p", maxDepth: 64, chunk: chunk)
        var streamed: [String] = []
        var text = ""
        while let ev = try stream.next() {
            // A run of text may arrive in pieces at a window edge: join the pieces before comparing.
            if case .text = ev, case let piece = Self.describe(ev, stream.scanner), piece.hasPrefix("'") {
                text += piece.dropFirst().dropLast()
                continue
            }
            if !text.isEmpty { streamed.append("'" + text + "'"); text = "" }
            streamed.append(Self.describe(ev, stream.scanner))
        }
        if !text.isEmpty { streamed.append("'" + text + "'") }
        let joinedWhole = whole.reduce(into: [String]()) { acc, e in
            if e.hasPrefix("'"), let last = acc.last, last.hasPrefix("'") { acc[acc.count - 1] = "'" + last.dropFirst().dropLast() + e.dropFirst() } else { acc.append(e) }
        }
        #expect(streamed == joinedWhole)
    }

    @Test func aLargeSheetAcrossManyWindowsIsReadCellForCell() throws {
        let dir = try temporaryFolder()
        var rows = ""
        for r in 1...30_000 {
            rows += "<row r=\"\(r)\"><c r=\"A\(r)\" t=\"inlineStr\"><is><t>làng \(r)</t></is></c><c r=\"B\(r)\"><v>\(r).25</v></c></row>"
        }
        try makeZip(dir + "/big.xlsx", minimalPackage(sheetXML: "<worksheet><sheetData>" + rows + "</sheetData></worksheet>"))
        let reader = try WorkbookReader(path: dir + "/big.xlsx")
        var count = 0, sum = 0.0
        var lastText = ""
        try reader.forEachCell(in: reader.sheets[0]) { address, value in
            count += 1
            switch value {
            case .number(let n): sum += n
            case .string(let s): lastText = s; #expect(s == "làng \(address.row + 1)")
            default: Issue.record("unexpected \(value)")
            }
        }
        #expect(count == 60_000)
        #expect(sum == Double(30_000 * 30_001 / 2) + 0.25 * 30_000)
        #expect(lastText == "làng 30000")
    }

    @Test func partNamesMatchWithBackslashesAnyCaseAndStrictNamespaces() throws {
        let dir = try temporaryFolder()
        let strict = "http://purl.oclc.org/ooxml/officeDocument/relationships"
        try makeZip(dir + "/strict.xlsx", [
            ("_rels/.rels", "<Relationships><Relationship Id=\"r1\" Type=\"\(strict)/officeDocument\" Target=\"/XL/Workbook.xml\"/></Relationships>"),
            ("xl/workbook.xml", "\u{FEFF}<workbook xmlns=\"http://purl.oclc.org/ooxml/spreadsheetml/main\" xmlns:r=\"\(strict)\"><sheets>"
                + "<sheet name=\"Biểu đồ\" sheetId=\"2\" r:id=\"rId2\"/><sheet name=\"Số liệu\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"rId1\" Type=\"\(strict)/worksheet\" Target=\"Worksheets\\Sheet1.XML\"/>"
                + "<Relationship Id=\"rId2\" Type=\"\(strict)/chartsheet\" Target=\"chartsheets/sheet1.xml\"/></Relationships>"),
            ("xl/worksheets/sheet1.xml", "<worksheet xmlns=\"http://purl.oclc.org/ooxml/spreadsheetml/main\"><sheetData><row r=\"1\"><c r=\"A1\"><v>42</v></c></row></sheetData></worksheet>"),
            ("xl/chartsheets/sheet1.xml", "<chartsheet/>"),
        ])
        let reader = try WorkbookReader(path: dir + "/strict.xlsx")
        #expect(reader.sheets.map(\.name) == ["Số liệu"])
        #expect(try reader.cells(of: reader.sheets[0])["A1"] == .number(42))
    }

    @Test func capsFromTheConfigurationAreEnforced() throws {
        let dir = try temporaryFolder()
        let sheet = "<worksheet><sheetData>" + (1...50).map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0)</v></c></row>" }.joined() + "</sheetData></worksheet>"
        try makeZip(dir + "/w.xlsx", minimalPackage(sheetXML: sheet))
        var cells = ReadLimits(); cells.maxCells = 10
        var entry = ReadLimits(); entry.maxEntryBytes = 200
        var entries = ReadLimits(); entries.maxEntries = 3
        var size = ReadLimits(); size.maxFileBytes = 100
        for (limits, words) in [(cells, "more than 10 filled cells"), (entry, "larger than 0 MB"), (entries, "too many parts"), (size, "the limit is 0 MB")] {
            do {
                let reader = try WorkbookReader(path: dir + "/w.xlsx", limits: limits)
                _ = try reader.cells(of: reader.sheets[0])
                Issue.record("not refused: \(words)")
            } catch let e as XLSXError {
                #expect(e.kind == .limitExceeded)
                #expect(e.message.contains(words), "\(e.message)")
            }
        }
    }
}

@Suite("Percent formats")
struct PercentFormatTests {
    @Test func numbersShownAsPercentagesAreReported() throws {
        let dir = try temporaryFolder()
        let wb = try WorkbookWriter(path: dir + "/p.xlsx")
        let ws = try wb.addWorksheet("S")
        try ws.write(0, 0, number: 0.735, style: CellStyle().with { $0.numberFormat = "0.0%" })
        try ws.write(1, 0, number: 0.735)
        try ws.write(2, 0, number: 0.5, style: CellStyle().with { $0.numberFormat = "\"%\"0.0" })
        try wb.close()
        let reader = try WorkbookReader(path: dir + "/p.xlsx")
        let cells = try reader.cells(of: reader.sheets[0])
        #expect(cells["A1"] == .number(0.735))
        #expect(cells.percentFormatted == [CellAddress(a1: "A1")!])
    }
}
