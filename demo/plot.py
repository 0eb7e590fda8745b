#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Plot wfqtool report --json windows as an SVG (labs/lib/plot.py).

    demo/plot.py REPORT.jsonl OUT.svg [TITLE]

Two panels over time: each group's share of the CPU time with its ideal
share as a dashed line, and its virtual time s_i (CPU seconds per unit of
weight, from the first window). A group whose weight changed is labelled
with its first and last weights. Prints the mean share per group.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "labs", "lib"))
import plot  # noqa: E402


def load(path):
    """Per group: times (s, window ends), shares, ideals, vtimes (s)."""
    series, t = {}, 0.0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            w = json.loads(line)
            t += w["interval_ns"] / 1e9
            for g in w["groups"]:
                s = series.setdefault(g["name"], {"weight": g["weight"], "t": [],
                                                  "share": [], "ideal": [], "vtime": []})
                s["last_weight"] = g["weight"]
                s["t"].append(t)
                s["share"].append(g["share"])
                s["ideal"].append(g["ideal_share"])
                s["vtime"].append(g["vtime_ns_per_weight"] / 1e9)
    for s in series.values():
        v0 = s["vtime"][0] if s["vtime"] else 0
        s["vtime"] = [v - v0 for v in s["vtime"]]
    return series


def weight_label(s):
    if s["last_weight"] == s["weight"]:
        return f"weight {s['weight']}"
    return f"weight {s['weight']} -> {s['last_weight']}"


def render(series, path, title):
    """Shares with their ideal (dashed) and vtimes, per group, to `path`."""
    names = sorted(series, key=lambda n: (series[n]["weight"], n))
    fig = plot.Figure(title)
    shares = fig.lines("CPU share per group (dashed: ideal share)",
                       "time (s)", "share (fraction of the groups' CPU time)",
                       ymin=0)
    vtimes = fig.lines("Virtual time s_i from the first window "
                       "(together = fair)", "time (s)",
                       "s_i (CPU s per unit of weight)", ymin=0)
    for n in names:
        s = series[n]
        label = f"{n} ({weight_label(s)})"
        shares.line(list(zip(s["t"], s["share"])), label)
        shares.line(list(zip(s["t"], s["ideal"])), label, dashed=True,
                    legend=False)
        vtimes.line(list(zip(s["t"], s["vtime"])), label)
    fig.save(path)
    return names


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit("usage: plot.py REPORT.jsonl OUT.svg [TITLE]")
    title = argv[3] if len(argv) == 4 else \
        "wfqmon demo: three CPU hogs, weights 1:2:3, on CPU 0"
    try:
        series = load(argv[1])
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"plot.py: {argv[1]}: {e}")
    if not series:
        sys.exit(f"plot.py: {argv[1]}: no report windows")
    try:
        names = render(series, argv[2], title)
    except OSError as e:
        sys.exit(f"plot.py: {argv[2]}: {e}")
    for n in names:
        s = series[n]
        mean = sum(s["share"]) / len(s["share"])
        print(f"demo: {n} ({weight_label(s)}): mean share {mean:.3f}, "
              f"ideal {s['ideal'][-1]:.3f}, over {len(s['share'])} windows")
    print(f"demo: plot of shares and virtual time: {argv[2]}")


if __name__ == "__main__":
    main(sys.argv)
