# SPDX-License-Identifier: Apache-2.0
"""Makes the reader's fixture workbooks. Run once by hand; the outputs are committed.

    python3 make_fixtures.py            # needs openpyxl and XlsxWriter
    soffice --headless --convert-to xlsx --outdir lo source-for-libreoffice.xlsx

- openpyxl.xlsx: written by openpyxl (shared strings, dates, booleans, formulas without values)
- xlsxwriter.xlsx: written by XlsxWriter (rich strings, formulas with cached results, 1904 dates)
- libreoffice.xlsx: source-for-libreoffice.xlsx opened and re-saved by LibreOffice Calc,
  which computes every formula and writes its own styles, shared strings and dimension.
Each holds Vietnamese text in NFC and NFD, numbers of every shape, dates with and without
times, custom formats, errors, merged cells and empty rows and columns.
"""
import datetime
import unicodedata

import openpyxl
import xlsxwriter

NFD = unicodedata.normalize("NFD", "Làng nghề gốm Chu Đậu")


def fill(ws):
    ws["A1"] = "Mã đơn vị"
    ws["B1"] = "Số lao động"
    ws["C1"] = "Ngày"
    ws["A2"] = "HDG"
    ws["B2"] = 44000
    ws["C2"] = datetime.date(2015, 12, 31)
    ws["C2"].number_format = "dd/mm/yyyy"
    ws["A3"] = NFD
    ws["B3"] = 4100.5
    ws["C3"] = datetime.datetime(2025, 10, 5, 8, 30, 15)
    ws["C3"].number_format = "yyyy-mm-dd hh:mm:ss"
    ws["A4"] = "  khoảng trắng  "
    ws["B4"] = -0.000123
    ws["C4"] = datetime.date(1900, 1, 1)
    ws["C4"].number_format = "d mmmm yyyy"
    ws["B5"] = 1e20
    ws["B6"] = 123456789012
    ws["D2"] = True
    ws["D3"] = False
    ws["E2"] = 0.1
    ws["E3"] = 0.30000000000000004
    ws["E4"] = 73.5
    ws["E4"].number_format = "0.0%"
    ws["G9"] = "cuối"
    ws.merge_cells("A8:C8")
    ws["A8"] = "Tổng cộng"


wb = openpyxl.Workbook()
fill(wb.active)
wb.active.title = "Dữ liệu"
wb.active["F2"] = "=B2+B3"
wb.create_sheet("Trống")
wb.save("openpyxl.xlsx")

source = openpyxl.Workbook()
fill(source.active)
source.active.title = "Dữ liệu"
source.active["F2"] = "=B2+B3"
source.active["F3"] = "=1/0"
source.active["F4"] = '="Tổng: "&A2'
source.active["F5"] = "=B2>B3"
second = source.create_sheet("Chỉ tiêu")
second["A1"] = "01"
second["B1"] = 850
source.save("source-for-libreoffice.xlsx")

book = xlsxwriter.Workbook("xlsxwriter.xlsx", {"date_1904": True})
ws = book.add_worksheet("Báo cáo")
bold = book.add_format({"bold": True})
date = book.add_format({"num_format": "dd/mm/yyyy"})
ws.write_rich_string("A1", "Làng ", bold, "nghề", " Bát Tràng")
ws.write_string("A2", "=không phải công thức")
ws.write_number("B1", 1234.5678)
ws.write_datetime("C1", datetime.datetime(2025, 9, 30), date)
ws.write_formula("D1", "=B1*2", None, 2469.1356)
ws.write_boolean("E1", True)
ws.write_string("A5", "a\r\nb")
book.close()
