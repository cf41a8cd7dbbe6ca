"""`explainer check` reports chart problems with file, line, column and a fix."""

from __future__ import annotations

from pathlib import Path

from tests.chartkit import CHARTS, checked, make_chart_project


def errors_for(tmp_path: Path, charts: dict[str, str] | None = None,
               files: dict[str, str | None] | None = None) -> list[str]:
    root = make_chart_project(tmp_path, charts, files)
    _, diagnostics = checked(root)
    return [d.format() for d in diagnostics.errors]


def test_kit_is_clean(tmp_path):
    assert errors_for(tmp_path) == []


def test_unknown_fact_named_at_its_line(tmp_path):
    bad = {"bar_chart": """\
        id: bar_chart
        type: bar
        title: T
        points:
          - {fact: homes_north, label: North}
          - {fact: homes_sout, label: South}
        """}
    errors = errors_for(tmp_path, bad)
    assert errors == ["charts/bar_chart.yaml:6:6: error: chart 'bar_chart': unknown fact "
                      "'homes_sout' (did you mean 'homes_south'?)"]


def test_mixed_types_and_units(tmp_path):
    bad = {
        "mixed_type": """\
            id: mixed_type
            type: bar
            title: T
            points:
              - {fact: homes_north, label: North}
              - {fact: share_affordable, label: Share}
            """,
        "mixed_unit": """\
            id: mixed_unit
            type: bar
            title: T
            points:
              - {fact: homes_north, label: North}
              - {fact: homes_south, label: South}
            """,
    }
    from tests import chartkit

    files = {"content/facts/main.yaml": chartkit.FACTS.replace(
        "value: 800\n    unit: homes", "value: 800\n    unit: flats")}
    errors = errors_for(tmp_path, bad, files)
    assert any(e.startswith("charts/mixed_type.yaml:6:6: error: chart 'mixed_type' mixes units: "
                            "fact 'share_affordable' is a percent") for e in errors), errors
    assert any(e.startswith("charts/mixed_unit.yaml:6:6: error: chart 'mixed_unit' mixes units:")
               and "`unit:`" in e for e in errors), errors
    # Saying what both measure is the fix the message offers, and it works.
    fixed = {"mixed_unit": bad["mixed_unit"].replace("title: T", "title: T\n            unit: "
                                                     "dwellings")}
    assert errors_for(tmp_path / "fixed", fixed, files) == []


def test_empty_csv_and_header_only(tmp_path):
    charts = {"line_chart": CHARTS["line_chart"]}
    errors = errors_for(tmp_path, charts, {"content/data/permits.csv": ""})
    assert errors == ["content/data/permits.csv:1:1: error: data file is empty: add a header "
                      "row and data rows"]
    errors = errors_for(tmp_path / "h", charts, {"content/data/permits.csv": "month,north\n"})
    assert errors == ["content/data/permits.csv:1:1: error: data file has a header but no data "
                      "rows: add at least one row"]


def test_bad_csv_rows_named_by_line(tmp_path):
    csv = "month,north,south\n2023-01,120,80\n2023-02,1,35,90\n2023-03,=cmd(),95\n"
    errors = errors_for(tmp_path, {"grouped_chart": CHARTS["grouped_chart"]},
                        {"content/data/permits.csv": csv})
    assert errors == [
        "content/data/permits.csv:3:1: error: row has 4 cells but the header has 3: every row "
        "needs one cell per column",
        "content/data/permits.csv:4:9: error: '=cmd()' in column 'north' is not a plain number "
        "(write 1234.5: no thousands separators, units or % signs)",
    ]


def test_missing_csv_column_and_file(tmp_path):
    chart = CHARTS["line_chart"].replace("y: [north]", "y: [east]")
    errors = errors_for(tmp_path, {"line_chart": chart})
    assert errors == ["charts/line_chart.yaml:9:7: error: chart 'line_chart': column 'east' is "
                      "not in content/data/permits.csv (columns: month, north, south)"]
    chart = CHARTS["line_chart"].replace("csv: permits.csv", "csv: nope.csv")
    errors = errors_for(tmp_path / "m", {"line_chart": chart})
    assert errors == ["charts/line_chart.yaml:6:3: error: chart 'line_chart': data file "
                      "content/data/nope.csv does not exist: add it or fix `csv:`"]


def test_unknown_csv_source(tmp_path):
    chart = CHARTS["grouped_chart"].replace("[stats_office]", "[stats_ofice]")
    errors = errors_for(tmp_path, {"grouped_chart": chart})
    assert errors == ["charts/grouped_chart.yaml:7:13: error: chart 'grouped_chart' cites "
                      "unknown source 'stats_ofice' (did you mean 'stats_office'?)"]


def test_donut_shape_rules(tmp_path):
    chart = CHARTS["stacked_chart"].replace("stacked_bar", "donut")
    errors = errors_for(tmp_path, {"stacked_chart": chart})
    assert any("a donut shows parts of one whole" in e for e in errors), errors


def test_date_fact_cannot_be_plotted(tmp_path):
    from tests import chartkit

    facts = chartkit.FACTS + (
        "  - id: opened\n    statement: Opening day.\n    type: date\n    value: 2023-01-01\n"
        "    sources: [city_report]\n")
    chart = {"bar_chart": "id: bar_chart\ntype: bar\ntitle: T\npoints:\n  - fact: opened\n"}
    errors = errors_for(tmp_path, chart, {"content/facts/main.yaml": facts})
    assert errors == ["charts/bar_chart.yaml:5:5: error: chart 'bar_chart': fact 'opened' is a "
                      "date, not a number: charts plot counts, numbers, percents or currency "
                      "amounts"]


def test_unplaced_chart_is_a_warning(tmp_path):
    root = make_chart_project(tmp_path)
    (root / "charts" / "spare.yaml").write_text(
        "id: spare\ntype: bar\ntitle: T\npoints:\n  - {fact: homes_north, label: N}\n")
    _, diagnostics = checked(root)
    assert not diagnostics.errors
    assert [d.format() for d in diagnostics.warnings if "spare" in d.message] == [
        "charts/spare.yaml:1:1: warning: chart 'spare' is not placed in any explainer: add "
        "`chart: spare` to a section"]


def test_seed_content_has_no_chart_problems():
    root = Path(__file__).resolve().parent.parent
    _, diagnostics = checked(root)
    assert not diagnostics.errors
    assert not [d for d in diagnostics.warnings if "chart" in d.message]


def warnings_for(tmp_path: Path, charts: dict[str, str],
                 files: dict[str, str | None] | None = None) -> list[str]:
    _, diagnostics = checked(make_chart_project(tmp_path, charts, files))
    assert not diagnostics.errors, [d.format() for d in diagnostics.errors]
    return [d.format() for d in diagnostics.warnings if d.code == "chart-invisible-mark"]


TINY_FACTS = """\
  - id: homes_tiny
    statement: Homes built on the island in 2022.
    type: count
    value: 2
    unit: homes
    as_of: "2022"
    sources: [city_report]
"""


def test_a_mark_too_small_to_see_is_warned_with_the_remedies(tmp_path):
    from tests import chartkit

    chart = {"bar_chart": """\
        id: bar_chart
        type: bar
        title: T
        points:
          - {fact: homes_north, label: North}
          - {fact: homes_tiny, label: Island}
        """}
    warnings = warnings_for(tmp_path / "linear", chart,
                            {"content/facts/main.yaml": chartkit.FACTS + TINY_FACTS})
    assert warnings == [
        "charts/bar_chart.yaml:6:5: warning: chart 'bar_chart': 'Island' (2) is 600 times "
        "smaller than 'North' (1,200): its mark would be under a pixel, invisible. State the "
        "small value in a sentence, show the values in two charts, or add `scale: log` to the "
        "chart"]
    # The log scale is one of the remedies: with it, no warning.
    logged = {"bar_chart": chart["bar_chart"].replace("title: T\n",
                                                      "title: T\n        scale: log\n")}
    assert warnings_for(tmp_path / "log", logged,
                        {"content/facts/main.yaml": chartkit.FACTS + TINY_FACTS}) == []


def test_values_a_few_times_apart_are_not_warned(tmp_path):
    assert warnings_for(tmp_path, {"bar_chart": CHARTS["bar_chart"]}) == []


def test_log_scale_only_where_it_can_be_drawn(tmp_path):
    stacked = {"stacked_chart": CHARTS["stacked_chart"].replace(
        "type: stacked_bar\n", "type: stacked_bar\n        scale: log\n")}
    assert errors_for(tmp_path / "stacked", stacked) == [
        "charts/stacked_chart.yaml:3:1: error: chart 'stacked_chart': a log scale cannot stack "
        "bars; use `grouped_bar`, or leave out `scale`"]
    donut = {"donut_chart": CHARTS["donut_chart"].replace("type: donut\n",
                                                          "type: donut\n        scale: log\n")}
    assert errors_for(tmp_path / "donut", donut) == [
        "charts/donut_chart.yaml:3:1: error: chart 'donut_chart': `scale` applies to bar, "
        "hbar, grouped_bar, line charts, not a donut"]


def test_log_scale_draws_a_log_axis(tmp_path):
    from generator.charts.figure import figure
    from generator.charts.render import chart_datasets

    logged = {"bar_chart": CHARTS["bar_chart"].replace("type: bar\n",
                                                           "type: bar\n        scale: log\n")}
    project, _ = checked(make_chart_project(tmp_path, logged))
    axis = figure(chart_datasets(project)["bar_chart"])["layout"]["yaxis"]
    assert axis["type"] == "log" and "rangemode" not in axis


def test_an_invisible_mark_in_csv_data_is_warned_at_the_data_key(tmp_path):
    from tests import chartkit

    csv_text = chartkit.PERMITS_CSV.replace("2023-02,135,90", "2023-02,135000,90")
    warnings = warnings_for(tmp_path, {"grouped_chart": CHARTS["grouped_chart"]},
                            {"content/data/permits.csv": csv_text})
    assert warnings == [
        "charts/grouped_chart.yaml:5:1: warning: chart 'grouped_chart': '2023-01' (80) is "
        "1,688 times smaller than '2023-02' (135,000): its mark would be under a pixel, "
        "invisible. State the small value in a sentence, show the values in two charts, or add "
        "`scale: log` to the chart"]
