# SPDX-License-Identifier: Apache-2.0
"""openpyxl, read-only and values only: count non-empty cells."""
import sys
import openpyxl

wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
cells = 0
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        cells += sum(v is not None for v in row)
print(f"cells={cells}")
