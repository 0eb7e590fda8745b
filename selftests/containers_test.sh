#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Real containers: two Podman containers started with --cpu-shares 1024
# and 512 and one LXC container of cpu.weight 50, one CPU hog each, all on
# CPU 0 (their runtimes' cpuset options). Runs as root in the test VM with
# wfqmon.ko loaded (selftests/run.sh calls it):
#
#   selftests/containers_test.sh
#
# The weights are read from the cgroups the runtimes made, never assumed:
# Podman 4.3 writes --cpu-shares 1024 as cpu.weight 39, for instance. The
# ideal shares follow cgroup v2's rule, level by level down the real tree
# (selftests/tree_share.py): the Podman containers sit in libpod_parent,
# a sibling of lxc.payload.NAME at the root, so the level above decides.
# The measured shares come from the containers' cpu.stat usage over a
# window bounded by freezing all of them, so the counters compared are
# read while nothing runs, and from `wfqtool report` on the groups that
# `wfqtool watch` bound to the containers' cgroups (one dump: one moment).
# Then `podman update` while watching, and `podman rm -f`: its group gone
# (how fast is printed; make bench holds the target). Prints TAP and a
# kselftest "# Totals:" line.
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
wfqtool=$top/build/tools/wfqtool
tmp=$(mktemp -d /var/tmp/containers-test.XXXXXX)
watch_pids=()
window_s=6
tolerance=0.05
# The report's ideal also counts what unwatched cgroups (Podman's conmon,
# the watches) ran on the CPU; tree_share.py assumes they ran nothing.
ideal_tolerance=0.02

# shellcheck source=selftests/tap.sh
. "$top/selftests/tap.sh"
# shellcheck source=selftests/wfqtool.sh
. "$top/selftests/wfqtool.sh"
# shellcheck source=selftests/containers.sh
. "$top/selftests/containers.sh"

cleanup() {
	stop_watching
	ctr_teardown
	rm -rf "$tmp"
}
trap cleanup EXIT

# freeze 1|0 CGROUP...: freeze or thaw them all, then wait until each is.
freeze() {
	local v=$1 cg
	shift
	for cg in "$@"; do echo "$v" >"$cg/cgroup.freeze" || return 1; done
	for cg in "$@"; do
		for _ in $(seq 500); do
			grep -qx "frozen $v" "$cg/cgroup.events" && continue 2
			sleep 0.01
		done
		return 1
	done
}
usage_usec() { sed -n 's/^usage_usec //p' "$1/cpu.stat"; }
# watch_event EVENT NAME [JSON-TAIL]: a line of the watches' output.
watch_event() {
	grep -q "\"event\":\"$1\",.*\"name\":\"$2\"${3:+.*$3}" "$tmp"/watch-*.out 2>/dev/null
}
stop_watching() {
	local pid status=0
	for pid in "${watch_pids[@]}"; do
		kill -TERM "$pid" && wait "$pid" || status=1
	done
	watch_pids=()
	return $status
}
# report_field NAME FIELD: FIELD of group NAME in $tmp/report.json.
report_field() {
	python3 -c '
import json, sys
for g in json.load(open(sys.argv[1]))["groups"]:
    if g["name"] == sys.argv[2]: print(g[sys.argv[3]])' "$tmp/report.json" "$1" "$2"
}

echo "TAP version 13"
groups0=$(nr_groups)
ctr_setup
ok $? "containers_set_up_podman_storage_and_busybox_image"
names=(p1024 p512 lxc50)
# LXC first: its template runs hundreds of ln, slow beside running hogs.
ctr_lxc lxc50 "lxc.cgroup2.cpu.weight = 50" "lxc.cgroup2.cpuset.cpus = 0"
ok $? "lxc_start_cpu_weight_50"
ctr_podman p1024 --cpu-shares 1024 --cpuset-cpus 0
ok $? "podman_run_cpu_shares_1024"
ctr_podman p512 --cpu-shares 512 --cpuset-cpus 0
ok $? "podman_run_cpu_shares_512"

declare -A cg
for c in "${names[@]}"; do
	cg[$c]=$(ctr_cgroup "$c")
	echo "# $c: ${cg[$c]} cpu.weight $(cat "${cg[$c]}/cpu.weight" 2>&1)" \
		"cpuset.cpus.effective $(cat "${cg[$c]}/cpuset.cpus.effective" 2>&1)"
done
[[ ${cg[p1024]} == /sys/fs/cgroup/libpod_parent/libpod-* ]] &&
	[[ ${cg[p512]} == /sys/fs/cgroup/libpod_parent/libpod-* ]]
ok $? "podman_containers_in_libpod_parent" "${cg[p1024]} ${cg[p512]}"
[ "${cg[lxc50]}" = /sys/fs/cgroup/lxc.payload.lxc50 ]
ok $? "lxc_container_in_lxc_payload" "${cg[lxc50]}"
w1024=$(cat "${cg[p1024]}/cpu.weight") w512=$(cat "${cg[p512]}/cpu.weight")
[ "$w1024" -gt "$w512" ]
ok $? "podman_weights_keep_the_order_of_cpu_shares" "1024 -> $w1024, 512 -> $w512"
[ "$(cat "${cg[lxc50]}/cpu.weight")" = 50 ]
ok $? "lxc_weight_is_its_config"
all_on_cpu0=0
for c in "${names[@]}"; do
	[ "$(cat "${cg[$c]}/cpuset.cpus.effective")" = 0 ] || all_on_cpu0=1
done
ok $all_on_cpu0 "all_containers_on_cpu_0"

# One window of usage, bounded by freezing all three.
cgs=("${cg[p1024]}" "${cg[p512]}" "${cg[lxc50]}")
sleep 1
freeze 1 "${cgs[@]}"
ok $? "containers_freeze"
for c in "${names[@]}"; do echo "$c $(usage_usec "${cg[$c]}")"; done >"$tmp/before"
freeze 0 "${cgs[@]}" && sleep "$window_s" && freeze 1 "${cgs[@]}"
ok $? "containers_run_${window_s}s_then_freeze"
for c in "${names[@]}"; do echo "$c $(usage_usec "${cg[$c]}")"; done >"$tmp/after"
freeze 0 "${cgs[@]}"
for c in "${names[@]}"; do echo "$c ${cg[$c]}"; done >"$tmp/cgroups"
selftests/tree_share.py "$tmp/cgroups" >"$tmp/ideal" 2>"$tmp/err"
ok $? "ideal_shares_from_the_tree" "$(cat "$tmp/err")"
sed 's/^/# ideal /' "$tmp/ideal"
within=0
while read -r c ideal; do
	b=$(awk -v c="$c" '$1 == c { print $2 }' "$tmp/before")
	a=$(awk -v c="$c" '$1 == c { print $2 }' "$tmp/after")
	total=$(awk '{ s += $2 } END { print s }' "$tmp/after")
	total=$(awk -v t="$total" '{ s += $2 } END { print t - s }' "$tmp/before")
	share=$(awk -v a="$a" -v b="$b" -v t="$total" 'BEGIN { printf "%.3f", (a - b) / t }')
	echo "# $c: share $share, ideal $ideal"
	awk -v s="$share" -v i="$ideal" -v tol="$tolerance" \
		'BEGIN { d = s - i; exit !(d <= tol && d >= -tol) }' || within=1
done <"$tmp/ideal"
ok $within "shares_within_${tolerance}_of_the_tree_ideal"

# --- wfqtool watch on the managers' parents: the containers' groups,
# named as `podman ps` and `lxc-ls` name them.
declare -A group
for c in "${names[@]}"; do group[$c]=$c; done
"$wfqtool" watch /sys/fs/cgroup/libpod_parent --match 'libpod-*' --json \
	>"$tmp/watch-podman.out" 2>&1 &
watch_pids+=($!)
"$wfqtool" watch /sys/fs/cgroup --match 'lxc.payload.*' --json \
	>"$tmp/watch-lxc.out" 2>&1 &
watch_pids+=($!)
for c in "${names[@]}"; do until_ok 30 watch_event bind "${group[$c]}"; done
[ "$(nr_groups)" = $((groups0 + 3)) ]
ok $? "watch_binds_the_containers_by_their_names" "$(cat "$tmp"/watch-*.out)"
same_id=0
for c in p1024 p512; do
	id=$(podman inspect --format '{{.Id}}' "$c")
	watch_event bind "$c" "\"container_id\":\"$id\"" || same_id=1
done
ok $same_id "watch_json_keeps_the_podman_container_ids"
# The watches' stderr shares the files: only the JSON lines.
grep -h '^{' "$tmp"/watch-*.out | tools/tests/validate_json.py watch >"$tmp/valid" 2>&1
ok $? "watch_json_of_containers_matches_its_schema" "$(head -n 5 "$tmp/valid")"
"$wfqtool" report --json --interval "$window_s" >"$tmp/report.json"
ok $? "report_json_runs"
same_weight=0 same_cgroup=0 same_ideal=0 within=0
while read -r c ideal; do
	w=$(report_field "${group[$c]}" weight)
	share=$(report_field "${group[$c]}" share)
	report_ideal=$(report_field "${group[$c]}" ideal_share)
	echo "# report: ${group[$c]} ($c): weight $w, share $share," \
		"ideal $report_ideal (tree_share.py: $ideal)"
	[ "$w" = "$(cat "${cg[$c]}/cpu.weight")" ] || same_weight=1
	awk -v r="$report_ideal" -v i="$ideal" -v tol="$ideal_tolerance" \
		'BEGIN { d = r - i; exit !(d <= tol && d >= -tol) }' || same_ideal=1
	[ "$(report_field "${group[$c]}" cgroup)" = "${cg[$c]}" ] || same_cgroup=1
	awk -v s="$share" -v i="$ideal" -v tol="$tolerance" \
		'BEGIN { d = s - i; exit !(d <= tol && d >= -tol) }' || within=1
done <"$tmp/ideal"
ok $same_weight "report_weights_are_what_the_runtimes_wrote"
ok $same_cgroup "report_cgroups_are_the_containers"
ok $same_ideal "report_ideal_shares_are_the_tree_s_within_${ideal_tolerance}"
ok $within "report_shares_within_${tolerance}_of_the_tree_ideal" "$(cat "$tmp/report.json")"

# podman update rewrites cpu.weight.
podman update --cpu-shares 2048 p512 >/dev/null
ok $? "podman_update_cpu_shares"
w=$(cat "${cg[p512]}/cpu.weight")
[ "$w" -gt "$w1024" ]
ok $? "podman_update_raises_cpu_weight" "512 -> $w512, 2048 -> $w"
until_ok 30 watch_event weight "${group[p512]}" "\"weight\":$w"
ok $? "watch_follows_podman_update" "$(tail -n 2 "$tmp/watch-podman.out")"
"$wfqtool" report --json --interval 1 >"$tmp/report.json"
[ "$(report_field "${group[p512]}" weight)" = "$w" ]
ok $? "the_next_report_window_has_the_new_weight" "$(cat "$tmp/report.json")"

t=$(ctr_now)
ctr_rm p512
ok $? "podman_rm_f"
ctr_took "$t" "podman rm -f p512"
[ ! -e "${cg[p512]}" ]
ok $? "podman_rm_removes_its_cgroup"
t=$(ctr_now)
until_ok 30 watch_event unbind "${group[p512]}"
ok $? "its_group_is_gone" "$(tail -n 2 "$tmp/watch-podman.out")"
ctr_took "$t" "group of p512 unbound after podman rm"
[ "$(nr_groups)" = $((groups0 + 2)) ]
ok $? "the_module_keeps_the_other_two_groups"
stop_watching
ok $? "watches_stop_on_sigterm"
[ "$(nr_groups)" = "$groups0" ]
ok $? "group_count_back_to_where_it_started" "$groups0 at the start, $(nr_groups) now"

ctr_teardown
ok $? "containers_torn_down"
left=$(podman ps -a -q | wc -l)
left=$((left + $(lxc-ls -1 | wc -l)))
# LXC keeps its own lxc.pivot at the root; no container's cgroup may stay.
cgroups_left=$(find /sys/fs/cgroup/libpod_parent -maxdepth 1 -name 'libpod-*'
	find /sys/fs/cgroup -maxdepth 1 \( -name 'lxc.payload.*' -o -name 'lxc.monitor.*' \))
echo "# LXC's own cgroups at the root:" /sys/fs/cgroup/lxc.*
[ -z "$cgroups_left" ] && [ "$left" = 0 ]
ok $? "nothing_left_behind" "$left containers; cgroups: $cgroups_left"
totals
[ "$fail" -eq 0 ]
