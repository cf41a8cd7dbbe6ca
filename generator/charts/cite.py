"""The "Source: ..." line under a chart and the CSV download, built from source records.

Every string comes from YAML, so it is escaped here for HTML; only http(s) URLs become links.
CSV cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from markupsafe import Markup, escape

from generator.load.model import Project, Source
from generator.load.urls import is_http_url
from generator.render.data import csv_text
from generator.resolve.chartdata import ChartData
from generator.resolve.format import ap_date
from generator.resolve.graph import fact_graph


def safe_url(url: str | None) -> str | None:
    """The URL when it passes the shared URL rule (generator/load/urls.py), else None."""
    return url if is_http_url(url) else None


def _one_line(text: str) -> str:
    # The chart block is one raw HTML block: a blank line from YAML would end it and hand the
    # rest of the block to Markdown.
    return " ".join(text.split())


def source_html(source: Source, project: Project) -> Markup:
    url = safe_url(source.url) or safe_url(source.archive_url)
    title = escape(_one_line(source.title))
    parts = [Markup('<a href="{}">{}</a>').format(url, title) if url else title]
    if source.publisher:
        parts.append(escape(_one_line(source.publisher)))
    if source.published:
        parts.append(escape(ap_date(source.published)))  # the page's own AP style
    text = Markup(", ").join(parts)
    parent = project.sources.get(source.cited_in or "")
    if parent is not None and parent.id != source.id:
        text += Markup(", as cited in ") + escape(_one_line(parent.title))
    return text


def sources_line(data: ChartData, project: Project) -> Markup:
    cited = [project.sources[s] for s in data.sources if s in project.sources]
    label = "Source: " if len(cited) == 1 else "Sources: "
    return Markup(label) + Markup("; ").join(source_html(s, project) for s in cited)


def source_text(source: Source, project: Project) -> str:
    parts = [source.title] + [p for p in (source.publisher, safe_url(source.url)) if p]
    if source.published:
        parts.append(source.published.isoformat())
    return ", ".join(parts)


def cell(text: str) -> str:
    """A text cell that spreadsheets will show, not evaluate (one rule: render/data.py)."""
    return csv_text(text)


def data_csv(data: ChartData, project: Project) -> str:
    """The plotted values, one row per point: category, series, value and where it came from."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([cell(data.category_title), "series", "value", "unit", "fact", "sources"])
    chart_sources = "; ".join(source_text(project.sources[s], project)
                              for s in data.sources if s in project.sources)
    for series in data.series:
        for category, value, fact in zip(data.categories, series.values,
                                         series.facts or [None] * len(series.values),
                                         strict=True):
            if value is None:
                continue
            if fact:
                rests_on = fact_graph(project).rests_on(fact)
                cited = "; ".join(source_text(project.sources[s], project)
                                  for s in rests_on if s in project.sources)
            else:
                cited = chart_sources
            writer.writerow([cell(category), cell(series.name), plain(value),
                             cell(data.unit or ""), fact or "", cell(cited)])
    return out.getvalue()


def plain(value: float | int | dt.date) -> str:
    """A value as data: ``1200``, ``95.5``, a date as ``2023-10-05`` (machines read the CSV)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(int(value)) if float(value).is_integer() else repr(float(value))
