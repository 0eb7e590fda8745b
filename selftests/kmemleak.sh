#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kmemleak around a test run on the debug kernel (vm/debug-kernel.sh), as root in
# the test VM:
#
#   selftests/kmemleak.sh start    before the tests: leaks already reported (the
#                                  boot's) are cleared, so only new ones count
#   selftests/kmemleak.sh check    after the module is unloaded: scans, then
#                                  prints "ok - kmemleak: ..." or "not ok - ..."
#                                  with the reports; exits 1 on any leak
#
# kmemleak reports an object only once it is older than 5 s and a scan found no
# pointer to it, and only the second scan reports what the first one saw
# unreferenced: hence the wait and the two scans. Each of start and check took
# 23-28 s in the TCG test VM (one scan of the debug kernel's memory ~9 s).
# Nothing is filtered: every report after start counts, whoever leaked it (proven
# with a throwaway module leaking one kmalloc: check printed its object and failed).
set -uo pipefail

debugfs=/sys/kernel/debug
knob=$debugfs/kmemleak
min_age_s=6

mountpoint -q "$debugfs" || mount -t debugfs debugfs "$debugfs" 2>/dev/null

result() {	# result STATUS TEXT
	if [ "$1" = 0 ]; then
		echo "ok - kmemleak: $2"
	else
		echo "not ok - kmemleak: $2"
	fi
}

if [ ! -w "$knob" ]; then
	result 1 "no $knob (kernel without CONFIG_DEBUG_KMEMLEAK, or kmemleak disabled)"
	exit 1
fi

scan() {
	echo scan >"$knob" || return 1
}

case ${1:-} in
start)
	# Report what is already there once, then forget it.
	if ! scan || ! scan || ! echo clear >"$knob"; then
		result 1 "cannot scan and clear $knob"
		exit 1
	fi
	;;
check)
	start=$SECONDS
	sleep "$min_age_s"
	if ! scan || ! scan; then
		result 1 "scan failed (kmemleak disabled itself? see dmesg)"
		exit 1
	fi
	report=$(cat "$knob")
	if [ -n "$report" ]; then
		while IFS= read -r line; do echo "# $line"; done <<<"$report"
		result 1 "$(grep -c '^unreferenced object' <<<"$report") unreferenced objects"
		exit 1
	fi
	result 0 "no unreferenced objects ($((SECONDS - start)) s to scan)"
	;;
*)
	echo "usage: $0 start|check" >&2
	exit 2
	;;
esac
