# SPDX-License-Identifier: GPL-2.0
"""The one plotting module of the labs, the demo and the bench (matplotlib).

A Figure is a column of panels sharing one width; each panel becomes one
matplotlib Axes, drawn when the figure is saved. Panel kinds:

  fig.lines(title, xlabel, ylabel)  series over x (time): .line(), .hline()
                                    (dashed reference), .vline() and
                                    .mark() (annotated events), .band()
  fig.bars(title, ylabel, groups)   grouped (or stacked=True) bars:
                                    .series(label, values, err=, dots=),
                                    .ref() (a dashed tick over one group)
  fig.histogram(title, xlabel)      .series(label, values, bins) on a
                                    linear or log x axis
  fig.matrix(title, rows, cols)     a table of coloured cells: .cell()

    import sys; sys.path.insert(0, LABS_LIB)
    import plot
    fig = plot.Figure("Lab 2: shares")
    p = fig.lines("CPU share per group", "time (s)", "share of the CPU (%)")
    p.line([(1, 30), (2, 34)], "A (w=1)")
    p.hline(100 / 3, color=p.color_of("A (w=1)"))
    p.vline(5, "weight 1 -> 3")
    fig.save("out.svg")            # SVG or PNG, by the file's suffix

Every axis that carries numbers needs its unit in its label: Figure.save
refuses a label without one ("(s)", "(%)", "(ms)", "(CPUs)", ...).
Ticks are round (1, 2, 2.5 or 5 times a power of ten). Colours are
assigned per label, so a label keeps its colour in every panel.
Students may restyle freely: this is plain matplotlib.
"""
import math
import os
import re

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
          "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
GOOD, BAD, NEUTRAL = "#c7e9c0", "#fcbba1", "#eeeeee"
WIDTH_IN = 11          # figure width, inches
DPI = 100              # panel heights are given in pixels at this DPI
ROUND_STEPS = [1, 2, 2.5, 5, 10]
# "(s)", "(ms of CPU per unit of weight)", "(%)": a unit in brackets.
UNIT = re.compile(r"\(([^()]*[A-Za-z%][^()]*)\)\s*$")


def has_unit(label):
    return bool(UNIT.search(label or ""))


def round_ticks(axis, n=6):
    axis.set_major_locator(MaxNLocator(nbins=n, steps=ROUND_STEPS))


def make_edges(values, bins, log_x):
    """`bins` equal-width (or, on a log axis, equal-ratio) bins over values."""
    values = [v for v in values if v is not None and (v > 0 or not log_x)]
    if not values:
        return [1, 10] if log_x else [0, 1]
    lo, hi = min(values), max(values)
    if hi <= lo:
        hi = lo * 2 if log_x else lo + 1
    if log_x:
        a, b = math.log10(lo), math.log10(hi)
        return [10 ** (a + (b - a) * i / bins) for i in range(bins + 1)]
    return [lo + (hi - lo) * i / bins for i in range(bins + 1)]


class Figure:
    """A column of panels; save() draws them with matplotlib."""

    def __init__(self, title=None):
        self.title = title
        self.panels = []
        self.notes = []
        self._colors = {}

    def color_of(self, label):
        """The colour this label has (or gets) throughout the figure."""
        if label not in self._colors:
            self._colors[label] = COLORS[len(self._colors) % len(COLORS)]
        return self._colors[label]

    def note(self, text):
        """A line of small print under the panels (e.g. kernel and date)."""
        self.notes.append(text)

    def lines(self, title, xlabel, ylabel, height=260, **limits):
        return self._add(LinePanel(self, title, xlabel, ylabel, height, limits))

    def bars(self, title, ylabel, groups, height=260, stacked=False, **limits):
        return self._add(BarPanel(self, title, ylabel, groups, height, limits,
                                  stacked))

    def histogram(self, title, xlabel, height=260, log_x=False, **limits):
        return self._add(HistPanel(self, title, xlabel, height, limits, log_x))

    def matrix(self, title, rows, cols, row_height=24):
        return self._add(MatrixPanel(self, title, rows, cols, row_height))

    def _add(self, panel):
        self.panels.append(panel)
        return panel

    def save(self, path):
        """Draw every panel into one file (format from the suffix)."""
        for p in self.panels:
            for label in p.axis_labels():
                if not has_unit(label):
                    raise ValueError(f"plot.py: {path}: panel {p.title!r}: "
                                     f"axis label {label!r} has no unit")
        heights = [p.height + 60 for p in self.panels]  # + title, x labels
        if self.notes:
            heights.append(16 * len(self.notes) + 10)
        total = sum(heights) + (40 if self.title else 10)
        fig = plt.figure(figsize=(WIDTH_IN, total / DPI), dpi=DPI,
                         layout="constrained")
        rows = fig.add_gridspec(len(heights), 1, height_ratios=heights)
        if self.title:
            fig.suptitle(self.title, fontsize=14, fontweight="bold")
        for i, p in enumerate(self.panels):
            ax = fig.add_subplot(rows[i])
            ax.set_title(p.title, fontsize=11, loc="left")
            p.draw(ax)
        if self.notes:
            ax = fig.add_subplot(rows[-1])
            ax.axis("off")
            ax.text(0, 1, "\n".join(self.notes), fontsize=8, color="#444",
                    va="top", transform=ax.transAxes)
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        fig.savefig(path, facecolor="white")
        plt.close(fig)


class _Panel:
    def __init__(self, fig, title, xlabel, ylabel, height, limits):
        self.fig, self.title = fig, title
        self.xlabel, self.ylabel = xlabel, ylabel
        self.height = height
        self.limits = limits

    def color_of(self, label):
        return self.fig.color_of(label)

    def axis_labels(self):
        return [x for x in (self.xlabel, self.ylabel) if x is not None]

    def _axes(self, ax):
        """Labels, limits, round ticks, grid and a legend beside the plot."""
        if self.xlabel:
            ax.set_xlabel(self.xlabel)
        ax.set_ylabel(self.ylabel)
        lim = self.limits
        if lim.get("xmin") is not None or lim.get("xmax") is not None:
            ax.set_xlim(lim.get("xmin"), lim.get("xmax"))
        if lim.get("ymin") is not None or lim.get("ymax") is not None:
            ax.set_ylim(lim.get("ymin"), lim.get("ymax"))
        if ax.get_xscale() != "log" and not isinstance(self, BarPanel):
            round_ticks(ax.xaxis, 10)
        round_ticks(ax.yaxis)
        ax.grid(True, color="#dddddd", linewidth=0.8)
        ax.set_axisbelow(True)
        handles, labels = ax.get_legend_handles_labels()
        if handles:
            ax.legend(handles, labels, loc="upper left",
                      bbox_to_anchor=(1.01, 1), fontsize=9, frameon=False)


class LinePanel(_Panel):
    """Series over x, with reference lines, event markers and shaded bands."""

    def __init__(self, fig, title, xlabel, ylabel, height, limits):
        super().__init__(fig, title, xlabel, ylabel, height, limits)
        self.items = []
        self._legend = set()

    def _label(self, label, legend=True):
        """The label for matplotlib's legend: each label once."""
        if not label or not legend or label in self._legend:
            return None
        self._legend.add(label)
        return label

    def line(self, points, label=None, color=None, dashed=False, markers=True,
             legend=True, width=2):
        """A line through (x, y) points; dashed lines have no markers."""
        color = color or self.color_of(label)
        pts = list(points)
        lab = self._label(label, legend)
        self.items.append(lambda ax: ax.plot(
            [p[0] for p in pts], [p[1] for p in pts], color=color,
            linestyle="--" if dashed else "-", linewidth=width,
            marker="o" if markers and not dashed and len(pts) <= 200 else None,
            markersize=3, label=lab))

    def hline(self, y, label=None, color="#555", dashed=True):
        """A horizontal reference line across the panel (an ideal share)."""
        lab = self._label(label)
        self.items.append(lambda ax: ax.axhline(
            y, color=color, linestyle="--" if dashed else "-", linewidth=1.5,
            label=lab))

    def vline(self, x, text=None, color="#000"):
        """A vertical event line with its annotation at the top."""
        def draw(ax):
            ax.axvline(x, color=color, linestyle=":", linewidth=1.5)
            if text:
                ax.annotate(text, (x, 1), xycoords=("data", "axes fraction"),
                            xytext=(3, -10), textcoords="offset points",
                            fontsize=8, color="#444")
        self.items.append(draw)

    def mark(self, x, y, text=None, color="#000", label=None):
        """A ring around a point, with an optional note beside it."""
        lab = self._label(label)

        def draw(ax):
            ax.plot([x], [y], marker="o", markersize=9, markerfacecolor="none",
                    markeredgecolor=color, linestyle="none", label=lab)
            if text:
                ax.annotate(text, (x, y), xytext=(6, 6),
                            textcoords="offset points", fontsize=8,
                            color="#444")
        self.items.append(draw)

    def band(self, x0, x1, text=None, color="#f2f2f2"):
        """A shaded x interval behind the data (e.g. a group idle)."""
        def draw(ax):
            ax.axvspan(x0, x1, color=color, zorder=0, linewidth=0)
            if text:
                ax.annotate(text, (x0, 0), xycoords=("data", "axes fraction"),
                            xytext=(2, 3), textcoords="offset points",
                            fontsize=7, color="#666")
        self.items.append(draw)

    def draw(self, ax):
        for item in self.items:
            item(ax)
        self._axes(ax)


class BarPanel(_Panel):
    """Bars: one cluster per group name, one bar per series (or stacked)."""

    def __init__(self, fig, title, ylabel, groups, height, limits, stacked):
        super().__init__(fig, title, None, ylabel, height, limits)
        self.groups = [str(g) for g in groups]
        self.stacked = stacked
        self.series_list = []   # (label, values, color, err, dots)
        self.refs = []          # (group index, y, label, color)

    def series(self, label, values, color=None, err=None, dots=None):
        """One bar per group; err: (low, high) per group drawn as a whisker;
        dots: one more value per group drawn as a black dot."""
        color = color or self.color_of(label)
        self.series_list.append((label, list(values), color, err, dots))

    def ref(self, group, y, label=None, color="#000"):
        """A dashed reference tick over one cluster (its ideal or cap)."""
        self.refs.append((self.groups.index(str(group)), y, label, color))

    def draw(self, ax):
        n = len(self.groups)
        k = 1 if self.stacked else max(len(self.series_list), 1)
        width = 0.8 / k
        base = [0.0] * n
        for si, (label, vals, color, err, dots) in enumerate(self.series_list):
            xs = [g - 0.4 + width * ((0 if self.stacked else si) + 0.5)
                  for g in range(n)]
            hs = [v if v is not None else 0 for v in vals[:n]]
            hs += [0] * (n - len(hs))
            bars = ax.bar(xs, hs, width * 0.92, bottom=base if self.stacked
                          else None, color=color, label=label)
            if self.stacked:
                base = [b + h for b, h in zip(base, hs)]
            elif n * k <= 24 and not err:
                ax.bar_label(bars, labels=[_short(v) for v in hs],
                             fontsize=7, padding=2)
            if err:
                ax.vlines(xs, [e[0] for e in err], [e[1] for e in err],
                          color="#333", linewidth=1)
            if dots:
                pts = [(x, d) for x, d in zip(xs, dots) if d is not None]
                ax.plot([p[0] for p in pts], [p[1] for p in pts], "o",
                        color="black", markersize=3,
                        label="p25 vs p25" if si == 0 else None)
        if self.stacked:
            # Inside the top of the bar: a dashed ref is often just above.
            top = self.limits.get("ymax") or max(base + [1e-9])
            for g, total in enumerate(base):
                inside = total > 0.15 * top
                ax.annotate(_short(total), (g, total),
                            xytext=(0, -3 if inside else 2),
                            textcoords="offset points", ha="center",
                            va="top" if inside else "bottom", fontsize=8,
                            color="white" if inside else "black")
        seen = set()
        for g, y, label, color in self.refs:
            lab = label if label and label not in seen else None
            seen.add(label)
            ax.hlines(y, g - 0.45, g + 0.45, colors=color, linestyles="--",
                      linewidth=2, label=lab)
        # Slanted when the names would not fit side by side (~90 chars).
        slant = n > 6 or sum(len(g) for g in self.groups) > 90
        ax.set_xticks(range(n))
        ax.set_xticklabels(self.groups, fontsize=8,
                           rotation=15 if slant else 0,
                           ha="right" if slant else "center")
        ax.axhline(0, color="#000", linewidth=0.8)
        self._axes(ax)
        ax.set_xlim(-0.6, n - 0.4)
        ax.grid(False, axis="x")


def _short(v):
    """A bar's value label: three significant digits, no float noise."""
    return f"{v:.3g}"


class HistPanel(_Panel):
    """Histograms of several series over shared bins, drawn as steps."""

    def __init__(self, fig, title, xlabel, height, limits, log_x):
        super().__init__(fig, title, xlabel, "fraction of samples (%)",
                         height, limits)
        self.log_x = log_x
        self.series_list = []   # (label, edges, percentages, color)
        self.vlines = []

    def series(self, label, values, bins=30, color=None, edges=None):
        """Bin `values` (as % of the series' count); bins are log-spaced on
        a log axis. Pass the same `edges` to compare series bin by bin."""
        values = [v for v in values
                  if v is not None and (v > 0 or not self.log_x)]
        if edges is None:
            edges = make_edges(values, bins, self.log_x)
        counts = [0] * (len(edges) - 1)
        for v in values:
            for i in range(len(counts)):
                last = i == len(counts) - 1 and v == edges[-1]
                if edges[i] <= v < edges[i + 1] or last:
                    counts[i] += 1
                    break
        total = max(len(values), 1)
        color = color or self.color_of(label)
        self.series_list.append((label, edges,
                                 [100 * c / total for c in counts], color))
        return edges

    def vline(self, x, text=None, color="#000"):
        self.vlines.append((x, text, color))

    def draw(self, ax):
        if self.log_x:
            ax.set_xscale("log")
        for label, edges, pct, color in self.series_list:
            ax.stairs(pct, edges, color=color, linewidth=2, label=label,
                      fill=False)
            ax.stairs(pct, edges, color=color, alpha=0.15, fill=True)
        for x, text, color in self.vlines:
            ax.axvline(x, color=color, linestyle=":")
            if text:
                ax.annotate(text, (x, 1), xycoords=("data", "axes fraction"),
                            xytext=(3, -10), textcoords="offset points",
                            fontsize=8)
        self._axes(ax)


class MatrixPanel:
    """A table of cells with text and a background colour (GOOD/BAD/...)."""

    def __init__(self, fig, title, rows, cols, row_height):
        self.fig, self.title = fig, title
        self.rows, self.cols = [str(r) for r in rows], [str(c) for c in cols]
        self.cells = {}
        self.height = row_height * (len(self.rows) + 1)

    def axis_labels(self):
        return []   # a table: no numeric axes

    def cell(self, row, col, text, color=NEUTRAL):
        self.cells[(str(row), str(col))] = (str(text), color)

    def draw(self, ax):
        ax.axis("off")
        text = [[self.cells.get((r, c), ("", "#fff"))[0] for c in self.cols]
                for r in self.rows]
        colors = [[self.cells.get((r, c), ("", "#fff"))[1] for c in self.cols]
                  for r in self.rows]
        t = ax.table(cellText=text, cellColours=colors, rowLabels=self.rows,
                     colLabels=self.cols, loc="upper left", cellLoc="center",
                     bbox=[0.12, 0, 0.88, 1])
        t.auto_set_font_size(False)
        t.set_fontsize(8)
