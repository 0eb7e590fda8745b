#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Take wfqmon's hot-path cost apart (an experiment, not part of make bench).

    bench/variants.py build KVER KDIR        (host) build the variants
    bench/variants.py run OUT.json [ROUNDS]  (guest) time them

`build` copies kmod/ into build/bench/<KVER>/variants/<name>/ and makes one
change per variant (each edit checks that its text is still there, so a
changed kmod/ fails loudly instead of measuring something else):

  base       unchanged
  noquantum  no per-quantum accounting (count, histograms, maxima, wait)
  noslots    no runnable counting (task slots) at block, wake-up, switch-in
  nocharge   no charging at all (runtime, vtime)
  nowakeup   no wake-up probes (tasks counted at switch-in instead)

Each removal's saving is what that part of the hot path costs.

`run` (in the VM, after make bench built the noop probe and wfqbench)
times `taskset -c 0 perf bench sched pipe -l 4000`, 5 runs per
configuration and round, rounds in alternating order, and prints the
slowdowns against no probe as best / p25 / median of per-round ratios.
Use it through vm/run.sh, with --icount so that the times count guest
instructions and two runs agree to about 0.1%:

    python3 bench/variants.py build 6.1.0-57-amd64 "$KDIR"
    vm/run.sh --kernel 6.1 --icount --out build/bench/vout -- \\
        python3 bench/variants.py run build/bench/vout/variants.json 2
"""

import json
import os
import shutil
import statistics
import subprocess
import sys

import guest as G

ROOT = G.ROOT
EDITS = {
	"base": [],
	"noquantum": [("probes.c", "\t\tif (g)\n\t\t\twfq_account_quantum(g,",
		       "\t\tif (0 && g)\n\t\t\twfq_account_quantum(g,")],
	"noslots": [("probes.c", "\t\twfq_task_blocked(prev,",
		     "\t\tif (0) wfq_task_blocked(prev,"),
		    ("probes.c", "\t\t\twfq_task_runnable(next, g, gen);",
		     "\t\t\tif (0) wfq_task_runnable(next, g, gen);"),
		    ("probes.c", "\twfq_task_runnable(p, g, gen);\n\tcq->counted",
		     "\tif (0) wfq_task_runnable(p, g, gen);\n\tcq->counted")],
	"nocharge": [("quantum.h", "\tif (g && delta) {",
		      "\tif (0 && g && delta) {")],
	"nowakeup": [("probes.c", '\t{ "sched_wakeup", wfq_probe_wakeup },\n'
		      '\t{ "sched_wakeup_new", wfq_probe_wakeup },\n', "")],
}
CONFIGS = ["a", "a'", "base-b", "base-c", "noquantum-c", "noslots-c",
	   "nocharge-c", "nowakeup-c"]
LOOPS, REPS = 4000, 5


def variants_dir(kver):
	return f"{ROOT}/build/bench/{kver}/variants"


def build(kver, kdir):
	for name, edits in EDITS.items():
		out = f"{variants_dir(kver)}/{name}"
		shutil.rmtree(out, ignore_errors=True)
		shutil.copytree(f"{ROOT}/kmod", f"{out}/kmod")
		os.makedirs(f"{out}/uapi/linux")
		shutil.copy(f"{ROOT}/uapi/linux/wfqmon.h", f"{out}/uapi/linux/")
		shutil.copy(f"{ROOT}/Kbuild", out)
		for file, old, new in edits:
			path = f"{out}/kmod/{file}"
			with open(path) as f:
				text = f.read()
			if old not in text:
				sys.exit(f"variants: {name}: {file} changed, edit does not apply")
			with open(path, "w") as f:
				f.write(text.replace(old, new))
		subprocess.run(["make", "-C", kdir, f"M={out}", "modules"],
			       check=True, stdout=subprocess.DEVNULL)
		print(f"{out}/kmod/wfqmon.ko")


def setup(kver, cfg):
	for mod in ("wfqmon", "wfqbench_noop"):
		if os.path.exists("/sys/module/" + mod):
			G.sh("rmmod", mod)
	if cfg == "a'":
		G.sh("insmod", f"{ROOT}/build/bench/{kver}/noop/wfqbench_noop.ko")
	elif cfg != "a":
		name, mode = cfg.split("-")
		G.sh("insmod", f"{variants_dir(kver)}/{name}/kmod/wfqmon.ko")
		if mode == "c":
			G.helper("bind", "run", G.CG_RUN)


def quartile1(v):
	v = sorted(v)
	return v[max(0, -(-len(v) // 4) - 1)]


def run(out, rounds):
	kver = os.uname().release
	for d in (G.CG, G.CG_RUN, G.CG + "/ctl"):
		os.makedirs(d, exist_ok=True)
	with open(G.CG + "/ctl/cgroup.procs", "w") as f:
		f.write("0")
	runs = {c: [] for c in CONFIGS}
	G.run_pipe(LOOPS)
	for r in range(rounds):
		for cfg in CONFIGS if r % 2 == 0 else CONFIGS[::-1]:
			setup(kver, cfg)
			xs = [G.run_pipe(LOOPS) for _ in range(REPS)]
			runs[cfg].append(xs)
			G.log(f"round {r + 1} {cfg:10s} " +
			      " ".join(f"{x:.1f}" for x in xs))
	setup(kver, "a")
	flat = {c: [x for xs in runs[c] for x in xs] for c in CONFIGS}
	best = {c: [min(xs) for xs in runs[c]] for c in CONFIGS}
	summary = {}
	for c in CONFIGS:
		ratios = [x / a for x, a in zip(best[c], best["a"])]
		summary[c] = {
			"best_pct": (min(flat[c]) / min(flat["a"]) - 1) * 100,
			"p25_pct": (quartile1(flat[c]) / quartile1(flat["a"]) - 1) * 100,
			"median_round_pct": (statistics.median(ratios) - 1) * 100,
		}
		s = summary[c]
		print(f"{c:10s} best {s['best_pct']:+6.1f}%  p25 {s['p25_pct']:+6.1f}%"
		      f"  median of rounds {s['median_round_pct']:+6.1f}%")
	with open(out, "w") as f:
		json.dump({"kernel": kver, "loops": LOOPS, "reps": REPS,
			   "rounds": rounds, "runs": runs, "summary": summary}, f,
			  indent=1)


def main():
	if len(sys.argv) == 4 and sys.argv[1] == "build":
		build(sys.argv[2], sys.argv[3])
	elif len(sys.argv) in (3, 4) and sys.argv[1] == "run":
		run(sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 6)
	else:
		sys.exit(__doc__)


if __name__ == "__main__":
	main()
