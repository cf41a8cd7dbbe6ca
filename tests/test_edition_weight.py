"""What each edition stores again when it changes a page: no hidden table of contents repeating
every heading, and a sitemap that changes only when its pages do (issue 21, goal 2)."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _sitemap(site: Path) -> dict[str, str | None]:
    root = ElementTree.fromstring((site / "sitemap.xml").read_bytes())
    found = {}
    for url in root.iter(f"{SITEMAP_NS}url"):
        loc = url.findtext(f"{SITEMAP_NS}loc")
        assert loc
        found[loc] = url.findtext(f"{SITEMAP_NS}lastmod")
    return found


def test_the_sitemap_dates_explainers_by_their_own_day_and_nothing_by_the_build(
        example_site: Path) -> None:
    listed = _sitemap(example_site)
    explainer = [loc for loc in listed if loc.endswith("/venezuela-deportation-flights/")]
    assert explainer and listed[explainer[0]] == "2023-10-05"  # content/explainers: published
    undated = [loc for loc, day in listed.items() if day is None]
    assert any(loc.endswith("/facts/") for loc in undated)
    assert len(listed) > 5 and set(listed.values()) <= {"2023-10-05", None}


def test_pages_that_hide_their_table_of_contents_do_not_carry_it(example_site: Path) -> None:
    for page in ("facts/index.html", "sources/index.html",
                 "venezuela-deportation-flights/index.html"):
        html = (example_site / page).read_text(encoding="utf-8")
        assert "md-sidebar--secondary" not in html, page
        assert "md-sidebar--primary" in html, page  # the phone's menu stays
    # A page outside the menu (an explainer, a part of the Facts index) has none at all; a page
    # in the menu keeps the drawer's own list of its headings, as Material writes it.
    explainer = (example_site / "venezuela-deportation-flights/index.html").read_text("utf-8")
    assert 'aria-label="Table of contents"' not in explainer
    # A hand-written page keeps its table of contents.
    guide = (example_site / "guide/index.html").read_text(encoding="utf-8")
    assert re.search(r'class="md-sidebar md-sidebar--secondary"', guide)


def _records(explainers: int) -> list[dict]:
    return [{"id": f"f_{n}_{k}", "statement": f"Measure {k} of topic {n}.", "note": None,
             "display": "1,234", "sources": [{"title": f"Report {n}"}],
             "used_in": [f"topic-{n:05d}"]}
            for n in range(explainers) for k in range(8)]


def test_download_parts_are_finer_than_pages_and_their_index_stays_short() -> None:
    from generator.render import indexes

    small = _records(1_000)
    pages, parts = indexes.fact_plan(small), indexes.part_plan(small)
    sizes = [len(node.items) for node in parts.nodes.values() if node.items]
    page_sizes = [len(node.items) for node in pages.nodes.values() if node.items]
    # A correction publishes one part again: about one explainer's facts, not ten.
    assert max(sizes) <= 16 < max(page_sizes)
    # The index, which every edition publishes, lists a part a line: it grows with the
    # archive only until parts grow instead.
    large = _records(10_000)
    counts = [sum(1 for n in indexes.part_plan(r).nodes.values() if n.items)
              for r in (small, large)]
    assert counts[1] <= counts[0] and counts[1] <= 2 * indexes.PART_SHARE
