"""The theme's blank lines and indentation are cut from every page (generator/adapters/
html_space.py) without changing what a reader sees: the example site built with and without the
cut, its pages loaded side by side in Chromium in both colour schemes, show the same text with
every element in the same place, and the cut pages are smaller."""

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
