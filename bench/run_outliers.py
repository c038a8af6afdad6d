# SPDX-License-Identifier: Apache-2.0
"""The outlier checks (issues 17 and 25) on a generated province, every checked number of the
form: recall per kind of error and figure family and the
false-alarm rate on clean figures. Writes the "outliers" section of BENCHMARKS.md.

`ruralstat-bench outliers` does the work and prints the section's body (what it generated, how
it counts, the tables); this driver runs it once, times it, adds the false-alarm rate under a few
other choices of the generator (rows that come and go) and puts the section in place.
Any argument after `--` goes to the bench (say `-- --threshold 4` to try another threshold;
then pass --out elsewhere so that BENCHMARKS.md keeps the shipped spec's figures).

usage: run_outliers.py --bench-bin PATH [--schema PATH] [--out FILE] [-- BENCH OPTIONS…]
"""
import argparse
import datetime
import os
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from benchlib import cpu_name, replace_section  # noqa: E402

argv = sys.argv[1:]
extra = []
if "--" in argv:
    extra = argv[argv.index("--") + 1:]
    argv = argv[:argv.index("--")]
ap = argparse.ArgumentParser()
ap.add_argument("--bench-bin", required=True)
ap.add_argument("--schema", default=os.path.join(os.path.dirname(here), "templates", "quarterly-v1.yaml"))
ap.add_argument("--out", default="BENCHMARKS.md")
args = ap.parse_args(argv)

cmd = [args.bench_bin, "outliers", "--schema", args.schema] + extra
start = time.monotonic()
proc = subprocess.run(cmd, capture_output=True, text=True)
seconds = time.monotonic() - start
if proc.returncode != 0:
    sys.exit(f"{' '.join(cmd)} failed: {proc.stderr[-2000:]}")
body = proc.stdout.strip()
print(body)

# Both rates hang on choices the generator had to make (how often rows come and go, the seeds):
# the whole measure again, in one line each, with other choices.
variants = [
    ("other seeds (11…13)", ["--seed", "11"]),
    ("no new village in the last quarter", ["--new-villages", "0"]),
    ("15 % of units with a new village", ["--new-villages", "0.15"]),
    ("projects of 2–4 quarters (yearly plans)", ["--project-life", "2-4"]),
    ("both of the last two", ["--new-villages", "0.15", "--project-life", "2-4"]),
]
sensitivity = ["", "The same measure with other choices of the generator (false alarms, then the share found of each kind):", ""]
for label, options in variants:
    run = subprocess.run(cmd + ["--summary"] + options, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"the variant '{label}' failed: {run.stderr[-2000:]}")
    sensitivity.append(f"- {label}: {run.stdout.strip()}.")
    print(sensitivity[-1])
body += "\n" + "\n".join(sensitivity)

lines = [
    "<!-- outliers:start -->",
    "## Outliers (issue 17)",
    "",
    "How well the outlier checks (the schema's `outliers:` section) find the errors clerks make, and how often "
    "they flag a figure that is right. A province's history is generated, then errors of known kinds are put, "
    "one at a time, into one value of one unit's last quarter, and the checks run on it as the daemon runs them.",
    "",
    f"Measured {datetime.date.today().isoformat()} on {cpu_name()}, {os.cpu_count()} cores, `make bench-outliers` "
    f"({seconds:.1f} s; `{' '.join(['ruralstat-bench', 'outliers'] + extra)}`).",
    "",
    body,
    "<!-- outliers:end -->",
]
replace_section(args.out, "outliers", "\n".join(lines) + "\n")
print(f"wrote {args.out}")
