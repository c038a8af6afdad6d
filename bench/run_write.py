# SPDX-License-Identifier: Apache-2.0
"""The writing benchmark of `make bench`: a 200,000-row detail list written through
ruralstat's Swift layer and by a small C program on libxlsxwriter directly, in the same run;
and the full report set of a 30-unit province with a year of history. Writes the `writer`
section of BENCHMARKS.md.

usage: run_write.py --bench-bin PATH --c-bin PATH --share DIR --work DIR [--rows N] [--runs N] [--out FILE]
"""
import argparse
import datetime
import os
import shutil
import statistics
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import cpu_name, measure, replace_section, run_measured  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--bench-bin", required=True)
ap.add_argument("--c-bin", required=True)
ap.add_argument("--share", required=True)
ap.add_argument("--work", required=True)
ap.add_argument("--rows", type=int, default=200_000)
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--out", default="BENCHMARKS.md")
args = ap.parse_args()



os.makedirs(args.work, exist_ok=True)
writers = [
    ("libxlsxwriter directly (C)", lambda path: [args.c_bin, str(args.rows), path]),
    ("ruralstat's writer, formats resolved once (Swift)", lambda path: [args.bench_bin, "write", str(args.rows), path]),
    ("ruralstat's writer, a style named per cell (Swift)", lambda path: [args.bench_bin, "write-styles", str(args.rows), path]),
]
results = {}
outputs = {}
for i, (name, command) in enumerate(writers):
    path = os.path.join(args.work, f"write-{i}.xlsx")
    results[name] = measure(command(path), args.runs)
    results[name]["size"] = os.path.getsize(path)
    outputs[name] = path
    print(f"{name}: median {results[name]['median']:.3f} s, peak {results[name]['rss']:.0f} MB", flush=True)

# The same cells: the worksheet, its strings and its styles are byte for byte the same XML.
parts = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"]
def part_bytes(path):
    with zipfile.ZipFile(path) as z:
        return [z.read(p) for p in parts]
reference = part_bytes(outputs[writers[0][0]])
same = all(part_bytes(p) == reference for p in outputs.values())

# The report set of a province.
province_dir = os.path.join(args.work, "province")
shutil.rmtree(province_dir, ignore_errors=True)
seconds, rss, out = run_measured([args.bench_bin, "reports", province_dir, args.share, str(args.runs)])
fields = dict(kv.split("=", 1) for kv in out.split())
publish = [float(x) for x in fields["publish_s"].split(",")]
print(f"report set: median {statistics.median(publish):.3f} s; backfill {fields['files']} files in {float(fields['backfill_s']):.1f} s", flush=True)

c = results[writers[0][0]]
ours = results[writers[1][0]]
styles = results[writers[2][0]]
cpu = cpu_name()
lines = [
    "<!-- writer:start -->",
    "## Writing workbooks",
    "",
    f"A detail list of {args.rows:,} rows × 9 columns (numbers with formats, text, dates; "
    f"{args.rows * 9:,} cells) written by `bench/c/write_detail.c` straight on libxlsxwriter and by "
    "`ruralstat-bench write` through `WorkbookWriter`/`WorksheetWriter`, the layer every report uses. "
    f"Each is its own process, run {args.runs} times after one warm-up; time is wall-clock, peak RSS is that process's.",
    "",
    f"Measured {datetime.date.today().isoformat()} on {cpu}, {os.cpu_count()} cores, `make bench`.",
    "",
    "| writer | median s | min–max s | peak RSS MB | time ÷ C | file MB |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
]
for name, _ in writers:
    r = results[name]
    lines.append(f"| {name} | {r['median']:.3f} | {r['min']:.3f}–{r['max']:.3f} | {r['rss']:.0f} | "
                 f"{r['median'] / c['median']:.2f} | {r['size'] / 2**20:.1f} |")
verdict = lambda ok: "yes" if ok else "**no**"
lines += [
    "",
    f"- Within 1.15× of the C program: {verdict(ours['median'] <= 1.15 * c['median'])} "
    f"({ours['median'] / c['median']:.2f}× with formats resolved once; {styles['median'] / c['median']:.2f}× naming a style per cell, "
    "which hashes the style for every cell).",
    f"- The same worksheet, strings and styles XML from all three: {verdict(same)}.",
    "",
    "### The report set of a province",
    "",
    f"30 units; the quarter 2025-Q4 and every quarter its comparisons read (2025-Q1…Q3, 2024-Q1…Q4), "
    f"{fields['files']} submissions in all, each written as a form and taken through the real pipeline "
    f"(read, validate, store, feedback, archive) into a fresh SQLite store; then the {fields['reports']} shipped reports "
    f"({int(fields['bytes']) / 1024:.0f} KB) published {len(publish)} times from the store.",
    "",
    "| step | figure |",
    "| --- | ---: |",
    f"| publishing the report set, median of {len(publish)} | {statistics.median(publish):.3f} s |",
    f"| publishing, min–max | {min(publish):.3f}–{max(publish):.3f} s |",
    f"| backfill of {fields['files']} submissions (form written + pipeline) | {float(fields['backfill_s']):.1f} s, "
    f"{int(fields['files']) / float(fields['backfill_s']):.1f} files/s |",
    f"| peak RSS of the whole run | {rss:.0f} MB |",
    "<!-- writer:end -->",
]
section = "\n".join(lines) + "\n"
replace_section(args.out, "writer", section)
print(f"wrote {args.out}")
