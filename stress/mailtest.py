# SPDX-License-Identifier: Apache-2.0
"""The mail test (issue 16): `ruralstat mail send`, the real binary, against a real SMTP server
(aiosmtpd) on 127.0.0.1, checking what the README promises of the outbox: a message leaves
`outbox/` for `outbox/sent/` only once the relay has taken it, for `outbox/failed/` only when
the relay refuses it for good or it has waited `give_up_hours`; a crash can at worst send a
message twice, with the same Message-ID, and never loses one.

The messages are the daemon's own: a demo site (`ruralstat init --demo`) whose communes have
addresses gets filled forms (valid ones, copies of them, forms with a mistake) and
`ruralstat serve --once` writes one answer per file and the managers' digest into `outbox/`.
That outbox is kept aside and each case starts from a copy of it (or part of it):

  down       no server listening: exit 1, every message still pending, none sent or failed;
  kill       the relay takes each message slowly and `mail send` is SIGKILLed after k messages
             have arrived, many times at different points (some kills while the relay holds
             its 250 after keeping the message, so a re-send is certain), then sent to the
             end. After every kill each message is in exactly one of outbox/ and sent/,
             byte-identical, every message in sent/ has arrived, at most one message has
             arrived but is still pending; at the end every Message-ID has arrived, nothing
             arrived that is not one of the originals (byte-identical), the duplicates are
             exactly the messages a kill caught between the relay's taking and the move, sent/
             holds exactly the originals, failed/ is empty, no temporary file is left;
  refused    5xx at RCPT for one address, 5xx after DATA for another: those messages in
             failed/, the others sent, nothing pending, exit 0 (nothing waits); the admin told
             in one message, sent in the same run, naming each;
  later      4xx at RCPT and after DATA: those messages pending, exit 1, the others sent; a
             message older than give_up_hours goes to failed/ (the admin told); the next run
             sends the rest and exits 0, each message having arrived exactly once;
  sender     5xx at MAIL FROM (the configured sender refused): every message pending, exit 1
             (a refusal of the session is not a refusal of the message), then all sent;
  noticekill SIGKILL once refused messages are in failed/, before the run ends: the next run
             tells the admin of them (failed/ keeps which ones were told, so a kill at any
             point tells twice at worst, never not at all);
  twoaddr    a message to two addresses, one refused for good (5xx at RCPT): where it goes
             and who got it (reported, not judged);
  tls        STARTTLS with AUTH against smtp_server.py --tls (its own CA): first with a wrong
             password (the messages must stay pending: a login refused is not a message
             refused), then the right one: every message arrives authenticated, byte-identical;
  together   two `mail send` at once (a timer's and an admin's): one sends, the other leaves
             the messages to it (exit 1); nothing lost, nothing sent twice.

    python3 stress/mailtest.py [--binary …] [--share …] [--messages N] [--kills K] [--short]

Prints each case's numbers and PASS/FAIL; exit status 1 if any case failed.
"""
import argparse
import asyncio
import concurrent.futures
import email
import email.policy
import json
import logging
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID: <([^>\r\n]+)>\r?$", re.M | re.I)
TO = re.compile(rb"^To: ([^\r\n]*)\r?$", re.M | re.I)
PERIOD = "2025-Q4"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def head(data):
    return data.split(b"\r\n\r\n", 1)[0]


def message_id(data):
    m = MESSAGE_ID.search(head(data))
    return m.group(1).decode() if m else None


def recipients(data):
    m = TO.search(head(data))
    return [a.strip().decode() for a in m.group(1).split(b",")] if m else []


class Relay:
    """A real SMTP server (aiosmtpd) in this process, keeping each message it takes in
    `folder` (written to a temporary name, then renamed: a listing sees whole messages only).
    Its behaviour can be changed between runs: replies refusing addresses at RCPT or after
    DATA, a delay before a message is kept, and a hold after it is kept, before the 250."""

    def __init__(self, port):
        self.port = port
        self.controller = None
        self.lock = threading.Lock()
        self.busy = 0
        self.reset(None)

    def reset(self, folder):
        self.folder = folder
        if folder:
            os.makedirs(folder, exist_ok=True)
        self.arrivals = []          # (message id, bytes, envelope recipients)
        self.rcpt_replies = {}      # address → reply ("550 …", "450 …")
        self.data_replies = {}      # address → reply after DATA
        self.mail_reply = None      # a reply to MAIL FROM (the sender refused)
        self.delay = 0.0
        self.hold = 0.0

    def count(self):
        with self.lock:
            return len(self.arrivals)

    def start(self):
        relay = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                reply = relay.rcpt_replies.get(address)
                if reply:
                    return reply
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_MAIL(self, server, session, envelope, address, mail_options):
                if relay.mail_reply:
                    return relay.mail_reply
                envelope.mail_from = address
                envelope.mail_options.extend(mail_options)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                with relay.lock:
                    relay.busy += 1
                try:
                    for address in envelope.rcpt_tos:
                        if address in relay.data_replies:
                            return relay.data_replies[address]
                    if relay.delay:
                        await asyncio.sleep(relay.delay)
                    relay.keep(envelope)
                    if relay.hold:
                        await asyncio.sleep(relay.hold)
                    return "250 OK"
                finally:
                    with relay.lock:
                        relay.busy -= 1

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def keep(self, envelope):
        data = envelope.original_content
        with self.lock:
            n = len(self.arrivals)
            self.arrivals.append((message_id(data), data, list(envelope.rcpt_tos)))
        path = os.path.join(self.folder, f"{n:06d}.eml")
        with open(path + ".part", "wb") as f:
            f.write(data)
        os.rename(path + ".part", path)

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def wait_idle(self, timeout=10):
        """Until no message is being taken (a handler cut off by a kill may still be sleeping)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if self.busy == 0:
                    return True
            time.sleep(0.01)
        return False


class Site:
    """A demo site with a mail: section, and the outbox its daemon wrote, kept aside."""

    def __init__(self, root, binary, share, messages, python, relay_port):
        self.root = root
        self.binary = binary
        self.share = share
        self.python = python
        self.env = dict(os.environ, RURALSTAT_SHARE=share)
        self.dir = os.path.join(root, "site")
        self.config = os.path.join(self.dir, "ruralstat.yaml")
        self.run(["init", self.dir, "--demo"], check=True)
        with open(self.config, encoding="utf-8") as f:
            text = f.read()
        # Every commune gets an address of its own; the second one two addresses.
        self.units = re.findall(r'^  - \{code: "([^"]+)", name: "[^"]*", group: "[^"]*", from: 2025-Q3\}', text, re.M)
        self.addresses = {}
        for i, code in enumerate(self.units):
            self.addresses[code] = [f"u{code}@units.test"] + ([f"ketoan{code}@units.test"] if i == 1 else [])
            text = text.replace(f'  - {{code: "{code}", name:', f'  - {{code: "{code}", email: {self.addresses[code]}, name:', 1)
        self.base = text
        self.managers = ["lanhdao@soct.test", "phongcn@soct.test"]
        self.admin = "quantri@soct.test"
        self.configure(relay_port)
        self.make_messages(messages)

    def run(self, args, check=False, timeout=600):
        r = subprocess.run([self.binary] + args, capture_output=True, text=True, env=self.env, timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError(f"ruralstat {' '.join(args[:2])} exited with {r.returncode}: {r.stderr[-800:]}")
        return r

    def configure(self, port, security="none", ca_file=None, username=None, password_file=None):
        smtp = f"{{host: 127.0.0.1, port: {port}, security: {security}" + (f", ca_file: {ca_file}" if ca_file else "") + "}"
        mail = ["", "mail:", f"  smtp: {smtp}", '  from: "Sở Công Thương Hải Phòng <ruralstat@soct.test>"',
                f"  managers: [{', '.join(self.managers)}]", f"  admin: {self.admin}", "  give_up_hours: 72"]
        if username:
            mail += [f"  username: {username}", f"  password_file: {password_file}"]
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(self.base + "\n".join(mail) + "\n")

    def make_messages(self, messages):
        """Filled forms for a few communes (two with a mistake), dropped `messages - 1` times
        in all under names of their own (the copies are duplicates, answered too), and one
        `serve --once`: an answer per file and one digest to the managers."""
        work = os.path.join(self.root, "forms")
        os.makedirs(work)
        schema = os.path.join(work, "schema.json")
        with open(schema, "w", encoding="utf-8") as f:
            f.write(self.run(["schema", "--json", "--config", self.config], check=True).stdout)
        chosen = self.units[:10]
        fill = os.path.join(self.share, "Tests", "EndToEndTests", "Support", "fill_form.py")

        def make(i, unit):
            blank = os.path.join(work, f"blank-{unit}.xlsx")
            self.run(["template", "--period", PERIOD, "--unit", unit, "--config", self.config, "--out", blank], check=True)
            out = os.path.join(work, f"form-{unit}.xlsx")
            subprocess.run([self.python, fill, schema, blank, out, os.path.join(work, f"e-{unit}.json"), str(i + 1)]
                           + (["--text-in-number"] if i in (3, 7) else []), check=True, capture_output=True)
            return out

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            forms = list(pool.map(make, range(len(chosen)), chosen))
        inbox = os.path.join(self.dir, "var", "inbox")
        for n in range(messages - 1):
            unit = chosen[n % len(chosen)]
            staged = os.path.join(work, f"bao-cao-{unit}-{n:04d}.xlsx")
            shutil.copy2(forms[n % len(forms)], staged)
            os.rename(staged, os.path.join(inbox, os.path.basename(staged)))
        self.run(["serve", "--once", "--config", self.config], check=True)
        self.outbox = os.path.join(self.dir, "var", "outbox")
        self.pristine = {}
        for name in sorted(os.listdir(self.outbox)):
            if name.endswith(".eml"):
                with open(os.path.join(self.outbox, name), "rb") as f:
                    self.pristine[name] = f.read()
        self.ids = {message_id(d): n for n, d in self.pristine.items()}
        if len(self.ids) != len(self.pristine):
            raise RuntimeError("two messages in the outbox share a Message-ID")
        shutil.rmtree(self.outbox)

    def fill_outbox(self, names=None):
        """outbox/ as the daemon left it (or those of its messages), sent/ and failed/ gone."""
        if os.path.exists(self.outbox):
            shutil.rmtree(self.outbox)
        os.makedirs(self.outbox)
        for name in names if names is not None else self.pristine:
            with open(os.path.join(self.outbox, name), "wb") as f:
                f.write(self.pristine[name])

    def state(self):
        """{folder: {name: bytes}} for outbox/, sent/ and failed/, and anything else found there."""
        out = {"pending": {}, "sent": {}, "failed": {}}
        stray = []
        for dirpath, dirnames, names in os.walk(self.outbox):
            rel = os.path.relpath(dirpath, self.outbox)
            where = {".": "pending", "sent": "sent", "failed": "failed"}.get(rel)
            for d in dirnames:
                if where != "pending" or d not in ("sent", "failed"):
                    stray.append(os.path.join(rel, d))
            for name in names:
                # Beside a failed message: why it failed, and that the admin was told.
                if where == "failed" and name.endswith((".eml.reason", ".eml.told")) and name.rsplit(".", 1)[0] in names:
                    continue
                if where is None or name.startswith(".") or not name.endswith(".eml"):
                    stray.append(os.path.join(rel, name))
                    continue
                try:
                    with open(os.path.join(dirpath, name), "rb") as f:
                        out[where][name] = f.read()
                except FileNotFoundError:
                    pass  # moved by a sender still running since the folder was listed
        return out, stray

    def send(self, timeout=300):
        return self.run(["mail", "send", "--config", self.config], timeout=timeout)

    def start_send(self, log):
        return subprocess.Popen([self.binary, "mail", "send", "--config", self.config], env=self.env,
                                stdout=log, stderr=subprocess.STDOUT)


def check_places(site, names, problems, where_expected=None, label=""):
    """Each of `names` in exactly one of pending/sent/failed, byte-identical to the daemon's, and
    nothing else in the outbox (no temporary file). `where_expected`: name → folder it must be in."""
    state, stray = site.state()
    if stray:
        problems.append(f"{label}stray files in the outbox: {stray[:5]}")
    for name in names:
        places = [w for w in state if name in state[w]]
        if len(places) != 1:
            problems.append(f"{label}{name} is in {places or 'no folder'}")
            continue
        if state[places[0]][name] != site.pristine[name]:
            problems.append(f"{label}{name} in {places[0]} differs from what the daemon wrote")
        if where_expected and where_expected.get(name, places[0]) != places[0]:
            problems.append(f"{label}{name} in {places[0]}, expected in {where_expected[name]}")
    extra = [n for w in state for n in state[w] if n not in names and not is_notice(site, n, state[w][n])]
    if extra:
        problems.append(f"{label}messages that were not put in the outbox: {extra[:5]}")
    return state


def check_arrivals(site, relay, names, problems, label=""):
    """Every arrival one of `names`' messages, byte-identical; returns {message id: times}."""
    times = {}
    wanted = {message_id(site.pristine[n]): n for n in names}
    for mid, data, rcpts in relay.arrivals:
        if mid not in site.ids and rcpts == [site.admin]:
            continue    # the admin told of messages that failed: check_notices
        times[mid] = times.get(mid, 0) + 1
        name = wanted.get(mid)
        if name is None:
            problems.append(f"{label}the relay got a message that is not one of the outbox's: {mid}")
        elif data != site.pristine[name]:
            problems.append(f"{label}{name} arrived with other bytes than the daemon wrote")
        elif sorted(rcpts) != sorted(recipients(site.pristine[name])):
            problems.append(f"{label}{name} arrived for {rcpts}, its To: says {recipients(site.pristine[name])}")
    return times


def is_notice(site, name, data):
    """A message `mail send` wrote itself: the admin told of messages that failed for good."""
    return name not in site.pristine and recipients(data) == [site.admin]


def check_notices(site, relay, failed, problems, label=""):
    """The admin hears of what failed for good: one message per run that moved any to failed/,
    written to the outbox and sent in the same run, naming each. `failed`: the names each run
    moved to failed/; `relay`: the server the notices went to (None: only the outbox is looked at).
    Returns how many notices there are."""
    state, _ = site.state()
    kept = {n: w for w in state for n, d in state[w].items() if is_notice(site, n, d)}
    runs = [sorted(r) for r in failed if r]
    if len(kept) != len(runs):
        problems.append(f"{label}{len(kept)} notices to the admin in the outbox after {len(runs)} runs with failures")
    for n, w in kept.items():
        if w != "sent":
            problems.append(f"{label}the admin's notice {n} is in {w}/, not sent in the run that wrote it")
    if relay is not None:
        texts = [email.message_from_bytes(d, policy=email.policy.default).get_body(preferencelist=("plain",)).get_content()
                 for mid, d, rcpts in relay.arrivals if mid not in site.ids and rcpts == [site.admin]]
        if len(texts) != len(runs):
            problems.append(f"{label}{len(texts)} notices reached the admin after {len(runs)} runs with failures")
        for run in runs:
            if not any(all(n in t for n in run) for t in texts):
                problems.append(f"{label}no notice to the admin names all of {run[:3]}…")
    return len(kept)


# ---------------------------------------------------------------------------------------------

def case_down(site, relay, args, rng):
    """No server: everything waits, exit 1."""
    problems = []
    relay.stop()
    site.fill_outbox()
    t = time.time()
    r = site.send()
    took = time.time() - t
    if r.returncode != 1:
        problems.append(f"mail send with the server down exited {r.returncode}, expected 1: {r.stdout[-300:]}{r.stderr[-300:]}")
    state = check_places(site, list(site.pristine), problems, {n: "pending" for n in site.pristine})
    check_notices(site, None, [], problems)
    waiting = r.stdout.count("\nwaiting ") + r.stdout.startswith("waiting ")
    if waiting != len(site.pristine):
        problems.append(f"mail send printed {waiting} 'waiting' lines for {len(site.pristine)} messages")
    listed = site.run(["mail", "list", "--config", site.config]).stdout
    if sum(1 for l in listed.splitlines() if l.startswith("pending")) != len(site.pristine):
        problems.append("mail list does not show every message pending")
    relay.start()
    return problems, f"{len(state['pending'])} of {len(site.pristine)} pending, exit {r.returncode}, {took:.1f} s"


def case_kill(site, relay, args, rng):
    """SIGKILL after k arrivals, many times, then to the end."""
    problems = []
    names = list(site.pristine)
    site.fill_outbox()
    relay.reset(os.path.join(site.root, "received-kill"))
    log_path = os.path.join(site.root, "kill-send.log")
    expected_dups = 0
    kills = 0
    hold_kills = 0
    exited = 0
    t0 = time.time()
    with open(log_path, "ab") as log:
        for k in range(args.kills):
            pending = len(site.state()[0]["pending"])
            if pending < 2:
                break
            left = args.kills - k
            step = rng.randint(1, max(1, min(pending - 1, 2 * pending // (left + 1))))
            target = relay.count() + step
            hold = k % 2 == 0
            relay.delay, relay.hold = (0.0, 0.4) if hold else (rng.uniform(0.005, 0.04), 0.0)
            proc = site.start_send(log)
            while relay.count() < target and proc.poll() is None:
                time.sleep(0.002)
            if proc.poll() is not None:
                exited += 1
                problems.append(f"kill {k + 1}: mail send ended ({proc.returncode}) before {step} messages arrived")
                break
            if not hold:
                time.sleep(rng.uniform(0, relay.delay * 1.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            hold_kills += hold
            if not relay.wait_idle():
                problems.append(f"kill {k + 1}: the relay is still taking a message 10 s after the kill")
            label = f"after kill {k + 1}: "
            state = check_places(site, names, problems, label=label)
            if state["failed"]:
                problems.append(f"{label}{len(state['failed'])} messages in failed/")
            arrived = {mid for mid, _, _ in relay.arrivals}
            for name in state["sent"]:
                if message_id(site.pristine[name]) not in arrived:
                    problems.append(f"{label}{name} is in sent/ but never reached the relay")
            caught = [n for n in state["pending"] if message_id(site.pristine[n]) in arrived]
            if len(caught) > 1:
                problems.append(f"{label}{len(caught)} messages arrived but are still pending: {caught[:3]}")
            if hold and len(caught) != 1:
                problems.append(f"{label}the kill came while the relay held its 250, yet {len(caught)} messages "
                                "arrived and are still pending (expected the one held)")
            expected_dups += len(caught)
            if problems:
                break
        relay.delay = relay.hold = 0.0
        if not problems:
            r = site.send()
            if r.returncode != 0:
                problems.append(f"the last mail send exited {r.returncode}: {r.stdout[-300:]}{r.stderr[-300:]}")
    elapsed = time.time() - t0
    check_places(site, names, problems, {n: "sent" for n in names}, label="at the end: ")
    times = check_arrivals(site, relay, names, problems, label="at the end: ")
    check_notices(site, relay, [], problems, label="at the end: ")
    missing = [n for n in names if message_id(site.pristine[n]) not in times]
    if missing:
        problems.append(f"{len(missing)} messages never arrived: {missing[:3]}")
    dups = sum(v - 1 for v in times.values())
    if max(times.values(), default=0) > 2:
        problems.append(f"a message arrived {max(times.values())} times")
    if dups != expected_dups:
        problems.append(f"{dups} duplicates arrived; the kills caught {expected_dups} messages between the relay and sent/")
    if dups > kills:
        problems.append(f"{dups} duplicates for {kills} kills")
    return problems, (f"{len(names)} messages, {kills} kills ({hold_kills} while the relay held its 250), "
                      f"{len(relay.arrivals)} arrivals, {dups} duplicates (same Message-ID, same bytes), {elapsed:.1f} s")


def by_address(site, names):
    out = {}
    for n in names:
        for a in recipients(site.pristine[n]):
            out.setdefault(a, []).append(n)
    return out


def single_unit_addresses(site, names):
    """Addresses of communes with one address, with their messages among `names`."""
    index = by_address(site, names)
    return [a for code in site.units if len(site.addresses[code]) == 1 for a in site.addresses[code] if a in index]


def case_refused(site, relay, args, rng):
    """5xx at RCPT for one address, after DATA for another: those fail for good, the rest go."""
    problems = []
    names = list(site.pristine)
    index = by_address(site, names)
    rcpt_no, data_no = single_unit_addresses(site, names)[:2]
    site.fill_outbox()
    relay.reset(os.path.join(site.root, "received-refused"))
    relay.rcpt_replies = {rcpt_no: "550 5.1.1 No such user here"}
    relay.data_replies = {data_no: "554 5.6.0 Message content rejected"}
    bad = set(index[rcpt_no]) | set(index[data_no])
    expected = {n: "failed" if n in bad else "sent" for n in names}
    r = site.send()
    state = check_places(site, names, problems, expected)
    times = check_arrivals(site, relay, names, problems)
    notices = check_notices(site, relay, [bad], problems)
    for n in bad:
        if message_id(site.pristine[n]) in times:
            problems.append(f"{n} was refused yet the relay kept it")
    if any(v != 1 for v in times.values()) or len(times) != len(names) - len(bad):
        problems.append(f"{len(times)} distinct messages arrived ({sum(times.values())} in all), expected {len(names) - len(bad)} once each")
    if r.returncode != 0:
        problems.append(f"mail send exited {r.returncode} with nothing waiting (expected 0: sent or failed for good)")
    reasons = sorted({l.split(": ", 1)[-1] for l in r.stdout.splitlines() if l.startswith("failed")})
    return problems, (f"{len(state['failed'])} failed ({len(index[rcpt_no])} at RCPT 550, {len(index[data_no])} after DATA 554), "
                      f"{len(state['sent']) - notices} sent and {notices} notice to the admin naming them, exit {r.returncode}; "
                      f"reasons printed: {reasons}")


def case_later(site, relay, args, rng):
    """4xx: pending, exit 1, sent on the next run; one too old goes to failed/."""
    problems = []
    names = list(site.pristine)
    index = by_address(site, names)
    rcpt_later, data_later = single_unit_addresses(site, names)[2:4]
    site.fill_outbox()
    relay.reset(os.path.join(site.root, "received-later"))
    relay.rcpt_replies = {rcpt_later: "450 4.2.1 Mailbox busy, try later"}
    relay.data_replies = {data_later: "451 4.3.0 Local problem, try later"}
    later = sorted(set(index[rcpt_later]) | set(index[data_later]))
    # One of them was written 73 hours ago: past give_up_hours (72), it goes to failed/.
    too_old = later[0]
    past = time.time() - 73 * 3600
    os.utime(os.path.join(site.outbox, too_old), (past, past))
    expected = {n: "pending" if n in later else "sent" for n in names}
    expected[too_old] = "failed"
    r1 = site.send()
    check_places(site, names, problems, expected, label="first run: ")
    check_notices(site, relay, [[too_old]], problems, label="first run: ")
    if r1.returncode != 1:
        problems.append(f"first run exited {r1.returncode} with messages waiting (expected 1)")
    if not any(l.startswith("failed") and "waited more than 72 hours" in l for l in r1.stdout.splitlines()):
        problems.append("first run did not say the old message waited too long")
    relay.rcpt_replies, relay.data_replies = {}, {}
    r2 = site.send()
    expected = {n: "sent" for n in names}
    expected[too_old] = "failed"
    check_places(site, names, problems, expected, label="second run: ")
    check_notices(site, relay, [[too_old]], problems, label="second run: ")
    if r2.returncode != 0:
        problems.append(f"second run exited {r2.returncode} (expected 0)")
    times = check_arrivals(site, relay, names, problems)
    if any(v != 1 for v in times.values()) or len(times) != len(names) - 1:
        problems.append(f"{len(times)} distinct messages arrived ({sum(times.values())} in all), expected {len(names) - 1} once each")
    return problems, (f"{len(later) - 1} pending after 450/451 (exit {r1.returncode}), 1 past give_up_hours to failed/ "
                      f"(the admin told), "
                      f"then all sent (exit {r2.returncode})")


def case_sender(site, relay, args, rng):
    """The relay refuses the sender (553 at MAIL FROM): a refusal of the session, the same for
    every message, not of a message; they wait, exit 1, and go once the relay takes the sender."""
    problems = []
    names = list(site.pristine)[:min(20, len(site.pristine))]
    site.fill_outbox(names)
    relay.reset(os.path.join(site.root, "received-sender"))
    relay.mail_reply = "553 5.7.1 Sender address rejected: not owned by user"
    r1 = site.send()
    check_places(site, names, problems, {n: "pending" for n in names}, label="sender refused: ")
    check_notices(site, relay, [], problems, label="sender refused: ")
    if r1.returncode != 1:
        problems.append(f"sender refused: exit {r1.returncode}, expected 1")
    relay.mail_reply = None
    r2 = site.send()
    check_places(site, names, problems, {n: "sent" for n in names}, label="sender taken: ")
    times = check_arrivals(site, relay, names, problems)
    if len(times) != len(names) or any(v != 1 for v in times.values()):
        problems.append(f"{len(times)} distinct messages arrived ({sum(times.values())} in all) for {len(names)}")
    return problems, f"553 at MAIL FROM: {len(names)} pending, exit {r1.returncode}; sender taken: all sent, exit {r2.returncode}"


def case_noticekill(site, relay, args, rng):
    """SIGKILL after messages were moved to failed/, before the run ended: the admin is told
    by the next run (a message in failed/ is marked told only once the notice is written)."""
    problems = []
    names = sorted(site.pristine)
    refused = recipients(site.pristine[names[0]])[0]
    bad = [n for n in names if refused in recipients(site.pristine[n])]
    site.fill_outbox()
    relay.reset(os.path.join(site.root, "received-noticekill"))
    relay.rcpt_replies = {refused: "550 5.1.1 No such user here"}
    relay.delay = 0.02
    with open(os.path.join(site.root, "noticekill.log"), "ab") as log:
        proc = site.start_send(log)
        while (len(site.state()[0]["failed"]) < len(bad) or relay.count() < 2) and proc.poll() is None:
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    relay.wait_idle()
    relay.delay = 0.0
    moved = len(site.state()[0]["failed"])
    r = site.send()
    check_places(site, names, problems, {n: "failed" if n in bad else "sent" for n in names})
    notices = check_notices(site, relay, [bad], problems)
    return problems, (f"killed with {moved} of {len(bad)} refused messages in failed/; the next run exit {r.returncode}, "
                      f"{notices} notice to the admin")


def case_twoaddr(site, relay, args, rng):
    """One message to two addresses, one refused for good at RCPT."""
    problems = []
    code = next(c for c in site.units if len(site.addresses[c]) == 2)
    first, second = site.addresses[code]
    names = list(site.pristine)
    index = by_address(site, names)
    if not index.get(first):
        return [f"no message to {first}"], ""
    name = index[first][0]
    site.fill_outbox([name])
    relay.reset(os.path.join(site.root, "received-twoaddr"))
    relay.rcpt_replies = {second: "550 5.1.1 No such user here"}
    r = site.send()
    state = check_places(site, [name], problems)
    where = next(w for w in state if name in state[w])
    got = [rcpts for mid, _, rcpts in relay.arrivals if mid in site.ids]
    notices = check_notices(site, relay, [[name]] if where == "failed" else [], problems)
    if where == "pending":
        problems.append("a message refused for good for one of its addresses stays pending")
    return problems, (f"To: {first}, {second}; {second} refused 550 at RCPT → message in {where}/, exit {r.returncode}, "
                      f"arrivals {got or 'none'} ({first} got {'it' if any(first in g for g in got) else 'nothing'}), "
                      f"{notices} notice to the admin")


def case_tls(site, relay, args, rng):
    """STARTTLS + AUTH with smtp_server.py --tls: a wrong password keeps the messages, the right one sends them."""
    problems = []
    names = list(site.pristine)[:min(20, len(site.pristine))]
    port = free_port()
    received = os.path.join(site.root, "received-tls")
    server = subprocess.Popen([site.python, os.path.join(site.share, "Tests", "EndToEndTests", "Support", "smtp_server.py"),
                               received, str(port), "--tls", "vanthu", "mật-khẩu-thử"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        if "ready" not in server.stdout.readline():
            return ["smtp_server.py --tls did not start"], ""
        password = os.path.join(site.root, "smtp-password")
        with open(password, "w", encoding="utf-8") as f:
            f.write("sai-mật-khẩu\n")
        site.configure(port, "starttls", ca_file=os.path.join(received, "ca.pem"), username="vanthu", password_file=password)
        site.fill_outbox(names)
        r1 = site.send()
        state = check_places(site, names, problems, label="wrong password: ")
        check_notices(site, None, [], problems, label="wrong password: ")
        wrong = f"wrong password: exit {r1.returncode}, {len(state['pending'])} pending, {len(state['failed'])} failed"
        if r1.returncode != 1 or state["sent"] or state["failed"]:
            problems.append(f"{wrong} (expected exit 1, every message pending: the login refused is not the message "
                            f"refused); it printed: {r1.stdout.splitlines()[:1]}")
        with open(password, "w", encoding="utf-8") as f:
            f.write("mật-khẩu-thử\n")
        site.fill_outbox(names)
        r2 = site.send()
        check_places(site, names, problems, {n: "sent" for n in names}, label="right password: ")
        if r2.returncode != 0:
            problems.append(f"right password: exit {r2.returncode}: {r2.stdout[-300:]}{r2.stderr[-300:]}")
        got = {}
        for n in sorted(os.listdir(received)):
            if n.endswith(".eml"):
                with open(os.path.join(received, n), "rb") as f:
                    data = f.read()
                with open(os.path.join(received, n[:-4] + ".json"), encoding="utf-8") as f:
                    envelope = json.load(f)
                got[message_id(data)] = got.get(message_id(data), 0) + 1
                name = site.ids.get(message_id(data))
                if name is None or data != site.pristine[name]:
                    problems.append(f"over TLS: {n} is not byte-identical to a message of the outbox")
                if not envelope.get("auth"):
                    problems.append(f"over TLS: {n} arrived without AUTH")
        if sorted(got) != sorted(message_id(site.pristine[n]) for n in names) or any(v != 1 for v in got.values()):
            problems.append(f"over TLS: {len(got)} distinct messages arrived ({sum(got.values())} in all) for {len(names)}")
        return problems, f"{wrong}; right password: {len(got)} of {len(names)} arrived authenticated over STARTTLS, exit {r2.returncode}"
    finally:
        server.kill()
        server.wait()
        site.configure(relay.port)


def case_together(site, relay, args, rng):
    """Two senders at once (a timer and an admin): nothing lost, sent/ each message once."""
    problems = []
    names = list(site.pristine)
    site.fill_outbox()
    relay.reset(os.path.join(site.root, "received-together"))
    relay.delay = 0.01
    with open(os.path.join(site.root, "together.log"), "ab") as log:
        # The second starts once the first has handed a message over: it is then mid-batch.
        a = site.start_send(log)
        while relay.count() == 0 and a.poll() is None:
            time.sleep(0.002)
        b = site.start_send(log)
        codes = (a.wait(timeout=600), b.wait(timeout=600))
    relay.delay = 0.0
    state = check_places(site, names, problems)
    left = len(state["pending"])
    if left:
        r = site.send()
        if r.returncode != 0:
            problems.append(f"the run after both exited {r.returncode}")
    check_places(site, names, problems, {n: "sent" for n in names}, label="after a third run: ")
    times = check_arrivals(site, relay, names, problems)
    check_notices(site, relay, [], problems)
    missing = [n for n in names if message_id(site.pristine[n]) not in times]
    if missing:
        problems.append(f"{len(missing)} messages never arrived")
    dups = sum(v - 1 for v in times.values())
    if dups:
        problems.append(f"{dups} of {len(names)} messages sent twice by two senders at once")
    if sorted(codes) != [0, 1]:
        problems.append(f"exit statuses {codes}, expected one 0 (the sender) and one 1 (the other, leaving them waiting)")
    return problems, (f"exit statuses {codes}, {left} left pending, {dups} of {len(names)} messages sent twice "
                      f"(same Message-ID)")


CASES = [("down", case_down), ("kill", case_kill), ("refused", case_refused), ("later", case_later),
         ("sender", case_sender), ("noticekill", case_noticekill), ("twoaddr", case_twoaddr), ("tls", case_tls), ("together", case_together)]
# Cases whose outcome is reported, not judged: what the code should do there is not decided.
OBSERVED = {"twoaddr"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", type=os.path.abspath, default=".build/release/ruralstat")
    ap.add_argument("--share", type=os.path.abspath, default=".", help="the repository: templates/, reports/, Tests/")
    ap.add_argument("--messages", type=int, default=300, help="messages the daemon writes into the outbox")
    ap.add_argument("--kills", type=int, default=30)
    ap.add_argument("--short", action="store_true", help="CI's version: 80 messages, 6 kills")
    ap.add_argument("--only", nargs="*", help="cases to run: " + ", ".join(n for n, _ in CASES))
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the folder for a look afterwards")
    args = ap.parse_args()
    if args.short:
        args.messages, args.kills = min(args.messages, 80), min(args.kills, 6)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    root = tempfile.mkdtemp(prefix="ruralstat-mail-")
    print(f"mail test: {args.messages} messages, {args.kills} kills, seed {seed}, folder {root}", flush=True)
    started = time.time()
    relay = Relay(free_port())
    relay.start()
    failed = []
    try:
        t = time.time()
        site = Site(root, args.binary, args.share, args.messages, sys.executable, relay.port)
        print(f"  set-up: {len(site.pristine)} messages written by serve --once in {time.time() - t:.1f} s", flush=True)
        for name, case in CASES:
            if args.only and name not in args.only:
                continue
            t = time.time()
            try:
                problems, summary = case(site, relay, args, rng)
            except Exception as e:  # noqa: BLE001 — a case that breaks is a failed case, the others still run
                problems, summary = [f"{type(e).__name__}: {e}"], ""
            verdict = "PASS" if not problems else ("NOTE" if name in OBSERVED else "FAIL")
            print(f"  {verdict} {name:10} {summary} [{time.time() - t:.1f} s]", flush=True)
            for p in problems[:12]:
                print(f"      {p}", flush=True)
            if problems and name not in OBSERVED:
                failed.append(name)
            relay.reset(None)
    finally:
        relay.stop()
    print(f"mail test: {time.time() - started:.0f} s, seed {seed}")
    if failed:
        print(f"FAILED: {', '.join(failed)} (folder kept: {root})")
        return 1
    if not args.keep:
        shutil.rmtree(root)
    print("every message sent once or, after a kill, at most twice with its Message-ID; none lost, none in failed/ but "
          "those refused for good or too old; exit statuses as documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
