#!/bin/bash
# The project's test command (make check; .ci/run calls it).
#
# Host: checkpatch --strict, and wfqmon.ko built with W=1 -Werror and sparse
# against each test kernel. Then, per kernel, the selftests in the test VM
# (vm/run.sh), which fails on any kernel splat. Prints KTAP-ish lines and
# ends with one plain "N passed, N failed" line summing everything.
#
#   scripts/check.sh [SERIES...]      default: $WFQ_KERNELS or "6.1 6.12"
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
read -r -a kernels <<<"${*:-${WFQ_KERNELS:-6.1 6.12}}"

passed=0 failed=0 skipped=0
result() {	# result STATUS NAME
	case $1 in
	0) passed=$((passed + 1)); echo "ok - $2" ;;
	skip) skipped=$((skipped + 1)); echo "ok - $2 # SKIP" ;;
	*) failed=$((failed + 1)); echo "not ok - $2" ;;
	esac
}
# Add the closing "N passed, N failed[, N skipped]" line of a sub-run.
add_counts() {	# add_counts LOG NAME
	local line
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		result 1 "$2 printed no result line"
		return
	fi
	read -r p _ f _ s _ <<<"${line//,/}"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
	echo "# $2: $line"
}

vm/deps.sh || { echo "check: installing dependencies failed" >&2; exit 1; }

scripts/checkpatch.sh
result $? "checkpatch --strict on kmod/ and uapi/"

make -s -C selftests
result $? "selftests build"

# Host unit tests of the user tools (no VM needed).
if [ -f tools/Makefile ]; then
	log=build/tools-check.log
	mkdir -p build
	make -s -C tools check 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	add_counts "$log" "host unit tests"
	result "$status" "host unit tests exit status"
fi

for series in "${kernels[@]}"; do
	if ! vars=$(vm/kernel.sh "$series"); then
		result 1 "$series: fetch kernel"
		continue
	fi
	eval "$vars"
	out=build/$KVER
	ko=$(scripts/build-module.sh "$KDIR" "$out" C=2)
	result $? "$KVER: wfqmon.ko builds with W=1 -Werror and sparse" || true
	[ -f "$out/kmod/wfqmon.ko" ] || continue
	log=$out/vmtest.log
	vm/run.sh --kernel "$KVER" --timeout 1200 -- selftests/run.sh "$ko" 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	add_counts "$log" "$KVER selftests"
	result "$status" "$KVER: selftests exit status and clean kernel log"
done

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
