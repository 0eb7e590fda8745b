#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host checks of contrib/: the Prometheus rules (promtool check and
# promtool test rules), the Grafana dashboard's structure (it loads: the
# fields Grafana needs, panels that do not overlap, variables defined,
# every metric it queries exported by prom.c or recorded by the rules)
# and the systemd unit (systemd-analyze verify). Prints TAP.
#
#   tools/tests/contrib_test.sh WFQTOOL
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
wfqtool=$(realpath "${1:?usage: contrib_test.sh WFQTOOL}")
# shellcheck source=selftests/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../selftests/tap.sh"

rules=$top/contrib/prometheus
if command -v promtool >/dev/null; then
	out=$(promtool check rules "$rules/wfqmon-rules.yml" 2>&1)
	ok $? "promtool check rules wfqmon-rules.yml" "$out"
	out=$(cd "$rules" && promtool test rules wfqmon-rules.test.yml 2>&1)
	ok $? "promtool test rules: recording rules and alerts" "$out"
else
	skip "promtool check rules" "promtool not installed (vm/deps.sh)"
	skip "promtool test rules" "promtool not installed (vm/deps.sh)"
fi

out=$(python3 - "$top" <<'PY' 2>&1
import json, re, sys

top = sys.argv[1]
d = json.load(open(top + "/contrib/grafana/wfqmon-dashboard.json"))
errors = []
for key in ("title", "uid", "schemaVersion", "panels", "templating"):
    if key not in d:
        errors.append("no " + key)
names = {v["name"] for v in d["templating"]["list"]}
prom_c = open(top + "/tools/prom.c").read()
exported = set(re.findall(r'"(wfqmon_[a-z_]+)"', prom_c))
for m in re.findall(r'histogram\(f, "(wfqmon_[a-z_]+)"', prom_c):
    exported |= {m + "_bucket", m + "_sum", m + "_count"}
exported |= set(re.findall(r"record: (\S+)", open(top + "/contrib/prometheus/wfqmon-rules.yml").read()))
ids, cells = set(), set()
for p in d["panels"]:
    pid = p.get("id")
    if pid in ids:
        errors.append("panel id %s twice" % pid)
    ids.add(pid)
    if p.get("type") not in ("timeseries", "heatmap", "stat"):
        errors.append("panel %s: type %s" % (pid, p.get("type")))
    g = p["gridPos"]
    if g["x"] + g["w"] > 24:
        errors.append("panel %s wider than the grid" % pid)
    for x in range(g["x"], g["x"] + g["w"]):
        for y in range(g["y"], g["y"] + g["h"]):
            if (x, y) in cells:
                errors.append("panel %s overlaps another at %d,%d" % (pid, x, y))
                break
            cells.add((x, y))
    refs = [t["refId"] for t in p["targets"]]
    if len(refs) != len(set(refs)) or not refs:
        errors.append("panel %s: refIds %s" % (pid, refs))
    for t in p["targets"]:
        for var in re.findall(r"\$(\w+)", t["expr"]):
            if var not in names and not var.startswith("__"):
                errors.append("panel %s: $%s undefined" % (pid, var))
        for m in re.findall(r"\b(wfqmon_[a-z_:0-9]+)", t["expr"]):
            if m not in exported:
                errors.append("panel %s: %s is neither exported nor recorded" % (pid, m))
print("\n".join(errors))
sys.exit(1 if errors else 0)
PY
)
ok $? "Grafana dashboard: loads, panels laid out, queries name real metrics" "$out"

for unit in wfqmon-exporter.service wfqmon-watch.service; do
	if ! command -v systemd-analyze >/dev/null; then
		skip "systemd-analyze verify $unit" "systemd not installed"
		continue
	fi
	tmp=$(mktemp -d)
	sed "s|/usr/sbin/wfqtool|$wfqtool|" "$top/contrib/systemd/$unit" >"$tmp/$unit"
	out=$(systemd-analyze verify --man=no "$tmp/$unit" 2>&1)
	status=$?
	rm -rf "$tmp"
	[ $status = 0 ] && [ -z "$out" ]
	ok $? "systemd-analyze verify $unit: no complaint" "$out"
done
echo "1..$n"
[ "$fail" = 0 ]
