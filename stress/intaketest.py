# SPDX-License-Identifier: Apache-2.0
"""The intake acceptance test (issue 12): files, names and second processes that must not stop,
stall or fool the intake. Each case builds its own province (`ruralstat-bench province`), runs
the real `ruralstat serve` on it (as an unprivileged user where permissions matter: we run as
root), does to it what clerks, Samba and admins do, and then asserts the same invariants:

  - nothing is left in `inbox/` (but Office lock and temporary files, which stay untouched)
    and nothing in `work/`;
  - every dropped file is in exactly one of `archive/` and `rejected/`, matched by the SHA-256
    of the bytes finally written (stored names may be shortened), and nothing else is there;
  - one answer per file: a `.txt` under `feedback/` naming the file's SHA-256;
  - one record per file; every record's stored path exists and the file there has the
    recorded SHA-256;
  - every `.xlsx` the daemon wrote under `feedback/` and `reports/` loads with openpyxl;
  - every stderr line starts with a journald priority (`<0>`…`<7>`) and holds no raw control
    character; no path component is over 255 bytes;
  - the daemon is still serving: a last valid file dropped is accepted; SIGTERM exits 0.

The cases (each also has its own checks, see its docstring): long and repeated names, names
with control characters, names that are not UTF-8, `..xlsx` and lock files, random byte-string
names, a second daemon and `ruralstat report` while the daemon works, `feedback/`, `archive/`
and `work/` made unwritable while running, a file the daemon cannot read, an upload that
pauses with the file open, a half file that stays half, unit folders, a period in the future,
text no workbook may hold, a rejection reason too long for a cell, the database deleted while
stopped, a reload that would drop a unit with data, the inbox removed while running.

    python3 stress/intaketest.py [--binary …] [--bench …] [--share …] [--long] [--only NAME…]

The short run takes a few minutes (cases run side by side, `--jobs`); `--long` adds more of
each kind (random byte-string names, several paused uploads, LibreOffice opening every
workbook written). Prints PASS/FAIL per case and the problems; exit status 1 if any failed.
"""
import argparse
import concurrent.futures
import datetime
import hashlib
import io
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import unicodedata
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemonlib import Daemon, Province, add_program_arguments  # noqa: E402

NOBODY = 65534
SETPRIV = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--inh-caps=-all"]
# The only files allowed to stay in the inbox: Office's lock and temporary files.
LOCK_NAMES = [b"~$bao-cao.xlsx", b".~lock.bao-cao.xlsx#", b"bao-cao.tmp"]
PRIORITY = re.compile(rb"^<[0-7]>")
CONTROL = re.compile(rb"[\x00-\x1f\x7f]")
SHA_IN_ANSWER = re.compile(r"\b[0-9a-f]{64}\b")
PHRASE = ("Báo cáo tình hình phát triển công nghiệp nông thôn và khuyến công quý III năm 2026 của UBND xã "
          "Cẩm Giàng huyện Cẩm Giàng tỉnh Hải Dương gửi Sở Công Thương theo công văn số 123 ")


class CaseAbort(Exception):
    """A case cannot go on (the daemon did not start, died…): its problems so far stand."""


# The sites of the case running in this thread: their problems survive an abort, and their
# daemons are stopped whatever happens.
_case_sites = threading.local()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def file_sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def show(name, width=70):
    """A name as printable text for a message: bad bytes as \\xNN, control characters escaped."""
    if isinstance(name, bytes):
        name = name.decode("utf-8", "backslashreplace")
    text = re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", name)
    return text if len(text) <= width else text[:width - 12] + "…" + text[-11:]


def viet_name(nbytes, ext=".xlsx", salt=""):
    """A Vietnamese file name of exactly `nbytes` bytes (UTF-8, NFC), the way clerks name files."""
    target = nbytes - len(ext.encode())
    s = salt
    i = 0
    while len((s + PHRASE[i % len(PHRASE)]).encode()) <= target:
        s += PHRASE[i % len(PHRASE)]
        i += 1
    s = s.strip()
    s += "-" * (target - len(s.encode()))
    name = (s + ext).encode()
    assert len(name) == nbytes, (len(name), nbytes)
    return name


def random_name(rng, taken):
    """A byte string that is a legal Linux file name and none of the ignored kinds: any byte but
    NUL and '/', some valid Vietnamese, some not UTF-8, some control bytes; up to 255 bytes."""
    while True:
        parts = []
        for _ in range(rng.randint(1, 6)):
            kind = rng.random()
            if kind < 0.35:
                parts.append(PHRASE[rng.randrange(60):][:rng.randint(1, 40)].encode())
            elif kind < 0.7:
                parts.append(bytes(rng.choice([b for b in range(0x20, 0x100) if b != 0x2F]) for _ in range(rng.randint(1, 30))))
            elif kind < 0.8:
                parts.append(bytes(rng.choice([b for b in range(1, 0x20)] + [0x7F]) for _ in range(rng.randint(1, 3))))
            else:
                parts.append(rng.choice([b" ", b"-", b"_", b"(1)", b"\xc2\xa0", b"\xe2\x80\xae", b"\xef\xbb\xbf"]))
        stem = b"".join(parts)
        ext = rng.choice([b".xlsx", b".xlsx", b".XLSX", b"", b".xls", b".xlsx.bak"])
        name = (stem[:255 - len(ext)] + ext)
        if name in taken or name in (b".", b"..") or name[:1] in (b".", b"~"):
            continue
        low = name.lower()
        if low.endswith((b".tmp", b"#", b".part", b".crdownload")):
            continue
        if len(name) == 8 and all(c in b"0123456789abcdefABCDEF" for c in name):
            continue
        taken.add(name)
        return name


# --- workbooks made by hand ------------------------------------------------------------------

def edit_form(data, change):
    """A form changed with openpyxl (as another program would write it); the new bytes."""
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def edit_package(data, change):
    """The package's parts rewritten by `change(part name, bytes) -> bytes`: what openpyxl will
    not write (U+FFFE, a sheet name over 31 characters)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))
    return out.getvalue()


def set_cells(sheet, values):
    def change(wb):
        for cell, value in values.items():
            wb[sheet][cell] = value
    return change


COVER, VILLAGES, INDICATORS = "Thông tin chung", "Làng nghề", "Chỉ tiêu"
AN_ERROR = {"H6": -5}   # households below 0: an error in the villages sheet (a feedback workbook)
LONG_FORMULA = "=" + "+".join(["1"] * 20000)   # 40,000 characters, echoed in the finding's message


# --- a province with its daemon ----------------------------------------------------------------

class Dropped:
    """A file the test put into the inbox, identified by the SHA-256 of its final bytes."""

    def __init__(self, name, folder, data, expect=None, answer_in=None, name_in_answer=False, hash_known=True,
                 optional=False):
        self.name, self.folder, self.sha = name, folder, sha256(data)
        self.size = len(data)
        self.expect = expect                  # "archive" / "rejected" / None (either)
        self.answer_in = answer_in            # the feedback/ subfolder its answer must be in
        self.name_in_answer = name_in_answer  # the answer must show the full name
        self.hash_known = hash_known          # False: the daemon cannot read it (no hash to match)
        self.optional = optional              # True: it may have been replaced before the daemon saw it
        self.at = time.time()

    def label(self):
        return show((self.folder + b"/" if self.folder else b"") + self.name)


class Site:
    """One case's province: its folders, its configuration, its daemon and what was dropped."""

    def __init__(self, run, name, files=80, unprivileged=False, **intake):
        self.run, self.name = run, name
        self.root = os.path.join(run.base, name)
        self.province = Province(self.root, run.bench, run.share, units=40, files=files)
        self.config = self.province.config
        self.var = self.province.var
        self.intake = {"settle_seconds": 0.5, "scan_interval_seconds": 1, "retry_seconds": 1,
                       "arrival_grace_seconds": 3, **intake}
        set_intake(self.config, self.intake)
        self.unit_folders = bool(self.intake.get("unit_folders"))
        self.unprivileged = unprivileged
        self.wrapper = SETPRIV if unprivileged else []
        self.staging = os.path.join(self.root, "staging")
        os.makedirs(self.staging)
        os.chmod(self.root, 0o755)
        if unprivileged:
            for dirpath, dirs, files_ in os.walk(self.var):
                os.chown(dirpath, NOBODY, NOBODY)
        self.forms = [m for m in self.province.manifest if m["kind"] in ("valid", "invalid")]
        self.used = set()
        self.dropped = []
        self.kept = {}            # lock/temp files that must stay in the inbox, path → bytes
        self.problems = []
        self.daemon = Daemon(run.binary, self.province, wrapper=self.wrapper, stdout_name="daemon.out")
        self._hashes = {}
        _case_sites.sites.append(self)

    # configuration and files
    def path(self, *parts):
        return os.path.join(os.fsencode(self.var), *[os.fsencode(p) for p in parts])

    def form(self, kind="valid", unit=None, period=None):
        """The bytes of a generated form not used yet in this case."""
        for m in self.forms:
            if m["name"] in self.used or m["kind"] != kind:
                continue
            if unit and m["unit"] != unit or period and m["period"] != period:
                continue
            self.used.add(m["name"])
            with open(os.path.join(self.province.drop, m["name"]), "rb") as f:
                return f.read()
        raise CaseAbort(f"no unused {kind} form for unit {unit} period {period}")

    def drop(self, name, data, folder=b"", mode=None, **expect):
        """Puts a finished file into the inbox with one rename, as a completed upload arrives."""
        name, folder = os.fsencode(name), os.fsencode(folder)
        fd, temp = tempfile.mkstemp(dir=self.staging)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(temp, 0o644 if mode is None else mode)
        target_dir = self.path("inbox", folder) if folder else self.path("inbox")
        if not os.path.isdir(target_dir):
            os.makedirs(target_dir)
            if self.unprivileged:
                os.chown(target_dir, NOBODY, NOBODY)
        d = Dropped(name, folder, data, **expect)
        self.dropped.append(d)
        os.rename(temp, os.path.join(target_dir, name))
        return d

    def wait_claimed(self, name, folder=b"", timeout=10):
        """Waits until a dropped name has left the inbox."""
        path = os.path.join(self.path("inbox", folder) if folder else self.path("inbox"), os.fsencode(name))
        deadline = time.time() + timeout
        while os.path.lexists(path) and time.time() < deadline:
            time.sleep(0.01)

    def drop_growing(self, name, data, pauses, folder=b""):
        """An upload written in len(pauses)+1 pieces into the final name, pausing in between with
        the file open (a slow link, a stalled Samba client); returns the writer thread."""
        name, folder = os.fsencode(name), os.fsencode(folder)
        path = os.path.join(self.path("inbox", folder) if folder else self.path("inbox"), name)
        d = Dropped(name, folder, data, expect="archive")
        self.dropped.append(d)
        cuts = [len(data) * (i + 1) // (len(pauses) + 1) for i in range(len(pauses))] + [len(data)]

        def write():
            with open(path, "wb") as f:
                start = 0
                for cut, pause in zip(cuts, pauses + [0]):
                    f.write(data[start:cut])
                    f.flush()
                    start = cut
                    time.sleep(pause)
            d.at = time.time()
        t = threading.Thread(target=write, daemon=True)
        t.start()
        return t, d

    def keep_lock_files(self):
        """Office's lock and temporary files, which must stay in the inbox untouched."""
        for name in LOCK_NAMES:
            p = os.path.join(self.path("inbox"), name)
            data = b"lock " + name
            with open(p, "wb") as f:
                f.write(data)
            self.kept[p] = data

    # the daemon
    def start(self, wait=True):
        self.mark = self.daemon.log_size()
        self.daemon.start()
        if wait and not self.daemon.wait_for_log("ruralstat started", timeout=30, since=self.mark):
            self.problems.append(f"the daemon did not start: {self.log_tail()}")
            raise CaseAbort()

    def alive(self):
        return self.daemon.proc is not None and self.daemon.proc.poll() is None

    def require_alive(self, when):
        if not self.alive():
            self.problems.append(f"{when}: the daemon exited with status {self.daemon.proc.returncode}; "
                                 f"its last lines: {self.log_tail()}")
            raise CaseAbort()

    def stop(self):
        if not self.alive():
            return self.daemon.proc.returncode if self.daemon.proc else None
        self.daemon.proc.send_signal(signal.SIGTERM)
        try:
            return self.daemon.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.problems.append("SIGTERM: the daemon did not exit within 30 s")
            self.daemon.kill()
            return None

    def cli(self, args, timeout=120):
        return subprocess.run(self.wrapper + [self.run.binary] + args + ["--config", self.config],
                              capture_output=True, timeout=timeout)

    def log_bytes(self, since=0):
        with open(self.daemon.log_path, "rb") as f:
            f.seek(since)
            return f.read()

    def log_lines(self, since=0):
        return self.log_bytes(since).split(b"\n")

    def log_tail(self, n=4, since=0):
        lines = [l for l in self.log_lines(since) if l.strip()][-n:]
        return " | ".join(show(l, 300) for l in lines) or "(nothing)"

    def log_matching(self, *words, since=0):
        return [l for l in self.log_lines(since) if all(w.lower().encode() in l.lower() for w in words)]

    # what is where
    def hash_of(self, path):
        st = os.stat(path)
        key = (path, st.st_size, st.st_mtime_ns, st.st_ino)
        if key not in self._hashes:
            self._hashes[key] = file_sha(path)
        return self._hashes[key]

    def files(self, folder):
        out = []
        for dirpath, _, names in os.walk(self.path(folder)):
            out += [os.path.join(dirpath, n) for n in names]
        return out

    def left(self):
        """Files in inbox/ (but the kept lock files) and in work/."""
        return [p for p in self.files("inbox") + self.files("work") if p not in self.kept]

    def stored(self):
        """{sha: [path, …]} over archive/ and rejected/."""
        out = {}
        for folder in ("archive", "rejected"):
            for p in self.files(folder):
                try:
                    out.setdefault(self.hash_of(p), []).append(p)
                except (FileNotFoundError, PermissionError):
                    pass
        return out

    def answers(self):
        """[(path, text)] of every .txt under feedback/."""
        out = []
        for p in self.files("feedback"):
            if p.endswith(b".txt"):
                with open(p, "rb") as f:
                    out.append((p, f.read().decode("utf-8-sig", "replace")))
        return out

    def counts(self):
        """{sha: (fewest, most)} copies each content must end with: a file replaced in the inbox
        before the daemon took it (optional) may be missing."""
        out = {}
        for d in self.dropped:
            low, high = out.get(d.sha, (0, 0))
            out[d.sha] = (low + (not d.optional), high + 1)
        return out

    def pending(self):
        """What is not finished yet: dropped files not archived or rejected, files still in
        inbox/ or work/, files not answered. Empty when all is done."""
        stored = self.stored()
        want = self.counts()
        out = [d.label() for d in self.dropped if d.hash_known and len(stored.get(d.sha, [])) < want[d.sha][0]]
        out += [self.rel(p) for p in self.left()]
        answers = len(self.answers())
        needed = sum(not d.optional for d in self.dropped)
        if answers < needed:
            out.append(f"{needed - answers} answers missing")
        return out

    def wait_done(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if not self.pending():
                return True
            time.sleep(0.2)
        return not self.pending()

    def records(self):
        """The `submission` rows, read from a copy of the database (never opened in place: as
        root we would create its -shm and -wal for another user, and take its locks)."""
        db = os.path.join(self.var, "state", "ruralstat.sqlite")
        if not os.path.exists(db):
            return []
        for attempt in range(3):
            with tempfile.TemporaryDirectory(dir=self.root) as tmp:
                for suffix in ("", "-wal"):
                    if os.path.exists(db + suffix):
                        shutil.copyfile(db + suffix, os.path.join(tmp, "db.sqlite" + suffix))
                try:
                    con = sqlite3.connect(os.path.join(tmp, "db.sqlite"))
                    con.row_factory = sqlite3.Row
                    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
                    table = "submission" if "submission" in tables else "submissions"
                    rows = [dict(r) for r in con.execute(f"SELECT * FROM {table}")]
                    con.close()
                    return rows
                except sqlite3.DatabaseError:
                    time.sleep(0.3)
        raise CaseAbort("the database copy could not be read")

    def unpublished(self):
        db = os.path.join(self.var, "state", "ruralstat.sqlite")
        with tempfile.TemporaryDirectory(dir=self.root) as tmp:
            for suffix in ("", "-wal"):
                if os.path.exists(db + suffix):
                    shutil.copyfile(db + suffix, os.path.join(tmp, "db.sqlite" + suffix))
            con = sqlite3.connect(os.path.join(tmp, "db.sqlite"))
            try:
                return [r[0] for r in con.execute("""
                    SELECT s.period FROM submission s LEFT JOIN publication p ON p.period = s.period
                    WHERE s.status IN ('accepted','superseded') AND s.period IS NOT NULL
                    GROUP BY s.period HAVING MAX(s.id) > COALESCE(MAX(p.through_submission), 0)""")]
            except sqlite3.DatabaseError:
                return []
            finally:
                con.close()

    def probe(self):
        """Still serving: a last valid file is accepted (whatever else may be stuck)."""
        data = self.form()
        folder = b""
        if self.unit_folders:
            folder = next(m["unit"] for m in self.forms if m["name"] in self.used
                          and sha256(open(os.path.join(self.province.drop, m["name"]), "rb").read()) == sha256(data)).encode()
        d = self.drop(b"kiem-tra-cuoi.xlsx", data, folder=folder, expect="archive")
        deadline = time.time() + 30
        while time.time() < deadline:
            rows = [r for r in self.records() if r.get("sha256") == d.sha]
            if rows and d.sha in self.stored() and any(d.sha in t for _, t in self.answers()):
                if [r.get("status") for r in rows] != ["accepted"]:
                    self.problems.append(f"not serving: the last valid file got {[r.get('status') for r in rows]}")
                return
            time.sleep(0.2)
        self.problems.append(f"not serving: the last valid file dropped was not handled within 30 s "
                             f"(log: {self.log_tail()})")

    def rel(self, path):
        return show(os.path.relpath(path, os.fsencode(self.var)), 90)

    # the invariants
    def check(self):
        p = self.problems
        left = self.left()
        if left:
            p.append(f"{len(left)} files left in inbox/ or work/: {[self.rel(x) for x in left][:4]}")
        for path, data in self.kept.items():
            try:
                if open(path, "rb").read() != data:
                    p.append(f"the lock/temp file {show(path)} was changed")
            except FileNotFoundError:
                p.append(f"the lock/temp file {show(os.path.basename(path))} was taken from the inbox")
        stored = self.stored()
        want = self.counts()

        def fits(n, sha):
            return want[sha][0] <= n <= want[sha][1]

        def expected(sha):
            low, high = want[sha]
            return str(low) if low == high else f"{low} to {high}"
        needed = sum(not d.optional for d in self.dropped)
        total = f"{needed}" if needed == len(self.dropped) else f"{needed} to {len(self.dropped)}"
        for d in self.dropped:
            if not d.hash_known:
                continue
            where = stored.get(d.sha, [])
            if not fits(len(where), d.sha):
                p.append(f"{d.label()}: {len(where)} stored copies, expected {expected(d.sha)} "
                         f"({[self.rel(x) for x in where][:3]})")
            folders = {os.path.relpath(x, os.fsencode(self.var)).split(b"/")[0].decode() for x in where}
            if d.expect and where and folders != {d.expect}:
                p.append(f"{d.label()}: in {sorted(folders)}, expected {d.expect}")
        dropped_shas = set(want)
        unknown = [d for d in self.dropped if not d.hash_known]
        extra = [x for sha, paths in stored.items() if sha not in dropped_shas for x in paths]
        if len(extra) > len(unknown):
            p.append(f"stored files whose bytes were never dropped (a file changed after the claim?): "
                     f"{[self.rel(x) for x in extra][:3]}")

        answers = self.answers()
        if not needed <= len(answers) <= len(self.dropped):
            p.append(f"{len(answers)} answers (.txt under feedback/), expected {total}")
        by_sha = {}
        for path, text in answers:
            for s in set(SHA_IN_ANSWER.findall(text)):
                by_sha.setdefault(s, []).append((path, text))
        for d in self.dropped:
            if not d.hash_known:
                continue
            mine = by_sha.get(d.sha, [])
            if not fits(len(mine), d.sha):
                p.append(f"{d.label()}: {len(mine)} answers naming its SHA-256, expected {expected(d.sha)}")
            if d.answer_in is not None:
                folders = {os.path.relpath(x, self.path("feedback")).split(b"/")[0].decode() for x, _ in mine}
                if mine and folders != {d.answer_in}:
                    p.append(f"{d.label()}: answered in feedback/{sorted(folders)}, expected feedback/{d.answer_in}/")
            if d.name_in_answer and mine:
                full = unicodedata.normalize("NFC", d.name.decode("utf-8", "replace"))
                if not any(full in unicodedata.normalize("NFC", t) for _, t in mine):
                    p.append(f"{d.label()}: the answer does not hold the full name ({len(d.name)} bytes)")

        records = self.records()
        if not needed <= len(records) <= len(self.dropped):
            p.append(f"{len(records)} records, expected {total}")
        rec_by_sha = {}
        for r in records:
            rec_by_sha.setdefault(r.get("sha256"), []).append(r)
            stored_path = r.get("stored_path") or ""
            if not os.path.isabs(stored_path):
                stored_path = os.path.join(self.var, stored_path)
            if not os.path.exists(stored_path):
                p.append(f"the record of {show(os.fsencode(r.get('file_name') or ''))} points at a missing file "
                         f"{self.rel(os.fsencode(stored_path))}")
            elif not any(not d.hash_known for d in self.dropped) or r.get("sha256") in dropped_shas:
                actual = self.hash_of(os.fsencode(stored_path))
                if actual != r.get("sha256"):
                    p.append(f"the record of {show(os.fsencode(r.get('file_name') or ''))} says SHA-256 "
                             f"{str(r.get('sha256'))[:12]}…, the stored file has {actual[:12]}…")
        for d in self.dropped:
            if d.hash_known and not fits(len(rec_by_sha.get(d.sha, [])), d.sha):
                p.append(f"{d.label()}: {len(rec_by_sha.get(d.sha, []))} records, expected {expected(d.sha)}")

        for d in self.dropped:
            if d.optional and d.hash_known:
                n = (len(stored.get(d.sha, [])), len(by_sha.get(d.sha, [])), len(rec_by_sha.get(d.sha, [])))
                if len(set(n)) != 1:
                    p.append(f"{d.label()}: stored {n[0]} times, answered {n[1]}, recorded {n[2]}")

        p += check_workbooks(self)
        p += check_log(self.log_bytes())
        # One event, one line: a file waiting must not be logged at every look.
        log = self.log_lines()
        for d in {d.name: d for d in self.dropped}.values():
            if re.fullmatch(rb"[A-Za-z0-9._-]{6,}", d.name):
                lines = [l for l in log if d.name in l]
                if len(lines) > 10:
                    p.append(f"{len(lines)} log lines about {d.label()} (a file logged at every look?), "
                             f"e.g. {show(lines[len(lines) // 2], 160)}")
        for dirpath, dirs, names in os.walk(os.fsencode(self.var)):
            for n in dirs + names:
                if len(n) > 255:
                    p.append(f"a path component over 255 bytes: {show(n)}")

    def finish(self, reports=True):
        """The end of every case: the daemon must still be serving, then every invariant, then
        SIGTERM must stop it with status 0."""
        self.require_alive("at the end")
        if not self.wait_done(30):
            self.problems.append(f"not finished within 30 s: {self.pending()[:4]}")
        self.probe()
        if reports:
            deadline = time.time() + 20
            while self.unpublished() and time.time() < deadline:
                time.sleep(0.3)
            if self.unpublished():
                self.problems.append(f"reports not published for {self.unpublished()}")
        self.check()
        code = self.stop()
        if code not in (0, None):
            self.problems.append(f"SIGTERM: exit status {code}")


def set_intake(config, values):
    """Sets keys of the configuration's `intake:` block (written by `ConfigurationTemplate`)."""
    lines = open(config, encoding="utf-8").read().split("\n")
    start = lines.index("intake:")
    end = start + 1
    while end < len(lines) and (lines[end].startswith(" ") or not lines[end].strip()):
        end += 1
    block = [l for l in lines[start + 1:end]
             if not any(l.strip().startswith(k + ":") for k in values)]
    block = [f"  {k}: {str(v).lower() if isinstance(v, bool) else v}" for k, v in values.items()] + block
    with open(config, "w", encoding="utf-8") as f:
        f.write("\n".join(lines[:start + 1] + block + lines[end:]))


def check_log(data):
    """One event, one line, each with its journald priority and no raw control character."""
    problems = []
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    bare = [l for l in lines if not PRIORITY.match(l)]
    raw = [l for l in lines if CONTROL.search(l)]
    forged = [l for l in lines if re.match(rb"^<[0-7]>ruralstat: FORGED", l)]
    if bare:
        problems.append(f"{len(bare)} stderr lines without a priority prefix, e.g. {show(bare[0], 160)}")
    if raw:
        problems.append(f"{len(raw)} stderr lines with a raw control character, e.g. {show(raw[0], 160)}")
    if forged:
        problems.append(f"a file name forged a log line: {show(forged[0], 160)}")
    return problems


def check_workbooks(site):
    """Every workbook written under feedback/ and reports/ loads with openpyxl (and, with
    --long, converts with LibreOffice)."""
    import openpyxl
    problems = []
    books = [p for folder in ("feedback", "reports") for p in site.files(folder)
             if p.lower().endswith(b".xlsx") and b".tmp" not in os.path.basename(p)]
    for p in books:
        try:
            with open(p, "rb") as f:
                wb = openpyxl.load_workbook(f)
            for ws in wb.worksheets:
                for _ in ws.iter_rows(values_only=True):
                    pass
        except Exception as e:  # noqa: BLE001 - any refusal is the finding
            problems.append(f"openpyxl cannot load {show(p[len(os.fsencode(site.var)):], 90)}: "
                            f"{type(e).__name__}: {str(e)[:160]}")
    if site.run.soffice and books:
        out = os.path.join(site.root, "pdf")
        os.makedirs(out, exist_ok=True)
        for p in books:
            try:
                r = subprocess.run(["soffice", f"-env:UserInstallation=file://{site.root}/lo-profile", "--headless",
                                    "--convert-to", "pdf", "--outdir", out, os.fsdecode(p)], capture_output=True, timeout=180)
                pdf = os.path.join(out, os.path.splitext(os.path.basename(os.fsdecode(p)))[0] + ".pdf")
                if r.returncode != 0 or not os.path.exists(pdf):
                    problems.append(f"LibreOffice cannot convert {show(p[len(os.fsencode(site.var)):], 90)}: "
                                    f"{r.stderr.decode(errors='replace')[:160]}")
            except subprocess.TimeoutExpired:
                problems.append(f"LibreOffice took over 180 s on {show(p[len(os.fsencode(site.var)):], 90)}")
    return problems


def chmod_tree(path, mode):
    """Sets the mode of a folder and the folders in it; returns the old modes."""
    old = {}
    for dirpath, dirs, _ in os.walk(path):
        old[dirpath] = os.stat(dirpath).st_mode & 0o7777
    for d in old:
        os.chmod(d, mode)
    return old


def restore_modes(old):
    for d, mode in old.items():
        os.chmod(d, mode)


# --- the cases -------------------------------------------------------------------------------

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


@case
def long_names(run):
    """Issue 12.1: a 225-byte Vietnamese name, the same name twice, a 255-byte name: each ends
    archived or rejected with an answer holding the full name."""
    site = Site(run, "long-names")
    site.start()
    n225 = viet_name(225)
    site.drop(n225, site.form(), expect="archive", name_in_answer=True)
    # The same name again once the first has left the inbox (a folder holds one file of a name:
    # dropped sooner, the second would replace the first): a name collision on long names.
    site.wait_claimed(n225)
    time.sleep(1)
    site.drop(n225, site.form(), expect="archive", name_in_answer=True)
    site.drop(viet_name(255), site.form(), expect="archive", name_in_answer=True)
    site.drop(viet_name(250, salt="Lỗi "), site.form("invalid"), expect="rejected", name_in_answer=True)
    site.drop(viet_name(255, ext=""), site.form(), expect="archive", name_in_answer=True)
    if run.long:
        # The same long name three times at once, and every length from 200 to 255 bytes.
        same = viet_name(240, salt="Ba lần ")
        site.wait_done(30)
        for _ in range(3):
            site.drop(same, site.form(), expect="archive", name_in_answer=True)
            site.wait_claimed(same)   # the next one at once: the first may still be in work/
        for n in range(200, 256, 4):
            site.drop(viet_name(n, salt=f"{n} "), site.form("valid" if n % 3 else "invalid"), name_in_answer=True)
    site.finish()
    return site


@case
def control_names(run):
    """Issue 12.5: names with a newline, an escape and other control bytes are handled; the log
    stays one line per event, each with its priority, with no raw control character and no
    line forged by a name."""
    site = Site(run, "control-names")
    site.start()
    names = [b"bao\ncao.xlsx", b"bao-cao\n<2>ruralstat: FORGED line from a name.xlsx", b"bao\x1b[31mcao\x1b[0m.xlsx"]
    if run.long:
        names += [b"tab\there.xlsx", b"cr\rhere.xlsx", b"del\x7fhere.xlsx", b"bell\x07.xlsx", b"\x01\x02\x03.xlsx",
                  b"nel\xc2\x85here.xlsx", b"ls\xe2\x80\xa8here.xlsx", b"bidi\xe2\x80\xaeslx.exe.xlsx",
                  b"x\n" * 60 + b".xlsx"]
    for i, n in enumerate(names):
        site.drop(n, site.form("valid" if i % 4 else "invalid"))
    site.finish()
    return site


@case
def non_utf8_names(run):
    """Issue 12.5: names that are not UTF-8 (Latin-1, Windows-1258 from an old PC, stray bytes)
    are processed and answered; the answer shows the name with U+FFFD for the bad bytes."""
    site = Site(run, "non-utf8-names")
    site.start()
    cp1258 = unicodedata.normalize("NFD", "Báo cáo quý 3 xã Cẩm Giàng").encode("cp1258", "replace") + b".xlsx"
    names = [b"B\xe1o c\xe1o.xlsx", cp1258, b"bao-cao-\xff\xfe.xlsx", b"\xc3(.xlsx"]
    if run.long:
        rng = random.Random(run.seed + 1)
        for i in range(20):
            names.append(b"bc-" + bytes(rng.randrange(0x80, 0x100) for _ in range(rng.randint(1, 40))) + b".xlsx")
    for i, n in enumerate(names):
        site.drop(n, site.form("valid" if i % 3 else "invalid"), name_in_answer=True)
    site.finish()
    return site


@case
def dot_and_lock_names(run):
    """Issue 12.5: `..xlsx` is a file to process, not a hidden one; Office lock and temporary
    files (`~$x.xlsx`, `.~lock.x.xlsx#`, `x.tmp`) stay untouched in the inbox, unanswered."""
    site = Site(run, "dot-and-lock-names")
    site.keep_lock_files()
    site.start()
    site.drop(b"..xlsx", site.form(), expect="archive")
    if run.long:
        site.drop(b"...xlsx", site.form(), expect="archive")
        site.drop(b"..bao-cao..xlsx", site.form("invalid"), expect="rejected")
    site.finish()
    return site


@case
def random_names(run):
    """Issue 12.5, more of the kind: byte strings as names (Vietnamese, bad UTF-8, control bytes,
    with and without an extension, up to 255 bytes), all dropped at once."""
    site = Site(run, "random-names", files=160 if run.long else 80)
    site.start()
    rng = random.Random(run.seed)
    taken = set()
    for i in range(60 if run.long else 8):
        n = random_name(rng, taken)
        site.drop(n, site.form("valid" if i % 5 else "invalid"),
                  name_in_answer=not CONTROL.search(n))
    site.finish()
    return site


@case
def second_daemon(run):
    """Issue 12.2: a second `serve` on the same configuration exits promptly with status 2,
    naming the first's PID; `ruralstat report` run while the daemon works succeeds; no file is
    lost, answered twice or recorded twice."""
    site = Site(run, "second-daemon", files=120)
    site.start()
    forms = [site.form() for _ in range(60)] + [site.form("invalid") for _ in range(6)]
    for i, data in enumerate(forms[:30]):
        site.drop(f"dot1-{i:02d}.xlsx", data)
    second = subprocess.Popen(site.wrapper + [run.binary, "serve", "--config", site.config],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, err = second.communicate(timeout=10)
        text = err.decode(errors="replace")
        if second.returncode != 2:
            site.problems.append(f"a second serve exited with {second.returncode}, expected 2: {text[:200]!r}")
        if str(site.daemon.proc.pid) not in text:
            site.problems.append(f"the second serve's message does not name the first's PID "
                                 f"{site.daemon.proc.pid}: {text[:200]!r}")
    except subprocess.TimeoutExpired:
        second.send_signal(signal.SIGTERM)
        try:
            _, err = second.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            second.kill()
            _, err = second.communicate()
        site.problems.append(f"a second serve on the same configuration was still running after 10 s "
                             f"(its stderr: {err.decode(errors='replace')[-300:]!r})")
    # Reports rebuilt by an admin while files keep coming.
    rest = forms[30:]
    out = os.path.join(site.root, "report-out")
    runs = 8 if run.long else 4
    for k in range(runs):
        for i, data in enumerate(rest[k * len(rest) // runs:(k + 1) * len(rest) // runs]):
            site.drop(f"dot2-{k}-{i:02d}.xlsx", data)
        time.sleep(0.3)
        for command in (["report", "--period", "2014-Q1", "--out", out], ["status", "--period", "2014-Q1"]) if run.long \
                else (["report", "--period", "2014-Q1", "--out", out],):
            r = site.cli(command)
            if r.returncode != 0:
                site.problems.append(f"`ruralstat {' '.join(command[:3])}` while the daemon works: exit "
                                     f"{r.returncode}: {r.stderr.decode(errors='replace')[:200]!r}")
    site.finish()
    return site


def unwritable_folder(run, folder):
    """Issue 12.3: `folder` made unwritable while running: no file lost, the daemon keeps
    running; once writable again the files are finished within a minute, with no restart."""
    site = Site(run, f"unwritable-{folder}", unprivileged=True)
    site.start()
    site.drop("truoc.xlsx", site.form())
    site.wait_done(30)
    old = chmod_tree(os.path.join(site.var, folder), 0o555)
    try:
        for i in range(3 if not run.long else 8):
            site.drop(f"trong-luc-khoa-{i}.xlsx", site.form("valid" if i % 3 else "invalid"))
        time.sleep(6)
        site.require_alive(f"with {folder}/ unwritable")
        # Nothing lost meanwhile: every file in exactly one place.
        places = {}
        for where in ("inbox", "work", "archive", "rejected"):
            for p in site.files(where):
                if p not in site.kept:
                    places.setdefault(site.hash_of(p), []).append(where)
        for d in site.dropped:
            if len(places.get(d.sha, [])) != 1:
                site.problems.append(f"with {folder}/ unwritable, {d.label()} is in {places.get(d.sha, 'no place')}")
    finally:
        restore_modes(old)
    restored = time.time()
    if not site.wait_done(60):
        site.problems.append(f"{folder}/ writable again, but after 60 s still "
                             f"{[site.rel(x) for x in site.left()][:3] or 'unanswered files'} "
                             f"(last error: {show((site.log_matching('error') or [b'none'])[-1], 200)})")
    else:
        took = time.time() - restored
        if took > 60:
            site.problems.append(f"finished {took:.0f} s after {folder}/ became writable")
    site.finish()
    return site


@case
def unwritable_feedback(run):
    """Issue 12.3: `feedback/` unwritable while running (files wait, then are finished)."""
    return unwritable_folder(run, "feedback")


@case
def unwritable_archive(run):
    """Issue 12.3: `archive/` unwritable while running (files wait, then are finished, and the
    reports are published)."""
    return unwritable_folder(run, "archive")


@case
def unwritable_work(run):
    """Issue 12.3: `work/` unwritable: the daemon keeps running (no exit, no crash loop), files
    wait in the inbox, and are processed once it is writable again."""
    site = Site(run, "unwritable-work", unprivileged=True)
    site.start()
    old = chmod_tree(os.path.join(site.var, "work"), 0o555)
    try:
        names = []
        for i in range(2 if not run.long else 6):
            names.append(f"cho-{i}.xlsx".encode())
            site.drop(names[-1], site.form())
        time.sleep(5)
        site.require_alive("with work/ unwritable")
        missing = [n for n in names if not os.path.exists(os.path.join(site.path("inbox"), n))]
        if missing:
            site.problems.append(f"with work/ unwritable, files left the inbox: {[show(n) for n in missing]}")
    finally:
        restore_modes(old)
    if not site.wait_done(60):
        site.problems.append(f"work/ writable again, but after 60 s still {[site.rel(x) for x in site.left()][:3]}")
    site.finish()
    return site


@case
def unreadable_file(run):
    """Issue 12.3: a file the daemon cannot read (mode 000, owned by root; the daemon runs as
    nobody) is answered — the answer says it cannot be read and to ask the admin about the
    permissions — and kept under `rejected/`."""
    site = Site(run, "unreadable-file", unprivileged=True)
    site.start()
    names = [b"khong-doc-duoc.xlsx"]
    site.drop(names[0], site.form(), mode=0o000, hash_known=False)
    if run.long:
        names.append(b"chi-ghi.xlsx")
        site.drop(names[1], site.form(), mode=0o200, hash_known=False)
    site.finish()
    rejected = [p for p in site.files("rejected") if any(n in os.path.basename(p) for n in names)]
    if len(rejected) != len(names):
        site.problems.append(f"unreadable files under rejected/: {[show(p) for p in rejected]}, expected {len(names)}")
    for n in names:
        mine = [t for _, t in site.answers() if n.decode() in t]
        if not mine:
            site.problems.append(f"{show(n)}: no answer names it")
        elif not any(re.search(r"permission|quyền", t, re.I) for t in mine):
            site.problems.append(f"{show(n)}: the answer does not mention permissions: {mine[0][:300]!r}")
    return site


@case
def paused_upload(run):
    """Issue 12.4: an upload that pauses longer than settle_seconds with the file open (and one
    pausing longer than the arrival grace too) ends accepted with the complete bytes, and the
    stored file's SHA-256 equals the recorded one."""
    settle, grace = 1.0, 3.0
    site = Site(run, "paused-upload", settle_seconds=settle, arrival_grace_seconds=grace)
    site.start()
    writers = [site.drop_growing(b"tai-cham.xlsx", site.form(), [settle + 1.5]),
               site.drop_growing(b"tai-rat-cham.xlsx", site.form(), [grace + 2.0])]
    if run.long:
        rng = random.Random(run.seed + 2)
        for i in range(6):
            pauses = [rng.uniform(settle + 0.3, grace + 2.5) for _ in range(rng.randint(1, 3))]
            writers.append(site.drop_growing(f"tai-cham-{i}.xlsx", site.form(), pauses))
    for t, _ in writers:
        t.join()
    site.finish()
    return site


@case
def half_file(run):
    """Issue 12.4: a half file whose writer closed it (it never completes) is rejected, but only
    once intake.arrival_grace_seconds have passed since it last changed."""
    settle, grace = 0.5, 3.0
    site = Site(run, "half-file", settle_seconds=settle, arrival_grace_seconds=grace)
    site.start()
    halves = []
    for i in range(1 if not run.long else 4):
        data = site.form()
        half = data[:len(data) * (i + 1) // 6 + 100]
        halves.append(site.drop(f"dang-tai-{i}.xlsx", half, expect="rejected"))
    seen = {}
    deadline = time.time() + 30
    while len(seen) < len(halves) and time.time() < deadline:
        stored = site.stored()
        for d in halves:
            if d.sha in stored and d.sha not in seen:
                seen[d.sha] = time.time()
        time.sleep(0.05)
    for d in halves:
        if d.sha not in seen:
            continue
        after = seen[d.sha] - d.at
        if after < grace - 0.2:
            site.problems.append(f"{d.label()}: rejected {after:.1f} s after its writer closed it, "
                                 f"before the arrival grace of {grace:.0f} s")
    site.finish()
    return site


@case
def reupload_while_arriving(run):
    """Issue 12.4, more of the kind: a clerk whose upload broke sends the file again under the
    same name while the half copy is still within its arrival grace. The complete file must be
    judged and accepted; the half copy is either replaced before the daemon held it or answered
    on its own — never put back over the new upload."""
    settle, grace = 0.5, 3.0
    site = Site(run, "reupload", settle_seconds=settle, arrival_grace_seconds=grace)
    site.start()
    for i in range(3 if not run.long else 10):
        data = site.form()
        name = f"gui-lai-{i}.xlsx"
        site.drop(name, data[:len(data) // 2], expect="rejected", optional=True)
        time.sleep(settle + 0.7 + (i % 3) * 0.3)
        site.drop(name, data, expect="archive")
    site.finish()
    return site


@case
def unit_folders(run):
    """Issue 12.6: with unit_folders, a file at the inbox root is refused (answer in
    feedback/_admin/); unit A's cover in inbox/B/ is refused, recorded under B and answered in
    feedback/B/; B's own file in inbox/B/ is accepted."""
    site = Site(run, "unit-folders", unit_folders=True)
    for u in ("U02", "U03"):
        os.makedirs(site.path("inbox", u))
    site.start()
    site.drop(b"o-goc.xlsx", site.form(unit="U01"), expect="rejected", answer_in="_admin")
    wrong = site.drop(b"nham-don-vi.xlsx", site.form(unit="U01"), folder=b"U02", expect="rejected", answer_in="U02")
    site.drop(b"dung-don-vi.xlsx", site.form(unit="U02"), folder=b"U02", expect="archive", answer_in="U02")
    if run.long:
        site.drop(b"o-goc-2.xlsx", site.form(unit="U03"), expect="rejected", answer_in="_admin")
        site.drop(b"o-goc-loi.xlsx", site.form("invalid"), expect="rejected", answer_in="_admin")
        site.drop(b"nham-2.xlsx", site.form(unit="U04"), folder=b"U03", expect="rejected", answer_in="U03")
        site.drop(b"khong-co-don-vi.xlsx", site.form(unit="U05"), folder=b"ZZZ", expect="rejected")
    site.finish()
    rows = [r for r in site.records() if r.get("sha256") == wrong.sha]
    if rows and rows[0].get("unit_code") != "U02":
        site.problems.append(f"U01's cover in inbox/U02/ was recorded under {rows[0].get('unit_code')!r}, expected U02")
    return site


def next_quarter():
    today = datetime.date.today()
    q = (today.month - 1) // 3 + 1
    return (today.year + (q == 4), 1 if q == 4 else q + 1)


@case
def future_period(run):
    """Issue 12.6: a cover for a quarter that has not come yet (2099-Q3; with --long also the
    quarter after the one in progress) is refused and no reports appear for it."""
    site = Site(run, "future-period")
    site.start()
    periods = [(2099, 3)] + ([next_quarter()] if run.long else [])
    for year, quarter in periods:
        site.drop(f"bao-cao-{year}-Q{quarter}.xlsx",
                  edit_form(site.form(), set_cells(COVER, {"B7": year, "B8": quarter})), expect="rejected")
    site.finish()
    for year, quarter in periods:
        if os.path.exists(os.path.join(site.var, "reports", f"{year}-Q{quarter}")):
            site.problems.append(f"reports/{year}-Q{quarter}/ was published")
    return site


def with_fffe(raw):
    """U+FFFE where the placeholder is, as raw UTF-8 or as a character reference (openpyxl
    refuses to write it; XML 1.0 does not allow it either way)."""
    def change(part, data):
        if part.endswith(".xml"):
            return data.replace(b"FFFE-HERE", b"\xef\xbf\xbe" if raw else b"&#xFFFE;")
        return data
    return change


def long_sheet_names(part, data):
    if part == "xl/workbook.xml":
        for short in (VILLAGES, INDICATORS):
            words = short.split(" ")
            long = (" " * 30).join(words) + " " * 3   # 41 characters, the same name to ruralstat (spaces collapse)
            data = data.replace(f'name="{short}"'.encode(), f'name="{long}"'.encode())
    return data


@case
def workbook_text(run):
    """Issue 12.7: text no workbook may hold — `_x0001_`…`_x001B_`, U+FFFE, a 17,000-character
    unit code, a 40,000-character formula, sheet names over 31 characters — is answered, and
    every workbook written (feedback and reports) stays readable."""
    site = Site(run, "workbook-text")
    site.start()
    def controls(data):
        """`_x0001_`…`_x001B_` spread over the names and communes of the form's own villages."""
        import openpyxl
        ws = openpyxl.load_workbook(io.BytesIO(data))[VILLAGES]
        cells = [f"{col}{r}" for r in range(6, 40) if ws[f"A{r}"].value for col in "BC"]
        values = {c: ws[c].value for c in cells}
        for i, code in enumerate(range(1, 0x1C)):
            values[cells[i % len(cells)]] += f" _x{code:04X}_"
        return values
    # Accepted with the characters in its village names (Biểu 02 lists them) …
    data = site.form(unit="U04")
    site.drop(b"ky-tu-dieu-khien.xlsx", edit_form(data, set_cells(VILLAGES, controls(data))))
    # … and refused with them (the feedback workbook copies the sheets).
    data = site.form(unit="U06")
    site.drop(b"ky-tu-dieu-khien-loi.xlsx", edit_form(data, set_cells(VILLAGES, {**controls(data), **AN_ERROR})),
              expect="rejected")
    # … and refused for them: the finding echoes them in a comment and in the list of findings.
    site.drop(b"ky-tu-dieu-khien-ma.xlsx", edit_form(site.form(unit="U16"), set_cells(VILLAGES, {
        "D6": "".join(f"_x{c:04X}_" for c in range(1, 0x1C)), "H6": "12_x0001_", "E7": "CN_x001B_"})),
              expect="rejected")
    for raw, unit in ((False, "U07"), (True, "U08")):
        data = edit_form(site.form(unit=unit), set_cells(VILLAGES, {"B6": "Làng FFFE-HERE nghề", "C7": "Xã FFFE-HERE"}))
        site.drop(f"fffe-{'raw' if raw else 'ref'}.xlsx", edit_package(data, with_fffe(raw)))
    # The over-long texts go to 2014-Q2: a reason too long for a cell is long_reason's case.
    site.drop(b"ma-don-vi-dai.xlsx", edit_form(site.form(unit="U09", period="2014-Q2"), set_cells(COVER, {"B5": "U" * 17000})),
              expect="rejected")
    site.drop(b"cong-thuc-dai.xlsx",
              edit_form(site.form(unit="U15", period="2014-Q2"), set_cells(VILLAGES, {"H6": LONG_FORMULA})),
              expect="rejected")
    site.drop(b"ten-trang-dai.xlsx",
              edit_package(edit_form(site.form(unit="U11"), set_cells(VILLAGES, AN_ERROR)), long_sheet_names),
              expect="rejected")
    if run.long:
        site.drop(b"ten-trang-dai-dung.xlsx", edit_package(site.form(unit="U12"), long_sheet_names))
        site.drop(b"nhan-xet-dai.xlsx", edit_form(site.form(unit="U13", period="2014-Q2"), set_cells(VILLAGES, {
            "B6": "Làng " + "nghề " * 7000, "C6": "x" * 32767, "H6": "-" + "9" * 400})), expect="rejected")
        site.drop(b"ma-don-vi-dai-2.xlsx", edit_form(site.form(unit="U14", period="2014-Q2"), set_cells(COVER, {
            "B5": "_x0007_" * 3000, "B9": "\u200b" * 20000})), expect="rejected")
    site.finish()
    return site


@case
def long_reason(run):
    """Issue 12.7: a rejection whose reason is longer than a cell may hold (a 40,000-character
    formula echoed in the first error, on a cover naming a real unit and period) does not stop
    Biểu 04 of that period: the daemon publishes it and `ruralstat report` exits 0."""
    site = Site(run, "long-reason")
    site.start()
    site.drop(b"cong-thuc-rat-dai.xlsx", edit_form(site.form(unit="U05", period="2014-Q1"),
                                                   set_cells(VILLAGES, {"H6": LONG_FORMULA})), expect="rejected")
    if run.long:
        site.drop(b"ma-don-vi-rat-dai.xlsx", edit_form(site.form(unit="U07", period="2014-Q1"),
                                                       set_cells(COVER, {"B5": "U" * 40000})), expect="rejected")
    site.wait_done(30)
    published = time.time()
    site.drop(b"hop-le.xlsx", site.form(unit="U06", period="2014-Q1"), expect="archive")
    site.finish()
    reasons = [(r.get("unit_code"), len(r.get("reason") or "")) for r in site.records() if r.get("status") == "rejected"]
    status = os.path.join(site.var, "reports", "2014-Q1", "tinh-hinh-nop-bao-cao-2014-Q1.xlsx")
    if not os.path.exists(status) or os.path.getmtime(status) < published:
        site.problems.append(f"Biểu 04 of 2014-Q1 was not published after the valid file (rejections stored as "
                             f"(unit, reason length) {reasons}; log: "
                             f"{show((site.log_matching('could not publish') or [b'nothing'])[-1], 200)})")
    out = os.path.join(site.root, "report-out")
    r = site.cli(["report", "--period", "2014-Q1", "--out", out])
    written = [n for _, _, names in os.walk(out) for n in names]
    if r.returncode != 0:
        site.problems.append(f"`ruralstat report --period 2014-Q1` exit {r.returncode}: "
                             f"{r.stderr.decode(errors='replace')[:200]!r}")
    elif not any(n.startswith("tinh-hinh-nop-bao-cao") for n in written):
        site.problems.append(f"`ruralstat report` wrote no Biểu 04: {written}")
    return site


@case
def database_deleted(run):
    """Issue 12.8: the database deleted while the daemon was stopped, the archive not empty:
    `serve` exits 2 saying so (the database, the archive), republishes nothing and leaves the
    inbox alone."""
    site = Site(run, "database-deleted")
    site.start()
    for i in range(3):
        site.drop(f"truoc-{i}.xlsx", site.form(period="2014-Q1"))
    site.finish()
    before = {p: (os.path.getsize(p), os.stat(p).st_mtime_ns) for p in site.files("reports")}
    for suffix in ("", "-wal", "-shm"):
        p = os.path.join(site.var, "state", "ruralstat.sqlite" + suffix)
        if os.path.exists(p):
            os.unlink(p)
    waiting = os.path.join(site.path("inbox"), b"sau-khi-xoa.xlsx")
    with open(waiting, "wb") as f:
        f.write(site.form(period="2014-Q1"))
    site.start(wait=False)
    try:
        code = site.daemon.proc.wait(timeout=20)
        text = site.log_bytes(site.mark).decode(errors="replace")
        if code != 2:
            site.problems.append(f"serve on a missing database beside a non-empty archive exited {code}, expected 2")
        if not (re.search(r"database|sqlite|cơ sở dữ liệu", text, re.I) and re.search(r"archive", text, re.I)):
            site.problems.append(f"its message does not name the database and the archive: {text[-300:]!r}")
    except subprocess.TimeoutExpired:
        site.problems.append("serve started on an empty database beside a non-empty archive without a word "
                             f"(still running after 20 s; log: {site.log_tail(3, since=site.mark)})")
        site.stop()
    after = {p: (os.path.getsize(p), os.stat(p).st_mtime_ns) for p in site.files("reports")}
    if after != before:
        site.problems.append("reports were republished from the empty database")
    if not os.path.exists(waiting):
        site.problems.append("the file waiting in the inbox was taken into the empty database")
    site.problems += check_log(site.log_bytes())
    return site


@case
def reload_drops_unit(run):
    """Issue 12.8: a SIGHUP whose new configuration removes a unit that has accepted data is
    refused with an error line naming the reload and the unit; the old configuration stays
    (that unit's next file is still accepted)."""
    site = Site(run, "reload-drops-unit")
    site.start()
    site.drop(b"U05-quy1.xlsx", site.form(unit="U05", period="2014-Q1"), expect="archive")
    site.wait_done(30)
    text = open(site.config, encoding="utf-8").read()
    cut = re.sub(r"(?m)^  - \{code: \"?U05\"?,.*\n", "", text)
    assert cut != text
    with open(site.config, "w", encoding="utf-8") as f:
        f.write(cut)
    mark = site.daemon.log_size()
    site.daemon.proc.send_signal(signal.SIGHUP)
    deadline = time.time() + 10
    found = []
    while time.time() < deadline and not found:
        found = site.log_matching("reload", "U05", since=mark)
        time.sleep(0.2)
    if not found:
        site.problems.append(f"no log line names the reload and U05 (after SIGHUP: {site.log_tail(3, since=mark)})")
    elif not re.match(rb"^<[0-3]>", found[0]):
        site.problems.append(f"the reload refusal is not an error: {show(found[0], 200)}")
    site.drop(b"U05-quy2.xlsx", site.form(unit="U05", period="2014-Q2"), expect="archive")
    site.finish()
    return site


@case
def inbox_removed(run):
    """Issue 12.8: the inbox folder removed while running: logged, recreated, and files dropped
    later are processed."""
    site = Site(run, "inbox-removed")
    site.start()
    site.drop(b"truoc.xlsx", site.form())
    site.wait_done(30)
    for round_ in range(3 if run.long else 1):
        mark = site.daemon.log_size()
        shutil.rmtree(site.path("inbox"))
        deadline = time.time() + 15
        while time.time() < deadline and not (os.path.isdir(site.path("inbox")) and site.log_matching("inbox", since=mark)):
            time.sleep(0.2)
        if not os.path.isdir(site.path("inbox")):
            site.problems.append("the inbox was not recreated within 15 s")
            os.makedirs(site.path("inbox"))   # so that the rest of the case can run
        if not site.log_matching("inbox", since=mark):
            site.problems.append("nothing was logged about the missing inbox within 15 s")
        site.drop(f"sau-{round_}.xlsx", site.form(), expect="archive")
        site.wait_done(30)
    site.finish()
    return site


# --- running them ----------------------------------------------------------------------------

class Run:
    def __init__(self, args):
        self.base = tempfile.mkdtemp(prefix="ruralstat-intake-")
        os.chmod(self.base, 0o755)
        # The binaries copied: the lead may rebuild them while the run goes on.
        bin_dir = os.path.join(self.base, "bin")
        os.makedirs(bin_dir)
        self.binary = shutil.copy2(args.binary, os.path.join(bin_dir, "ruralstat"))
        self.bench = shutil.copy2(args.bench, os.path.join(bin_dir, "ruralstat-bench"))
        self.share = args.share
        self.long = args.long
        self.seed = args.seed if args.seed is not None else random.randrange(1 << 30)
        self.soffice = args.soffice if args.soffice is not None else (args.long and shutil.which("soffice") is not None)


def run_case(run, fn):
    """Runs one case; returns its name, its problems and how long it took."""
    started = time.time()
    _case_sites.sites = []
    problems = []
    try:
        fn(run)
    except CaseAbort as e:
        if e.args and e.args[0]:
            problems.append(str(e.args[0]))
    except Exception:  # noqa: BLE001 - a broken case is a failed case, with its traceback
        problems.append("the case itself failed:\n" + traceback.format_exc())
    finally:
        for site in _case_sites.sites:
            if site.alive():
                site.daemon.kill()
    problems = [p for site in _case_sites.sites for p in site.problems] + problems
    return fn.__name__, problems, time.time() - started


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_program_arguments(ap)
    ap.add_argument("--long", action="store_true", help="more of each kind; LibreOffice opens every workbook")
    ap.add_argument("--only", nargs="*", help="run these cases only")
    ap.add_argument("--jobs", type=int, default=4, help="cases run side by side")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--soffice", action=argparse.BooleanOptionalAction, default=None,
                    help="convert every workbook with LibreOffice (default: with --long)")
    ap.add_argument("--keep", action="store_true", help="keep the folder even when every case passed")
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("the intake test runs as root: it runs the daemon as nobody for the permission cases")
        return 2
    run = Run(args)
    chosen = [c for c in CASES if not args.only or c.__name__ in args.only]
    print(f"intake test ({'long' if run.long else 'short'}): {len(chosen)} cases, {args.jobs} at a time, "
          f"seed {run.seed}, folder {run.base}", flush=True)
    started = time.time()
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(run_case, run, fn): fn for fn in chosen}
        for fut in concurrent.futures.as_completed(futures):
            name, problems, took = fut.result()
            results[name] = problems
            print(f"  {'PASS' if not problems else 'FAIL'}  {name:<22} {took:5.1f} s", flush=True)
    failed = [c.__name__ for c in chosen if results[c.__name__]]
    print(f"\n{len(chosen) - len(failed)} passed, {len(failed)} failed in {time.time() - started:.0f} s")
    for name in failed:
        print(f"\n{name}:")
        for p in results[name][:25]:
            print("  - " + p.replace("\n", "\n    "))
        if len(results[name]) > 25:
            print(f"  … and {len(results[name]) - 25} more")
    if failed or args.keep:
        print(f"\nfolder kept: {run.base}")
    else:
        shutil.rmtree(run.base)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
