#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Ideal CPU shares of busy cgroups along the real cgroup v2 tree.

    selftests/tree_share.py FILE      (lines "NAME /sys/fs/cgroup/PATH")

Every cgroup named is a leaf busy on the same CPUs, and nothing else there
wants CPU. cgroup v2 divides CPU level by level: at each level a cgroup
gets its weight over the weights of its siblings that want CPU (those on
the way to a busy leaf), times its parent's share. The weight is the
scheduler's, round(cpu.weight * 1024 / 100) (cpu_weight_write_u64()), so
cpu.weight 39 counts as 399 against 100's 1024. Prints "NAME SHARE" lines.
"""
import os
import sys


def sched_weight(cgroup):
    with open(os.path.join(cgroup, "cpu.weight"), encoding="ascii") as f:
        return (int(f.read()) * 1024 + 50) // 100


def shares(leaves):
    """{name: share} for {name: cgroup path}."""
    busy = set()  # every cgroup on the way to a busy leaf
    for path in leaves.values():
        while path != "/sys/fs/cgroup":
            busy.add(path)
            path = os.path.dirname(path)
    out = {}
    for name, path in leaves.items():
        share = 1.0
        while path != "/sys/fs/cgroup":
            parent = os.path.dirname(path)
            siblings = [p for p in busy if os.path.dirname(p) == parent]
            share *= sched_weight(path) / sum(map(sched_weight, siblings))
            path = parent
        out[name] = share
    return out


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: tree_share.py FILE")
    try:
        with open(argv[1], encoding="utf-8") as f:
            leaves = dict(line.split() for line in f if line.strip())
        for name, share in shares(leaves).items():
            print(f"{name} {share:.4f}")
    except (OSError, ValueError) as e:
        sys.exit(f"tree_share.py: {e}")


if __name__ == "__main__":
    main(sys.argv)
