# SPDX-License-Identifier: Apache-2.0
"""The load test: about 2,000 submissions dropped into the inbox at once while the daemon runs,
and an inotify queue overflow forced on top (the daemon is paused with SIGSTOP while more
events are made than the kernel keeps). Every file must end archived or rejected as its kind
says, the reports must catch up, SIGTERM must stop the daemon with status 0, and its peak
resident memory over the whole run must stay under the bound.

    python3 stress/loadtest.py --files 1800 --max-rss-mb 150

Then a second daemon gets `parallel_files` files at the size cap at once (about 60 MB each,
thousands of 32,000-character cells): its peak resident memory must stay under
--cap-max-rss-mb, and, once they are answered, the memory must have gone back to the system
(resident size under --idle-max-rss-mb).

Prints the figures (files, seconds, files per second, peak RSS) and exits 0 when all holds.
"""
import base64
import re
import argparse
import os
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemonlib import Daemon, Province, add_program_arguments, check_final, conclude, unpublished_periods  # noqa: E402


def force_overflow(daemon, inbox):
    """Pauses the daemon and makes more inotify events than the kernel queues: two hidden
    files (which the scanner ignores) have their times changed in turn — the kernel merges
    only identical events in a row."""
    limit = int(open("/proc/sys/fs/inotify/max_queued_events").read())
    a, b = os.path.join(inbox, ".overflow-a"), os.path.join(inbox, ".overflow-b")
    for p in (a, b):
        open(p, "w").close()
    daemon.proc.send_signal(signal.SIGSTOP)
    for i in range(limit + 2000):
        os.utime(a if i % 2 else b)
    daemon.proc.send_signal(signal.SIGCONT)
    return limit


def vm_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))


def make_cap_file(source, target, cap_mb, seed):
    """A valid generated form grown to just under the size cap: rows of 32,000 characters of
    base64 (hardly compressible) under its village table."""
    import openpyxl
    import random
    rnd = random.Random(seed)
    wb = openpyxl.load_workbook(source)
    ws = next(w for w in wb.worksheets if "ng ngh" in w.title)
    row = ws.max_row + 1
    # 32,000 base64 characters compress to about 24,300 bytes.
    count = int(cap_mb * 0.93 * (1 << 20) / 24_300)
    for i in range(count):
        ws.cell(row=row + i, column=2, value=base64.b64encode(rnd.randbytes(24_000)).decode())
    wb.save(target)
    return os.path.getsize(target)


def cap_phase(args):
    """`parallel_files` files at the size cap at once; returns the problems found."""
    problems = []
    root = tempfile.mkdtemp(prefix="ruralstat-cap-")
    province = Province(root, args.bench, args.share, units=4, files=4)
    text = open(province.config, encoding="utf-8").read()
    if "parallel_files:" in text:
        text = re.sub(r"parallel_files: *\d+", f"parallel_files: {args.cap_parallel}", text)
    else:
        text = text.replace("intake:", f"intake:\n  parallel_files: {args.cap_parallel}", 1)
    open(province.config, "w", encoding="utf-8").write(text)
    sources = sorted(n for n in os.listdir(province.drop) if province.by_name[n].get("kind", "valid") == "valid")
    big = []
    for i in range(args.cap_parallel):
        name = f"cap-{i}.xlsx"
        size = make_cap_file(os.path.join(province.drop, sources[i % len(sources)]), os.path.join(root, name), args.cap_mb, i)
        big.append((name, size))
    daemon = Daemon(args.binary, province, log_name="cap.log")
    daemon.start()
    if not daemon.wait_for_log("ruralstat started", timeout=30):
        return [f"the daemon for the size-cap files did not start: {open(daemon.log_path).read()}"]
    idle_before = vm_rss_kb(daemon.proc.pid)
    for name, _ in big:
        os.rename(os.path.join(root, name), os.path.join(province.path("inbox"), name))
    deadline = time.time() + args.timeout
    answered = False
    while time.time() < deadline:
        answers = [n for _, _, ns in os.walk(province.path("feedback")) for n in ns if n.startswith("cap-") and n.endswith(".txt")]
        if len(answers) == len(big) and not os.listdir(province.path("work")):
            answered = True
            break
        time.sleep(0.5)
    time.sleep(2)   # the batch's end: memory handed back after the last answer
    rss_after = vm_rss_kb(daemon.proc.pid)
    code, peak_kb = daemon.stop()
    if not answered:
        problems.append("the size-cap files were not all answered")
    if code != 0:
        problems.append(f"size-cap daemon: exit status {code} after SIGTERM")
    feedback_sizes = [os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(province.path("feedback"))
                      for n in ns if n.startswith("cap-") and n.endswith(".xlsx")]
    print(f"size cap: {len(big)} files of {', '.join(f'{s / 1e6:.0f} MB' for _, s in big)} at once "
          f"(parallel_files {args.cap_parallel}); peak RSS {peak_kb / 1024:.0f} MB, idle before {idle_before / 1024:.0f} MB, "
          f"after {rss_after / 1024:.0f} MB; feedback workbooks {', '.join(f'{s / 1e6:.1f} MB' for s in feedback_sizes) or 'none'}", flush=True)
    if peak_kb / 1024 >= args.cap_max_rss_mb:
        problems.append(f"size-cap files: peak RSS {peak_kb / 1024:.0f} MB, bound {args.cap_max_rss_mb:.0f} MB")
    if rss_after / 1024 >= args.idle_max_rss_mb:
        problems.append(f"size-cap files: {rss_after / 1024:.0f} MB still resident after the answers, bound {args.idle_max_rss_mb:.0f} MB")
    if any(s > 5e6 for s in feedback_sizes):
        problems.append(f"a feedback workbook for a size-cap file is larger than 5 MB: {feedback_sizes}")
    if not problems and not args.keep:
        import shutil
        shutil.rmtree(root, ignore_errors=True)
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_program_arguments(ap)
    ap.add_argument("--files", type=int, default=1800, help="submissions generated (about 1 in 9 also comes as a copy)")
    ap.add_argument("--max-rss-mb", type=float, default=150)
    ap.add_argument("--timeout", type=float, default=1200)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--cap-parallel", type=int, default=2, help="files at the size cap dropped at once (= parallel_files)")
    ap.add_argument("--cap-mb", type=float, default=60, help="size of each such file")
    ap.add_argument("--cap-max-rss-mb", type=float, default=300)
    ap.add_argument("--idle-max-rss-mb", type=float, default=120)
    args = ap.parse_args()
    root = tempfile.mkdtemp(prefix="ruralstat-load-")
    province = Province(root, args.bench, args.share, units=40, files=args.files)
    names = sorted(os.listdir(province.drop))
    daemon = Daemon(args.binary, province)
    daemon.start()
    problems = []
    if not daemon.wait_for_log("ruralstat started", timeout=30):
        print("the daemon did not start; its log:", open(daemon.log_path).read())
        return 1
    started = time.time()
    province.drop_files(names)
    print(f"load test: {len(names)} files dropped at once into {province.path('inbox')}", flush=True)
    time.sleep(1.0)
    queued = force_overflow(daemon, province.path("inbox"))
    # Wait until every file is archived or rejected and the reports have caught up.
    finished = None
    while time.time() - started < args.timeout:
        places = province.locations()
        done = sum(1 for n in names if places.get(n, [""])[0] in ("archive", "rejected"))
        if done == len(names):
            finished = finished or time.time()
            if not unpublished_periods(province):
                break
        time.sleep(0.5)
    published = time.time()
    code, peak_kb = daemon.stop()
    for p in (".overflow-a", ".overflow-b"):
        os.unlink(os.path.join(province.path("inbox"), p))
    if finished is None:
        problems.append(f"not every file was handled within {args.timeout:.0f} s")
    if code != 0:
        problems.append(f"SIGTERM: exit status {code}")
    log = open(daemon.log_path, encoding="utf-8", errors="replace").read()
    if "inotify lost events" not in log:
        problems.append(f"the forced overflow ({queued + 2000} events for a queue of {queued}) was not noticed")
    problems += check_final(province, names, args.binary)
    peak_mb = peak_kb / 1024
    if peak_mb >= args.max_rss_mb:
        problems.append(f"peak RSS {peak_mb:.0f} MB, bound {args.max_rss_mb:.0f} MB")
    if finished:
        took = finished - started
        print(f"{len(names)} files handled in {took:.1f} s ({len(names) / took:.0f} files/s); "
              f"reports caught up {published - finished:.1f} s later; peak RSS {peak_mb:.0f} MB; "
              f"inotify overflow noticed: {'inotify lost events' in log}; SIGTERM exit {code}")
    if args.cap_parallel > 0:
        problems += cap_phase(args)
    return conclude(problems, root, "every file accounted for: archived or rejected as expected, one record each, "
                    "figures equal to the files", keep=args.keep)

if __name__ == "__main__":
    sys.exit(main())
