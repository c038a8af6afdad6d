"""The load test: about 2,000 submissions dropped into the inbox at once while the daemon runs,
and an inotify queue overflow forced on top (the daemon is paused with SIGSTOP while more
events are made than the kernel keeps). Every file must end archived or rejected as its kind
says, the reports must catch up, SIGTERM must stop the daemon with status 0, and its peak
resident memory over the whole run must stay under the bound.

    python3 stress/loadtest.py --files 1800 --max-rss-mb 150

Prints the figures (files, seconds, files per second, peak RSS) and exits 0 when all holds.
"""
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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_program_arguments(ap)
    ap.add_argument("--files", type=int, default=1800, help="submissions generated (about 1 in 9 also comes as a copy)")
    ap.add_argument("--max-rss-mb", type=float, default=150)
    ap.add_argument("--timeout", type=float, default=1200)
    ap.add_argument("--keep", action="store_true")
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
    return conclude(problems, root, "every file accounted for: archived or rejected as expected, one record each, "
                    "figures equal to the files", keep=args.keep)

if __name__ == "__main__":
    sys.exit(main())
