"""Site search works in the live preview: ``explainer serve`` has Pagefind index the served
site in the background once rebuilds pause, and again after an edit, without delaying pages."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from tests.conftest import copy_project, launch_chromium, serving, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SLUG = "venezuela-deportation-flights"
HEADLINE = "headline: Biden administration"
WORD = "Quetzalcoatlus"  # in no page until the edit below


def search(page, base: str, query: str, *, timeout: float = 90) -> list[str]:  # type: ignore[no-untyped-def]
    """The hrefs of the search page's results for ``query``, retried (with the page loaded
    again, so a fresh index is fetched) until there are some or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto(base + "search/")
        try:  # no search box while the site has no index (a full rebuild empties the folder)
            page.locator(".pagefind-ui__search-input").fill(query, timeout=5_000)
            page.locator(".pagefind-ui__result-link").first.wait_for(timeout=5_000)
            return page.eval_on_selector_all(".pagefind-ui__result-link",
                                             "links => links.map(a => a.getAttribute('href'))")
        except PlaywrightTimeout:  # not indexed yet
            if time.monotonic() > deadline:
                return []


def test_search_works_in_the_preview_and_follows_edits(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    with serving(root, f"{SLUG}/") as base:
        wait_for(base + "pagefind/pagefind-entry.json", timeout=90)
        with urllib.request.urlopen(base + "pagefind/pagefind-entry.json") as response:
            entry = json.load(response)
        # The explainer and the Facts and Sources indexes (tests/test_search_findings.py).
        assert sum(lang["page_count"] for lang in entry["languages"].values()) == 3
        with sync_playwright() as p:
            browser = launch_chromium(p)
            try:
                page = browser.new_page()
                assert any(SLUG in href for href in search(page, base, "deportation"))
                assert search(page, base, WORD, timeout=0) == []

                explainer = root / "content" / "explainers" / f"{SLUG}.yaml"
                text = explainer.read_text("utf-8")
                assert HEADLINE in text
                explainer.write_text(text.replace(HEADLINE, f"headline: {WORD} and Biden "
                                                  "administration", 1), "utf-8")
                # The page shows the edit first; the search finds it once re-indexed.
                page.goto(base + f"{SLUG}/")
                page.wait_for_function(
                    f"() => document.querySelector('article h1')?.textContent"
                    f".includes('{WORD}')", timeout=60_000)
                assert any(SLUG in href for href in search(page, base, WORD))
            finally:
                browser.close()
