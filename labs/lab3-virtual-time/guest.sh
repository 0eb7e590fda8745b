#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 3, in the VM: an I/O-like group (100 ms of CPU, then 400 ms asleep)
# against a CPU hog, equal weights, both on CPU 0. Records into $WFQ_OUT:
#   events.jsonl   wfqtool events --json (active/idle of each group)
#   samples.jsonl  wfqtool list --json every 200 ms (s_i, catch-ups)
#   list.json      wfqtool list --json at the end of the run
#   times.json     the run's start and end (CLOCK_REALTIME ns)
# Usage: guest.sh KO [SECONDS]
set -euo pipefail

ko=${1:?usage: guest.sh KO [SECONDS]}
secs=${2:-${LAB3_SECONDS:-20}}
out=${WFQ_OUT:?WFQ_OUT must name the output directory}
here=$(dirname "$0")
wfqtool=$PWD/build/tools/wfqtool
work=(python3 "$here/workload.py")
export WFQTOOL_CGROUP_ROOT=/sys/fs/cgroup/wfqlab3

# Finer active/idle notifications than the default 100 ms: the replay
# knows the run state only at that resolution.
if [ ! -d /sys/module/wfqmon ]; then
	insmod "$ko" event_interval_ms=10
fi
echo "event_interval_ms=$(cat /sys/module/wfqmon/parameters/event_interval_ms)"

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	"$wfqtool" destroy --kill hog 2>/dev/null || true
	"$wfqtool" destroy --kill io 2>/dev/null || true
}
trap cleanup EXIT

mkdir -p "$out"
rm -f "$out"/events.jsonl "$out"/samples.jsonl
# The recorders stay off CPU 0, where the two groups compete.
taskset -c 1 "$wfqtool" events --json --timeout $((secs + 30)) \
	>"$out/events.jsonl" &
pids+=($!)
sleep 1
start=$(date +%s%N)
"$wfqtool" create hog --weight 100 --cpus 0
"$wfqtool" create io --weight 100 --cpus 0
"$wfqtool" run hog -- "${work[@]}" hog &
pids+=($!)
"$wfqtool" run io -- "${work[@]}" io 100 400 &
pids+=($!)
taskset -c 1 "${work[@]}" sample "$wfqtool" "$out/samples.jsonl" 0.2 "$secs"
"$wfqtool" list --json >"$out/list.json"
end=$(date +%s%N)
printf '{"start_ns":%s,"end_ns":%s,"cpus":"0","io_run_ms":100,"io_sleep_ms":400}\n' \
	"$start" "$end" >"$out/times.json"
"$wfqtool" destroy --kill hog
"$wfqtool" destroy --kill io
sleep 1
"$wfqtool" list
echo "lab3: recorded $secs s into $out"
