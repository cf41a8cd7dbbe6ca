"""Readers' accessibility floor: axe-core finds zero violations on every page type.

The example site is built for the address it is served at (so Material's instant navigation and
palette work as deployed) and served like GitHub Pages (a missing path gets the site's 404.html).
Each page type is opened in real Chromium (Debian's), in the light and in the dark colour scheme
(switched with Material's own palette toggle, as a reader does), at a desktop and a phone width;
the explainer page is audited again once its charts are interactive, so plotly's live SVG and
controls are checked too. axe-core comes from npm (exact pin in package.json / package-lock.json,
installed by `make test` with `npm ci` into node_modules/).

Rules: every WCAG 2.0/2.1 A and AA rule plus axe's best practices; none is disabled.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import REPO, build_project, copy_project
from tests.editionskit import PagesHandler as _PagesHandler

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"  # package.json pins the same; the test checks the installed copy
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
EXPLAINER = "venezuela-deportation-flights/"
PAGES = {
    "home": "",
    "explainer": EXPLAINER,
    "sources": "sources/",
    "facts": "facts/",
    "tag": "tags/{tag}/",
    "changes": "changes/",
    "guide": "guide/",
    "404": "no-such-page/",
}
WIDTHS = {"desktop": 1280, "phone": 412}
ARTIFACTS = REPO / "test-artifacts" / "a11y"

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("a11y")]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = copy_project(tmp_path_factory.mktemp("a11y") / "project")
    handler = functools.partial(_PagesHandler, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_port}/"
    site = build_project(root, EXPLAINER_SITE_URL=base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.is_file(), (f"{AXE} is missing: axe-core is installed by `make test` "
                           "(npm ci, from package-lock.json)")
    installed = json.loads((AXE.parent / "package.json").read_text())["version"]
    assert installed == AXE_VERSION, f"node_modules has axe-core {installed}: run npm ci"
    return AXE.read_text(encoding="utf-8")


def _url(site: Path, base: str, kind: str) -> str:
    path = PAGES[kind]
    if "{tag}" in path:
        tags = sorted(p.name for p in (site / "tags").iterdir() if (p / "index.html").is_file())
        assert tags, "the example site has no tag pages"
        path = path.format(tag=tags[0])
    return base + path


def _open(browser: Browser, url: str, width: str) -> Page:
    page = browser.new_page(viewport={"width": WIDTHS[width], "height": 900},
                            color_scheme="light")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert errors == [], errors
    return page


def _go_dark(page: Page) -> None:
    """Material's palette toggle, as a reader uses it (the header button)."""
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    page.locator("label[title='Switch to dark mode']:visible").first.click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    _settle(page)


def _settle(page: Page) -> None:
    """Wait for Material's colour and fade transitions to end: axe must measure final colours."""
    page.wait_for_timeout(50)
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')",
                           timeout=5000)


def _activate_charts(page: Page) -> None:
    """Touch each chart as a reader does (hover), then wait until every one is interactive."""
    plots = page.locator("figure.explainer-chart .explainer-chart__plot")
    assert plots.count() >= 1
    for i in range(plots.count()):
        plots.nth(i).scroll_into_view_if_needed()
        plots.nth(i).hover()
    page.wait_for_function(
        "[...document.querySelectorAll('figure.explainer-chart')]"
        ".every(f => f.dataset.state === 'ready')", timeout=20000)
    # Plotly's live SVG and its controls are what axe must see.
    assert page.locator(".explainer-chart__canvas svg.main-svg").count() >= plots.count()
    page.mouse.move(0, 0)  # no hover label left open
    _settle(page)


def _axe(page: Page, axe_source: str) -> list[dict]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                               resultTypes: ['violations']});
            return {version: axe.version, rules: r.passes.length + r.violations.length
                                                 + r.incomplete.length + r.inapplicable.length,
                    violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                                          summary: n.failureSummary}))}))};
        }""", TAGS)
    assert result["version"] == AXE_VERSION
    assert result["rules"] > 50, "axe ran almost no rules: the tag filter is wrong"
    return result["violations"]


def _report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"\n[{v['impact']}] {v['id']}: {v['help']}\n    {v['url']}")
        for n in v["nodes"][:8]:
            lines.append(f"  - {n['target']}\n      {n['html'][:200]}")
            lines.extend(f"      {s}" for s in (n["summary"] or "").splitlines())
        if len(v["nodes"]) > 8:
            lines.append(f"  ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def _assert_clean(page: Page, axe_source: str, label: str) -> None:
    violations = _axe(page, axe_source)
    if violations:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{label}.png"), full_page=True)
    assert not violations, f"axe violations on {label} ({page.url}):{_report(violations)}"


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("kind", list(PAGES))
def test_page_has_no_axe_violations_light_and_dark(served, browser, axe_source, kind, width):
    site, base = served
    page = _open(browser, _url(site, base, kind), width)
    if kind == "404":
        assert page.locator("h1").first.inner_text().strip() == "404 - Not found"
    _assert_clean(page, axe_source, f"{kind}-{width}-light")
    _go_dark(page)
    _assert_clean(page, axe_source, f"{kind}-{width}-dark")
    page.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_interactive_charts_have_no_axe_violations(served, browser, axe_source, width):
    _, base = served
    page = _open(browser, base + EXPLAINER, width)
    _activate_charts(page)
    # The collapsed data tables are audited open, as a reader who opens them sees them.
    assert page.evaluate("""() => [...document.querySelectorAll('details.explainer-chart__data')]
        .map(d => d.open = true).length""") >= 1
    _assert_clean(page, axe_source, f"charts-{width}-light")
    fonts = "() => [...document.querySelectorAll('.explainer-chart__canvas')]" \
            ".map(c => c.layout.font.color)"
    light = page.evaluate(fonts)
    _go_dark(page)
    # The charts recolour on the toggle (explainer-charts.js): audit the recoloured ones.
    page.wait_for_function(f"({fonts})().every((c, i) => c !== {json.dumps(light)}[i])")
    _settle(page)
    _assert_clean(page, axe_source, f"charts-{width}-dark")
    page.close()


def _search(page: Page, query: str) -> None:
    """Search as a reader does: type into the header's box (wide) or the search page's own box
    (phone, where the header shows a button), then wait for Pagefind's results."""
    box = page.locator("form[data-explainer-search-form] input")
    if box.is_visible():
        page.locator("body").press("/")  # the search key focuses the box
        page.wait_for_function("document.activeElement.name === 'q'")
        page.keyboard.type(query)
        box.press("Enter")
    else:
        page.locator("a[data-explainer-search-link]").click()
        page.locator(".pagefind-ui__search-input").fill(query)
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
    _settle(page)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_search_page_with_results_has_no_axe_violations(served, browser, axe_source, width):
    """The search page (Pagefind's UI in the theme's colours), with results, both schemes."""
    _, base = served
    page = _open(browser, base, width)
    _search(page, "deportation")
    _assert_clean(page, axe_source, f"search-{width}-light")
    _go_dark(page)
    page.locator(".pagefind-ui__search-input").fill("venezuela")
    page.locator(".pagefind-ui__result-link", has_text="Venezuela").first.wait_for(
        timeout=10_000)
    _settle(page)
    _assert_clean(page, axe_source, f"search-{width}-dark")
    page.close()


def test_dark_scheme_from_reader_preference(served, browser, axe_source):
    """A reader whose system prefers dark gets the slate scheme on first load: audit that too."""
    _, base = served
    page = browser.new_page(viewport={"width": WIDTHS["desktop"], "height": 900},
                            color_scheme="dark")
    page.goto(base + EXPLAINER)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    _activate_charts(page)
    _assert_clean(page, axe_source, "explainer-preferred-dark")
    page.close()


def test_axe_finds_a_planted_violation(served, browser, axe_source):
    """The audit can fail: an unlabelled image and low-contrast text on a real page are caught."""
    _, base = served
    page = _open(browser, base, "desktop")
    page.evaluate("""() => {
        const p = document.querySelector('.md-content article p') || document.body;
        p.insertAdjacentHTML('afterend',
            '<p style="color:#bbb;background:#fff">faint</p><img src="x.png">');
    }""")
    ids = {v["id"] for v in _axe(page, axe_source)}
    assert {"color-contrast", "image-alt"} <= ids, ids
    page.close()


def test_stock_material_styles_fail_without_our_fixes(served, browser, axe_source):
    """Our CSS is what makes the floor: with explainer-pages.css switched off, stock Material's
    known faults (faint footer copyright, prose links told apart by colour alone) come back."""
    _, base = served
    page = _open(browser, base + EXPLAINER, "desktop")
    switched = page.evaluate("""() => [...document.styleSheets]
        .filter(s => (s.href || '').includes('explainer-pages'))
        .map(s => { s.disabled = true; return s.href; })""")
    assert switched, "explainer-pages.css is not on the page"
    ids = {v["id"] for v in _axe(page, axe_source)}
    assert {"color-contrast", "link-in-text-block"} <= ids, ids
    page.close()
