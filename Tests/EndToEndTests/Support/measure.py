# SPDX-License-Identifier: Apache-2.0
"""Runs a command and prints JSON: exit status, wall seconds, peak RSS in MB (wait4), stdout.

usage: measure.py COMMAND [ARG…]
"""
import json
import os
import subprocess
import sys
import time

start = time.monotonic()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
out, err = proc.communicate()
# communicate() has reaped the child; its peak RSS is in the children's rusage of this process,
# which runs only this one child.
import resource
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "status": proc.returncode,
    "seconds": time.monotonic() - start,
    "rss_mb": usage.ru_maxrss / 1024,
    "stdout": out.decode("utf-8", "replace"),
    "stderr": err.decode("utf-8", "replace"),
}, ensure_ascii=False))
