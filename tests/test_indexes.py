"""The Facts and Sources indexes split into pages by id prefix (generator/render/buckets.py,
indexes.py): every item keeps one page, links everywhere point to it, pages stay under their
weight, and an unrelated addition moves nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.synth import CHART_EVERY, write_project
from generator.check.run import check_project
from generator.render import indexes
from generator.render.buckets import plan
from generator.render.site import generate_site

HEADING_ID = re.compile(r"^## .* \{: #([a-z][a-z0-9_]*) \}$", re.MULTILINE)
PART = re.compile(r"\]\(([^)]*)\)\{: data-index-prefix=\"([a-z0-9_]+)\" \}")


def test_everything_fits_on_the_first_page() -> None:
    tree = plan({"a": 10, "b": 10}, 100)
    assert list(tree.nodes) == [""]
    assert tree.nodes[""].items == ["a", "b"]
    assert tree.href("b") == "#b"


def test_a_heavy_page_splits_by_the_next_letter_and_every_id_stays_reachable() -> None:
    ids = [f"{c}{n}" for c in "abc" for n in range(40)] + ["b", "bb"]
    tree = plan(dict.fromkeys(ids, 10), 120)
    assert tree.nodes[""].children == ["a", "b", "c"] and not tree.nodes[""].items
    assert "b" in tree.nodes["b"].items  # an id equal to its page's prefix stays there
    # Walking from the first page through the parts reaches every id exactly once.
    seen: list[str] = []
    stack = [""]
    while stack:
        node = tree.nodes[stack.pop()]
        seen += node.items
        stack += node.children
        assert 10 * len(node.items) <= 120 or len(node.items) == 1
        assert all(i.startswith(node.key) for i in node.items)
    assert sorted(seen) == sorted(ids)
    assert all(tree.page_of[i] == k for k, n in tree.nodes.items() for i in n.items)
    assert tree.href("a17") == "a1/#a17"


def test_one_item_heavier_than_a_page_gets_one_page_not_a_chain() -> None:
    tree = plan({"alpha": 500, "beta": 10}, 100)
    assert tree.page_of == {"alpha": "a", "beta": "b"}
    assert set(tree.nodes) == {"", "a", "b"}


def test_adding_an_unrelated_fact_moves_no_other_fact() -> None:
    ids = {f"f_{i}_{k}": 30 for i in range(60) for k in range(8)}
    before = plan(ids, 2_000).page_of
    after = plan({**ids, "f_59_z": 30}, 2_000).page_of
    moved = {i for i in before if before[i] != after[i]}
    # Only facts on the page the newcomer joins may move (when it overflows and splits).
    assert all(before[i] == before.get("f_59_0") for i in moved)
    assert len(moved) < len(ids) // 10
    assert plan(ids, 2_000).page_of == before  # and the same input gives the same pages


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A synthetic site just large enough that both indexes split (generate only)."""
    root = write_project(tmp_path_factory.mktemp("indexes"), 150)
    project, diagnostics = check_project(root)
    assert not diagnostics.errors
    out = generate_site(project, static_charts=False)
    return {f.path: f.content for f in out.files if isinstance(f.content, str)}


@pytest.mark.parametrize("index", ["facts", "sources"])
def test_every_item_is_on_exactly_one_page_reached_from_the_first(
        big_site: dict[str, str], index: str) -> None:
    pages = {p: t for p, t in big_site.items() if p.startswith(f"{index}/")}
    assert len(pages) > 3, "the fixture should split the index"
    # Eight facts and two sources a topic, and two charted facts on every CHART_EVERY-th.
    charted = len(range(0, 150, CHART_EVERY))
    expected = 150 * 8 + 2 * charted if index == "facts" else 150 * 2
    anchors = [a for text in pages.values() for a in HEADING_ID.findall(text)]
    assert len(anchors) == len(set(anchors)) == expected
    # From the first page, the parts' links reach every page that lists items.
    reached, stack = set(), [f"{index}/index.md"]
    while stack:
        page = stack.pop()
        reached.add(page)
        for target, prefix in PART.findall(pages[page]):
            path = indexes.posixpath.normpath(indexes.posixpath.join(
                indexes.posixpath.dirname(page), target))
            assert path.endswith(f"/{prefix}/index.md")
            stack.append(path)
    assert {p for p, t in pages.items() if HEADING_ID.search(t)} <= reached
    for text in pages.values():  # the weight bound, in Markdown characters
        assert len(text) < 2 * indexes.PAGE_WEIGHT


def _targets(text: str, page: str, kind: str) -> list[tuple[str, str]]:
    found = []
    for target in re.findall(r"\]\(([^)#]*index\.md)#([a-z][a-z0-9_]*)\)", text):
        path = indexes.posixpath.normpath(indexes.posixpath.join(
            indexes.posixpath.dirname(page), target[0]))
        if path.startswith(f"{kind}/"):
            found.append((path, target[1]))
    return found


def test_every_link_to_a_fact_or_source_lands_on_its_anchor(big_site: dict[str, str]) -> None:
    anchors = {(p, a) for p, t in big_site.items() if p.endswith(".md")
               for a in HEADING_ID.findall(t)}
    links = [(kind, t) for p, text in big_site.items() if p.endswith(".md")
             for kind in ("facts", "sources") for t in _targets(text, p, kind)]
    assert len([1 for kind, _ in links if kind == "facts"]) > 150 * 8  # explainers + sources
    assert len([1 for kind, _ in links if kind == "sources"]) >= 150 * 8  # from every fact
    missing = [t for _, t in links if t not in anchors]
    assert not missing[:5]


def test_the_data_permalink_names_the_facts_page(big_site: dict[str, str]) -> None:
    import json

    index = json.loads(big_site["data/facts.json"])
    part = json.loads(big_site["data/" + index["fact_parts"][0]["json"]])
    assert len(part["facts"]) == index["fact_parts"][0]["count"]
    for record in part["facts"][:50]:
        page, anchor = record["permalink"].split("#")
        assert anchor == record["id"]
        assert "## " in big_site[f"{page}index.md"] and \
            f"{{: #{anchor} }}" in big_site[f"{page}index.md"]


def test_tag_pages_hold_fifty_newest_first(big_site: dict[str, str]) -> None:
    # 150 explainers tagged "all": three pages, newest first, linked both ways.
    assert {"tags/all.md", "tags/all/2.md", "tags/all/3.md"} <= set(big_site)
    assert "tags/all/4.md" not in big_site
    first, last = big_site["tags/all.md"], big_site["tags/all/3.md"]
    assert first.count("\n- [") == 50 and last.count("\n- [") == 50
    assert "[Older →](all/2.md)" in first and "[← Newer](2.md)" in last
    assert "](../../topic-" in last


def test_a_small_site_keeps_one_page_per_index(tmp_path: Path) -> None:
    root = write_project(tmp_path, 3)
    project, _ = check_project(root)
    paths = {f.path for f in generate_site(project, static_charts=False).files}
    assert {p for p in paths if p.startswith(("facts/", "sources/"))} == {
        "facts/index.md", "sources/index.md"}
