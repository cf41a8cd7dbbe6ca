"""The built example site in Chromium: instant navigation, citation tooltips, the Sources
jump, the colour-scheme toggle, and no request to another host."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import build_project, copy_project, launch_chromium, static_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SLUG = "venezuela-deportation-flights"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = copy_project(tmp_path_factory.mktemp("browser") / "project")
    # The server holds its port before the build: Material's instant navigation only takes
    # over links under site_url, so the site is built for that address.
    with static_server(root / "site") as base:
        build_project(root, EXPLAINER_SITE_URL=base)
        yield base


def test_reader_journey(base_url: str) -> None:
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            hosts: set[str] = set()
            page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.goto(base_url)
            page.wait_for_load_state("networkidle")
            page.evaluate("window.__sameDocument = true")

            # Instant navigation: the explainer opens without a full page load.
            page.locator("article h2 a").first.click()
            page.wait_for_url(f"**/{SLUG}/")
            page.wait_for_selector("article h2#sources")
            assert page.evaluate("window.__sameDocument") is True

            # Hovering the marker after 334,000 shows its source, after instant navigation.
            bullet = page.locator("article li", has_text="of the 334,000")
            marker = bullet.locator("sup a.footnote-ref").nth(1)  # after 60%, then 334,000
            # Instant navigation rewrites links to absolute URLs: keep the fragment.
            target = "#" + (marker.get_attribute("href") or "").split("#", 1)[1]
            marker.scroll_into_view_if_needed()
            marker.hover()
            tooltip = page.locator(".md-tooltip2--active")
            tooltip.wait_for(timeout=10_000)
            assert "Panamanian statistics" in tooltip.inner_text()

            # Clicking it jumps to that entry of the Sources list.
            marker.click()
            page.wait_for_function(f"() => location.hash === '{target}'")
            entry = page.locator(f"li[id='{target.removeprefix('#')}']")
            assert "Panamanian statistics" in entry.inner_text()
            assert page.evaluate(
                "id => document.getElementById(id).closest('.footnote')"
                ".previousElementSibling.id", target.removeprefix("#")) == "sources"

            # The light/dark toggle switches the colour scheme.
            before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            page.locator("form[data-md-component=palette] label:visible").first.click()
            page.wait_for_function(
                f"() => document.body.getAttribute('data-md-color-scheme') !== '{before}'")

            # Search works offline (the index is local): the header box opens the search page.
            search = page.locator("form[data-explainer-search-form] input")
            search.click()
            search.press_sequentially("deportation")
            search.press("Enter")
            page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)

            assert hosts == {base_url.split("/")[2]}, f"requests to other hosts: {hosts}"
            assert errors == []
        finally:
            browser.close()
