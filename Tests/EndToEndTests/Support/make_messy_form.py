# SPDX-License-Identifier: Apache-2.0
"""Builds, with openpyxl and without ruralstat's template, a submission laid out the way a
district office might remake the form: a title block, two-row merged headers, columns in
another order, extra blank and note columns, NFD text, numbers typed as Vietnamese text,
an English-locale percentage, a note and a signature under the table, and a hidden sheet.

usage: make_messy_form.py OUT.xlsx UNIT YEAR QUARTER
"""
import datetime
import sys
import unicodedata

import openpyxl

out, unit, year, quarter = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
nfd = lambda s: unicodedata.normalize("NFD", s)
wb = openpyxl.Workbook()

cover = wb.active
cover.title = "Thông tin chung"
cover["A1"] = "BÁO CÁO QUÝ"
for cell, value in {"B3": "ruralstat-quarterly v1", "B5": unit, "B6": nfd("Huyện Bình Giang"), "B7": year,
                    "B8": quarter, "B9": nfd("Nguyễn Thị Hoa"), "B10": "0220 3777 123", "B11": "05/10/2025"}.items():
    cover[cell] = value

v = wb.create_sheet(nfd("Làng nghề"))
v["A1"] = "UBND HUYỆN BÌNH GIANG"
v.merge_cells("A2:N2")
v["A2"] = nfd("DANH SÁCH LÀNG NGHỀ QUÝ III NĂM 2025")
# Two-row header from row 4: simple columns merged down, grouped columns under a merged title.
layout = [  # (column, top, bottom)
    ("A", "STT", None), ("B", nfd("Tên làng nghề"), None), ("C", "Mã làng nghề", None), ("D", "Xã, phường", None),
    ("E", "Số hộ", "Tổng số"), ("F", "Số hộ", "Làm nghề"), ("G", "Số lao động (người)", None),
    ("H", "Nhóm ngành nghề", None), ("I", "Tình trạng công nhận", None), ("J", "Năm công nhận", None),
    ("K", "Giá trị sản xuất trong quý (triệu đồng)", None), ("L", None, None), ("M", "Ghi chú", None),
]
for col, top, bottom in layout:
    if top and bottom is None:
        v.merge_cells(f"{col}4:{col}5")
    if top:
        v[f"{col}4"] = top
    if bottom:
        v[f"{col}5"] = bottom
v.merge_cells("E4:F4")
v["E4"] = "Số hộ"
v["A6"], v["B6"], v["C6"] = "(1)", "(2)", "(3)"
rows = [
    (1, nfd("Làng gốm Cậy"), "BG-01", nfd("Xã Long Xuyên"), "1.250", 640, "1.832", "4", nfd("Đã công nhận"), 2006, "3.250,4"),
    (2, nfd("Làng nghề mộc Đông Giao"), "BG-02", "Xã Lương Điền", 480, "215", 905, 4, "CN", "2010", 1875.5),
    (3, nfd("Làng bánh gai Ninh Giang"), "BG-03", "Xã Hồng Khê", "320", "96", "410", "1", "CCN", None, "612,25"),
]
for i, r in enumerate(rows):
    n = 7 + i
    for col, value in zip("ABCDEFGHIJK", r):
        if value is not None:
            v[f"{col}{n}"] = value
    v[f"M{n}"] = "số liệu ước"
v["A11"] = "Ghi chú: số liệu quý III là số ước thực hiện."
v["A13"] = "Người lập biểu"
v["H13"] = "Thủ trưởng đơn vị"

p = wb.create_sheet("Đề án khuyến công")
headers = ["Mã đề án", "Tên đề án", "Đơn vị thụ hưởng", "Nội dung hoạt động", "Nguồn kinh phí",
           "Kinh phí được duyệt", "Kinh phí giải ngân trong quý", "Tình trạng", "Ngày nghiệm thu"]
for i, h in enumerate(headers):
    p.cell(row=3, column=i + 1, value=h)
p.append(["DA-01", "Máy đùn gốm", nfd("HTX Gốm Cậy"), "3", "KC địa phương", "450,5", "120", "NT", datetime.date(2025, 9, 12)])
p.append(["DA-02", "Hội chợ", "DN Mộc", "4", "KCQG", 300, None, "TH", None])

ind = wb.create_sheet("Chỉ tiêu")
codes = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]
values = ["1.120", "8.450", 2, 0, 0, 1, 2, 6, 150, 2, "73,5%", 3]
ind["A4"], ind["B4"], ind["C4"], ind["D4"], ind["E4"] = "STT", "Chỉ tiêu", "Mã số", "Đơn vị tính", "Thực hiện trong quý"
for i, (code, value) in enumerate(zip(codes, values)):
    ind.cell(row=5 + i, column=1, value=i + 1)
    ind.cell(row=5 + i, column=3, value=code)
    ind.cell(row=5 + i, column=5, value=value)

hidden = wb.create_sheet("Danh mục")
hidden["A1"] = "nháp"
hidden.sheet_state = "hidden"
wb.save(out)
