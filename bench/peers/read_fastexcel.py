# SPDX-License-Identifier: Apache-2.0
"""fastexcel: load each sheet into Arrow (first row as header) and count non-empty cells."""
import sys
import fastexcel

reader = fastexcel.read_excel(sys.argv[1])
cells = 0
for name in reader.sheet_names:
    table = reader.load_sheet(name).to_arrow()
    cells += len(table.column_names) + sum(len(col) - col.null_count for col in table.columns)
print(f"cells={cells}")
