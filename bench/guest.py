#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Guest side of `make bench`: every measurement, in one boot.

    bench/guest.py --kver KVER --out FILE [--rounds R] [--pipe-loops N]
                   [--msg-loops N] [--groups N]

Runs as root inside the test VM (bench/run.sh starts it through vm/run.sh)
and writes one JSON document to FILE. Sections:

  overhead   R rounds; each round runs every configuration once, in an
             order that alternates between rounds, and in each runs
             `taskset -c 0 perf bench sched pipe -l N` and
             `taskset -c 0 perf bench sched messaging -p -g 1 -l N`
             --reps times each, keeping the fastest (other load on the
             host only ever slows a run down):
               a      baseline: no probe at all
               a'     bench/noop: an empty sched_switch probe (the floor)
               b      wfqmon loaded, no groups
               c      wfqmon, the benchmark's cgroup bound to a group
               c100   c + 99 more groups bound to other cgroups
               d      c + 9,999 more groups (10,000 in all)
               e      bench/percgroup.bt under bpftrace, no wfqmon
             The benchmark always runs in the same cgroup (wfqbench/run),
             so configurations differ only in what watches it.
  read       one netlink dump of all groups vs reading cpu.stat of the
             10,000 cgroups the groups are bound to, from one process
  exporter   wfqtool exporter with the 10,000 groups: wall time of a
             /metrics scrape, the exporter's CPU time per scrape (its
             utime + stime from /proc) and its resident memory (VmRSS,
             VmHWM); these groups' cgroups are not ROOT/NAME, so each
             scrape also walks the cgroup tree to find them by id
  memory     the module's MEMORY_BYTES / nr_groups, and the Slab and
             Percpu deltas of /proc/meminfo across creating the groups
  accuracy   a group's runtime_ns vs its cgroup's cpu.stat usage_usec for
             a CPU hog, a sleep/wake-heavy load and many short processes
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CG_ROOT = "/sys/fs/cgroup"
CG = CG_ROOT + "/wfqbench"
CG_RUN = CG + "/run"		# the benchmark's tasks, in every configuration
CG_MANY = CG + "/many"		# g00000.. for the extra groups and the read path
WFQBENCH = ROOT + "/build/bench/wfqbench"
WFQTOOL = ROOT + "/build/tools/wfqtool"
EXPORTER_ADDR = "127.0.0.1:19465"
BPFTRACE_SCRIPT = ROOT + "/bench/percgroup.bt"

CONFIGS = ["a", "a'", "b", "c", "c100", "d", "e"]


def log(msg):
	print("guest.py: " + msg, file=sys.stderr, flush=True)


def sh(*argv, **kw):
	return subprocess.run(argv, check=True, text=True,
			      stdout=subprocess.PIPE, **kw).stdout


def helper(*args):
	return json.loads(sh(WFQBENCH, *[str(a) for a in args]))


def in_cgroup(path):
	"""preexec_fn: move the child into the cgroup before it execs."""
	def move():
		with open(path + "/cgroup.procs", "w") as f:
			f.write("0")
	return move


def meminfo():
	out = {}
	with open("/proc/meminfo") as f:
		for line in f:
			key, val = line.split(":", 1)
			out[key] = int(val.split()[0]) * 1024
	return out


class Modules:
	"""Which of wfqmon.ko and the noop probe are loaded."""

	def __init__(self, kver):
		self.wfqmon = f"{ROOT}/build/bench/{kver}/wfqmon/kmod/wfqmon.ko"
		self.noop = f"{ROOT}/build/bench/{kver}/noop/wfqbench_noop.ko"
		for ko in (self.wfqmon, self.noop):
			if not os.path.exists(ko):
				sys.exit(f"guest.py: {ko}: not built (run make bench)")

	@staticmethod
	def loaded(name):
		return os.path.exists("/sys/module/" + name)

	def load(self, name):
		if not self.loaded(name):
			ko = self.wfqmon if name == "wfqmon" else self.noop
			sh("insmod", ko)

	def unload(self, name):
		if self.loaded(name):
			sh("rmmod", name)


def run_pipe(loops):
	out = sh("taskset", "-c", "0", "perf", "bench", "sched", "pipe",
		 "-l", str(loops), preexec_fn=in_cgroup(CG_RUN))
	return float(re.search(r"([0-9.]+) usecs/op", out).group(1))


def run_messaging(loops):
	out = sh("taskset", "-c", "0", "perf", "bench", "sched", "messaging",
		 "-p", "-g", "1", "-l", str(loops),
		 preexec_fn=in_cgroup(CG_RUN))
	return float(re.search(r"Total time: ([0-9.]+)", out).group(1))


class Bpftrace:
	"""bench/percgroup.bt running in the background (configuration e)."""

	def __init__(self):
		self.start_s = time.monotonic()
		# Its own cgroup: its start-up must not land in the bench's.
		self.proc = subprocess.Popen(
			["bpftrace", BPFTRACE_SCRIPT], text=True,
			stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
			preexec_fn=in_cgroup(CG + "/ctl"))
		line = self.proc.stdout.readline()
		while line and "ready" not in line:
			line = self.proc.stdout.readline()
		if not line:
			sys.exit("guest.py: bpftrace did not start: " +
				 self.proc.stdout.read())
		# BEGIN runs once every probe is attached.
		self.start_s = time.monotonic() - self.start_s

	def stop(self):
		self.proc.send_signal(signal.SIGINT)
		out = self.proc.communicate(timeout=120)[0]
		m = re.findall(r"@runtime_ns\[\d+\]: (\d+)", out)
		return len(m)


def spread(values):
	return {"median": statistics.median(values), "min": min(values),
		"max": max(values), "n": len(values)}


def overhead(args, mods, state):
	"""The interleaved rounds. state['groups'] is how many groups exist."""
	times = {c: {"pipe_usecs_per_op": [], "messaging_s": []} for c in CONFIGS}
	raw = {c: {"pipe_usecs_per_op": [], "messaging_s": []} for c in CONFIGS}
	extra = {"bpftrace_start_s": [], "groups_create_s": [],
		 "bpftrace_cgroups_seen": []}
	n_many = args.groups - 1

	def measure(cfg):
		# Host load only ever adds time: keep the best of --reps runs.
		ps = [run_pipe(args.pipe_loops) for _ in range(args.reps)]
		ms = [run_messaging(args.msg_loops) for _ in range(args.reps)]
		raw[cfg]["pipe_usecs_per_op"].append(ps)
		raw[cfg]["messaging_s"].append(ms)
		p, m = min(ps), min(ms)
		times[cfg]["pipe_usecs_per_op"].append(p)
		times[cfg]["messaging_s"].append(m)
		log(f"round {r + 1}/{args.rounds} {cfg:5s} pipe {p:8.2f} us/op"
		    f" (of {' '.join(f'{x:.1f}' for x in ps)})"
		    f"  messaging {m:6.3f} s")

	def no_wfqmon():
		mods.unload("wfqmon")
		state["groups"] = 0

	def cfg_a():
		no_wfqmon()
		mods.unload("wfqbench_noop")
		measure("a")

	def cfg_noop():
		no_wfqmon()
		mods.load("wfqbench_noop")
		measure("a'")
		mods.unload("wfqbench_noop")

	def cfg_e():
		no_wfqmon()
		mods.unload("wfqbench_noop")
		bt = Bpftrace()
		extra["bpftrace_start_s"].append(bt.start_s)
		measure("e")
		extra["bpftrace_cgroups_seen"].append(bt.stop())

	def cfg_wfqmon_chain():
		"""b, c, c100, d: each adds groups to the previous one."""
		mods.unload("wfqbench_noop")
		no_wfqmon()
		mods.load("wfqmon")
		state["memory_bytes_no_groups"] = helper("stats")["memory_bytes"]
		measure("b")
		helper("bind", "run", CG_RUN)
		measure("c")
		helper("groups", CG_MANY, 0, 99)
		measure("c100")
		before = meminfo()
		t = helper("groups", CG_MANY, 99, n_many)
		after = meminfo()
		state["groups"] = args.groups
		extra["groups_create_s"].append(t["seconds"] + 0.0)
		state["meminfo_delta"] = {k: after[k] - before[k]
					  for k in ("Slab", "SUnreclaim", "Percpu",
						    "VmallocUsed") if k in after}
		state["meminfo_groups"] = n_many - 99
		measure("d")

	for r in range(args.rounds):
		if r % 2 == 0:
			cfg_a(); cfg_noop(); cfg_e(); cfg_wfqmon_chain()
		else:
			cfg_wfqmon_chain(); cfg_e(); cfg_noop(); cfg_a()

	result = {}
	for metric in ("pipe_usecs_per_op", "messaging_s"):
		base = times["a"][metric]
		result[metric] = {}
		for c in CONFIGS:
			vals = times[c][metric]
			ratios = [v / b for v, b in zip(vals, base)]
			result[metric][c] = {
				"values": vals, "runs": raw[c][metric], **spread(vals),
				"ratio_to_a": spread(ratios),
				"slowdown_pct": (statistics.median(ratios) - 1) * 100,
				# Best run of all rounds against a's best run.
				"best_slowdown_pct": (min(vals) / min(base) - 1) * 100,
			}
		# Scale: d against c in the same round (the 10% target).
		result[metric]["d_over_c"] = spread(
			[d / c for d, c in zip(times["d"][metric], times["c"][metric])])
	result["extra"] = {k: spread(v) if v else None for k, v in extra.items()}
	return result


def read_path(args):
	out = helper("read", CG_MANY, args.groups - 1, 5)
	# The same reads the way a Python monitor does them, for scale.
	n = args.groups - 1
	t0 = time.monotonic()
	for i in range(n):
		with open(f"{CG_MANY}/g{i:05d}/cpu.stat") as f:
			int(f.readline().split()[1])
	out["cpustat_python_s"] = time.monotonic() - t0
	return out


def proc_cpu_s(pid):
	"""utime + stime of pid, in seconds."""
	with open(f"/proc/{pid}/stat") as f:
		fields = f.read().rsplit(")", 1)[1].split()
	return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_kib(pid, key):
	with open(f"/proc/{pid}/status") as f:
		return int(re.search(key + r":\s+(\d+) kB", f.read()).group(1))


def exporter_scrapes(args, scrapes=5):
	"""Scrape wfqtool exporter `scrapes` times, one at a time."""
	import urllib.request
	subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
	env = dict(os.environ, WFQTOOL_CGROUP_ROOT=CG_MANY)
	proc = subprocess.Popen([WFQTOOL, "exporter", "--listen", EXPORTER_ADDR],
				env=env)
	url = f"http://{EXPORTER_ADDR}/metrics"
	try:
		for _ in range(100):
			try:
				urllib.request.urlopen(f"http://{EXPORTER_ADDR}/").read()
				break
			except OSError:
				time.sleep(0.1)
		wall, cpu, size = [], [], 0
		for _ in range(scrapes):
			c0, t0 = proc_cpu_s(proc.pid), time.monotonic()
			body = urllib.request.urlopen(url, timeout=120).read()
			wall.append(time.monotonic() - t0)
			cpu.append(proc_cpu_s(proc.pid) - c0)
			size = len(body)
		groups = body.count(b"\nwfqmon_group_info{")
		return {"groups": groups, "scrape_s": spread(wall),
			"cpu_s_per_scrape": spread(cpu), "body_bytes": size,
			"rss_kib": proc_kib(proc.pid, "VmRSS"),
			"hwm_kib": proc_kib(proc.pid, "VmHWM")}
	finally:
		proc.terminate()
		proc.wait()


def memory(state):
	stats = helper("stats")
	n = stats["nr_groups"]
	delta = state.get("meminfo_delta", {})
	ng = state.get("meminfo_groups", 0)
	empty = state.get("memory_bytes_no_groups", 0)
	return {
		"stats": stats,
		"memory_bytes_no_groups": empty,
		# Less what the module holds with no group (the task-slot table).
		"module_bytes_per_group":
			(stats["memory_bytes"] - empty) / n if n else None,
		"meminfo_delta_bytes": delta,
		"meminfo_groups_created": ng,
		"meminfo_bytes_per_group": {k: v / ng for k, v in delta.items()}
		if ng else {},
	}


def cpu_usage_usec(cg):
	with open(cg + "/cpu.stat") as f:
		return int(re.search(r"usage_usec (\d+)", f.read()).group(1))


ACCURACY_LOADS = {
	# Two spinning processes (one per vCPU when there are two).
	"cpu_hog": ["sh", "-c", "for i in 1 2; do python3 -c '\n"
		    "import time\nt = time.monotonic() + 2\n"
		    "while time.monotonic() < t: pass' & done; wait"],
	# Two tasks waking each other 20,000 times.
	"sleep_wake": ["perf", "bench", "sched", "pipe", "-l", "20000"],
	# 100 processes that each live for a moment (fork+exec is slow under TCG).
	"short_lived": ["sh", "-c", "i=0; while [ $i -lt 100 ]; do /bin/true;"
			" i=$((i + 1)); done"],
}


def accuracy(mods):
	mods.load("wfqmon")
	out = {}
	for name, argv in ACCURACY_LOADS.items():
		cg = f"{CG}/acc_{name}"
		os.mkdir(cg)
		helper("bind", "acc_" + name, cg)
		s0 = helper("stats")
		t0 = time.monotonic()
		subprocess.run(argv, check=True, stdout=subprocess.DEVNULL,
			       preexec_fn=in_cgroup(cg))
		wall = time.monotonic() - t0
		s1 = helper("stats")
		# How often each probe ran during the load (whole machine).
		hits = {k: s1[k] - s0[k]
			for k in ("switches", "runtime_events", "wakeups")}
		usage_ns = cpu_usage_usec(cg) * 1000
		g = helper("get", "acc_" + name)
		err = (g["runtime_ns"] - usage_ns) / usage_ns * 100
		out[name] = {"wall_s": wall, "cpustat_usage_ns": usage_ns,
			     "group_runtime_ns": g["runtime_ns"],
			     "quanta": g["quanta"], "forks": g["forks"],
			     "probe_hits": hits, "error_pct": err}
		log(f"accuracy {name}: group {g['runtime_ns'] / 1e6:.3f} ms, "
		    f"cpu.stat {usage_ns / 1e6:.3f} ms, error {err:+.3f}%")
	return out


def setup(args):
	for d in (CG, CG_RUN, CG + "/ctl", CG_MANY):
		os.makedirs(d, exist_ok=True)
	# The driver itself stays out of the benchmark's cgroup.
	with open(CG + "/ctl/cgroup.procs", "w") as f:
		f.write("0")
	return helper("mkcg", CG_MANY, args.groups - 1)


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--kver", default=os.uname().release)
	ap.add_argument("--out", required=True)
	ap.add_argument("--rounds", type=int, default=5)
	ap.add_argument("--reps", type=int, default=5)
	ap.add_argument("--pipe-loops", type=int, default=4000)
	ap.add_argument("--msg-loops", type=int, default=60)
	ap.add_argument("--groups", type=int, default=10000)
	# What guest time means: "icount" (instructions) or "tcg" (real time).
	ap.add_argument("--clock", choices=["icount", "tcg"], default="tcg")
	args = ap.parse_args()

	mods = Modules(args.kver)
	t0 = time.monotonic()
	doc = {"kernel": args.kver, "uname": " ".join(os.uname()),
	       "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
	       "params": vars(args), "clock": args.clock,
	       "nproc": os.cpu_count()}
	doc["setup"] = {"mkcg": setup(args)}
	log(f"{args.groups - 1} cgroups in {doc['setup']['mkcg']['seconds']:.2f} s")
	# One unmeasured run of each so that caches and page tables settle.
	run_pipe(args.pipe_loops)
	run_messaging(args.msg_loops)
	state = {"groups": 0}
	doc["overhead"] = overhead(args, mods, state)
	# The last round may have ended without the groups: make them again.
	if state["groups"] != args.groups:
		mods.unload("wfqmon")
		mods.load("wfqmon")
		helper("bind", "run", CG_RUN)
		helper("groups", CG_MANY, 0, args.groups - 1)
	doc["read"] = read_path(args)
	log(f"read path: dump of {doc['read']['dump_groups']} groups "
	    f"{doc['read']['dump_s']['median'] * 1e3:.1f} ms, cpu.stat of "
	    f"{doc['read']['cgroups']} cgroups "
	    f"{doc['read']['cpustat_s']['median'] * 1e3:.1f} ms")
	doc["exporter"] = exporter_scrapes(args)
	log(f"exporter: {doc['exporter']['groups']} groups, scrape "
	    f"{doc['exporter']['scrape_s']['median'] * 1e3:.0f} ms, CPU "
	    f"{doc['exporter']['cpu_s_per_scrape']['median'] * 1e3:.0f} ms, "
	    f"RSS {doc['exporter']['rss_kib']} KiB")
	doc["memory"] = memory(state)
	mods.unload("wfqmon")
	doc["accuracy"] = accuracy(mods)
	mods.unload("wfqmon")
	doc["elapsed_s"] = time.monotonic() - t0
	with open(args.out, "w") as f:
		json.dump(doc, f, indent=1)
	log(f"done in {doc['elapsed_s']:.0f} s: {args.out}")


if __name__ == "__main__":
	main()
