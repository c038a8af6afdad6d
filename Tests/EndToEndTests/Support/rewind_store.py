# SPDX-License-Identifier: Apache-2.0
"""Winds a ruralstat store back to the moment submission LAST_ID was its newest, independently
of ruralstat, and compares a backup's copy with it.

usage: rewind_store.py ORIGINAL_DB LAST_ID OUT_DB BACKUP_DB

OUT_DB is ORIGINAL_DB without the submissions after LAST_ID (and their facts and warnings),
each version those later ones replaced counted again, and no publication recorded. Printed:
{"same": bool, "differences": [...], "later": [stored paths of the submissions after LAST_ID],
 "periods": [periods with a submission up to LAST_ID]}. "same" says whether BACKUP_DB holds
exactly those submissions and facts.
"""
import json
import re
import sqlite3
import sys

original, last, out, backup = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
src = sqlite3.connect(original)
dst = sqlite3.connect(out)
src.backup(dst)
src.close()
later = [r[0] for r in dst.execute("SELECT stored_path FROM submission WHERE id > ? ORDER BY id", (last,))]
dst.execute("DELETE FROM fact WHERE submission_id > ?", (last,))
dst.execute("DELETE FROM warning WHERE submission_id > ?", (last,))
dst.execute("DELETE FROM submission WHERE id > ?", (last,))
for sid, reason in dst.execute("SELECT id, reason FROM submission WHERE status = 'superseded'").fetchall():
    m = re.match(r"replaced by submission (\d+)", reason or "")
    if m and int(m.group(1)) > last:
        dst.execute("UPDATE submission SET status = 'accepted', reason = NULL WHERE id = ?", (sid,))
dst.execute("DELETE FROM publication")
dst.commit()

SUBMISSIONS = ("SELECT id, unit_code, period, status, sha256, file_name, received_at, stored_path, "
               "error_count, warning_count, reason FROM submission ORDER BY id")
FACTS = ("SELECT submission_id, sheet, row, field, kind, int_value, real_value, text_value FROM fact "
         "ORDER BY submission_id, sheet, row, field")
copy = sqlite3.connect(backup)
differences = []
for name, sql in (("submission", SUBMISSIONS), ("fact", FACTS)):
    a, b = dst.execute(sql).fetchall(), copy.execute(sql).fetchall()
    if a != b:
        only_a = [r for r in a if r not in set(b)][:5]
        only_b = [r for r in b if r not in set(a)][:5]
        differences.append({"table": name, "rewound": len(a), "backup": len(b),
                            "only_rewound": [list(map(str, r)) for r in only_a],
                            "only_backup": [list(map(str, r)) for r in only_b]})
periods = [r[0] for r in dst.execute("SELECT DISTINCT period FROM submission WHERE period IS NOT NULL ORDER BY period")]
print(json.dumps({"same": not differences, "differences": differences, "later": later, "periods": periods}))
