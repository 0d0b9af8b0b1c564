#!/usr/bin/env python3
"""Whole-process wall time and peak RSS of `disclose inspect` and `disclose scan` on every app,
against the single-threaded `unzip -p APP > /dev/null` floor and the memory budget
(peak RSS <= 2 x the largest DEX + 64 MB). Prints a markdown table (docs/performance.md).

Each command runs RUNS times (default 3) under `/usr/bin/time -v`; the minimum of each figure
is kept (the machine is shared, the minimum is the least disturbed run). The load average
before and after is printed with the table.

    scripts/measure-huge-apps.py [--runs N] [--bin target/release/disclose] APP...
"""
import argparse
import os
import re
import subprocess
import sys
import zipfile

MB = 1000 * 1000


def timed(cmd):
    """(wall seconds, peak RSS in KiB) of one run of `cmd` (stdout discarded)."""
    res = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    wall = rss = None
    for line in res.stderr.splitlines():
        line = line.strip()
        if line.startswith("Elapsed (wall clock) time"):
            parts = line.rsplit(" ", 1)[-1].split(":")
            wall = sum(float(p) * 60 ** i for i, p in enumerate(reversed(parts)))
        elif line.startswith("Maximum resident set size"):
            rss = int(line.rsplit(" ", 1)[-1])
    if wall is None or rss is None:
        sys.exit(f"measure: no figures from {' '.join(cmd)}:\n{res.stderr[-2000:]}")
    if res.returncode not in (0, 1):
        print(f"measure: {' '.join(cmd)} exited {res.returncode}: "
              f"{res.stderr.splitlines()[0] if res.stderr else ''}", file=sys.stderr)
    return wall, rss


def best(cmd, runs):
    figures = [timed(cmd) for _ in range(runs)]
    return min(w for w, _ in figures), min(r for _, r in figures)


def largest_dex(path):
    try:
        with zipfile.ZipFile(path) as z:
            sizes = [i.file_size for i in z.infolist()
                     if re.fullmatch(r"(.*/)?classes\d*\.dex", i.filename)]
    except zipfile.BadZipFile:
        return 0
    return max(sizes, default=0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--bin", default="target/release/disclose")
    ap.add_argument("--policy", default="samples/demo-policy.zh.txt")
    ap.add_argument("apps", nargs="+")
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()}", file=sys.stderr)
    print("| app | size MB | largest dex MB | budget MB | unzip -p s | inspect s | "
          "inspect / unzip | inspect RSS MB | scan s | scan RSS MB | budget |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for app in args.apps:
        size = os.path.getsize(app) / MB
        dex = largest_dex(app)
        budget = 2 * dex / MB + 64
        floor, _ = best(["sh", "-c", 'unzip -p "$0" > /dev/null', app], args.runs)
        i_wall, i_rss = best([args.bin, "inspect", app], args.runs)
        s_wall, s_rss = best([args.bin, "scan", app, "--policy", args.policy], args.runs)
        peak = max(i_rss, s_rss) * 1024 / MB
        verdict = "pass" if peak <= budget else "FAIL"
        ratio = i_wall / floor if floor > 0 else float("nan")
        print(f"| {os.path.basename(app)} | {size:.1f} | {dex / MB:.1f} | {budget:.0f} | "
              f"{floor:.2f} | {i_wall:.2f} | {ratio:.2f} | {i_rss * 1024 / MB:.0f} | "
              f"{s_wall:.2f} | {s_rss * 1024 / MB:.0f} | {verdict} |", flush=True)
    print(f"load average after: {os.getloadavg()}", file=sys.stderr)


if __name__ == "__main__":
    main()
