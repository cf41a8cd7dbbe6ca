"""Issue 21, goal 1: what one explainer costs in a published edition, and no file that grows with
the archive. Two synthetic archives (bench/sites.py) are built for real, 30 and 120 explainers,
and measured with bench/edition_size.py's ``measure``: bytes shipped, never time.

* The facts download is an index and parts (generator/render/datafiles.py): the index lists
  parts, not facts, and no part is larger than an index page's worth of facts.
* Per explainer, the data downloads and the Facts and Sources index pages stay under a bound that
  does not depend on the archive's size.
* One changed fact changes one part of the download, not the whole of it.
* The previous edition's facts are read back from gh-pages in the new layout, for the fact diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.edition_size import measure
from bench.sites import cards_off, make_root
from generator.adapters import edition as ed
from generator.check.run import check_project
from generator.publish.build import build_site
from generator.render import datafiles, indexes
from generator.render.site import generate_site
from tests.datakit import joined
from tests.deploykit import commit_all, commit_branch, init_repo, use_git_env

SIZES = (30, 120)
# A part lists the facts of one index page (at most PAGE_WEIGHT characters of Markdown); its
# JSON is about twice that Markdown.
PART_BOUND = 4 * indexes.PAGE_WEIGHT
DATA_PER_EXPLAINER = 10_000  # bytes of data/ an explainer (8 facts, 2 sources, its own file)
INDEX_PAGES_PER_EXPLAINER = 12_000  # bytes of facts/ and sources/ pages an explainer
INDEX_BYTES_PER_PART = 250  # data/facts.json: one entry per part, nothing per fact

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("edition-bytes")]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    base = tmp_path_factory.mktemp("bytes")
    built = {}
    for count in SIZES:
        root = make_root(base / f"project-{count}", count)
        cards_off(root)
        built[count] = build_site(root=root, site_dir=base / f"site-{count}").site_dir
    return built


def test_measure_counts_every_file_once(sites: dict[int, Path]) -> None:
    for count, site in sites.items():
        figures = measure(site)
        files = [p for p in site.rglob("*") if p.is_file() and not p.is_symlink()]
        assert figures["explainers"] == count
        assert figures["total_files"] == len(files)
        assert figures["total_bytes"] == sum(p.stat().st_size for p in files)
        assert figures["parts"]["explainers"]["files"] == count  # one page each
        assert figures["parts"]["cards"]["files"] == 0  # cards off


def test_facts_download_is_an_index_of_parts(sites: dict[int, Path]) -> None:
    counts = {}
    for count, site in sites.items():
        index = json.loads((site / "data/facts.json").read_text("utf-8"))
        parts = index["fact_parts"] + index["source_parts"]
        counts[count] = index["fact_count"]
        # The index names parts, not facts: its size follows the number of parts.
        size = (site / "data/facts.json").stat().st_size
        assert size <= 300 + INDEX_BYTES_PER_PART * len(parts), (count, size, len(parts))
        assert sum(p["count"] for p in index["fact_parts"]) == index["fact_count"]
        assert sum(p["count"] for p in index["source_parts"]) == index["source_count"]
        for part in parts:
            path = site / "data" / part["json"]
            assert path.stat().st_size <= PART_BOUND, path
        # Every fact is in the parts exactly once, and a fact's sources are named, not copied.
        payload = joined(site)
        assert len({f["id"] for f in payload["facts"]}) == index["fact_count"]
        first = json.loads((site / "data" / index["fact_parts"][0]["json"]).read_text("utf-8"))
        assert all("sources" not in f and f["source_ids"] for f in first["facts"]
                   if not f["derived"])
        # data/facts.csv lists the CSV parts, one row each.
        rows = (site / "data/facts.csv").read_text("utf-8").splitlines()
        assert rows[0] == ",".join(datafiles.CSV_INDEX_COLUMNS)
        assert len(rows) == 1 + len(index["fact_parts"])
    small, large = SIZES
    assert counts[large] == counts[small] * large // small  # the archive did grow


def test_bytes_an_explainer_do_not_grow_with_the_archive(sites: dict[int, Path]) -> None:
    for count, site in sites.items():
        parts = measure(site)["parts"]
        data = parts["data"]["bytes"] / count
        pages = (parts["facts"]["bytes"] + parts["sources"]["bytes"]) / count
        assert data <= DATA_PER_EXPLAINER, (count, data)
        assert pages <= INDEX_PAGES_PER_EXPLAINER, (count, pages)
        largest = max((p for p in (site / "data").rglob("*") if p.is_file()),
                      key=lambda p: p.stat().st_size)
        assert largest.stat().st_size <= PART_BOUND, largest


def _data_files(root: Path) -> dict[str, str | bytes]:
    project, diagnostics = check_project(root)
    assert not diagnostics.errors
    return {f.path: f.content for f in generate_site(project, static_charts=False).files
            if f.path.startswith("data/")}


def test_one_changed_fact_changes_one_part(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the same build stamp in both
    root = make_root(tmp_path / "project", 120)
    before = _data_files(root)
    path = root / "content/facts/f00042.yaml"
    path.write_text(path.read_text("utf-8").replace("value: 1294", "value: 1295"), "utf-8")
    after = _data_files(root)
    assert set(before) == set(after)
    changed = {p for p in before if before[p] != after[p]}
    index = json.loads(str(after["data/facts.json"]))
    part = next(p for p in index["fact_parts"] if p["first"] <= "f_42_0" <= p["last"])
    assert changed == {f"data/{part['json']}", f"data/{part['csv']}",
                       "data/explainers/topic-00042.json"}
    assert len(index["fact_parts"]) > 1  # the archive's facts are in several parts


def _published(site: Path, version: str) -> dict[str, bytes | str]:
    return {f"{version}/{p.relative_to(site).as_posix()}": p.read_bytes()
            for p in (site / "data").rglob("*") if p.is_file()}


def test_previous_edition_is_read_in_parts_and_whole(sites: dict[int, Path], tmp_path: Path,
                                                     monkeypatch: Any) -> None:
    """An edition of the parts and an older edition's single file both read back as the
    payload the fact diff compares; a part missing reads as nothing to compare with."""
    env = use_git_env(monkeypatch, tmp_path / "home")
    repo = init_repo(tmp_path / "repo", env)
    (repo / "x.txt").write_text("x\n")
    commit_all(repo, "x", env)
    site = sites[SIZES[0]]
    whole = joined(site)
    old = {"format": 1, "facts": whole["facts"][:3], "sources": whole["sources"][:1]}
    files: dict[str, bytes | str] = {"1.0/data/facts.json": json.dumps(old),
                                     **_published(site, "1.1"), **_published(site, "1.2")}
    index = json.loads((site / "data/facts.json").read_text("utf-8"))
    del files[f"1.2/data/{index['source_parts'][0]['json']}"]
    commit_branch(repo, "gh-pages", files, env)
    ref = "refs/heads/gh-pages"
    assert ed.read_facts(repo, ref, "1.0") == old
    read = ed.read_facts(repo, ref, "1.1")
    assert read is not None
    assert read["facts"] == whole["facts"] and read["sources"] == whole["sources"]
    assert all(f["sources"] or f["derived"] for f in read["facts"])  # joined back on
    assert ed.read_facts(repo, ref, "1.2") is None
