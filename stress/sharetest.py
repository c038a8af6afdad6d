# SPDX-License-Identifier: Apache-2.0
"""The share test (issue 23): the province's share as communes use it, through a real `smbd`
on 127.0.0.1 and Windows-like clients (`smbprotocol`, the SMB2/3 library), with the real
daemon behind it.

The site is the demo province (`ruralstat init --demo`) with unit folders; the smb.conf is a
test [global] (its own private, lock and state folders, a high port, loopback only) followed by
exactly the sections `ruralstat samba-conf` prints. The units' accounts are system accounts
made as `ruralstat samba-conf --users` says, and the daemon runs as the service user `ruralstat`
that Samba writes as. Run as root (it creates those accounts; a fresh CI machine is).

Cases:
  upload       a plain upload answered in the unit's [phan-hoi], nowhere another unit sees it
  apart        another unit, a wrong password, an account outside the submitters' group:
               none lists, reads or writes a unit's folders or its answers, nor reaches _admin
  paused       an upload that pauses longer than settle_seconds with the file held open:
               taken once, after it is closed
  excel        a workbook open in Excel (owner file beside it, saved by a temporary name and a
               rename): taken only once closed, the last save
  cut          an upload cut off by a dead client: answered, then sent again whole and taken
  burst        twenty files from five units at once: each answered once
  names        a name Windows writes differently (case only after a first file, a long
               Vietnamese name): each answered under its own name
  disk         on the disk too, as a local user in the submitters' group: another unit's
               account lists, reads, writes and deletes nothing of a unit's, nor the admin's
               answers; the unit's own account drops a file that is taken; `check` finds the
               folders apart, and names one opened to the group

    python3 stress/sharetest.py [--binary .build/release/ruralstat] [--only CASE…] [--keep]

Prints PASS/FAIL per case; exit status 1 if any failed.
"""
import argparse
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

import smbclient
from smbprotocol.exceptions import SMBException

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PORT = 44500 + os.getpid() % 400
SERVICE_USER = "ruralstat"
SUBMITTERS = "ruralstat-submit"
UNITS = ["10525", "10546", "10675", "10966", "10903"]
PASSWORD = "Mk-{}-2026"
SETTLE = 1


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def ensure_account(name, group, password=None, conf=None):
    """A system account with no shell and no home (as `samba-conf --users` makes them), and
    its Samba password in the test's own password database."""
    subprocess.run(["groupadd", "--system", "-f", group], check=True)
    try:
        pwd.getpwnam(name)
        run(["usermod", "-a", "-G", group, name])   # an account left by another run: in the group all the same
    except KeyError:
        run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "--gid", group, name])
    if password is not None:
        subprocess.run(["smbpasswd", "-c", conf, "-s", "-a", name], input=f"{password}\n{password}\n",
                       check=True, capture_output=True, text=True)


class Site:
    """The demo province with unit folders, Samba in front, the daemon behind."""

    def __init__(self, root, binary):
        self.root, self.binary = root, binary
        self.dir = os.path.join(root, "site")
        run([binary, "init", self.dir, "--demo"])
        self.config = os.path.join(self.dir, "ruralstat.yaml")
        with open(self.config, encoding="utf-8") as f:
            text = f.read()
        for old, new in [("unit_folders: false", "unit_folders: true"), ("settle_seconds: 2 ", f"settle_seconds: {SETTLE} "),
                         ("scan_interval_seconds: 30 ", "scan_interval_seconds: 1 "),
                         ("arrival_grace_seconds: 600", "arrival_grace_seconds: 3")]:
            assert old in text, old
            text = text.replace(old, new)
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(text)
        self.var = os.path.join(self.dir, "var")
        self.smb = os.path.join(root, "samba")
        for d in ("private", "lock", "state", "cache", "pid", "ncalrpc"):
            os.makedirs(os.path.join(self.smb, d), exist_ok=True)
        ensure_account(SERVICE_USER, SERVICE_USER)
        # The sections exactly as printed (samba-conf also makes the folders and links).
        sections = run([binary, "samba-conf", "--config", self.config]).stdout
        accounts = run([binary, "samba-conf", "--users", "--config", self.config]).stdout
        self.conf = os.path.join(self.smb, "smb.conf")
        with open(self.conf, "w", encoding="utf-8") as f:
            f.write(self.global_section() + sections)
        # The units' accounts, named as --users names them.
        self.accounts = {}
        for line in accounts.splitlines():
            if line.startswith("id -u "):
                account = line.split()[2]
                unit = account[2:]
                if unit in UNITS:
                    self.accounts[unit] = account
                    ensure_account(account, SUBMITTERS, PASSWORD.format(unit), self.conf)
        assert len(self.accounts) == len(UNITS), accounts
        # Someone with a Samba password but outside the submitters' group.
        ensure_account("khachtest", "users", "Mk-khach-2026", self.conf)
        # The site belongs to the service user, with the modes the package's tmpfiles.d gives
        # /srv/ruralstat: the inbox and the answers setgid to the submitters, who may pass through.
        subprocess.run(["chown", "-R", f"{SERVICE_USER}:{SERVICE_USER}", self.dir], check=True)
        for d in (root, self.dir, self.var):
            os.chmod(d, 0o755)
        for d in ("inbox", "feedback"):
            subprocess.run(["chgrp", SUBMITTERS, os.path.join(self.var, d)], check=True)
            os.chmod(os.path.join(self.var, d), 0o2750)
        self.smbd = self.daemon = None

    def global_section(self):
        s = self.smb
        return f"""[global]
   smb ports = {PORT}
   interfaces = 127.0.0.1
   bind interfaces only = yes
   disable netbios = yes
   server role = standalone server
   server min protocol = SMB2_10
   map to guest = never
   passdb backend = tdbsam:{s}/private/passdb.tdb
   private dir = {s}/private
   lock directory = {s}/lock
   state directory = {s}/state
   cache directory = {s}/cache
   pid directory = {s}/pid
   ncalrpc dir = {s}/ncalrpc
   log file = {s}/log.%m
   log level = 1
   load printers = no
   printing = bsd
   printcap name = /dev/null
   disable spoolss = yes

"""

    def start(self):
        self.smbd = subprocess.Popen(["smbd", "--foreground", "--no-process-group", f"--configfile={self.conf}", "--debug-stdout"],
                                     stdout=open(os.path.join(self.smb, "smbd.out"), "wb"), stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.log = os.path.join(self.root, "daemon.log")
        self.daemon = subprocess.Popen(["setpriv", f"--reuid={SERVICE_USER}", f"--regid={SERVICE_USER}", "--init-groups",
                                        self.binary, "serve", "--config", self.config],
                                       stdout=subprocess.DEVNULL, stderr=open(self.log, "wb"), start_new_session=True)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("smbd did not listen: " + open(os.path.join(self.smb, "smbd.out"), errors="replace").read()[-2000:])
        if not wait(lambda: "ruralstat started" in self.log_text(), 20):
            raise RuntimeError("the daemon did not start: " + self.log_text()[-2000:])

    def stop(self):
        for p in (self.daemon, self.smbd):
            if p and p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
        smbclient.reset_connection_cache()

    def log_text(self):
        with open(self.log, encoding="utf-8", errors="replace") as f:
            return f.read()

    def form(self, unit, seed, path):
        """A valid form of `unit`, the demo's figures (`ruralstat template` then our filler)."""
        blank = path + ".blank.xlsx"
        run([self.binary, "template", "--period", "2025-Q3", "--unit", unit, "--config", self.config, "--out", blank])
        schema = os.path.join(self.root, "schema.json")
        if not os.path.exists(schema):
            with open(schema, "w", encoding="utf-8") as f:
                f.write(run([self.binary, "schema", "--json", "--config", self.config]).stdout)
        run([sys.executable, os.path.join(REPO, "Tests/EndToEndTests/Support/fill_form.py"), schema, blank, path, path + ".json", str(seed)])
        os.remove(blank)
        with open(path, "rb") as f:
            return f.read()

    def answers(self, unit):
        """The answer texts in feedback/<unit>/ on disk: {file name: text}."""
        out = {}
        for p in glob.glob(os.path.join(self.var, "feedback", unit, "*.txt")):
            with open(p, encoding="utf-8-sig", errors="replace") as f:
                out[os.path.basename(p)] = f.read()
        return out

    def stored(self, folder):
        return [p for p in glob.glob(os.path.join(self.var, folder, "**", "*"), recursive=True) if os.path.isfile(p)]


class Client:
    """One unit's clerk on a Windows PC: a session of its own on the share."""

    def __init__(self, account, password):
        self.account, self.password = account, password
        self.cache = {}

    def kw(self):
        return dict(username=self.account, password=self.password, port=PORT, connection_cache=self.cache)

    def path(self, share, name=""):
        return rf"\\127.0.0.1\{share}" + ("\\" + name if name else "")

    def put(self, name, data, share="bao-cao"):
        with smbclient.open_file(self.path(share, name), mode="wb", **self.kw()) as f:
            f.write(data)

    def get(self, name, share="phan-hoi"):
        with smbclient.open_file(self.path(share, name), mode="rb", **self.kw()) as f:
            return f.read()

    def ls(self, share, sub=""):
        return sorted(smbclient.listdir(self.path(share, sub), **self.kw()))

    def remove(self, name, share="bao-cao"):
        smbclient.remove(self.path(share, name), **self.kw())

    def rename(self, old, new, share="bao-cao"):
        smbclient.rename(self.path(share, old), self.path(share, new), **self.kw())

    def close(self):
        for c in list(self.cache.values()):
            try:
                c.disconnect()
            except Exception:  # noqa: BLE001 - already gone is fine
                pass
        self.cache.clear()


def wait(condition, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def refused(action):
    """True when the share refuses `action` (an SMB error, not success)."""
    try:
        action()
    except (SMBException, OSError, ValueError):
        return True
    return False


class Case:
    def __init__(self, site, clients):
        self.site, self.clients, self.problems = site, clients, []

    def check(self, ok, what):
        if not ok:
            self.problems.append(what)

    def answered(self, unit, stem, seconds=30):
        """Waits for the answer of `stem` in the unit's answers folder; its names."""
        found = []

        def look():
            found[:] = [n for n in self.site.answers(unit) if n.startswith(stem + ".")]
            return bool(found)
        wait(look, seconds)
        return list(found)


def case_upload(c):
    """A plain upload: accepted, answered in the unit's [phan-hoi], which no other unit sees."""
    a, b = c.clients["10525"], c.clients["10546"]
    data = c.site.form("10525", 101, os.path.join(c.site.root, "upload.xlsx"))
    a.put("bao-cao-quy-3.xlsx", data)
    names = c.answered("10525", "bao-cao-quy-3")
    c.check(any(n.endswith(".tiep-nhan.txt") for n in names), f"no acceptance answer: {names} {c.site.log_text()[-800:]}")
    listed = a.ls("phan-hoi")
    c.check(any(n.startswith("bao-cao-quy-3.") for n in listed), f"the answer is not in the unit's [phan-hoi]: {listed}")
    text = a.get(next((n for n in listed if n.endswith(".txt")), "x"))
    c.check("ĐÃ TIẾP NHẬN".encode() in text, "the answer read through the share does not say accepted")
    c.check(not any(n.startswith("bao-cao-quy-3.") for n in b.ls("phan-hoi")), "another unit sees the answer")
    # The blank form of the quarter in progress, pre-filled for the unit, waits in its [phan-hoi].
    quarter = subprocess.run(["date", "-u", "-d", "+7 hours", "+%Y %m"], capture_output=True, text=True).stdout.split()
    current = f"{quarter[0]}-Q{(int(quarter[1]) - 1) // 3 + 1}"
    c.check(f"bieu-mau-{current}-10525.xlsx" in listed, f"no blank form of {current} in the unit's [phan-hoi]: {listed}")
    c.check(f"bieu-mau-{current}-10546.xlsx" not in listed, "another unit's blank form in the unit's [phan-hoi]")
    c.check(a.ls("bao-cao") == [], f"the file is still in the unit's folder: {a.ls('bao-cao')}")


def case_apart(c):
    """Another unit, a wrong password, an account outside the group: refused by Samba."""
    a, b = c.clients["10525"], c.clients["10546"]
    secret = b"bi mat"
    admin = os.path.join(c.site.var, "feedback", "_admin")
    os.makedirs(admin, mode=0o700, exist_ok=True)   # as the daemon makes it: its own, 0700
    with open(os.path.join(admin, "goc.loi.txt"), "wb") as f:
        f.write(secret)
    subprocess.run(["chown", "-R", SERVICE_USER, admin], check=True)
    with open(os.path.join(c.site.var, "inbox", "10525", "~$dang-mo.xlsx"), "wb") as f:
        f.write(secret)   # something of 10525's waiting in its folder
    for what, action in [
        ("list another unit's folder", lambda: b.ls("bao-cao", r"..\10525")),
        ("read a file in another unit's folder", lambda: b.get(r"..\10525\~$dang-mo.xlsx", share="bao-cao")),
        ("write into another unit's folder", lambda: b.put(r"..\10525\gia-mao.xlsx", b"x")),
        ("read another unit's answers", lambda: b.ls("phan-hoi", r"..\10525")),
        ("reach the admin's answers", lambda: b.get(r"..\_admin\goc.loi.txt")),
        ("write into its own answers", lambda: b.put("gia-mao.txt", b"x", share="phan-hoi")),
        ("delete its own answer", lambda: a.remove(next(iter(a.ls("phan-hoi")), "x"), share="phan-hoi")),
        ("read the reports without being a manager", lambda: b.ls("bao-cao-tong-hop")),
        ("connect with a wrong password", lambda: Client(b.account, "sai-mat-khau").ls("bao-cao")),
        ("connect outside the submitters' group", lambda: Client("khachtest", "Mk-khach-2026").ls("bao-cao")),
    ]:
        c.check(refused(action), f"not refused: {what}")
    c.check(not os.path.exists(os.path.join(c.site.var, "inbox", "gia-mao.xlsx")), "a file reached the inbox root")
    c.check(b.ls("bao-cao") == [], f"another unit's folder shows: {b.ls('bao-cao')}")
    os.remove(os.path.join(c.site.var, "inbox", "10525", "~$dang-mo.xlsx"))


def case_paused(c):
    """An upload held open through a pause longer than the settle time: taken after close, once."""
    a = c.clients["10675"]
    data = c.site.form("10675", 103, os.path.join(c.site.root, "paused.xlsx"))
    with smbclient.open_file(a.path("bao-cao", "cham.xlsx"), mode="wb", **a.kw()) as f:
        f.write(data[: len(data) // 2])
        f.flush()
        time.sleep(SETTLE * 4 + 1)
        c.check(c.site.answers("10675") == {}, "answered while the upload was held open")
        f.write(data[len(data) // 2:])
    names = c.answered("10675", "cham")
    c.check(len([n for n in names if n.endswith(".txt")]) == 1 and names[0].endswith(".tiep-nhan.txt"),
            f"not accepted once: {names}")


def case_excel(c):
    """Open in Excel: the owner file beside it through two saves; taken once closed, the last save."""
    a = c.clients["10966"]
    first = c.site.form("10966", 104, os.path.join(c.site.root, "excel-1.xlsx"))
    last = c.site.form("10966", 105, os.path.join(c.site.root, "excel-2.xlsx"))
    a.put("~$o cáo quý 3.xlsx", b"\x05Dung " + b"\x00" * 40)
    a.put("Báo cáo quý 3.xlsx", first)
    time.sleep(SETTLE * 4 + 1)
    c.check(c.site.answers("10966") == {}, "taken while open in Excel")
    # Ctrl+S: a temporary file, the workbook deleted, the temporary renamed.
    a.put("A1B2C3D4", last)
    a.remove("Báo cáo quý 3.xlsx")
    a.rename("A1B2C3D4", "Báo cáo quý 3.xlsx")
    time.sleep(SETTLE * 4 + 1)
    c.check(c.site.answers("10966") == {}, "taken while open in Excel, after a save")
    a.remove("~$o cáo quý 3.xlsx")
    names = c.answered("10966", "Báo cáo quý 3")
    c.check(len([n for n in names if n.endswith(".txt")]) == 1, f"not answered once: {names}")
    archived = [p for p in c.site.stored("archive") if p.endswith("Báo cáo quý 3.xlsx")]
    c.check(len(archived) == 1 and open(archived[0], "rb").read() == last, f"not the last save archived: {archived}")


def case_cut(c):
    """A dead client: half a file, then the connection gone. Answered; sent again whole, taken."""
    a = c.clients["10903"]
    data = c.site.form("10903", 106, os.path.join(c.site.root, "cut.xlsx"))
    dead = Client(a.account, a.password)
    f = smbclient.open_file(dead.path("bao-cao", "dut.xlsx"), mode="wb", **dead.kw())
    f.write(data[: len(data) // 3])
    f.flush()
    # The PC loses the network: the socket goes, nothing is closed or flushed by the client.
    connections = list(dead.cache.values())
    c.check(bool(connections), "no connection to cut")
    for conn in connections:
        conn.transport.close()
    names = c.answered("10903", "dut", seconds=60)
    c.check(any(n.endswith(".loi.txt") for n in names), f"the cut upload was not answered: {names}")
    a.put("dut.xlsx", data)

    def accepted():
        return any(n.startswith("dut.") and n.endswith(".tiep-nhan.txt") for n in c.site.answers("10903"))
    c.check(wait(accepted, 60), f"sent again whole, not accepted: {sorted(c.site.answers('10903'))}")


def case_burst(c):
    """Twenty files from five units at once, each answered once."""
    datas = {u: c.site.form(u, 200 + i, os.path.join(c.site.root, f"burst-{u}.xlsx")) for i, u in enumerate(UNITS)}
    errors = []

    def send(unit):
        try:
            client = Client(c.clients[unit].account, c.clients[unit].password)
            for k in range(4):
                client.put(f"dot-{k}.xlsx", datas[unit][:-1] + bytes([k]) if k else datas[unit])
            client.close()
        except Exception as e:  # noqa: BLE001 - reported as a problem
            errors.append(f"{unit}: {e}")
    threads = [threading.Thread(target=send, args=(u,)) for u in UNITS]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    c.check(not errors, f"uploads failed: {errors}")

    def all_answered():
        return all(len([n for n in c.site.answers(u) if n.startswith("dot-") and n.endswith(".txt")]) == 4 for u in UNITS)
    c.check(wait(all_answered, 90), "not every file answered: "
            + str({u: sorted(n for n in c.site.answers(u) if n.startswith("dot-")) for u in UNITS}))
    for u in UNITS:
        for k in range(4):
            texts = [n for n in c.site.answers(u) if n.startswith(f"dot-{k}.") and n.endswith(".txt")]
            c.check(len(texts) == 1, f"{u} dot-{k}: {len(texts)} answers")


def case_names(c):
    """Case only after a first file, and a long Vietnamese name: each answered as itself."""
    a = c.clients["10546"]
    data = c.site.form("10546", 107, os.path.join(c.site.root, "names.xlsx"))
    a.put("bao-cao.xlsx", data)
    c.check(bool(c.answered("10546", "bao-cao")), "bao-cao.xlsx not answered")
    a.put("BAO-CAO.XLSX", data[:-1] + b"\x01")
    c.check(bool(c.answered("10546", "BAO-CAO")), f"BAO-CAO.XLSX not answered: {sorted(c.site.answers('10546'))}")
    long_name = "Báo cáo tình hình công nghiệp nông thôn và khuyến công quý III năm 2025 của Ủy ban nhân dân xã Tân Tiến.xlsx"
    a.put(long_name, data[:-1] + b"\x02")
    c.check(bool(c.answered("10546", long_name[:-5])), f"the long name not answered: {sorted(c.site.answers('10546'))}")


def as_user(account, script):
    """Runs a shell `script` as the local `account` (its groups too): a clerk with a shell on the server."""
    return subprocess.run(["setpriv", f"--reuid={account}", f"--regid={pwd.getpwnam(account).pw_gid}", "--init-groups",
                           "sh", "-c", script], capture_output=True, text=True)


def case_disk(c):
    """On the disk too: another unit's local account, in the same group, reaches nothing of a
    unit's; the unit's own account drops into its folder and the daemon takes the file; check agrees."""
    a, b = c.site.accounts["10525"], c.site.accounts["10546"]
    var = c.site.var
    waiting = os.path.join(var, "inbox", "10525", "~$cho.xlsx")
    with open(waiting, "wb") as f:
        f.write(b"x")
    subprocess.run(["chown", SERVICE_USER, waiting], check=True)
    answers = os.path.join(var, "feedback", "10525")
    some_answer = next(iter(sorted(os.listdir(answers))), "none")
    # A file at the inbox root, which is no unit's: answered to the admin, in feedback/_admin.
    root_file = os.path.join(var, "inbox", "goc-dia.xlsx")
    shutil.copy(os.path.join(c.site.root, "upload.xlsx"), root_file + ".tmp")
    os.rename(root_file + ".tmp", root_file)
    c.check(wait(lambda: any(n.startswith("goc-dia.") for n in c.site.answers("_admin")), 30), "no admin's answer")
    for what, script in [
        ("list another unit's inbox folder", f"ls '{var}/inbox/10525'"),
        ("read a file waiting in another unit's folder", f"cat '{waiting}'"),
        ("write into another unit's folder", f"echo x > '{var}/inbox/10525/gia-mao.xlsx'"),
        ("delete another unit's file", f"rm -f '{waiting}' && test ! -e '{waiting}'"),
        ("list another unit's answers", f"ls '{answers}'"),
        ("read another unit's answer", f"cat '{answers}/{some_answer}'"),
        ("list the admin's answers", f"ls '{var}/feedback/_admin'"),
    ]:
        r = as_user(b, script)
        c.check(r.returncode != 0, f"not refused on the disk: {what} ({r.stdout.strip()[:200]})")
    c.check(os.path.exists(waiting), "another unit deleted a unit's file")
    os.remove(waiting)
    # The unit's own account, through a shell: its file is taken and answered like any other.
    data = c.site.form("10525", 108, os.path.join(c.site.root, "disk.xlsx"))
    staged = os.path.join(c.site.root, "disk.xlsx")
    os.chmod(staged, 0o644)
    r = as_user(a, f"cp '{staged}' '{var}/inbox/10525/.tam' && mv '{var}/inbox/10525/.tam' '{var}/inbox/10525/tu-may-chu.xlsx'")
    c.check(r.returncode == 0, f"the unit's own account cannot drop into its folder: {r.stderr}")
    names = c.answered("10525", "tu-may-chu")
    c.check(any(n.endswith(".tiep-nhan.txt") for n in names), f"its file not accepted: {names} {c.site.log_text()[-600:]}")
    r = as_user(a, f"cat '{answers}'/tu-may-chu.*.txt")
    c.check(r.returncode == 0 and "ĐÃ TIẾP NHẬN" in r.stdout, f"the unit cannot read its own answer on the disk: {r.stderr}")
    r = subprocess.run([c.site.binary, "check", "--json", "--config", c.site.config], capture_output=True, text=True)
    kinds = {p["kind"] for p in json.loads(r.stdout).get("problems", [])}
    c.check("share-permissions" not in kinds, f"check finds the units' folders open: {r.stdout[:800]}")
    # Opened by hand (a group write bit put back): check names it.
    subprocess.run(["setfacl", "-m", "g::rwx", os.path.join(var, "inbox", "10546")], check=True)
    r = subprocess.run([c.site.binary, "check", "--json", "--config", c.site.config], capture_output=True, text=True)
    c.check('"share-permissions"' in r.stdout and "10546" in r.stdout, f"check does not see a folder opened to the group: {r.stdout[:600]}")
    subprocess.run(["setfacl", "-m", "g::---", os.path.join(var, "inbox", "10546")], check=True)


CASES = {"upload": case_upload, "apart": case_apart, "paused": case_paused, "excel": case_excel,
         "cut": case_cut, "burst": case_burst, "names": case_names, "disk": case_disk}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", type=os.path.abspath, default=os.path.join(REPO, ".build/release/ruralstat"))
    ap.add_argument("--only", nargs="*", choices=sorted(CASES))
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("sharetest: run as root (it creates the units' system accounts and runs smbd)")
    root = tempfile.mkdtemp(prefix="ruralstat-share-")
    site = Site(root, args.binary)
    failed = 0
    try:
        site.start()
        clients = {u: Client(site.accounts[u], PASSWORD.format(u)) for u in UNITS}
        for name in args.only or list(CASES):
            case = Case(site, clients)
            started = time.time()
            try:
                CASES[name](case)
            except Exception:  # noqa: BLE001 - a case that raises fails, with its trace
                case.problems.append(traceback.format_exc())
            if site.daemon.poll() is not None:
                case.problems.append("the daemon stopped: " + site.log_text()[-1500:])
            status = "PASS" if not case.problems else "FAIL"
            failed += bool(case.problems)
            print(f"{status} {name} ({time.time() - started:.1f} s)")
            for p in case.problems:
                print("   - " + p.replace("\n", "\n     "))
        # Nothing left half-done: work/ empty, the inbox holds only what a case left on purpose.
        left = [p for p in glob.glob(os.path.join(site.var, "work", "**", "*"), recursive=True) if os.path.isfile(p)]
        if left:
            failed += 1
            print(f"FAIL work/ not empty: {left}")
    finally:
        site.stop()
        if args.keep or failed:
            print(f"kept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
