# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# The systemd-like tree that watch_test.sh and hierarchy_test.sh make by
# hand, its hogs and its removal (sourced after selftests/tap.sh, which
# polls: until_ok):
#
#   slices_make TREE [CPUS]   TREE/system.slice/{a,b}.service and
#                             TREE/user.slice/c.scope, the cpu controller
#                             on down to them; with CPUS, TREE's cpuset too
#   slices_hog CGROUP [WRAPPER...]   a CPU hog started inside CGROUP (its
#                             shell moves itself: wfqtool moves nothing),
#                             under WRAPPER (taskset -c 0) if given
#   slices_remove TREE        kill what runs in TREE, remove its cgroups

slices_make() {
	local tree=$1 cpus=${2:-}
	mkdir -p "$tree/system.slice/a.service" "$tree/system.slice/b.service" \
		"$tree/user.slice/c.scope" || return 1
	if [ -n "$cpus" ]; then
		echo "+cpu +cpuset" >/sys/fs/cgroup/cgroup.subtree_control &&
			echo "$cpus" >"$tree/cpuset.cpus" || return 1
	else
		echo "+cpu" >/sys/fs/cgroup/cgroup.subtree_control || return 1
	fi
	echo "+cpu" >"$tree/cgroup.subtree_control" &&
		echo "+cpu" >"$tree/system.slice/cgroup.subtree_control" &&
		echo "+cpu" >"$tree/user.slice/cgroup.subtree_control"
}

slices_hog() {
	local cg=$1
	shift
	sh -c "echo \$\$ >'$cg/cgroup.procs' && exec $* sh -c 'while :; do :; done'" &
}

slices_remove() {
	local tree=$1
	[ -d "$tree" ] || return 0
	echo 0 >"$tree/cgroup.freeze"
	echo 1 >"$tree/cgroup.kill"
	find "$tree" -depth -type d 2>/dev/null | while read -r d; do
		until_ok 5 rmdir "$d" 2>/dev/null
	done
}
