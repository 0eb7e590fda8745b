#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# wfqtool bind, unbind and watch on cgroups wfqtool did not make: a
# systemd-like tree made by hand (system.slice/{a,b}.service,
# user.slice/c.scope) with a hog in each service. Runs as root in the test
# VM with wfqmon.ko loaded (selftests/run.sh calls it):
#
#   selftests/watch_test.sh
#
# Prints TAP and the "# Totals:" line run.sh adds to its count. The tree
# is removed at the end; nothing of it is left in the kernel.
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
wfqtool=$top/build/tools/wfqtool
tree=/sys/fs/cgroup/wfqmon-selftest-watch-$$
tmp=$(mktemp -d /var/tmp/watch-test.XXXXXX)
watch_pid=

# shellcheck source=selftests/tap.sh
. "$top/selftests/tap.sh"
# shellcheck source=selftests/wfqtool.sh
. "$top/selftests/wfqtool.sh"
# shellcheck source=selftests/slices.sh
. "$top/selftests/slices.sh"
# Run wfqtool; $out gets stdout, $errout stderr, $rc the status.
wt() {
	out=$("$wfqtool" "$@" 2>"$tmp/err"); rc=$?
	errout=$(cat "$tmp/err")
}
# Every cgroup.procs of the tree, one "path: pids" line each.
procs_of_tree() {
	find "$tree" -name cgroup.procs | sort | while read -r f; do
		echo "$f: $(sort -n "$f" | tr '\n' ' ')"
	done
}
cleanup() {
	[ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null && wait "$watch_pid"
	for g in $("$wfqtool" list --json 2>/dev/null | python3 -c '
import json, sys
for g in json.load(sys.stdin)["groups"]:
    if (g["cgroup"] or "").startswith(sys.argv[1]): print(g["name"])' "$tree"); do
		"$wfqtool" unbind "$g" >/dev/null 2>&1
	done
	for pid in $(jobs -p); do kill "$pid" 2>/dev/null; done
	wait 2>/dev/null
	slices_remove "$tree"
	rm -rf "$tmp"
}
trap cleanup EXIT
# hog CGROUP: a CPU hog on CPU 0, started inside CGROUP.
hog() { slices_hog "$1" taskset -c 0; }

echo "TAP version 13"
wfqtool_built || exit 1

# --- the tree, as systemd would make it
slices_make "$tree"
ok $? "a_systemd_like_tree_is_made_by_hand"
echo 300 >"$tree/system.slice/b.service/cpu.weight"
hog "$tree/system.slice/a.service"
hog "$tree/system.slice/b.service"
hog "$tree/user.slice/c.scope"
until_ok 30 grep -q . "$tree/user.slice/c.scope/cgroup.procs"
groups0=$(nr_groups)
procs0=$(procs_of_tree)

# --- bind and unbind
wt bind a.service --cgroup "$tree/system.slice/a.service"
[ "$rc" = 0 ] && [[ $out =~ ^a\.service\ id=[0-9]+\ cgroup=$tree/system\.slice/a\.service\ weight=100$ ]]
ok $? "bind_prints_name_id_cgroup_and_weight" "$rc $out $errout"
rel=${tree#/sys/fs/cgroup/}
wt bind 'b@x.service' --cgroup "$rel/system.slice/b.service/"
[ "$rc" = 0 ] && [[ $out == *" cgroup=$tree/system.slice/b.service weight=300" ]]
ok $? "bind_takes_a_path_under_the_mount_and_the_live_cpu_weight" "$rc $out $errout"
id=$(stat -c %i "$tree/user.slice/c.scope")
wt bind c.scope --cgroup-id "$id" --weight 7
[ "$rc" = 0 ] && [[ $out == *" cgroup=$tree/user.slice/c.scope weight=7" ]]
ok $? "bind_finds_a_cgroup_by_id" "$rc $out $errout"
wt list
[[ $out == *"$tree/system.slice/a.service"* && $out == *"$tree/user.slice/c.scope"* ]]
ok $? "list_shows_the_bound_cgroups" "$out"
wt bind x --cgroup "$tree/nonexistent"
[ "$rc" = 1 ] && [ "$errout" = "wfqtool: bind \"x\": cgroup $tree/nonexistent: No such file or directory" ]
ok $? "bind_names_a_missing_cgroup" "$rc $errout"
wt bind y --cgroup /
[ "$rc" = 1 ] && [[ $errout == *"cgroup /: not a cgroup v2 directory" ]]
ok $? "bind_refuses_a_directory_outside_cgroup2" "$rc $errout"
wt bind root --cgroup /sys/fs/cgroup
[ "$rc" = 0 ] && [[ $out == *" weight=100" && $errout == *"has no cpu.weight"* ]]
ok $? "bind_of_the_root_cgroup_says_it_takes_the_default_weight" "$rc $out $errout"
"$wfqtool" unbind root
wt set a.service --weight 50
[ "$rc" = 1 ] && [[ $errout == *"did not create"* ]] &&
	[ "$(cat "$tree/system.slice/a.service/cpu.weight")" = 100 ]
ok $? "set_refuses_a_cgroup_wfqtool_did_not_create" "$rc $errout"
wt destroy a.service
[ "$rc" = 0 ] && [ -d "$tree/system.slice/a.service" ]
ok $? "destroy_of_a_bound_group_leaves_its_cgroup" "$rc $errout"
wt unbind 'b@x.service'
rc2=$rc
wt unbind c.scope
[ "$rc2" = 0 ] && [ "$rc" = 0 ] && [ -d "$tree/user.slice/c.scope" ] &&
	[ "$(nr_groups)" = "$groups0" ]
ok $? "unbind_removes_the_group_and_leaves_the_cgroup" "$rc2 $rc $errout"
wt unbind c.scope
[ "$rc" = 4 ]
ok $? "unbind_of_an_unknown_group_exits_4" "$rc $errout"
[ "$(procs_of_tree)" = "$procs0" ]
ok $? "bind_and_unbind_moved_no_process" "$(procs_of_tree)"

# --- watch: the tree to depth 2, its cgroups coming and going
# bound NAME: a bind line for NAME in the watch's output.
bound() {
	grep -q "\"event\":\"bind\",.*\"name\":\"$1\"" "$tmp/watch.out"
}
unbound() {
	grep -q "\"event\":\"unbind\",.*\"name\":\"$1\"" "$tmp/watch.out"
}
# event_ms EVENT NAME START_NS: ms from START_NS (date +%s%N) to the time_ns
# of watch's EVENT line for group NAME.
event_ms() {
	python3 - "$tmp/watch.out" "$@" <<'PY'
import json, sys
path, event, name, start = sys.argv[1:]
for line in open(path):
    e = json.loads(line)
    if e["event"] == event and e["name"] == name:
        print((e["time_ns"] - int(start)) // 1000000)
        break
PY
}
# report_weight NAME: the group's weight in a report window of 1 s.
report_weight() {
	"$wfqtool" report --json --interval 1 | python3 -c '
import json, sys
for g in json.load(sys.stdin)["groups"]:
    if g["name"] == sys.argv[1]: print(g["weight"])' "$1"
}
"$wfqtool" watch "$tree" --depth 2 --json >"$tmp/watch.out" 2>"$tmp/watch.err" &
watch_pid=$!
until_ok 30 bound c.scope
all=1
for g in system.slice a.service b.service user.slice c.scope; do
	bound "$g" || all=0
done
[ "$all" = 1 ] && [ "$(nr_groups)" = $((groups0 + 5)) ]
ok $? "watch_binds_every_cgroup_to_its_depth" "$(cat "$tmp/watch.out" "$tmp/watch.err")"
python3 - "$tmp/watch.out" "$tree" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
b = [l for l in lines if l["event"] == "bind" and l["name"] == "b.service"][0]
sys.exit(0 if b["cgroup"] == sys.argv[2] + "/system.slice/b.service"
         and b["weight"] == 300 and b["cgroup_id"] > 0 else 1)
PY
ok $? "watch_json_has_the_cgroup_path_id_and_live_weight" "$(head -n 3 "$tmp/watch.out")"

# How fast is a speed target for make bench (bench/watch_latency.sh); here
# only that it happens, with a deadline no slow host reaches. The latency
# printed is watch's own time_ns of the event less the time of the mkdir.
start=$(date +%s%N)
mkdir "$tree/system.slice/d.service"
until_ok 30 bound d.service
ok $? "watch_binds_a_new_cgroup" "$(tail -n 2 "$tmp/watch.out")"
echo "# new cgroup bound after $(event_ms bind d.service "$start") ms"
mkdir "$tree/user.slice/a.service"
until_ok 30 bound 'user.slice:a.service'
ok $? "watch_resolves_a_name_collision_by_the_path" "$(tail -n 2 "$tmp/watch.out")"

echo 400 >"$tree/system.slice/a.service/cpu.weight"
until_ok 30 grep -q '"event":"weight",.*"name":"a.service".*"weight":400' "$tmp/watch.out"
ok $? "watch_follows_a_cpu_weight_written_while_watching" "$(tail -n 2 "$tmp/watch.out")"
w=$(report_weight a.service)
[ "$w" = 400 ]
ok $? "the_next_report_window_has_the_new_weight" "weight $w"

start=$(date +%s%N)
rmdir "$tree/system.slice/d.service" "$tree/user.slice/a.service"
until_ok 30 unbound d.service && until_ok 30 unbound 'user.slice:a.service' &&
	[ "$(nr_groups)" = $((groups0 + 5)) ]
ok $? "a_removed_cgroup_is_unbound" "$(nr_groups) groups; $(tail -n 2 "$tmp/watch.out")"
echo "# removed cgroups unbound after $(event_ms unbind 'user.slice:a.service' "$start") ms"

kill -TERM "$watch_pid"
wait "$watch_pid"
rc=$?
watch_pid=
[ "$rc" = 0 ] && [ "$(nr_groups)" = "$groups0" ] &&
	[ "$(grep -c '"event":"unbind"' "$tmp/watch.out")" = 7 ]
ok $? "sigterm_unbinds_everything_watch_bound" "rc $rc, $(nr_groups) groups, $(grep -c unbind "$tmp/watch.out") unbinds"
# Its bind, weight and unbind lines (with each unbind's reason).
tools/tests/validate_json.py watch "$tmp/watch.out" >"$tmp/valid" 2>&1
ok $? "watch_json_matches_its_schema" "$(head -n 5 "$tmp/valid")"
[ "$(procs_of_tree)" = "$procs0" ] && [ -d "$tree/system.slice/a.service" ]
ok $? "watch_moved_no_process_and_removed_no_cgroup" "$(procs_of_tree)"


# --- watch --match, a cgroup bound by someone else, SIGINT
mkdir "$tree/system.slice/x.scope"
"$wfqtool" bind other --cgroup "$tree/system.slice/b.service" >/dev/null
"$wfqtool" watch "$tree/system.slice" --match '*.service' --interval 200ms \
	>"$tmp/watch2.out" 2>"$tmp/watch2.err" &
watch_pid=$!
until_ok 30 grep -q "^bind a.service " "$tmp/watch2.out"
until_ok 30 grep -q "skip cgroup $tree/system.slice/b.service" "$tmp/watch2.err"
ok $? "watch_tells_and_skips_a_cgroup_bound_by_someone_else" "$(cat "$tmp/watch2.err")"
! grep -q "x.scope" "$tmp/watch2.out"
ok $? "watch_match_leaves_other_cgroups_alone" "$(cat "$tmp/watch2.out")"
kill -INT "$watch_pid"
wait "$watch_pid"
rc=$?
watch_pid=
n_after=$(nr_groups)
"$wfqtool" unbind other
[ "$rc" = 0 ] && [ "$n_after" = $((groups0 + 1)) ] && [ "$(nr_groups)" = "$groups0" ]
ok $? "sigint_unbinds_only_what_watch_bound" "rc $rc, $n_after groups after, $groups0 before"

totals
