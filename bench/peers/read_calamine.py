# SPDX-License-Identifier: Apache-2.0
"""python-calamine: load each sheet and count non-empty cells."""
import sys
from python_calamine import CalamineWorkbook

wb = CalamineWorkbook.from_path(sys.argv[1])
cells = 0
for name in wb.sheet_names:
    for row in wb.get_sheet_by_name(name).to_python():
        cells += sum(v != "" and v is not None for v in row)
print(f"cells={cells}")
