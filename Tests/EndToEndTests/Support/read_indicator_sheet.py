"""Reads the indicator sheet of a published report with openpyxl: for each row code, the
values under its column numbers (1 … 8), as JSON."""
import json
import sys

import openpyxl

ws = openpyxl.load_workbook(sys.argv[1], data_only=True)[sys.argv[2]]
rows = list(ws.iter_rows(values_only=True))
marks = next(i for i, r in enumerate(rows) if r[0] == "A" and r[1] == "B")
out = {}
for r in rows[marks + 1:]:
    if r[2] is None or not isinstance(r[0], (int, float)):
        break
    out[r[2]] = {"label": r[1], "values": list(r[4:12])}
print(json.dumps(out, ensure_ascii=False))
