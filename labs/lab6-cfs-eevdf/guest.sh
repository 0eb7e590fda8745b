#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 6, in the VM: a latency-sensitive sleeper (wakes every 10 ms, runs
# 1 ms) against two CPU hogs, each in its own group of weight 100, all on
# CPU 0, in turns with the same sleeper asking for a 0.1 ms slice; then a
# group that returns from 500 ms asleep to a 30 ms burst against one hog.
# Records into $WFQ_OUT:
#   kernel.json                 release, date, CPUs
#   sched.json                  the scheduler's tunables (debugfs)
#   PHASE-before.json, PHASE-after.json
#                               wfqtool list --json around each phase
#                               (PHASE: sleeper-R and short-R for rounds
#                               R = 1..$LAB6_ROUNDS, returner)
#   PHASE.json                  the workload's own measurements
#   phases.json                 each phase's start and end (CLOCK_REALTIME ns)
# Usage: guest.sh KO [SLEEPER_SECONDS]   (in all; the short phase: 3/5 of it)
set -euo pipefail

ko=${1:?usage: guest.sh KO [SLEEPER_SECONDS]}
secs=${2:-${LAB6_SECONDS:-25}}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=labs/lib/guest.sh
. "$here/../lib/guest.sh"
load=$PWD/build/labs/bin/lab6load
[ -x "$load" ] || { echo "lab6: $load: not built (make -C labs/lab6-cfs-eevdf)" >&2; exit 1; }

lab_init lab6 "$ko"
lab_kernel_info "$LAB_OUT/kernel.json"

# The tunables the answer key explains: CFS's latency/granularities
# (6.1) or EEVDF's base slice (6.12), and the feature bits.
sched_json() {
	local d=/sys/kernel/debug/sched f sep=''
	[ -d $d ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
	printf '{'
	for f in latency_ns min_granularity_ns wakeup_granularity_ns base_slice_ns; do
		[ -r "$d/$f" ] || continue
		printf '%s"%s":%s' "$sep" "$f" "$(<"$d/$f")"
		sep=,
	done
	[ ! -r $d/features ] || printf '%s"features":"%s"' "$sep" "$(<$d/features)"
	printf '}\n'
}
sched_json >"$LAB_OUT/sched.json"
cat "$LAB_OUT/sched.json"

# wfqtool and the recorders stay on CPU 1, off the CPU the groups share.
snap() { taskset -c 1 "$WFQTOOL" list --json >"$LAB_OUT/$1.json"; }
now() { date +%s%N; }

phases=()
# phase NAME CMD...: snapshot, run CMD (the phase's workload) to its end,
# snapshot again, remember the span.
phase() {
	local name=$1 t0 t1
	shift
	echo "lab6: phase $name"
	snap "$name-before"
	t0=$(now)
	"$@"
	t1=$(now)
	snap "$name-after"
	phases+=("\"$name\":{\"start_ns\":$t0,\"end_ns\":$t1}")
}

for g in hog1 hog2 sleeper short returner; do
	lab_create "$g" --weight 100 --cpus 0
done
lab_bg "$WFQTOOL" run hog1 -- "$load" hog
lab_bg "$WFQTOOL" run hog2 -- "$load" hog
sleep 1

# The two sleeper phases alternate in rounds, so that a change in the
# host's load (which stalls the emulated CPU) falls on both, not on the
# one that happened to run then. The report adds the rounds up.
rounds=${LAB6_ROUNDS:-5}
long=$((secs / rounds)) short=$((secs * 3 / 5 / rounds))
[ "$long" -ge 1 ] || long=1
[ "$short" -ge 1 ] || short=1
for r in $(seq "$rounds"); do
	phase "sleeper-$r" "$WFQTOOL" run sleeper -- \
		"$load" sleeper 10000 1000 "$long" "$LAB_OUT/sleeper-$r.json"
	phase "short-$r" "$WFQTOOL" run short -- \
		"$load" sleeper 10000 1000 "$short" "$LAB_OUT/short-$r.json" 100
done

# One hog left: the returning group meets a single competitor.
"$WFQTOOL" destroy --kill hog2 >/dev/null
sleep 0.5
phase returner "$WFQTOOL" run returner -- \
	"$load" returner 500 30 10 "$LAB_OUT/returner.json"

(IFS=,; printf '{%s}\n' "${phases[*]}") >"$LAB_OUT/phases.json"
"$WFQTOOL" list
echo "lab6: recorded into $LAB_OUT"
