#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lab 4's processes, in python so that the VM forks little.

  workload.py onoff ON_S OFF_S LOG   runnable for ON_S of wall time, asleep
                                     for OFF_S, forever; appends
                                     {"t_ns": CLOCK_REALTIME, "phase":
                                     "busy"|"idle"} to LOG at each switch
  workload.py sample WFQTOOL OUT PERIOD_S COUNT CPU CGROUP...
                                     run `WFQTOOL report --json` for COUNT
                                     windows of PERIOD_S and append to OUT
                                     per window {"t_ns": arrival, "cpu":
                                     the CPU's /proc/stat ticks, "cpu_stat":
                                     each CGROUP's cpu.stat, "report": ...}
"""
import json
import subprocess
import sys
import time


def log_phase(f, phase):
    f.write(json.dumps({"t_ns": time.time_ns(), "phase": phase}) + "\n")
    f.flush()


def onoff(on_s, off_s, log):
    # An absolute schedule, so the cycle keeps its length even when this
    # process waits for the CPU at a switch.
    with open(log, "a", encoding="utf-8") as f:
        t = time.monotonic()
        while True:
            log_phase(f, "busy")
            t += on_s
            while time.monotonic() < t:
                pass
            log_phase(f, "idle")
            t += off_s
            time.sleep(max(0.0, t - time.monotonic()))


def cpu_stat_line(cpu):
    """Ticks of one CPU from /proc/stat: user nice system idle iowait irq
    softirq steal (USER_HZ)."""
    with open("/proc/stat", encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if fields[0] == f"cpu{cpu}":
                return [int(x) for x in fields[1:9]]
    raise SystemExit(f"workload.py: /proc/stat: no line for cpu{cpu}")


def cgroup_cpu_stat(path):
    with open(f"{path}/cpu.stat", encoding="utf-8") as f:
        return {k: int(v) for k, v in (line.split() for line in f)}


def sample(wfqtool, out, period, count, cpu, cgroups):
    # One `wfqtool report` for the whole run: its windows are back to back
    # and timed by wfqtool itself, and nothing is forked per sample (slow
    # under emulation). Each window is stamped on arrival, with the CPU's
    # and the cgroups' counters read at that moment.
    cmd = [wfqtool, "report", "--json", "--interval", str(period),
           "--count", str(count)]
    with open(out, "a", encoding="utf-8") as f, \
            subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as rep:
        for line in rep.stdout:
            rec = {"t_ns": time.time_ns(), "cpu": cpu_stat_line(cpu),
                   "cpu_stat": {c.rsplit("/", 1)[-1]: cgroup_cpu_stat(c)
                                for c in cgroups},
                   "report": json.loads(line)}
            f.write(json.dumps(rec) + "\n")
            f.flush()
    if rep.returncode:
        sys.exit(f"workload.py: {' '.join(cmd)}: exit {rep.returncode}")


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "onoff" and len(sys.argv) == 5:
        onoff(float(sys.argv[2]), float(sys.argv[3]), sys.argv[4])
    elif mode == "sample" and len(sys.argv) >= 8:
        sample(sys.argv[2], sys.argv[3], float(sys.argv[4]),
               int(sys.argv[5]), int(sys.argv[6]), sys.argv[7:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
