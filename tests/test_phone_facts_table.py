"""On a phone the explainer's facts table hides nothing sideways (issue 22, item 13): each row
stacks its cells, each after its column's name, before and after Material's bundle starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import static_server

SLUG = "venezuela-deportation-flights"
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


def _cells_outside(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate("""() => {
        const table = document.querySelector("#facts-in-this-explainer ~ * table, \
#facts-in-this-explainer + table");
        const out = [];
        for (const cell of table.querySelectorAll("td")) {
            const box = cell.getBoundingClientRect();
            if (box.left < 0 || box.right > window.innerWidth + 0.5) out.push(cell.innerText);
        }
        return out;
    }""")


@pytest.mark.parametrize("started", [False, True], ids=["first-paint", "bundle-started"])
def test_no_facts_table_cell_is_off_screen_on_a_phone(example_site: Path, browser,  # type: ignore[no-untyped-def]
                                                        started: bool) -> None:
    with static_server(example_site) as url:
        page = browser.new_page(viewport=PHONE)
        try:
            page.goto(url + f"{SLUG}/")
            if started:  # Material's bundle starts on a reader's first touch and wraps tables
                page.mouse.move(10, 300)
                page.wait_for_function("() => window.document$ !== undefined")
                page.wait_for_selector("#facts-in-this-explainer + .md-typeset__scrollwrap")
            sources = page.locator("#facts-in-this-explainer ~ * td:nth-child(4), "
                                   "#facts-in-this-explainer + table td:nth-child(4)")
            assert sources.count() >= 5
            assert _cells_outside(page) == []
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            # Each cell says what it is: the column's name comes before the value.
            first = sources.first.evaluate(
                "cell => getComputedStyle(cell, '::before').content")
            assert first == '"Source: "'
            assert sources.first.is_visible()
        finally:
            page.close()


def test_the_table_keeps_its_columns_on_a_wide_screen(example_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    with static_server(example_site) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            page.goto(url + f"{SLUG}/")
            cell = page.locator("#facts-in-this-explainer + table td:nth-child(4)").first
            assert cell.evaluate("cell => getComputedStyle(cell).display") == "table-cell"
            assert cell.evaluate("cell => getComputedStyle(cell, '::before').content") == "none"
        finally:
            page.close()
