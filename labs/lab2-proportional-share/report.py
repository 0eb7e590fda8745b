#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lab 2 on the host: shares of one CPU against w_i / sum(w).

  report.py [--check] [--tolerance T] --svg FILE OUTDIR...

OUTDIR is a guest.sh output directory (one per kernel run). Prints, per
phase (1:2, 1:2:3, and after a's weight changed live), each group's
share of the groups' CPU time next to its ideal w_i / sum(w); writes the
SVG (shares over time, dashed ideals, the change marked; measured vs
ideal bars) and prints "plot: FILE"; --check prints "ok - ..." or
"not ok - ..." per point and exits 1 if one failed.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import labreport  # noqa: E402
import plot  # noqa: E402

# |share - ideal| allowed for a phase's share (fraction of the groups' CPU
# time). The answer key gives the deviations measured over the recorded
# runs; this is several times the largest.
TOLERANCE = 0.05


def load_run(outdir):
    with open(os.path.join(outdir, "phases.json"), encoding="utf-8") as f:
        phases = json.load(f)
    with open(os.path.join(outdir, "kernel.json"), encoding="utf-8") as f:
        kernel = json.load(f)
    run = {"dir": outdir, "kernel": kernel, "phases": phases, "windows": []}
    t0 = phases["phase1"]["start_ns"]
    for name in ("phase1", "phase2"):
        t = phases[name]["start_ns"]
        for w in labreport.load_jsonl(os.path.join(outdir, f"{name}.jsonl")):
            start = t
            t += w["interval_ns"]
            run["windows"].append({
                "phase": name, "t0": (start - t0) / 1e9, "t1": (t - t0) / 1e9,
                "weights": {g["name"]: g["weight"] for g in w["groups"]},
                "runtime": {g["name"]: g["runtime_ns"] for g in w["groups"]},
                "cpus": sum(g["actual_cpus"] for g in w["groups"]),
                "share": {g["name"]: g["share"] for g in w["groups"]}})
    run["change_t"] = (phases["change"]["time_ns"] - t0) / 1e9
    run["periods"] = periods(run)
    return run


def periods(run):
    """The three periods of constant weights. A window's weights are read
    at its end, so the first window showing the new weight of a straddles
    the change: it belongs to no period."""
    ch = run["phases"]["change"]
    out = {"1:2": [], "1:2:3": [], "after": []}
    seen_new = False
    for w in run["windows"]:
        if w["phase"] == "phase1":
            out["1:2"].append(w)
        elif w["weights"][ch["group"]] != ch["weight"]:
            out["1:2:3"].append(w)
        elif not seen_new:
            seen_new = True
            w["straddles"] = True
        else:
            out["after"].append(w)
    return out


def summary(windows):
    """Per group: weight, ideal w_i/sum(w), share of the groups' runtime
    over the period, and the smallest and largest share of one window."""
    names = sorted(windows[0]["weights"])
    weights = windows[0]["weights"]
    total_w = sum(weights.values())
    total_rt = sum(sum(w["runtime"].values()) for w in windows) or 1
    return {n: {"weight": weights[n], "ideal": weights[n] / total_w,
                "share": sum(w["runtime"][n] for w in windows) / total_rt,
                "min": min(w["share"][n] for w in windows),
                "max": max(w["share"][n] for w in windows)}
            for n in names}


def print_table(run):
    k = run["kernel"]
    print(f"== {run['dir']}: kernel {k['kernel']}, {k['date']}; all groups "
          f"on CPU 0, 1 s windows")
    print(f"{'PERIOD':7} {'WINDOWS':>7} {'GROUP':5} {'W':>4} {'IDEAL':>6} "
          f"{'SHARE':>6} {'ERR':>7} {'MIN':>6} {'MAX':>6} {'CPU0':>5}")
    for period, windows in run["periods"].items():
        cpus = sum(w["cpus"] for w in windows) / len(windows)
        for i, (n, s) in enumerate(summary(windows).items()):
            print(f"{period if i == 0 else '':7} "
                  f"{len(windows) if i == 0 else '':>7} {n:5} {s['weight']:>4} "
                  f"{s['ideal']:6.3f} {s['share']:6.3f} "
                  f"{s['share'] - s['ideal']:+7.3f} {s['min']:6.3f} "
                  f"{s['max']:6.3f} {cpus if i == 0 else '':>5.5}")
    ch = run["phases"]["change"]
    print(f"IDEAL = w_i / sum(w); SHARE = the group's runtime / all groups' "
          f"runtime over the period;\nMIN/MAX over its 1 s windows; CPU0 = "
          f"CPUs the groups used together (1 = all of CPU 0).\n'after': "
          f"{ch['group']}'s weight set to {ch['weight']} at "
          f"t = {run['change_t']:.1f} s; the window holding the change is "
          f"left out.")


def check(run, tol):
    pts = []
    kv = run["kernel"]["kernel"]
    p = {k: summary(v) for k, v in run["periods"].items()}
    for period in ("1:2", "1:2:3", "after"):
        s = p[period]
        worst = max(abs(x["share"] - x["ideal"]) for x in s.values())
        shares = ", ".join(f"{n} {x['share']:.3f}" for n, x in s.items())
        pts.append((worst <= tol,
                    f"{kv}: {period}: every group's share within {tol} of "
                    f"its w_i/sum(w)",
                    f"shares {shares} (worst {worst:.3f} off)"))
    for period, order in (("1:2:3", "abc"), ("after", "bca")):
        s = p[period]
        shares = [s[n]["share"] for n in order]
        text = " < ".join(f"{n} {x:.3f}" for n, x in zip(order, shares))
        pts.append((shares == sorted(shares) and len(set(shares)) == len(shares),
                    f"{kv}: {period}: the groups' shares in the order of "
                    f"their weights", f"want {text}"))
    ch = run["phases"]["change"]["group"]
    before, after = p["1:2:3"][ch], p["after"][ch]
    rise = after["ideal"] - before["ideal"]
    pts.append((after["share"] - before["share"] >= rise / 2,
                f"{kv}: {ch}'s share follows its weight change (at least "
                f"half of the rise of its w_i/sum(w))",
                f"{before['share']:.3f} -> {after['share']:.3f} (ideal "
                f"{before['ideal']:.3f} -> {after['ideal']:.3f})"))
    return pts


def draw(runs, path):
    fig = plot.Figure("Lab 2: proportional share of one CPU")
    for run in runs:
        kv = run["kernel"]["kernel"]
        ch = run["phases"]["change"]
        p = fig.lines(f"{kv}: share of the groups' CPU time per 1 s window "
                      "(dashed: w_i / sum(w))", "time (s)",
                      "share (fraction of the CPU)",
                      ymin=0, ymax=0.8)
        end = run["windows"][-1]["t1"]
        p2 = run["windows"][len(run["periods"]["1:2"])]["t0"]
        for n in sorted(run["windows"][-1]["weights"]):
            label = f"group {n}"
            # One polyline per phase: nothing was measured between them.
            for i, phase in enumerate(("phase1", "phase2")):
                p.line([((w["t0"] + w["t1"]) / 2, w["share"][n])
                        for w in run["windows"]
                        if w["phase"] == phase and n in w["share"]],
                       label, legend=i == 0 or n == "c")
            for period, (a, b) in (("1:2", (0, p2)),
                                   ("1:2:3", (p2, run["change_t"])),
                                   ("after", (run["change_t"], end))):
                s = summary(run["periods"][period])
                if n in s:
                    p.line([(a, s[n]["ideal"]), (b, s[n]["ideal"])],
                           color=p.color_of(label), dashed=True, legend=False)
        p.vline(p2, "c joins")
        p.vline(run["change_t"], f"{ch['group']}: weight -> {ch['weight']}")
        straddle = [w for w in run["windows"] if w.get("straddles")]
        for w in straddle:
            p.mark((w["t0"] + w["t1"]) / 2, w["share"][ch["group"]],
                   "straddles the change")
        labels, measured, ideal = [], [], []
        for period, windows in run["periods"].items():
            for n, s in summary(windows).items():
                labels.append(f"{period} {n}")
                measured.append(s["share"])
                ideal.append(s["ideal"])
        b = fig.bars(f"{kv}: share per period vs w_i / sum(w)",
                     "share (fraction of the CPU)",
                     labels, height=200)
        b.series("measured", measured)
        b.series("ideal", ideal, color="#bbbbbb")
        fig.note(f"{kv}, {run['kernel']['date']}: {run['dir']}")
    fig.save(path)


def main():
    a = labreport.parse_args(__doc__, TOLERANCE)
    runs = [load_run(d) for d in a.outdirs]
    for run in runs:
        print_table(run)
        top = os.path.join(run["dir"], "top.txt")
        if os.path.exists(top):
            with open(top, encoding="utf-8") as f:
                print(f"wfqtool top after the change:\n{f.read()}")
    draw(runs, a.svg)
    print(f"plot: {a.svg}")
    if not a.check:
        return 0
    return labreport.print_checks(p for run in runs
                                  for p in check(run, a.tolerance))


if __name__ == "__main__":
    sys.exit(main())
