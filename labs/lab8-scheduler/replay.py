#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lab 8: your scheduler on the kernel's own activity from lab 3.

  replay.py WFQTOOL RECORD_DIR

RECORD_DIR holds lab 3's events.jsonl, list.json and times.json (a VM
run's build/labs/lab3/KVER, or the one shipped in lab3-record/). Replays
the recorded runnable stretches through WFQTOOL simulate (built with
your wfq.c) with and without the catch-up rule, and prints each group's
share next to the one the kernel measured.
"""
import json
import os
import subprocess
import sys

QUANTUM = "4ms"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    wfqtool, rec = sys.argv[1], sys.argv[2]
    events = os.path.join(rec, "events.jsonl")
    with open(events, encoding="utf-8") as f:
        t0 = json.loads(f.readline())["time_ns"]
    with open(os.path.join(rec, "times.json"), encoding="utf-8") as f:
        span = json.load(f)["end_ns"] - t0
    with open(os.path.join(rec, "list.json"), encoding="utf-8") as f:
        kernel = {g["name"]: g for g in json.load(f)["groups"]}
    sim = json.loads(subprocess.run(
        [wfqtool, "simulate", "--compare", "--json", "--quantum", QUANTUM,
         "--duration", f"{span}ns", "--replay", events,
         "--weights", os.path.join(rec, "list.json")],
        check=True, capture_output=True, text=True).stdout)
    runs = {r["run"]: {g["name"]: g for g in r["groups"]}
            for r in sim["runs"]}
    print(f"lab 3's record {rec}: {span / 1e9:.2f} s, replayed with your "
          f"wfq.c, quantum {QUANTUM}")
    print(f"{'GROUP':8} {'KERNEL%':>8} {'YOURS%':>7} {'CATCHUPS':>8} "
          f"{'FORGIVEN_ms':>11} {'NORULE%':>8} {'NORULE_MAXWAIT_ms':>17}")
    for name in sorted(kernel):
        r, n = runs["catchup"][name], runs["no-catchup"][name]
        print(f"{name:8} {100 * kernel[name]['runtime_ns'] / span:>8.2f} "
              f"{100 * r['share']:>7.2f} {r['catchups']:>8} "
              f"{r['catchup_vtime_ns_per_weight'] / 1e6:>11.3f} "
              f"{100 * n['share']:>8.2f} {n['wait_max_ns'] / 1e6:>17.1f}")
    print("KERNEL%: the group's runtime_ns over the record. YOURS%: your "
          "scheduler with the\ncatch-up rule; NORULE: without it. "
          "FORGIVEN: s_i your rule added (ms/weight);\nthe kernel's "
          "catch-ups: " + ", ".join(
              f"{n} {kernel[n]['catchups']} "
              f"({kernel[n]['catchup_vtime_ns_per_weight'] / 1e6:.3f} ms)"
              for n in sorted(kernel)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
