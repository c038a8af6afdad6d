# SPDX-License-Identifier: Apache-2.0
"""What the benchmark drivers share: running a program as its own process and measuring it,
naming the machine, and replacing one section of BENCHMARKS.md."""
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time


def run_measured(cmd):
    """Wall seconds, peak RSS (MB) of that process alone, and its stdout. The peak comes from
    GNU time, a small process that forks the program: `wait4` straight from this driver would
    report at least the driver's own peak, since Linux carries a process's peak across exec."""
    start = time.monotonic()
    with tempfile.NamedTemporaryFile("r") as peak:
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", peak.name] + cmd,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = proc.communicate()
        seconds = time.monotonic() - start
        if proc.returncode != 0:
            sys.exit(f"{cmd[0]} failed: {err.decode()[:500]}")
        kilobytes = int(peak.read().split()[-1])
    return seconds, kilobytes / 1024, out.decode()


def measure(cmd, runs):
    """One warm-up (page cache, interpreter), then `runs` measured runs: the median, min and
    max seconds, the largest peak RSS (MB) and the first run's stdout."""
    run_measured(cmd)
    samples = [run_measured(cmd) for _ in range(runs)]
    times = [s[0] for s in samples]
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": runs,
            "rss": max(s[1] for s in samples), "out": samples[0][2]}


def cpu_name():
    return next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())


def replace_section(path, name, section):
    """Puts `section` (which starts with <!-- name:start --> and ends with <!-- name:end -->)
    in place of the same section of `path`, or at its end."""
    text = open(path).read() if os.path.exists(path) else \
        "# Benchmarks\n\nWritten by `make bench`; each section is replaced by the run that measures it.\n\n"
    marker = f"<!-- {name}:start -->"
    if marker in text:
        text = re.sub(rf"<!-- {name}:start -->.*?<!-- {name}:end -->\n", lambda m: section, text, flags=re.S)
    else:
        text += "\n" + section
    open(path, "w").write(text)
