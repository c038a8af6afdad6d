# SPDX-License-Identifier: Apache-2.0
"""Builds hostile and broken files a district might send, one per name, into OUT_DIR.

usage: make_hostile.py OUT_DIR
"""
import os
import sys
import zipfile

out = sys.argv[1]
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELS = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
WB = f'<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
WB_RELS = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'


def package(name, sheet, strings=None, extra=()):
    with zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WB)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        if isinstance(sheet, str):
            z.writestr("xl/worksheets/sheet1.xml", sheet)
        else:
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                for chunk in sheet:
                    f.write(chunk)
        if strings is not None:
            z.writestr("xl/sharedStrings.xml", strings)
        for n, t in extra:
            z.writestr(n, t)


def rows(count, cells_per_row=1):
    yield f"<worksheet {NS}><sheetData>".encode()
    for r in range(1, count + 1):
        yield ("<row>" + "<c><v>1</v></c>" * cells_per_row + "</row>").encode()
    yield b"</sheetData></worksheet>"


open(os.path.join(out, "csv-renamed.xlsx"), "w").write("ma_don_vi,so_lao_dong\nHDG,500\n")
open(os.path.join(out, "empty.xlsx"), "w").close()
open(os.path.join(out, "legacy.xlsx"), "wb").write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(504))
open(os.path.join(out, "password.xlsx"), "wb").write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(200) + "EncryptedPackage".encode("utf-16-le"))
package("billion-laughs.xlsx", '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><worksheet><sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
package("external-entity.xlsx", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet><sheetData><row><c t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>')
package("deep-nesting.xlsx", "<a>" * 100000 + "</a>" * 100000)
package("zip-bomb.xlsx", (b" " * (1 << 20) for _ in range(400)))
package("huge-dimension.xlsx", f'<worksheet {NS}><dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')
package("too-many-cells.xlsx", rows(700_000))
package("long-string.xlsx", f'<worksheet {NS}><sheetData><row><c t="s"><v>0</v></c></row></sheetData></worksheet>', "<sst><si><t>" + "x" * 40000 + "</t></si></sst>")
package("bad-shared-index.xlsx", f'<worksheet {NS}><sheetData><row><c t="s"><v>999999999</v></c></row></sheetData></worksheet>', "<sst><si><t>x</t></si></sst>")
package("huge-tag.xlsx", f'<worksheet {NS}><sheetData><row><c r="A1" x="' + "a" * (20 << 20) + '"/></row></sheetData></worksheet>')
package("no-sheet-part.xlsx", f'<worksheet {NS}/>')
with zipfile.ZipFile(os.path.join(out, "no-sheet-part.xlsx"), "w") as z:
    z.writestr("_rels/.rels", RELS)
    z.writestr("xl/workbook.xml", WB)
    z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
with zipfile.ZipFile(os.path.join(out, "no-workbook.xlsx"), "w") as z:
    z.writestr("docProps/app.xml", "<Properties/>")
with zipfile.ZipFile(os.path.join(out, "too-many-entries.xlsx"), "w") as z:
    for i in range(12000):
        z.writestr(f"junk/{i}.txt", "")
import warnings
warnings.simplefilter("ignore")
with zipfile.ZipFile(os.path.join(out, "duplicate-entries.xlsx"), "w") as z:
    z.writestr("_rels/.rels", RELS)
    z.writestr("xl/workbook.xml", WB)
    z.writestr("xl/workbook.xml", WB)
good = os.path.join(out, "good.zip")
package("good.zip", f'<worksheet {NS}><sheetData>' + "<row><c><v>1</v></c></row>" * 20000 + "</sheetData></worksheet>")
data = open(good, "rb").read()
open(os.path.join(out, "truncated.xlsx"), "wb").write(data[: len(data) // 2])
os.remove(good)
