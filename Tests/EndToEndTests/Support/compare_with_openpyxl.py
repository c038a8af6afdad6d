# SPDX-License-Identifier: Apache-2.0
"""Compares `ruralstat inspect --format json` output with what openpyxl reads (data_only),
cell by cell. Prints every difference; exits 1 if there is any.

usage: compare_with_openpyxl.py WORKBOOK INSPECT_JSON
"""
import datetime
import json
import math
import sys

import openpyxl

path, inspect_path = sys.argv[1:3]
ours = {s["name"]: s["rows"] for s in json.load(open(inspect_path, encoding="utf-8"))["sheets"]}
values = openpyxl.load_workbook(path, data_only=True)
formulas = openpyxl.load_workbook(path, data_only=False)


def has_time(fmt):
    fmt = fmt.lower()
    out, quoted, bracket = "", False, False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        elif ch == "[":
            bracket = True
        elif ch == "]":
            bracket = False
        elif not quoted and not bracket:
            out += ch
    return "h" in out or "s" in out


def unescape_ooxml(s):
    """openpyxl leaves OOXML's _xHHHH_ escapes (ECMA-376 Part 1, 22.9.2.19) undecoded in
    shared strings; Excel shows the character. Decode them so the comparison is fair: two
    that form a UTF-16 surrogate pair give one character, a lone surrogate stays as written."""
    import re

    def one(m):
        high, low = int(m.group(1), 16), m.group(2) and int(m.group(2), 16)
        if 0xD800 <= high < 0xDC00 and low is not None and 0xDC00 <= low < 0xE000:
            return chr(0x10000 + (high - 0xD800) * 0x400 + (low - 0xDC00))
        if 0xD800 <= high < 0xE000:
            return m.group(0)[:7] + (unescape_ooxml(m.group(0)[7:]) if low is not None else "")
        return chr(high) + (unescape_ooxml(m.group(0)[7:]) if low is not None else "")
    return re.sub(r"_x([0-9A-Fa-f]{4})_(?:_x([0-9A-Fa-f]{4})_)?", one, s)


def to_second(v):
    """ruralstat rounds times to the second, as Excel shows them; openpyxl keeps milliseconds."""
    rounded = datetime.datetime.combine(datetime.date(2000, 1, 1), v) if isinstance(v, datetime.time) else v
    rounded = rounded + datetime.timedelta(microseconds=500_000)
    rounded = rounded.replace(microsecond=0)
    return rounded.time() if isinstance(v, datetime.time) else rounded


def expected(cell, fcell):
    v = cell.value
    if v is None:
        f = fcell.value
        if isinstance(f, str) and f.startswith("="):
            return {"formula": f[1:]}
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, datetime.time):
        return {"time": to_second(v).strftime("%H:%M:%S")}
    if isinstance(v, datetime.datetime):
        # inspect shows the cell as it is: a time of day kept even under a date-only format.
        v = to_second(v)
        if has_time(cell.number_format) or v.time() != datetime.time(0):
            return {"datetime": v.strftime("%Y-%m-%dT%H:%M:%S")}
        return {"date": v.strftime("%Y-%m-%d")}
    if isinstance(v, datetime.date):
        return {"date": v.isoformat()}
    if isinstance(v, str):
        if cell.data_type == "e":
            return {"error": v}
        v = unescape_ooxml(v)
        return v if v != "" else None
    return str(v)


def trim(rows):
    rows = [list(r) for r in rows]
    for r in rows:
        while r and r[-1] is None:
            r.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or a == b and type(a) is type(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


differences = []
for ws in values.worksheets:
    fws = formulas[ws.title]
    theirs = trim([[expected(c, fws.cell(row=c.row, column=c.column)) for c in row] for row in ws.iter_rows()])
    mine = ours.get(ws.title)
    if mine is None:
        differences.append(f"sheet {ws.title!r} missing from inspect")
        continue
    for r in range(max(len(mine), len(theirs))):
        a = mine[r] if r < len(mine) else []
        b = theirs[r] if r < len(theirs) else []
        for c in range(max(len(a), len(b))):
            x = a[c] if c < len(a) else None
            y = b[c] if c < len(b) else None
            if not same(x, y):
                differences.append(f"{ws.title}!{openpyxl.utils.get_column_letter(c + 1)}{r + 1}: ruralstat {x!r} ≠ openpyxl {y!r}")
extra = set(ours) - set(values.sheetnames)
differences += [f"sheet {name!r} read by ruralstat only" for name in extra]
print("\n".join(differences))
sys.exit(1 if differences else 0)
