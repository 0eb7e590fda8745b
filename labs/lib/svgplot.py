# SPDX-License-Identifier: GPL-2.0
"""Dependency-free SVG plots for the labs and the demo.

A Figure is a column of panels sharing one width; each panel has its own
axes and legend. Panel kinds:

  fig.lines(title, xlabel, ylabel)  series over x (time): .line(), .hline()
                                    (dashed reference), .vline() and
                                    .mark() (annotated events), .band()
  fig.bars(title, ylabel, groups)   grouped bar chart: .series(label, values)
  fig.histogram(title, xlabel)      .series(label, values, bins) on a
                                    linear or log x axis
  fig.matrix(title, rows, cols)     a table of coloured cells: .cell()

    import sys; sys.path.insert(0, LABS_LIB)
    import svgplot
    fig = svgplot.Figure("Lab 2: shares")
    p = fig.lines("CPU share per group", "time (s)", "share")
    p.line([(1, .3), (2, .34)], "A (w=1)")
    p.hline(1 / 3, color=p.color_of("A (w=1)"))
    p.vline(5, "weight 1 -> 3")
    fig.save("out.svg")

Axis ranges are taken from the data unless given (ymin/ymax/xmin/xmax).
Colours are assigned per label, so the same label keeps its colour in
every panel of a figure.
"""
import math
from html import escape

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
          "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
GOOD, BAD, NEUTRAL = "#c7e9c0", "#fcbba1", "#eeeeee"
STYLE = ("<style>.grid{stroke:#ddd}.axis{stroke:#000}"
         ".title{font-size:15px;font-weight:bold}.note{font-size:11px;fill:#444}</style>")

LEFT, RIGHT_LEGEND = 80, 170   # margins: y axis labels, legend column
TITLE_GAP, AXIS_GAP = 34, 46   # above a plot area (title), below (x axis)


def nice_step(span, ticks=5):
    """A 1, 2 or 5 times a power of ten step giving about `ticks` ticks."""
    raw = span / ticks if span > 0 else 1
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def fmt(v):
    """A tick label: short, no float noise."""
    if v == 0:
        return "0"
    if abs(v) >= 1e4 or abs(v) < 1e-3:
        return f"{v:.0e}"
    return f"{round(v, 6):g}"


class Figure:
    """A column of panels; render() or save() produces the SVG."""

    def __init__(self, title=None, width=860):
        self.title = title
        self.width = width
        self.panels = []
        self._colors = {}
        self.notes = []

    def color_of(self, label):
        """The colour this label has (or gets) throughout the figure."""
        if label not in self._colors:
            self._colors[label] = COLORS[len(self._colors) % len(COLORS)]
        return self._colors[label]

    def note(self, text):
        """A line of small print under the panels (e.g. kernel and date)."""
        self.notes.append(text)

    def lines(self, title, xlabel, ylabel, height=260, **axes):
        return self._add(LinePanel(self, title, xlabel, ylabel, height, **axes))

    def bars(self, title, ylabel, groups, height=260, **axes):
        return self._add(BarPanel(self, title, ylabel, groups, height, **axes))

    def histogram(self, title, xlabel, height=260, log_x=False, **axes):
        return self._add(HistPanel(self, title, xlabel, height, log_x, **axes))

    def matrix(self, title, rows, cols, row_height=24, col_width=None):
        return self._add(MatrixPanel(self, title, rows, cols, row_height, col_width))

    def _add(self, panel):
        self.panels.append(panel)
        return panel

    def render(self):
        top = 40 if self.title else 10
        body = []
        if self.title:
            body.append(f'<text x="{self.width / 2}" y="24" text-anchor="middle" '
                        f'class="title" font-size="17">{escape(self.title)}</text>')
        for p in self.panels:
            top += TITLE_GAP
            body.extend(p.render(top))
            top += p.height + AXIS_GAP
        for n in self.notes:
            top += 16
            body.append(f'<text x="10" y="{top}" class="note">{escape(n)}</text>')
        height = top + 14
        head = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" '
                f'height="{height}" viewBox="0 0 {self.width} {height}" '
                f'font-family="sans-serif" font-size="12">', STYLE,
                f'<rect width="{self.width}" height="{height}" fill="#fff"/>']
        return "\n".join(head + body + ["</svg>"]) + "\n"

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.render())


class _Axes:
    """A plot area with x and y scales, grid, ticks, title and legend."""

    def __init__(self, fig, title, xlabel, ylabel, height, xmin=None, xmax=None,
                 ymin=None, ymax=None, log_x=False):
        self.fig, self.title, self.xlabel, self.ylabel = fig, title, xlabel, ylabel
        self.height = height
        self.lim = {"xmin": xmin, "xmax": xmax, "ymin": ymin, "ymax": ymax}
        self.log_x = log_x
        self.legend = []   # (label, color, dashed)

    def color_of(self, label):
        return self.fig.color_of(label)

    def _legend_add(self, label, color, dashed=False, kind="line"):
        if label and all(e[0] != label for e in self.legend):
            self.legend.append((label, color, dashed, kind))

    def _frame(self, top, xs, ys, x_ticks=True):
        """Set up the scales from data and limits; return the axis SVG."""
        right = self.fig.width - RIGHT_LEGEND
        bottom = top + self.height
        lo = lambda k, d: self.lim[k] if self.lim[k] is not None else d  # noqa: E731
        xmin = lo("xmin", min(xs, default=0))
        xmax = lo("xmax", max(xs, default=1))
        ymin = lo("ymin", min([0] + list(ys)))
        ymax = lo("ymax", max(ys, default=1) * 1.08 if ys else 1)
        if self.log_x:
            xmin = max(xmin, 1e-12)
            xmax = max(xmax, xmin * 10)
        if xmax <= xmin:
            xmax = xmin + 1
        if ymax <= ymin:
            ymax = ymin + 1
        if self.log_x:
            lx0, lx1 = math.log10(xmin), math.log10(xmax)
            self.x = lambda v: LEFT + (right - LEFT) * (math.log10(max(v, xmin)) - lx0) / (lx1 - lx0)
        else:
            self.x = lambda v: LEFT + (right - LEFT) * (v - xmin) / (xmax - xmin)
        self.y = lambda v: bottom - (bottom - top) * (v - ymin) / (ymax - ymin)
        self.top, self.bottom, self.right = top, bottom, right
        self.xmin, self.xmax, self.ymin, self.ymax = xmin, xmax, ymin, ymax
        out = [f'<text x="{LEFT}" y="{top - 12}" class="title">{escape(self.title)}</text>']
        step = nice_step(ymax - ymin)
        v = math.ceil(ymin / step) * step
        while v <= ymax + 1e-9 * step:
            out.append(f'<line x1="{LEFT}" y1="{self.y(v):.1f}" x2="{right}" '
                       f'y2="{self.y(v):.1f}" class="grid"/>')
            out.append(f'<text x="{LEFT - 6}" y="{self.y(v) + 4:.1f}" '
                       f'text-anchor="end">{fmt(v)}</text>')
            v += step
        if x_ticks:
            for t in self._x_ticks():
                out.append(f'<line x1="{self.x(t):.1f}" y1="{bottom}" x2="{self.x(t):.1f}" '
                           f'y2="{bottom + 5}" class="axis"/>')
                out.append(f'<text x="{self.x(t):.1f}" y="{bottom + 18}" '
                           f'text-anchor="middle">{fmt(t)}</text>')
        out.append(f'<line x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" class="axis"/>')
        out.append(f'<line x1="{LEFT}" y1="{top}" x2="{LEFT}" y2="{bottom}" class="axis"/>')
        out.append(f'<text x="{(LEFT + right) / 2}" y="{bottom + 36}" '
                   f'text-anchor="middle">{escape(self.xlabel)}</text>')
        mid = (top + bottom) / 2
        out.append(f'<text x="{LEFT - 52}" y="{mid}" text-anchor="middle" '
                   f'transform="rotate(-90 {LEFT - 52} {mid})">{escape(self.ylabel)}</text>')
        return out

    def _x_ticks(self):
        if self.log_x:
            e = math.floor(math.log10(self.xmin))
            ticks = []
            while 10 ** e <= self.xmax * (1 + 1e-9):
                if 10 ** e >= self.xmin * (1 - 1e-9):
                    ticks.append(10 ** e)
                e += 1
            return ticks
        step = nice_step(self.xmax - self.xmin, 10)
        t = math.ceil(self.xmin / step) * step
        ticks = []
        while t <= self.xmax + 1e-9 * step:
            ticks.append(t)
            t += step
        return ticks

    def _legend_svg(self):
        lx, ly = self.fig.width - RIGHT_LEGEND + 16, self.top + 6
        out = []
        for i, (label, color, dashed, kind) in enumerate(self.legend):
            yy = ly + 20 * i + 4
            if kind == "box":
                out.append(f'<rect x="{lx}" y="{yy - 10}" width="22" height="10" fill="{color}"/>')
            else:
                dash = ' stroke-dasharray="6,4"' if dashed else ""
                out.append(f'<line x1="{lx}" y1="{yy - 4}" x2="{lx + 22}" y2="{yy - 4}" '
                           f'stroke="{color}" stroke-width="3"{dash}/>')
            out.append(f'<text x="{lx + 28}" y="{yy}">{escape(label)}</text>')
        return out


class LinePanel(_Axes):
    """Series over x, with reference lines, event markers and shaded bands."""

    def __init__(self, fig, title, xlabel, ylabel, height, **axes):
        super().__init__(fig, title, xlabel, ylabel, height, **axes)
        self.items = []

    def line(self, points, label=None, color=None, dashed=False, markers=True,
             legend=True, width=2):
        """A polyline through (x, y) points; dashed lines have no markers."""
        color = color or self.color_of(label)
        self.items.append(("line", list(points), color, dashed, markers and not dashed, width))
        if legend:
            self._legend_add(label, color, dashed)

    def hline(self, y, label=None, color="#555", dashed=True):
        """A horizontal reference line across the panel (e.g. an ideal share)."""
        self.items.append(("hline", y, color, dashed))
        self._legend_add(label, color, dashed)

    def vline(self, x, text=None, color="#000"):
        """A vertical event line with its annotation at the top."""
        self.items.append(("vline", x, color, text))

    def mark(self, x, y, text=None, color="#000"):
        """A point marker (a ring) with an optional note beside it."""
        self.items.append(("mark", x, y, color, text))

    def band(self, x0, x1, text=None, color="#f2f2f2"):
        """A shaded x interval behind the data (e.g. a group idle)."""
        self.items.append(("band", x0, x1, color, text))

    def _extent(self):
        xs, ys = [], []
        for it in self.items:
            if it[0] == "line":
                xs += [p[0] for p in it[1]]
                ys += [p[1] for p in it[1]]
            elif it[0] == "hline":
                ys.append(it[1])
            elif it[0] == "vline":
                xs.append(it[1])
            elif it[0] == "mark":
                xs.append(it[1])
                ys.append(it[2])
        return xs, ys

    def render(self, top):
        out = self._frame(top, *self._extent())
        for it in sorted(self.items, key=lambda i: i[0] != "band"):
            kind = it[0]
            if kind == "band":
                _, x0, x1, color, text = it
                out.append(f'<rect x="{self.x(x0):.1f}" y="{self.top}" '
                           f'width="{max(self.x(x1) - self.x(x0), 0.5):.1f}" '
                           f'height="{self.height}" fill="{color}"/>')
                if text:
                    out.append(f'<text x="{self.x(x0) + 2:.1f}" y="{self.bottom - 4}" '
                               f'class="note">{escape(text)}</text>')
            elif kind == "line":
                _, pts, color, dashed, markers, width = it
                if not pts:
                    continue
                s = " ".join(f"{self.x(a):.1f},{self.y(b):.1f}" for a, b in pts)
                dash = ' stroke-dasharray="6,4"' if dashed else ""
                out.append(f'<polyline points="{s}" fill="none" stroke="{color}" '
                           f'stroke-width="{width}"{dash}/>')
                if markers and len(pts) <= 200:
                    out += [f'<circle cx="{self.x(a):.1f}" cy="{self.y(b):.1f}" r="2.5" '
                            f'fill="{color}"/>' for a, b in pts]
            elif kind == "hline":
                _, y, color, dashed = it
                dash = ' stroke-dasharray="6,4"' if dashed else ""
                out.append(f'<line x1="{LEFT}" y1="{self.y(y):.1f}" x2="{self.right}" '
                           f'y2="{self.y(y):.1f}" stroke="{color}" stroke-width="1.5"{dash}/>')
            elif kind == "vline":
                _, x, color, text = it
                out.append(f'<line x1="{self.x(x):.1f}" y1="{self.top}" x2="{self.x(x):.1f}" '
                           f'y2="{self.bottom}" stroke="{color}" stroke-width="1.5" '
                           f'stroke-dasharray="2,3"/>')
                if text:
                    out.append(f'<text x="{self.x(x) + 4:.1f}" y="{self.top + 12}" '
                               f'class="note">{escape(text)}</text>')
            elif kind == "mark":
                _, x, y, color, text = it
                out.append(f'<circle cx="{self.x(x):.1f}" cy="{self.y(y):.1f}" r="6" '
                           f'fill="none" stroke="{color}" stroke-width="1.5"/>')
                if text:
                    out.append(f'<text x="{self.x(x) + 8:.1f}" y="{self.y(y) - 8:.1f}" '
                               f'class="note">{escape(text)}</text>')
        return out + self._legend_svg()


class BarPanel(_Axes):
    """Grouped bars: one cluster per group name, one bar per series."""

    def __init__(self, fig, title, ylabel, groups, height, **axes):
        super().__init__(fig, title, "", ylabel, height, **axes)
        self.groups = list(groups)
        self.series_list = []   # (label, values, color)
        self.refs = []          # (group index, y, label): a dashed tick per cluster

    def series(self, label, values, color=None):
        color = color or self.color_of(label)
        self.series_list.append((label, list(values), color))
        self._legend_add(label, color, kind="box")

    def ref(self, group, y, label=None, color="#000"):
        """A dashed reference tick over one cluster (e.g. its ideal or cap)."""
        self.refs.append((self.groups.index(group), y, color))
        self._legend_add(label, color, dashed=True)

    def render(self, top):
        ys = [v for _, vals, _ in self.series_list for v in vals] + [r[1] for r in self.refs]
        out = self._frame(top, [0, 1], ys, x_ticks=False)
        n, k = max(len(self.groups), 1), max(len(self.series_list), 1)
        slot = (self.right - LEFT) / n
        bar = slot * 0.8 / k
        for gi, name in enumerate(self.groups):
            x0 = LEFT + gi * slot + slot * 0.1
            out.append(f'<text x="{LEFT + (gi + 0.5) * slot:.1f}" y="{self.bottom + 18}" '
                       f'text-anchor="middle">{escape(str(name))}</text>')
            for si, (_, vals, color) in enumerate(self.series_list):
                if gi >= len(vals) or vals[gi] is None:
                    continue
                v = vals[gi]
                y0, y1 = self.y(max(self.ymin, 0)), self.y(v)
                out.append(f'<rect x="{x0 + si * bar:.1f}" y="{min(y0, y1):.1f}" '
                           f'width="{bar * 0.92:.1f}" height="{abs(y0 - y1):.1f}" fill="{color}"/>')
                out.append(f'<text x="{x0 + (si + 0.46) * bar:.1f}" y="{min(y0, y1) - 3:.1f}" '
                           f'text-anchor="middle" class="note">{fmt(round(v, 3))}</text>')
        for gi, y, color in self.refs:
            x0 = LEFT + gi * slot + slot * 0.05
            out.append(f'<line x1="{x0:.1f}" y1="{self.y(y):.1f}" x2="{x0 + slot * 0.9:.1f}" '
                       f'y2="{self.y(y):.1f}" stroke="{color}" stroke-width="2" '
                       f'stroke-dasharray="6,4"/>')
        return out + self._legend_svg()


class HistPanel(_Axes):
    """Histograms of several series over shared bins, drawn as steps."""

    def __init__(self, fig, title, xlabel, height, log_x, **axes):
        super().__init__(fig, title, xlabel, "fraction of samples", height,
                         log_x=log_x, **axes)
        self.series_list = []   # (label, edges, fractions, color)
        self.vlines = []

    def series(self, label, values, bins=30, color=None, edges=None):
        """Bin `values` (fractions of the series' count); bins are log-spaced
        on a log axis. Pass the same `edges` to compare series bin by bin."""
        values = [v for v in values if v is not None and (v > 0 or not self.log_x)]
        if edges is None:
            edges = make_edges(values, bins, self.log_x)
        counts = [0] * (len(edges) - 1)
        for v in values:
            for i in range(len(counts)):
                if edges[i] <= v < edges[i + 1] or (i == len(counts) - 1 and v == edges[-1]):
                    counts[i] += 1
                    break
        total = max(len(values), 1)
        color = color or self.color_of(label)
        self.series_list.append((label, edges, [c / total for c in counts], color))
        self._legend_add(label, color)
        return edges

    def vline(self, x, text=None, color="#000"):
        self.vlines.append((x, text, color))

    def render(self, top):
        xs = [e for _, edges, _, _ in self.series_list for e in edges]
        ys = [f for _, _, fr, _ in self.series_list for f in fr]
        out = self._frame(top, xs, ys)
        for _, edges, fr, color in self.series_list:
            pts = [(self.x(edges[0]), self.y(0))]
            for i, f in enumerate(fr):
                pts += [(self.x(edges[i]), self.y(f)), (self.x(edges[i + 1]), self.y(f))]
            pts.append((self.x(edges[-1]), self.y(0)))
            s = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
            out.append(f'<polyline points="{s}" fill="{color}" fill-opacity="0.15" '
                       f'stroke="{color}" stroke-width="2"/>')
        for x, text, color in self.vlines:
            out.append(f'<line x1="{self.x(x):.1f}" y1="{self.top}" x2="{self.x(x):.1f}" '
                       f'y2="{self.bottom}" stroke="{color}" stroke-dasharray="2,3"/>')
            if text:
                out.append(f'<text x="{self.x(x) + 4:.1f}" y="{self.top + 12}" '
                           f'class="note">{escape(text)}</text>')
        return out + self._legend_svg()


def make_edges(values, bins, log_x):
    """`bins` equal-width (or, on a log axis, equal-ratio) bins over values."""
    if not values:
        return [1, 10] if log_x else [0, 1]
    lo, hi = min(values), max(values)
    if hi <= lo:
        hi = lo * 2 if log_x else lo + 1
    if log_x:
        a, b = math.log10(lo), math.log10(hi)
        return [10 ** (a + (b - a) * i / bins) for i in range(bins + 1)]
    return [lo + (hi - lo) * i / bins for i in range(bins + 1)]


class MatrixPanel:
    """A table of cells with text and a background colour (GOOD/BAD/...)."""

    def __init__(self, fig, title, rows, cols, row_height, col_width):
        self.fig, self.title = fig, title
        self.rows, self.cols = list(rows), list(cols)
        self.row_height = row_height
        self.col_width = col_width
        self.cells = {}
        self.height = row_height * (len(self.rows) + 1)

    def cell(self, row, col, text, color=NEUTRAL):
        self.cells[(row, col)] = (str(text), color)

    def render(self, top):
        label_w = 150
        cw = self.col_width or (self.fig.width - 20 - label_w) / max(len(self.cols), 1)
        rh, x0 = self.row_height, 10
        out = [f'<text x="{x0}" y="{top - 12}" class="title">{escape(self.title)}</text>']
        for ci, c in enumerate(self.cols):
            out.append(f'<text x="{x0 + label_w + (ci + 0.5) * cw:.1f}" y="{top + rh - 8}" '
                       f'text-anchor="middle" font-weight="bold">{escape(str(c))}</text>')
        for ri, r in enumerate(self.rows):
            y = top + rh * (ri + 1)
            out.append(f'<text x="{x0}" y="{y + rh - 8}" font-weight="bold">{escape(str(r))}</text>')
            for ci, c in enumerate(self.cols):
                text, color = self.cells.get((r, c), ("", "#fff"))
                x = x0 + label_w + ci * cw
                out.append(f'<rect x="{x:.1f}" y="{y}" width="{cw - 2:.1f}" height="{rh - 2}" '
                           f'fill="{color}" stroke="#bbb"/>')
                out.append(f'<text x="{x + cw / 2:.1f}" y="{y + rh - 8}" text-anchor="middle" '
                           f'font-size="11">{escape(text)}</text>')
        return out
