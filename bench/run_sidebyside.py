# SPDX-License-Identifier: Apache-2.0
"""Two builds of ruralstat measured side by side in one run, alternating, so that a change that
should not move speed (a restructuring) can be shown not to: the reader (`ruralstat-bench read`
on one large workbook) and a drop-to-report pass (`ruralstat serve --once` on an inbox of
generated submissions, until every file is stored and every quarter's reports are published).
Prints medians and the new/old ratio of each.

usage: run_sidebyside.py --old-bin DIR --new-bin DIR --share DIR [--rows N] [--files N] [--runs N]
(DIR holds `ruralstat` and `ruralstat-bench`, e.g. .build/release)
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument("--old-bin", required=True)
ap.add_argument("--new-bin", required=True)
ap.add_argument("--share", required=True)
ap.add_argument("--rows", type=int, default=100_000)
ap.add_argument("--files", type=int, default=300)
ap.add_argument("--runs", type=int, default=5)
args = ap.parse_args()
builds = {"old": args.old_bin, "new": args.new_bin}


def timed(cmd, **kw):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start


work = tempfile.mkdtemp(prefix="sidebyside-")
try:
    workbook = os.path.join(work, "big.xlsx")
    subprocess.run([os.path.join(args.new_bin, "ruralstat-bench"), "write", str(args.rows), workbook], check=True,
                   stdout=subprocess.DEVNULL)
    province = os.path.join(work, "province")
    subprocess.run([os.path.join(args.new_bin, "ruralstat-bench"), "province", province, args.share, "40",
                    str(args.files), "40"], check=True, stdout=subprocess.DEVNULL)
    times = {("read", b): [] for b in builds} | {("drop", b): [] for b in builds}
    for run in range(args.runs):
        for name, folder in (builds.items() if run % 2 == 0 else reversed(list(builds.items()))):
            times[("read", name)].append(timed([os.path.join(folder, "ruralstat-bench"), "read", workbook]))
            site = os.path.join(work, f"site-{name}-{run}")
            shutil.copytree(province, site)
            inbox = os.path.join(site, "var", "inbox")
            os.makedirs(inbox, exist_ok=True)
            for f in sorted(os.listdir(os.path.join(site, "drop"))):
                os.rename(os.path.join(site, "drop", f), os.path.join(inbox, f))
            times[("drop", name)].append(timed([os.path.join(folder, "ruralstat"), "serve", "--once", "--config",
                                                os.path.join(site, "ruralstat.yaml")]))
            shutil.rmtree(site)
    print(f"{'measure':<42} {'old (median s)':>15} {'new (median s)':>15} {'new/old':>8}")
    for what, label in (("read", f"reader, {args.rows:,} rows"), ("drop", f"drop to report, {args.files} files, serve --once")):
        old = statistics.median(times[(what, "old")])
        new = statistics.median(times[(what, "new")])
        print(f"{label:<42} {old:>15.3f} {new:>15.3f} {new / old:>8.3f}")
finally:
    shutil.rmtree(work, ignore_errors=True)
