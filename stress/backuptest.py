# SPDX-License-Identifier: Apache-2.0
"""The backup test (issue 15): backups taken while the daemon works through the load test's
generated province, each restored into a fresh folder.

    python3 stress/backuptest.py --files 600 --backups 4

The files are dropped at once; while the daemon takes them, `ruralstat backup` runs every
--interval seconds, and right after each one the archive and rejected/ are copied (as an
admin's rsync after the backup would). Once every file is processed and the daemon stopped,
each backup must:

- be the store at one moment: exactly the submissions up to its newest, with their facts, as
  the original's final database wound back to that submission gives them (an independent
  rewind in Python, `Tests/EndToEndTests/Support/rewind_store.py`);
- restore (`restore --with-config`) into a fresh folder, whose `export` of every period equals
  the rewound original's once the restored daemon has run (`serve --once`);
- make `check` there name exactly the files that came after it (in the archive copied after it)
  as unknown, and nothing else; and pass once those are taken out (the archive as it was at the
  moment of the backup).

At least one backup must fall strictly inside the stream, else the run proves less than it says.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemonlib import Daemon, Province, add_program_arguments, conclude  # noqa: E402

REWIND = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "EndToEndTests", "Support", "rewind_store.py")


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def processed(province, count):
    done = sum(len(fs) for folder in ("archive", "rejected") for _, _, fs in os.walk(province.path(folder)))
    busy = any(fs for folder in ("inbox", "work") for _, _, fs in os.walk(province.path(folder)))
    return done >= count and not busy


def verify(args, province, n, backup, archive_copy, root):
    """The problems of one backup, restored into a fresh folder."""
    problems = []
    manifest = json.load(open(os.path.join(backup, "manifest.json")))
    last = manifest["store"]["last_submission_id"]
    site = os.path.join(root, f"restored-{n}")
    rewound = os.path.join(root, f"rewound-{n}")
    os.makedirs(os.path.join(rewound, "var", "state"))
    for item in ("ruralstat.yaml", "templates", "reports"):
        src = os.path.join(province.root, item)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(rewound, item))
        elif os.path.exists(src):
            shutil.copy(src, os.path.join(rewound, item))
    r = run([sys.executable, REWIND, province.database(), str(last), os.path.join(rewound, "var", "state", "ruralstat.sqlite"),
             os.path.join(backup, "ruralstat.sqlite")])
    if r.returncode != 0:
        return [f"backup {n}: the rewind failed: {r.stderr}"]
    rewind = json.loads(r.stdout)
    if not rewind["same"]:
        problems.append(f"backup {n} (newest submission {last}) is not the store at one moment: {rewind['differences']}")
    os.makedirs(os.path.join(site, "var"))
    for folder in ("archive", "rejected"):
        shutil.copytree(os.path.join(archive_copy, folder), os.path.join(site, "var", folder))
    config = os.path.join(site, "ruralstat.yaml")
    r = run([args.binary, "restore", "--config", config, "--with-config", backup])
    if r.returncode != 0:
        return problems + [f"backup {n}: restore failed: {r.stderr}"]
    r = run([args.binary, "serve", "--once", "--config", config])
    if r.returncode != 0:
        problems.append(f"backup {n}: the restored daemon failed: {r.stderr[-2000:]}")
    for period in rewind["periods"]:
        want = run([args.binary, "export", "--period", period, "--config", os.path.join(rewound, "ruralstat.yaml")])
        got = run([args.binary, "export", "--period", period, "--config", config])
        if want.returncode != 0 or got.returncode != 0 or want.stdout != got.stdout:
            problems.append(f"backup {n}: the export of {period} differs from the original's at the moment of the backup")
    later = {p.replace(province.var + "/", os.path.join(site, "var") + "/") for p in rewind["later"]}
    # Files recorded after the backup whose copy was taken before they were moved are not there.
    later = {p for p in later if os.path.exists(p)}
    r = run([args.binary, "check", "--json", "--config", config])
    found = json.loads(r.stdout)["problems"]
    others = [p for p in found if p["kind"] != "unknown-file"]
    unknown = {p["path"] for p in found if p["kind"] == "unknown-file"}
    if others:
        problems.append(f"backup {n}: check found more than the later files: {others[:5]}")
    if unknown != later:
        problems.append(f"backup {n}: check named {len(unknown)} unknown files, {len(later)} came after the backup "
                        f"(e.g. {sorted(unknown ^ later)[:3]})")
    for p in later:
        os.remove(p)
    r = run([args.binary, "check", "--config", config])
    if r.returncode != 0:
        problems.append(f"backup {n}: check on the archive as it was at the moment of the backup: {r.stdout[-2000:]}")
    print(f"backup {n}: {manifest['store']['submissions']} submissions (newest {last}), {len(rewind['later'])} came later, "
          f"{len(rewind['periods'])} periods exported; {'ok' if not problems else 'FAILED'}", flush=True)
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_program_arguments(ap)
    ap.add_argument("--files", type=int, default=600)
    ap.add_argument("--backups", type=int, default=4)
    ap.add_argument("--interval", type=float, default=2.0)
    ap.add_argument("--timeout", type=float, default=1200)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    root = tempfile.mkdtemp(prefix="ruralstat-backup-")
    province = Province(os.path.join(root, "site"), args.bench, args.share, units=40, files=args.files)
    names = sorted(os.listdir(province.drop))
    daemon = Daemon(args.binary, province)
    daemon.start()
    if not daemon.wait_for_log("ruralstat started", timeout=30):
        print("the daemon did not start; its log:", open(daemon.log_path).read())
        return 1
    province.drop_files(names)
    print(f"backup test: {len(names)} files dropped at once; a backup every {args.interval} s", flush=True)
    taken = []
    started = time.time()
    # The first backup once something is stored (an empty store restored beside an archive is
    # refused by the daemon, rightly: that is a lost store, not a backup to test).
    while not any(fs for _, _, fs in os.walk(province.path("archive"))) and time.time() - started < args.timeout:
        time.sleep(0.1)
    while len(taken) < args.backups and not processed(province, len(names)):
        time.sleep(args.interval)
        n = len(taken)
        backup = os.path.join(root, f"backup-{n}")
        r = run([args.binary, "backup", "--config", province.config, backup])
        if r.returncode != 0:
            print(f"backup {n} failed: {r.stderr}")
            daemon.stop()
            return 1
        copy = os.path.join(root, f"archive-{n}")
        for folder in ("archive", "rejected"):
            shutil.copytree(province.path(folder), os.path.join(copy, folder))
        taken.append((n, backup, copy))
    while not processed(province, len(names)) and time.time() - started < args.timeout:
        time.sleep(0.5)
    code, _ = daemon.stop()
    problems = [] if code == 0 else [f"the daemon exited {code} after SIGTERM"]
    if not processed(province, len(names)):
        problems.append("not every file was processed in time")
    total = run([sys.executable, "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select max(id) from submission').fetchone()[0])",
                 province.database()]).stdout.strip()
    inside = 0
    for n, backup, copy in taken:
        last = json.load(open(os.path.join(backup, "manifest.json")))["store"]["last_submission_id"]
        inside += 0 < last < int(total)
        problems += verify(args, province, n, backup, copy, root)
    if inside == 0:
        problems.append(f"no backup fell inside the stream ({total} submissions): lower --interval or raise --files")
    return conclude(problems, root, f"backup test passed: {len(taken)} backups taken while {len(names)} files arrived "
                    f"({inside} inside the stream), each the store at one moment, restored with the same exports, check passing",
                    keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
