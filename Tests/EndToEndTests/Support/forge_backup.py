# SPDX-License-Identifier: Apache-2.0
"""Edits a backup's configuration as an attacker would, and recomputes its manifest so that the
backup still verifies (a backup is not signed).

usage: forge_backup.py BACKUP_DIR OLD NEW     (replaces the text OLD by NEW in config/ruralstat.yaml)
       forge_backup.py BACKUP_DIR --damage-database   (overwrites a page in the middle of the database)
"""
import hashlib
import json
import os
import sys

backup = sys.argv[1]
if sys.argv[2] == "--damage-database":
    with open(os.path.join(backup, "ruralstat.sqlite"), "r+b") as f:
        size = f.seek(0, 2)
        f.seek(max(4096, (size // 4096 // 2) * 4096))
        f.write(b"\xff" * 4096)
else:
    old, new = sys.argv[2:4]
    path = os.path.join(backup, "config", "ruralstat.yaml")
    text = open(path, encoding="utf-8").read()
    assert old in text, f"{old!r} not in the backup's configuration"
    open(path, "w", encoding="utf-8").write(text.replace(old, new))
manifest_path = os.path.join(backup, "manifest.json")
if not os.path.exists(manifest_path):   # a live state folder: nothing to recompute
    sys.exit(0)
manifest = json.load(open(manifest_path, encoding="utf-8"))
for entry in manifest["files"]:
    data = open(os.path.join(backup, entry["path"]), "rb").read()
    entry["sha256"] = hashlib.sha256(data).hexdigest()
    entry["size"] = len(data)
json.dump(manifest, open(manifest_path, "w", encoding="utf-8"), indent=2, ensure_ascii=False)
