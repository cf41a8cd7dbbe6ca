"""``explainer serve``: a YAML edit reaches the page open in a real browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import launch_chromium, serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SLUG = "venezuela-deportation-flights"
HEADLINE = "Biden administration to resume deportation flights to Venezuela"


@pytest.fixture()
def served(example_project: Path) -> Iterator[tuple[str, Path]]:
    with serving(example_project, f"{SLUG}/") as base:
        yield base, example_project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_yaml_edits_reach_the_open_page(served: tuple[str, Path]) -> None:
    base, root = served
    explainer = root / "content" / "explainers" / f"{SLUG}.yaml"
    facts = root / "content" / "facts" / "venezuela-deportations.yaml"
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page()
            page.goto(base + f"{SLUG}/")
            assert page.locator("article h1").inner_text().startswith(HEADLINE)

            # An explainer edit: the open page reloads by itself with the new headline.
            edit(explainer, f"headline: {HEADLINE}", "headline: Deportation flights to resume")
            page.wait_for_function(
                "() => (document.querySelector('article h1')?.textContent ?? '')"
                ".startsWith('Deportation flights to resume')", timeout=30_000)

            # A fact edit changes the number shown in the prose.
            edit(facts, "value: 334000", "value: 335000")
            page.wait_for_function(
                "() => (document.querySelector('article')?.textContent ?? '').includes('335,000')",
                timeout=30_000)

            # A broken reference shows the error on the page instead of stopping the preview...
            edit(explainer, "{{darien_crossings_2023}}", "{{darien_crossings_2032}}")
            page.wait_for_function(
                "() => (document.querySelector('article h1')?.textContent ?? '')"
                ".startsWith('Content has errors')", timeout=30_000)
            assert "darien_crossings_2032" in page.locator("article").inner_text()

            # ...and fixing it brings the page back.
            edit(explainer, "{{darien_crossings_2032}}", "{{darien_crossings_2023}}")
            page.wait_for_function(
                "() => (document.querySelector('article h1')?.textContent ?? '')"
                ".startsWith('Deportation flights to resume')", timeout=30_000)
        finally:
            browser.close()
