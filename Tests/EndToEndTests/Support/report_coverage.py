# SPDX-License-Identifier: Apache-2.0
"""Where each figure the form collects is shown in the published reports, read with openpyxl.

usage: report_coverage.py SCHEMA_JSON SITE_DIR REPORTS_FOLDER

The figures the form collects come from `ruralstat schema --json`: every numeric column of each
table sheet (<table>.<column>), every table's row count (<table>.rows), every indicator row
(indicators.<row>). The report definitions (SITE_DIR/reports/*.yaml) say which figure each
column or row of a sheet shows and under which header or label; a list sheet (kind: detail)
shows its table's fields under the form's own headers. Each such place is then looked up in the
published workbook: the header (or the row's label) must be a cell of that sheet, and the value
shown under it in the sheet's total row (or, for an indicator row, its first measure) is given
so the test can compare it with `export`.

An indicator the form's rules make equal to a table's row count (`indicators.X == count(T)`,
in SITE_DIR/templates/*.yaml) is shown as <table>.rows.

The YAML is read with a few regular expressions (the test venv has only openpyxl); the
definitions are written one figure per mapping, so that is enough, and a definition the
expressions do not understand shows as a figure with no place, which fails the test.

prints {"<figure>": [{"file", "sheet", "kind", "text", "measure", "found": bool, "values": [n|null, ...]}], ...}
"""
import glob
import json
import os
import re
import sys

import openpyxl

schema_path, site, folder = sys.argv[1:4]
schema = json.load(open(schema_path, encoding="utf-8"))
NUMERIC = ("integer", "decimal", "money", "percent")

collected = []
headers = {}
for s in schema["sheets"]:
    if s["kind"] == "table":
        collected.append(f"{s['id']}.rows")
        for c in s["columns"]:
            headers[(s["id"], c["id"])] = c["header"]["vi"]
            if c["type"] in NUMERIC:
                collected.append(f"{s['id']}.{c['id']}")
    elif s["kind"] == "indicators":
        collected += [f"{s['id']}.{r['id']}" for r in s["rows"]]

aliases = {}
for path in glob.glob(os.path.join(site, "templates", "*.yaml")):
    for m in re.finditer(r"assert:\s*([a-z_]+\.[a-z_]+)\s*==\s*count\(([a-z_]+)\)", open(path, encoding="utf-8").read()):
        aliases[m.group(1)] = f"{m.group(2)}.rows"

# Every place a report definition shows a figure: (file, sheet, kind, figure, header, measure).
places = []
for path in sorted(glob.glob(os.path.join(site, "reports", "*.yaml"))):
    text = open(path, encoding="utf-8").read()
    stem = re.search(r"^file:\s*\"?([\w.-]+)\"?", text, re.M).group(1)
    for block in re.split(r"\n  - name: ", text)[1:]:
        sheet = re.match(r"\"?([^\"\n]+)\"?", block).group(1)
        kind = re.search(r"^    kind:\s*(\w+)", block, re.M).group(1)
        if kind == "detail":
            table = re.search(r"^    table:\s*(\w+)", block, re.M).group(1)
            fields = re.search(r"^    fields:\s*\[([^\]]*)\]", block, re.M)
            ids = [f.strip() for f in fields.group(1).split(",")] if fields else [c for (t, c) in headers if t == table]
            for f in ids:
                places.append((stem, sheet, kind, f"{table}.{f}", headers.get((table, f)), "quarter"))
            places.append((stem, sheet, kind, f"{table}.rows", None, "rows"))
            continue
        body = block.split("\n    chart:")[0]  # a chart names a figure but is no column
        entries = re.split(r"(?=figure:)", body)[1:]
        for e in entries:
            figure = re.match(r"figure:\s*\"?([^\",}\s]+)\"?", e).group(1)
            label = re.search(r"(?:header|label):\s*\{vi:\s*\"([^\"]*)\"", e)
            measure = re.search(r"measure:\s*(\w+)", e)
            places.append((stem, sheet, kind, figure, label.group(1) if label else None, measure.group(1) if measure else "quarter"))


def number(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


books = {}
for name in sorted(os.listdir(folder)):
    if name.endswith(".xlsx"):
        books[name] = openpyxl.load_workbook(os.path.join(folder, name), data_only=True)

out = {f: [] for f in collected}
for stem, sheet, kind, figure, text, measure in places:
    base = figure.split("[")[0]
    if "[" in figure or base not in out:
        continue
    name = next((n for n in books if n.startswith(stem + "-")), None)
    place = {"file": name, "sheet": sheet, "kind": kind, "text": text, "measure": measure, "found": False, "values": []}
    out[base].append(place)
    if name is None or sheet not in books[name].sheetnames:
        continue
    rows = [list(r) for r in books[name][sheet].iter_rows(values_only=True)]
    marks = next(i for i, r in enumerate(rows) if r[0] == "A" and r[1] == "B")
    notes = next(i for i, r in enumerate(rows) if r[0] == "Ghi chú:")
    table = rows[marks + 1:notes]
    totals = [r for r in table if isinstance(r[0], str) and r[0].startswith("TỔNG")]
    if kind == "detail" and measure == "rows":
        # A list shows one row per table row, then its total.
        place["found"] = True
        place["values"] = [len([r for r in table if number(r[0]) is not None])]
        continue
    if kind == "indicators":
        for r in table:
            if r[1] == text:
                place["found"] = True
                place["values"].append(number(r[4]))
        continue
    for i in range(marks):
        for j, v in enumerate(rows[i]):
            if v == text and i > 6:  # below the letterhead
                place["found"] = True
                place["values"] += [number(t[j]) for t in totals[-1:]]

for alias, target in aliases.items():
    if alias in out and not out[alias]:
        out[alias] = [dict(p, alias=target) for p in out.get(target, [])]
print(json.dumps(out, ensure_ascii=False))
