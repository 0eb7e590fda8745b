#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The report's hierarchical ideal share on the issue's example: one CPU,
# system.slice/{a,b}.service and user.slice/c.scope made by hand, all
# cpu.weight 100, one hog each, groups bound to those cgroups. The
# kernel gives 0.25/0.25/0.5; the report must promise that and find the
# measured shares near it. Runs as root in the test VM with wfqmon.ko
# loaded (selftests/run.sh calls it):
#
#   selftests/hierarchy_test.sh
#
# Prints TAP and the "# Totals:" line run.sh adds to its count.
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
wfqtool=$top/build/tools/wfqtool
tree=/sys/fs/cgroup/wfqmon-selftest-hier-$$
tmp=$(mktemp -d /var/tmp/hierarchy-test.XXXXXX)
leaves=(system.slice/a.service system.slice/b.service user.slice/c.scope)
names=(hier-a hier-b hier-c)
slices=(system.slice user.slice)
slice_names=(hier-sys hier-user)

# shellcheck source=selftests/tap.sh
. "$top/selftests/tap.sh"
# shellcheck source=selftests/wfqtool.sh
. "$top/selftests/wfqtool.sh"
# shellcheck source=selftests/slices.sh
. "$top/selftests/slices.sh"
cleanup() {
	for g in "${names[@]}" "${slice_names[@]}"; do
		"$wfqtool" unbind "$g" >/dev/null 2>&1
	done
	for pid in $(jobs -p); do kill "$pid" 2>/dev/null; done
	wait 2>/dev/null
	slices_remove "$tree"
	rm -rf "$tmp"
}
trap cleanup EXIT
# freeze 1|0: every hog at once, returning when the tree says it is done.
freeze() {
	echo "$1" >"$tree/cgroup.freeze" &&
		until_ok 30 grep -qx "frozen $1" "$tree/cgroup.events"
}
# bind_pairs NAME CGROUP...: bind each NAME to the CGROUP after it (under
# the tree); fails if any does not bind.
bind_pairs() {
	local status=0
	while [ $# -ge 2 ]; do
		"$wfqtool" bind "$1" --cgroup "$tree/$2" >/dev/null || status=1
		shift 2
	done
	return "$status"
}
# report_window FILE SUFFIX: one 3 s report --json into FILE, checked
# against its schema; SUFFIX tells the test names apart.
report_window() {
	"$wfqtool" report --json --interval 3 >"$1"
	ok $? "report_json_runs$2"
	tools/tests/validate_json.py report "$1" >"$tmp/valid" 2>&1
	ok $? "the_report${2}_matches_its_schema" "$(head -n 5 "$tmp/valid")"
}
# verdict FILE WORD NAME: test NAME passes if the check in FILE printed
# WORD_OK; its output goes with a failure.
verdict() {
	grep -q "$2_OK" "$1"
	ok $? "$3" "$(cat "$1")"
}
# usage_line: the leaves' cpu.stat usage_usec, read while frozen.
usage_line() {
	for l in "${leaves[@]}"; do
		awk '$1 == "usage_usec" { printf "%s ", $2 }' "$tree/$l/cpu.stat"
	done
}

echo "TAP version 13"
wfqtool_built || exit 1

# --- the tree, on one CPU (its cpuset), as systemd would make it
slices_make "$tree" 0
ok $? "a_one_cpu_systemd_like_tree_is_made_by_hand"
for l in "${leaves[@]}"; do slices_hog "$tree/$l"; done
until_ok 30 grep -q . "$tree/user.slice/c.scope/cgroup.procs"
bind_pairs "${names[0]}" "${leaves[0]}" "${names[1]}" "${leaves[1]}" \
	"${names[2]}" "${leaves[2]}"
ok $? "the_three_groups_bind_to_the_existing_cgroups"
sleep 1

# --- one report window of 3 s, as JSON
report_window "$tmp/report.json" ""
python3 - "$tmp/report.json" "${names[@]}" >"$tmp/check" 2>&1 <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
g = {x["name"]: x for x in r["groups"]}
ideal = [g[n]["ideal_share"] for n in sys.argv[2:]]
share = [g[n]["share"] for n in sys.argv[2:]]
print("ideal", " ".join("%.4f" % v for v in ideal))
print("share", " ".join("%.4f" % v for v in share))
print("jain %.4f" % r["jain_index"])
want = [0.25, 0.25, 0.5]
print("IDEAL_OK" if all(abs(a - b) < 1e-6 for a, b in zip(ideal, want)) else "IDEAL_BAD")
print("SHARE_OK" if all(abs(a - b) <= 0.05 for a, b in zip(share, want)) else "SHARE_BAD")
print("JAIN_OK" if r["jain_index"] >= 0.98 else "JAIN_BAD")
PY
verdict "$tmp/check" IDEAL "the_ideal_shares_are_0.25_0.25_0.5"
verdict "$tmp/check" SHARE "the_measured_shares_are_within_0.05_of_the_ideal"
verdict "$tmp/check" JAIN "jain_index_is_at_least_0.98"
sed 's/^/# /' "$tmp/check"

# --- the cgroups' own accounting over 3 s agrees (read frozen, at one moment)
freeze 1 && u0=$(usage_line) && freeze 0 && sleep 3 && freeze 1 &&
	u1=$(usage_line) && freeze 0
ok $? "the_tree_freezes_and_thaws_around_each_read"
python3 - "$u0" "$u1" >"$tmp/usage" 2>&1 <<'PY'
import sys
d = [b - a for a, b in zip(map(int, sys.argv[1].split()), map(int, sys.argv[2].split()))]
s = [x / sum(d) for x in d]
print("cpu.stat shares", " ".join("%.4f" % v for v in s))
print("OK" if all(abs(a - b) <= 0.05 for a, b in zip(s, [0.25, 0.25, 0.5])) else "BAD")
PY
grep -qx OK "$tmp/usage"
ok $? "cpu.stat_shares_are_within_0.05_of_0.25_0.25_0.5" "$(cat "$tmp/usage")"
sed 's/^/# /' "$tmp/usage"

# --- every level bound: the slices' groups become the services' parents
bind_pairs "${slice_names[0]}" "${slices[0]}" "${slice_names[1]}" "${slices[1]}"
ok $? "the_slices_bind_above_the_bound_services"
sleep 1
report_window "$tmp/report2.json" "_with_nested_groups"
python3 - "$tmp/report2.json" "${names[@]}" "${slice_names[@]}" >"$tmp/check2" 2>&1 <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
g = {x["name"]: x for x in r["groups"]}
names = sys.argv[2:]
want = [0.25, 0.25, 0.5, 0.5, 0.5]
ideal = [g[n]["ideal_share"] for n in names]
share = [g[n]["share"] for n in names]
print("ideal", " ".join("%.4f" % v for v in ideal))
print("share", " ".join("%.4f" % v for v in share))
sys_id, user_id = g[names[3]]["id"], g[names[4]]["id"]
parents = [g[n]["parent_id"] for n in names]
print("parents", parents)
print("PARENT_OK" if parents == [sys_id, sys_id, user_id, 0, 0] else "PARENT_BAD")
print("IDEAL_OK" if all(abs(a - b) < 1e-6 for a, b in zip(ideal, want)) else "IDEAL_BAD")
print("SHARE_OK" if all(abs(a - b) <= 0.05 for a, b in zip(share, want)) else "SHARE_BAD")
PY
verdict "$tmp/check2" PARENT "each_service_reports_its_slice_as_parent"
verdict "$tmp/check2" IDEAL "per_level_ideal_0.25_0.25_0.5_slices_0.5_0.5"
verdict "$tmp/check2" SHARE "per_level_shares_within_0.05_no_runtime_counted_twice"
sed 's/^/# /' "$tmp/check2"
totals
