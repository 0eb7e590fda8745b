#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lab 5, in the VM: read groups' per-CPU counters at both ends of a window.

  sample.py WFQTOOL SECONDS OUT.json NAME:HOGS...

Runs `WFQTOOL show NAME --per-cpu --json` for every group, sleeps, reads
them again, and writes {"window_s", "groups": [{"name", "hogs",
"before", "after", "t_before_ns", "t_after_ns"}]} with each reading's
CLOCK_MONOTONIC time (the middle of the wfqtool call). One process
for the whole window: fork+exec is slow under emulation.
"""
import json
import subprocess
import sys
import time


def read(wfqtool, name):
    t0 = time.monotonic_ns()
    out = subprocess.run([wfqtool, "show", name, "--per-cpu", "--json"],
                         check=True, capture_output=True, text=True).stdout
    t1 = time.monotonic_ns()
    return json.loads(out), (t0 + t1) // 2


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    wfqtool, secs, path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    groups = []
    for arg in sys.argv[4:]:
        name, hogs = arg.rsplit(":", 1)
        groups.append({"name": name, "hogs": int(hogs)})
    for g in groups:
        g["before"], g["t_before_ns"] = read(wfqtool, g["name"])
    time.sleep(secs)
    for g in groups:
        g["after"], g["t_after_ns"] = read(wfqtool, g["name"])
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"window_s": secs, "groups": groups}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
