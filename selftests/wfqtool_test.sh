#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# wfqtool end to end, through the command line only. Runs as root in the
# test VM with wfqmon.ko loaded (selftests/run.sh calls it):
#
#   selftests/wfqtool_test.sh MODULE.ko
#
# Prints TAP, one small case per property, and a kselftest-style
# "# Totals:" line that run.sh adds to its count. MODULE is reloaded once
# to check the message when it is missing. Groups live under a private
# cgroup root, removed at the end.
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
ko=${1:?usage: wfqtool_test.sh MODULE.ko}
wfqtool=$top/build/tools/wfqtool
export WFQTOOL_CGROUP_ROOT=/sys/fs/cgroup/wfqtool-test-$$
root=$WFQTOOL_CGROUP_ROOT
tmp=$(mktemp -d /var/tmp/wfqtool-test.XXXXXX)

# shellcheck source=selftests/tap.sh
. "$top/selftests/tap.sh"
# shellcheck source=selftests/wfqtool.sh
. "$top/selftests/wfqtool.sh"
# valid COMMAND NAME: $out (JSON lines) matches Documentation/schemas.
valid() {
	printf '%s\n' "$out" >"$tmp/json"
	tools/tests/validate_json.py "$1" "$tmp/json" >"$tmp/valid" 2>&1
	ok $? "$2" "$(head -n 5 "$tmp/valid")"
}
# Run wfqtool; $out gets stdout, $errout stderr, $rc the status.
wt() {
	out=$("$wfqtool" "$@" 2>"$tmp/err"); rc=$?
	errout=$(cat "$tmp/err")
}
# No cgroup directory and no kernel group named $1 remain.
gone() {
	[ ! -e "$root/$1" ] && ! "$wfqtool" show "$1" >/dev/null 2>&1
}
cleanup() {
	for pid in $(jobs -p); do kill "$pid" 2>/dev/null; done
	for g in a b c ns g1 g2 g3 ev mv mv2 cr; do
		"$wfqtool" destroy --kill "$g" >/dev/null 2>&1
	done
	rmdir "$root" 2>/dev/null
	# A test stopped while the second cgroup2 mount is up: rm -rf must
	# not walk into the host's cgroup tree.
	umount "$tmp/cg2" 2>/dev/null
	rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
# freeze 1|0 [GROUP...]: freeze or thaw every group's tasks at once; wait
# until done. "frozen 1" comes as the last task enters the freezer, before
# its last switch: frozen, wait too until each GROUP is idle, when the
# module has charged that switch.
freeze() {
	local state=$1 g
	shift
	echo "$state" >"$root/cgroup.freeze" || return 1
	for _ in $(seq 1000); do
		grep -qx "frozen $state" "$root/cgroup.events" && break
		sleep 0.01
	done
	grep -qx "frozen $state" "$root/cgroup.events" || return 1
	[ "$state" = 1 ] || return 0
	for g; do
		for _ in $(seq 1000); do
			[ "$("$wfqtool" show "$g" --json | jq .active)" = false ] &&
				continue 2
			sleep 0.01
		done
		return 1
	done
}

echo "TAP version 13"
wfqtool_built || exit 1

# --- create and its cgroup files
wt create a --weight 100 --cpus 0
ok $(( rc != 0 )) "create_prints_name_id_and_cgroup" "$rc $out $errout"
[[ $out =~ ^a\ id=[0-9]+\ cgroup=$root/a$ ]]
ok $? "create_output_is_NAME_id_cgroup" "$out"
[ "$(cat "$root/a/cpu.weight")" = 100 ] && [ "$(cat "$root/a/cpuset.cpus")" = 0 ]
ok $? "create_writes_cpu_weight_identity_and_cpuset"
wt create b --weight 200 --cpus 0
ok $rc "create_second_group_weight_200" "$errout"

# --- weights 1:2, a hog each, both on CPU 0
"$wfqtool" run a -- sh -c 'while :; do :; done' &
"$wfqtool" run b -- sh -c 'while :; do :; done' &
sleep 1
wt report --json --interval 3
ok $rc "report_json_runs" "$errout"
valid report "report_json_matches_its_schema"
# --count 0: window after window until interrupted (here by timeout).
timeout 4 "$wfqtool" report --json --interval 500ms --count 0 >"$tmp/r0" 2>&1
rc=$?
lines=$(grep -c '^{"schema_version":1,' "$tmp/r0")
[ $rc = 124 ] && [ "$lines" -ge 2 ]
ok $? "report_count_0_runs_until_interrupted" "rc=$rc lines=$lines $(head -c 300 "$tmp/r0")"
echo "# $(echo "$out" | jq -c '[.groups[] | {name, weight, share, ideal_share, runtime_ns, cpu_usage_ns}]' 2>&1)"
share_a=$(echo "$out" | jq '.groups[] | select(.name=="a") | .share')
share_b=$(echo "$out" | jq '.groups[] | select(.name=="b") | .share')
awk -v a="$share_a" -v b="$share_b" 'BEGIN { exit !(a - 1/3 < 0.03 && 1/3 - a < 0.03 && b - 2/3 < 0.03 && 2/3 - b < 0.03) }'
ok $? "weights_1_2_get_shares_within_3_points_of_1/3_and_2/3" "a=$share_a b=$share_b"
ideal=$(echo "$out" | jq -c '[.groups[] | select(.name=="a" or .name=="b") | .ideal_share * 1000 | round]')
[ "$ideal" = "[333,667]" ]
ok $? "ideal_shares_are_1/3_and_2/3_on_one_shared_cpu" "$ideal"
# Both ran (over 0.5 s each) and agree with cpu.stat to 2%. The two
# counters are read with the tree frozen: read one after the other under
# load, they would differ by whatever ran in between.
if freeze 1 a b; then
	far=$(for g in a b; do "$wfqtool" show "$g" --json; done |
		jq -s '[.[] | select(.runtime_ns < 500000000 or ((.runtime_ns - .cpu_usage_ns) / .cpu_usage_ns | fabs) > 0.02)] | length')
	[ "$far" = 0 ]
	ok $? "runtime_within_2%_of_cpu_stat_read_frozen" \
		"$(for g in a b; do "$wfqtool" show "$g" --json; done | jq -c '{name, runtime_ns, cpu_usage_ns}')"
	freeze 0 || echo "# $root: could not thaw"
else
	ok 1 "runtime_within_2%_of_cpu_stat_read_frozen" "$root: cgroup.freeze did not take, or a or b stayed active"
fi

# The human forms, for the log.
"$wfqtool" report --interval 1 2>&1 | sed 's/^/# /'
"$wfqtool" list 2>&1 | sed 's/^/# /'

# --- top: not a terminal, so one frame per window, 80 columns, sorted
wt top --count 2 --interval 500ms --sort weight
frames=$(echo "$out" | grep -c '^window ')
wide=$(echo "$out" | awk 'length > 80' | wc -l)
rows=$(echo "$out" | awk '$1 == "a" || $1 == "b" { print $1 }' | tr '\n' ' ')
[ $rc = 0 ] && [ "$frames" = 2 ] && [ "$wide" = 0 ] && [ "$rows" = "b a b a " ]
ok $? "top_prints_two_frames_in_80_columns_sorted_by_weight" \
	"rc=$rc frames=$frames wide=$wide rows=$rows $errout
$out"
echo "$out" | sed 's/^/# /'
wt top --sort cpu
[ $rc = 2 ] && [[ $errout == "wfqtool: top: --sort: \"cpu\": not one of"* ]]
ok $? "top_rejects_an_unknown_sort_key" "$rc $errout"

# --- show, set, list
wt show a --json
[ $rc = 0 ] && [ "$(echo "$out" | jq -r '.cgroup, .weight, .cpuset_cpus, .nr_procs')" = "$(printf '%s\n' "$root/a" 100 0 2)" ]
ok $? "show_json_has_cgroup_weight_cpuset_and_tasks" "$out $errout"
valid show "show_json_matches_its_schema"
wt show a --json --per-cpu
valid show "show_per_cpu_json_matches_its_schema"
wt set a --weight 300 --cpu-max 20000/100000 --memory-max 64M
[ $rc = 0 ] && [ "$(cat "$root/a/cpu.weight")" = 300 ] &&
	[ "$(cat "$root/a/cpu.max")" = "20000 100000" ] &&
	[ "$(cat "$root/a/memory.max")" = 67108864 ] &&
	[ "$("$wfqtool" show a --json | jq '.weight')" = 300 ]
ok $? "set_changes_kernel_weight_and_cgroup_files_together" "$errout"
wt list --json
[ "$(echo "$out" | jq -r '[.groups[].name] | sort | join(",")')" = "a,b" ]
ok $? "list_json_names_every_group" "$out"
valid list "list_json_matches_its_schema"
# Limits set to max are "max", not null (null: not known).
wt set b --cpu-max max --memory-max max
wt show b --json
[ "$(echo "$out" | jq -r '.cpu_max_quota_us, .memory_max_bytes')" = "max
max" ]
ok $? "show_json_writes_unset_limits_as_max" "$rc $errout $out"
# A cgroup seen through a second mount of the hierarchy, outside the tree
# wfqtool walks: its files are read on their own, the same ones.
mkdir "$tmp/cg2" && mount -t cgroup2 none "$tmp/cg2" &&
	wt --cgroup-root "$tmp/cg2${root#/sys/fs/cgroup}" show a --json
umount "$tmp/cg2" 2>/dev/null
[ "$(echo "$out" | jq -r '.cgroup, .cpu_weight, .cpu_max_quota_us, (.cpu_usage_ns | type)')" = \
	"$(printf '%s\n' "$tmp/cg2${root#/sys/fs/cgroup}/a" 300 20000 number)" ]
ok $? "show_reads_the_limits_of_a_cgroup_under_another_mount" "$rc $errout $out"

# --- events: a listener sees a group created, changed and destroyed
"$wfqtool" events --json --timeout 8 >"$tmp/events" 2>"$tmp/events.err" &
evpid=$!
# Let the listener subscribe: exec over 9p is slow under emulation.
sleep 2
"$wfqtool" create ev --weight 7 >/dev/null 2>&1 &&
	"$wfqtool" set ev --weight 8 >/dev/null 2>&1 &&
	"$wfqtool" destroy ev >/dev/null 2>&1
ok $? "events_fixture_create_set_destroy"
wait "$evpid"; evrc=$?
evs=$(jq -r 'select(.name == "ev") | "\(.event):\(.weight)"' "$tmp/events" | tr '\n' ' ')
[ $evrc = 0 ] && [ "$evs" = "new:7 change:8 del:8 " ]
ok $? "events_json_reports_new_change_del_in_order" "rc=$evrc events: $evs $(cat "$tmp/events.err")"
out=$(cat "$tmp/events")
valid events "events_json_lines_match_their_schema"

# --- attach a running process
sleep 30 &
sleeper=$!
wt attach b $sleeper
[ $rc = 0 ] && grep -qx "0::${root#/sys/fs/cgroup}/b" /proc/$sleeper/cgroup
ok $? "attach_moves_a_running_process_into_the_group" "$rc $errout"
kill $sleeper; wait $sleeper 2>/dev/null
wt attach b 999999999
[ $rc = 1 ] && [[ $errout == *"move pid 999999999"* ]]
ok $? "attach_of_a_missing_pid_fails_naming_it" "$rc $errout"

# --- destroy
wt destroy a
[ $rc = 5 ] && [[ $errout == *"--kill"* ]] && [ -d "$root/a" ] &&
	"$wfqtool" show a >/dev/null 2>&1
ok $? "destroy_refuses_while_tasks_remain_and_changes_nothing" "$rc $errout"
wt destroy --kill a
[ $rc = 0 ] && gone a
ok $? "destroy_kill_leaves_no_cgroup_and_no_kernel_group" "$rc $errout"
wt destroy --kill b
wait
[ $rc = 0 ] && gone b
ok $? "destroy_kill_ends_the_run_of_a_hog" "$rc $errout"

# --- bad input: clear message, non-zero status, nothing left behind
wt show nosuch
[ $rc = 4 ] && [[ $errout == "wfqtool: "*"no group with this name"* ]]
ok $? "unknown_group_exits_4_with_the_kernel_message" "$rc $errout"
wt create c --weight 0
[ $rc = 2 ] && [[ $errout == *'weight "0"'* ]] && gone c
ok $? "weight_0_is_rejected_and_leaves_nothing" "$rc $errout"
wt create c --memory-max 12X
[ $rc = 2 ] && [[ $errout == *'size "12X"'* ]] && gone c
ok $? "bad_size_is_rejected_and_leaves_nothing" "$rc $errout"
wt create c --cpus 0-
[ $rc = 2 ] && [[ $errout == *'cpu list "0-"'* ]] && gone c
ok $? "bad_cpu_list_is_rejected_and_leaves_nothing" "$rc $errout"
wt create c --cpus 999
[ $rc = 1 ] && [[ $errout == "wfqtool: create \"c\": cgroup $root/c: cpuset.cpus: "* ]] && gone c
ok $? "cgroup_write_failure_names_file_and_undoes_create" "$rc $errout"
wt create b
wt2_root=$root-other
WFQTOOL_CGROUP_ROOT=$wt2_root "$wfqtool" create b >/dev/null 2>"$tmp/err"; rc=$?
errout=$(cat "$tmp/err")
[ $rc = 1 ] && [[ $errout == *"create group \"b\""* ]] && [ ! -e "$wt2_root" ] &&
	[ -d "$root/b" ]
ok $? "kernel_rejection_removes_the_cgroup_and_root_it_made" "$rc $errout"
"$wfqtool" destroy b >/dev/null 2>&1

# --- export and import: limits by value, the cgroup made here, the lag
# renormalised to s_min; an idle group's credit is forgiven when it runs
wt create mv --weight 300 --cpu-max 50000/100000 --cpus 0 --memory-max 64M
ok $rc "create_group_to_export" "$errout"
wt export mv --output "$tmp/mv.json"
[ $rc = 0 ] && [ -z "$out" ]
ok $? "export_output_writes_the_file_only" "$rc $out $errout"
out=$(cat "$tmp/mv.json")
valid export "export_document_matches_its_schema"
"$wfqtool" destroy mv >/dev/null 2>&1
wt import "$tmp/mv.json" --name mv2
jq -e '.weight == 300 and .cgroup["cpu.max"] == "50000 100000" and
	.cgroup["cpuset.cpus"] == "0" and .cgroup["memory.max"] == "67108864"' \
	"$tmp/mv.json" >/dev/null &&
	[ $rc = 0 ] && [ "$(cat "$root/mv2/cpu.weight")" = 300 ] &&
	[ "$(cat "$root/mv2/cpu.max")" = "50000 100000" ] &&
	[ "$(cat "$root/mv2/cpuset.cpus")" = 0 ] &&
	[ "$(cat "$root/mv2/memory.max")" = 67108864 ] &&
	[ "$("$wfqtool" show mv2 --json | jq .weight)" = 300 ]
ok $? "import_copies_weight_and_limits_by_value_into_a_new_cgroup" "$rc $out $errout"
# A credit of 1 ms per unit of weight (below s_min after the hogs above,
# so not cut): kept while idle, forgiven at the first run.
jq -c '.name = "cr" | .lag_ns = 1000000' "$tmp/mv.json" >"$tmp/cr.json"
wt import "$tmp/cr.json"
lag=${out##* lag_ns=}
[ $rc = 0 ] && [ "$lag" -ge 1000000 ] && [ "$lag" -lt 2000000 ]
ok $? "import_starts_the_group_at_s_min_less_the_lag" "$rc $out $errout"
wt run cr -- sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done'
wt show cr --json
[ "$(echo "$out" | jq '.catchups >= 1 and .catchup_vtime_ns_per_weight >= 1000000')" = true ]
ok $? "an_imported_credit_is_forgiven_at_the_first_activation" "$out $errout"
wt import "$tmp/mv.json" --name mv2
[ $rc = 1 ] && [[ $errout == "wfqtool: import \"mv2\": cgroup $root/mv2"* ]]
ok $? "import_refuses_an_existing_cgroup" "$rc $errout"
"$wfqtool" destroy --kill mv2 >/dev/null 2>&1
"$wfqtool" destroy --kill cr >/dev/null 2>&1

# --- run: namespaces and the init
wt create ns
ok $rc "create_group_for_run" "$errout"
wt run ns -- cat /proc/self/cgroup
[ "$out" = "0::${root#/sys/fs/cgroup}/ns" ]
ok $? "run_starts_the_command_in_the_group_cgroup" "$out $errout"
# The init is pid 1; CMD, its child, is pid 2 (as under bwrap).
wt run ns --ns pid -- sh -c 'echo $PPID $$; ls /proc | grep -c "^[0-9]"'
[ "$(echo "$out" | head -n 1)" = "1 2" ] && [ "$(echo "$out" | tail -n 1)" -le 5 ]
ok $? "run_pid_ns_has_the_init_as_pid_1_and_hides_host_processes" "$out $errout"
# Without a terminal the init leads its own session (CRIU dumps it).
wt run ns --ns pid -- sh -c 'cut -d" " -f6 /proc/1/stat' </dev/null
[ "$out" = 1 ]
ok $? "run_pid_ns_init_without_a_terminal_leads_its_session" "$out $errout"
wt run ns --ns uts --hostname box -- hostname
[ "$out" = box ] && [ "$(hostname)" != box ]
ok $? "run_uts_ns_has_its_own_hostname" "$out $errout"
wt run ns --ns net -- sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
[ "$out" = lo ]
ok $? "run_net_ns_has_only_lo" "$out $errout"
chmod 0755 "$tmp" && mkdir -p "$tmp/shared" && chmod 1777 "$tmp/shared"
wt run ns --ns user --uid-map 0:100000:1 -- sh -c "id -u; touch $tmp/shared/f"
[ "$out" = 0 ] && [ "$(stat -c %u "$tmp/shared/f")" = 100000 ]
ok $? "run_user_ns_root_inside_is_uid_100000_outside" "$out $errout $(stat -c %u "$tmp/shared/f" 2>&1)"
# Root's container root is not the host's root unless --uid-map asks.
wt run ns --ns all -- sh -c "id -u; cat /proc/self/uid_map; touch $tmp/shared/g"
outside=$(stat -c %u "$tmp/shared/g" 2>/dev/null)
[ "$(echo "$out" | head -n 1)" = 0 ] && [ -n "$outside" ] && [ "$outside" != 0 ] &&
	[ "$(echo "$out" | sed -n 2p | awk '{ print $1, $2 }')" = "0 $outside" ]
ok $? "run_ns_all_as_root_maps_root_inside_to_a_subordinate_uid_outside" \
	"$out $errout owner=$outside"
wt run ns --ns user --uid-map 0:0:1 -- cat /proc/self/uid_map
[ "$(echo "$out" | awk '{ print $1, $2, $3 }')" = "0 0 1" ]
ok $? "run_maps_root_to_root_only_when_asked" "$out $errout"
wt run ns --ns all -- sh -c 'exit 7'
ok $(( rc != 7 )) "run_exits_with_the_command_status" "$rc $errout"
wt run ns -- /nonexistent/cmd
[ $rc = 127 ] && [[ $errout == *"exec /nonexistent/cmd"* ]]
ok $? "run_of_a_missing_command_exits_127_with_a_message" "$rc $errout"
"$wfqtool" run ns --ns pid -- sleep 30 &
runpid=$!
sleep 1
kill -TERM $runpid
wait $runpid; rc=$?
ok $(( rc != 143 )) "run_forwards_sigterm_and_reports_it" "$rc"
# A root of one static busybox: the host's files are out of sight.
rootfs=$tmp/rootfs
mkdir -p "$rootfs/bin" "$rootfs/proc" && cp /bin/busybox "$rootfs/bin/"
wt run ns --ns pid --root "$rootfs" -- /bin/busybox ls /
[ "$(echo "$out" | tr '\n' ' ')" = "bin proc " ]
ok $? "run_root_pivots_into_the_directory" "$out $errout"
# Writes land in the upper layer, not in the lower (here the whole /).
ovl=$(mktemp -d /tmp/wfqtool-ovl.XXXXXX)
wt run ns --overlay / --overlay-dir "$ovl" -- sh -c 'echo hi > /wfqtool-overlay-probe && cat /wfqtool-overlay-probe'
[ "$out" = hi ] && [ -f "$ovl/upper/wfqtool-overlay-probe" ] &&
	[ ! -e /wfqtool-overlay-probe ]
ok $? "run_overlay_writes_land_in_the_upper_layer_only" "$out $errout"
rm -rf "$ovl"
wt run ns --overlay / -- true
[ $rc = 0 ] && [ -z "$(ls -d /tmp/wfqtool-overlay.* 2>/dev/null)" ]
ok $? "run_overlay_removes_its_temporary_layers" "$rc $errout"
wt destroy ns
ok $rc "destroy_after_run" "$errout"

# --- cpu.max 20% holds; 1:2:3 sharing one CPU, two threads each
wt create c --cpu-max 20000/100000
"$wfqtool" run c -- sh -c 'while :; do :; done' &
sleep 1
wt report --json --interval 2
cpus=$(echo "$out" | jq '.groups[] | select(.name=="c") | .actual_cpus')
awk -v c="$cpus" 'BEGIN { exit !(c > 0.17 && c < 0.23) }'
ok $? "cpu_max_20%_holds_the_group_to_0.2_cpus" "actual_cpus=$cpus $errout"
"$wfqtool" destroy --kill c >/dev/null
wait
# One CPU, so the weights alone decide: across two CPUs the load balancer
# splits groups only roughly under emulation (a run of this on 6.12 had
# 2:3 at 0.46:0.40, order reversed). Water filling over several CPUs is
# covered by the host tests (tools/tests/fair_test.c).
for w in 1:100 2:200 3:300; do
	"$wfqtool" create "g${w%%:*}" --weight "${w#*:}" --cpus 0 >/dev/null
	"$wfqtool" run "g${w%%:*}" -- sh -c 'while :; do :; done & while :; do :; done' &
done
sleep 1
wt report --json --interval 5
echo "# $(echo "$out" | jq -c '[.groups[] | {name, share, ideal_share, ideal_cpus}]' 2>&1)"
far=$(echo "$out" | jq '[.groups[] | select(.name | startswith("g")) | select(.share - .ideal_share | fabs > 0.05)] | length')
ideal=$(echo "$out" | jq -c '[.groups[] | select(.name | startswith("g")) | .ideal_cpus * 1000 | round]')
[ "$far" = 0 ] && [ "$ideal" = "[167,333,500]" ]
ok $? "weights_1_2_3_on_one_cpu_get_shares_within_5_points_of_1/6_2/6_3/6" "$ideal $(echo "$out" | jq -c '[.groups[] | .share]')"
for g in g1 g2 g3; do "$wfqtool" destroy --kill "$g" >/dev/null; done
wait

# --- versions, and a network namespace the family is not visible in
wt --version
[ $rc = 0 ] && [ "$(echo "$out" | tail -n 1)" = "module: family version $(awk '/define WFQMON_FAMILY_VERSION/ { print $3 }' uapi/linux/wfqmon.h)" ]
ok $? "version_reports_the_loaded_module_family_version" "$rc $out $errout"
out=$(unshare --net "$wfqtool" list 2>&1); rc=$?
[ $rc = 3 ] && [[ $out == *"module loaded"*"not visible in this network namespace"* ]]
ok $? "list_in_another_netns_says_family_not_visible_not_module_missing" "$rc $out"

# --- the module missing
rmmod wfqmon
wt list
[ $rc = 3 ] && [[ $errout == *"not loaded"*insmod* ]] && [[ $errout != *make* ]]
ok $? "missing_module_exits_3_and_says_how_to_load_it" "$rc $errout"
insmod "$ko"
ok $? "module_reloaded"

totals
[ "$fail" = 0 ]
