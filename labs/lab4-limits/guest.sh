#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 4, in the VM: a hard limit (cpu.max) against weights alone. Two
# groups of weight 100 on CPU 0: `a` a CPU hog, `b` busy 2 s then idle 2 s.
# Two runs of SECONDS each, into $WFQ_OUT/RUN/:
#   weights  no limit: while b idles, a may take the whole CPU
#   capped   a limited to cpu.max 50000/100000 (half a CPU)
# Per run:
#   samples.jsonl  wfqtool report --json in 250 ms windows, each with CPU
#                  0's /proc/stat ticks and cpu.stat of a and b (on CPU 1)
#   phases.jsonl   b's switches between busy and idle (CLOCK_REALTIME)
#   list.json      wfqtool list --json at the end of the run
# and kernel.json (release, date, CPUs).
# Usage: guest.sh KO [SECONDS]
set -euo pipefail

ko=${1:?usage: guest.sh KO [SECONDS]}
secs=${2:-${LAB4_SECONDS:-20}}
here=$(dirname "$0")
# shellcheck source=labs/lib/guest.sh
. "$here/../lib/guest.sh"
lab_init lab4 "$ko"
work=(python3 "$here/workload.py")
cap=50000/100000

lab_kernel_info "$LAB_OUT/kernel.json"
for run in weights capped; do
	dir=$LAB_OUT/$run
	rm -rf "$dir"
	mkdir -p "$dir"
	limit=()
	[ "$run" = weights ] || limit=(--cpu-max "$cap")
	lab_create a --weight 100 --cpus 0 "${limit[@]}"
	lab_create b --weight 100 --cpus 0
	lab_hog a
	lab_bg "$WFQTOOL" run b -- "${work[@]}" onoff 2 2 "$dir/phases.jsonl"
	echo "lab4: $run: a ${limit[*]:-unlimited}, b 2 s busy / 2 s idle, $secs s"
	# The sampler stays off CPU 0, where the two groups compete.
	taskset -c 1 "${work[@]}" sample "$WFQTOOL" "$dir/samples.jsonl" 0.25 \
		$((secs * 4)) 0 "$WFQTOOL_CGROUP_ROOT/a" "$WFQTOOL_CGROUP_ROOT/b"
	"$WFQTOOL" list --json >"$dir/list.json"
	"$WFQTOOL" list
	"$WFQTOOL" destroy --kill a
	"$WFQTOOL" destroy --kill b
done
echo "lab4: recorded into $LAB_OUT"
