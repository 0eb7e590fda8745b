#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host packages `make bench` needs on top of the project's own: the guest
# shares the host's root, so what is installed here is what the VM runs.
#   linux-perf  perf bench sched pipe / messaging (hackbench's port)
#   bpftrace    configuration (e), the alternative a user would reach for
set -euo pipefail

exec "$(dirname "${BASH_SOURCE[0]}")/../vm/deps.sh" linux-perf bpftrace
