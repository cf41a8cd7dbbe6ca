"""The root 404.html of gh-pages (issue 21, goal 3): styled, working at any depth, axe-clean.

GitHub Pages answers every missing address of a site with the branch's root ``404.html``.
tests/editionskit.py deploys three editions with the real ``explainer deploy`` (which, through
mike, leaves no root 404 page), writes the root page with
:func:`generator.publish.notfound.root_not_found` from the 1.1 edition as it was published, and
serves the tree as GitHub Pages does, under ``/repo/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.errors import DeployError
from generator.publish.notfound import root_not_found
from tests.conftest import launch_chromium
from tests.editionskit import pages_server, shared_tree

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("editions_tree")]

MISSING = ["no-such-page/", "1.1/no/such/deep/page/", "gone.html", "latest/facts/x/y/z/"]


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return shared_tree(tmp_path_factory)


@pytest.fixture(scope="module")
def site(tree):
    with pages_server(tree["served"]) as url:
        yield url


def test_every_address_on_the_root_page_is_absolute_into_the_edition(tree):

    text = (tree["served"] / "404.html").read_text("utf-8")
    urls = re.findall(r'(?:href|src|action)="([^"]*)"', text)
    ours = [u for u in urls if not u.startswith("https://")]
    assert len(ours) > 15
    # Into 1.1, or, for a theme file 1.1 took from the edition that first published it
    # (generator/publish/record.py), into that one: every one of them is there.
    assert all(u == "/repo/" or u.startswith(("/repo/1.1/", "/repo/1.0/")) for u in ours), ours
    def served(url: str) -> Path:
        path = url[len("/repo/"):].split("?")[0].removesuffix(".")
        return tree["served"] / (path + "index.html" if path.endswith("/") else path)

    assert [u for u in ours if u != "/repo/" and not served(u).is_file()] == []
    assert '"base": "/repo/1.1/"' in text  # Material's own base, for its bundle
    assert "/repo/latest/" not in text and "data-md-component=\"outdated\"" not in text
    # An edition's own error page is reached by no missing address: it is the same page.
    assert (tree["served"] / "1.1/404.html").read_text("utf-8") == text


def test_refuses_a_page_without_an_absolute_site_path(tmp_path):
    (tmp_path / "404.html").write_text('<script id="__config" type="application/json">'
                                       '{"base": "."}</script><article class="md-content__inner'
                                       ' md-typeset"><h1>404</h1></article>', "utf-8")
    with pytest.raises(DeployError, match="no absolute site path"):
        root_not_found(tmp_path, "1.1")
    with pytest.raises(DeployError, match="not an edition name"):
        root_not_found(tmp_path, "../1.1")
    with pytest.raises(DeployError, match="could not be read"):
        root_not_found(tmp_path / "missing", "1.1")


def test_an_edition_made_for_dev_points_into_dev(tree):
    text = (tree["served"] / "dev/404.html").read_text("utf-8")
    assert "/repo/dev/assets/explainer/" in text and "/repo/latest/" not in text


@pytest.mark.browser
@pytest.mark.parametrize("missing", MISSING)
def test_missing_address_at_any_depth_gets_the_styled_page(site, missing):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            tab = browser.new_page()
            failed: list[str] = []
            tab.on("response", lambda r: failed.append(r.url)
                   if r.status >= 400 and r.url != site + missing else None)
            response = tab.goto(site + missing)
            assert response is not None and response.status == 404
            assert tab.locator("h1").inner_text() == "404 - Not found"
            # Styled as the site: Material's stylesheet applies (the header is fixed, coloured).
            header = tab.locator("header.md-header")
            assert header.evaluate("e => getComputedStyle(e).position") == "sticky"
            assert tab.locator(".explainer-footer").is_visible()
            # The edition selector is drawn (from the root's versions.json); a missing page
            # leads to each edition's front page.
            tab.locator(".md-version").wait_for()
            roots = tab.eval_on_selector_all(".md-version__link",
                                             "ls => ls.map(a => a.dataset.editionRoot)")
            assert sorted(roots) == sorted(f"{site}{v}/" for v in ("1.0", "1.1", "dev"))
            tab.wait_for_load_state("networkidle")
            assert failed == []  # every stylesheet, script and image loaded
            tab.locator(".md-version").hover()
            tab.locator(".md-version__link", has_text="1.0").click()
            tab.wait_for_url(f"{site}1.0/")
            tab.go_back()
            tab.wait_for_url(site + missing)
            assert tab.locator("[data-explainer-banner]").count() == 0
            tab.get_by_role("link", name="Go to the front page of the latest edition").click()
            # latest/ is a redirect to the edition holding its front page, read as latest.
            tab.wait_for_url(re.compile(re.escape(site) + r"1\.[01]/\?edition=latest$"))
            assert tab.title() == "Explainers"
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_root_404_passes_axe_in_both_schemes(site, width):
    from playwright.sync_api import sync_playwright

    from tests.test_a11y import AXE, _axe, _go_dark, _report, _settle

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            tab = browser.new_page(viewport={"width": width, "height": 900},
                                   color_scheme="light")
            tab.goto(f"{site}a/b/c/missing/")
            tab.locator(".md-version").wait_for()
            for scheme in ("light", "dark"):
                if scheme == "dark":
                    _go_dark(tab)
                _settle(tab)
                violations = _axe(tab, AXE.read_text(encoding="utf-8"))
                assert violations == [], f"{scheme}: " + _report(violations)
        finally:
            browser.close()
