"""Chart blocks and files: escaping, CSV safety, static-paint cache and its honest fallback."""

from __future__ import annotations

import csv
import io

import pytest

from generator.charts import static
from generator.charts.render import BASIC_BUNDLE, render_charts
from tests.chartkit import CHARTS, checked, make_chart_project

EVIL = {
    "bar_chart": """\
        id: bar_chart
        type: bar
        title: "<script>alert(1)</script> & co"
        subtitle: '"><img src=x onerror=alert(2)>'
        note: "<b>bold</b>"
        points:
          - {fact: homes_north, label: "=HYPERLINK(\\"http://evil\\")"}
          - {fact: homes_south, label: "@SUM(A1)"}
        """,
}


@pytest.fixture()
def no_browser(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")


def test_yaml_text_is_escaped_and_csv_cells_defused(tmp_path, no_browser):
    project, d = checked(make_chart_project(tmp_path, EVIL))
    assert not d.errors
    out = render_charts(project)
    block = out.blocks["bar_chart"]
    assert "<script>" not in block and "<img src=x" not in block and "<b>" not in block
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in block
    text = next(f.content for f in out.files if f.path == "data/charts/bar_chart.csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "'=HYPERLINK(\"http://evil\")" and rows[2][0] == "'@SUM(A1)"
    assert rows[1][2] == "1200"  # numbers stay numbers


def test_every_chart_gets_block_figure_csv_and_bundle(tmp_path, no_browser):
    project, _ = checked(make_chart_project(tmp_path))
    out = render_charts(project)
    assert set(out.blocks) == set(CHARTS)
    paths = {f.path for f in out.files}
    for cid in CHARTS:
        assert f"charts/{cid}.json" in paths and f"data/charts/{cid}.csv" in paths
    assert f"charts/{BASIC_BUNDLE}" in paths
    block = out.blocks["grouped_chart"]
    assert 'Source: <a href="https://example.org/permits">Monthly permits</a>' in block
    assert "Download data (CSV)" in block and "<details" in block and "open" not in block


def test_without_browser_the_build_goes_on_without_static_paint(tmp_path, no_browser,
                                                                monkeypatch):
    # An empty cache of its own: a picture another test exported would be reused here.
    monkeypatch.setenv(static.CACHE_ENV, str(tmp_path / "empty-cache"))
    project, _ = checked(make_chart_project(tmp_path / "project",
                                            {"donut_chart": CHARTS["donut_chart"]}))
    out = render_charts(project)
    assert out.warnings and "static chart export unavailable" in out.warnings[0]
    block = out.blocks["donut_chart"]
    assert 'data-static="0"' in block and "<picture" not in block
    assert not [f for f in out.files if f.path.endswith(".svg")]


def test_cached_exports_are_reused_without_a_browser(tmp_path, no_browser, monkeypatch):
    project, _ = checked(make_chart_project(tmp_path / "project",
                                            {"donut_chart": CHARTS["donut_chart"]}))
    from generator.charts.figure import figure
    from generator.charts.render import chart_datasets

    keys = [key for key, _ in static.variants(
        figure(chart_datasets(project)["donut_chart"])).values()]
    monkeypatch.setenv(static.CACHE_ENV, str(tmp_path / "cache"))
    cache = static.cache_dir(project.root)
    assert cache is not None
    cache.mkdir(parents=True)
    for key in keys:
        (cache / f"{key}.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg" id="{key}"/>')
    out = render_charts(project)
    assert out.warnings == []
    svgs = {f.path: f.content for f in out.files if f.path.endswith(".svg")}
    assert len(svgs) == 4 and all(key.encode() in svgs[f"charts/{key}.svg"] for key in keys)
    assert 'data-static="1"' in out.blocks["donut_chart"]


@pytest.mark.slow
def test_real_export_writes_svg_to_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(static.CACHE_ENV, str(tmp_path / "cache"))
    project, _ = checked(make_chart_project(tmp_path / "project",
                                            {"hbar_chart": CHARTS["hbar_chart"]}))
    out = render_charts(project)
    assert out.warnings == []
    svgs = [f for f in out.files if f.path.endswith(".svg")]
    assert len(svgs) == 4
    assert all(f.content.lstrip().startswith(b"<svg") and b"North district" in f.content
               for f in svgs)
    assert len(list((tmp_path / "cache" / "svg").glob("*.svg"))) == 4
    assert not (tmp_path / "project" / "charts" / ".svg-cache").exists()


def test_each_chart_is_resolved_and_each_csv_read_once_per_build(tmp_path, no_browser,
                                                                 monkeypatch):
    from generator.render.site import generate_site
    from generator.resolve import csvdata

    reads = []
    real = csvdata.read_table

    def counting(root, chart, d):  # type: ignore[no-untyped-def]
        reads.append(chart.id)
        return real(root, chart, d)

    monkeypatch.setattr(csvdata, "read_table", counting)
    monkeypatch.setattr("generator.resolve.chartdata.read_table", counting)
    project, d = checked(make_chart_project(tmp_path))
    assert not d.errors
    generate_site(project, static_charts=False)
    csv_charts = [cid for cid, spec in CHARTS.items() if "csv:" in spec]
    assert sorted(reads) == sorted(csv_charts)  # check and render share one reading


def test_a_chart_of_many_points_gets_no_static_picture(tmp_path, no_browser):
    """A CSV near the limit made the export run into its timeout; such a chart loads live."""
    import datetime as dt

    from generator.charts.render import MAX_STATIC_POINTS

    start = dt.date(2020, 1, 1)
    rows = "\n".join(f"{start + dt.timedelta(days=i)},{i}" for i in range(MAX_STATIC_POINTS + 1))
    chart = CHARTS["line_chart"].replace("y: [north]", "y: [value]")
    project, d = checked(make_chart_project(
        tmp_path, {"line_chart": chart},
        files={"content/data/permits.csv": "month,value\n" + rows + "\n"}))
    assert not d.errors, [x.format() for x in d.errors]
    out = render_charts(project)
    assert out.warnings == []  # nothing was sent to the (missing) browser
    assert 'data-static="0"' in out.blocks["line_chart"]
    assert not [f for f in out.files if f.path.endswith(".svg")]
