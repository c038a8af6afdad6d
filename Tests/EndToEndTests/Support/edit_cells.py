# SPDX-License-Identifier: Apache-2.0
"""Changes cells of a workbook with openpyxl, as someone editing a file by hand would.

usage: edit_cells.py IN_XLSX OUT_XLSX SHEET!CELL=VALUE|SHEET!CELL<SHEET!CELL ...

`=` writes VALUE (a number when it reads as one); `<` copies another cell's value. Sheets are
named as in the workbook.
"""
import sys

import openpyxl

source, target, edits = sys.argv[1], sys.argv[2], sys.argv[3:]
wb = openpyxl.load_workbook(source)


def cell(ref):
    sheet, address = ref.rsplit("!", 1)
    return wb[sheet][address]


for edit in edits:
    if "<" in edit:
        to, frm = edit.split("<", 1)
        cell(to).value = cell(frm).value
    else:
        to, value = edit.split("=", 1)
        try:
            value = int(value)
        except ValueError:
            try:
                value = float(value)
            except ValueError:
                pass
        cell(to).value = value
wb.save(target)
