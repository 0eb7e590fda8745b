#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# wfqtool exporter scraped by a real Prometheus server (Debian's), and
# report --prometheus. Runs as root in the test VM with wfqmon.ko loaded
# (selftests/run.sh calls it):
#
#   selftests/exporter_test.sh
#
# Groups a and b (cpu.weight 100 and 200) hog CPU 0; c (weight 100)
# hogs CPU 1 under cpu.max 10 %. The exporter runs as nobody, Prometheus
# scrapes it every second with contrib/prometheus/wfqmon-rules.yml (its
# "for: 5m" shortened to 5s), then its HTTP API must give b/(a+b) = 2/3
# over 25 s within 0.05 and fire WfqmonGroupBelowIdealShare for c alone. Every
# /metrics body seen here goes through promtool check metrics. Prints
# TAP and a kselftest-style "# Totals:" line.
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
wfqtool=$top/build/tools/wfqtool
export WFQTOOL_CGROUP_ROOT=/sys/fs/cgroup/wfqexp-test-$$
root=$WFQTOOL_CGROUP_ROOT
tmp=$(mktemp -d /var/tmp/exporter-test.XXXXXX)
chmod 755 "$tmp"
listen=127.0.0.1:19464
prom_url=http://127.0.0.1:19090
# Prometheus 2.42 needs 20-30 s to be ready under TCG.
ready_timeout=120

# shellcheck source=selftests/tap.sh
. "$top/selftests/tap.sh"
exporter_pid='' prom_pid=''
cleanup() {
	[ -n "$exporter_pid" ] && kill "$exporter_pid" 2>/dev/null
	[ -n "$prom_pid" ] && kill "$prom_pid" 2>/dev/null
	for g in a b c lxc.payload.box; do
		"$wfqtool" destroy --kill "$g" >/dev/null 2>&1
	done
	wait
	rmdir "$root" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# GET $1; $code gets the HTTP status, $tmp/body the body.
get() {
	code=$(curl -s -o "$tmp/body" -w '%{http_code}' "$@")
}
# promtool on $tmp/body; its complaint in $lint.
lint_body() {
	lint=$(promtool check metrics <"$tmp/body" 2>&1)
}
# One instant query; prints the result vector as JSON.
query() {
	curl -s "$prom_url/api/v1/query" --data-urlencode "query=$1" |
		jq -c '.data.result'
}

echo "TAP version 13"
for tool in prometheus promtool curl jq; do
	if ! command -v "$tool" >/dev/null; then
		ok 1 "$tool is installed (vm/deps.sh)"
		totals
		exit 1
	fi
done
ip link set lo up

# --- report --prometheus: one exposition for any --count, atomic --output
"$wfqtool" report --interval 0.2 --count 2 --prometheus >"$tmp/body" 2>"$tmp/err"
lint_body
ok $? "report_count_2_prometheus_passes_promtool" "$lint $(cat "$tmp/err")"
"$wfqtool" report --interval 0.2 --count 3 --prometheus --output "$tmp/wfqmon.prom" 2>"$tmp/err"
rc=$?
cp "$tmp/wfqmon.prom" "$tmp/body" 2>/dev/null
lint_body
[ $rc = 0 ] && [ -z "$lint" ] && [ -z "$(find "$tmp" -name '.wfqmon.prom.tmp.*')" ] &&
	[ "$(stat -c %a "$tmp/wfqmon.prom")" = 644 ]
ok $? "report_output_writes_file_0644_and_leaves_no_temporary" "$rc $lint $(cat "$tmp/err")"

# --- a group whose cgroup is not ROOT/NAME is found by its cgroup id
"$wfqtool" create lxc.payload.box >/dev/null
"$wfqtool" --cgroup-root /sys/fs/cgroup/nowhere-$$ report --interval 0.1 --prometheus >"$tmp/body" 2>"$tmp/err"
lint_body
[ -z "$lint" ] && grep -q '^wfqmon_group_info{group="lxc.payload.box",group_id="[0-9]*",cgroup_id="[0-9]*",cgroup="'"$root"'/lxc.payload.box",id="/'"${root#/sys/fs/cgroup/}"'/lxc.payload.box",container="box"} 1$' "$tmp/body" &&
	grep -q '^wfqmon_group_cpu_weight{group="lxc.payload.box"} 100$' "$tmp/body"
ok $? "group_outside_root_found_by_cgroup_id_with_container_label" "$lint $(grep -E 'group_info' "$tmp/body") $(cat "$tmp/err")"
"$wfqtool" destroy lxc.payload.box >/dev/null

# --- the load: a:b = 100:200 on CPU 0, c capped to 10 % on CPU 1
"$wfqtool" create a --weight 100 --cpus 0 >/dev/null &&
	"$wfqtool" create b --weight 200 --cpus 0 >/dev/null &&
	"$wfqtool" create c --weight 100 --cpus 1 --cpu-max 10000/100000 >/dev/null
ok $? "fixture_groups_created"
for g in a b c; do
	"$wfqtool" run "$g" -- sh -c 'while :; do :; done' &
done

# --- the exporter, unprivileged
# Exporter and Prometheus on CPU 1, beside the capped c, away from a and b.
taskset -c 1 setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$wfqtool" exporter --listen "$listen" 2>"$tmp/exporter.err" &
exporter_pid=$!
for _ in $(seq 50); do
	get "http://$listen/" && [ "$code" = 200 ] && break
	sleep 0.2
done
ok $(( code != 200 )) "exporter_serves_index_page" "$code $(cat "$tmp/exporter.err")"
get "http://$listen/metrics"
lint_body
[ "$code" = 200 ] && [ -z "$lint" ] && grep -q '^wfqmon_up 1$' "$tmp/body"
ok $? "metrics_as_nobody_up_and_promtool_clean" "$code $lint"
grep -q '^wfqmon_group_info{group="a",group_id="[0-9]*",cgroup_id="[0-9]*",cgroup="'"$root"'/a",id="/'"${root#/sys/fs/cgroup/}"'/a"} 1$' "$tmp/body" &&
	grep -q '^wfqmon_group_cpu_weight{group="b"} 200$' "$tmp/body" &&
	grep -q '^wfqmon_group_cpu_throttled_seconds_total{group="c"} [0-9]*\.[0-9]\{9\}$' "$tmp/body" &&
	grep -q '^wfqmon_group_wait_before_quantum_seconds_bucket{group="a",le="+Inf"} [0-9]*$' "$tmp/body"
ok $? "metrics_have_info_cpu_weight_throttling_and_histograms" "$(grep -E 'group_info|cpu_weight\{' "$tmp/body")"
get -X POST "http://$listen/metrics"
c405=$code
get "http://$listen/nothing"
[ "$c405" = 405 ] && [ "$code" = 404 ]
ok $? "post_is_405_unknown_path_is_404" "$c405 $code"
# Eight scrapes at once: each whole and valid.
for i in 1 2 3 4 5 6 7 8; do
	curl -s -o "$tmp/par$i" -w '%{http_code}\n' "http://$listen/metrics" >"$tmp/code$i" &
done
wait_ok=0
for i in 1 2 3 4 5 6 7 8; do
	for _ in $(seq 100); do [ -s "$tmp/code$i" ] && break; sleep 0.1; done
	cp "$tmp/par$i" "$tmp/body"
	lint_body
	[ "$(cat "$tmp/code$i")" = 200 ] && [ -z "$lint" ] || wait_ok=1
done
ok $wait_ok "eight_concurrent_scrapes_all_valid" "$lint"

# --- Prometheus, with the project's rules
sed 's/for: 5m/for: 5s/' contrib/prometheus/wfqmon-rules.yml >"$tmp/rules.yml"
cat >"$tmp/prometheus.yml" <<CONF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $tmp/rules.yml
scrape_configs:
  - job_name: wfqmon
    static_configs:
      - targets: ['$listen']
CONF
taskset -c 1 prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/data" \
	--web.listen-address="${prom_url#http://}" >"$tmp/prometheus.log" 2>&1 &
prom_pid=$!
start=$SECONDS
until curl -sf "$prom_url/-/ready" >/dev/null; do
	if [ $((SECONDS - start)) -gt $ready_timeout ] || ! kill -0 $prom_pid 2>/dev/null; then
		break
	fi
	sleep 1
done
curl -sf "$prom_url/-/ready" >/dev/null
ok $? "prometheus_ready_in_$((SECONDS - start))s" "$(tail -5 "$tmp/prometheus.log")"

# Let it scrape for a while, then ask it for the shares.
sleep 30
get "http://$listen/metrics"
lint_body
ok $(( ${#lint} > 0 )) "metrics_after_scrapes_pass_promtool" "$lint"
health=$(curl -s "$prom_url/api/v1/targets" | jq -r '.data.activeTargets[0].health')
[ "$health" = up ]
ok $? "prometheus_target_up" "$health"
ra=$(query 'rate(wfqmon_group_runtime_seconds_total{group="a"}[25s])' | jq -r '.[0].value[1]')
rb=$(query 'rate(wfqmon_group_runtime_seconds_total{group="b"}[25s])' | jq -r '.[0].value[1]')
# cpu.weight 100:200 is 1024:2048 in the kernel: b's share is 2/3.
share_b=$(awk -v a="$ra" -v b="$rb" 'BEGIN { if (a + b > 0) printf "%.4f", b / (a + b); else print "nan" }')
awk -v s="$share_b" 'BEGIN { exit !(s + 0 == s && s > 2/3 - 0.05 && s < 2/3 + 0.05) }'
ok $? "prometheus_rate_gives_b_share_2/3_within_0.05 (b $share_b)" "rate a $ra b $rb"

# c waits under its cap with a fifth of its ideal: the alert fires, for c alone.
alerts=
for _ in $(seq 40); do
	alerts=$(curl -s "$prom_url/api/v1/alerts" |
		jq -c '[.data.alerts[] | select(.labels.alertname == "WfqmonGroupBelowIdealShare" and .state == "firing") | .labels.group] | sort')
	[ "$alerts" = '["c"]' ] && break
	sleep 1
done
[ "$alerts" = '["c"]' ]
ok $? "alert_below_ideal_share_fires_for_capped_c_only" \
	"$alerts $(query 'wfqmon_group:share_of_ideal:ratio_rate1m')"

# --- clean shutdown
kill -TERM "$exporter_pid"
wait "$exporter_pid"
rc=$?
exporter_pid=''
ok $rc "exporter_exits_0_on_sigterm" "$(cat "$tmp/exporter.err")"

totals
[ "$fail" = 0 ]
