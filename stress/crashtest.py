# SPDX-License-Identifier: Apache-2.0
"""The crash test: the daemon is killed with SIGKILL at random moments while files arrive,
and started again, many times. After every kill each dropped file must be in exactly one
place (inbox, work, archive or rejected); at the end, after a last run that finishes the
queue, every file must be archived or rejected as its kind says, the database must pass
integrity_check with one record per file (none missing, none doubled), and the published
figures must equal the sum of the accepted files.

    python3 stress/crashtest.py --kills 200 --files 400

Exit status 0 when nothing was lost or doubled; otherwise the problems are printed.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemonlib import Daemon, Province, add_program_arguments, check_final, check_one_place, conclude  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_program_arguments(ap)
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--files", type=int, default=400, help="submissions generated (copies come on top)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the folder for a look afterwards")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    root = tempfile.mkdtemp(prefix="ruralstat-crash-")
    print(f"crash test: {args.kills} kills, seed {seed}, folder {root}", flush=True)

    province = Province(root, args.bench, args.share, units=40, files=args.files)
    names = sorted(os.listdir(province.drop))
    rng.shuffle(names)
    # Files keep arriving until three quarters of the kills are done, so most kills find work.
    arrivals = max(1, args.kills * 3 // 4)
    per_round = -(-len(names) // arrivals)
    dropped = []
    daemon = Daemon(args.binary, province)
    started = time.time()
    problems = []
    kills_with_work = 0
    for k in range(args.kills):
        batch = names[len(dropped):len(dropped) + per_round]
        province.drop_files(batch)
        dropped += batch
        mark = daemon.log_size()
        daemon.start()
        # Most kills come while files are being handled (the first settle takes ~0.5 s); some
        # right at start, during the recovery of work/.
        pause = rng.choice([rng.uniform(0.0, 0.3), rng.uniform(0.5, 1.2), rng.uniform(0.5, 1.2), rng.uniform(0.8, 2.0)])
        time.sleep(pause)
        if daemon.proc.poll() is not None:
            problems.append(f"kill {k + 1}: the daemon exited by itself with {daemon.proc.returncode}")
            break
        daemon.kill()
        with open(daemon.log_path, encoding="utf-8", errors="replace") as f:
            f.seek(mark)
            if any(w in f.read() for w in ("accepted ", "rejected ", "duplicate ")):
                kills_with_work += 1
        found = check_one_place(province, dropped)
        if found:
            problems += [f"after kill {k + 1}: {p}" for p in found]
            break
        if (k + 1) % 25 == 0:
            places = province.locations()
            done = sum(1 for n in dropped if places.get(n, [""])[0] in ("archive", "rejected"))
            print(f"  {k + 1} kills: {len(dropped)} dropped, {done} done, "
                  f"{len(dropped) - done} in inbox or work", flush=True)
    if not problems:
        # Everything left is dropped, and a last run finishes the queue and publishes.
        rest = names[len(dropped):]
        province.drop_files(rest)
        dropped += rest
        daemon.start(once=True)
        code = daemon.proc.wait(timeout=600)
        if code != 0:
            problems.append(f"the final run exited with {code}")
        problems += check_final(province, dropped, args.binary)
        if not problems:
            problems += check_rebuild(province, args.binary)
    elapsed = time.time() - started
    kinds = {}
    for n in dropped:
        kinds[province.by_name[n]["kind"]] = kinds.get(province.by_name[n]["kind"], 0) + 1
    print(f"{args.kills} kills ({kills_with_work} while files were being handled) over {len(dropped)} files "
          f"({', '.join(f'{v} {k}' for k, v in sorted(kinds.items()))}) in {elapsed:.0f} s")
    return conclude(problems, root, "every file in exactly one place after every kill; at the end all archived or rejected "
                    "as expected, integrity_check ok, one record per file, export and Biểu 01 equal to the accepted files, "
                    "and a store rebuilt from the originals exporting the same",
                    keep=args.keep, note=f"seed {seed}, ")

def check_rebuild(province, binary):
    """The store made anew from the originals (`ruralstat rebuild`) after all those kills gives
    the same `export` for every period as the store it replaces."""
    periods = sorted({m["period"] for m in province.manifest})

    def exports():
        out = {}
        for p in periods:
            r = subprocess.run([binary, "export", "--period", p, "--config", province.config], capture_output=True, text=True)
            out[p] = r.stdout if r.returncode == 0 else f"exit {r.returncode}: {r.stderr}"
        return out

    before = exports()
    r = subprocess.run([binary, "rebuild", "--config", province.config], capture_output=True, text=True)
    if r.returncode != 0:
        return [f"rebuild exited with {r.returncode}: {r.stderr.strip()[-500:]}"]
    after = exports()
    differing = [p for p in periods if before[p] != after[p]]
    print(f"rebuild from the originals: {r.stdout.splitlines()[0] if r.stdout else ''}; "
          f"export equal for {len(periods) - len(differing)}/{len(periods)} periods", flush=True)
    return [f"after rebuild, export of {p} differs from the store it replaced" for p in differing]


if __name__ == "__main__":
    sys.exit(main())
