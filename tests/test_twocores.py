"""Both cores for the engine's pages (generator/adapters/twocores.py): a clean build of 64
pages or more shares its pages with a forked child, and publishes the very site one process
would; the child's warnings and errors stop the build as the parent's do, and a failure on
either side leaves no process behind."""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench import sites
from generator.adapters.engine import activate
from generator.errors import BuildError
from tests.conftest import copy_project

pytestmark = [pytest.mark.slow]
EPOCH = "1767225600"  # 2026-01-01: data files carry the build time
SHARED = "a second process converted"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 explainers: 75 pages, charts, tag pages; cards off (Chromium is not the subject)."""
    root = sites.make_root(tmp_path_factory.mktemp("twocores") / "project", 40)
    sites.cards_off(root)
    return root


@pytest.fixture(autouse=True)
def _env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
         ) -> Iterator[None]:
    # One picture cache for the module: the charts are exported once.
    cache = tmp_path_factory.getbasetemp() / "twocores-cache"
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(cache))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("EXPLAINER_PROCESSES", raising=False)
    activate()
    yield
    assert multiprocessing.active_children() == []  # no child outlives its build


def _build(root: Path, site: Path) -> Any:
    from generator.adapters.mkdocs_run import run_build

    return run_build(root=root, site_dir=site)


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _engine_functions() -> tuple[Any, Any]:
    from mkdocs.commands import build as engine_build

    return engine_build._populate_page, engine_build._build_page


@pytest.mark.parametrize("chunk", [500, 8])  # one child per loop; five, one after another
def test_a_shared_build_publishes_the_same_site(
        synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture, chunk: int) -> None:
    from generator.adapters import twocores
    from generator.adapters.search_index import build_search_index

    monkeypatch.setattr(twocores, "CHUNK", chunk)
    before = _engine_functions()
    caplog.set_level(logging.INFO)
    monkeypatch.setenv("EXPLAINER_PROCESSES", "1")
    _build(synthetic, tmp_path / "one")
    assert not [r for r in caplog.records if SHARED in r.getMessage()]
    monkeypatch.delenv("EXPLAINER_PROCESSES")
    output = _build(synthetic, tmp_path / "two")
    shared = [r.getMessage() for r in caplog.records if SHARED in r.getMessage()]
    pages = sum(1 for p in (tmp_path / "two").rglob("*.html") if p.name != "404.html")
    assert pages >= 64 and len(output.pages()) < pages  # hand-written pages are shared too
    assert shared == [f"explainer: {SHARED} {pages // 2} and wrote {pages // 2} of the pages"]
    for site in ("one", "two"):
        build_search_index(tmp_path / site)
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert sorted(one) == sorted(two)
    assert [path for path in one if one[path] != two[path]] == []
    assert _engine_functions() == before  # the engine's own functions again


def _with_broken_links(synthetic: Path, dest: Path) -> Path:
    root = dest / "project"
    shutil.copytree(synthetic, root, ignore=shutil.ignore_patterns("site"))
    for name in ("zz-a", "zz-b", "zz-c", "zz-d"):
        (root / "docs" / f"{name}.md").write_text(
            # A heading the home page lacks: the engine warns; explainer check does not know
            # generated pages' headings.
            f"# {name}\n\nSee [the missing heading](index.md#missing-{name}).\n",
            encoding="utf-8")
    return root


def _shares(monkeypatch: pytest.MonkeyPatch) -> list[frozenset[str]]:
    """The pages the child was given, build by build."""
    from generator.adapters import twocores

    seen: list[frozenset[str]] = []
    real = twocores.PageSplit.take_conversions

    def take(self: Any, files: Any, converted: Any) -> None:
        if self.theirs not in seen:
            seen.append(self.theirs)
        real(self, files, converted)

    monkeypatch.setattr(twocores.PageSplit, "take_conversions", take)
    return seen


def test_warnings_of_both_processes_fail_the_strict_build_once_each(
        synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _with_broken_links(synthetic, tmp_path)
    shares = _shares(monkeypatch)
    with pytest.raises(BuildError) as caught:
        _build(root, tmp_path / "site")
    broken = {"zz-a.md", "zz-b.md", "zz-c.md", "zz-d.md"}
    assert len(shares) == 1 and broken & shares[0] and broken - shares[0]
    message = caught.value.message
    assert "Aborted with 4 warnings in strict mode!" in message
    for name in sorted(broken):
        assert message.count(f"Doc file '{name}' contains a link") == 1, message


def _in_children(monkeypatch: pytest.MonkeyPatch, loop: str,
                 act: Callable[[Any], None]) -> None:
    """The engine's ``loop`` function does ``act(page)`` in a child process, its own work here."""
    from mkdocs.commands import build as engine_build

    parent = os.getpid()
    real = getattr(engine_build, loop)

    def in_children(page: Any, *args: Any, **kwargs: Any) -> None:
        if os.getpid() != parent:
            act(page)
        real(page, *args, **kwargs)

    monkeypatch.setattr(engine_build, loop, in_children)


@pytest.mark.parametrize("loop", ["_populate_page", "_build_page"])
def test_an_error_on_a_page_of_the_second_process_stops_the_build(
        synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loop: str) -> None:
    from mkdocs.exceptions import PluginError

    def fail(page: Any) -> None:
        raise PluginError(f"explainer: cannot build {page.file.src_uri}")

    _in_children(monkeypatch, loop, fail)
    before = _engine_functions()
    with pytest.raises(BuildError) as caught:
        _build(synthetic, tmp_path / "site")
    assert caught.value.message.startswith("MkDocs build failed: Aborted with a BuildError!")
    assert "explainer: cannot build " in caught.value.message
    assert _engine_functions() == before


@pytest.mark.parametrize("loop", ["_populate_page", "_build_page"])
def test_a_second_process_that_dies_is_a_build_error(
        synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loop: str) -> None:
    _in_children(monkeypatch, loop, lambda page: os._exit(3))
    with pytest.raises(BuildError) as caught:
        _build(synthetic, tmp_path / "site")
    assert caught.value.message == \
        "the second page process stopped without a result (exit code 3)"


def test_not_shared_below_the_threshold_or_beside_a_plugin_acting_on_pages(
        synthetic: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    _build(copy_project(tmp_path / "example"), tmp_path / "example-site")  # under 64 pages
    # MkDocs' own search plugin collects every page in on_page_context: it would see half.
    root = tmp_path / "searching"
    shutil.copytree(synthetic, root, ignore=shutil.ignore_patterns("site"))
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("\nplugins:\n", "\nplugins:\n  - search\n", 1),
                      encoding="utf-8")
    _build(root, tmp_path / "searching-site")
    index = (tmp_path / "searching-site" / "search" / "search_index.json").read_text("utf-8")
    assert index.count('"location":') > 64  # every page, not half of them
    assert not [r for r in caplog.records if SHARED in r.getMessage()]
