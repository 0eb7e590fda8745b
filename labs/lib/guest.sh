# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Guest-side helpers for a lab's guest.sh (run as root in the test VM with
# cwd = the project root and $WFQ_OUT = the out dir). Source it, then:
#
#   lab_init labN KO [MODULE_PARAM=...]  load KO unless wfqmon is loaded, make
#                                     $WFQ_OUT, give the lab its own cgroup root
#                                     ($WFQTOOL_CGROUP_ROOT=/sys/fs/cgroup/wfqlabN),
#                                     and clean up on exit
#   lab_create NAME [create ARGS]     wfqtool create, remembered for the cleanup
#   lab_hog NAME                      a CPU hog started in group NAME (background)
#   lab_bg CMD...                     a background process killed at the cleanup
#   lab_kernel_info FILE              kernel release, date, CPUs as JSON
#
# $WFQTOOL is build/tools/wfqtool; $LAB_OUT is $WFQ_OUT.

lab_groups=()
lab_pids=()

lab_cleanup() {
	local i
	for ((i = ${#lab_pids[@]} - 1; i >= 0; i--)); do
		kill "${lab_pids[i]}" 2>/dev/null || true
	done
	for ((i = ${#lab_groups[@]} - 1; i >= 0; i--)); do
		"$WFQTOOL" destroy --kill "${lab_groups[i]}" >/dev/null 2>&1 || true
	done
	rmdir "$WFQTOOL_CGROUP_ROOT" 2>/dev/null || true
}

lab_init() {
	local name=${1:?lab_init NAME KO} ko=${2:?lab_init NAME KO}
	shift 2
	WFQTOOL=$PWD/build/tools/wfqtool
	LAB_OUT=${WFQ_OUT:?run me in the test VM: vm/run.sh --out DIR -- $0 KO}
	[ -x "$WFQTOOL" ] || { echo "$name: $WFQTOOL: not built (make -C tools)" >&2; exit 1; }
	export WFQTOOL LAB_OUT
	export WFQTOOL_CGROUP_ROOT=/sys/fs/cgroup/wfq$name
	mkdir -p "$LAB_OUT"
	if [ ! -d /sys/module/wfqmon ]; then
		insmod "$ko" "$@"
	fi
	trap lab_cleanup EXIT
}

lab_create() {
	local name=${1:?lab_create NAME [ARGS]}
	shift
	"$WFQTOOL" create "$name" "$@" >/dev/null
	lab_groups+=("$name")
}

lab_bg() {
	"$@" &
	lab_pids+=($!)
}

# The hog is a shell busy loop, as in demo/run.sh: one runnable thread.
lab_hog() {
	lab_bg "$WFQTOOL" run "${1:?lab_hog NAME}" -- sh -c 'while :; do :; done'
}

lab_kernel_info() {
	printf '{"kernel":"%s","date":"%s","cpus":%s}\n' "$(uname -r)" \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" >"${1:?lab_kernel_info FILE}"
}
