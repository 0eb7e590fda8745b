#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The containers demo, guest side: `make demo-containers` runs it as root
# in the test VM,
#
#   vm/run.sh --kernel 6.1 --out build/demo-containers -- demo/containers.sh MODULE.ko
#
# Starts real containers (selftests/containers.sh), a CPU hog in each, all
# on CPU 0: Podman containers "db" (--cpu-shares 1024) and "batch"
# (--cpu-shares 512), and an LXC container "web" (lxc.cgroup2.cpu.weight
# 50). `wfqtool watch` binds a group to each container's cgroup; the demo
# samples `wfqtool report --json` over 1 s windows, raises batch to
# --cpu-shares 2048 with `podman update` half way (watch follows
# cpu.weight), prints the report table and plots shares and virtual time
# into $WFQ_OUT/containers.svg (the VM's out dir, the same path on the host).
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
ko=${1:?usage: demo/containers.sh MODULE.ko}
out=${WFQ_OUT:?run me in the test VM: vm/run.sh --out DIR -- demo/containers.sh MODULE.ko}
wfqtool=$top/build/tools/wfqtool
windows=12
watch_pids=()

# shellcheck source=selftests/containers.sh
. "$top/selftests/containers.sh"

cleanup() {
	local pid
	for pid in "${watch_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	wait
	ctr_teardown || true
}
trap cleanup EXIT

grep -q '^wfqmon ' /proc/modules || insmod "$ko"
echo "demo: real containers on CPU 0, a CPU hog in each (starting them takes about 2 minutes under emulation)"
ctr_setup
ctr_lxc web "lxc.cgroup2.cpu.weight = 50" "lxc.cgroup2.cpuset.cpus = 0"
ctr_podman db --cpu-shares 1024 --cpuset-cpus 0
ctr_podman batch --cpu-shares 512 --cpuset-cpus 0
# wfqtool names each group by its container's name, as podman ps and
# lxc-ls show it.
for c in db batch web; do
	cg=$(ctr_cgroup "$c")
	echo "demo: $c: cgroup $cg, cpu.weight $(cat "$cg/cpu.weight")"
done

"$wfqtool" watch /sys/fs/cgroup/libpod_parent --match 'libpod-*' &
watch_pids+=($!)
"$wfqtool" watch /sys/fs/cgroup --match 'lxc.payload.*' &
watch_pids+=($!)
sleep 2

echo "demo: sampling wfqtool report --json over $windows windows of 1 s;" \
	"podman update --cpu-shares 2048 batch after $((windows / 2)) s"
(sleep $((windows / 2)) && podman update --cpu-shares 2048 batch >/dev/null &&
	echo "demo: batch: cpu.weight now $(cat "$(ctr_cgroup batch)/cpu.weight")") &
"$wfqtool" report --json --interval 1 --count "$windows" >"$out/report.jsonl"
wait $!
echo
echo "\$ wfqtool report --interval 2"
"$wfqtool" report --interval 2
echo
# Debian's python3: vm/deps.sh installs python3-matplotlib for it.
/usr/bin/python3 demo/plot.py "$out/report.jsonl" "$out/containers.svg" \
	"wfqmon demo: Podman and LXC containers on CPU 0 (batch: --cpu-shares 512, then 2048)"
