# SPDX-License-Identifier: Apache-2.0
"""Builds workbooks shaped the way WPS Office, Google Sheets and old Mac Excel write them,
and workbooks that exercise the XML rules the reader follows (line ends, namespaces,
encodings, ISO dates…, see Sources/XLSX/Reader/README.md), which openpyxl also reads, so
`inspect` can be compared with it cell by cell.

usage: make_odd_packages.py OUT_DIR
"""
import os
import sys
import zipfile

out = sys.argv[1]
CT = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
RELS = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
WB_RELS = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="/xl/sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/></Relationships>'
STYLES = '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="[$-409]d\\-mmm\\-yy;@"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/><xf numFmtId="22" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs></styleSheet>'


def package(name, workbook, sheet, strings, encode=lambda part: part):
    """`encode` turns each XML part (text) into the bytes stored, for parts not in UTF-8."""
    with zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", encode(CT))
        z.writestr("_rels/.rels", encode(RELS))
        z.writestr("xl/workbook.xml", encode(workbook))
        z.writestr("xl/_rels/workbook.xml.rels", encode(WB_RELS))
        z.writestr("xl/styles.xml", encode(STYLES))
        z.writestr("xl/sharedStrings.xml", encode(strings))
        z.writestr("xl/worksheets/sheet1.xml", encode(sheet))


WB = '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{pr}<sheets><sheet name="Trang 1" sheetId="1" r:id="rId1"/></sheets></workbook>'
SST = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>Mã</t></si><si><r><rPr><b/></rPr><t>Làng </t></r><r><t xml:space="preserve">nghề</t></r></si><si><t>Dòng 1_x000D_</t></si></sst>'

# WPS-like: no dimension, no r on rows or cells, prefixed namespace.
package("wps-like.xlsx", WB.format(pr=""),
        '<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        '<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c><x:v>12.5</x:v></x:c></x:row>'
        '<x:row><x:c t="inlineStr"><x:is><x:t>Bát Tràng</x:t></x:is></x:c><x:c s="1"><x:v>45930</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c></x:row>'
        '<x:row/><x:row><x:c t="s"><x:v>2</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c><x:c s="3"><x:v>45930.5</x:v></x:c></x:row>'
        '</x:sheetData></x:worksheet>', SST)

# Google-like: a dimension that is wrong (A1 only), cells with r, custom date formats.
package("google-like.xlsx", WB.format(pr=""),
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="D1" s="4"><v>45000</v></c></row>'
        '<row r="7"><c r="B7" s="2"><v>1</v></c><c r="C7" s="2"><v>61</v></c><c r="E7"><f>1+1</f><v>2</v></c></row>'
        '<row r="12"><c r="K12" t="s"><v>1</v></c></row>'
        '</sheetData></worksheet>', SST)

# Old Mac Excel: dates count from 1904.
package("date1904.xlsx", WB.format(pr='<workbookPr date1904="1"/>'),
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" s="1"><v>43538</v></c><c r="C1"><v>43538</v></c></row>'
        '</sheetData></worksheet>', SST)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="' + MAIN + '"><sheetData>{rows}</sheetData></worksheet>'
SST_XML = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + MAIN + '"><si><t>Mã</t></si><si><t>Tên</t></si><si><t>x</t></si>'
           '<si><t>Dòng 1\r\nDòng 2\rDòng 3&#13;&#10;Dòng 4_x000D_</t></si><si><t>_xD83D__xDE00_ và _x005F_xD83D_</t></si>'
           '<si><t><![CDATA[a\r\nb\rc]]></t></si></sst>')

# The XML rules, cell by cell: line ends (CR LF and CR read as LF, &#13; and _x000D_ kept),
# inline strings with a stray <v>, ISO dates and times, a date-time under a date-only format,
# references in attribute values, cells of another namespace, markup inside a value.
package("conformance-cells.xlsx", WB.format(pr=""), SHEET.format(rows=
        '<row r="1"><c r="A1" t="s"><v>3</v></c><c r="B1" t="inlineStr"><is><t>x\r\ny</t></is></c>'
        '<c r="C1" t="str"><v>p\r\nq\r</v></c><c r="D1" t="s"><v>5</v></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><v>1.</v><is><t>1.0</t></is></c><c r="B2" t="inlineStr"><v>7</v></c>'
        '<c r="C2"><v>4</v><is><t>z</t></is></c></row>'
        '<row r="3"><c r="A3" t="d"><v>23:44:51.894</v></c><c r="B3" t="d"><v>2025-10-05T08:30:51+07:00</v></c>'
        '<c r="C3" t="d"><v>2025-10-05T08:30:51.6Z</v></c><c r="D3" t="d"><v>2025-10-05</v></c><c r="E3" t="d"><v>08:30</v></c></row>'
        '<row r="4"><c r="A4" s="2"><v>42521.5078</v></c><c r="B4" s="1"><v>45930</v></c><c r="C4" s="3"><v>0.75</v></c></row>'
        '<row r="&#53;"><c r="A&#53;" t="&#115;"><v>4</v></c><c r = \'B5\' note="a>b"><v>2</v></c></row>'
        '<row r="6"><c r="A6"><v>1</v></c><o:c xmlns:o="urn:other" r="B6"><o:v>2</o:v></o:c>'
        '<c r="C6" o:r="Z9" xmlns:o="urn:x"><v>3</v><o:v>8</o:v></c></row>'
        '<row r="7"><c r="A7"><v>4<!-- four -->2</v></c><c r="B7"><v><![CDATA[1.5]]></v></c><c r="C7"><v>1<?pi x?>7</v></c></row>'
        ), SST_XML)

# Excel for Mac since 2011: dates from 1904, and an extension element with the same local name
# after <workbookPr>; the workbook under unusual prefixes.
MAC_WB = ('<?xml version="1.0" encoding="UTF-8"?><s:workbook xmlns:s="' + MAIN + '" '
          'xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main" mc:Ignorable="x15">'
          '<s:workbookPr date1904="1"/><s:sheets><s:sheet name="Trang 1" sheetId="1" rel:id="rId1"/></s:sheets>'
          '<s:extLst><s:ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}"><x15:workbookPr chartTrackingRefBase="1"/></s:ext></s:extLst>'
          '</s:workbook>')
package("mac-extension.xlsx", MAC_WB, SHEET.format(rows=
        '<row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" s="1"><v>43538</v></c><c r="C1" s="3"><v>43538.25</v></c></row>'), SST_XML)


def utf16(byteorder, bom):
    def encode(text):
        text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"' if bom else f'encoding="UTF-16{byteorder}"')
        data = text.encode("utf-16-le" if byteorder == "LE" else "utf-16-be")
        return (b"\xff\xfe" if byteorder == "LE" else b"\xfe\xff") + data if bom else data
    return encode


UTF16_ROWS = SHEET.format(rows='<row r="1"><c r="A1" t="inlineStr"><is><t>Bát Tràng 😀</t></is></c><c r="B1"><v>1.5</v></c>'
                          '<c r="C1" t="s"><v>1</v></c></row>')
package("utf16le.xlsx", WB.format(pr=""), UTF16_ROWS, SST_XML, utf16("LE", True))
package("utf16be-no-bom.xlsx", WB.format(pr=""), UTF16_ROWS, SST_XML, utf16("BE", False))
package("latin1.xlsx", WB.format(pr=""), SHEET.format(rows='<row r="1"><c r="A1" t="inlineStr"><is><t>café crème</t></is></c></row>'),
        SST_XML.replace("Dòng", "Dong").replace(" và ", " va ").replace("Mã", "Ma").replace("Tên", "Ten"),
        lambda text: text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1"))

# Not compared with openpyxl, which reads no saved value for both: the empty text a formula
# saved, written <v/> and <v></v>; and a workbook whose only sheet is a chart.
package("empty-values.xlsx", WB.format(pr=""), SHEET.format(rows=
        '<row r="1"><c r="A1" t="str"><f>IF(B1,"",1)</f><v/></c><c r="B1" t="str"><f>IF(B1,"",1)</f><v></v></c>'
        '<c r="C1"><f>D1+1</f><v/></c><c r="D1"><f>D1+1</f><v></v></c><c r="E1"><v>5</v></c></row>'), SST)
package("no-worksheet.xlsx", WB.format(pr="").replace("rId1", "rId9"), "<chartsheet/>", SST)
