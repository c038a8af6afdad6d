# SPDX-License-Identifier: Apache-2.0
"""The rows a filled test form holds, shared by fill_form.py (one form) and fill_forms.py (many):
a craft village and an industrial-promotion project with every column the form collects, valid
by the form's rules, drawn from a seeded random generator so the same seed gives the same row.
"""
import datetime


def code_list(sheets, sheet_id, column):
    """The codes of a code column, through the `ruralstat schema --json` contract."""
    return [c["code"] for c in next(x for x in sheets[sheet_id]["columns"] if x["id"] == column)["codes"]]


def village(rng, sheets, code, name):
    """A craft village: every column filled, `traditional` marked on some, a recognition year
    where it is recognised."""
    households = rng.randint(100, 900)
    establishments = rng.randint(3, 80)
    recognition = rng.choice(code_list(sheets, "villages", "recognition"))
    row = {
        "code": code, "name": name, "commune": "Xã Thử",
        "trade_group": rng.choice(code_list(sheets, "villages", "trade_group")), "recognition": recognition,
        "traditional": rng.choice(["x", None]),
        "households": households, "trade_households": rng.randint(0, households),
        "establishments": establishments, "cooperatives": rng.randint(0, 3), "enterprises": rng.randint(0, min(establishments, 9)),
        "labourers": rng.randint(50, 3000),
        "production_value": rng.randint(10, 500000) / 10, "export_value": rng.randint(0, 9999) / 10,
    }
    if row["traditional"] is None:
        del row["traditional"]
    if recognition in ("CN", "TH"):
        row["year_recognised"] = rng.randint(2000, 2024)
    return row


def project(rng, sheets, code, name, year, month):
    """A project: its budget, what was disbursed of it, and the day it was accepted when it is
    (`NT`), in `month` of `year`."""
    budget = rng.randint(10, 9000) / 10
    status = rng.choice(code_list(sheets, "projects", "status"))
    row = {
        "code": code, "name": name, "beneficiary": "HTX Thử",
        "activity": rng.choice(code_list(sheets, "projects", "activity")),
        "funding": rng.choice(code_list(sheets, "projects", "funding")),
        "approved_budget": budget, "disbursed": rng.randint(0, int(budget * 10)) / 10, "status": status,
    }
    if status == "NT":
        row["accepted_on"] = datetime.date(year, month, rng.randint(1, 28))
    return row


def write_rows(wb, sheets, sheet_id, rows, add, numeric_types, split_types, skip=()):
    """Writes `rows` into the table sheet `sheet_id` of `wb` and adds, through `add(figure,
    value)`, the sums a report must show as `ruralstat export` names them: `<table>.rows` and
    `<table>.<column>` for each column of `numeric_types` (but those in `skip`), each also split
    by every column of `split_types` (`[column=code]`, and `[column=true]` for a yes/no column)."""
    s = sheets[sheet_id]
    ws = wb[s["name"]]
    letters = {c["id"]: c["column"] for c in s["columns"]}
    numeric = [c["id"] for c in s["columns"] if c["type"] in numeric_types and c["id"] not in skip]
    splits = [c for c in s["columns"] if c["type"] in split_types]
    for i, row in enumerate(rows):
        r = s["firstDataRow"] + i
        for field, value in row.items():
            ws[f"{letters[field]}{r}"] = value
        keys = [""]
        for c in splits:
            v = row.get(c["id"])
            if c["type"] == "boolean":
                if v == "x":
                    keys.append(f"[{c['id']}=true]")
            elif v is not None:
                keys.append(f"[{c['id']}={v}]")
        for k in keys:
            add(f"{sheet_id}.rows{k}", 1)
            for field in numeric:
                if field in row:
                    add(f"{sheet_id}.{field}{k}", row[field])


def write_indicators(wb, sheets, rng, add, village_rows):
    """Fills every indicator row with a value within its bounds (`villages_total` as the form's
    rule wants it: the number of village rows) and adds each to the sums."""
    ind = sheets["indicators"]
    ws = wb[ind["name"]]
    for r in ind["rows"]:
        low = int(r["min"] if r["min"] is not None else 0)
        high = int(min(r["max"] if r["max"] is not None else 5000, 5000))
        value = rng.randint(low, high)
        if r["id"] == "villages_total":
            value = village_rows
        ws[f"{ind['valueColumn']}{r['row']}"] = value
        add(f"indicators.{r['id']}", value)
