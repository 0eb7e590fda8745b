#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The longest section wfqmon runs with interrupts off for its virtual-time
# lock, with N groups active and a reader hammering STATS_GET; as root in
# the test VM (Documentation/performance.rst, "Interrupts off"):
#
#   bench/irqoff.sh MODULE.ko [N] [SECONDS]      N 10000, SECONDS 5
#
# N cgroups each get a group and a task that stays runnable on CPU 0
# behind a SCHED_FIFO spinner (RT throttling off for those seconds), so
# all N groups are active and nothing is charged. Then, with the module's
# debug_lock_timing set, wfqbench hammers STATS_GET from CPU 1. Prints one
# JSON object: the module's debug_lock_max_ns and the reader's latencies.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
ko=${1:?usage: bench/irqoff.sh MODULE.ko [N] [SECONDS]}
n=${2:-10000} secs=${3:-5}
bench=build/bench/wfqbench
cg=/sys/fs/cgroup/wfqirqoff
params=/sys/module/wfqmon/parameters
rt=/proc/sys/kernel/sched_rt_runtime_us
rt_old=$(cat "$rt")
spinner=

cleanup() {
	[ -n "$spinner" ] && kill "$spinner" 2>/dev/null
	echo "$rt_old" >"$rt"
	if [ -d "$cg/many" ]; then
		echo 1 >"$cg/many/cgroup.kill"
		while grep -q 'populated 1' "$cg/many/cgroup.events"; do sleep 0.2; done
	fi
	rmmod wfqmon 2>/dev/null || true
	[ -d "$cg/many" ] && "$bench" rmcg "$cg/many" "$n" >/dev/null
	rmdir "$cg/many" "$cg" 2>/dev/null || true
}
trap cleanup EXIT

insmod "$ko"
mkdir -p "$cg/many"
"$bench" mkcg "$cg/many" "$n" >/dev/null
"$bench" groups "$cg/many" 0 "$n" >/dev/null
# The children first (they block), then the spinner, then wake them: the
# spinner holds CPU 0 for seconds only (RCU needs that CPU too).
tmp=$(mktemp -d)
mkfifo "$tmp/gate"
taskset -c 1 "$bench" runnable "$cg/many" "$n" 0 <"$tmp/gate" >"$tmp/out" &
runner=$!
exec 3>"$tmp/gate"
until grep -q children "$tmp/out"; do sleep 0.5; done
echo -1 >"$rt"
taskset -c 0 chrt -f 1 sh -c 'while :; do :; done' &
spinner=$!
sleep 0.5
echo go >&3
exec 3>&-
wait "$runner"
rm -r "$tmp"
sleep 1
echo 0 >"$params/debug_lock_max_ns"
echo 1 >"$params/debug_lock_timing"
reader=$(taskset -c 1 "$bench" hammer "$secs")
echo 0 >"$params/debug_lock_timing"
kill "$spinner"
spinner=
echo "$rt_old" >"$rt"
printf '{"groups": %s, "lock_max_ns": %s, "reader": %s}\n' \
	"$n" "$(cat "$params/debug_lock_max_ns")" "$reader"
