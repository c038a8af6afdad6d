# SPDX-License-Identifier: Apache-2.0
"""Fills a form knowing nothing but `ruralstat schema --json`, as a commune's own software would:
a blank workbook made here with openpyxl (no template from ruralstat), every cell placed and
every value chosen from the contract — types, bounds, lengths, patterns, code lists — and the
rules of the form read from it too (a count rule `X == count(SHEET)` is kept by writing the
count). Nothing of templates/*.yaml is read.

usage: fill_from_schema.py SCHEMA_JSON OUT_XLSX UNIT_CODE YEAR QUARTER ROWS
"""
import datetime
import json
import re
import sys

import openpyxl

schema_path, out, unit, year, quarter, rows = sys.argv[1:7]
year, quarter, rows = int(year), int(quarter), int(rows)
schema = json.load(open(schema_path, encoding="utf-8"))


def text_value(spec, i):
    """A text that fits the column: matching its pattern, within its length."""
    candidates = [f"MA{i + 1}", f"Mục {i + 1}", f"{i + 1}", "0"]
    for c in candidates:
        if spec.get("max_length") and len(c) > spec["max_length"]:
            continue
        if spec.get("pattern") and not re.fullmatch(spec["pattern"], c):
            continue
        return c
    raise SystemExit(f"no text fits {spec['id']}: pattern {spec.get('pattern')!r}")


def value(spec, i):
    kind = spec["type"]
    if kind == "code":
        return spec["codes"][i % len(spec["codes"])]["code"]
    if kind in ("integer", "decimal", "money", "percent"):
        low = spec["min"] if spec["min"] is not None else 0
        high = spec["max"] if spec["max"] is not None else low + 1000
        v = min(high, max(low, low + 10 * (i + 1)))
        return int(v) if kind == "integer" else float(v)
    if kind == "date":
        return datetime.date(year, quarter * 3, 1)
    if kind == "boolean":
        return "x"
    return text_value(spec, i)


wb = openpyxl.Workbook()
wb.remove(wb.active)
counts = {}
for sheet in schema["sheets"]:
    ws = wb.create_sheet(sheet["name"])
    if sheet["kind"] == "fields":
        for f in sheet["fields"]:
            role = f.get("role")
            v = {"form": schema["form_tag"], "unit_code": unit, "year": year, "quarter": quarter}.get(role)
            ws[f["cell"]] = v if v is not None else value(f, 0)
            if f["type"] == "date":
                ws[f["cell"]].number_format = "dd/mm/yyyy"
    elif sheet["kind"] == "table":
        header = sheet["headerRow"]
        for c in sheet["columns"]:
            ws[f"{c['column']}{header}"] = c["header"]["vi"]
        for i in range(rows):
            for c in sheet["columns"]:
                cell = ws[f"{c['column']}{sheet['firstDataRow'] + i}"]
                cell.value = value(c, i)
                if c["type"] == "date":
                    cell.number_format = "dd/mm/yyyy"
        counts[sheet["id"]] = rows
    else:
        for r in sheet["rows"]:
            ws[f"{sheet['codeColumn']}{r['row']}"] = r["code"]
            ws[f"{sheet['valueColumn']}{r['row']}"] = value(r, 0)

# The form's own rules, as the contract gives them: `SHEET.ROW == count(TABLE)`.
for rule in schema["rules"]:
    m = re.fullmatch(r"\s*(\w+)\.(\w+)\s*==\s*count\((\w+)\)\s*", rule["assert"])
    if not m:
        continue
    sheet = next(s for s in schema["sheets"] if s["id"] == m.group(1))
    row = next(r for r in sheet["rows"] if r["id"] == m.group(2))
    wb[sheet["name"]][f"{sheet['valueColumn']}{row['row']}"] = counts.get(m.group(3), 0)
wb.save(out)
