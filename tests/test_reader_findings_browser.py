"""Issue 22's reader findings in Chromium: the front page's layout at 1, 2 and 31 explainers on
a desktop and a phone, in both colour schemes (item 10), and what Chromium's accessibility tree
says of citation links, back-references, headings and the Smart Brevity labels (item 17)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from bench.synth import write_project
from tests.conftest import REPO, build_project, copy_project, launch_chromium, static_server
from tests.readerkit import EARLIER, SLUG, reader_project

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Sites of 1 (the seed), 2 (the seed and an earlier explainer) and 31 explainers."""
    base = tmp_path_factory.mktemp("front")
    many = write_project(base / "many", 30, with_docs_from=REPO)
    # The seed's content beside the synthetic explainers.
    shutil.copytree(REPO / "content", many / "content", dirs_exist_ok=True)
    return {1: build_project(copy_project(base / "one")),
            2: build_project(reader_project(base / "two")),
            31: build_project(many)}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Any, url: str, viewport: dict[str, int], scheme: str = "light") -> Page:
    context = browser.new_context(viewport=viewport, color_scheme=scheme,
                                  is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    page = context.new_page()
    page.goto(url, wait_until="load")
    return page


BOXES = """() => [...document.querySelectorAll('article.explainer-card')].map(card => {
  const box = el => { if (!el) return null; const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
  return {lead: card.classList.contains('explainer-card--lead'), card: box(card),
          headline: box(card.querySelector('h2')),
          number: box(card.querySelector('.explainer-card__number')),
          value: box(card.querySelector('.explainer-card__value')),
          statement: box(card.querySelector('.explainer-card__statement'))};
})"""


def assert_numbers_read_down(cards: list[dict[str, Any]]) -> None:
    """Each key number sits on its own line with what it counts below, across the card's
    width, inside the card's own column (nothing squeezed beside it, nothing floating)."""
    for card in cards:
        if card["number"] is None:
            continue
        assert card["value"]["bottom"] <= card["statement"]["top"] + 1, card
        assert card["statement"]["width"] >= 0.8 * card["card"]["width"], card
        assert abs(card["number"]["left"] - card["headline"]["left"]) <= 1, card
        assert card["number"]["right"] <= card["card"]["right"] + 1, card


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_front_page_layout_at_1_2_and_31_explainers(sites: dict[int, Path], chromium: Any,
                                                     viewport: dict[str, int],
                                                     scheme: str) -> None:
    for count, site in sites.items():
        with static_server(site) as url:
            page = open_page(chromium, url, viewport, scheme)
            cards = page.evaluate(BOXES)
            assert len(cards) == min(count, 12)
            assert_numbers_read_down(cards)
            # Nothing sideways on a phone.
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            main = page.locator(".md-content__inner").bounding_box()
            assert main is not None
            lead = cards[0]
            assert lead["lead"]
            if viewport is PHONE:
                for card in cards:  # one column
                    assert abs(card["card"]["left"] - lead["card"]["left"]) <= 1
            elif count == 1:  # a lone lead takes the row, at a reading measure
                assert lead["card"]["width"] >= 600
            else:
                rail = cards[1]  # the next story beside the lead, top-aligned, to the edge
                assert rail["card"]["left"] > lead["card"]["right"]
                assert abs(rail["card"]["top"] - lead["card"]["top"]) <= 24
                assert main["x"] + main["width"] - rail["card"]["right"] <= 40
                assert lead["card"]["width"] > 1.5 * rail["card"]["width"]
                if count > 3:  # below lead and rail: rows of three
                    row = [c for c in cards[3:6]]
                    assert len({round(c["card"]["top"]) for c in row}) == 1
                    assert row[0]["card"]["left"] == lead["card"]["left"]
            # Every explainer's headline is on the page once: topics repeat none of the cards.
            hrefs = page.evaluate("""() => [...document.querySelectorAll(
                '.md-content a')].map(a => a.getAttribute('href'))
                .filter(h => /^[a-z0-9-]+\\/$/.test(h) && !h.startsWith('tags/')
                        && !['archive/', 'facts/', 'sources/'].includes(h))""")
            assert len(hrefs) == len(set(hrefs)), hrefs
            if count == 31:  # the topics show headlines the cards do not
                assert len(hrefs) > 12
            page.context.close()


def ax_tree(page: Page) -> list[dict[str, Any]]:
    """Chromium's own accessibility tree (DevTools protocol), as role, name and level."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    out = []
    for node in nodes:
        if node.get("ignored"):
            continue
        props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        out.append({"role": node.get("role", {}).get("value"),
                    "name": (node.get("name") or {}).get("value", ""),
                    "level": props.get("level")})
    return out


def test_accessibility_tree_names_citations_headings_and_labels(sites: dict[int, Path],
                                                                chromium: Any) -> None:
    with static_server(sites[2]) as url:
        page = open_page(chromium, url + f"{SLUG}/", DESKTOP)
        tree = ax_tree(page)
        links = [n["name"] for n in tree if n["role"] == "link"]
        # Citation markers say what they point to; none is a bare number or an arrow.
        assert not [name for name in links if name.strip().isdigit() or name.strip() == "↩"]
        assert "Source 2: The Associated Press, Oct. 5, 2023" in links
        assert ("Source 1: [News explainer on the planned resumption of deportation flights to "
                "Venezuela], Oct. 5, 2023") in links
        assert "Back to the text citing source 2" in links
        assert any(name.startswith("Note ") and "derived figure" in name for name in links)
        headings = [(n["name"], n["level"]) for n in tree if n["role"] == "heading"]
        assert not [h for h in headings if "¶" in h[0]], headings
        # The Smart Brevity labels are headings a screen reader can jump between.
        for label in ("Why it matters:", "Behind the scenes:", "By the numbers:", "Follows:"):
            assert (label, 2) in headings, headings
        assert ("Sources", 2) in headings
        # ... without changing the look: bold text opening its paragraph, on its first line.
        look = page.evaluate("""() => {
            const label = [...document.querySelectorAll('article strong')]
              .find(s => s.textContent === 'Why it matters:');
            const p = label.parentElement, range = document.createRange();
            range.setStart(label.nextSibling, 1); range.setEnd(label.nextSibling, 2);
            const s = getComputedStyle(label), ps = getComputedStyle(p);
            return {display: s.display, weight: s.fontWeight, size: s.fontSize,
                    pSize: ps.fontSize, first: p.firstChild === label,
                    labelTop: label.getBoundingClientRect().top,
                    textTop: range.getBoundingClientRect().top};
        }""")
        assert look["display"] == "inline" and int(look["weight"]) >= 700
        assert look["size"] == look["pSize"] and look["first"]
        assert abs(look["labelTop"] - look["textTop"]) <= 2
        page.context.close()
        page = open_page(chromium, url + "facts/", DESKTOP)
        headings = [(n["name"], n["level"]) for n in ax_tree(page) if n["role"] == "heading"]
        assert ("Facts", 1) in headings, headings
        assert not [h for h in headings if "¶" in h[0]], headings
        page.context.close()
        page = open_page(chromium, url + f"{EARLIER}/", DESKTOP)
        links = [n["name"] for n in ax_tree(page) if n["role"] == "link"]
        assert "Source 1: Example Register, Sept. 20, 2023" in links
        page.context.close()
