"""The fast figure path equals plotly's validated path, for every chart type."""

from __future__ import annotations

import orjson
import pytest

from generator.charts import figure as fig
from generator.charts.render import chart_datasets
from generator.errors import Diagnostics
from generator.load.schema import schema
from generator.resolve.chartdata import chart_data
from tests.chartkit import CHARTS, checked, make_chart_project

TYPES = schema("chart")["properties"]["type"]["enum"]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_chart_project(tmp_path_factory.mktemp("charts"))
    project, diagnostics = checked(root)
    assert not diagnostics.errors, [d.format() for d in diagnostics.errors]
    return project


def test_kit_covers_every_chart_type():
    kinds = {text.split("type: ")[1].split()[0] for text in CHARTS.values()}
    assert kinds == set(TYPES)


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_fast_figure_equals_graph_objects(project, chart_id):
    data = chart_data(project, project.charts[chart_id], Diagnostics())
    assert data is not None
    fast = orjson.loads(fig.figure_json(data))
    slow = fig.go_figure(data)
    assert fast == slow
    # Not vacuous: the template really is inside both, expanded.
    assert fast["layout"]["template"]["layout"]["colorway"]
    assert fast["data"]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_themed_figures_stay_valid_plotly(project, theme):
    import plotly.graph_objects as go

    for data in chart_datasets(project).values():
        themed = fig.themed(fig.figure(data), theme)
        # Validation raises on any property plotly does not know.
        go.Figure(themed)
        assert themed["layout"]["font"]["color"] == fig.THEMES[theme]["text"]


def test_one_mark_per_data_point(project):
    for data in chart_datasets(project).values():
        figure = fig.figure(data)
        if data.chart.type == "donut":
            assert len(figure["data"][0]["values"]) == data.point_count
        else:
            marks = sum(1 for t in figure["data"] for v in (t["x"] if t.get("orientation") == "h"
                                                            else t["y"]) if v is not None)
            assert marks == data.point_count


def test_hover_uses_prose_formatting(project):
    data = chart_data(project, project.charts["bar_chart"], Diagnostics())
    trace = fig.figure(data)["data"][0]
    # homes_total is derived: prose says "about 2,000"; the bar keeps the exact value.
    assert trace["customdata"] == ["1,200", "800", "about 2,000"]
    assert trace["y"] == [1200, 800, 2000]
    assert "%{customdata}" in trace["hovertemplate"]
