#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Second boot of `make bench`: what only real time on two vCPUs shows.

    bench/realtime.py --ko MODULE.ko --out FILE [--groups N] [--seconds S]
                      [--cycles N]

Runs as root in the test VM without --icount (bench/run.sh): --icount
boots one vCPU, and both measures need two. Writes one JSON document:

  irqoff  bench/irqoff.sh: the longest section wfqmon runs with
          interrupts off for its virtual-time lock while N groups
          (10,000) are active, and STATS_GET hammered from CPU 1 for S
          seconds meanwhile (calls, mean and worst latency).
  watch   `wfqtool watch DIR --json` while cgroups come and go under DIR,
          one at a time, N cycles: from just before mkdir (rmdir) to the
          time_ns watch writes on its bind (unbind) line. Issue 12's
          targets: a new cgroup bound within a second, a removed one
          unbound within 2 s.

Times are real time under TCG: larger and noisier than on hardware.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WFQTOOL = ROOT + "/build/tools/wfqtool"
WATCH_DIR = "/sys/fs/cgroup/wfqwatchbench"


def log(msg):
	print(f"realtime.py: {msg}", file=sys.stderr, flush=True)


def spread(values):
	return {"median": statistics.median(values), "min": min(values),
		"max": max(values), "values": values}


def irqoff(args):
	out = subprocess.run([ROOT + "/bench/irqoff.sh", args.ko,
			      str(args.groups), str(args.seconds)],
			     check=True, stdout=subprocess.PIPE, text=True).stdout
	return json.loads(out.strip().splitlines()[-1])


class WatchLog:
	"""The JSON lines `wfqtool watch` has written so far."""

	def __init__(self, path):
		self.f = open(path)
		self.buf = ""
		self.events = []

	def wait(self, event, name, timeout=30):
		end = time.monotonic() + timeout
		while True:
			self.buf += self.f.read()
			*lines, self.buf = self.buf.split("\n")
			self.events += [json.loads(line) for line in lines if line]
			for e in self.events:
				if e["event"] == event and e["name"] == name:
					return e
			if time.monotonic() > end:
				raise TimeoutError(f"watch wrote no {event} of {name}")
			time.sleep(0.005)


def watch_latency(args):
	os.makedirs(WATCH_DIR)
	out_path = args.out + ".watch"
	proc = None
	try:
		os.mkdir(WATCH_DIR + "/ready")
		with open(out_path, "w") as out:
			proc = subprocess.Popen([WFQTOOL, "watch", WATCH_DIR,
						 "--depth", "1", "--json"],
						stdout=out)
		wlog = WatchLog(out_path)
		wlog.wait("bind", "ready")
		bind, unbind = [], []
		for i in range(args.cycles):
			name = f"c{i}"
			t = time.time_ns()
			os.mkdir(f"{WATCH_DIR}/{name}")
			bind.append((wlog.wait("bind", name)["time_ns"] - t) / 1e6)
			t = time.time_ns()
			os.rmdir(f"{WATCH_DIR}/{name}")
			unbind.append((wlog.wait("unbind", name)["time_ns"] - t) / 1e6)
		return {"cycles": args.cycles, "bind_ms": spread(bind),
			"unbind_ms": spread(unbind)}
	finally:
		if proc:
			proc.terminate()
			proc.wait()
		for d in os.listdir(WATCH_DIR):
			if os.path.isdir(f"{WATCH_DIR}/{d}"):
				os.rmdir(f"{WATCH_DIR}/{d}")
		os.rmdir(WATCH_DIR)


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--ko", required=True)
	ap.add_argument("--out", required=True)
	ap.add_argument("--groups", type=int, default=10000)
	ap.add_argument("--seconds", type=int, default=5)
	ap.add_argument("--cycles", type=int, default=20)
	args = ap.parse_args()

	doc = {"kernel": os.uname().release, "nproc": os.cpu_count()}
	doc["irqoff"] = irqoff(args)
	r = doc["irqoff"]
	log(f"irqoff: longest section {r['lock_max_ns'] / 1e3:.0f} us with "
	    f"{r['groups']} groups; STATS_GET {r['reader']['calls']} calls, "
	    f"mean {r['reader']['mean_us']:.0f} us, worst {r['reader']['max_us']:.0f} us")
	subprocess.run(["insmod", args.ko], check=True)
	try:
		doc["watch"] = watch_latency(args)
	finally:
		subprocess.run(["rmmod", "wfqmon"], check=True)
	w = doc["watch"]
	log(f"watch: bind median {w['bind_ms']['median']:.0f} ms, worst "
	    f"{w['bind_ms']['max']:.0f} ms; unbind median "
	    f"{w['unbind_ms']['median']:.0f} ms, worst {w['unbind_ms']['max']:.0f} ms")
	with open(args.out, "w") as f:
		json.dump(doc, f, indent=1)


if __name__ == "__main__":
	main()
