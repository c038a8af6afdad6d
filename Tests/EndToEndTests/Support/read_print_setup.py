# SPDX-License-Identifier: Apache-2.0
"""Reads how every sheet of every report in a folder prints, with openpyxl: orientation,
paper, fit to width, the rows repeated on each page, the frozen panes, the footer, and the
merged ranges of the letterhead (first rows). Prints JSON keyed by file and sheet."""
import json
import os
import sys

import openpyxl

out = {}
folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    if not name.endswith(".xlsx"):
        continue
    wb = openpyxl.load_workbook(os.path.join(folder, name))
    out[name] = {}
    for ws in wb.worksheets:
        out[name][ws.title] = {
            "orientation": ws.page_setup.orientation,
            "paper": str(ws.page_setup.paperSize),
            "fit_width": ws.page_setup.fitToWidth,
            "fit_height": ws.page_setup.fitToHeight,
            "fit": ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
            "title_rows": ws.print_title_rows,
            "freeze": ws.freeze_panes,
            "footer": ws.oddFooter.center.text,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges if r.min_row <= 7),
            "font": ws["A1"].font.name,
            "charts": len(ws._charts),
        }
print(json.dumps(out, ensure_ascii=False))
