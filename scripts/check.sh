#!/bin/bash
# The project's test command (make check; .ci/run calls it).
#
# Host: checkpatch --strict, the generated netlink code regenerated from its
# YNL spec without a change (scripts/ynl-gen.sh --check), and wfqmon.ko built with W=1 -Werror and sparse
# against each test kernel. Then, per kernel, the selftests in the test VM
# (vm/run.sh), which fails on any kernel splat. Prints KTAP-ish lines and
# ends with one plain "N passed, N failed" line summing everything.
# SERIES "debug" is the KASAN/lockdep/kmemleak kernel built from source
# (vm/debug-kernel.sh): the suite runs there with WFQ_DEBUG_KERNEL=1 (no
# containers or user tools end to end: the C tests drive the same module
# paths), and kmemleak must find nothing once the module is unloaded.
#
# On 6.1 and 6.12 (WFQ_RELOAD_SERIES), reload_test then cycles the module
# through unload and reload under load, in a VM whose vCPUs share one TCG
# thread: multi-threaded TCG can run stale kernel text after the code patching
# that attaching and detaching probes does (vm/run.sh, --one-thread).
#
# SERIES "newest" is the newest kernel any other Debian suite carries
# (trixie-backports, sid: vm/kernel.sh), booted like 6.1 and 6.12; the
# module is built in a tree vm/source-tree.sh prepares with its config.
#
# Compile only, before the VM runs: wfqmon.ko against x86_64_defconfig
# trees of Debian's linux-source-X.Y of other suites (vm/source-tree.sh),
# $WFQ_COMPILE_KERNELS, default "5.10 newest" (the oldest and the newest
# series Debian ships; empty skips them).
#
# Then the Debian packages installed, DKMS-built and purged in the VM
# (WFQ_PKGTEST=0 skips it), every lab of labs/ with its checks (WFQ_LABS=0
# skips them) and the documentation (sphinx-build -W).
#
#   scripts/check.sh [SERIES...]      default: $WFQ_KERNELS (may be empty) or "6.1 6.12"
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
read -r -a kernels <<<"${*:-${WFQ_KERNELS-6.1 6.12}}"
read -r -a reload_series <<<"${WFQ_RELOAD_SERIES-6.1 6.12}"
read -r -a compile_series <<<"${WFQ_COMPILE_KERNELS-5.10 newest}"
# Series whose whole suite runs with one TCG thread (vm/run.sh --one-thread):
# on 7.3, and later on 6.12-rt, the cpuset static key the tests flip in the
# page allocator met multi-threaded TCG's stale code (Oops: int3,
# Documentation/reliability.rst). Without the user tools' scripts these
# suites take about as long on one thread.
read -r -a one_thread_series <<<"${WFQ_ONE_THREAD_SERIES-6.12-rt newest}"
# Series whose suite includes real Podman and LXC containers
# (selftests/containers_test.sh, two to three minutes each under TCG):
# Debian's kernels that users run containers on. Not on the debug kernel:
# its small config has no BPF syscall, which crun needs for the devices
# controller ("bpf create: Function not implemented"); not yet tried on
# the RT kernel or the newest.
read -r -a container_series <<<"${WFQ_CONTAINER_SERIES-6.1 6.12}"
# Series whose suite includes the user tools end to end (wfqtool_test.sh,
# watch_test.sh, exporter_test.sh: about three minutes a kernel, seven on
# the debug kernel). The tools are the same binary on every kernel; the C
# tests cover the module's paths on all of them.
read -r -a tool_series <<<"${WFQ_TOOL_SERIES-6.1 6.12}"

passed=0 failed=0 skipped=0
# Each result line is followed by the seconds its step took, so the run's
# budget (about 60 minutes, README) can be read from any CI log.
step_start=$SECONDS
step_times=() failed_logs=()
result() {	# result STATUS NAME [LOG]
	case $1 in
	0) passed=$((passed + 1)); echo "ok - $2" ;;
	skip) skipped=$((skipped + 1)); echo "ok - $2 # SKIP" ;;
	*) failed=$((failed + 1)); echo "not ok - $2"
	   [ -z "${3:-}" ] || failed_logs+=("$3") ;;
	esac
	echo "# time: $((SECONDS - step_start)) s"
	step_times+=("$((SECONDS - step_start)) $2")
	step_start=$SECONDS
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

# Everything the run needs, once, waiting for apt's lock if another process
# holds it; later deps.sh calls (vm/run.sh, labs) only check.
vm/deps.sh || { echo "check: installing dependencies failed" >&2; exit 1; }
export WFQ_DEPS_INSTALLED=1

scripts/checkpatch.sh
result $? "checkpatch --strict on kmod/ and uapi/"

# kmod/genl.[ch] and the uapi header are what the YNL spec generates.
scripts/ynl-gen.sh --check
result $? "kmod/genl.[ch] and uapi/linux/wfqmon.h regenerate from the YNL spec unchanged"

make -s -C selftests
result $? "selftests build"

# Host unit tests of the user tools (no VM needed).
if [ -f tools/Makefile ]; then
	log=build/tools-check.log
	mkdir -p build
	make -s -C tools check 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	add_counts "$log" "host unit tests"
	result "$status" "host unit tests exit status" "$log"
fi

# A defconfig tree has no Module.symvers: modpost can only warn about the
# symbols it cannot see (the booted "newest" checks them all).
for series in "${compile_series[@]}"; do
	if ! vars=$(vm/source-tree.sh "$series"); then
		result 1 "$series: prepare a linux-source tree"
		continue
	fi
	eval "$vars"
	scripts/build-module.sh "$KDIR" "build/$KVER" C=2 KBUILD_MODPOST_WARN=1 >/dev/null
	result $? "$KVER: wfqmon.ko builds with W=1 -Werror and sparse (compile only)"
done

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
	containers=0
	case " ${container_series[*]} " in *" $series "*) containers=1 ;; esac
	tools=0
	case " ${tool_series[*]} " in *" $series "*) tools=1 ;; esac
	if [ "$series" = debug ]; then
		# kmemleak.sh start forgets the boot's own reports; check runs after
		# run.sh has unloaded the module.
		# shellcheck disable=SC2016 # the guest's bash expands it
		vm/run.sh --kernel "$KVER" --timeout 3600 -- \
			env WFQ_DEBUG_KERNEL=1 WFQ_CONTAINERS=$containers WFQ_TOOLS=$tools bash -c \
			'selftests/kmemleak.sh start || exit 1
			selftests/run.sh "$1"; status=$?
			selftests/kmemleak.sh check || status=1
			exit "$status"' kmemleak "$ko" 2>&1 | tee "$log"
		status=${PIPESTATUS[0]}
		leaks=$(grep -E '^(not )?ok - kmemleak: ' "$log" | tail -n 1)
		case $leaks in
		"ok - "*) result 0 "$KVER: ${leaks#ok - }" ;;
		"not ok - "*) result 1 "$KVER: ${leaks#not ok - }" ;;
		*) result 1 "$KVER: kmemleak printed no result" ;;
		esac
	else
		vm_opts=()
		case " ${one_thread_series[*]} " in *" $series "*) vm_opts=(--one-thread) ;; esac
		vm/run.sh --kernel "$KVER" "${vm_opts[@]}" --timeout 1800 -- \
			env WFQ_CONTAINERS=$containers WFQ_TOOLS=$tools selftests/run.sh "$ko" 2>&1 | tee "$log"
		status=${PIPESTATUS[0]}
	fi
	add_counts "$log" "$KVER selftests"
	result "$status" "$KVER: selftests exit status and clean kernel log" "$log"

	case " ${reload_series[*]} " in *" $series "*) ;; *) continue ;; esac
	log=$out/reload.log
	vm/run.sh --kernel "$KVER" --one-thread --timeout 1200 -- \
		selftests/run.sh "$ko" reload_test 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	add_counts "$log" "$KVER reload_test"
	result "$status" "$KVER: reload cycles (one TCG thread) and clean kernel log" "$log"
done

# The Debian packages as a user installs them (selftests/pkg_test.sh): make
# deb, lintian clean; then in the VM, on the first Debian kernel of the run,
# dpkg -i, DKMS builds the module against that kernel's headers, a smoke
# test, purge, and nothing may be left. WFQ_PKGTEST=0 skips it.
pkg_series=''
for series in "${kernels[@]}"; do
	[ "$series" != debug ] && pkg_series=$series && break
done
if [ "${WFQ_PKGTEST:-1}" != 0 ] && [ -n "$pkg_series" ]; then
	mkdir -p build
	# nocheck: the host unit tests ran above.
	DEB_BUILD_OPTIONS=nocheck scripts/deb.sh build/deb >build/deb.log 2>&1
	status=$?
	[ "$status" -eq 0 ] || tail -n 40 build/deb.log
	result "$status" "make deb: packages build, lintian clean (build/deb.log)"
	if [ "$status" -eq 0 ] && vars=$(vm/kernel.sh "$pkg_series"); then
		eval "$vars"
		log=build/pkgtest.log
		vm/run.sh --kernel "$KVER" --timeout 1200 -- selftests/pkg_test.sh build/deb 2>&1 | tee "$log"
		status=${PIPESTATUS[0]}
		add_counts "$log" "$KVER package test"
		result "$status" "$KVER: packages install, DKMS build, purge leaves nothing; clean kernel log" \
			"$log"
	fi
fi

# The course labs (Documentation/labs/): each must still show its point on its
# own kernels; every "ok -"/"not ok -" line of a lab's --check counts.
if [ "${WFQ_LABS:-1}" != 0 ]; then
	read -r -a lab_dirs <<<"$(cd labs && echo lab[0-9]*-*/)"
	for dir in "${lab_dirs[@]}"; do
		slug=${dir%/}
		n=${slug#lab}
		n=${n%%-*}
		log=build/labs/$slug-check.log
		mkdir -p build/labs
		labs/lab.sh "$n" --check 2>&1 | tee "$log"
		status=${PIPESTATUS[0]}
		p=$(grep -c '^ok - ' "$log") f=$(grep -c '^not ok - ' "$log")
		passed=$((passed + p)) failed=$((failed + f))
		echo "# $slug: $p passed, $f failed"
		result "$status" "$slug: runs and shows its point" "$log"
	done
fi

sphinx-build -W -q -b html Documentation build/docs
result $? "documentation builds with sphinx-build -W"
sphinx-build -W -q -b html Documentation/instructor build/docs-instructor
result $? "instructor book (answer keys) builds with sphinx-build -W"

# Repeated at the end, where a CI log's tail shows them: the lines of a
# failed step's log that say why (a VM's own complaint, a kernel splat, a
# failed test), a few each, cut short.
for log in "${failed_logs[@]}"; do
	echo "# why, from $log:"
	grep -E '^not ok|(run|lab)\.sh: |Oops|BUG|panic|WARNING|Call Trace' "$log" |
		grep -Ev '^not ok - .*: runs and shows its point$|sh: booting|results in' |
		head -n 8 | cut -c 1-160 |
		sed 's/^/#   /'
done
echo "# slowest steps:"
printf '%s\n' "${step_times[@]}" | sort -rn | head -n 12 |
	while read -r secs name; do printf '#   %5d s  %s\n' "$secs" "$name"; done
echo "# time: $SECONDS s in all"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
