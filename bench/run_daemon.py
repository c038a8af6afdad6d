# SPDX-License-Identifier: Apache-2.0
"""The daemon end to end, measured on the release binary; writes the "daemon" section of
BENCHMARKS.md.

1. Drop to report: a province of 40 units whose quarter is already reported by the other
   units; then 500-row submissions are dropped one at a time (a rename into the inbox, as a
   finished upload arrives) and the time until the daemon logs the quarter's reports
   republished is taken for each: median and p95.
2. Backfill: 1,000 submissions (of the demo's size, with the rejected files and duplicates the
   generator mixes in) in the inbox, `ruralstat serve --once` until everything is stored and
   every quarter's reports are published: files per second and peak RSS.

usage: run_daemon.py [--binary PATH] [--bench PATH] [--share DIR] [--samples N] [--backfill N] [--out FILE]
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(os.path.dirname(here), "stress"))
from benchlib import cpu_name, replace_section  # noqa: E402
from daemonlib import Daemon, Province, add_program_arguments  # noqa: E402

ap = argparse.ArgumentParser()
add_program_arguments(ap)
ap.add_argument("--samples", type=int, default=30)
ap.add_argument("--backfill", type=int, default=1000)
ap.add_argument("--rows", type=int, default=500)
ap.add_argument("--out", default="BENCHMARKS.md")
args = ap.parse_args()
binary, bench, share = args.binary, args.bench, args.share

# 1. Drop to report.
root = tempfile.mkdtemp(prefix="ruralstat-bench-latency-")
units = 40
province = Province(root, bench, share, units=units, files=units, rows=args.rows)
valid = [m for m in province.manifest if m["kind"] == "valid"]
period = valid[0]["period"]
samples = min(args.samples, len(valid) - 4)
settle = next(l for l in open(province.config) if "settle_seconds" in l).split()[1]
delay = next(l for l in open(province.config) if "publish_delay_seconds" in l).split()[1]
# The quarter as the other units reported it, before the clock starts.
province.drop_files([m["name"] for m in valid[samples:]])
daemon = Daemon(binary, province)
daemon.start()
if not daemon.wait_for_log("reports published", timeout=120):
    sys.exit("the daemon did not publish the first reports: " + open(daemon.log_path).read()[-2000:])
times = []
for m in valid[:samples]:
    time.sleep(0.3)
    mark = daemon.log_size()
    start = time.monotonic()
    province.drop_files([m["name"]])
    if not daemon.wait_for_log(f"period={period}", timeout=30, since=mark) or \
            not daemon.wait_for_log("reports published", timeout=30, since=mark):
        sys.exit("no republication after " + m["name"])
    times.append(time.monotonic() - start)
code, latency_rss = daemon.stop()
report_count = len(os.listdir(os.path.join(province.path("reports"), period)))
shutil.rmtree(root)
# The quarter fills up as the drops go on; the last ten land in a nearly full one.
last = times[-10:]
full_from = len(valid) - len(last) + 1
times.sort()
median = statistics.median(times)
p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]

# 2. Backfill.
root = tempfile.mkdtemp(prefix="ruralstat-bench-backfill-")
province = Province(root, bench, share, units=units, files=args.backfill * 9 // 10)
names = sorted(os.listdir(province.drop))
province.drop_files(names)
daemon = Daemon(binary, province)
start = time.monotonic()
daemon.start(once=True)
code, backfill_rss = daemon.reap()
backfill_s = time.monotonic() - start
if code != 0:
    sys.exit("serve --once failed: " + open(daemon.log_path).read()[-2000:])
log = open(daemon.log_path, encoding="utf-8").read()
counted = {v: log.count(f"<{p}>{v} ") for v, p in (("accepted", 6), ("rejected", 5), ("duplicate", 6))}
periods = len(os.listdir(province.path("reports")))
shutil.rmtree(root)

section = f"""<!-- daemon:start -->
## The daemon end to end

The release `ruralstat serve` on a generated province of {units} units (`ruralstat-bench province`),
with `settle_seconds: {settle}`, `publish_delay_seconds: {delay}` and `parallel_files` at its default
(the processor count, at most 4). Files are dropped with one rename each, as a finished upload
arrives; their modification time is older than the settle time, so the daemon takes a file at
its second look of the inbox. A fresh upload waits `settle_seconds` more (the shipped example
says 5 s, for Samba): that wait is the site's choice and adds to these figures directly. Peak
RSS is the daemon's own high-water mark (VmHWM). Measured {time.strftime('%Y-%m-%d')} on {cpu_name()}, {os.cpu_count()} cores, `make bench`.

| measure | figure |
| --- | ---: |
| drop of a {args.rows}-row submission → its quarter's {report_count} reports republished, median of {len(times)} | {median:.3f} s |
| the same, p95 | {p95:.3f} s |
| the same, min–max | {times[0]:.3f}–{times[-1]:.3f} s |
| the last {len(last)} drops alone ({full_from}–{len(valid)} units in the quarter), median | {statistics.median(last):.3f} s |
| backfill: {len(names)} files ({counted['accepted']} accepted, {counted['rejected']} rejected, {counted['duplicate']} duplicates) stored and {periods} quarters' reports published, `serve --once` | {backfill_s:.1f} s, {len(names) / backfill_s:.0f} files/s |
| peak RSS, backfill | {backfill_rss / 1024:.0f} MB |
| peak RSS, drop-to-report run | {latency_rss / 1024:.0f} MB |

- Drop to report under 1 s (median): {'yes' if median < 1 else 'no'}.
- There is no peer daemon to hold these against; the reader and writer sections above are
  where the work inside each file is compared with C and Python.
- What a drop waits for: two looks at the inbox, reading and checking, storing, then the
  rebuild of the quarter's 4 reports from every unit's data: {len(valid) - samples} units of
  {args.rows} rows before the first drop, {len(valid)} after the last, so a rebuild costs more as the
  quarter fills (the last drops' row).
<!-- daemon:end -->
"""
replace_section(args.out, "daemon", section)
print(f"drop-to-report median {median:.3f} s p95 {p95:.3f} s; backfill {len(names)} files in {backfill_s:.1f} s "
      f"({len(names) / backfill_s:.0f} files/s), peak RSS {backfill_rss / 1024:.0f} MB; wrote {args.out}")
