#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lab 3 on the host: the kernel's virtual time and catch-ups, and the
recorded activity replayed through `wfqtool simulate --compare`.

  report.py [--check] [--tolerance T] --svg FILE OUTDIR...

OUTDIR is a guest.sh output directory (one per kernel run). Prints the
table, writes the SVG and prints "plot: FILE"; --check prints "ok - ..."
or "not ok - ..." per point and exits 1 if one failed.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import labreport  # noqa: E402
import plot  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WFQTOOL = os.path.join(ROOT, "build", "tools", "wfqtool")
QUANTUM = "4ms"
# |simulated share (with the rule) - kernel share|, as a fraction of one
# CPU. See the answer key for the differences measured over 3 runs.
TOLERANCE = 0.06
# Without the rule the hog must wait at least this long at a return.
STARVE_MIN_NS = 100_000_000
# At a catch-up io's s_i is raised to s_min: the hog's s_i, as the hog is
# the only other active group. Checked in the 200 ms samples that find io
# active and caught up since the previous sample: |s_hog - s_io| must be
# within LEVEL_FRAC of the credit one sleep earns (400 ms of hog CPU /
# weight 100 = 4 ms of vtime), i.e. 1 ms = 100 ms of CPU. What may
# separate them is a few ms of CPU: s_min is up to one 4 ms refresh old,
# the running group's last <= 4 ms are not charged yet (charge timer),
# and the scheduler splits CPU 0 between the equal weights within a slice
# or two (6.1's sleeper credit: 6 ms). About 20 ms of CPU, 0.2 ms; a
# recorded 6.1 run had <= 0.1 ms. Without the rule the gap would be a
# whole sleep's credit, ~4 ms, and grow with every sleep.
LEVEL_FRAC = 0.25
# io is active about a third of the time: ~24 of ~70 samples qualify.
LEVEL_MIN_SAMPLES = 3
# io's steady state begins at its first idle gap of at least this part of
# its sleep: before it, python's start-up over the VM's 9p root blocks io
# for a few ms at a time (gaps of 2-52 ms in the 2026-12-04 runs), after
# it every gap is a sleep (356-424 ms, one of 207 ms).
STEADY_GAP_FRAC = 0.5
# |io's steady share - the burst model's prediction|, in points of CPU 0:
# measured 0.4 (17.0% against 16.7%: python's burst overshoots 100 ms of
# CPU by ~4 ms and the cycle by ~10 ms); 2 points is 5x that.
STEADY_TOLERANCE = 0.02
# The sleeps (as parts of io's burst) at which the model shows the
# starvation without the rule: it grows with the sleep up to the burst.
STARVE_SLEEP_FRACS = (0.25, 0.5, 1.0)


def load_run(outdir):
    with open(os.path.join(outdir, "times.json"), encoding="utf-8") as f:
        times = json.load(f)
    with open(os.path.join(outdir, "list.json"), encoding="utf-8") as f:
        final = {g["name"]: g for g in json.load(f)["groups"]}
    events = labreport.load_jsonl(os.path.join(outdir, "events.jsonl"))
    samples = labreport.load_jsonl(os.path.join(outdir, "samples.jsonl"))
    if not events or not samples:
        sys.exit(f"report.py: {outdir}: no events or samples recorded")
    t0 = events[0]["time_ns"]
    span = times["end_ns"] - t0
    trace = os.path.join(outdir, "sim-trace.jsonl")
    sim = json.loads(subprocess.run(
        [WFQTOOL, "simulate", "--compare", "--json", "--quantum", QUANTUM,
         "--duration", f"{span}ns", "--trace", trace,
         "--replay", os.path.join(outdir, "events.jsonl"),
         "--weights", os.path.join(outdir, "list.json")],
        check=True, capture_output=True, text=True).stdout)
    runs = {r["run"]: {g["name"]: g for g in r["groups"]}
            for r in sim["runs"]}
    kver = os.path.basename(os.path.normpath(outdir))
    run = {"dir": outdir, "kver": kver, "t0": t0, "span": span,
           "times": times,
           "final": final, "events": events, "samples": samples,
           "rule": runs["catchup"], "norule": runs["no-catchup"],
           "trace": load_trace(trace), "model": model(times)}
    run["phases"] = io_phases(run)
    return run


def simulate(*args):
    """wfqtool simulate --json with ARGS; {run: {group: stats}}."""
    out = json.loads(subprocess.run(
        [WFQTOOL, "simulate", "--json", "--quantum", QUANTUM, *args],
        check=True, capture_output=True, text=True).stdout)
    return {r["run"]: {g["name"]: g for g in r["groups"]}
            for r in out["runs"]}


def model(times, sleep_ms=None):
    """Step 1's prediction: the lab's workload in the burst model."""
    sleep = times["io_sleep_ms"] if sleep_ms is None else sleep_ms
    return simulate("--compare", "--group", "hog:100", "--group",
                    f"io:100:burst={times['io_run_ms']}ms,sleep={sleep}ms")


def io_phases(run):
    """io's start-up and steady state from its active/idle notifications:
    {"gaps": [(t_s, gap_ms)], "steady_t": s, "startup_share",
    "steady_share", "burst_ms", "cycle_ms"}; steady_t None if io never
    slept a whole sleep."""
    t0, sleep_ns = run["t0"], run["times"]["io_sleep_ms"] * 1e6
    active, idle_at, gaps = False, None, []
    for e in run["events"]:
        if e.get("name") != "io":
            continue
        if e["active"] and not active and idle_at:
            gaps.append((idle_at, e["time_ns"] - idle_at[0]))
        if e["active"] != active:
            active = e["active"]
            idle_at = None if active else (e["time_ns"], e["runtime_ns"])
    out = {"gaps": [((t - t0) / 1e9, g / 1e6) for (t, _), g in gaps],
           "steady_t": None}
    sleeps = [(t, rt) for (t, rt), g in gaps if g >= STEADY_GAP_FRAC * sleep_ns]
    if len(sleeps) < 2:
        return out
    (ta, ra), (tb, rb) = sleeps[0], sleeps[-1]
    out.update(steady_t=(ta - t0) / 1e9,
               startup_share=ra / (ta - t0),
               steady_share=(rb - ra) / (tb - ta),
               burst_ms=(rb - ra) / (len(sleeps) - 1) / 1e6,
               cycle_ms=(tb - ta) / (len(sleeps) - 1) / 1e6)
    return out


def load_trace(path, points=400):
    """Simulated s_i per run and group, thinned to about `points` steps,
    and the catch-ups: {run: {"groups": [...], "series": [[(t, v)]],
    "catchups": [(t, group index, to)]}}."""
    runs = {}
    lines = labreport.load_jsonl(path)
    steps = sum(1 for x in lines if "vtime_ns_per_weight" in x) or 1
    every = max(1, steps // (points * 2))
    for i, x in enumerate(lines):
        if "groups" in x:
            runs[x["run"]] = {"groups": x["groups"], "catchups": [],
                              "series": [[] for _ in x["groups"]]}
            continue
        r = runs[x["run"]]
        if "catchup" in x:
            r["catchups"].append((x["t_ns"] / 1e9,
                                  r["groups"].index(x["catchup"]),
                                  x["to_vtime_ns_per_weight"] / 1e6))
        elif i % every == 0:
            for g, v in enumerate(x["vtime_ns_per_weight"]):
                r["series"][g].append((x["t_ns"] / 1e9, v / 1e6))
    return runs


def print_table(run):
    print(f"== {run['dir']}: {run['span'] / 1e9:.2f} s recorded, replayed "
          f"with quantum {QUANTUM}")
    print(f"{'GROUP':8} {'W':>4} {'KERNEL%':>8} {'SIM%':>7} {'NORULE%':>8}"
          f" {'K_CATCHUPS':>10} {'K_FORGIVEN_ms':>13} {'S_CATCHUPS':>10}"
          f" {'S_FORGIVEN_ms':>13} {'MAXWAIT_ms':>10} {'NORULE_MAXWAIT_ms':>17}")
    for name, k in sorted(run["final"].items()):
        r, n = run["rule"][name], run["norule"][name]
        print(f"{name:8} {k['weight']:>4} "
              f"{100 * k['runtime_ns'] / run['span']:>8.2f} "
              f"{100 * r['share']:>7.2f} {100 * n['share']:>8.2f} "
              f"{k['catchups']:>10} {k['catchup_vtime_ns_per_weight'] / 1e6:>13.3f} "
              f"{r['catchups']:>10} {r['catchup_vtime_ns_per_weight'] / 1e6:>13.3f} "
              f"{r['wait_max_ns'] / 1e6:>10.1f} "
              f"{n['wait_max_ns'] / 1e6:>17.1f}")
    print("KERNEL%: runtime_ns / recorded time. SIM%/NORULE%: the replay "
          "with and\nwithout the catch-up rule. FORGIVEN: vtime added by "
          "catch-ups (ns/weight).\nMAXWAIT: longest time runnable without "
          "running, in the simulator.")
    ph = run["phases"]
    if ph["steady_t"] is None:
        print("io: no whole sleep recorded, no steady state")
        return
    print(f"io's phases: start-up {ph['steady_t']:.2f} s (idle gaps under "
          f"{STEADY_GAP_FRAC * run['times']['io_sleep_ms']:.0f} ms) at "
          f"{100 * ph['startup_share']:.1f}% of CPU 0, then steady "
          f"{100 * ph['steady_share']:.1f}%: {ph['burst_ms']:.1f} ms of CPU "
          f"per {ph['cycle_ms']:.0f} ms cycle")


def level_gaps(run):
    """s_hog - s_io (ns/weight) in the samples that find io active and
    caught up since the previous sample, and in those that find it idle."""
    after, idle = [], []
    prev = None
    for s in run["samples"]:
        g = {x["name"]: x for x in s["list"]["groups"]}
        if "io" not in g or "hog" not in g:
            continue
        gap = (g["hog"]["vtime_ns_per_weight"]
               - g["io"]["vtime_ns_per_weight"])
        if not g["io"]["active"]:
            idle.append(gap)
        elif prev is not None and g["io"]["catchups"] > prev:
            after.append(gap)
        prev = g["io"]["catchups"]
    return after, idle


def check_level(run):
    """io comes back level with the hog, from a gap the rule had to close:
    asleep it must fall behind by 2x the limit (recorded: up to 3.9 ms;
    the hog gains 1 ms per 100 ms of io's 400 ms sleep), or the level
    test would say nothing."""
    after, idle = level_gaps(run)
    credit = (run["times"]["io_sleep_ms"] * 1e6
              / run["final"]["hog"]["weight"])
    lim = LEVEL_FRAC * credit
    worst = max((abs(v) for v in after), default=None)
    behind = max(idle, default=None)
    ok = (len(after) >= LEVEL_MIN_SAMPLES and worst <= lim
          and behind is not None and behind >= 2 * lim)
    return (ok, f"{run['kver']}: io's s_i against the hog's, in the 200 ms "
            f"samples after a catch-up and while io sleeps",
            f"|s_hog - s_io| <= "
            f"{'-' if worst is None else f'{worst / 1e6:.3f}'} ms in "
            f"{len(after)} samples after a catch-up (want >= "
            f"{LEVEL_MIN_SAMPLES} samples, <= {lim / 1e6:g} ms); asleep io"
            f" fell up to "
            f"{'-' if behind is None else f'{behind / 1e6:.3f}'} ms behind "
            f"(want >= {2 * lim / 1e6:g} ms)")


def check_model(run):
    """io's steady share against step 1's prediction (the burst model)."""
    ph, want = run["phases"], run["model"]["catchup"]["io"]["share"]
    ok = (ph["steady_t"] is not None
          and abs(ph["steady_share"] - want) <= STEADY_TOLERANCE)
    got = ("-" if ph["steady_t"] is None
           else f"{100 * ph['steady_share']:.1f}%")
    return (ok, f"{run['kver']}: io's steady-state share in the kernel "
            f"against the burst model's prediction",
            f"kernel {got} after {ph['steady_t']} s of start-up, model "
            f"{100 * want:.1f}% (want within "
            f"{100 * STEADY_TOLERANCE:.0f} points)")


def check_starvation_grows(run):
    """The notes' point in the model: without the rule the hog's longest
    wait grows with io's sleep (up to io's burst); with it, one quantum."""
    burst = run["times"]["io_run_ms"]
    sleeps = [f * burst for f in STARVE_SLEEP_FRACS]
    norule, rule = [], []
    for ms in sleeps:
        m = model(run["times"], f"{ms:g}")
        norule.append(m["no-catchup"]["hog"]["wait_max_ns"])
        rule.append(m["catchup"]["hog"]["wait_max_ns"])
    quantum = int(QUANTUM.removesuffix("ms")) * 1e6
    ok = (all(b > a for a, b in zip(norule, norule[1:]))
          and norule[0] >= sleeps[0] * 1e6 and max(rule) <= quantum)
    return (ok, f"{run['kver']}: in the burst model the hog's longest wait "
            f"without the rule grows with io's sleep, with it stays one "
            f"quantum",
            f"sleeps {sleeps} ms: without {[w / 1e6 for w in norule]} ms, "
            f"with {[w / 1e6 for w in rule]} ms")


def check(run, tolerance):
    """(ok, point, detail) triples (labreport.print_checks)."""
    pts = [check_model(run), check_starvation_grows(run)]
    io, hog = run["final"]["io"], run["final"]["hog"]
    pts.append((io["catchups"] > 0 and io["catchup_vtime_ns_per_weight"] > 0,
                f"{run['kver']}: the kernel caught io up and forgave it "
                f"credit",
                f"{io['catchups']} catch-ups, "
                f"{io['catchup_vtime_ns_per_weight'] / 1e6:.1f} ms/weight forgiven"))
    pts.append(check_level(run))
    starve = run["norule"]["hog"]["wait_max_ns"]
    fair = run["rule"]["hog"]["wait_max_ns"]
    pts.append((starve >= STARVE_MIN_NS and starve >= 4 * fair,
                f"{run['kver']}: the hog's longest wait in the replay, "
                f"with the rule and without it",
                f"{starve / 1e6:.0f} ms without, {fair / 1e6:.0f} ms with "
                f"(want >= {STARVE_MIN_NS / 1e6:.0f} ms and >= 4x)"))
    pts.append((run["norule"]["io"]["share"] > run["rule"]["io"]["share"] * 1.3,
                f"{run['kver']}: io's simulated share with the rule and "
                f"without it",
                f"{100 * run['norule']['io']['share']:.1f}% without, "
                f"{100 * run['rule']['io']['share']:.1f}% with (want 1.3x)"))
    for name, k in sorted(run["final"].items()):
        ks = k["runtime_ns"] / run["span"]
        ss = run["rule"][name]["share"]
        pts.append((abs(ks - ss) <= tolerance,
                    f"{run['kver']}: {name}: the replay's share (with the "
                    f"rule) within {100 * tolerance:.0f} points of the "
                    f"kernel's",
                    f"simulated {100 * ss:.1f}%, kernel {100 * ks:.1f}%"))
    return pts


def vtime_panel(fig, run):
    """s_i over time per group, catch-ups marked where the count grows."""
    p = fig.lines(f"{run['kver']}: the module's virtual time s_i "
                  "(o: a catch-up seen in a 200 ms sample)", "time (s)",
                  "s_i (ms of CPU per unit of weight)")
    names = sorted(run["final"])
    series = {n: [] for n in names}
    last = {}
    for s in run["samples"]:
        t = (s["t_ns"] - run["t0"]) / 1e9
        for g in s["list"]["groups"]:
            if g["name"] not in series:
                continue
            series[g["name"]].append((t, g["vtime_ns_per_weight"] / 1e6))
            if g["catchups"] > last.get(g["name"], g["catchups"]):
                p.mark(t, g["vtime_ns_per_weight"] / 1e6, label="catch-up")
            last[g["name"]] = g["catchups"]
    for n in names:
        p.line(series[n], f"s_i of {n}", markers=False)


def sim_panel(fig, run):
    """The simulator's s_i over time: solid with the rule, dashed without."""
    p = fig.lines(f"{run['kver']}: the replay in wfqtool simulate "
                  "(solid: with the catch-up rule, dashed: without)",
                  "time (s)", "s_i (ms of CPU per unit of weight)")
    for name, dashed in (("catchup", False), ("no-catchup", True)):
        r = run["trace"].get(name)
        if not r:
            continue
        for g, ser in enumerate(r["series"]):
            p.line(ser, f"s_i of {r['groups'][g]}", dashed=dashed,
                   markers=False, width=1.2)
        for t, g, v in r["catchups"]:
            p.mark(t, v, label="catch-up (simulated)")


def share_panel(fig, run):
    """Bars per group: kernel, simulated with and without the rule."""
    names = sorted(run["final"])
    b = fig.bars(f"{run['kver']}: share of CPU 0 per group", "share of CPU 0 "
                 "(%)", names, height=200)
    b.series("kernel", [100 * run["final"][n]["runtime_ns"] / run["span"]
                        for n in names], color="#444444")
    b.series("simulated, catch-up", [100 * run["rule"][n]["share"]
                                     for n in names], color="#2ca02c")
    b.series("simulated, no rule", [100 * run["norule"][n]["share"]
                                    for n in names], color="#d62728")


def draw(runs, path):
    fig = plot.Figure("Lab 3: WFQ virtual time and the s_min rule")
    for run in runs:
        vtime_panel(fig, run)
        share_panel(fig, run)
        sim_panel(fig, run)
        fig.note(f"{run['kver']}: {run['span'] / 1e9:.1f} s recorded, "
                 f"{run['dir']}")
    fig.save(path)


def main():
    a = labreport.parse_args(__doc__, TOLERANCE)
    runs = [load_run(d) for d in a.outdirs]
    for run in runs:
        print_table(run)
    draw(runs, a.svg)
    print(f"plot: {a.svg}")
    if not a.check:
        return 0
    return labreport.print_checks(p for run in runs
                                  for p in check(run, a.tolerance))


if __name__ == "__main__":
    sys.exit(main())
