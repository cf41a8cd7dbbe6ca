"""The built example site in Chromium: the front page and the article as a reader sees them,
Material starting on first use, citation tooltips, the Sources jump, the colour-scheme toggle,
and no request to another host."""

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
    # The server holds its port before the build: the site is built for that address.
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

            # The front page's lead card opens the explainer.
            page.locator("article.explainer-card h2 a").first.click()
            page.wait_for_url(f"**/{SLUG}/")
            page.wait_for_selector("article h2#sources")
            # Material starts on the reader's first pointer move (explainer-start.html).
            page.mouse.move(10, 300)
            page.wait_for_function("() => window.document$ !== undefined", timeout=10_000)

            # Hovering the marker of 60% and 334,000 (one, at the end of their clause) shows
            # their source, after instant navigation.
            bullet = page.locator("article li", has_text="of the 334,000")
            marker = bullet.locator("sup a.footnote-ref").first
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


def _material_started(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate(
        "() => [...document.scripts].some(s => /bundle\\.[0-9a-f]+\\.min\\.js$/.test(s.src))"))


@pytest.mark.parametrize("width", [1280, 390])
def test_explainer_reads_as_an_article_without_docs_chrome(base_url: str, width: int) -> None:
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(base_url + f"{SLUG}/")
            page.wait_for_load_state("networkidle")
            # No docs sidebar (menu or table of contents) and no previous/next footer.
            for selector in (".md-sidebar--primary", ".md-sidebar--secondary"):
                box = page.locator(selector)
                if box.count() == 0:  # the hidden table of contents is not written at all
                    continue
                if width >= 1220:  # phones keep the menu as a closed drawer, off screen
                    assert not box.is_visible(), selector
                else:
                    assert (box.bounding_box() or {"x": 0, "width": 1})["x"] + \
                        (box.bounding_box() or {"width": 1})["width"] <= 0 or \
                        not box.is_visible(), selector
            assert page.locator(".md-footer__link--prev, .md-footer__link--next").count() == 0
            # Headline, meta line with reading time, a measure of about 65 characters.
            meta = page.locator(".explainer-meta").inner_text()
            assert "Published Oct. 5, 2023" in meta and "min read" in meta
            assert "By " not in meta  # the seed's byline is unknown: no "By" line
            lede = page.locator(".explainer-meta + p")
            chars = page.evaluate("""el => {
                const style = getComputedStyle(el);
                const probe = document.createElement('span');
                probe.textContent = 'abcdefghijklmnopqrstuvwxyz';
                probe.style.font = style.font;
                el.appendChild(probe);
                const w = probe.getBoundingClientRect().width / 26;
                probe.remove();
                return el.getBoundingClientRect().width / w; }""", lede.element_handle())
            assert chars < 80, chars
            # The header keeps search and the colour toggle; the footer has What changed and
            # the data downloads.
            # Search is the Pagefind page: a box on wide screens, a button to it on phones.
            box = page.locator("input.explainer-search-box__input")
            button = page.locator("a[data-explainer-search-link]")
            assert box.is_visible() or button.is_visible()
            assert button.get_attribute("href") == "../search/"
            assert page.locator("form[data-md-component=palette] label:visible").count() == 1
            footer = {a.inner_text(): a.get_attribute("href")
                      for a in page.locator("footer a").all()}
            assert footer["What changed"] == "../changes/"
            assert footer["All facts (CSV)"] == "../data/facts.csv"
            # Nothing of Material's bundle ran: readers' phones start the story only.
            assert not _material_started(page)
        finally:
            browser.close()


def test_front_page_lists_latest_explainers_with_key_number(base_url: str) -> None:
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(base_url)
            cards = page.locator("article.explainer-card")
            assert cards.count() == 1
            card = cards.first
            assert card.locator("h2 a:not(.headerlink)").inner_text() == \
                "Biden administration to resume deportation flights to Venezuela"
            assert card.locator("h2 a:not(.headerlink)").get_attribute("href") == f"{SLUG}/"
            assert card.locator(".explainer-card__tease").inner_text().lower() == \
                "venezuela deportation flights to resume"
            assert card.locator(".explainer-card__value").inner_text() == "60%"
            assert "Darién Gap" in card.locator(".explainer-card__statement").inner_text()
            assert card.locator("time").get_attribute("datetime") == "2023-10-05"
            assert card.locator("a[href='tags/immigration/']").is_visible()
            # The key number is set large: the one figure to remember.
            size = page.evaluate("el => parseFloat(getComputedStyle(el).fontSize)",
                                 card.locator(".explainer-card__value").element_handle())
            body = page.evaluate("el => parseFloat(getComputedStyle(el).fontSize)",
                                 card.locator(".explainer-card__statement").element_handle())
            assert size >= 2 * body
            # No previous/next footer pointing at the explainer as chapter two.
            assert page.locator(".md-footer__link--next").count() == 0
            page.locator("a", has_text="Archive: every explainer").click()
            page.wait_for_url("**/archive/")
            assert page.locator(f"article a[href='../{SLUG}/']").count() == 1
        finally:
            browser.close()


def test_colour_toggle_works_before_and_after_material_starts(base_url: str) -> None:
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            context = browser.new_context(color_scheme="dark",
                                          viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(base_url + f"{SLUG}/")
            scheme = "document.body.getAttribute('data-md-color-scheme')"
            assert page.evaluate(scheme) == "slate"  # the reader's system preference
            # A toggle by keyboard before anything started Material: the keydown starts it,
            # the toggle applies at once and is remembered as Material remembers it.
            page.locator("form[data-md-component=palette] label:visible").first.click()
            page.wait_for_function(f"() => {scheme} === 'default'")
            page.wait_for_function("() => window.document$ !== undefined", timeout=10_000)
            assert _material_started(page)
            page.wait_for_timeout(300)
            assert page.evaluate(scheme) == "default"  # Material started in the same state
            page.reload()
            assert page.evaluate(scheme) == "default"
            page.mouse.move(20, 400)
            page.wait_for_function("() => window.document$ !== undefined", timeout=10_000)
            page.locator("form[data-md-component=palette] label:visible").first.click()
            page.wait_for_function(f"() => {scheme} === 'slate'")
        finally:
            browser.close()
