"""``explainer check`` rules for chart specs: data that resolves, one unit per chart, no empty
or malformed data, shapes each chart type can draw. Errors use the shared ``path:line:col``."""

from __future__ import annotations

import datetime as dt

from generator.errors import Diagnostics
from generator.load.model import Project
from generator.resolve.chartdata import resolved_charts


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


def _is_iso_date(text: str) -> bool:
    for fmt in ("%Y", "%Y-%m", "%Y-%m-%d"):
        try:
            dt.datetime.strptime(text, fmt)
            return True
        except ValueError:
            continue
    return False
