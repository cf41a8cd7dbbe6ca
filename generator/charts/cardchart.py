"""A chart on a social card: the chart's own data as plain bars or lines, painted with Pillow.

Only what reads at a glance in a shared link: the bars or lines in the chart colours, a legend
row when there is more than one series, category labels under the plot, and the values as
readers see them (over each bar, or at both ends of a single line) when they fit. No axes or
tick numbers; the page has the full chart. Donuts and timelines are not drawn here (the card
shows the tease instead).
"""

from __future__ import annotations

import math
from typing import Any

from generator.charts.cardpaint import SERIES, Canvas, Text, drawable, ellipsize, font
from generator.resolve.chartdata import ChartData

BARS = ("bar", "hbar", "grouped_bar", "stacked_bar")
KINDS = (*BARS, "line")
LABEL = 18  # px, legend and labels
LINE_WIDTH = 5


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _series(data: ChartData) -> list[list[float | None]]:
    return [[_number(v) for v in s.values] for s in data.series[:len(SERIES)]]


def can_paint(data: ChartData) -> bool:
    """Whether the card can show ``data``: a bar or line chart with at least one number."""
    return data.chart.type in KINDS and any(v is not None for s in _series(data) for v in s)


def _label(text: str, width: float) -> str:
    face = font(LABEL)
    text = drawable(" ".join(text.split()))
    return text if face.getlength(text) <= width else ellipsize(text, face, width)


def _centred(text: str, centre: float, y: float, width: float) -> Text | None:
    label = _label(text, width)
    if not label or label == "…":
        return None
    return Text(label, round(centre - font(LABEL).getlength(label) / 2), round(y), LABEL,
                False, "muted")


def _legend(data: ChartData, left: int, right: int, baseline: int) -> tuple[list[Text],
                                                                            list[tuple]]:
    """Legend entries (a swatch and the series name) from the left while they fit."""
    texts: list[Text] = []
    swatches: list[tuple] = []
    x = left
    for i, series in enumerate(data.series[:len(SERIES)]):
        room = right - x - 22
        if room < 60:
            break
        name = _label(series.name, min(room, 360))
        swatches.append(((x, baseline - 15, x + 15, baseline), f"series{i}"))
        texts.append(Text(name, x + 22, baseline, LABEL, False, "muted"))
        x += 22 + round(font(LABEL).getlength(name)) + 28
    return texts, swatches


def _range(values: list[float], line: bool) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    if line:  # a line keeps its own range, a little inside the plot
        pad = (hi - lo) * 0.08 or abs(hi) * 0.1 or 1.0
        return lo - pad, hi + pad
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    return (lo, hi) if hi > lo else (lo, lo + 1.0)


def paint_chart(canvas: Canvas | None, data: ChartData,
                box: tuple[int, int, int, int]) -> list[Text]:
    """Paints ``data`` in ``box`` (left, top, right, bottom) and returns the texts it drew
    (``canvas`` None: lays out only)."""
    left, top, right, bottom = box
    values = _series(data)
    texts: list[Text] = []
    if len(values) > 1:
        legend, swatches = _legend(data, left, right, top + LABEL)
        texts += legend
        if canvas is not None:
            for square, colour in swatches:
                canvas.rect(square, colour)
        top += LABEL + 14
    n = len(data.categories)
    plot_top, plot_bottom = top + LABEL + 12, bottom - LABEL - 14
    label_y = bottom - 2
    line = data.chart.type == "line"
    stacked = data.chart.type == "stacked_bar"
    if stacked:
        sums = [(sum(v for s in values if (v := s[i]) is not None and v > 0),
                 sum(v for s in values if (v := s[i]) is not None and v < 0)) for i in range(n)]
        lo, hi = _range([x for pair in sums for x in pair], False)
    else:
        lo, hi = _range([v for s in values for v in s if v is not None], line)

    def y(value: float) -> float:
        return plot_bottom - (value - lo) / (hi - lo) * (plot_bottom - plot_top)

    if line:
        step = (right - left) / max(n - 1, 1)
        xs = [left + i * step if n > 1 else (left + right) / 2 for i in range(n)]
        for k, series in enumerate(values):
            run: list[tuple[float, float]] = []
            for i, v in enumerate([*series, None]):
                if v is not None:
                    run.append((xs[i], y(v)))
                    continue
                if canvas is not None and len(run) > 1:
                    canvas.line(run, f"series{k}", LINE_WIDTH)
                if canvas is not None and len(run) == 1:
                    canvas.dot(*run[0], LINE_WIDTH, f"series{k}")
                run = []
        labels = data.category_labels
        half = (right - left) / 2 - 8
        first, last = _label(labels[0], half), _label(labels[-1], half)
        texts.append(Text(first, left, label_y, LABEL, False, "muted"))
        if n > 1:
            texts.append(Text(last, right, label_y, LABEL, False, "muted", right=True))
        if len(values) == 1:
            shown = [(i, d) for i, (v, d) in enumerate(zip(values[0], data.series[0].displays,
                                                           strict=False)) if v is not None]
            for (i, display), at_right in ((shown[0], False), (shown[-1], True))[:len(shown)]:
                value = values[0][i]
                assert value is not None
                label = _label(display, half)
                texts.append(Text(label, round(xs[i]), round(y(value)) - 14, LABEL, True,
                                  "ink", right=at_right and n > 1))
    else:
        slot = (right - left) / max(n, 1)
        groups = 1 if stacked else len(values)
        bar = slot * 0.7 / groups
        zero = y(0.0)
        for i in range(n):
            x0 = left + i * slot + slot * 0.15
            up = down = 0.0
            for k, series in enumerate(values):
                v = series[i]
                if v is None:
                    continue
                if stacked:
                    base = up if v >= 0 else down
                    ends = (y(base), y(base + v))
                    up, down = (up + v, down) if v >= 0 else (up, down + v)
                    xa = x0
                else:
                    ends = (zero, y(v))
                    xa = x0 + k * bar
                if canvas is not None:
                    canvas.rect((round(xa), round(min(ends)), round(xa + bar) - 1,
                                 round(max(ends))), f"series{k}")
            if slot >= 40:
                found = _centred(data.category_labels[i], left + (i + 0.5) * slot, label_y,
                                 slot - 6)
                if found is not None:
                    texts.append(found)
        if len(values) == 1:
            displays = [drawable(d) for d in data.series[0].displays]
            face = font(LABEL, True)
            if all(face.getlength(d) <= slot - 4 for d in displays):
                for i, v in enumerate(values[0]):
                    if v is None or not displays[i]:
                        continue
                    end = y(v) - 8 if v >= 0 else y(v) + LABEL + 6
                    width = face.getlength(displays[i])
                    texts.append(Text(displays[i], round(left + (i + 0.5) * slot - width / 2),
                                      round(end), LABEL, True, "ink"))
        if canvas is not None:
            canvas.rect((left, round(zero), right, round(zero) + 1), "grid")
    if canvas is not None:
        for text in texts:
            canvas.text(text)
    return texts
