"""What a chart plots, taken from its spec: categories, series of values, and their sources.

A chart's values come either from facts (each point carries its fact's sources) or from a CSV
file under ``content/data/`` with its own source records. Both become one :class:`ChartData`;
the check reports every problem found on the way with the writer's file, line and column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from generator.errors import Diagnostic, Diagnostics
from generator.load.model import Chart, Project
from generator.resolve.csvdata import read_table
from generator.resolve.format import format_period
from generator.resolve.graph import fact_graph
from generator.resolve.numbers import display, fact_display
from generator.suggest import did_you_mean

NUMERIC_TYPES = ("count", "number", "percent", "currency")
MULTI_SERIES = ("stacked_bar", "grouped_bar", "line")
# A timeline's rows must stay readable in the 400 x 400 phone picture; more events belong in a
# Flashback list (an explainer section's `flashback:`) or in two timelines.
MAX_TIMELINE_EVENTS = 10


@dataclass
class Series:
    name: str
    # one per category; None where a series has no point; dates for a timeline
    values: list[Any]
    displays: list[str]  # the same values written for readers ("" where None)
    facts: list[str | None] = field(default_factory=list)  # fact id per value (fact charts)


@dataclass
class ChartData:
    chart: Chart
    categories: list[str]
    series: list[Series]
    number_format: str
    unit: str | None
    currency: str | None
    sources: list[str]  # source ids, in order of first use
    as_of: str | None

    @property
    def category_title(self) -> str:
        default = {"line": "Date", "timeline": "Event"}.get(self.chart.type, "Category")
        return str(self.chart.spec.get("x_title") or default)

    @property
    def value_title(self) -> str:
        default = "Date" if self.chart.type == "timeline" else (self.unit or "Value")
        return str(self.chart.spec.get("y_title") or default)

    @property
    def category_labels(self) -> list[str]:
        """Categories as readers see them (tables, alt text, hover): a line chart's ISO dates
        in AP style (``Oct. 5, 2023``, ``August 2023``), through the one date formatter."""
        if self.chart.type == "line":
            return [format_period(c) for c in self.categories]
        return list(self.categories)

    @property
    def point_count(self) -> int:
        return sum(v is not None for s in self.series for v in s.values)


def resolved_charts(project: Project) -> dict[str, tuple[ChartData | None, list[Diagnostic]]]:
    """Every chart's data (or None) with the problems found, resolved once per project: check
    reports the problems, the renderer draws the data, and each CSV file is read once."""
    cached: dict[str, tuple[ChartData | None, list[Diagnostic]]] | None = \
        project.__dict__.get("_resolved_charts")
    if cached is None:
        cached = {}
        for chart in project.charts.values():
            found = Diagnostics()
            cached[chart.id] = (chart_data(project, chart, found), found.sorted())
        project.__dict__["_resolved_charts"] = cached
    return cached


def chart_data(project: Project, chart: Chart, d: Diagnostics) -> ChartData | None:
    """The chart's data, or ``None`` after reporting why it cannot be drawn."""
    spec = chart.spec
    if "points" in spec:
        return _from_facts(project, chart, d)
    return _from_csv(project, chart, d)


def _from_facts(project: Project, chart: Chart, d: Diagnostics) -> ChartData | None:
    spec = chart.spec
    points: list[dict[str, Any]] = spec["points"]
    ok = True
    facts = []
    for i, point in enumerate(points):
        fid = point["fact"]
        fact = project.facts.get(fid)
        if fact is None:
            if fid not in project.known_ids["fact"]:  # a broken fact has its own error already
                d.error(*chart.loc.at("points", i, "fact"),
                        f"chart '{chart.id}': unknown fact '{fid}'"
                        f"{did_you_mean(fid, project.known_ids['fact'])}", "chart-unknown-fact")
            ok = False
            continue
        value = project.values.get(fid, fact.value)
        if chart.type == "timeline":
            if fact.type != "date":
                d.error(*chart.loc.at("points", i, "fact"),
                        f"chart '{chart.id}': fact '{fid}' is a {fact.type}, not a date: a "
                        "timeline places date facts (`type: date`) in time", "chart-unit")
                ok = False
            elif not isinstance(value, dt.date):
                ok = False  # its own error is reported at the fact
        elif fact.type not in NUMERIC_TYPES:
            d.error(*chart.loc.at("points", i, "fact"),
                    f"chart '{chart.id}': fact '{fid}' is a {fact.type}, not a number: "
                    "charts plot counts, numbers, percents or currency amounts", "chart-unit")
            ok = False
        elif not isinstance(value, (int, float)):
            ok = False  # a derived fact whose formula failed: reported by the formula check
        facts.append((i, point, fact, value))
    if not ok:
        return None
    if chart.type == "timeline":
        return _timeline(project, chart, facts, d)

    first = facts[0][2]
    number_format = spec.get("number_format", first.type)
    unit = spec.get("unit")
    for i, _point, fact, _value in facts[1:]:
        where = chart.loc.at("points", i, "fact")
        if fact.type != first.type:
            d.error(*where, f"chart '{chart.id}' mixes units: fact '{fact.id}' is a {fact.type} "
                    f"but '{first.id}' is a {first.type}; plot them in separate charts",
                    "chart-unit")
            ok = False
        elif fact.currency != first.currency:
            d.error(*where, f"chart '{chart.id}' mixes currencies: '{fact.id}' is in "
                    f"{fact.currency} but '{first.id}' in {first.currency}", "chart-unit")
            ok = False
        elif unit is None and (fact.unit or "") != (first.unit or ""):
            d.error(*where, f"chart '{chart.id}' mixes units: '{fact.id}' counts "
                    f"'{fact.unit}' but '{first.id}' counts '{first.unit}'; if both measure the "
                    "same thing, say so with `unit:` on the chart (e.g. `unit: people`), "
                    "otherwise plot them separately", "chart-unit")
            ok = False
    if not ok:
        return None

    categories: list[str] = []
    names: list[str] = []
    cells: dict[tuple[str, str], tuple[float | int | None, str, str]] = {}
    sources: list[str] = []
    for i, point, fact, value in facts:
        label = point.get("label") or fact.statement
        name = point.get("series") or (spec.get("y_title") or unit or fact.unit or "Value")
        if label not in categories:
            categories.append(label)
        if name not in names:
            names.append(name)
        if (label, name) in cells:
            d.error(*chart.loc.at("points", i),
                    f"chart '{chart.id}': two points for '{label}'"
                    f"{'' if len(names) == 1 else f' in series {name!r}'}: give each a "
                    "different `label` or `series`", "chart-duplicate-point")
            return None
        text = fact_display(fact, value)
        cells[(label, name)] = (value, text, fact.id)
        for sid in fact_graph(project).rests_on(fact.id):
            if sid not in sources:
                sources.append(sid)
    series = []
    for name in names:
        vals = [cells.get((c, name)) for c in categories]
        series.append(Series(name=name, values=[v[0] if v else None for v in vals],
                             displays=[v[1] if v else "" for v in vals],
                             facts=[v[2] if v else None for v in vals]))
    as_of = spec.get("as_of") or _common_as_of([f.as_of for _, _, f, _ in facts])
    return ChartData(chart, categories, series, number_format, unit or first.unit,
                     first.currency, sources, as_of)


def _timeline(project: Project, chart: Chart, facts: list[tuple[int, dict[str, Any], Any, Any]],
              d: Diagnostics) -> ChartData | None:
    """Events in date order (ties as written): each row is one date fact, its label the point's
    `label` or the fact's statement, its value the date, its sources the fact's."""
    if len(facts) > MAX_TIMELINE_EVENTS:
        d.error(*chart.loc.at("points", MAX_TIMELINE_EVENTS),
                f"chart '{chart.id}': a timeline shows at most {MAX_TIMELINE_EVENTS} events "
                f"(this one has {len(facts)}): split it in two, or list the dates in a section's "
                "`flashback:`", "chart-shape")
        return None
    ordered = sorted(facts, key=lambda item: item[3])
    labels: list[str] = []
    sources: list[str] = []
    for i, point, fact, _value in ordered:
        label = point.get("label") or fact.statement
        if label in labels:
            d.error(*chart.loc.at("points", i),
                    f"chart '{chart.id}': two events labelled '{label}': give each its own "
                    "`label`", "chart-duplicate-point")
            return None
        labels.append(label)
        for sid in fact_graph(project).rests_on(fact.id):
            if sid not in sources:
                sources.append(sid)
    dates = [value for _, _, _, value in ordered]
    series = Series(name=str(chart.spec.get("y_title") or "Date"), values=list(dates),
                    displays=[fact_display(f, v) for _, _, f, v in ordered],
                    facts=[f.id for _, _, f, _ in ordered])
    as_of = chart.spec.get("as_of")
    return ChartData(chart, labels, [series], "date", None, None, sources, as_of)


def _common_as_of(values: list[str | None]) -> str | None:
    distinct = {v for v in values if v}
    return distinct.pop() if len(distinct) == 1 else None


def _from_csv(project: Project, chart: Chart, d: Diagnostics) -> ChartData | None:
    data = chart.spec["data"]
    if chart.type == "timeline":
        d.error(*chart.loc.at("data"), f"chart '{chart.id}': a timeline is built from date facts, "
                "so every event is cited: list them in `points` (`- fact: fact_id`) instead of "
                "`data`", "chart-shape")
        return None
    ok = True
    for i, sid in enumerate(data["sources"]):
        if sid not in project.known_ids["source"]:
            d.error(*chart.loc.at("data", "sources", i),
                    f"chart '{chart.id}' cites unknown source '{sid}'"
                    f"{did_you_mean(sid, project.known_ids['source'])}", "unknown-source")
            ok = False
    table = read_table(project.root, chart, d)
    if table is None or not ok:
        return None
    number_format = chart.spec.get("number_format", "number")
    currency = chart.spec.get("currency")
    series = [
        Series(name=col, values=list[float | int | None](vals),
               displays=[display(v, number_format, currency=currency) for v in vals],
               facts=[None] * len(vals))
        for col, vals in table.columns.items()
    ]
    return ChartData(chart, table.categories, series, number_format, chart.spec.get("unit"),
                     currency, list(data["sources"]), chart.spec.get("as_of"))
