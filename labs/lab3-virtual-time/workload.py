#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lab 3's processes, in python so that the VM forks little.

  workload.py hog                 burn CPU forever
  workload.py io RUN_MS SLEEP_MS  burn RUN_MS of CPU time, sleep SLEEP_MS
                                  (an I/O-like blocker), forever
  workload.py sample WFQTOOL OUT PERIOD_S SECONDS
                                  append `WFQTOOL list --json` to OUT as
                                  {"t_ns": CLOCK_REALTIME, "list": ...}
                                  lines every PERIOD_S for SECONDS
"""
import json
import subprocess
import sys
import time


def hog():
    while True:
        pass


def io(run_ms, sleep_ms):
    while True:
        # CPU time, not wall time: a preempted burst still does its work.
        end = time.process_time() + run_ms / 1000
        while time.process_time() < end:
            pass
        time.sleep(sleep_ms / 1000)


def sample(wfqtool, out, period, seconds):
    deadline = time.monotonic() + seconds
    with open(out, "a", encoding="utf-8") as f:
        while time.monotonic() < deadline:
            t = time.time_ns()
            doc = subprocess.run([wfqtool, "list", "--json"], check=True,
                                 capture_output=True, text=True).stdout
            f.write(json.dumps({"t_ns": t, "list": json.loads(doc)}) + "\n")
            f.flush()
            time.sleep(period)


def main():
    mode = sys.argv[1]
    if mode == "hog":
        hog()
    elif mode == "io":
        io(float(sys.argv[2]), float(sys.argv[3]))
    elif mode == "sample":
        sample(sys.argv[2], sys.argv[3], float(sys.argv[4]),
               float(sys.argv[5]))
    else:
        sys.exit(f"workload.py: unknown mode {mode!r}")


if __name__ == "__main__":
    main()
