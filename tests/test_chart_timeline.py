"""Timelines (issue 8): a chart of dated events built from date facts, drawn like every other
chart (static paint, live plotly chart, source line, alt text, data table, CSV), with every date
in AP style through the one formatter."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from generator.charts.render import render_charts
from tests.chartkit import CHARTS, checked, make_chart_project
from tests.conftest import build_project, copy_project, static_server
from tests.test_chart_browser import ARTIFACTS, Log, activate_all

TIMELINE = {"timeline_chart": CHARTS["timeline_chart"]}
# Written out of order on purpose: the chart sorts events by date.
EVENTS = [("March 15, 2022", "2022-03-15", "Council adopts the plan", "plan_adopted"),
          ("Sept. 1, 2022", "2022-09-01",
           "The city began issuing fast-track building permits to developers.", "permits_opened"),
          ("Jan. 10, 2023", "2023-01-10", "The city published its annual housing report.",
           "report_published")]
ALT = ("Timeline: From plan to report in ten months. " + "; ".join(
    f"{shown}: {label.rstrip('.')}" for shown, _, label, _ in EVENTS) + ".")


@pytest.fixture()
def no_browser(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")


def errors_for(tmp_path: Path, text: str) -> list[str]:
    _, d = checked(make_chart_project(tmp_path, {"timeline_chart": text}))
    return [x.format() for x in d.errors]


def test_block_has_alt_table_csv_and_ap_source_line(tmp_path, no_browser):
    project, d = checked(make_chart_project(tmp_path, TIMELINE))
    assert not d.errors, [x.format() for x in d.errors]
    out = render_charts(project)
    block = out.blocks["timeline_chart"]
    assert f'<p class="explainer-chart__alt" id="chart-timeline-chart-alt">{ALT}</p>' in block
    rows = "".join(f'<tr><th scope="row">{label}</th><td data-series="Date" data-value="{iso}">'
                   f"{shown}</td></tr>" for shown, iso, label, _ in EVENTS)
    assert ('<thead><tr><th scope="col">Event</th><th scope="col">Date</th></tr></thead>'
            f"<tbody>{rows}</tbody>") in block
    # The source line writes dates as the page does: "Jan. 10, 2023", not "Jan 10, 2023".
    assert ('Sources: <a href="https://example.org/report">Annual housing report</a>, '
            "City Council, Jan. 10, 2023; "
            '<a href="https://example.org/permits">Monthly permits</a>, Statistics Office, '
            "May 1, 2023") in block
    text = next(f.content for f in out.files if f.path == "data/charts/timeline_chart.csv")
    rows_csv = list(csv.reader(io.StringIO(text)))
    assert rows_csv[0] == ["Event", "series", "value", "unit", "fact", "sources"]
    assert [(r[0], r[2], r[4]) for r in rows_csv[1:]] == [
        (label, iso, fid) for _, iso, label, fid in EVENTS]
    assert rows_csv[2][5].startswith("Monthly permits, Statistics Office")


def test_figure_places_each_event_at_its_date(tmp_path, no_browser):
    from generator.charts.figure import figure
    from generator.charts.render import chart_datasets

    project, _ = checked(make_chart_project(tmp_path, TIMELINE))
    fig = figure(chart_datasets(project)["timeline_chart"])
    trace = fig["data"][0]
    assert trace["type"] == "scatter" and trace["mode"] == "markers+text"
    assert trace["x"] == [iso for _, iso, _, _ in EVENTS]
    # Each marker carries its date (tests/test_reader_findings.py: every event labelled).
    assert trace["text"] == [f"<b>{shown}</b>" for shown, _, _, _ in EVENTS]
    assert trace["customdata"] == [shown for shown, _, _, _ in EVENTS]
    xaxis = fig["layout"]["xaxis"]
    assert xaxis["type"] == "date"
    assert xaxis["ticktext"] == ["March 15,<br>2022", "Sept. 1,<br>2022", "Jan. 10,<br>2023"]


def test_a_number_fact_in_a_timeline_is_named_at_its_line(tmp_path):
    assert errors_for(tmp_path, """\
        id: timeline_chart
        type: timeline
        title: T
        points:
          - {fact: plan_adopted}
          - {fact: homes_north}
        """) == ["charts/timeline_chart.yaml:6:6: error: chart 'timeline_chart': fact "
                 "'homes_north' is a count, not a date: a timeline places date facts "
                 "(`type: date`) in time"]


def test_a_timeline_needs_two_events_and_facts_not_csv(tmp_path):
    assert errors_for(tmp_path / "one", """\
        id: timeline_chart
        type: timeline
        title: T
        points:
          - {fact: plan_adopted}
        """) == ["charts/timeline_chart.yaml:4:1: error: chart 'timeline_chart': a timeline "
                 "needs at least two dated events; one date reads better in a sentence"]
    assert errors_for(tmp_path / "csv", """\
        id: timeline_chart
        type: timeline
        title: T
        data:
          csv: permits.csv
          sources: [stats_office]
        """) == ["charts/timeline_chart.yaml:4:1: error: chart 'timeline_chart': a timeline is "
                 "built from date facts, so every event is cited: list them in `points` "
                 "(`- fact: fact_id`) instead of `data`"]


def test_too_many_events_is_one_error_with_the_remedy(tmp_path):
    from tests import chartkit

    facts = chartkit.FACTS + "".join(
        f"  - id: day_{i}\n    statement: Event {i}.\n    type: date\n"
        f"    value: 2023-01-{i + 1:02d}\n    sources: [city_report]\n" for i in range(11))
    points = "".join(f"  - {{fact: day_{i}}}\n" for i in range(11))
    root = make_chart_project(tmp_path, {"timeline_chart": (
        "id: timeline_chart\ntype: timeline\ntitle: T\npoints:\n" + points)},
        {"content/facts/main.yaml": facts})
    _, d = checked(root)
    assert [x.format() for x in d.errors] == [
        "charts/timeline_chart.yaml:15:5: error: chart 'timeline_chart': a timeline shows at "
        "most 10 events (this one has 11): split it in two, or list the dates in a section's "
        "`flashback:`"]


@pytest.mark.browser
@pytest.mark.slow
def test_timeline_drawn_in_chromium_with_table_alt_and_csv(tmp_path, browser):
    root = make_chart_project(copy_project(tmp_path / "project"), TIMELINE)
    site = build_project(root)
    with static_server(site) as base:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        log = Log(page, base)
        page.goto(base + "housing/")
        page.wait_for_load_state("networkidle")
        figure = page.locator("figure.explainer-chart[data-type='timeline']")
        assert figure.count() == 1
        # Static paint first, as for every chart.
        img = figure.locator(".explainer-chart__static--light img")
        assert img.evaluate("i => i.complete && i.naturalWidth > 0")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        figure.screenshot(path=str(ARTIFACTS / "timeline-static.png"))
        activate_all(page)
        drawn = figure.evaluate("""f => [...f.querySelectorAll(
            '.explainer-chart__canvas .scatterlayer .trace .points path.point')].length""")
        assert drawn == len(EVENTS) == int(figure.get_attribute("data-points"))
        # Each marker carries its AP date, top to bottom in date order.
        ticks = figure.evaluate("""f => [...f.querySelectorAll(
            '.explainer-chart__canvas .scatterlayer .textpoint text')]
            .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
            .map(t => t.textContent)""")
        assert ticks == [shown for shown, _, _, _ in EVENTS]
        assert figure.locator(".explainer-chart__alt").text_content() == ALT
        table = figure.evaluate("""f => [...f.querySelectorAll('tbody tr')].map(tr =>
            [tr.querySelector('th').textContent, tr.querySelector('td').textContent,
             tr.querySelector('td').dataset.value])""")
        assert table == [[label, shown, iso] for shown, iso, label, _ in EVENTS]
        href = figure.locator("a[download]").get_attribute("href")
        text = page.evaluate("url => fetch(url).then(r => r.text())", href)
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [(r["Event"], r["value"], r["fact"]) for r in rows] == [
            (label, iso, fid) for _, iso, label, fid in EVENTS]
        figure.screenshot(path=str(ARTIFACTS / "timeline-live.png"))
        assert log.errors == [] and log.foreign_hosts() == []
        page.close()


def test_line_chart_dates_are_ap_style_on_axis_hover_table_and_alt(tmp_path, no_browser):
    from generator.charts.figure import figure
    from generator.charts.render import chart_datasets

    project, _ = checked(make_chart_project(tmp_path, {"line_chart": CHARTS["line_chart"]}))
    data = chart_datasets(project)["line_chart"]
    fig = figure(data)
    months = ["January 2023", "February 2023", "March 2023"]
    assert fig["layout"]["xaxis"]["ticktext"] == [m.replace(" ", "<br>") for m in months]
    assert [c[1] for c in fig["data"][0]["customdata"]] == months
    assert "%{customdata[1]}" in fig["data"][0]["hovertemplate"]
    block = render_charts(project).blocks["line_chart"]
    for month in months:
        assert f'<th scope="row">{month}</th>' in block
    assert "Line chart: Permits rise. January 2023: 120; February 2023: 135; March 2023: 150." \
        in block


def test_one_date_formatter_for_readers():
    """Reader-facing dates are written only by generator/resolve/format.py: no other module
    formats a date itself (babel's format_date, strftime), nor does the charts' script."""
    package = Path(__file__).resolve().parents[1] / "generator"
    formatting = []
    for path in package.rglob("*.py"):
        text = path.read_text("utf-8")
        if path.relative_to(package).as_posix() != "resolve/format.py" and (
                "babel.dates" in text or "strftime(" in text or "format_date(" in text):
            formatting.append(path.name)
    assert formatting == []
    script = (package / "adapters" / "assets" / "explainer-charts.js").read_text("utf-8")
    assert "toLocaleDateString" not in script and "Intl.DateTimeFormat" not in script
