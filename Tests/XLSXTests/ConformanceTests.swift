// SPDX-License-Identifier: Apache-2.0
import CellModel
import Foundation
import RuralStatTesting
import Testing
@testable import XLSX

/// The XML 1.0, Namespaces in XML and SpreadsheetML rules the reader follows, each shown on a
/// package written by hand here (see Sources/XLSX/Reader/README.md for the table).
@Suite("XML and OOXML conformance")
struct ConformanceTests {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// A worksheet in the transitional namespace around `rows`.
    static func sheet(_ rows: String) -> String {
        "<worksheet xmlns=\"\(main)\"><sheetData>\(rows)</sheetData></worksheet>"
    }

    /// Reads the first worksheet of a package built from `entries`.
    func firstSheet(_ entries: [(String, String)], _ name: String = #function) throws -> SheetCells {
        let path = try temporaryFolder(name) + "/book.xlsx"
        try makeZip(path, entries)
        let reader = try WorkbookReader(path: path)
        return try reader.cells(of: try #require(reader.sheets.first))
    }

    // MARK: XML 1.0 §2.11 end-of-line handling

    @Test func lineEndsInTextBecomeLineFeedsWhileEscapedCarriageReturnsStay() throws {
        let strings = "<sst xmlns=\"\(Self.main)\"><si><t>Dòng 1\r\nDòng 2\rDòng 3&#13;&#10;Dòng 4_x000D_</t></si>"
            + "<si><t><![CDATA[a\r\nb\rc]]></t></si></sst>"
        let rows = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
            + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>x\r\ny</t></is></c><c r=\"B2\" t=\"str\"><v>p\r\nq\r</v></c></row>"
        let cells = try firstSheet(minimalPackage(sheetXML: Self.sheet(rows), sharedStrings: strings))
        #expect(cells["A1"] == .string("Dòng 1\nDòng 2\nDòng 3\r\nDòng 4\r"))
        #expect(cells["B1"] == .string("a\nb\nc"))
        #expect(cells["A2"] == .string("x\ny"))
        #expect(cells["B2"] == .string("p\nq\n"))
    }

    // MARK: XML 1.0 §3.3.3 attribute-value normalisation

    @Test func attributeValuesTurnTabsAndLineEndsIntoSpacesButKeepReferencedOnes() throws {
        let workbook = "<workbook xmlns=\"\(Self.main)\" xmlns:r=\"\(Self.rels)\"><sheets>"
            + "<sheet name=\"Biểu\r\n1\tA&#10;B&#9;C\rD\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
        let path = try temporaryFolder() + "/book.xlsx"
        try makeZip(path, minimalPackage(sheetXML: Self.sheet(""), workbookXML: workbook))
        #expect(try WorkbookReader(path: path).sheets.map(\.name) == ["Biểu 1 A\nB\tC D"])
    }

    // MARK: one notion of an empty element

    /// Each pair is the same cell written with `<x/>` and with `<x></x>`, and how it reads.
    static let emptySpellings: [(String, String, CellValue?)] = [
        // The empty text a formula such as IF(…,"",…) saves: an empty cell, nothing to re-save.
        (#"<c r="A1" t="str"><f>IF(B1,"",1)</f><v/></c>"#, #"<c r="A1" t="str"><f>IF(B1,"",1)</f><v></v></c>"#, nil),
        // No number saved: the formula was never computed (openpyxl writes formulas so).
        (#"<c r="A1"><f>B1+1</f><v/></c>"#, #"<c r="A1"><f>B1+1</f><v></v></c>"#, .formula("B1+1")),
        (#"<c r="A1" t="b"><f>B1&gt;1</f><v/></c>"#, #"<c r="A1" t="b"><f>B1&gt;1</f><v></v></c>"#, .formula("B1>1")),
        (#"<c r="A1" t="b"><v/></c>"#, #"<c r="A1" t="b"><v></v></c>"#, nil),
        (#"<c r="A1" t="e"><v/></c>"#, #"<c r="A1" t="e"><v></v></c>"#, nil),
        (#"<c r="A1" t="s"><v/></c>"#, #"<c r="A1" t="s"><v></v></c>"#, nil),
        (#"<c r="A1" t="d"><v/></c>"#, #"<c r="A1" t="d"><v></v></c>"#, nil),
        (#"<c r="A1" t="inlineStr"><is><t/></is></c>"#, #"<c r="A1" t="inlineStr"><is><t></t></is></c>"#, nil),
        (#"<c r="A1" t="inlineStr"><is/></c>"#, #"<c r="A1" t="inlineStr"><is></is></c>"#, nil),
    ]

    @Test(arguments: emptySpellings)
    func anEmptyElementMeansTheSameHoweverItIsWritten(_ selfClosed: String, _ openAndClose: String, _ expected: CellValue?) throws {
        let short = try firstSheet(minimalPackage(sheetXML: Self.sheet("<row r=\"1\">\(selfClosed)</row>")), "short")
        let long = try firstSheet(minimalPackage(sheetXML: Self.sheet("<row r=\"1\">\(openAndClose)</row>")), "long")
        #expect(short["A1"] == expected, "\(selfClosed) read as \(String(describing: short["A1"]))")
        #expect(long["A1"] == expected, "\(openAndClose) read as \(String(describing: long["A1"]))")
    }

    @Test func anEmptyFormulaElementDoesNotInheritThePreviousCellsFormula() throws {
        let rows = #"<row r="1"><c r="A1"><f t="shared" ref="A1:B1" si="0">SUM(C1)</f></c><c r="B1"><f t="shared" si="0"/></c></row>"#
        let cells = try firstSheet(minimalPackage(sheetXML: Self.sheet(rows)))
        #expect(cells["A1"] == .formula("SUM(C1)"))
        #expect(cells["B1"] == .formula(""))
    }

    // MARK: Namespaces in XML 1.0

    @Test func anExtensionElementWithTheSameLocalNameDoesNotResetTheDateSystem() throws {
        let workbook = """
            <workbook xmlns="\(Self.main)" xmlns:r="\(Self.rels)" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" \
            xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main" mc:Ignorable="x15">\
            <workbookPr date1904="1" defaultThemeVersion="166925"/><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets>\
            <extLst><ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}"><x15:workbookPr chartTrackingRefBase="1"/></ext></extLst></workbook>
            """
        let path = try temporaryFolder() + "/mac.xlsx"
        try makeZip(path, minimalPackage(sheetXML: Self.sheet(""), workbookXML: workbook))
        #expect(try WorkbookReader(path: path).date1904)
    }

    @Test func workbookElementsAndTheRelationshipIdAreKnownByNamespaceUnderAnyPrefix() throws {
        let workbook = """
            <s:workbook xmlns:s="\(Self.main)" xmlns:rel="\(Self.rels)"><s:sheets>\
            <s:sheet name="Một" sheetId="1" rel:id="rId1"/>\
            <s:sheet name="Giả" sheetId="2" o:id="rId1" xmlns:o="urn:other"/>\
            <sheet name="Khác" sheetId="3" rel:id="rId1" xmlns="urn:other"/></s:sheets></s:workbook>
            """
        let path = try temporaryFolder() + "/prefixed.xlsx"
        try makeZip(path, minimalPackage(sheetXML: Self.sheet(#"<row r="1"><c r="A1"><v>1</v></c></row>"#), workbookXML: workbook))
        #expect(try WorkbookReader(path: path).sheets.map(\.name) == ["Một"])
    }

    @Test func cellsInAnotherNamespaceAndPrefixedAttributesAreNotTakenForSpreadsheetOnes() throws {
        let sheet = """
            <w:worksheet xmlns:w="\(Self.main)" xmlns="urn:other"><w:sheetData><w:row w:r="9" r="1">\
            <w:c r="A1"><w:v>1</w:v></w:c><c r="B1"><v>2</v></c>\
            <w:c r="C1" foo:r="Z9" xmlns:foo="urn:x"><w:v>3</w:v><v>4</v></w:c>\
            <w:c r="D1"><w:v>5</w:v><x:v xmlns:x="urn:x">6</x:v></w:c>\
            <w:c r="E1"><v xmlns="\(Self.main)">7</v></w:c></w:row></w:sheetData></w:worksheet>
            """
        let cells = try firstSheet(minimalPackage(sheetXML: sheet))
        #expect(cells.cells == [
            CellAddress(a1: "A1")!: .number(1), CellAddress(a1: "C1")!: .number(3),
            CellAddress(a1: "D1")!: .number(5), CellAddress(a1: "E1")!: .number(7),
        ])
    }

    // MARK: XML 1.0 §4.3.3 character encoding

    /// The same package in each encoding XML processors must read.
    static let utf16Forms = ["UTF-16LE with BOM", "UTF-16BE with BOM", "UTF-16LE", "UTF-16BE"]

    static func encode(_ text: String, _ form: String) -> [UInt8] {
        let bigEndian = form.hasPrefix("UTF-16BE")
        let units = (form.hasSuffix("BOM") ? [0xFEFF] : []) + Array(text.utf16)
        return units.flatMap { bigEndian ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    @Test(arguments: utf16Forms)
    func readsAPackageWhosePartsAreUTF16(_ form: String) throws {
        let declaration = "<?xml version=\"1.0\" encoding=\"\(form.hasSuffix("BOM") ? "UTF-16" : form)\" standalone=\"yes\"?>\r\n"
        let rows = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Bát Tràng 😀</t></is></c><c r=\"B1\"><v>1.5</v></c></row>"
            + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c></row>"
        let strings = "<sst xmlns=\"\(Self.main)\"><si><t>Tên làng</t></si></sst>"
        let entries = minimalPackage(sheetXML: Self.sheet(rows), sharedStrings: strings).map { name, text in
            (name, Self.encode(declaration + text.replacingOccurrences(of: #"<?xml version="1.0"?>"#, with: ""), form))
        }
        let path = try temporaryFolder(form) + "/utf16.xlsx"
        try makeZip(path, bytes: entries)
        let reader = try WorkbookReader(path: path)
        #expect(reader.sheets.map(\.name) == ["Data"])
        let cells = try reader.cells(of: try #require(reader.sheets.first))
        #expect(cells["A1"] == .string("Bát Tràng 😀"))
        #expect(cells["B1"] == .number(1.5))
        #expect(cells["A2"] == .string("Tên làng"))
    }

    @Test(arguments: [1, 2, 3, 5, 7, 64])
    func aUTF16PartStreamedInSmallPiecesGivesTheSameEventsAsItsUTF8Form(chunk: Int) throws {
        let dir = try temporaryFolder("utf16stream\(chunk)")
        let text = StreamingTests.tricky.replacingOccurrences(of: "\u{FEFF}", with: "")
            .replacingOccurrences(of: "Bát", with: "Bát 😀𝄞")
        let utf16 = Self.encode(text.replacingOccurrences(of: "UTF-8", with: "UTF-16"), "UTF-16BE with BOM")
        try makeZip(dir + "/p.zip", bytes: [("utf8.xml", Array(text.utf8)), ("utf16.xml", utf16)])
        let zip = try ZipArchive(path: dir + "/p.zip", limits: ReadLimits())
        func events(_ part: String) throws -> [String] {
            var stream = XMLStream(entry: try #require(try zip.open(part)), part: part, maxDepth: 64, chunk: chunk)
            var out: [String] = []
            while let ev = try stream.next() {
                let piece = StreamingTests.describe(ev, stream.scanner)
                // Text may arrive in pieces at a window edge: join them before comparing.
                if piece.hasPrefix("'"), let last = out.last, last.hasPrefix("'") {
                    out[out.count - 1] = String(last.dropLast()) + piece.dropFirst()
                } else {
                    out.append(piece)
                }
            }
            return out
        }
        let utf8 = try events("utf8.xml")
        #expect(utf8.contains("' Bát 😀𝄞 & Tràng '"))
        #expect(try events("utf16.xml") == utf8)
    }

    @Test func readsALatin1PartAndRefusesAnEncodingItCannotRead() throws {
        let latin1 = Array(#"<?xml version="1.0" encoding="ISO-8859-1"?>"#.utf8) + Array("<sst xmlns=\"\(Self.main)\"><si><t>caf".utf8) + [0xE9] + Array("</t></si></sst>".utf8)
        let sheet = Array(Self.sheet(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#).utf8)
        let dir = try temporaryFolder()
        var entries = minimalPackage(sheetXML: "").map { ($0.0, Array($0.1.utf8)) }.filter { $0.0 != "xl/worksheets/sheet1.xml" }
        entries += [("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", latin1)]
        try makeZip(dir + "/latin1.xlsx", bytes: entries)
        let reader = try WorkbookReader(path: dir + "/latin1.xlsx")
        #expect(try reader.cells(of: reader.sheets[0])["A1"] == .string("café"))

        let vietnamese = Array(#"<?xml version="1.0" encoding="windows-1258"?>"#.utf8) + sheet
        entries[entries.count - 2] = ("xl/worksheets/sheet1.xml", vietnamese)
        try makeZip(dir + "/cp1258.xlsx", bytes: entries)
        #expect {
            let r = try WorkbookReader(path: dir + "/cp1258.xlsx")
            _ = try r.cells(of: r.sheets[0])
        } throws: { error in
            (error as? XLSXError)?.message.contains("windows-1258") == true
        }
    }

    // MARK: SpreadsheetML cell contents

    @Test func anInlineStringCellTakesItsInlineTextNotAStrayValue() throws {
        let rows = #"<row r="1"><c r="A1" t="inlineStr"><v>1.</v><is><t>1.0</t></is></c><c r="B1" t="inlineStr"><is><t>x</t></is><v>9</v></c>"#
            + #"<c r="C1" t="inlineStr"><v>7</v></c><c r="D1"><v>4</v><is><t>z</t></is></c></row>"#
        let cells = try firstSheet(minimalPackage(sheetXML: Self.sheet(rows)))
        #expect(cells["A1"] == .string("1.0"))
        #expect(cells["B1"] == .string("x"))
        #expect(cells["C1"] == nil)
        #expect(cells["D1"] == .number(4))
    }

    @Test func isoDateCellsKeepTheirTimeAndATimeAloneIsATime() throws {
        let rows = #"<row r="1"><c r="A1" t="d"><v>23:44:51.894</v></c><c r="B1" t="d"><v>2025-10-05T08:30:51+07:00</v></c>"#
            + #"<c r="C1" t="d"><v>2025-10-05T08:30:51.6Z</v></c><c r="D1" t="d"><v>2025-10-05</v></c><c r="E1" t="d"><v>08:30</v></c></row>"#
        let cells = try firstSheet(minimalPackage(sheetXML: Self.sheet(rows)))
        // A time alone is the fraction of day 0, as Excel stores a typed time; seconds round as Excel shows them.
        #expect(cells["A1"] == .date(SpreadsheetDate(year: 1899, month: 12, day: 31, hour: 23, minute: 44, second: 52, hasTime: true)))
        #expect(cells["B1"] == .date(SpreadsheetDate(year: 2025, month: 10, day: 5, hour: 8, minute: 30, second: 51, hasTime: true)))
        #expect(cells["C1"] == .date(SpreadsheetDate(year: 2025, month: 10, day: 5, hour: 8, minute: 30, second: 52, hasTime: true)))
        #expect(cells["D1"] == .date(SpreadsheetDate(year: 2025, month: 10, day: 5)))
        #expect(cells["E1"] == .date(SpreadsheetDate(year: 1899, month: 12, day: 31, hour: 8, minute: 30, hasTime: true)))
    }

    @Test func escapesThatFormASurrogatePairGiveOneCharacter() throws {
        let strings = "<sst xmlns=\"\(Self.main)\"><si><t>_xD83D__xDE00_ và _x005F_xD83D_ _xDE00_</t></si></sst>"
        let cells = try firstSheet(minimalPackage(sheetXML: Self.sheet(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#), sharedStrings: strings))
        #expect(cells["A1"] == .string("😀 và _xD83D_ _xDE00_"))
    }

    @Test(arguments: [
        "<sheets/>",
        #"<sheets><sheet name="Biểu đồ" sheetId="1" r:id="rId1"/></sheets>"#,
    ])
    func aWorkbookWithNoWorksheetIsRefused(_ sheets: String) throws {
        let workbook = "<workbook xmlns=\"\(Self.main)\" xmlns:r=\"\(Self.rels)\">\(sheets)</workbook>"
        var entries = minimalPackage(sheetXML: "<chartsheet/>", workbookXML: workbook)
        entries[3].1 = entries[3].1.replacingOccurrences(of: "relationships/worksheet", with: "relationships/chartsheet")
        let path = try temporaryFolder() + "/nosheet.xlsx"
        try makeZip(path, entries)
        #expect {
            _ = try WorkbookReader(path: path)
        } throws: { error in
            (error as? XLSXError)?.message.contains("No worksheet could be read from this file") == true
        }
    }

    // MARK: found while reviewing the rules above

    @Test func referencesInCellAndRowAttributesAreDecoded() throws {
        let rows = #"<row r="&#51;"><c r="C&#51;" s="0" t="&#115;"><v>0</v></c><c r="D3" t="n"><v>2</v></c></row>"#
        let cells = try firstSheet(minimalPackage(sheetXML: Self.sheet(rows), sharedStrings: "<sst xmlns=\"\(Self.main)\"><si><t>ba</t></si></sst>"))
        #expect(cells["C3"] == .string("ba"))
        #expect(cells["D3"] == .number(2))
    }

    @Test func referencesThatNameNoXMLCharacterAreKeptAsWritten() throws {
        let strings = "<sst xmlns=\"\(Self.main)\"><si><t>a&#0;b&#x1;c&#xD800;d&#9;e&#x1F600;f&#x110000;g</t></si></sst>"
        let cells = try firstSheet(minimalPackage(sheetXML: Self.sheet(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#), sharedStrings: strings))
        #expect(cells["A1"] == .string("a&#0;b&#x1;c&#xD800;d\te😀f&#x110000;g"))
    }

    /// Rules the scanner followed before this review; kept here so the table can point at them.
    @Test func markupAnywhereBetweenTheCharactersOfAValueIsSkipped() throws {
        let rows = #"<row r = '1' ><c r="A1" note="a>b" ><v>4<!-- four -->2</v></c><c r="B1"><v><![CDATA[1.5]]></v></c>"#
            + #"<c r="C1"><v>1<?pi x?>7</v></c><c r="D1" t="str"><v></v></c><c r="E1" t="inlineStr"><is><t xml:space="preserve"> &lt;&amp;&gt;&quot;&apos; </t></is></c></row>"#
        let cells = try firstSheet(minimalPackage(sheetXML: Self.sheet(rows)))
        #expect(cells["A1"] == .number(42))
        #expect(cells["B1"] == .number(1.5))
        #expect(cells["C1"] == .number(17))
        #expect(cells["D1"] == nil)
        #expect(cells["E1"] == .string(" <&>\"' "))
    }
}
