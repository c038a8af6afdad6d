# SPDX-License-Identifier: Apache-2.0
"""What a drop costs as the province grows (issue 14, item 6); writes the "scale" section of
BENCHMARKS.md.

For each number of units (40, 170, 500) and each file size (5 and 40 village rows), a fresh
province whose quarter is already reported by every unit but `--samples` of them; then those
units' files are dropped one at a time (a rename into the inbox, as a finished upload arrives)
and the time until the daemon logs the quarter's reports republished is taken for each: median
and min–max, the part of it after the file was accepted (the rebuild of the reports), and the
daemon's peak RSS (VmHWM) over the whole run and over the drops alone.

`ruralstat-bench province UNITS FILES ROWS` writes file i for unit i mod UNITS in the
(i div UNITS)-th quarter from 2014-Q1, and makes every tenth file (i mod 10 = 9) a clerk's
mistaken one. With UNITS a multiple of 10 the same units get the mistaken file in every quarter,
so no quarter is ever complete. The full quarter is put together here: 2014-Q2 of a province
of UNITS units, and for the units whose file there is the mistaken one, their 2014-Q2 file from
a province of UNITS + 1 units (i = UNITS + 1 + unit, so a different tenth is mistaken; a file's
content depends on its unit and period alone).

usage: run_scale.py [--binary PATH] [--bench PATH] [--share DIR] [--samples N] [--units 40,170,500]
                    [--rows 5,40] [--quick] [--provisional] [--out FILE]
"""
import argparse
import os
import re
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
ap.add_argument("--samples", type=int, default=None, help="drops measured per province (7)")
ap.add_argument("--units", default=None, help="40,170,500")
ap.add_argument("--rows", default="5,40", help="village rows per file")
ap.add_argument("--quick", action="store_true",
                help="a smoke run: 10 and 40 units, 3 drops; writes --out only when it is given")
ap.add_argument("--out", default=None, help="BENCHMARKS.md unless --quick")
ap.add_argument("--provisional", action="store_true",
                help="say in the section that these figures await the next `make bench`")
args = ap.parse_args()
if args.quick:
    args.units, args.samples = args.units or "10,40", args.samples or 3
    out = args.out
else:
    args.units, args.samples = args.units or "40,170,500", args.samples or 7
    out = args.out or "BENCHMARKS.md"
unit_counts = [int(u) for u in args.units.split(",")]
row_counts = [int(r) for r in args.rows.split(",")]
PERIOD = "2014-Q2"


def full_quarter(root, units, rows):
    """A province of `units` units under `root` and one valid file per unit for PERIOD in its
    drop folder: {unit code: file name}."""
    province = Province(root, args.bench, args.share, units=units, files=2 * units, rows=rows)
    chosen = {m["unit"]: m["name"] for m in province.manifest if m["period"] == PERIOD and m["kind"] == "valid"}
    missing = [m["unit"] for m in province.manifest if m["period"] == PERIOD and m["unit"] not in chosen]
    if missing:
        other = Province(os.path.join(root, "other"), args.bench, args.share, units=units + 1,
                         files=2 * (units + 1), rows=rows)
        for m in other.manifest:
            if m["period"] == PERIOD and m["kind"] == "valid" and m["unit"] in missing:
                os.rename(os.path.join(other.drop, m["name"]), os.path.join(province.drop, m["name"]))
                chosen[m["unit"]] = m["name"]
        shutil.rmtree(other.root)
    if len(chosen) != units:
        sys.exit(f"no valid {PERIOD} file for {units - len(chosen)} of {units} units")
    return province, [chosen[u] for u in sorted(chosen, key=lambda c: int(c[1:]))]


def reset_high_water(daemon):
    """Starts the daemon's VmHWM again from its present resident size (clear_refs 5)."""
    with open(f"/proc/{daemon.proc.pid}/clear_refs", "w") as f:
        f.write("5")


def wait_for(daemon, since, accepted_line, timeout=120):
    """Polls the log from `since` for the file's verdict and then the period's republication;
    the monotonic times each was seen, and the file's own reading and storing (duration_ms)."""
    deadline = time.monotonic() + timeout
    accepted_at = None
    duration_ms = None
    while time.monotonic() < deadline:
        with open(daemon.log_path, encoding="utf-8", errors="replace") as f:
            f.seek(since)
            text = f.read()
        now = time.monotonic()
        at = text.find(accepted_line)
        if at >= 0:
            if accepted_at is None:
                accepted_at = now
                duration_ms = int(re.search(r"duration_ms=(\d+)", text[at:]).group(1))
            if "reports published" in text[at:] and f"period={PERIOD}" in text[at:]:
                return accepted_at, now, duration_ms
        elif re.search(r"<\d>(rejected|duplicate) " + re.escape(accepted_line.split(" ", 1)[1]), text):
            sys.exit(f"not accepted: {accepted_line}: " + text[-1500:])
        if daemon.proc.poll() is not None:
            sys.exit("the daemon stopped: " + open(daemon.log_path).read()[-2000:])
        time.sleep(0.01)
    sys.exit(f"no republication after {accepted_line} in {timeout} s")


def measure(units, rows):
    root = tempfile.mkdtemp(prefix=f"ruralstat-bench-scale-{units}-{rows}-")
    province, names = full_quarter(root, units, rows)
    samples = min(args.samples, units - 1)
    settings = {key: next(l for l in open(province.config) if key + ":" in l).split()[1]
                for key in ("settle_seconds", "publish_delay_seconds")}
    # The quarter as the other units reported it, before the clock starts.
    province.drop_files(names[samples:])
    daemon = Daemon(args.binary, province)
    start = time.monotonic()
    daemon.start()
    last = f"accepted {names[-1]} "
    deadline = time.monotonic() + 600
    while True:
        text = open(daemon.log_path, encoding="utf-8", errors="replace").read()
        if text.count("<6>accepted ") == units - samples and "reports published" in text[text.rfind("<6>accepted "):]:
            break
        if daemon.proc.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"the quarter was not taken in ({units} units): " + text[-2000:])
        time.sleep(0.05)
    prefill_s = time.monotonic() - start
    prefill_kb = daemon.high_water_kb()
    reset_high_water(daemon)
    times, publishing, durations = [], [], []
    drops_kb = 0
    for name in names[:samples]:
        time.sleep(0.3)
        mark = daemon.log_size()
        t0 = time.monotonic()
        province.drop_files([name])
        accepted_at, published_at, ms = wait_for(daemon, mark, f"accepted {name} ")
        times.append(published_at - t0)
        publishing.append(published_at - accepted_at)
        durations.append(ms)
        drops_kb = max(drops_kb, daemon.high_water_kb())
    code, end_kb = daemon.stop()
    drops_kb = max(drops_kb, end_kb)
    reports = len(os.listdir(os.path.join(province.path("reports"), PERIOD)))
    shutil.rmtree(root)
    r = {"units": units, "rows": rows, "samples": samples, "median": statistics.median(times),
         "min": min(times), "max": max(times), "publishing": statistics.median(publishing),
         "duration_ms": statistics.median(durations), "prefill_s": prefill_s,
         "rss": max(prefill_kb, drops_kb) / 1024, "drops_rss": drops_kb / 1024, "reports": reports,
         "settle": settings["settle_seconds"], "delay": settings["publish_delay_seconds"]}
    print(f"{units:4d} units, {rows:2d} rows: drop→report median {r['median']:.3f} s ({r['min']:.3f}–{r['max']:.3f}), "
          f"after accepted {r['publishing']:.3f} s, read+store {r['duration_ms']:.0f} ms; "
          f"peak RSS {r['rss']:.0f} MB (drops {r['drops_rss']:.0f} MB); quarter taken in {prefill_s:.1f} s", flush=True)
    return r


began = time.monotonic()
results = [measure(u, r) for r in row_counts for u in unit_counts]
total = time.monotonic() - began
print(f"{len(results)} provinces in {total:.0f} s")

settle, delay = results[0]["settle"], results[0]["delay"]
table = "\n".join(
    f"| {r['units']} | {r['rows']} | {r['median']:.3f} | {r['min']:.3f}–{r['max']:.3f} | {r['publishing']:.3f} "
    f"| {r['rss']:.0f} |" for r in results)
# Where the peak is reached: in the drops' rebuilds when the mark reset after the quarter was
# taken in climbs back to the whole run's peak.
in_drops = [r for r in results if r["drops_rss"] >= r["rss"] - 1]
if len(in_drops) == len(results):
    peak_note = ("every row's peak is reached during the drops, in rebuilding the reports, not while the "
                 "quarter is taken in: the mark reset once the quarter is in climbs back to the same figure.")
else:
    peak_note = "the peak during the drops alone, where it is below the whole run's: " + ", ".join(
        f"{r['units']} units × {r['rows']} rows {r['drops_rss']:.0f} MB" for r in results if r not in in_drops) + "."
lo, hi = min(unit_counts), max(unit_counts)
by = {(r["units"], r["rows"]): r for r in results}
ratios = "; ".join(
    f"{rows}-row files {by[hi, rows]['median'] / by[lo, rows]['median']:.1f}× the time and "
    f"{by[hi, rows]['rss'] / by[lo, rows]['rss']:.1f}× the peak RSS" for rows in row_counts)
big = by[hi, max(row_counts)]
provisional = (" on a machine shared with builds, so noisy; the lead reruns it in `make bench`, which "
               "replaces this section") if args.provisional else " in `make bench`"
binary = os.path.relpath(args.binary) if args.binary.startswith(os.getcwd() + os.sep) else args.binary
built = time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime(args.binary)))
section = f"""<!-- scale:start -->
## Drop to report as the province grows

What one file costs at the sizes of a province since the 2025 reform (100–130 communes, and 500
for headroom): the release `ruralstat serve` (`{binary}`, built {built}) on a province generated
by `ruralstat-bench province`, with the intake settings of the section above
(`settle_seconds: {settle}`, `publish_delay_seconds: {delay}`, `parallel_files` at its default).
For each row, a fresh province whose quarter ({PERIOD}, no earlier quarter stored) is already
reported by every unit but {results[0]['samples']}; those {results[0]['samples']} files are then dropped one at a time with a
rename, and the time from the rename until the daemon logs the quarter's {results[0]['reports']} reports republished
is taken for each. "Rows per file" is the villages table; the projects table keeps the
generator's 1–4 rows. "After accepted" is the part of a drop that follows the log's verdict on
the file: the rebuild of the reports from every unit's data. Peak RSS is the daemon's own
high-water mark (VmHWM) over the whole run, taking in the quarter included. Measured
{time.strftime('%Y-%m-%d')} on {cpu_name()}, {os.cpu_count()} cores, by `bench/run_scale.py`{provisional}.

| units | rows per file | drop→report median s | min–max s | after accepted, median s | peak RSS MB |
| ---: | ---: | ---: | ---: | ---: | ---: |
{table}

- {hi} units against {lo}: {ratios}. Flat would be 1.0×; making it so is later work (issue 14).
- Where the time goes at {hi} units with {big['rows']}-row files: {big['publishing']:.2f} of the
  {big['median']:.2f} s median comes after the file is accepted, i.e. in republishing the
  quarter's reports; reading and storing the file itself takes {big['duration_ms']:.0f} ms
  (the log's `duration_ms`), the rest is the two looks at the inbox.
- Peak RSS: {peak_note}
<!-- scale:end -->
"""
if out:
    replace_section(out, "scale", section)
    print(f"wrote {out}")
else:
    print(section)
