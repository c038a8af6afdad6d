# SPDX-License-Identifier: Apache-2.0
"""Fills a blank ruralstat form with openpyxl, the way another program would, and writes
the sums a report must show, computed here independently of ruralstat.

usage: fill_form.py SCHEMA_JSON BLANK_XLSX OUT_XLSX EXPECTED_JSON SEED [--text-in-number]
                    [--times SHEET.FIELD ROW FACTOR]

--times multiplies one value of a table (ROW counts from 0) by FACTOR: a figure typed in the
wrong unit, for the outlier checks; the cell is written to EXPECTED_JSON as "times_cell".

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

if "--times" in sys.argv:
    at = sys.argv.index("--times")
    figure, index, factor = sys.argv[at + 1], int(sys.argv[at + 2]), float(sys.argv[at + 3])
    sheet_id, field = figure.split(".")
    s = sheets[sheet_id]
    letter = next(c["column"] for c in s["columns"] if c["id"] == field)
    cell = f"{letter}{s['firstDataRow'] + index}"
    ws = wb[s["name"]]
    ws[cell] = ws[cell].value * factor
    expected["times_cell"] = cell
    expected["times_value"] = ws[cell].value

wb.save(out)
json.dump({k: (str(v) if isinstance(v, Decimal) else v) for k, v in expected.items()},
          open(expected_path, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
