"""An explainer printed (Chromium's print media): no site chrome, charts as their static
pictures, the addresses of sources written out, and a real PDF that holds them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import build_project, copy_project, launch_chromium, static_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SLUG = "venezuela-deportation-flights"
URL = "https://apnews.example/article/venezuela-deportation-flights"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = copy_project(tmp_path_factory.mktemp("print") / "project")
    # The seed's sources have no address on purpose; give one a URL to see it printed.
    sources = root / "content" / "sources" / "venezuela-deportations.yaml"
    text = sources.read_text("utf-8")
    known = text.replace("    unknown:\n      url: the report's address has not been recorded\n",
                         f"    url: {URL}\n", 1)
    assert known != text
    sources.write_text(known, "utf-8")
    with static_server(root / "site") as base:
        build_project(root, EXPLAINER_SITE_URL=base)
        yield base


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_explainer_prints_cleanly(base_url: str, scheme: str, tmp_path: Path) -> None:
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(color_scheme=scheme)
            page.goto(base_url + f"{SLUG}/")
            page.wait_for_load_state("networkidle")
            # Touch a chart first, as a reader would: it goes live, and print still shows
            # its static picture.
            page.locator(".explainer-chart__plot").first.hover()
            page.wait_for_selector(".explainer-chart.is-interactive", timeout=20_000)
            page.emulate_media(media="print")

            def display(selector: str) -> list[str]:
                return page.eval_on_selector_all(
                    selector, "els => els.map(e => getComputedStyle(e).display)")

            for chrome in (".md-header", ".md-footer", ".md-sidebar", ".md-top", ".md-search"):
                assert set(display(chrome)) <= {"none"}, chrome
            assert set(display(".explainer-chart__static--light")) == {"block"}
            assert set(display(".explainer-chart__static--dark")) == {"none"}
            assert set(display(".explainer-chart__canvas")) == {"none"}
            # Paper has no links: a source's address is written after it.
            after = page.eval_on_selector_all(
                ".footnote a[href^='http']",
                "els => els.map(e => getComputedStyle(e, '::after').content)")
            assert after and any(URL in a for a in after), after
            # Dark text on white paper, whichever scheme the screen had.
            colour = page.evaluate("""() => getComputedStyle(
                document.querySelector('.explainer-meta + p')).color""")
            assert colour.startswith("rgba(0, 0, 0") or colour.startswith("rgb(0, 0, 0"), colour
            pdf = tmp_path / "explainer.pdf"
            page.pdf(path=str(pdf))
            assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
        finally:
            browser.close()
