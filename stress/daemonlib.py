# SPDX-License-Identifier: Apache-2.0
"""What the crash test, the load test and the daemon benchmark share: a generated province
(`ruralstat-bench province`), the real `ruralstat` binary started and stopped as systemd would,
and the checks that say where every dropped file is and whether the figures add up.

Files are identified by the name they were dropped under: the daemon keeps it at the end of
the stored name (`20251010-081500-1a2b3c4d-<name>`).
"""
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time

STORED = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{8}-(.+)$")


def add_program_arguments(ap):
    """The programs a daemon run needs: the release binary, the bench tool that generates the
    province, and the folder holding templates/ and reports/ (all made absolute)."""
    ap.add_argument("--binary", type=os.path.abspath, default=".build/release/ruralstat")
    ap.add_argument("--bench", type=os.path.abspath, default=".build/release/ruralstat-bench")
    ap.add_argument("--share", type=os.path.abspath, default=".")


class Province:
    """A province generated under `root`: its configuration, its files in `root/drop`, and the
    manifest that says what each file is."""

    def __init__(self, root, bench, share, units, files, rows=0):
        self.root = os.path.abspath(root)
        subprocess.run([bench, "province", self.root, share, str(units), str(files), str(rows)],
                       check=True, stdout=subprocess.DEVNULL)
        self.config = os.path.join(self.root, "ruralstat.yaml")
        self.drop = os.path.join(self.root, "drop")
        self.var = os.path.join(self.root, "var")
        with open(os.path.join(self.root, "manifest.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.by_name = {m["name"]: m for m in self.manifest}
        for d in ("inbox", "work", "archive", "rejected", "feedback", "reports", "state"):
            os.makedirs(os.path.join(self.var, d), exist_ok=True)

    def path(self, folder):
        return os.path.join(self.var, folder)

    def drop_files(self, names):
        """Moves files into the inbox with one rename each, as a finished upload arrives."""
        inbox = self.path("inbox")
        for name in names:
            os.rename(os.path.join(self.drop, name), os.path.join(inbox, name))

    def locations(self):
        """Every generated file's places: {name: [folder, ...]} over drop, inbox, work,
        archive and rejected."""
        found = {}

        def add(name, where):
            found.setdefault(name, []).append(where)

        for name in os.listdir(self.drop):
            add(name, "drop")
        for folder in ("inbox", "work"):
            for dirpath, _, names in os.walk(self.path(folder)):
                for name in names:
                    if not name.startswith("."):
                        add(name, folder)
        for folder in ("archive", "rejected"):
            for dirpath, _, names in os.walk(self.path(folder)):
                for name in names:
                    m = STORED.match(name)
                    original = m.group(1) if m else name
                    if original not in self.by_name:
                        # "-2" goes before the extension when a stored name is taken.
                        original = re.sub(r"-\d+(\.xlsx)$", r"\1", original)
                    add(original, folder)
        return found

    def database(self):
        return os.path.join(self.path("state"), "ruralstat.sqlite")


class Daemon:
    """`ruralstat serve` on a province, its log in a file."""

    def __init__(self, binary, province, log_name="daemon.log", env=None, wrapper=(), stdout_name=None):
        """`wrapper` goes before the binary (e.g. setpriv, to run it as another user);
        `stdout_name`: stdout to its own file, so that the log holds stderr alone."""
        self.binary = binary
        self.province = province
        self.log_path = os.path.join(province.root, log_name)
        self.stdout_path = os.path.join(province.root, stdout_name) if stdout_name else None
        self.proc = None
        self.env = env
        self.wrapper = list(wrapper)

    def start(self, once=False):
        log = open(self.log_path, "ab")
        out = open(self.stdout_path, "ab") if self.stdout_path else log
        args = self.wrapper + [self.binary, "serve", "--config", self.province.config] + (["--once"] if once else [])
        self.proc = subprocess.Popen(args, stdout=out, stderr=log, env=self.env)
        log.close()
        out.close()
        return self.proc

    def wait_for_log(self, text, timeout=60, since=0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                f.seek(since)
                if text in f.read():
                    return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.02)
        return False

    def log_size(self):
        return os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def high_water_kb(self):
        """The daemon's peak resident memory so far (VmHWM: the kernel's high-water mark of its
        own address space, so one read covers its whole life up to now)."""
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
        except (OSError, StopIteration):
            return 0

    def reap(self, poll=0.05):
        """Waits for the process to end, reading its high-water mark until then; returns its
        exit status and its peak resident memory in kB. (wait4's figure would not do: Linux
        carries the peak of this Python driver over the fork and exec.)"""
        peak = 0
        while self.proc.poll() is None:
            peak = max(peak, self.high_water_kb())
            time.sleep(poll)
        return self.proc.returncode, peak

    def stop(self):
        """SIGTERM, as systemd stops the unit; returns (exit status, peak RSS in kB)."""
        peak = self.high_water_kb()
        self.proc.send_signal(signal.SIGTERM)
        code, later = self.reap()
        return code, max(peak, later)


def unpublished_periods(province):
    """Periods whose published reports are behind their accepted files (the daemon's own
    bookkeeping, read from its database)."""
    db = sqlite3.connect(province.database())
    try:
        return [r[0] for r in db.execute("""
            SELECT s.period FROM submission s LEFT JOIN publication p ON p.period = s.period
            WHERE s.status IN ('accepted','superseded') AND s.period IS NOT NULL
            GROUP BY s.period HAVING MAX(s.id) > COALESCE(MAX(p.through_submission), 0)""")]
    finally:
        db.close()


def check_one_place(province, dropped):
    """Each dropped file in exactly one place; returns a list of problems."""
    problems = []
    places = province.locations()
    for name in dropped:
        where = places.get(name, [])
        if len(where) != 1 or where[0] == "drop":
            problems.append(f"{name}: found in {where or 'nowhere'}")
    return problems


def check_final(province, dropped, binary):
    """After the daemon finished: every file archived or rejected as its kind says, the
    database whole with one record per file, and the figures equal to the accepted files."""
    problems = check_one_place(province, dropped)
    places = province.locations()
    for name in dropped:
        kind = province.by_name[name]["kind"]
        want = "rejected" if kind == "invalid" else "archive"
        if places.get(name) != [want]:
            problems.append(f"{name} ({kind}): in {places.get(name)}, expected {want}")
    for folder in ("inbox", "work"):
        left = [n for _, _, ns in os.walk(province.path(folder)) for n in ns if not n.startswith(".")]
        if left:
            problems.append(f"{folder}/ still holds {len(left)} files: {left[:3]}")
    for folder in ("reports", "feedback"):
        temps = [n for _, _, ns in os.walk(province.path(folder)) for n in ns if ".tmp-" in n]
        if temps:
            problems.append(f"{folder}/ holds unfinished publications: {temps[:3]}")

    db = sqlite3.connect(province.database())
    if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        problems.append("the database fails integrity_check")
    rows = db.execute("SELECT file_name, status, stored_path FROM submission").fetchall()
    records = {}
    for file_name, status, stored in rows:
        records.setdefault(file_name, []).append(status)
        if not os.path.exists(stored):
            problems.append(f"record of {file_name} points at a missing file {stored}")
    for name in dropped:
        if len(records.get(name, [])) != 1:
            problems.append(f"{name}: {len(records.get(name, []))} records {records.get(name)}")
    for name in records:
        if name not in province.by_name:
            problems.append(f"a record of a file never dropped: {name}")
    # A valid file and its copy: one accepted, the other a duplicate, in whichever order.
    for name in dropped:
        m = province.by_name[name]
        statuses = records.get(name, [])
        if m["kind"] == "invalid" and statuses != ["rejected"]:
            problems.append(f"{name} (invalid): {statuses}")
        if m["kind"] == "valid":
            pair = [name] + [c for c in dropped if province.by_name[c].get("copy_of") == name]
            got = sorted(s for n in pair for s in records.get(n, []))
            if got != sorted(["accepted"] + ["duplicate"] * (len(pair) - 1)):
                problems.append(f"{name} and its copies: {got}")
    db.close()

    # The figures: each unit's establishments as its file says, and the province's total.
    expected = {}
    for name in dropped:
        m = province.by_name[name]
        if m["kind"] == "valid":
            expected.setdefault(m["period"], {})[m["unit"]] = m["establishments"]
    for period, units in sorted(expected.items()):
        out = subprocess.run([binary, "export", "--period", period, "--config", province.config],
                             check=True, capture_output=True).stdout
        doc = json.loads(out)
        total = doc["province"]["figures"]["indicators.establishments"]["quarter"]
        if total != sum(units.values()):
            problems.append(f"{period}: export says {total} establishments, the accepted files {sum(units.values())}")
        for unit in doc["units"]:
            got = unit["figures"].get("indicators.establishments", {}).get("quarter")
            if got != units.get(unit["code"]):
                problems.append(f"{period} {unit['code']}: export {got}, file {units.get(unit['code'])}")
        report_total = report_figure(province, period, "Cơ sở công nghiệp nông thôn")
        if report_total != sum(units.values()):
            problems.append(f"{period}: the published report says {report_total}, the accepted files {sum(units.values())}")
    return problems


def report_figure(province, period, label):
    """The quarter's value of an indicator row in the published Biểu 01, read by openpyxl."""
    import openpyxl
    path = os.path.join(province.path("reports"), period, f"tong-hop-quy-{period}.xlsx")
    if not os.path.exists(path):
        return None
    ws = openpyxl.load_workbook(path, data_only=True, read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and "Thực hiện quý này" in r)
    column = header.index("Thực hiện quý này")
    row = next((r for r in rows if len(r) > 1 and r[1] == label), None)
    return row[column] if row else None


def conclude(problems, root, passed, keep=False, note=""):
    """Prints the problems (the folder is then kept for a look) or what passed; the exit status."""
    if problems:
        print(f"FAILED: {len(problems)} problems ({note}folder kept: {root})")
        for p in problems[:40]:
            print("  " + p)
        return 1
    print(passed)
    if not keep:
        shutil.rmtree(root)
    return 0
