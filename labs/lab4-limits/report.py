#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lab 4 on the host: a hard limit (cpu.max) against weights alone, per
phase of the busy/idle group.

  report.py [--check] --svg FILE OUTDIR...

OUTDIR is a guest.sh output directory (one per kernel run) holding the
runs `weights` and `capped`. Prints per run and phase the shares of CPU 0
(from wfqmon's runtime in `wfqtool report --json` windows), CPU 0's idle
time (/proc/stat) and a's throttling (cpu.stat); writes the SVG and prints
"plot: FILE"; --check prints "ok - ..." or "not ok - ..." per point and
exits 1 if one failed.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import labreport  # noqa: E402
import plot  # noqa: E402

RUNS = ("weights", "capped")
PHASES = ("busy", "idle")
# A window counts for a phase only if it starts this long after b's
# switch: the scheduler needs a moment to move the CPU over.
SETTLE_NS = 50_000_000
# /proc/stat: user nice system idle iowait irq softirq steal.
IDLE, IOWAIT = 3, 4

# Check tolerances, as fractions of CPU 0. The answer key gives the
# noise measured over the recorded runs; each bound is at least three
# times the largest deviation seen.
FAIR = 0.5            # equal weights, both busy
FAIR_TOL = 0.12
WORK_CONSERVING_MIN = 0.85   # a's share while b idles, no limit
IDLE_MAX = 0.10              # CPU 0 idle while a hog may run
CAP_TOL = 0.08               # a's share above its cpu.max
WASTE_MIN = 0.30             # idle(capped) - idle(weights), b idle


def windows(samples):
    """Per report window after the first: its end (arrival, ns), length,
    a's and b's runtime and a's throttled time (ns), and CPU 0's idle and
    total ticks and a's throttling count between the two arrivals."""
    out = []
    for prev, cur in zip(samples, samples[1:]):
        rep = cur["report"]
        g = {x["name"]: x for x in rep["groups"]}
        if "a" not in g or "b" not in g:
            continue
        dcpu = [n - p for n, p in zip(cur["cpu"], prev["cpu"])]
        out.append({
            "end": cur["t_ns"], "len": rep["interval_ns"],
            "a": g["a"]["runtime_ns"], "b": g["b"]["runtime_ns"],
            "a_thr": g["a"]["cpu_throttled_ns"] or 0,
            "a_nthr": (cur["cpu_stat"]["a"]["nr_throttled"]
                       - prev["cpu_stat"]["a"]["nr_throttled"]),
            "idle": dcpu[IDLE] + dcpu[IOWAIT], "ticks": sum(dcpu),
        })
    return out


def phase_of(win, switches):
    """b's phase over the whole window, or None if it switched inside
    it (or had not started)."""
    start = win["end"] - win["len"]
    for (t, phase), nxt in zip(switches, switches[1:] + [(None, None)]):
        if t + SETTLE_NS <= start and (nxt[0] is None or win["end"] <= nxt[0]):
            return phase
    return None


def totals(wins):
    n = sum(w["len"] for w in wins) or 1
    ticks = sum(w["ticks"] for w in wins) or 1
    return {"windows": len(wins), "secs": n / 1e9,
            "a": sum(w["a"] for w in wins) / n,
            "b": sum(w["b"] for w in wins) / n,
            "idle": sum(w["idle"] for w in wins) / ticks,
            "a_thr": sum(w["a_thr"] for w in wins) / n,
            "a_nthr": sum(w["a_nthr"] for w in wins) / (n / 1e9)}


def load_run(outdir, run):
    d = os.path.join(outdir, run)
    wins = windows(labreport.load_jsonl(os.path.join(d, "samples.jsonl")))
    switches = [(x["t_ns"], x["phase"])
                for x in labreport.load_jsonl(os.path.join(d, "phases.jsonl"))]
    if not wins or not switches:
        sys.exit(f"report.py: {d}: no windows or no phase switches recorded")
    a = next(g for g in labreport.load_json(os.path.join(d, "list.json"))["groups"]
             if g["name"] == "a")
    quota = a["cpu_max_quota_us"]
    for w in wins:
        w["phase"] = phase_of(w, switches)
    return {"run": run, "t0": switches[0][0], "wins": wins,
            "switches": switches,
            # "max" (no quota) or null (not known): no cap.
            "cap": (quota / a["cpu_max_period_us"]
                    if isinstance(quota, int) and quota else None),
            "all": totals(wins),
            "phase": {p: totals([w for w in wins if w["phase"] == p])
                      for p in PHASES}}


def load(outdir):
    info = labreport.load_json(os.path.join(outdir, "kernel.json"))
    return {"dir": outdir, "kver": info["kernel"], "date": info["date"],
            "runs": {r: load_run(outdir, r) for r in RUNS}}


def pct(v):
    return f"{100 * v:6.1f}%"


def print_table(k):
    print(f"== {k['kver']}, {k['date']} ({k['dir']})")
    print(f"{'RUN':8} {'A CPU.MAX':9} {'B':4} {'WIN':>4} {'SECS':>5} "
          f"{'A':>7} {'B':>7} {'IDLE':>7} {'OTHER':>7} {'A_THROTTLED':>11} "
          f"{'THROTTLES/s':>11}")
    for name, run in k["runs"].items():
        cap = f"{100 * run['cap']:.0f}%" if run["cap"] else "max"
        for label, t in [(p, run["phase"][p]) for p in PHASES] + \
                [("all", run["all"])]:
            other = 1 - t["a"] - t["b"] - t["idle"]
            print(f"{name:8} {cap:9} {label:4} {t['windows']:>4} "
                  f"{t['secs']:>5.1f} {pct(t['a'])} {pct(t['b'])} "
                  f"{pct(t['idle'])} {pct(other)} {pct(t['a_thr']):>11} "
                  f"{t['a_nthr']:>11.1f}")
    w, c = k["runs"]["weights"]["phase"]["idle"], \
        k["runs"]["capped"]["phase"]["idle"]
    print(f"While b idles: weights alone give a {pct(w['a']).strip()} and "
          f"CPU 0 idles {pct(w['idle']).strip()};\nthe cap holds a to "
          f"{pct(c['a']).strip()}, throttled {pct(c['a_thr']).strip()} of "
          f"the time, and CPU 0 idles {pct(c['idle']).strip()}: "
          f"{1000 * (c['idle'] - w['idle']):.0f} ms of CPU per second "
          "wasted.")
    print("A, B: wfqmon runtime / window length (share of CPU 0). IDLE: "
          "CPU 0 idle+iowait\nticks (/proc/stat). OTHER: the rest (kernel "
          "threads, interrupts). A_THROTTLED:\ncpu.stat throttled time / "
          "window length. WIN: 250 ms windows wholly inside a phase.")


def check(k):
    """(ok, point, detail) triples (labreport.print_checks)."""
    pts = []
    kv = k["kver"]
    wb, wi = (k["runs"]["weights"]["phase"][p] for p in PHASES)
    cb, ci = (k["runs"]["capped"]["phase"][p] for p in PHASES)
    cap = k["runs"]["capped"]["cap"]
    for run, t in (("weights", wb), ("capped", cb)):
        pts.append((abs(t["a"] - FAIR) <= FAIR_TOL
                    and abs(t["b"] - FAIR) <= FAIR_TOL,
                    f"{kv}: {run}, b busy: a's and b's shares of CPU 0 "
                    f"follow the weights (within {100 * FAIR_TOL:.0f} points)",
                    f"a {pct(t['a']).strip()}, b {pct(t['b']).strip()}, "
                    f"each should be {100 * FAIR:.0f}%"))
    pts.append((wi["a"] >= WORK_CONSERVING_MIN and wi["idle"] <= IDLE_MAX,
                f"{kv}: weights, b idle: what a takes, and CPU 0's idle time",
                f"a takes {pct(wi['a']).strip()} (>= "
                f"{100 * WORK_CONSERVING_MIN:.0f}%), CPU 0 idle "
                f"{pct(wi['idle']).strip()} (<= {100 * IDLE_MAX:.0f}%)"))
    pts.append((k["runs"]["weights"]["all"]["a_thr"] == 0,
                f"{kv}: weights: whether a is ever throttled",
                f"throttled {pct(k['runs']['weights']['all']['a_thr']).strip()}"))
    pts.append((cap is not None and ci["a"] <= cap + CAP_TOL,
                f"{kv}: capped, b idle: a stays within its cpu.max "
                f"(+ {100 * CAP_TOL:.0f} points)",
                f"a {pct(ci['a']).strip()}, cpu.max {100 * (cap or 0):.0f}%"))
    pts.append((cap is not None and ci["idle"] >= 1 - cap - WASTE_MIN / 2
                and ci["a_thr"] >= 1 - cap - WASTE_MIN / 2,
                f"{kv}: capped, b idle: CPU 0's idle time and a's throttled "
                f"time",
                f"CPU 0 idle {pct(ci['idle']).strip()} while a throttled "
                f"{pct(ci['a_thr']).strip()} (both >= "
                f"{100 * (1 - (cap or 1) - WASTE_MIN / 2):.0f}%)"))
    pts.append((ci["idle"] - wi["idle"] >= WASTE_MIN,
                f"{kv}: b idle: what the cap costs against weights alone",
                f"the cap wastes {100 * (ci['idle'] - wi['idle']):.1f}% of "
                f"CPU 0 that weights give to a (>= {100 * WASTE_MIN:.0f}%)"))
    return pts


def draw(kernels, path):
    fig = plot.Figure("Lab 4: hard limit (cpu.max) vs weights alone, "
                         "CPU 0")
    for k in kernels:
        for name, run in k["runs"].items():
            cap = (f"a capped at cpu.max {100 * run['cap']:.0f}%"
                   if run["cap"] else "weights only, no cpu.max")
            p = fig.lines(f"{k['kver']}: {name} ({cap})", "time (s)",
                          "share of CPU 0 (fraction)", ymin=0, ymax=1.05)
            t0 = run["t0"]
            sw = run["switches"]
            end = run["wins"][-1]["end"]
            for (t, phase), nxt in zip(sw, sw[1:] + [(end, None)]):
                if phase == "idle":
                    p.band((t - t0) / 1e9, (min(nxt[0], end) - t0) / 1e9,
                           "b idle")
            pts = {"a": [], "b": [], "idle": [], "thr": []}
            for w in run["wins"]:
                x = (w["end"] - w["len"] / 2 - t0) / 1e9
                pts["a"].append((x, w["a"] / w["len"]))
                pts["b"].append((x, w["b"] / w["len"]))
                pts["idle"].append((x, w["idle"] / (w["ticks"] or 1)))
                pts["thr"].append((x, w["a_thr"] / w["len"]))
            p.line(pts["a"], "a (hog)")
            p.line(pts["b"], "b (2 s busy, 2 s idle)")
            p.line(pts["idle"], "CPU 0 idle", color="#7f7f7f", width=1.5)
            p.line(pts["thr"], "a throttled", color="#ff7f0e", dashed=True)
            if run["cap"]:
                p.hline(run["cap"], "a's cpu.max")
        groups = [f"{r} b {p}" for r in RUNS for p in PHASES]
        b = fig.bars(f"{k['kver']}: per phase (250 ms windows inside a "
                     "phase)", "share of CPU 0 (fraction)", groups, ymin=0,
                     ymax=1.05)
        per = [k["runs"][r]["phase"][p] for r in RUNS for p in PHASES]
        b.series("a (hog)", [t["a"] for t in per])
        b.series("b (2 s busy, 2 s idle)", [t["b"] for t in per])
        b.series("CPU 0 idle", [t["idle"] for t in per], color="#7f7f7f")
        b.series("a throttled", [t["a_thr"] for t in per], color="#ff7f0e")
        fig.note(f"{k['kver']}: recorded {k['date']}; shares from wfqmon "
                 "runtime (wfqtool report --json), idle from /proc/stat, "
                 "throttled from cpu.stat")
    fig.save(path)


def main():
    a = labreport.parse_args(__doc__)
    kernels = [load(d) for d in a.outdirs]
    for k in kernels:
        print_table(k)
    draw(kernels, a.svg)
    print(f"plot: {a.svg}")
    if not a.check:
        return 0
    return labreport.print_checks(p for k in kernels for p in check(k))


if __name__ == "__main__":
    sys.exit(main())
