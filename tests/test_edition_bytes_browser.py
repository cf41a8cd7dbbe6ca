"""The theme's blank lines and indentation are cut from every page (generator/adapters/
html_space.py) without changing what a reader sees: the example site built with and without the
cut, its pages loaded side by side in Chromium in both colour schemes, show the same text with
every element in the same place, and the cut pages are smaller. The theme files no reader loads
(Material's own search and source maps: generator/adapters/theme_unused.py) are not published,
and no page asks for them, before or after Material's script starts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.adapters import html_space
from generator.publish.build import build_site
from tests.conftest import copy_project, static_server

PAGES = ("", "venezuela-deportation-flights/", "facts/", "sources/", "changes/", "archive/",
         "guide/", "search/")
# Every element's box and the page's text, as the reader's browser lays them out.
LAYOUT = """() => {
  const boxes = [...document.querySelectorAll("body *")].map(e => {
    const r = e.getBoundingClientRect();
    return [e.tagName, Math.round(r.x), Math.round(r.y), Math.round(r.width),
            Math.round(r.height)];
  });
  return {text: document.body.innerText, boxes: boxes};
}"""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("space")
    root = copy_project(base / "project")
    built = {"tight": build_site(root=root, site_dir=base / "tight").site_dir}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html_space, "tighten", lambda html: html)  # the builds fork: inherited
        built["loose"] = build_site(root=root, site_dir=base / "loose").site_dir
    return built


@pytest.fixture(scope="module")
def served(both: dict[str, Path]) -> Iterator[dict[str, str]]:
    with static_server(both["tight"]) as tight, static_server(both["loose"]) as loose:
        yield {"tight": tight, "loose": loose}


def test_pages_are_smaller(both: dict[str, Path]) -> None:
    for path in PAGES:
        tight = (both["tight"] / path / "index.html").stat().st_size
        loose = (both["loose"] / path / "index.html").stat().st_size
        assert tight < loose * 0.95, (path, tight, loose)


def test_unused_theme_files_are_not_published(both: dict[str, Path]) -> None:
    site = both["tight"]
    assert (site / "assets/javascripts").is_dir()
    assert not (site / "assets/javascripts/lunr").exists()
    assert not (site / "assets/javascripts/workers").exists()
    assert not list(site.rglob("*.map"))


def test_no_page_asks_for_a_missing_file(browser: Any, served: dict[str, str]) -> None:
    page = browser.new_page()
    failed: list[str] = []
    fetched: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400
            else fetched.append(r.url))
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    try:
        for path in PAGES:
            page.goto(served["tight"] + path)
            page.keyboard.press("Tab")  # Material's script starts on first use
            # Its bundle has run before the next page is opened (an address still loading
            # when the page goes away reads as a failed request, not a missing file).
            page.wait_for_function("() => window.document$ !== undefined")
            page.wait_for_load_state("networkidle")
        assert not failed
        assert [u for u in fetched if "/assets/javascripts/bundle." in u]  # it did start
        assert not [u for u in fetched if "lunr" in u or "/workers/" in u or u.endswith(".map")]
    finally:
        page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_readers_see_the_same_pages(browser: Any, served: dict[str, str], scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  color_scheme=scheme)
    try:
        for path in PAGES:
            seen = {}
            for kind, base in served.items():
                page = context.new_page()
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                seen[kind] = page.evaluate(LAYOUT)
                page.close()
            assert seen["tight"]["text"] == seen["loose"]["text"], path
            assert seen["tight"]["boxes"] == seen["loose"]["boxes"], path
            assert len(seen["tight"]["boxes"]) > 50  # a whole page, theme and all
    finally:
        context.close()
