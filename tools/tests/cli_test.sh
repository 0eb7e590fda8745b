#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# wfqtool's command line as a contract: for each case the exit status and
# the whole of stderr, and every --json output checked against its schema
# (Documentation/schemas). Host only: no root, no module (cases that need
# the module to be absent are skipped where it is loaded). TAP.
#
#   tools/tests/cli_test.sh [WFQTOOL]
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
wfqtool=${1:-$here/../../build/tools/wfqtool}
validate=$here/validate_json.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=selftests/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../selftests/tap.sh"
# Run wfqtool: $out, $err, $rc.
wt() {
	out=$("$wfqtool" "$@" 2>"$tmp/err"); rc=$?
	err=$(cat "$tmp/err")
}
# expect STATUS STDERR ARGS...: the status and the exact stderr.
expect() {
	local status=$1 want=$2
	shift 2
	wt "$@"
	[ "$rc" = "$status" ] && [ "$err" = "$want" ]
	ok $? "wfqtool $* exits $status" "status $rc, stderr:
$err
wanted:
$want"
}

echo "TAP version 13"

# --- usage errors: status 2, one wording per kind of error
see() { echo "(see wfqtool $1 --help)"; }
expect 2 "wfqtool: report: give --json or --prometheus, not both $(see report)" \
	report --json --prometheus
expect 2 "wfqtool: report: give --prometheus or --json, not both $(see report)" \
	report --prometheus --interval=2 --json
expect 2 "wfqtool: list: give --no-legend or --json, not both $(see list)" \
	list --json --no-legend
expect 2 "wfqtool: simulate: give --no-catchup or --compare, not both $(see simulate)" \
	simulate --group a:1 --no-catchup --compare
expect 2 "wfqtool: simulate: give --group or --replay, not both $(see simulate)" \
	simulate --group a:1 --replay events.jsonl
expect 125 "wfqtool: run: give --root or --overlay, not both $(see run)" \
	run web --root /srv --overlay / -- true
expect 2 "wfqtool: list: unknown option --bogus $(see list)" list --bogus
expect 2 "wfqtool: events: unknown option -x $(see events)" events -x
expect 2 "wfqtool: list: unknown option --interval $(see list)" list --interval 1
expect 2 "wfqtool: top: unknown option --json $(see top)" top --json
expect 2 "wfqtool: report: --interval needs a value $(see report)" report --interval
expect 2 "wfqtool: events: --timeout needs a value $(see events)" events --timeout
expect 2 "wfqtool: unknown option --bogus (see wfqtool --help)" --bogus
expect 2 'wfqtool: unknown command "nosuch" (see wfqtool --help)' nosuch
expect 2 'wfqtool: help: unknown command "nosuch" (see wfqtool --help)' help nosuch
expect 2 "wfqtool: show: give one group NAME $(see show)" show
expect 2 "wfqtool: attach: nothing to do: give a PID $(see attach)" attach web
expect 2 'wfqtool: attach: pid "x": not a process id' attach web x
expect 2 "wfqtool: top: --count: \"-1\": not a decimal number $(see top)" top --count -1
expect 2 "wfqtool: events: --count: count must be at least 1 $(see events)" \
	events --count 0

# --- one duration syntax; bare numbers only where they are seconds
units='(ns, us, ms, s, m, h)'
notdur='not a duration like 500ms, 1.5s or 2m (units ns, us, ms, s, m, h)'
expect 2 "wfqtool: simulate: --quantum: \"4\": give a unit, like 4ms or 4s $units $(see simulate)" \
	simulate --group a:1 --quantum 4
expect 2 "wfqtool: simulate: --duration: \"10\": give a unit, like 10ms or 10s $units $(see simulate)" \
	simulate --group a:1 --duration=10
expect 2 "wfqtool: simulate: --group: group \"a:1:on=2,off=1s\": \"2\": give a unit, like 2ms or 2s $units $(see simulate)" \
	simulate --group a:1:on=2,off=1s
expect 2 "wfqtool: simulate: --cpus: count must be at least 1 $(see simulate)" \
	simulate --group a:1 --cpus 0
expect 2 "wfqtool: simulate: --group: group \"a:1:burst=5ms\": group \"a\": burst= and sleep= go together and must be > 0 $(see simulate)" \
	simulate --group a:1:burst=5ms
expect 2 "wfqtool: report: --interval: \"500xs\": $notdur $(see report)" \
	report --interval 500xs
expect 2 "wfqtool: top: --interval: \"0s\": must be more than 0 $(see top)" \
	top --interval 0s
expect 2 "wfqtool: events: --timeout: \"2d\": $notdur $(see events)" events --timeout 2d
expect 2 "wfqtool: report: --interval: \"25h\": longer than a day $(see report)" \
	report -i 25h
wt simulate --group a:1 --quantum 1.5ms --duration 0.5m
[ "$rc" = 0 ] && [[ $out == "WFQ on 1 CPU, quantum 1.500 ms, 30.000 s simulated"* ]]
ok $? "simulate takes 1.5ms and 0.5m" "$rc $err $out"

# --- help for every command, as COMMAND --help and help COMMAND
wt help
ok $(( rc != 0 )) "help exits 0" "$rc $err"
cmds=$(echo "$out" | awk '/^Commands:/ { on = 1; next } on && NF == 0 { on = 0 } on { print $1 }')
[ "$(echo "$cmds" | wc -w)" -ge 12 ]
ok $? "help lists the commands" "$out"
for c in $cmds; do
	wt "$c" --help
	h=$out
	wt help "$c"
	[ "$rc" = 0 ] && [ -z "$err" ] && [ "$out" = "$h" ] &&
		[[ $out == "usage: wfqtool $c"* ]]
	ok $? "$c --help and help $c print its usage, status 0" "$rc $err $out"
done
# Positional arguments do not hide --help.
wt attach web --help
[ "$rc" = 0 ] && [[ $out == "usage: wfqtool attach"* ]]
ok $? "attach NAME --help is help, not a pid" "$rc $err"
wt run web --help
[ "$rc" = 0 ] && [[ $out == "usage: wfqtool run"* ]]
ok $? "run NAME --help is help" "$rc $err"
wt --cgroup-root=/nonexistent simulate --help --cgroup-root /x
[ "$rc" = 0 ] && [[ $out == "usage: wfqtool simulate"* ]]
ok $? "--cgroup-root=DIR before and after the command" "$rc $err"
expect 2 "wfqtool: list: --cgroup-root: give a directory $(see list)" \
	list --cgroup-root=

# --- versions
wt --version
want_version=$(cat "$here/../../VERSION")
[ "$(echo "$out" | head -n 2)" = "wfqtool $want_version
family wfqmon version $(awk '/define WFQMON_FAMILY_VERSION/ { print $3 }' "$here/../../uapi/linux/wfqmon.h") (built for)" ]
ok $? "--version prints the release and the family version it was built for" "$out"
wt -V
v=$out
wt version
[ "$out" = "$v" ]
ok $? "-V and version print the same" "$v / $out"

# --- the module missing: status 3 and how to load it, no source tree
nomod='wfqtool: wfqmon: kernel module not loaded (no /sys/module/wfqmon): load it with "modprobe wfqmon" or "insmod PATH/wfqmon.ko"'
if [ -e /sys/module/wfqmon ]; then
	for c in list version events; do skip "$c without the module" "wfqmon is loaded here"; done
	skip "run without the module" "wfqmon is loaded here"
else
	expect 3 "$nomod" list
	expect 3 "$nomod" version
	expect 3 "$nomod" events --timeout 100ms
	# run's own failures are 125, so they never pass for CMD's status.
	expect 125 "$nomod" run web -- true
fi

# --- JSON: every sample valid against its schema
wt simulate --group a:100 --group b:200:on=100ms,off=300ms,start=1s \
	--quantum 4ms --duration 3s --compare --json --trace "$tmp/trace.jsonl"
ok $rc "simulate --compare --json --trace runs" "$err"
echo "$out" >"$tmp/sim.json"
"$validate" simulate "$tmp/sim.json" >"$tmp/v" 2>&1
ok $? "simulate --json matches Documentation/schemas/simulate.schema.json" "$(cat "$tmp/v")"
"$validate" simulate-trace "$tmp/trace.jsonl" >"$tmp/v" 2>&1
ok $? "simulate --trace lines match simulate-trace.schema.json" "$(head -n 5 "$tmp/v")"
# Several CPUs, bursts, threads and caps: the same schemas.
wt simulate --cpus 2 --group a:100:burst=20ms,sleep=50ms \
	--group b:100:threads=2,cap=50000/100000 --group c:300:cap=30% \
	--duration 1s --compare --json --trace "$tmp/trace2.jsonl"
echo "$out" >"$tmp/sim2.json"
[ "$rc" = 0 ] && "$validate" simulate "$tmp/sim2.json" >"$tmp/v" 2>&1 &&
	"$validate" simulate-trace "$tmp/trace2.jsonl" >>"$tmp/v" 2>&1
ok $? "simulate --cpus 2 with burst=, threads= and cap= matches both schemas" "$rc $err $(head -n 5 "$tmp/v")"
# A replay of an events record, weights from a list document.
printf '%s\n' \
	'{"schema_version":1,"time_ns":1000000000,"event":"active","id":1,"name":"a","weight":100,"active":true,"nr_runnable":1,"activations":1,"vtime_ns_per_weight":0,"runtime_ns":0}' \
	'{"schema_version":1,"time_ns":1500000000,"event":"idle","id":1,"name":"a","weight":100,"active":false,"nr_runnable":0,"activations":1,"vtime_ns_per_weight":5,"runtime_ns":5}' \
	>"$tmp/events.jsonl"
"$validate" events "$tmp/events.jsonl" >"$tmp/v" 2>&1
ok $? "the replay fixture is a valid events --json record" "$(cat "$tmp/v")"
wt simulate --replay "$tmp/events.jsonl" --json
echo "$out" >"$tmp/replay.json"
[ "$rc" = 0 ] && "$validate" simulate "$tmp/replay.json" >"$tmp/v" 2>&1
ok $? "simulate --replay --json matches its schema" "$rc $err $(cat "$tmp/v")"
echo '{"schema_version":1,"time_ns":2000000000,"event":"lost"}' >>"$tmp/events.jsonl"
"$validate" events "$tmp/events.jsonl" >/dev/null 2>&1
ok $? "a lost-notifications line is part of the events schema"
wt simulate --replay "$tmp/events.jsonl"
[ "$rc" = 1 ] && [ "$err" = "wfqtool: $tmp/events.jsonl:3: notifications were lost here (\"event\": \"lost\"): the record cannot be replayed" ]
ok $? "a replay refuses a record with lost notifications" "$rc $err"
# --- export and import: the document, and what import refuses before it
# needs the module
"$(dirname "$wfqtool")/tests/group_state_test" --print-sample >"$tmp/export.json"
"$validate" export "$tmp/export.json" >"$tmp/v" 2>&1
ok $? "export's document matches export.schema.json" "$(cat "$tmp/v")"
sed 's/"weight":300/"weight":0/' "$tmp/export.json" >"$tmp/bad-export.json"
expect 2 "wfqtool: import: $tmp/bad-export.json: weight: out of range 1..10000" \
	import "$tmp/bad-export.json"
sed 's/"50000 100000"/"lots"/' "$tmp/export.json" >"$tmp/bad-cpu-max.json"
expect 2 "wfqtool: import: $tmp/bad-cpu-max.json: cgroup.cpu.max: cpu.max \"lots\": expected QUOTA[/PERIOD] in microseconds or max[/PERIOD]" \
	import "$tmp/bad-cpu-max.json"
expect 2 "wfqtool: import: a FILE is needed $(see import)" import
expect 2 "wfqtool: import: unexpected argument \"b\" $(see import)" import a b
expect 2 "wfqtool: import: --cgroup /web: give ROOT/DIR, DIR a group name, ROOT not / $(see import)" \
	import --cgroup /web "$tmp/export.json"
expect 2 "wfqtool: export: a group NAME is needed $(see export)" export
# The validator itself fails on a wrong document.
echo '{"schema_version":1,"quantum_ns":1,"duration_ns":1,"runs":[],"max_wait_ns":1}' >"$tmp/bad.json"
! "$validate" simulate "$tmp/bad.json" >/dev/null 2>&1
ok $? "the schema refuses an unknown key and an empty runs"

echo "1..$n"
[ "$fail" = 0 ]
