# SPDX-License-Identifier: Apache-2.0
"""Prints, as JSON, what a feedback workbook shows a clerk: sheet names, and for each sheet
the comments, fill colours and links by cell, read with openpyxl."""
import json
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "comments": {}, "fills": {}, "links": {}, "values": {}}
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.comment:
                out["comments"].setdefault(ws.title, {})[c.coordinate] = c.comment.text
            if c.fill is not None and c.fill.fill_type == "solid":
                out["fills"].setdefault(ws.title, {})[c.coordinate] = c.fill.fgColor.rgb
            if c.hyperlink is not None:
                out["links"].setdefault(ws.title, {})[c.coordinate] = c.hyperlink.location or c.hyperlink.target
            if c.value is not None and not isinstance(c.value, (int, float, str)):
                continue
            if c.value is not None:
                out["values"].setdefault(ws.title, {})[c.coordinate] = c.value
print(json.dumps(out, ensure_ascii=False))
