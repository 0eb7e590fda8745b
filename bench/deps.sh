#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host packages `make bench` needs on top of vm/deps.sh: the guest shares
# the host's root, so what is installed here is what the VM runs.
#   linux-perf  perf bench sched pipe / messaging (hackbench's port)
#   bpftrace    configuration (e), the alternative a user would reach for
# Fast no-op when both are present.
set -euo pipefail

packages=(linux-perf bpftrace)
missing=()
for pkg in "${packages[@]}"; do
	dpkg-query -W -f='${db:Status-Status}\n' "$pkg" 2>/dev/null |
		grep -qx installed || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "bench/deps.sh: missing packages (need root): ${missing[*]}" >&2
	exit 1
fi
echo "bench/deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
