"""The seed explainer's charts in real headless Chromium (Debian's), on a real built site.

One site build and one static server per module; each test opens fresh pages. Screenshots go to
test-artifacts/charts/.
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import threading
from pathlib import Path

import pytest

from generator.publish.build import build_site

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "charts"
PAGE = "venezuela-deportation-flights/"

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("chart-browser")]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site_dir = tmp_path_factory.mktemp("chart-site") / "site"
    handler = functools.partial(_Quiet, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # Material's instant navigation only intercepts links inside site_url (from the sitemap):
    # build for the address the test serves it at, as a deploy builds for its real address.
    with pytest.MonkeyPatch.context() as env:
        env.setenv("EXPLAINER_SITE_URL", f"http://127.0.0.1:{server.server_port}/")
        build_site(root=ROOT, site_dir=site_dir)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site_dir, f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


class Log:
    def __init__(self, page, base: str) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and self.errors.append(
            f"{m.text} ({m.location.get('url', '')})"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("response", lambda r: r.status >= 400 and self.errors.append(
            f"HTTP {r.status} {r.url}"))
        self.base = base

    def foreign_hosts(self) -> list[str]:
        return [u for u in self.requests if not u.startswith((self.base, "data:", "blob:"))]

    def plotly(self) -> list[str]:
        return [u for u in self.requests if "plotly" in u]


def open_page(browser, base: str, path: str = PAGE, width: int = 1100, height: int = 900):
    page = browser.new_page(viewport={"width": width, "height": height})
    log = Log(page, base)
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    return page, log


def activate_all(page, timeout: float = 15000) -> None:
    """Touch each chart the way a reader does (hover), then wait until all are interactive."""
    plots = page.locator("figure.explainer-chart .explainer-chart__plot")
    for i in range(plots.count()):
        plots.nth(i).scroll_into_view_if_needed()
        plots.nth(i).hover()
    page.wait_for_function(
        "[...document.querySelectorAll('figure.explainer-chart')]"
        ".every(f => f.dataset.state === 'ready')", timeout=timeout)


def marks(page) -> list[tuple[str, int, int]]:
    """(chart id, expected points, drawn bars or slices) for each chart on the page."""
    return page.evaluate("""() => [...document.querySelectorAll('figure.explainer-chart')]
        .map(f => [f.dataset.chart, +f.dataset.points,
                   f.querySelectorAll('.trace.bars .point path, g.slice path.surface').length])""")


def test_charts_draw_with_one_mark_per_point(site, browser):
    _, base = site
    page, log = open_page(browser, base)
    figures = page.locator("figure.explainer-chart")
    assert figures.count() == 2
    # Painted statically first: plotly.js is not loaded until a reader touches a chart.
    assert log.plotly() == []
    for img in page.locator(".explainer-chart__static--light img").all():
        assert img.evaluate("i => i.complete && i.naturalWidth > 0")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "static-paint.png"), full_page=True)
    activate_all(page)
    drawn = marks(page)
    assert all(expected == got and got > 0 for _, expected, got in drawn), drawn
    assert page.locator("figure.explainer-chart .explainer-chart__canvas svg.main-svg").count() >= 2
    assert len([u for u in log.plotly() if u.endswith(".js")]) == 1  # fetched once
    assert log.foreign_hosts() == []
    assert log.errors == []
    for i in range(figures.count()):
        figures.nth(i).screenshot(path=str(ARTIFACTS / f"chart-{i}-light.png"))
    page.close()


def test_charts_below_the_first_screen_go_live_when_scrolled_near(site, browser):
    _, base = site
    page, log = open_page(browser, base)
    top = page.evaluate("document.querySelector('figure.explainer-chart')"
                        ".getBoundingClientRect().top")
    assert top > 900 + 300, "the seed's first chart should start below the first screen"
    assert log.plotly() == []
    # Scrolling alone (no hover, no touch) brings the chart near: it goes live.
    page.evaluate("window.scrollTo(0, document.querySelector('figure.explainer-chart')"
                  ".getBoundingClientRect().top + window.scrollY - 700)")
    page.wait_for_function("document.querySelector('figure.explainer-chart')"
                           "?.dataset.state === 'ready'", timeout=15000)
    assert len([u for u in log.plotly() if u.endswith(".js")]) == 1
    assert log.errors == []
    page.close()


def test_charts_in_the_first_screen_wait_for_a_touch(site, browser):
    _, base = site
    # A screen tall enough to hold both charts at load: their static paint is what readers get
    # until they touch one; plotly.js must not compete with the first paint.
    page, log = open_page(browser, base, height=6000)
    page.wait_for_timeout(1000)
    assert log.plotly() == []
    assert page.locator("figure.explainer-chart[data-state]").count() == 0
    page.locator("figure.explainer-chart .explainer-chart__plot").first.hover()
    page.wait_for_function("document.querySelector('figure.explainer-chart')"
                           "?.dataset.state === 'ready'", timeout=15000)
    assert log.errors == []
    page.close()


def test_navigation_from_home_draws_charts(site, browser):
    # A reader comes from the front page (a full page load: the site has no instant
    # navigation, issue 12) and Material starts on the way (the click's pointer events).
    _, base = site
    page, log = open_page(browser, base, "")
    page.locator(f".md-content a[href$='{PAGE}']").first.click()
    page.wait_for_selector("figure.explainer-chart")
    assert page.url == base + PAGE
    activate_all(page)
    drawn = marks(page)
    assert all(expected == got and got > 0 for _, expected, got in drawn), drawn
    assert log.foreign_hosts() == []
    assert log.errors == []
    page.close()


def _tick_fill(page) -> str:
    return page.evaluate("""() => getComputedStyle(document.querySelector(
        'figure.explainer-chart .explainer-chart__canvas .xtick text')).fill""")


def test_dark_mode_recolours_charts(site, browser):
    _, base = site
    page, log = open_page(browser, base)
    # Static paint follows the scheme too: the light picture shows, then the dark one.
    assert page.locator(".explainer-chart__static--light").first.is_visible()
    activate_all(page)
    light = _tick_fill(page)
    scheme = page.evaluate("document.body.dataset.mdColorScheme")
    page.locator("label[title='Switch to dark mode']:visible").first.click()
    page.wait_for_function(f"document.body.dataset.mdColorScheme !== '{scheme}'")
    page.wait_for_function(f"""() => getComputedStyle(document.querySelector(
        'figure.explainer-chart .explainer-chart__canvas .xtick text')).fill !== '{light}'""",
                           timeout=5000)
    dark = _tick_fill(page)
    assert dark != light
    page.locator("figure.explainer-chart").first.screenshot(path=str(ARTIFACTS / "chart-dark.png"))
    assert log.errors == []
    page.close()
    # A fresh page in dark mode paints the dark static SVG before any interaction.
    page, _ = open_page(browser, base)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    assert page.locator(".explainer-chart__static--dark").first.is_visible()
    assert not page.locator(".explainer-chart__static--light").first.is_visible()
    page.close()


@pytest.mark.parametrize("interactive", [False, True])
def test_fits_360px_without_horizontal_scroll(site, browser, interactive):
    _, base = site
    page, log = open_page(browser, base, width=360)
    if interactive:
        activate_all(page)
    widths = page.evaluate("""() => ({doc: document.documentElement.scrollWidth,
        view: window.innerWidth,
        charts: [...document.querySelectorAll('figure.explainer-chart')]
                  .map(f => f.getBoundingClientRect().right)})""")
    assert widths["doc"] <= widths["view"] == 360, widths
    assert all(right <= 360 for right in widths["charts"]), widths
    page.locator("figure.explainer-chart").first.screenshot(
        path=str(ARTIFACTS / f"chart-360-{'interactive' if interactive else 'static'}.png"))
    assert log.errors == []
    page.close()


def test_page_without_charts_loads_no_plotly(site, browser):
    _, base = site
    for path in ("", "sources/", "facts/"):
        page, log = open_page(browser, base, path)
        page.mouse.wheel(0, 5000)
        page.wait_for_timeout(300)
        page.wait_for_load_state("networkidle")
        assert page.locator("figure.explainer-chart").count() == 0
        assert log.plotly() == [], log.plotly()
        assert log.foreign_hosts() == []
        page.close()


def test_csv_download_and_table_match_plotted_values(site, browser):
    site_dir, base = site
    page, _ = open_page(browser, base)
    for figure in page.locator("figure.explainer-chart").all():
        chart_id = figure.get_attribute("data-chart")
        href = figure.locator("a[download]").get_attribute("href")
        text = page.evaluate("url => fetch(url).then(r => r.text())", href)
        rows = list(csv.DictReader(io.StringIO(text)))
        spec = json.loads((site_dir / "charts" / f"{chart_id}.json").read_text())
        plotted = []
        for trace in spec["data"]:
            if trace["type"] == "pie":
                plotted += [(c, trace["name"], v) for c, v in zip(trace["labels"],
                                                                  trace["values"], strict=True)]
            else:
                cats, vals = ((trace["y"], trace["x"]) if trace.get("orientation") == "h"
                              else (trace["x"], trace["y"]))
                plotted += [(c, trace["name"], v) for c, v in zip(cats, vals, strict=True)
                            if v is not None]
        first = next(iter(rows[0]))
        in_csv = [(r[first], r["series"], float(r["value"])) for r in rows]
        assert in_csv == [(c, s, float(v)) for c, s, v in plotted]
        table = figure.evaluate("""f => [...f.querySelectorAll('tbody tr')].flatMap(tr =>
            [...tr.querySelectorAll('td')].filter(td => td.dataset.value !== '').map(td =>
              [tr.querySelector('th').textContent, td.dataset.series, +td.dataset.value]))""")
        assert sorted(map(tuple, table)) == sorted(in_csv)
        # Collapsed by default.
        assert figure.locator("details.explainer-chart__data").get_attribute("open") is None
    page.close()
