# SPDX-License-Identifier: Apache-2.0
"""Reads every sheet of every published report in a folder with openpyxl (a reader independent
of ours) and prints, as JSON, each sheet's table: the rows between the column-numbering row
("A", "B", …) and "Ghi chú:", each cell as text (trailing empty cells dropped) — "n:<number to 6 places>", "s:<text>",
"d:<ISO date and time>" or "" for an empty cell — so the test can compare both readers
cell for cell."""
import datetime
import json
import os
import sys

import openpyxl


def cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "b:" + str(v).lower()
    if isinstance(v, (int, float)):
        return "n:%.6f" % v
    if isinstance(v, datetime.datetime):
        return "d:" + v.strftime("%Y-%m-%dT%H:%M")
    if isinstance(v, datetime.date):
        return "d:" + v.strftime("%Y-%m-%dT00:00")
    return "s:" + str(v)


out = {}
folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    if not name.endswith(".xlsx"):
        continue
    wb = openpyxl.load_workbook(os.path.join(folder, name), data_only=True)
    sheets = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        marks = next(i for i, r in enumerate(rows) if r[0] == "A" and r[1] == "B")
        notes = next(i for i, r in enumerate(rows) if r[0] == "Ghi chú:")
        table = []
        for r in rows[marks + 1:notes]:
            cells = [cell(v) for v in r]
            while cells and cells[-1] == "":
                cells.pop()
            table.append(cells)
        while table and not table[-1]:
            table.pop()
        sheets[ws.title] = table
    out[name] = sheets
print(json.dumps(out, ensure_ascii=False))
