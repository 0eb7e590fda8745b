#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo, guest side: `make demo` runs it as root in the test VM,
#
#   vm/run.sh --kernel 6.1 --out build/demo -- demo/run.sh MODULE.ko
#
# Loads MODULE, creates three groups of weights 1, 2 and 3, all on CPU 0
# (the scheduler stores them as 10, 20, 31: ideal shares 10/61, 20/61 and
# 31/61, 0.164/0.328/0.508, not 1/6, 2/6, 3/6), runs a CPU hog in each,
# samples `wfqtool report --json` over ten 1 s windows, prints the
# report table, and plots shares and virtual time over time into
# $WFQ_OUT/demo.svg (the VM's out dir, the same path on the host).
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
ko=${1:?usage: demo/run.sh MODULE.ko}
out=${WFQ_OUT:?run me in the test VM: vm/run.sh --out DIR -- demo/run.sh MODULE.ko}
wfqtool=$top/build/tools/wfqtool
export WFQTOOL_CGROUP_ROOT=/sys/fs/cgroup/wfqmon-demo
groups=(w1 w2 w3)
windows=10

cleanup() {
	for g in "${groups[@]}"; do
		"$wfqtool" destroy --kill "$g" >/dev/null 2>&1 || true
	done
	rmdir "$WFQTOOL_CGROUP_ROOT" 2>/dev/null || true
}
trap cleanup EXIT

grep -q '^wfqmon ' /proc/modules || insmod "$ko"
echo "demo: three groups of weights 1, 2, 3 sharing CPU 0, a CPU hog in each"
for g in "${groups[@]}"; do
	"$wfqtool" create "$g" --weight "${g#w}" --cpus 0
	"$wfqtool" run "$g" -- sh -c 'while :; do :; done' &
done
sleep 1

echo "demo: sampling wfqtool report --json over $windows windows of 1 s"
"$wfqtool" report --json --interval 1 --count "$windows" >"$out/report.jsonl"
echo
echo "\$ wfqtool report --interval 2"
"$wfqtool" report --interval 2
echo
# Debian's python3: vm/deps.sh installs python3-matplotlib for it.
/usr/bin/python3 demo/plot.py "$out/report.jsonl" "$out/demo.svg"
