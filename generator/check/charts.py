"""``explainer check`` rules for chart specs: data that resolves, one unit per chart, no empty
or malformed data, shapes each chart type can draw. Errors use the shared ``path:line:col``."""

from __future__ import annotations

import datetime as dt

from generator.errors import Diagnostics
from generator.load.model import Chart, Project
from generator.resolve.chartdata import ChartData, resolved_charts
from generator.suggest import did_you_mean

# The smallest plot a chart gets: the phone picture is 400 px tall, less axis and margins. A
# mark smaller than this many times the largest is under one pixel there: readers cannot see it.
PLOT_PX = 300
LOG_TYPES = ("bar", "hbar", "grouped_bar", "line")


def check_charts(project: Project, d: Diagnostics, today: dt.date) -> None:
    placed: dict[str, list[str]] = {}
    for ex in project.explainers.values():
        seen: set[str] = set()
        for section in ex.sections:
            for chart_id, key in section.charts:
                if chart_id in seen:
                    d.error(*section.loc.at(*key),
                            f"chart '{chart_id}' is placed twice in explainer '{ex.slug}': "
                            "place it once", "chart-twice")
                seen.add(chart_id)
                placed.setdefault(chart_id, []).append(ex.slug)
    check_flashbacks(project, d)
    resolved = resolved_charts(project)
    for chart in project.charts.values():
        data, problems = resolved[chart.id]
        d.add_all(problems)
        if chart.id not in placed and not project.incomplete:
            d.warning(*chart.loc.at("id"),
                      f"chart '{chart.id}' is not placed in any explainer: add "
                      f"`chart: {chart.id}` to a section", "unused-chart")
        if data is None:
            continue
        where = chart.loc.at("points" if "points" in chart.spec else "data")
        if chart.type == "donut":
            if len(data.series) > 1:
                d.error(*where, f"chart '{chart.id}': a donut shows parts of one whole, but the "
                        f"data has {len(data.series)} series: use `stacked_bar`, or one series",
                        "chart-shape")
            if any(v is not None and v < 0 for s in data.series for v in s.values):
                d.error(*where, f"chart '{chart.id}': a donut cannot show negative values",
                        "chart-shape")
            if data.point_count < 2:
                d.error(*where, f"chart '{chart.id}': a donut needs at least two parts",
                        "chart-shape")
        if chart.type == "timeline" and len(data.categories) < 2:
            d.error(*where, f"chart '{chart.id}': a timeline needs at least two dated events; "
                    "one date reads better in a sentence", "chart-shape")
        _check_scale(chart, data, d)
        if chart.type == "line" and len(data.categories) < 2:
            d.error(*where, f"chart '{chart.id}': a line needs at least two points in time",
                    "chart-shape")
        if chart.type == "line":
            for category in data.categories:
                if not _is_iso_date(category):
                    d.error(*where, f"chart '{chart.id}': line charts plot dates, but "
                            f"'{category}' is not an ISO date (2023-08 or 2023-08-31)",
                            "chart-shape")
                    break


def check_flashbacks(project: Project, d: Diagnostics) -> None:
    """A section's ``flashback:`` lists known date facts."""
    for ex in project.explainers.values():
        for section in ex.sections:
            for fid, key in section.flashback:
                fact = project.facts.get(fid)
                if fact is None:
                    if fid not in project.known_ids["fact"]:  # a broken fact has its own error
                        d.error(*section.loc.at(*key), f"flashback: unknown fact '{fid}'"
                                f"{did_you_mean(fid, project.known_ids['fact'])}",
                                "unknown-fact")
                elif fact.type != "date":
                    d.error(*section.loc.at(*key), f"flashback: fact '{fid}' is a {fact.type}, "
                            "not a date: a Flashback lists dated events (facts with "
                            "`type: date`); show this one in the text with "
                            f"{{{{{fid}}}}}", "flashback-not-date")


def _check_scale(chart: Chart, data: ChartData, d: Diagnostics) -> None:
    """``scale: log`` only where it can be drawn; on a linear axis, warn when a mark would be
    too small to see (a value hundreds of times smaller than the largest)."""
    if chart.type in ("donut", "timeline"):
        if "scale" in chart.spec:
            d.error(*chart.loc.at("scale"), f"chart '{chart.id}': `scale` applies to "
                    f"{', '.join(LOG_TYPES)} charts, not a {chart.type}", "chart-shape")
        return
    values = [(abs(v), s.displays[i], data.category_labels[i], i)
              for s in data.series for i, v in enumerate(s.values)
              if isinstance(v, (int, float)) and v != 0]
    if chart.spec.get("scale") == "log":
        if chart.type not in LOG_TYPES:
            d.error(*chart.loc.at("scale"), f"chart '{chart.id}': a log scale cannot stack "
                    f"bars; use `grouped_bar`, or leave out `scale`", "chart-shape")
        elif any(isinstance(v, (int, float)) and v <= 0 for s in data.series for v in s.values):
            d.error(*chart.loc.at("scale"), f"chart '{chart.id}': a log scale shows only values "
                    "above zero; leave out `scale: log`", "chart-shape")
        return
    if chart.type == "line" or len(values) < 2:
        return  # a line's points are joined: a small one is still seen on the line
    big, small = max(values), min(values)
    if big[0] / small[0] <= PLOT_PX:
        return
    where = (chart.loc.at("points", small[3]) if "points" in chart.spec and
             len(data.series) == 1 else chart.loc.at("points" if "points" in chart.spec
                                                      else "data"))
    d.warning(*where, f"chart '{chart.id}': '{small[2]}' ({small[1]}) is {big[0] / small[0]:,.0f} "
              f"times smaller than '{big[2]}' ({big[1]}): its mark would be under a pixel, "
              "invisible. State the small value in a sentence, show the values in two charts, "
              "or add `scale: log` to the chart", "chart-invisible-mark")


def _is_iso_date(text: str) -> bool:
    for fmt in ("%Y", "%Y-%m", "%Y-%m-%d"):
        try:
            dt.datetime.strptime(text, fmt)
            return True
        except ValueError:
            continue
    return False
