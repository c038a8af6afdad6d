# SPDX-License-Identifier: Apache-2.0
"""Asks LibreOffice itself whether a form's data validation refuses a value: loads the form
in a headless LibreOffice through UNO, types each given value into its cell, and runs
Tools ▸ Detective ▸ Mark Invalid Data (XSheetAuditing.showInvalid), which answers whether
the sheet now holds a value its rules refuse. Prints, as JSON, one verdict per case.

Runs with the system Python (Debian's python3-uno). usage:
  lo_validation.py FORM.xlsx 'SHEET!CELL=VALUE' …      (VALUE: a number, or text)
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue

form = os.path.abspath(sys.argv[1])
cases = sys.argv[2:]
profile = tempfile.mkdtemp(prefix="ruralstat-lo-")
pipe = "ruralstat%d" % os.getpid()
office = subprocess.Popen(["soffice", "--headless", "--invisible", "--nologo", "--norestore",
                           "-env:UserInstallation=file://" + profile, "--accept=pipe,name=%s;urp;" % pipe],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.5)
    else:
        sys.exit("LibreOffice did not start")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    hidden = PropertyValue()
    hidden.Name, hidden.Value = "Hidden", True
    results = []
    for case in cases:
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(form), "_blank", 0, (hidden,))
        where, value = case.split("=", 1)
        sheet_name, cell_name = where.rsplit("!", 1)
        sheet = doc.Sheets.getByName(sheet_name)
        before = sheet.showInvalid()
        cell = sheet.getCellRangeByName(cell_name)
        try:
            cell.setValue(float(value))
        except ValueError:
            cell.setString(value)
        results.append({"case": case, "invalid_before": before, "refused": sheet.showInvalid()})
        doc.close(True)
    print(json.dumps(results, ensure_ascii=False))
finally:
    try:
        desktop.terminate()
    except Exception:
        pass
    office.wait(timeout=30)
