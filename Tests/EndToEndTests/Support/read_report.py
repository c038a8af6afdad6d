"""Reads a published report with openpyxl (an independent reader) and prints, as JSON, the
totals row and each unit row keyed by unit code, by column header."""
import json
import sys

import openpyxl

ws = openpyxl.load_workbook(sys.argv[1], data_only=True).worksheets[0]
rows = list(ws.iter_rows(values_only=True))
total_index = next(i for i, r in enumerate(rows) if "TỔNG CỘNG TOÀN TỈNH" in r)
# Headers: the first row holding "STT", and the row under it (group headers merged above).
header_index = next(i for i, r in enumerate(rows) if r[0] == "STT")
headers = [b if b is not None else a for a, b in zip(rows[header_index], rows[header_index + 1])]
result = {"total": {}, "units": {}}
for h, v in zip(headers, rows[total_index]):
    if h and isinstance(v, (int, float)):
        result["total"][h] = v
for r in rows[header_index + 3:total_index]:
    result["units"][r[1]] = {h: v for h, v in zip(headers, r) if h and isinstance(v, (int, float))}
print(json.dumps(result, ensure_ascii=False))
