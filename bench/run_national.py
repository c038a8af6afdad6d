# SPDX-License-Identifier: Apache-2.0
"""A province's approved quarter at the ministry, from drop to the national reports; writes the
"national" section of BENCHMARKS.md.

A ministry site made by `ruralstat init --national` (no history); a province file of COMMUNES
generated communes (`ruralstat-bench province-file`: their villages, projects and provenance,
one row each) dropped into its inbox; `ruralstat serve --once` until it is read, checked,
stored and the period's four national reports published. Each run on a fresh copy of the site;
the median and the slowest of RUNS.

usage: run_national.py --binary PATH --bench PATH [--communes N] [--runs N] [--out FILE]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from benchlib import cpu_name, replace_section  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--binary", required=True)
ap.add_argument("--bench", required=True)
ap.add_argument("--communes", type=int, default=200)
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--out", default="BENCHMARKS.md")
args = ap.parse_args()

work = tempfile.mkdtemp(prefix="ruralstat-national-")
try:
    site = os.path.join(work, "site")
    subprocess.run([args.binary, "init", site, "--national"], check=True, stdout=subprocess.DEVNULL)
    config = os.path.join(site, "ruralstat.yaml")
    text = open(config, encoding="utf-8").read().replace("settle_seconds: 2 ", "settle_seconds: 0 ")
    open(config, "w", encoding="utf-8").write(text)
    province = os.path.join(work, "31-2026-Q1-v1.xlsx")
    made = subprocess.run([args.bench, "province-file", province, "31", "2026-Q1", str(args.communes)],
                          check=True, capture_output=True, text=True).stdout.strip()
    size = os.path.getsize(province)
    counts = dict(part.split("=") for part in made.split())
    times = []
    for run in range(args.runs):
        copy = os.path.join(work, f"run-{run}")
        shutil.copytree(site, copy)
        copied = os.path.join(copy, "ruralstat.yaml")
        open(copied, "w", encoding="utf-8").write(open(config, encoding="utf-8").read().replace(site, copy))
        shutil.copy(province, os.path.join(copy, "var", "inbox"))
        start = time.perf_counter()
        subprocess.run([args.binary, "serve", "--once", "--config", copied], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        reports = os.listdir(os.path.join(copy, "var", "reports", "2026-Q1"))
        assert len([r for r in reports if r.endswith(".xlsx")]) == 4, reports
        assert any(n.endswith(".tiep-nhan.txt") for n in os.listdir(os.path.join(copy, "var", "feedback", "31"))), "not accepted"
        shutil.rmtree(copy)
    section = f"""<!-- national:start -->
## A province's quarter at the ministry (issue 22)

A province file of {args.communes} generated communes ({int(counts['villages']):,} villages and {int(counts['projects']):,} projects, one row each, and a
provenance row per commune; {size // 1024} KB)
dropped into a site made by `ruralstat init --national`, and `ruralstat serve --once` until it is
read, checked against the province-level form, stored and the quarter's four national reports
published: median **{statistics.median(times):.2f} s**, slowest {max(times):.2f} s of {args.runs} runs, each on a
fresh copy of the site ({cpu_name()}, release build). Re-run: `python3 bench/run_national.py
--binary .build/release/ruralstat --bench .build/release/ruralstat-bench`.
<!-- national:end -->
"""
    replace_section(args.out, "national", section)
    print(section)
finally:
    shutil.rmtree(work, ignore_errors=True)
