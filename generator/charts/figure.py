"""Plotly figure JSON for a chart, built as plain dicts: the fast path.

``go.Figure(...)`` spends about 8 ms per figure expanding its template again; we expand the
template once per process (:func:`template`) and build the rest as dicts, which costs well under
a millisecond. ``tests/test_chart_figure.py`` proves that, for every chart type, the parsed JSON
equals what ``plotly.graph_objects`` produces from the same traces and layout (:func:`go_figure`).

Titles, subtitle, notes and sources live in the page's HTML, not in the figure: they stay
readable, selectable and translatable, and the plot itself stays compact.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from functools import cache
from typing import Any

import orjson
from babel.numbers import get_currency_symbol

from generator.resolve.chartdata import ChartData
from generator.resolve.format import format_period
from generator.resolve.numbers import AXIS_FORMAT, LOCALE

TEMPLATE_NAME = "plotly_white"
FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif"
# Sizes the static paint is exported at; the page reserves the same aspect ratio.
SIZES = {"wide": (700, 400), "narrow": (400, 400)}
# Colours for each Material scheme (default = light, slate = dark); explainer-charts.js reads the
# live values from the theme's CSS variables, these are for the static export.
THEMES: dict[str, dict[str, str]] = {
    "light": {"text": "rgba(0,0,0,0.87)", "grid": "rgba(0,0,0,0.1)", "line": "rgba(0,0,0,0.32)"},
    "dark": {"text": "rgba(226,228,233,0.82)", "grid": "rgba(226,228,233,0.12)",
             "line": "rgba(226,228,233,0.32)"},
}
COLORS = ("#4051b5", "#e8710a", "#1a9e77", "#c2185b", "#7b5ea7", "#5f6b7a")


@cache
def template() -> dict[str, Any]:
    """The expanded template, once per process (the expensive part of ``go.Figure``)."""
    import plotly.io as pio

    return pio.templates[TEMPLATE_NAME].to_plotly_json()


def plotly_text(value: str) -> str:
    """Writer text as Plotly shows it literally: plotly.js reads its own pseudo-HTML in every
    text it draws (``<span style>``, ``<a href>``, ``<br>``), in the live chart and in the static
    export, where a ``style=url(...)`` made the build's browser fetch an address. As entities the
    same characters are drawn as text (plotly.js decodes ``&lt;``, ``&gt;`` and ``&amp;``)."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _texts(values: list[Any]) -> list[Any]:
    return [plotly_text(v) if isinstance(v, str) else v for v in values]


# Characters per line of a timeline's event label: the label column must leave the phone
# picture (400 px wide) room for the time axis.
TIMELINE_WRAP = 26
# Axis titles are wrapped to this many characters a line: one line must fit along the phone
# picture's plot (about 300 px of 13 px text), or plotly draws it past the picture's edge.
TITLE_WRAP = 36
# Width of a character of 13 px text, rounded up (measured: 5.2-5.8 px for value texts such as
# "more than 5.45 million"): room reserved for the value written beside a horizontal bar.
CHAR_PX = 7
# A horizontal bar chart's labels sit left of the bars: wrapped this narrow, label column, bars
# and value texts share the phone picture's 400 px.
HBAR_LABEL_WRAP = 18
MAX_DATE_TICKS = 5


def _lines(text: str, width: int) -> str:
    """Writer text wrapped into lines joined by our own ``<br>`` (each line made literal)."""
    return "<br>".join(plotly_text(line) for line in textwrap.wrap(text, width) or [""])


def _date_tick(text: str) -> str:
    """An AP date or period as a two-line tick: ``Oct. 5,<br>2023``, ``August<br>2023``."""
    head, _, year = text.rpartition(" ")
    return f"{plotly_text(head)}<br>{year}" if head else plotly_text(text)


def _date_ticks(isos: list[str]) -> tuple[list[str], list[str]]:
    """At most MAX_DATE_TICKS of the dates, first and last included, written by the one AP date
    formatter (plotly's own date ticks read "Oct 5, 2023", which is not AP style)."""
    if len(isos) <= MAX_DATE_TICKS:
        picked = list(isos)
    else:
        step = (len(isos) - 1) / (MAX_DATE_TICKS - 1)
        picked = [isos[round(i * step)] for i in range(MAX_DATE_TICKS)]
    return picked, [_date_tick(format_period(iso)) for iso in picked]


# A date tick's label is left out when it would stand closer than this share of the time axis
# to the last one shown: in the phone picture the axis is about 200 px and "Sept. 20," about 55.
TICK_LABEL_GAP = 0.3


def _tick_labels(isos: list[str]) -> list[str]:
    """Each date as a tick label, but for those that would touch the one before (``""``); the
    first and the last are shown (the last replaces a neighbour too close to it)."""
    days = [dt.date.fromisoformat(iso).toordinal() for iso in isos]
    span = max(days[-1] - days[0], 1)
    shown = [False] * len(isos)
    last = None
    for i, day in enumerate(days):
        if last is None or (day - days[last]) / span >= TICK_LABEL_GAP:
            shown[i], last = True, i
    if last is not None and last != len(isos) - 1:
        shown[last] = last == 0  # the first stays; a middle one gives way to the last
        shown[-1] = True
    return [_date_tick(format_period(iso)) if on else "" for iso, on in zip(isos, shown,
                                                                              strict=True)]


def _timeline(data: ChartData) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Events as rows, first on top; each marker sits at its date on a time axis, so the gaps
    between events read as time, and carries that date in AP style beside it: every event is
    labelled, whatever the width (rows never overlap, dated ticks could). Every event's date is
    a tick too, labelled where the labels do not touch."""
    series = data.series[0]
    isos = [d.isoformat() for d in series.values if isinstance(d, dt.date)]
    rows = [_lines(label, TIMELINE_WRAP) for label in data.categories]
    first, last = dt.date.fromisoformat(isos[0]), dt.date.fromisoformat(isos[-1])
    span = max((last - first).days, 1)
    # The date stands right of a marker in the axis's first half, left of it in the second.
    sides = ["middle right" if (dt.date.fromisoformat(iso) - first).days / span <= 0.5
             else "middle left" for iso in isos]
    trace = {
        # Markers only: a line between events would read as a trend.
        "type": "scatter", "mode": "markers+text", "name": plotly_text(series.name),
        "x": isos, "y": rows, "customdata": _texts(list(series.displays)),
        "text": [f"<b>{plotly_text(shown)}</b>" for shown in series.displays],
        "textposition": sides,
        "marker": {"color": COLORS[0], "size": 12},
        "cliponaxis": False,
        "hovertemplate": "%{customdata}<extra></extra>",
    }
    pad = max((last - first).days * 0.06, 3)
    ticks = sorted(set(isos))
    layout = _base_layout(False)
    # Half of the last date tick ("Feb. 1,") stands past the plot's right edge: room for it, or
    # plotly drops the tick in the phone picture.
    layout["margin"]["r"] = 40
    layout.update(
        xaxis={"type": "date", "fixedrange": True, "automargin": True, "showgrid": True,
               "range": [(first - dt.timedelta(days=pad)).isoformat(),
                         (last + dt.timedelta(days=pad)).isoformat()],
               "tickmode": "array", "tickvals": ticks, "ticktext": _tick_labels(ticks),
               "tickangle": 0, "title": {"text": ""}},
        yaxis={"type": "category", "autorange": "reversed", "automargin": True,
               "fixedrange": True, "showgrid": True, "ticks": "", "title": {"text": ""}},
    )
    return [trace], layout


def traces_and_layout(data: ChartData) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Traces and layout (without the template) for ``data``. Every text that comes from
    content passes :func:`plotly_text`; only our own templates carry markup."""
    kind = data.chart.type
    if kind == "timeline":
        return _timeline(data)
    multi = len(data.series) > 1
    extra = "%{fullData.name}" if multi else ""
    traces: list[dict[str, Any]] = []
    if kind == "donut":
        series = data.series[0]
        traces.append({
            "type": "pie", "hole": 0.55, "sort": False, "direction": "clockwise",
            "labels": _texts(list(data.categories)), "values": list(series.values),
            "customdata": _texts(list(series.displays)), "text": _texts(list(series.displays)),
            "textinfo": "text", "textposition": "inside", "insidetextorientation": "horizontal",
            "hovertemplate": "%{label}<br>%{customdata} (%{percent})<extra></extra>",
            "marker": {"colors": list(COLORS[: len(data.categories)]),
                       "line": {"color": "rgba(0,0,0,0)", "width": 0}},
            "name": plotly_text(series.name),
        })
    for i, series in enumerate(data.series if kind != "donut" else []):
        trace: dict[str, Any] = {
            "name": plotly_text(series.name), "customdata": _texts(list(series.displays)),
            "marker": {"color": COLORS[i % len(COLORS)]},
        }
        if kind == "line":
            # Hover names the date in AP style, as the table does (plotly's own reads "Oct 5").
            trace.update(type="scatter", mode="lines+markers", x=_texts(list(data.categories)),
                         y=list(series.values), line={"width": 2.5}, cliponaxis=False,
                         customdata=[[plotly_text(d), plotly_text(c)] for d, c in zip(
                             series.displays, data.category_labels, strict=True)],
                         hovertemplate=f"%{{customdata[1]}}<br>%{{customdata[0]}}"
                                       f"<extra>{extra}</extra>")
        else:
            horizontal = kind == "hbar"
            stacked = kind == "stacked_bar"
            trace.update(type="bar", text=_texts(list(series.displays)),
                         textposition="inside" if stacked else "outside",
                         cliponaxis=False)
            if horizontal:
                trace.update(orientation="h", y=_texts(list(data.categories)),
                             x=list(series.values),
                             hovertemplate=f"%{{y}}<br>%{{customdata}}<extra>{extra}</extra>")
            else:
                trace.update(x=_texts(list(data.categories)), y=list(series.values),
                             hovertemplate=f"%{{x}}<br>%{{customdata}}<extra>{extra}</extra>")
        traces.append(trace)
    return traces, _layout(data, multi)


def _base_layout(legend: bool) -> dict[str, Any]:
    return {
        "autosize": True,
        "font": {"family": FONT, "size": 13},
        "separators": ".,",
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 8, "r": 8, "t": 28 if legend else 12, "b": 8},
        "hovermode": "closest",
        "showlegend": legend,
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "xanchor": "left", "yanchor": "bottom"},
    }


def _layout(data: ChartData, multi: bool) -> dict[str, Any]:
    kind = data.chart.type
    layout = _base_layout(multi or kind == "donut")
    if kind == "donut":
        return layout
    value_axis: dict[str, Any] = {
        "title": {"text": _lines(data.value_title, TITLE_WRAP)},
        "tickformat": AXIS_FORMAT[data.number_format],
        "automargin": True, "rangemode": "tozero", "fixedrange": True,
    }
    if data.chart.spec.get("scale") == "log":
        # Each gridline ten times the last: marks hundreds of times apart all stay visible.
        value_axis.update(type="log", dtick=1)
        del value_axis["rangemode"]
    if data.number_format == "percent":
        value_axis["ticksuffix"] = "%"
    if data.number_format == "currency" and data.currency:
        # A checked ISO code, but babel returns an unknown code unchanged: text all the same.
        value_axis["tickprefix"] = plotly_text(get_currency_symbol(data.currency, locale=LOCALE))
    category_axis: dict[str, Any] = {"title": {"text": _lines(data.category_title, TITLE_WRAP)},
                                     "automargin": True,
                                     "fixedrange": True}
    if kind == "line":
        tickvals, ticktext = _date_ticks(list(data.categories))
        category_axis.update(tickmode="array", tickvals=_texts(tickvals), ticktext=ticktext)
    if kind == "hbar":
        category_axis["autorange"] = "reversed"  # first category on top, as written
        # Each value is written just past its bar's end; the longest bar ends at the plot's
        # edge, so the margin beyond it holds the longest value text (plotly's automargin
        # knows axes, not bar texts, and the picture would cut "at least 7.3 million").
        longest = max((len(t) for s in data.series for t in s.displays), default=0)
        layout["margin"]["r"] = max(layout["margin"]["r"], longest * CHAR_PX + 8)
        # Labels wrapped on the axis only: the data (and the hover) keep them whole.
        category_axis.update(tickmode="array", tickvals=_texts(list(data.categories)),
                             ticktext=[_lines(c, HBAR_LABEL_WRAP) for c in data.categories])
        layout.update(xaxis=value_axis, yaxis=category_axis)
    else:
        layout.update(xaxis=category_axis, yaxis=value_axis)
    if kind in ("stacked_bar", "grouped_bar"):
        layout["barmode"] = "stack" if kind == "stacked_bar" else "group"
    return layout


def figure(data: ChartData) -> dict[str, Any]:
    """The full figure (template included) as plain dicts: what ``go.Figure`` would give."""
    traces, layout = traces_and_layout(data)
    return {"data": traces, "layout": {**layout, "template": template()}}


def figure_json(data: ChartData) -> bytes:
    return orjson.dumps(figure(data), option=orjson.OPT_SORT_KEYS)


def themed(fig: dict[str, Any], theme: str) -> dict[str, Any]:
    """``fig`` with the colours of one colour scheme (for the static export)."""
    colors = THEMES[theme]
    # Only the layout's top level is replaced below; the traces and the template (thousands of
    # values, which a deep copy per picture spent most of the chart stage on) are shared.
    layout = dict(fig["layout"])
    out = {**fig, "layout": layout}
    layout["font"] = {**layout.get("font", {}), "color": colors["text"]}
    for axis in ("xaxis", "yaxis"):
        if axis in layout:
            layout[axis] = {**layout[axis], "gridcolor": colors["grid"],
                            "linecolor": colors["line"], "zerolinecolor": colors["line"]}
    return out


def go_figure(data: ChartData) -> dict[str, Any]:
    """The same figure through plotly's validated path (slow; for tests and benchmarks)."""
    import plotly.graph_objects as go

    traces, layout = traces_and_layout(data)
    fig = go.Figure(data=traces, layout={**layout, "template": TEMPLATE_NAME})
    return orjson.loads(fig.to_json())
