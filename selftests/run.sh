#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the wfqmon selftests as root, normally inside the test VM:
#
#   vm/run.sh --kernel 6.1 -- selftests/run.sh [MODULE.ko] [TEST...]
#
# MODULE defaults to build/$WFQ_KVER/kmod/wfqmon.ko (WFQ_KVER: uname -r);
# TEST picks binaries of build/selftests/ (default: all; make -C selftests
# builds them). Loads the module, runs the tests (their KTAP passes
# through), then limits_test with the module reloaded with a small
# max_groups, then unload_test, which rmmods the module under load.
# Ends with one line "N passed, N failed[, N skipped]" summing every test;
# exits non-zero if any failed.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
kver=${WFQ_KVER:-$(uname -r)}
ko=${1:-build/$kver/kmod/wfqmon.ko}
[ $# -gt 0 ] && shift
bin=build/selftests
# A test binary that hangs past this is killed and counted as failed.
test_timeout=900

passed=0 failed=0 skipped=0
result() {	# result STATUS NAME
	if [ "$1" = 0 ]; then
		passed=$((passed + 1)); echo "ok - $2"
	else
		failed=$((failed + 1)); echo "not ok - $2"
	fi
}

finish() {
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
	exit
}

# Run one harness binary (or CMD); add its "# Totals:" line to ours.
run_test() {	# run_test NAME [CMD...]: CMD defaults to $bin/NAME
	local log totals status p f s xf xp e start=$SECONDS
	log=$(mktemp)
	if [ $# -gt 1 ]; then
		timeout "$test_timeout" "${@:2}" 2>&1 | tee "$log"
	else
		timeout "$test_timeout" "$bin/$1" 2>&1 | tee "$log"
	fi
	status=${PIPESTATUS[0]}
	# Where the suite's minutes go (scripts/check.sh sums them per kernel).
	echo "# time: $1: $((SECONDS - start)) s"
	totals=$(grep -E '^# Totals: ' "$log" | tail -n 1)
	rm -f "$log"
	if [ -z "$totals" ]; then
		result 1 "$1 ended without totals (exit status $status)"
		return
	fi
	# No process substitution: the guest may have no /dev/fd.
	read -r p f xf xp s e <<<"$(echo "$totals" |
		sed -E 's/.*pass:([0-9]+) fail:([0-9]+) xfail:([0-9]+) xpass:([0-9]+) skip:([0-9]+) error:([0-9]+).*/\1 \2 \3 \4 \5 \6/')"
	passed=$((passed + p + xf)) failed=$((failed + f + xp + e))
	skipped=$((skipped + s))
	# Totals can look clean when the binary died between tests.
	[ "$status" = 0 ] || [ "$f" -gt 0 ] ||
		result 1 "$1 exited with status $status"
}

if [ "$(id -u)" != 0 ]; then
	echo "run.sh: needs root: run it in the VM (vm/run.sh -- selftests/run.sh)" >&2
	result 1 "running as root"
	finish
fi

# selftests/wfqtool_test.sh, the CLI end to end, exporter_test.sh,
# the exporter under a real Prometheus, watch_test.sh, bind and watch,
# hierarchy_test.sh, the ideal along a real tree, and containers_test.sh,
# real Podman and LXC containers: in the default run, or when named as a
# TEST.
run_wfqtool=1 run_exporter=1 run_watch=1 run_hierarchy=1 run_containers=1
# WFQ_CONTAINERS=0 leaves the containers out of a default run: check.sh
# runs them on Debian's own kernels only (minutes each under TCG).
[ "${WFQ_CONTAINERS:-1}" = 0 ] && run_containers=0
# WFQ_TOOLS=0 leaves out the user tools' end-to-end tests (wfqtool_test.sh,
# watch_test.sh, exporter_test.sh): check.sh runs them on Debian's 6.1 and
# 6.12. The C tests drive the same module paths on every kernel, and on the
# debug kernel these three took seven of its fourteen minutes.
[ "${WFQ_TOOLS:-1}" = 0 ] && run_wfqtool=0 run_watch=0 run_exporter=0
if [ $# -gt 0 ]; then
	run_wfqtool=0 run_exporter=0 run_watch=0 run_hierarchy=0 run_containers=0 tests=()
	for t in "$@"; do
		if [ "$t" = wfqtool_test.sh ]; then
			run_wfqtool=1
		elif [ "$t" = exporter_test.sh ]; then
			run_exporter=1
		elif [ "$t" = watch_test.sh ]; then
			run_watch=1
		elif [ "$t" = hierarchy_test.sh ]; then
			run_hierarchy=1
		elif [ "$t" = containers_test.sh ]; then
			run_containers=1
		else
			tests+=("$t")
		fi
	done
else
	tests=()
	for t in "$bin"/*_test; do
		case ${t##*/} in
		limits_test | unload_test) ;;
		# Only in a one-thread VM (scripts/check.sh): vm/run.sh --one-thread.
		reload_test) ;;
		*) [ -x "$t" ] && tests+=("${t##*/}") ;;
		esac
	done
	tests+=(limits_test unload_test)
fi
for t in "${tests[@]}"; do
	if [ ! -x "$bin/$t" ]; then
		result 1 "$bin/$t is built (make -C selftests)"
		finish
	fi
done

# rmmod, waiting a little if the module is still in use: a dump holds a
# module reference until its socket closes, and a test's last child may
# still be exiting with a copy of that socket. Prints the refcount if it
# never lets go.
unload() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		rmmod wfqmon 2>/dev/null && return 0
		[ -d /sys/module/wfqmon ] || return 0
		sleep 0.5
	done
	echo "# rmmod wfqmon: still in use (refcnt $(cat /sys/module/wfqmon/refcnt 2>&1))"
	rmmod wfqmon
}

# reload_test loads the module file itself; accounting_test a helper
# module built next to it (scripts/build-module.sh).
WFQ_KO=$(realpath "$ko")
WFQ_TEST_KMOD=$(realpath -m "${WFQ_KO%/*}/../selftests/kmod")
export WFQ_KO WFQ_TEST_KMOD

# A module left from an earlier run would shadow the one under test.
[ -d /sys/module/wfqmon ] && unload
insmod "$ko"
result $? "insmod $ko"
[ "$failed" -eq 0 ] || finish

# It reloads the module once, to see the message when it is missing.
if [ "$run_wfqtool" = 1 ]; then
	echo "# ---- wfqtool_test.sh"
	run_test wfqtool_test.sh selftests/wfqtool_test.sh "$ko"
fi
if [ "$run_exporter" = 1 ]; then
	echo "# ---- exporter_test.sh"
	run_test exporter_test.sh selftests/exporter_test.sh
fi
if [ "$run_watch" = 1 ]; then
	echo "# ---- watch_test.sh"
	run_test watch_test.sh selftests/watch_test.sh
fi
if [ "$run_hierarchy" = 1 ]; then
	echo "# ---- hierarchy_test.sh"
	run_test hierarchy_test.sh selftests/hierarchy_test.sh
fi
if [ "$run_containers" = 1 ]; then
	echo "# ---- containers_test.sh"
	run_test containers_test.sh selftests/containers_test.sh
fi

# Small enough that limits_test can fill it under emulation.
limit_groups=64
for t in "${tests[@]}"; do
	if [ "$t" = limits_test ]; then
		unload && insmod "$ko" max_groups=$limit_groups
		result $? "reload with max_groups=$limit_groups"
	fi
	echo "# ---- $t"
	run_test "$t"
done
# If unload_test did not run or failed, leave no module behind.
[ -d /sys/module/wfqmon ] && unload
left=$(find /sys/fs/cgroup -maxdepth 1 -name 'wfqmon-selftest-*' | wc -l)
result $((left > 0)) "tests left no cgroups behind ($left left)"
finish
