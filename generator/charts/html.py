"""The HTML block a page shows for one chart.

Layout, top to bottom: title and subtitle, the plot area (a static SVG paint per colour scheme
when available, replaced by the interactive plotly chart on first touch, hover or focus), the
source line, note and "as of", a text alternative for screen readers, the data table (collapsed)
and "Download data (CSV)". The plot area's size is reserved in CSS by aspect ratio, so nothing
moves when plotly draws. Every value from YAML is escaped; URLs are relative to the explainer
page (``/<slug>/``), hence ``../``.
"""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from generator.charts.cite import plain, sources_line
from generator.charts.figure import SIZES
from generator.load.model import Project
from generator.resolve.chartdata import ChartData
from generator.resolve.format import format_period

PAGE_PREFIX = "../"  # explainer pages live at /<slug>/; site files are one level up
TYPE_NAMES = {"bar": "Bar chart", "hbar": "Horizontal bar chart", "stacked_bar":
              "Stacked bar chart", "grouped_bar": "Grouped bar chart", "line": "Line chart",
              "donut": "Donut chart", "timeline": "Timeline"}
ALT_LIST_MAX = 12


def alt_text(data: ChartData) -> str:
    """The writer's text alternative, or one generated from the data."""
    written = data.chart.spec.get("alt")
    if written:
        return str(written)
    head = f"{TYPE_NAMES[data.chart.type]}: {data.chart.title}."
    labels = data.category_labels
    if data.chart.type == "timeline":  # the events in order, each after its AP date
        # A statement's own full stop would stand before the "; ".
        body = "; ".join(f"{t}: {c.rstrip('.')}" for c, t in zip(labels, data.series[0].displays,
                                                                 strict=True))
        return f"{head} {body}."
    if data.point_count <= ALT_LIST_MAX:
        if len(data.series) == 1:
            body = "; ".join(f"{c}: {t}" for c, t in zip(labels, data.series[0].displays,
                                                         strict=True))
        else:
            body = "; ".join(
                f"{c}: " + ", ".join(f"{s.name} {s.displays[i]}" for s in data.series
                                     if s.values[i] is not None)
                for i, c in enumerate(labels))
        return f"{head} {body}."
    parts = []
    for s in data.series:
        pairs = [(v, c, t) for v, c, t in zip(s.values, labels, s.displays,
                                              strict=True) if v is not None]
        hi, lo = max(pairs), min(pairs)
        parts.append(f"{s.name}: {len(pairs)} values from {pairs[0][1]} to {pairs[-1][1]}, "
                     f"highest {hi[2]} ({hi[1]}), lowest {lo[2]} ({lo[1]})")
    return f"{head} " + "; ".join(parts) + ". The data table below lists every value."


def _table(data: ChartData) -> Markup:
    head = Markup("").join(Markup('<th scope="col">{}</th>').format(s.name) for s in data.series)
    rows = []
    for i, category in enumerate(data.category_labels):
        cells = Markup("").join(
            Markup('<td data-series="{}" data-value="{}">{}</td>').format(
                s.name, _plain_or_empty(s.values[i]), s.displays[i])
            for s in data.series)
        rows.append(Markup('<tr><th scope="row">{}</th>{}</tr>').format(category, cells))
    return Markup(
        '<table><thead><tr><th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody></table>'
    ).format(data.category_title, head, Markup("").join(rows))


def _static(chart_id: str, svgs: dict[tuple[str, str], str]) -> Markup:
    pictures = []
    for theme in ("light", "dark"):
        wide, narrow = svgs.get((theme, "wide")), svgs.get((theme, "narrow"))
        if not wide or not narrow:
            return Markup("")
        w, h = SIZES["wide"]
        pictures.append(Markup(
            '<picture class="explainer-chart__static explainer-chart__static--{}">'
            '<source media="(max-width: 560px)" srcset="{}">'
            '<img src="{}" alt="" width="{}" height="{}" decoding="async"{}></picture>'
        ).format(theme, PAGE_PREFIX + narrow, PAGE_PREFIX + wide, w, h,
                 # The dark paint is hidden in the default scheme: lazy keeps it from loading.
                 Markup(' loading="lazy"') if theme == "dark" else ""))
    return Markup("").join(pictures)


def chart_block(data: ChartData, project: Project, figure_path: str, plotly_path: str,
                svgs: dict[tuple[str, str], str]) -> str:
    """One self-contained ``<figure>``; no blank lines, so Markdown keeps it as one HTML block."""
    chart = data.chart
    spec = chart.spec
    cid = chart.id.replace("_", "-")
    static = _static(cid, svgs)
    subtitle = (Markup('<p class="explainer-chart__subtitle">{}</p>').format(spec["subtitle"])
                if spec.get("subtitle") else Markup(""))
    notes = []
    if spec.get("note"):
        notes.append(Markup("Note: {}").format(spec["note"]))
    if data.as_of:
        notes.append(Markup("Data as of {}.").format(format_period(data.as_of)))
    note = (Markup('<p class="explainer-chart__note">{}</p>').format(Markup(" ").join(notes))
            if notes else Markup(""))
    html = Markup(
        '<figure class="explainer-chart" id="chart-{cid}" data-chart="{id}" data-type="{type}" '
        'data-points="{points}" data-figure="{fig}" data-plotly="{plotly}" data-static="{st}">'
        '<figcaption class="explainer-chart__head">'
        '<p class="explainer-chart__title"><strong>{title}</strong></p>{subtitle}</figcaption>'
        '<div class="explainer-chart__plot" role="group" tabindex="0" '
        'aria-label="{label}" aria-describedby="chart-{cid}-alt">{static}'
        '<div class="explainer-chart__canvas"></div></div>'
        '<p class="explainer-chart__alt" id="chart-{cid}-alt">{alt}</p>'
        '<p class="explainer-chart__source">{sources}</p>{note}'
        '<details class="explainer-chart__data"><summary>Data table</summary>{table}</details>'
        '<p class="explainer-chart__download"><a href="{csv}" download>Download data (CSV)</a>'
        '</p></figure>'
    ).format(
        cid=cid, id=chart.id, type=chart.type, points=data.point_count,
        fig=PAGE_PREFIX + figure_path, plotly=PAGE_PREFIX + plotly_path,
        st="1" if static else "0", title=chart.title, subtitle=subtitle,
        label=f"Chart: {chart.title}", static=static, alt=alt_text(data),
        sources=sources_line(data, project), note=note, table=_table(data),
        csv=PAGE_PREFIX + csv_path(chart.id),
    )
    # A writer's line breaks (a note's blank line) would end the HTML block: CommonMark then
    # reads the rest as Markdown. In HTML text a line break is a space.
    return str(html).replace("\r", " ").replace("\n", " ")


def csv_path(chart_id: str) -> str:
    return f"data/charts/{chart_id}.csv"


def _plain_or_empty(value: float | int | dt.date | None) -> str:
    return "" if value is None else plain(value)
