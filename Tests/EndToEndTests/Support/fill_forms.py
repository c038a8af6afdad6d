# SPDX-License-Identifier: Apache-2.0
"""Fills many blank ruralstat forms with openpyxl in one process (one per unit and period, as
`ruralstat template --all` or `--unit` writes them), and writes the sums each report must show,
computed here independently of ruralstat.

usage: fill_forms.py SCHEMA_JSON OUT_DIR EXPECTED_JSON SEED BLANK_XLSX_OR_DIR...

Every column the form collects gets a value: every numeric column of each table (with the
codes and the yes/no column varied, so every breakdown has rows), and every indicator. The
unit and period are read from each blank's cover, through the `ruralstat schema --json`
contract; each filled form is written to OUT_DIR/bao-cao-<unit>-<period>.xlsx. The figures
depend only on SEED, the unit and the period, so a form filled again gives the same sums.

EXPECTED_JSON: {"<period>": {"<unit>": {"<figure id>": "<exact decimal sum>", ...}}}, with
figure ids as `ruralstat export` names them: <table>.rows, <table>.<column>, and both split
by each code column ([column=code]) and by the yes/no column ([column=true]);
indicators.<row>.
"""
import datetime
import json
import os
import random
import sys
from decimal import Decimal

import openpyxl

from form_rows import project, village, write_indicators, write_rows

schema_path, out_dir, expected_path, seed = sys.argv[1:5]
blanks = []
for arg in sys.argv[5:]:
    if os.path.isdir(arg):
        blanks += [os.path.join(arg, n) for n in sorted(os.listdir(arg)) if n.endswith(".xlsx")]
    else:
        blanks.append(arg)
schema = json.load(open(schema_path, encoding="utf-8"))
sheets = {s["id"]: s for s in schema["sheets"]}
NUMERIC = ("integer", "decimal", "money", "percent")


def fill(path):
    wb = openpyxl.load_workbook(path)
    cover = wb[sheets["cover"]["name"]]
    cells = {f["id"]: f["cell"] for f in sheets["cover"]["fields"]}
    unit = str(cover[cells["unit_code"]].value)
    year, quarter = int(cover[cells["year"]].value), int(cover[cells["quarter"]].value)
    period = f"{year}-Q{quarter}"
    rng = random.Random(f"{seed}/{unit}/{period}")
    cover[cells["preparer"]] = "Phạm Thị Dung"
    cover[cells["date_prepared"]] = datetime.date(year + (quarter == 4), quarter * 3 % 12 + 1, 7)  # early in the next quarter
    cover[cells["date_prepared"]].number_format = "dd/mm/yyyy"
    expected = {}

    def add(figure, value):
        expected[figure] = expected.get(figure, Decimal(0)) + Decimal(str(value))

    def table(sheet_id, rows):
        write_rows(wb, sheets, sheet_id, rows, add, NUMERIC, ("code", "boolean"), skip=("year_recognised",))

    villages = [village(rng, sheets, f"LN{unit}-{i:02d}", f"Làng nghề thử {i}") for i in range(rng.randint(1, 4))]
    table("villages", villages)

    projects = [project(rng, sheets, f"DA{unit}-{i:02d}", f"Đề án thử {i}", year, quarter * 3 - 1) for i in range(rng.randint(0, 3))]
    table("projects", projects)

    write_indicators(wb, sheets, rng, add, len(villages))

    wb.save(os.path.join(out_dir, f"bao-cao-{unit}-{period}.xlsx"))
    return period, unit, {k: str(v) for k, v in expected.items()}


out = {}
for path in blanks:
    period, unit, expected = fill(path)
    out.setdefault(period, {})[unit] = expected
json.dump(out, open(expected_path, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
