# SPDX-License-Identifier: Apache-2.0
"""Parses the messages an SMTP test server kept, with Python's email package, and prints them
as JSON: envelope, decoded headers, the text body, and each attachment (its name, type, and for
a workbook the cells openpyxl reads on its first sheet).

usage: read_mail.py DIR
"""
import email
import email.policy
import io
import json
import os
import sys

import openpyxl

folder = sys.argv[1]
out = []
for name in sorted(n for n in os.listdir(folder) if n.endswith(".eml")):
    raw = open(os.path.join(folder, name), "rb").read()
    envelope = json.load(open(os.path.join(folder, name[:-4] + ".json")))
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",))
    attachments = []
    for part in msg.iter_attachments():
        a = {"name": part.get_filename(), "type": part.get_content_type()}
        if a["name"] and a["name"].endswith(".xlsx"):
            wb = openpyxl.load_workbook(io.BytesIO(part.get_content()))
            a["first_sheet"] = [[str(c) if c is not None else "" for c in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
        attachments.append(a)
    out.append({"envelope": envelope, "subject": msg["subject"], "from": msg["from"], "to": msg["to"],
                "message_id": msg["message-id"], "text": text, "has_html": html is not None, "attachments": attachments,
                "longest_line": max(len(l) for l in raw.split(b"\r\n"))})
print(json.dumps(out, ensure_ascii=False))
