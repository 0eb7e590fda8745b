#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 8 needs no VM: labs/lab.sh runs this instead of a guest.
#
#   host.sh           grade student/wfq.c, then replay lab 3's record with it
#   host.sh --check   CI: the grader passes the reference and fails the
#                     untouched skeleton and a wrong tie rule ("ok - ..."
#                     lines, labreport's format)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project=${here%/labs/*}
build=$project/build/tools

# graded NAME FILE: grade FILE, built apart; print the grader's verdict,
# "all" or "some" cases matched, or "none" if it did not run (a build
# error: see the log).
graded() {
	local log=$build/lab8-$1.log matched of
	make -s -C "$project/tools" lab8-check LAB8_POLICY="$2" \
		LAB8_BUILD="$build/lab8-$1" >"$log" 2>&1
	read -r _ _ matched _ of _ < <(grep -E '^lab 8: [0-9]+ of [0-9]+ cases' "$log")
	if [ -z "${of:-}" ]; then echo none; elif [ "$matched" = "$of" ]; then echo all; else echo some; fi
}

point() { # point GOT WANT TEXT
	if [ "$1" = "$2" ]; then echo "ok - $3"; else echo "not ok - $3"; fi
	[ "$1" = "$2" ]
}

if [ "${1:-}" = --check ]; then
	mkdir -p "$build"
	failed=0
	point "$(graded reference "$project/tools/sim_policy.c")" all "lab8: the reference pick and catch-up pass the grader" || failed=1
	point "$(graded skeleton "$here/student/wfq.c")" some "lab8: the untouched skeleton fails the grader" || failed=1
	# Ties to the last group instead of the first: the rule is graded.
	wrong=$build/lab8-ties-last.c
	sed 's/vtime < g\[best\]\.vtime/vtime <= g[best].vtime/' \
		"$project/tools/sim_policy.c" >"$wrong"
	if cmp -s "$wrong" "$project/tools/sim_policy.c"; then
		point none some "lab8: a pick that breaks ties the wrong way fails the grader (the mutation no longer applies)"
		failed=1
	else
		point "$(graded ties-last "$wrong")" some "lab8: a pick that breaks ties the wrong way fails the grader" || failed=1
	fi
	exit "$failed"
fi

make -s -C "$project/tools" lab8-check
status=$?
# The student's own lab 3 run if there is one, else the shipped record.
recs=("$project"/build/labs/lab3/*/events.jsonl)
if [ -e "${recs[0]}" ]; then rec=$(dirname "${recs[0]}"); else rec=$here/lab3-record; fi
echo
python3 "$here/replay.py" "$build/lab8/wfqtool" "$rec" || status=1
exit "$status"
