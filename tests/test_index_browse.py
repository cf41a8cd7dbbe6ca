"""The Facts and Sources indexes speak in what readers know, not in ids (issue 22, item 14b):
a split index names its parts by the explainers citing their facts (or the sources'
publishers), pages are titled the same way, ids stay as permanent addresses, and the first page
leads to the explainers by topic and by date."""

from __future__ import annotations

import re

import pytest

from bench.synth import write_project
from generator.check.run import check_project
from generator.render.site import generate_site

PART_LINE = re.compile(r"^- \[([^\]]+)\]\(([^)]*)\)\{: data-index-prefix=\"([a-z0-9_]+)\" \}: "
                       r"([\d,]+) (facts|sources), ids “([a-z0-9_\\]+)…”$", re.MULTILINE)
TITLE = re.compile(r"^title: \"(.*)\"$", re.MULTILINE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """150 synthetic explainers (Topic <n> explained, publishers Bureau <n> and Agency <n>):
    both indexes split (generate only)."""
    root = write_project(tmp_path_factory.mktemp("browse"), 150)
    project, diagnostics = check_project(root)
    assert not diagnostics.errors
    out = generate_site(project, static_charts=False)
    return {f.path: f.content for f in out.files if isinstance(f.content, str)}


def test_the_first_facts_page_groups_facts_by_the_explainers_citing_them(site) -> None:
    first = site["facts/index.md"]
    parts = PART_LINE.findall(first)
    assert len(parts) >= 5
    for about, _path, prefix, count, noun, label in parts:
        assert noun == "facts" and prefix == label.replace("\\", "")
        assert int(count.replace(",", "")) > 0
        # Headlines, most-cited first, then "and N more": never an id.
        assert re.fullmatch(r"Topic \d+ explained(, Topic \d+ explained)?( and [\d,]+ more)?",
                            about), about
    assert "[by topic](../tags/index.md)" in first and "[by date](../archive/index.md)" in first


def test_a_part_page_is_titled_by_its_explainers_and_keeps_its_ids(site) -> None:
    page = site["facts/f_1/index.md"]
    heading = next(line for line in page.splitlines() if line.startswith("# "))
    assert re.fullmatch(r"# Facts cited in Topic 1\d* explained, Topic 1\d* explained "
                        r"and \d+ more", heading), heading
    assert "whose ids (their permanent addresses) start with “f\\_1”" in page
    assert "{: #f_100_0 }" in page  # each fact's permanent anchor is still its id


def test_sources_are_grouped_by_publisher(site) -> None:
    first = site["sources/index.md"]
    parts = PART_LINE.findall(first)
    assert len(parts) >= 2
    assert all(re.match(r"(Bureau|Agency) \d+", about) for about, *_ in parts), parts
    assert "[by topic](../tags/index.md)" in first
