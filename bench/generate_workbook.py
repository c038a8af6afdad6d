# SPDX-License-Identifier: Apache-2.0
"""Writes the reading benchmark's workbook: ROWS rows of 12 columns of mixed cells (text from
a small pool and unique codes, integers, decimals, dates, booleans), with a header row and
about 4% empty cells: 200,000 rows give about 2.3 million non-empty cells.

usage: generate_workbook.py OUT.xlsx [ROWS]
"""
import datetime
import random
import sys

import xlsxwriter

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
rng = random.Random(20251015)
communes = [f"Xã {n}" for n in ("Đông Giao", "Cậy", "Xuân Nẻo", "Tống Xá", "Hiệp Cát", "Lai Khê", "Phú Thái", "Thanh Hải")]
trades = ["mộc", "gốm", "thêu ren", "cơ khí", "bánh gai", "làm hương", "mây tre đan", "sinh vật cảnh"]
# Not constant_memory: that mode writes inline strings, and office programs write a
# shared-strings table, which is what readers meet in practice.
wb = xlsxwriter.Workbook(out)
ws = wb.add_worksheet("Làng nghề")
date = wb.add_format({"num_format": "dd/mm/yyyy"})
headers = ["Mã", "Tên làng nghề", "Xã", "Nhóm", "Công nhận", "Năm", "Số hộ", "Lao động",
           "Giá trị sản xuất", "Xuất khẩu", "Ngày cập nhật", "Ghi chú"]
for c, h in enumerate(headers):
    ws.write_string(0, c, h)
base = datetime.date(2020, 1, 1)
for r in range(1, rows + 1):
    ws.write_string(r, 0, f"LN{r:07d}")
    ws.write_string(r, 1, f"Làng nghề {rng.choice(trades)} {rng.randint(1, 500)}")
    ws.write_string(r, 2, rng.choice(communes))
    ws.write_number(r, 3, rng.randint(1, 7))
    ws.write_boolean(r, 4, rng.random() < 0.7)
    ws.write_number(r, 5, rng.randint(1995, 2025))
    ws.write_number(r, 6, rng.randint(50, 2000))
    ws.write_number(r, 7, rng.randint(10, 9000))
    ws.write_number(r, 8, round(rng.uniform(10, 90000), 1))
    ws.write_number(r, 9, round(rng.uniform(0, 5000), 3))
    ws.write_datetime(r, 10, base + datetime.timedelta(days=rng.randint(0, 2000)), date)
    if rng.random() < 0.52:
        ws.write_string(r, 11, rng.choice(["đạt chuẩn", "chưa đạt", "đang xét", "thu hồi"]))
wb.close()
