#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 2, in the VM: proportional share on one CPU. Groups of weights
# 100:200 (1:2), then 100:200:300 (1:2:3), then group a's weight changed
# live to 600 (6:2:3), each group a CPU hog pinned to CPU 0. The report
# sampler and `wfqtool top` run on CPU 1, off the contended CPU.
# Writes into $WFQ_OUT:
#   kernel.json              kernel release, date
#   phase1.jsonl             wfqtool report --json, 1 s windows, a:b
#   phase2.jsonl             the same, a:b:c, with the weight change inside
#   phases.json              weights, start of each phase and time of the
#                            change (CLOCK_REALTIME ns)
#   top.txt                  one frame of wfqtool top after the change
# Usage: guest.sh KO
set -euo pipefail
# shellcheck source=labs/lib/guest.sh
source "$(dirname "$0")/../lib/guest.sh"
lab_init lab2 "${1:?usage: guest.sh KO}"
lab_kernel_info "$LAB_OUT/kernel.json"

phase1_windows=8 phase2_windows=16 change_after=7 new_weight=600
report() { taskset -c 1 "$WFQTOOL" report --json --interval 1 --count "$1"; }

echo "lab2: phase 1: a (weight 100) and b (weight 200) on CPU 0"
lab_create a --weight 100 --cpus 0
lab_create b --weight 200 --cpus 0
lab_hog a
lab_hog b
sleep 1
p1_start=$(date +%s%N)
report "$phase1_windows" >"$LAB_OUT/phase1.jsonl"

echo "lab2: phase 2: c (weight 300) joins; after ${change_after} s a's weight becomes $new_weight"
lab_create c --weight 300 --cpus 0
lab_hog c
sleep 1
p2_start=$(date +%s%N)
report "$phase2_windows" >"$LAB_OUT/phase2.jsonl" &
sampler=$!
sleep "$change_after"
change=$(date +%s%N)
"$WFQTOOL" set a --weight "$new_weight"
sleep 2
echo "\$ wfqtool top --count 1 --sort weight"
taskset -c 1 "$WFQTOOL" top --count 1 --sort weight | tee "$LAB_OUT/top.txt"
wait "$sampler"

cat >"$LAB_OUT/phases.json" <<JSON
{"phase1": {"start_ns": $p1_start, "weights": {"a": 100, "b": 200}},
 "phase2": {"start_ns": $p2_start, "weights": {"a": 100, "b": 200, "c": 300}},
 "change": {"time_ns": $change, "group": "a", "weight": $new_weight}}
JSON
echo "lab2: results in $LAB_OUT"
