#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Plot wfqtool report --json windows as an SVG, with no plotting library.

    demo/plot.py REPORT.jsonl OUT.svg

Two panels over time: each group's share of the CPU time with its ideal
share as a dashed line, and its virtual time s_i (CPU seconds per unit of
weight, from the first window). Prints the mean share per group.
"""
import json
import math
import sys
from html import escape

WIDTH, HEIGHT = 800, 640
LEFT, RIGHT = 80, 150          # margins: axis labels, legend
PANELS = ((60, 300), (370, 590))  # (top, bottom) of each plot area
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")


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
                s["t"].append(t)
                s["share"].append(g["share"])
                s["ideal"].append(g["ideal_share"])
                s["vtime"].append(g["vtime_ns_per_weight"] / 1e9)
    for s in series.values():
        v0 = s["vtime"][0] if s["vtime"] else 0
        s["vtime"] = [v - v0 for v in s["vtime"]]
    return series


def nice_step(span, ticks=5):
    """A 1, 2 or 5 times a power of ten step giving about `ticks` ticks."""
    raw = span / ticks if span > 0 else 1
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def panel(out, top, bottom, title, ylabel, tmax, ymax, lines):
    """Axes, grid, labels and polylines of (points, color, dashed)."""
    right = WIDTH - RIGHT

    def x(t):
        return LEFT + (right - LEFT) * t / tmax

    def y(v):
        return bottom - (bottom - top) * v / ymax

    out.append(f'<text x="{LEFT}" y="{top - 12}" class="title">{escape(title)}</text>')
    step = nice_step(ymax)
    v = 0.0
    while v <= ymax + 1e-9:
        out.append(f'<line x1="{LEFT}" y1="{y(v):.1f}" x2="{right}" y2="{y(v):.1f}" class="grid"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:g}</text>')
        v += step
    step = nice_step(tmax, 10)
    t = 0.0
    while t <= tmax + 1e-9:
        out.append(f'<line x1="{x(t):.1f}" y1="{bottom}" x2="{x(t):.1f}" y2="{bottom + 5}" class="axis"/>')
        out.append(f'<text x="{x(t):.1f}" y="{bottom + 18}" text-anchor="middle">{t:g}</text>')
        t += step
    out.append(f'<line x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" class="axis"/>')
    out.append(f'<line x1="{LEFT}" y1="{top}" x2="{LEFT}" y2="{bottom}" class="axis"/>')
    out.append(f'<text x="{(LEFT + right) / 2}" y="{bottom + 36}" text-anchor="middle">time (s)</text>')
    mid = (top + bottom) / 2
    out.append(f'<text x="{LEFT - 50}" y="{mid}" text-anchor="middle" '
               f'transform="rotate(-90 {LEFT - 50} {mid})">{escape(ylabel)}</text>')
    for points, color, dashed in lines:
        pts = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in points)
        dash = ' stroke-dasharray="6,4"' if dashed else ""
        out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"{dash}/>')
        if not dashed:
            for t, v in points:
                out.append(f'<circle cx="{x(t):.1f}" cy="{y(v):.1f}" r="3" fill="{color}"/>')


def render(series):
    names = sorted(series, key=lambda n: (series[n]["weight"], n))
    tmax = max((s["t"][-1] for s in series.values() if s["t"]), default=1)
    smax = max([v for s in series.values() for v in s["share"] + s["ideal"]] + [0.1])
    vmax = max([v for s in series.values() for v in s["vtime"]] + [1e-3])
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
           "<style>.grid{stroke:#ddd}.axis{stroke:#000}.title{font-size:15px;font-weight:bold}</style>",
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>']
    share_lines, vtime_lines = [], []
    for i, n in enumerate(names):
        s, c = series[n], COLORS[i % len(COLORS)]
        share_lines.append((list(zip(s["t"], s["share"])), c, False))
        share_lines.append((list(zip(s["t"], s["ideal"])), c, True))
        vtime_lines.append((list(zip(s["t"], s["vtime"])), c, False))
    panel(out, *PANELS[0], "CPU share per group (dashed: ideal share)", "share",
          tmax, smax * 1.1, share_lines)
    panel(out, *PANELS[1], "Virtual time s_i (CPU s per unit of weight; together = fair)", "vtime (s)",
          tmax, vmax * 1.1, vtime_lines)
    lx, ly = WIDTH - RIGHT + 20, PANELS[0][0] + 10
    out.append(f'<text x="{lx}" y="{ly}" font-weight="bold">group (weight)</text>')
    for i, n in enumerate(names):
        yy, c = ly + 22 * (i + 1), COLORS[i % len(COLORS)]
        out.append(f'<line x1="{lx}" y1="{yy - 4}" x2="{lx + 24}" y2="{yy - 4}" stroke="{c}" stroke-width="3"/>')
        out.append(f'<text x="{lx + 30}" y="{yy}">{escape(n)} ({series[n]["weight"]})</text>')
    yy = ly + 22 * (len(names) + 1)
    out.append(f'<line x1="{lx}" y1="{yy - 4}" x2="{lx + 24}" y2="{yy - 4}" stroke="#555" '
               f'stroke-width="2" stroke-dasharray="6,4"/>')
    out.append(f'<text x="{lx + 30}" y="{yy}">ideal share</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n", names


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: plot.py REPORT.jsonl OUT.svg")
    try:
        series = load(argv[1])
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"plot.py: {argv[1]}: {e}")
    if not series:
        sys.exit(f"plot.py: {argv[1]}: no report windows")
    svg, names = render(series)
    try:
        with open(argv[2], "w", encoding="utf-8") as f:
            f.write(svg)
    except OSError as e:
        sys.exit(f"plot.py: {argv[2]}: {e}")
    for n in names:
        s = series[n]
        mean = sum(s["share"]) / len(s["share"])
        print(f"demo: {n} (weight {s['weight']}): mean share {mean:.3f}, "
              f"ideal {s['ideal'][-1]:.3f}, over {len(s['share'])} windows")
    print(f"demo: plot of shares and virtual time: {argv[2]}")


if __name__ == "__main__":
    main(sys.argv)
