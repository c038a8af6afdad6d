# SPDX-License-Identifier: Apache-2.0
"""Prints, as JSON, the checks a blank form carries: data validations by sheet (type,
operator, formula, range, prompt), which sheets are protected, which hidden, and which
cover cells are locked."""
import json
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
out = {"validations": {}, "protected": [], "hidden": [], "locked": {}}
for ws in wb.worksheets:
    for dv in ws.data_validations.dataValidation:
        out["validations"].setdefault(ws.title, []).append({
            "type": dv.type, "operator": dv.operator, "formula1": dv.formula1, "formula2": dv.formula2,
            "sqref": str(dv.sqref), "prompt": dv.prompt, "error": dv.error, "errorStyle": dv.errorStyle,
        })
    if ws.protection.sheet:
        out["protected"].append(ws.title)
    if ws.sheet_state != "visible":
        out["hidden"].append(ws.title)
cover = wb.worksheets[0]
out["locked"] = {c: cover[c].protection.locked for c in ["B3", "B5", "B6", "B7", "B8", "B9", "B11"]}
print(json.dumps(out, ensure_ascii=False))
