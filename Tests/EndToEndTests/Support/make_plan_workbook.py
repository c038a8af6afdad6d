# SPDX-License-Identifier: Apache-2.0
"""Writes an annual plan as a workbook: unit, figure id, target; the year in E1."""
import sys
import openpyxl

wb = openpyxl.Workbook()
ws = wb.active
ws.append(["Đơn vị", "Chỉ tiêu", "Kế hoạch năm", None, 2025])
ws.append(["10525", "villages.rows", 10])
ws.append(["TỈNH", "projects.approved_budget", 12000])
ws.append([None, "villages.labourers", 50000])
wb.save(sys.argv[1])
