#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 1, in the VM: what a container sees. A probe (nsprobe) runs in a
# container with one new namespace at a time (pid, mnt, uts, ipc, net,
# user), then with all six; the host looks at the same moment. Then the
# chroot escape under chroot and under pivot_root, and an overlay root.
# The host gets something for each namespace to hide: a SysV IPC key, a
# dummy network interface, a file only root may read. Writes into $WFQ_OUT:
#   kernel.json      kernel release, date
#   views.jsonl      per configuration: inside, outside, the host
#   escape.json      chroot vs pivot_root
#   overlay.json     what reached the upper and the lower layer
#   transcript.txt   ps, hostname, ip link, id, ipcs, mounts in each
# Usage: guest.sh KO
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=labs/lib/guest.sh
source "$here/../lib/guest.sh"
lab_init lab1 "${1:?usage: guest.sh KO}"
lab_kernel_info "$LAB_OUT/kernel.json"

probe=$PWD/build/labs/lab1-nsprobe
[ -x "$probe" ] || { echo "lab1: $probe: not built (make -C labs/lab1-namespaces)" >&2; exit 1; }
# Local, world-readable scratch: root of the user namespace is uid 100000.
work=/tmp/lab1
rm -rf "$work"
mkdir -m 0755 "$work"
cp "$probe" "$work/nsprobe"

# A second interface for the net namespace to hide (the VM has only lo).
if modprobe dummy 2>/dev/null && ip link add lab1-dummy0 type dummy; then
	ip link set lab1-dummy0 up
else
	echo "lab1: no dummy interface (modprobe dummy failed): the host has only lo" >&2
fi

lab_create container --weight 100
python3 "$here/containers.py" "$work/nsprobe" container "$work" "$LAB_OUT"
ip link del lab1-dummy0 2>/dev/null || true
echo "lab1: results in $LAB_OUT"
