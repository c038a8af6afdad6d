# SPDX-License-Identifier: Apache-2.0
"""Reads the charts of every report in a folder straight from the package (zipfile and the
chart XML, not our reader): for each sheet, each chart's category ranges (`c:cat` refs) and how
many categories each range holds, and the same count from openpyxl's view of the sheet's charts.

usage: read_charts.py FOLDER
prints {"<file>": {"<sheet>": [{"part": "xl/charts/chart1.xml", "refs": ["'Theo khu vực'!$B$11:$B$37"],
        "categories": 27, "cached": 27, "openpyxl": 1}]}}
"""
import json
import os
import posixpath
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
}


def rels(z, part):
    """The relationships of a part: {id: target path inside the package}."""
    folder, name = posixpath.split(part)
    path = posixpath.join(folder, "_rels", name + ".rels")
    if path not in z.namelist():
        return {}
    out = {}
    for r in ET.fromstring(z.read(path)).findall("pr:Relationship", NS):
        target = r.get("Target")
        out[r.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    return out


def count(ref):
    """Cells in a range such as 'Sheet'!$B$11:$B$37."""
    m = re.search(r"\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$", ref)
    if not m:
        return None
    first, last = int(m.group(2)), int(m.group(4) or m.group(2))
    return last - first + 1


out = {}
folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    if not name.endswith(".xlsx"):
        continue
    z = zipfile.ZipFile(os.path.join(folder, name))
    book = ET.fromstring(z.read("xl/workbook.xml"))
    book_rels = rels(z, "xl/workbook.xml")
    sheets = {}
    for s in book.find("m:sheets", NS):
        part = book_rels[s.get("{%s}id" % NS["r"])]
        charts = []
        sheet_rels = rels(z, part)
        for d in ET.fromstring(z.read(part)).findall("m:drawing", NS):
            drawing = sheet_rels[d.get("{%s}id" % NS["r"])]
            drawing_rels = rels(z, drawing)
            for c in ET.fromstring(z.read(drawing)).iter("{%s}chart" % NS["c"]):
                chart = drawing_rels[c.get("{%s}id" % NS["r"])]
                xml = ET.fromstring(z.read(chart))
                refs, counts, cached = [], [], []
                for cat in xml.iter("{%s}cat" % NS["c"]):
                    for f in cat.iter("{%s}f" % NS["c"]):
                        refs.append(f.text)
                        counts.append(count(f.text))
                    for pc in cat.iter("{%s}ptCount" % NS["c"]):
                        cached.append(int(pc.get("val")))
                charts.append({"part": chart, "refs": refs, "categories": max([n for n in counts if n is not None], default=None),
                               "cached": max(cached, default=None)})
        sheets[s.get("name")] = charts
    out[name] = sheets

# openpyxl's own count of each sheet's charts, as a second reading.
import openpyxl  # noqa: E402

for name in out:
    wb = openpyxl.load_workbook(os.path.join(folder, name))
    for ws in wb.worksheets:
        for chart in out[name].get(ws.title, []):
            chart["openpyxl"] = len(ws._charts)
        if ws.title in out[name] and not out[name][ws.title] and ws._charts:
            out[name][ws.title].append({"part": None, "refs": [], "categories": None, "cached": None, "openpyxl": len(ws._charts)})
print(json.dumps(out, ensure_ascii=False))
