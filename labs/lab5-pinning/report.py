#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lab 5 on the host: core pinning, from each group's per-CPU runtime.

  report.py [--check] --svg FILE OUTDIR...

OUTDIR is a guest.sh output directory (one per kernel run). For every
scenario and group: the CPUs its weight and pinning entitle it to, the
CPUs it got over the window, its share of the scenario's CPU time and
how its runtime split over the CPUs. Prints the table, writes the SVG
(stacked per-CPU bars per group, dashed: the entitlement) and prints
"plot: FILE"; --check prints "ok - ..." or "not ok - ..." per point and
exits 1 if one failed.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import labreport  # noqa: E402
import plot  # noqa: E402

SCENARIOS = ("shared", "disjoint", "unpinned", "contended")
# a's share of the scenario's CPU time against the entitlement's share.
# The wrong answers (weights ignored where they matter, applied where
# they do not) are 0.25 away; TOL_SHARE is well above the spread of the
# runs in the answer key and well below 0.25.
TOL_SHARE = 0.08
# CPUs used against the entitlement: the guest's own wfqtool calls and
# the emulator take some CPU from the hogs (up to 11% measured), never
# give them more.
GOT_MIN, GOT_OVER = 0.75, 0.05
PINNED_MIN = 0.99
# The kernel reads a group's totals and then its CPUs: a running group
# may be charged a tick or so in between (6 ms seen under TCG).
SUM_SLACK_NS = 30_000_000


def parse_cpus(text):
    """"0-1,3" -> {0, 1, 3}."""
    cpus = set()
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        cpus.update(range(int(lo), int(hi or lo) + 1))
    return cpus


def entitlement(groups):
    """CPUs each group should get: weighted max-min fairness (water-filling)
    within each set of groups whose cpusets overlap; a group can use at most
    min(hogs, CPUs in its cpuset)."""
    ideal = {}
    left = list(groups)
    while left:
        comp = [left.pop()]
        grew = True
        while grew:
            grew = False
            for g in list(left):
                if any(g["cpus"] & c["cpus"] for c in comp):
                    comp.append(g)
                    left.remove(g)
                    grew = True
        capacity = len(set().union(*(g["cpus"] for g in comp)))
        todo = {g["name"]: g for g in comp}
        while todo:
            wsum = sum(g["weight"] for g in todo.values())
            level = capacity / wsum
            capped = [g for g in todo.values()
                      if min(g["hogs"], len(g["cpus"])) <= level * g["weight"]]
            if not capped:
                for g in todo.values():
                    ideal[g["name"]] = level * g["weight"]
                break
            for g in capped:
                cap = min(g["hogs"], len(g["cpus"]))
                ideal[g["name"]] = cap
                capacity -= cap
                del todo[g["name"]]
    return ideal


def load_scenario(path):
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    groups = []
    for g in raw["groups"]:
        before, after = g["before"], g["after"]
        wall = (g["t_after_ns"] - g["t_before_ns"]) / 1e9
        per_cpu = {c["cpu"]: c["runtime_ns"] for c in after["cpus"]}
        for c in before["cpus"]:
            per_cpu[c["cpu"]] -= c["runtime_ns"]
        run = after["runtime_ns"] - before["runtime_ns"]
        groups.append({
            "name": g["name"].split("-", 1)[1],
            "weight": after["weight"],
            "cpuset": after["cpuset_cpus"],
            "cpus": parse_cpus(after["cpuset_cpus"]),
            "hogs": g["hogs"],
            "runtime_s": run / 1e9,
            "got": run / 1e9 / wall,
            "per_cpu": {c: ns / 1e9 / wall for c, ns in sorted(per_cpu.items())},
            "per_cpu_sum_ns": sum(per_cpu.values()),
            "runtime_ns": run,
        })
    # Rates, not runtimes: each group's window is its own (a wfqtool call
    # takes up to half a second under emulation, so the windows differ).
    total = sum(g["got"] for g in groups) or 1
    ideal = entitlement(groups)
    for g in groups:
        g["share"] = g["got"] / total
        g["ideal"] = ideal[g["name"]]
    return groups, raw["window_s"]


def load_run(outdir):
    with open(os.path.join(outdir, "kernel.json"), encoding="utf-8") as f:
        kernel = json.load(f)
    runs = {}
    for s in SCENARIOS:
        path = os.path.join(outdir, f"{s}.json")
        if not os.path.exists(path):
            sys.exit(f"report.py: {path}: missing (did guest.sh finish?)")
        runs[s], window = load_scenario(path)
    return {"dir": outdir, "kernel": kernel, "scenarios": runs,
            "window_s": window}


def print_table(run):
    k = run["kernel"]
    cpus = sorted({c for gs in run["scenarios"].values() for g in gs
                   for c in g["per_cpu"]})
    print(f"kernel {k['kernel']}, {k['cpus']} CPUs, {k['date']}")
    head = (f"{'SCENARIO':<10} {'GROUP':<5} {'W':>4} {'CPUSET':<6} {'HOGS':>4}"
            f" {'IDEAL':>6} {'GOT':>6} {'SHARE':>6}")
    head += "".join(f" {'CPU' + str(c):>6}" for c in cpus)
    print(head)
    for s, groups in run["scenarios"].items():
        for g in groups:
            line = (f"{s:<10} {g['name']:<5} {g['weight']:>4} {g['cpuset']:<6}"
                    f" {g['hogs']:>4} {g['ideal']:>6.2f} {g['got']:>6.2f}"
                    f" {g['share']:>6.3f}")
            line += "".join(f" {g['per_cpu'].get(c, 0):>6.2f}" for c in cpus)
            print(line)
    print("IDEAL, GOT and CPUn in CPUs (CPU time per second of the window);"
          " SHARE: GOT / sum of GOT in the scenario")


TITLES = {
    "shared": "shared: a and b pinned to CPU 0, one hog each",
    "disjoint": "disjoint: a pinned to CPU 0, b to CPU 1, one hog each",
    "unpinned": "unpinned: a and b on CPUs 0-1, one hog each",
    "contended": "contended: a and b on CPUs 0-1, two hogs each",
}


def draw(runs, path):
    """One panel per scenario; in it one stacked bar per kernel and group."""
    fig = plot.Figure("Lab 5: core pinning - CPUs used per group, by CPU")
    ymax = max(2.0, max(g["got"] for r in runs for gs in r["scenarios"].values()
                        for g in gs) * 1.1)
    cpus = sorted({c for r in runs for gs in r["scenarios"].values()
                   for g in gs for c in g["per_cpu"]})
    for s in SCENARIOS:
        names, refs, series = [], [], {c: [] for c in cpus}
        for run in runs:
            kv = run["kernel"]["kernel"].split("+")[0].split("-")[0]
            for g in run["scenarios"][s]:
                names.append(f"{kv}: {g['name']} w={g['weight']}")
                for c in cpus:
                    series[c].append(g["per_cpu"].get(c, 0))
                refs.append((names[-1], g["ideal"]))
        panel = fig.bars(TITLES[s], "CPU time per second (CPUs)", names,
                         height=170, stacked=True, ymin=0, ymax=ymax)
        for c in cpus:
            panel.series(f"CPU {c}", series[c])
        for name, y in refs:
            panel.ref(name, y, "entitlement")
    for run in runs:
        k = run["kernel"]
        fig.note(f"{k['kernel']}, {k['date']}, {k['cpus']} CPUs (test VM, TCG);"
                 f" window {run['window_s']:g} s after a 2 s warm-up")
    fig.save(path)


# What each scenario shows, for the check lines.
POINTS = {
    "shared": "one CPU shared: the weights split it",
    "disjoint": "disjoint CPUs: the weights do not matter",
    "unpinned": "a CPU each, unpinned: the weights do not matter",
    "contended": "two CPUs contended: the weights split both",
}


def checks(run):
    """(ok, text) per qualitative point of the lab, for one kernel run."""
    kv = run["kernel"]["kernel"]
    out = []
    for s, groups in run["scenarios"].items():
        total_ideal = sum(g["ideal"] for g in groups)
        a = next(g for g in groups if g["name"] == "a")
        want = a["ideal"] / total_ideal
        out.append((abs(a["share"] - want) <= TOL_SHARE,
                    f"{kv}: {s}: a's share of both groups' CPU time is "
                    f"its entitlement's (within {TOL_SHARE})",
                    f"{POINTS[s]}: a's share {a['share']:.3f}, expected "
                    f"{want:.3f}"))
        for g in groups:
            lo, hi = GOT_MIN * g["ideal"], g["ideal"] + GOT_OVER
            out.append((lo <= g["got"] <= hi,
                        f"{kv}: {s}: {g['name']} used about the CPUs it is "
                        f"entitled to ({100 * GOT_MIN:.0f}% of it to "
                        f"+{GOT_OVER} CPUs)",
                        f"used {g['got']:.2f} CPUs, entitled to "
                        f"{g['ideal']:.2f} ({lo:.2f}..{hi:.2f})"))
            diff = abs(g["per_cpu_sum_ns"] - g["runtime_ns"])
            out.append((diff <= max(SUM_SLACK_NS, 0.02 * g["runtime_ns"]),
                        f"{kv}: {s}: {g['name']}: per-CPU runtimes add up to"
                        f" the group's",
                        f"{diff / 1e6:.1f} ms apart"))
            if len(g["cpus"]) == 1:
                cpu = min(g["cpus"])
                frac = g["per_cpu"].get(cpu, 0) / g["got"] if g["got"] else 0
                out.append((frac >= PINNED_MIN,
                            f"{kv}: {s}: {g['name']}, pinned to CPU {cpu}, ran"
                            f" there (>= {100 * PINNED_MIN:.0f}% of its time)",
                            f"{100 * frac:.1f}% on CPU {cpu}"))
    return out


def main():
    args = labreport.parse_args(__doc__)
    runs = [load_run(d) for d in args.outdirs]
    for i, run in enumerate(runs):
        if i:
            print()
        print_table(run)
    draw(runs, args.svg)
    print(f"plot: {args.svg}")
    if not args.check:
        return 0
    return labreport.print_checks(p for run in runs for p in checks(run))


if __name__ == "__main__":
    sys.exit(main())
