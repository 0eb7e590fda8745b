#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 5, in the VM: core pinning. Two groups, a (weight 100) and
# b (weight 300), in four scenarios, each with CPU hogs:
#   shared     both pinned to CPU 0, one hog each: the weights split CPU 0
#   disjoint   a on CPU 0, b on CPU 1, one hog each: nothing to split
#   unpinned   both may use CPUs 0-1, one hog each: still nothing to split
#   contended  both may use CPUs 0-1, two hogs each: the weights split both
# For each, after a warm-up, sample.py reads `wfqtool show --per-cpu --json`
# of both groups at the start and at the end of a window.
# Writes into $WFQ_OUT:
#   kernel.json       kernel release, date, CPUs
#   SCENARIO.json     per group: weight, cpus, hogs, the two readings and
#                     their CLOCK_MONOTONIC times
# Usage: guest.sh KO [WINDOW_SECONDS]
set -euo pipefail
# shellcheck source=labs/lib/guest.sh
source "$(dirname "$0")/../lib/guest.sh"
lab_init lab5 "${1:?usage: guest.sh KO [WINDOW_SECONDS]}"
lab_kernel_info "$LAB_OUT/kernel.json"
here=$(dirname "$0")
window=${2:-${LAB5_WINDOW:-6}}
warmup=2

if [ "$(nproc)" -lt 2 ]; then
	echo "lab5: needs 2 CPUs, the VM has $(nproc)" >&2
	exit 1
fi

# scenario NAME SPEC...: SPEC is GROUP:WEIGHT:CPUS:HOGS.
scenario() {
	local name=$1 spec g w cpus hogs i
	shift
	echo "lab5: $name: $*"
	local groups=()
	for spec in "$@"; do
		IFS=: read -r g w cpus hogs <<<"$spec"
		lab_create "$name-$g" --weight "$w" --cpus "$cpus"
		for ((i = 0; i < hogs; i++)); do
			lab_hog "$name-$g"
		done
		groups+=("$name-$g:$hogs")
	done
	sleep "$warmup"
	python3 "$here/sample.py" "$WFQTOOL" "$window" "$LAB_OUT/$name.json" \
		"${groups[@]}"
	for spec in "$@"; do
		"$WFQTOOL" destroy --kill "$name-${spec%%:*}" >/dev/null
	done
}

scenario shared a:100:0:1 b:300:0:1
scenario disjoint a:100:0:1 b:300:1:1
scenario unpinned a:100:0-1:1 b:300:0-1:1
scenario contended a:100:0-1:2 b:300:0-1:2
echo "lab5: results in $LAB_OUT"
