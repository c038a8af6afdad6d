# SPDX-License-Identifier: Apache-2.0
"""Fills a blank ruralstat form with openpyxl, the way another program would, and writes
the sums a report must show, computed here independently of ruralstat.

usage: fill_form.py SCHEMA_JSON BLANK_XLSX OUT_XLSX EXPECTED_JSON SEED [--text-in-number]
                    [--times SHEET.FIELD ROW FACTOR]… [--set SHEET.FIELD ROW VALUE]…

--times multiplies one value of a table (ROW counts from 0, or "auto") or of an indicator (ROW
ignored) by FACTOR: a figure typed in the wrong unit, for the outlier checks; the cells are
written to EXPECTED_JSON as "times_cells". --set writes a value as it is (a retyped code).

The cells are found through the `ruralstat schema --json` contract, not hard-coded.
"""
import datetime
import json
import random
import sys
from decimal import Decimal

import openpyxl

from form_rows import project, village, write_indicators, write_rows

schema_path, blank, out, expected_path, seed = sys.argv[1:6]
text_in_number = "--text-in-number" in sys.argv
schema = json.load(open(schema_path, encoding="utf-8"))
rng = random.Random(int(seed))
sheets = {s["id"]: s for s in schema["sheets"]}
wb = openpyxl.load_workbook(blank)

cover = wb[sheets["cover"]["name"]]
cells = {f["id"]: f["cell"] for f in sheets["cover"]["fields"]}
cover[cells["preparer"]] = "Phạm Thị Dung"
cover[cells["date_prepared"]] = datetime.date(2025, 10, 7)
cover[cells["date_prepared"]].number_format = "dd/mm/yyyy"

expected = {}


def add(figure, value):
    expected[figure] = expected.get(figure, Decimal(0)) + Decimal(str(value))


def table(sheet_id, rows):
    write_rows(wb, sheets, sheet_id, rows, add, ("integer", "decimal", "money"), ("code",))


villages = [village(rng, sheets, f"LN{seed}-{i:02d}", f"Làng nghề thử {i}") for i in range(rng.randint(2, 6))]
table("villages", villages)

projects = [project(rng, sheets, f"DA{seed}-{i:02d}", f"Đề án thử {i}", 2025, 9) for i in range(rng.randint(0, 5))]
table("projects", projects)

write_indicators(wb, sheets, rng, add, len(villages))

if text_in_number:
    s = sheets["villages"]
    letter = next(c["column"] for c in s["columns"] if c["id"] == "labourers")
    wb[s["name"]][f"{letter}{s['firstDataRow']}"] = "khoảng 500"
    expected["bad_cell"] = f"{letter}{s['firstDataRow']}"
    expected["bad_sheet"] = s["name"]

def cell_of(figure, index):
    """The cell of `figure` (SHEET.FIELD): a table's on data row `index` (from 0, or "auto": the
    first row whose value is at least 2, for a slip that shows), an indicator's on its row."""
    sheet_id, field = figure.split(".")
    s = sheets[sheet_id]
    ws = wb[s["name"]]
    if sheet_id == "indicators":
        row = next(r for r in s["rows"] if r["id"] == field)
        return ws, f"{s['valueColumn']}{row['row']}"
    letter = next(c["column"] for c in s["columns"] if c["id"] == field)
    if index == "auto":
        rows = [s["firstDataRow"] + i for i in range(50)]
        found = [r for r in rows if isinstance(ws[f"{letter}{r}"].value, (int, float)) and ws[f"{letter}{r}"].value >= 2]
        if not found:
            sys.exit(f"fill_form.py: no row of {figure} is at least 2 with seed {seed}; take another seed")
        return ws, f"{letter}{found[0]}"
    return ws, f"{letter}{s['firstDataRow'] + int(index)}"


# --times SHEET.FIELD ROW FACTOR (repeatable): a value typed in the wrong unit. The cells and the
# values written go to EXPECTED_JSON as "times_cells" and "times_values" (the first also as
# "times_cell" and "times_value"). --set SHEET.FIELD ROW VALUE writes a value as it is.
argv = sys.argv
for at in [i for i, a in enumerate(argv) if a == "--times"]:
    figure, index, factor = argv[at + 1], argv[at + 2], float(argv[at + 3])
    ws, cell = cell_of(figure, index)
    value = ws[cell].value * factor
    ws[cell] = int(value) if isinstance(ws[cell].value, int) and value == int(value) else value
    expected.setdefault("times_cells", []).append(cell)
    expected.setdefault("times_values", []).append(ws[cell].value)
    expected.setdefault("times_cell", cell)
    expected.setdefault("times_value", ws[cell].value)
for at in [i for i, a in enumerate(argv) if a == "--set"]:
    figure, index, value = argv[at + 1], argv[at + 2], argv[at + 3]
    ws, cell = cell_of(figure, index)
    ws[cell] = value

wb.save(out)
json.dump({k: (str(v) if isinstance(v, Decimal) else v) for k, v in expected.items()},
          open(expected_path, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
