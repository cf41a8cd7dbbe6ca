"""Site search as a reader meets it (issue 22, item 14), on built sites in real Chromium.

- Results show as one types, without Enter: under the header's box on a wide screen, and on
  the search page a phone reaches by the header's button.
- Explainers (and the newsroom's own pages in the navigation) come first; the Facts and Sources
  indexes (each fact's and source's permanent entry) come after them; the front page, archive,
  topics and What changed are not indexed at all. "deportation" found its tag page first.
- A result's snippet is the explainer's lede, with the words found marked; never its byline.
- No sitemap.xml is requested while searching, although Material's bundle has started (its
  language-alternates integration fetched one per feed link: the sitemap grows with the
  archive).

Timings (results within 300 ms of the last key on a phone) are measured by bench/search.py
and recorded in bench/README.md; the tests count what a search does instead.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench.synth import write_project
from tests.conftest import REPO, build_project, static_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SLUG = "venezuela-deportation-flights"
LEDE = "The Biden administration plans to resume deportation flights to Venezuela"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PANEL = "#explainer-search-results"
# The search page's results (not their sub-results, the sections where words were found).
RESULT_LINKS = ".pagefind-ui__result-inner > .pagefind-ui__result-title > a"
EXPLAINERS = 6
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six explainers on shared topics ("Topic N explained", tags tag-N and all), the example
    project's docs/ and mkdocs.yml, and a page of the newsroom's own in the navigation."""
    root = write_project(tmp_path_factory.mktemp("synthetic") / "project", EXPLAINERS)
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    # A code span shows markup as text: search must show it as text too, and run nothing.
    (root / "docs" / "about.md").write_text("# About us\n\nWe report the news, quokka by "
                                            f"quokka. Not markup: `{HOSTILE}`.\n", "utf-8")
    return build_project(root)


def indexed_pages(site: Path) -> int:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


def recorded(page, base: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Every address the page requests from now on, relative to the site."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url.replace(base, "/")))
    return requests


def hrefs(page, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(selector, "links => links.map(a => a.getAttribute('href'))")


def assert_material_started_without_sitemap(requests: list[str]) -> None:
    # The reader's touch or key started Material's bundle (which fetched the sitemap before)...
    assert any("/assets/javascripts/bundle." in url for url in requests), requests
    # ...and nothing asked for the sitemap, whose size grows with the archive.
    assert not [url for url in requests if "sitemap" in url], requests


def bodies(site: Path, mark: str) -> set[str]:
    """The pages whose searched region carries ``mark`` (their folders, "" for the front)."""
    found = set()
    for path in site.rglob("index.html"):
        html = path.read_text("utf-8")
        start = html.find("<div data-pagefind-body")
        if start >= 0 and mark in html[start:html.index(">", start)]:
            found.add(path.parent.relative_to(site).as_posix().replace(".", ""))
    return found


def test_index_pages_are_left_out_or_weighted_low(example_site: Path,
                                                  synthetic_site: Path) -> None:
    # The explainer, and the Facts and Sources indexes; not the guide, topics or front page.
    assert indexed_pages(example_site) == 3
    assert indexed_pages(synthetic_site) == EXPLAINERS + 1 + 2  # and docs/about.md
    for site, stories in ((example_site, {SLUG}),
                          (synthetic_site, {f"topic-{i:05d}" for i in range(EXPLAINERS)})):
        unsearched = bodies(site, "data-explainer-unsearched")
        assert {"", "archive", "changes", "guide", "tags"} <= unsearched
        assert {path for path in unsearched if not path.startswith("tags/")} == {
            "", "archive", "changes", "guide", "tags"}
        searched = bodies(site, "") - unsearched
        assert searched == stories | {"facts", "sources"} | (
            {"about"} if site == synthetic_site else set())
        assert bodies(site, 'data-pagefind-weight="0.1"') == {"facts", "sources"}
    assert (example_site / SLUG / "index.html").read_text("utf-8").count(
        'data-pagefind-meta="lede[content]"') == 1


def test_header_box_shows_results_as_one_types(example_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    with static_server(example_site) as base:
        page = browser.new_page(**DESKTOP)
        try:
            requests = recorded(page, base)
            page.goto(base + f"{SLUG}/")
            box = page.locator("form[data-explainer-search-form] input")
            box.click()
            box.press_sequentially("deport")  # part of a word, and no Enter
            page.locator(f"{PANEL}[data-query='deport'] li").first.wait_for()
            assert page.url == base + f"{SLUG}/"  # still on the page: no search page opened
            assert page.locator(f"{PANEL} [role=status]").inner_text() == "3 results"
            shown = hrefs(page, f"{PANEL} li a")
            assert shown[0] == f"/{SLUG}/" and sorted(shown[1:]) == ["/facts/", "/sources/"]
            snippet = page.locator(f"{PANEL} .explainer-search-results__snippet").first
            assert snippet.inner_text().startswith(LEDE)
            assert "Byline" not in snippet.inner_text()
            assert snippet.locator("mark").all_inner_texts() == ["deportation"]

            box.fill("")
            box.press_sequentially("zzzqqq")  # a word nothing has
            page.locator(f"{PANEL}[data-query='zzzqqq'] [role=status]",
                         has_text="No results").wait_for()
            assert page.locator(f"{PANEL} li").count() == 0
            box.fill("")
            box.press_sequentially("venezuela")
            page.locator(f"{PANEL}[data-query='venezuela'] li").first.wait_for()
            page.keyboard.press("ArrowDown")  # into the results, then Escape back to the box
            assert page.evaluate("document.activeElement.getAttribute('href')") == f"/{SLUG}/"
            page.keyboard.press("Escape")
            assert page.locator(PANEL).is_hidden()
            assert page.evaluate("document.activeElement.name") == "q"
            assert_material_started_without_sitemap(requests)
        finally:
            page.close()


def test_phone_search_page_shows_the_explainer_first_with_its_lede(example_site: Path,
                                                                      browser) -> None:  # type: ignore[no-untyped-def]
    with static_server(example_site) as base:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        try:
            requests = recorded(page, base)
            page.goto(base + f"{SLUG}/")
            assert page.locator("form[data-explainer-search-form]").is_hidden()
            page.locator("a[data-explainer-search-link]").tap()
            page.wait_for_url(base + "search/")
            box = page.locator(".pagefind-ui__search-input")
            box.tap()
            box.press_sequentially("deportation")  # no Enter
            page.locator(".pagefind-ui__result-link").first.wait_for()
            page.locator(".pagefind-ui__message", has_text="3 results for deportation").wait_for()
            results = page.locator(".pagefind-ui__result")
            shown = hrefs(page, RESULT_LINKS)  # the explainer, then the indexes; no tag page
            assert shown[0] == f"/{SLUG}/" and sorted(shown[1:]) == ["/facts/", "/sources/"]
            excerpt = results.first.locator(":scope > div > .pagefind-ui__result-excerpt")
            assert excerpt.inner_text().startswith(LEDE)
            assert excerpt.locator("mark").all_inner_texts() == ["deportation"]
            text = results.first.inner_text()
            assert "Byline not known" not in text and "Lede:" not in text
            assert_material_started_without_sitemap(requests)
        finally:
            context.close()


def test_explainers_only_in_a_site_of_several(synthetic_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    """Every headline is on the front page, the archive, two topic pages and, in "Used in",
    the Facts and Sources indexes: a search for a headline's word lists the explainers first,
    then the two indexes, and nothing else."""
    explainers = {f"/topic-{i:05d}/" for i in range(EXPLAINERS)}
    with static_server(synthetic_site) as base:
        page = browser.new_page(**DESKTOP)
        try:
            requests = recorded(page, base)
            page.goto(base)
            box = page.locator("form[data-explainer-search-form] input")
            box.click()
            box.press_sequentially("explained")
            page.locator(f"{PANEL}[data-query='explained'] [role=status]",
                         has_text=f"{EXPLAINERS + 2} results").wait_for()
            shown = hrefs(page, f"{PANEL} li a")
            assert len(shown) == 5 and set(shown) <= explainers
            assert hrefs(page, f"{PANEL} .explainer-search-results__all") == [
                base + "search/?q=explained"]
            snippets = page.locator(f"{PANEL} .explainer-search-results__snippet")
            assert set(snippets.all_inner_texts()) == {
                "The numbers moved again this year, officials said."}

            # Enter still opens the search page, which lists every explainer and nothing else.
            box.press("Enter")
            page.wait_for_url(base + "search/?q=explained")
            page.locator(".pagefind-ui__result-link").first.wait_for()
            page.locator(".pagefind-ui__message",
                         has_text=f"{EXPLAINERS + 2} results for explained").wait_for()
            page.locator("button.pagefind-ui__button").click()  # Pagefind shows 5 at first
            page.locator(RESULT_LINKS).nth(EXPLAINERS + 1).wait_for()
            shown = hrefs(page, RESULT_LINKS)
            assert set(shown[:EXPLAINERS]) == explainers
            assert sorted(shown[EXPLAINERS:]) == ["/facts/", "/sources/"]

            # On the search page the header's box drives the page's own results.
            header = page.locator("form[data-explainer-search-form] input")
            header.fill("")
            header.press_sequentially("quokka")
            page.locator(RESULT_LINKS + "[href='/about/']").wait_for()
            assert hrefs(page, RESULT_LINKS) == ["/about/"]
            assert page.locator(PANEL).count() == 0
            assert_material_started_without_sitemap(requests)
        finally:
            page.close()


def test_header_results_show_markup_as_text(synthetic_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    with static_server(synthetic_site) as base:
        page = browser.new_page(**DESKTOP)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        try:
            requests = recorded(page, base)
            page.goto(base + "topic-00001/")
            box = page.locator("form[data-explainer-search-form] input")
            box.click()
            box.press_sequentially("onerror")
            page.locator(f"{PANEL}[data-query='onerror'] li").first.wait_for()
            assert hrefs(page, f"{PANEL} li a") == ["/about/"]
            assert HOSTILE in page.locator(PANEL).inner_text()
            assert page.locator(f"{PANEL} img, {PANEL} script").count() == 0
            page.wait_for_load_state("networkidle")
            assert dialogs == [] and "/x" not in requests
        finally:
            page.close()


def test_header_results_have_no_axe_violations(example_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    """The panel under the header's box, open with results, in both colour schemes."""
    from tests.test_a11y import AXE, _axe, _go_dark, _report, _settle

    assert AXE.is_file(), "axe-core is installed by `npm ci` (package-lock.json)"
    source = AXE.read_text("utf-8")
    with static_server(example_site) as base:
        page = browser.new_page(**DESKTOP, color_scheme="light")
        try:
            page.goto(base + f"{SLUG}/")
            box = page.locator("form[data-explainer-search-form] input")
            for scheme, query in (("light", "deportation"), ("dark", "venezuela")):
                if scheme == "dark":
                    _go_dark(page)  # a click outside the box closes the panel
                    assert page.locator(PANEL).is_hidden()
                    box.fill("")
                box.click()
                box.press_sequentially(query)
                page.locator(f"{PANEL}[data-query='{query}'] li").first.wait_for()
                _settle(page)
                violations = _axe(page, source)
                assert not violations, f"{scheme}:{_report(violations)}"
        finally:
            page.close()


def test_header_box_without_an_index_says_enter(example_site: Path, tmp_path: Path,
                                                browser) -> None:  # type: ignore[no-untyped-def]
    """An older deployed edition has no index of its own (its search page sends readers to
    the latest edition's): the header's box asks for Enter, tries the index once, and Enter
    still opens the search page."""
    site = tmp_path / "site"
    shutil.copytree(example_site, site)
    shutil.rmtree(site / "pagefind")
    with static_server(site) as base:
        page = browser.new_page(**DESKTOP)
        try:
            requests = recorded(page, base)
            page.goto(base + f"{SLUG}/")
            box = page.locator("form[data-explainer-search-form] input")
            box.click()
            box.press_sequentially("deport")
            page.locator(PANEL, has_text="Press Enter to search.").wait_for()
            box.press_sequentially("ation")
            box.press("Enter")
            page.wait_for_url(base + "search/?q=deportation")
            assert [url for url in requests if url.endswith("/pagefind.js")] == [
                "/pagefind/pagefind.js"]
        finally:
            page.close()
