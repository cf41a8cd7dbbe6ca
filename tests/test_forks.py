"""A command step run in a forked child (generator/forks.py): its result, its refusal
and its crash come back to the parent as if it had run there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import BuildError, ContentError, Diagnostic, Severity
from generator.forks import Relay, StepCrashed, in_child


def test_the_result_comes_back_from_another_process() -> None:
    parent = os.getpid()
    pid, data = in_child(lambda: (os.getpid(), {"pages": 3, "names": ["a", "b"]}), name="step")
    assert pid != parent
    assert data == {"pages": 3, "names": ["a", "b"]}


def test_a_refusal_keeps_its_class_message_hint_and_diagnostics() -> None:
    found = Diagnostic("content/facts/a.yaml", 3, 5, Severity.ERROR, "unknown source 'x'",
                       "unknown-source")

    def refuse() -> None:
        raise ContentError("content has 1 error", [found])

    with pytest.raises(ContentError) as caught:
        in_child(refuse, name="build")
    assert caught.value.message == "content has 1 error"
    assert caught.value.diagnostics == [found]
    assert caught.value.exit_code == 1

    def fail() -> None:
        raise BuildError("MkDocs build failed", hint="fix the problems above")

    with pytest.raises(BuildError) as caught_build:
        in_child(fail, name="build")
    assert str(caught_build.value) == "MkDocs build failed\n  hint: fix the problems above"


def test_a_bug_comes_back_with_its_traceback() -> None:
    def bug() -> int:
        return {}["missing"]  # type: ignore[no-any-return]

    with pytest.raises(StepCrashed) as caught:
        in_child(bug, name="build")
    # One line for the command line; the child's traceback for --debug, as the cause.
    assert str(caught.value) == "the build failed: KeyError: 'missing'"
    cause = str(caught.value.__cause__)
    assert cause.startswith("Traceback (most recent call last):")
    assert "in bug" in cause and cause.rstrip().endswith("KeyError: 'missing'")


def test_a_child_that_dies_is_a_build_error_naming_its_exit() -> None:
    with pytest.raises(BuildError) as caught:
        in_child(lambda: os._exit(3), name="build")
    assert caught.value.message == "the build stopped without a result (exit code 3)"
    assert "out of memory" in caught.value.hint


def test_a_failed_search_index_leaves_the_previous_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`explainer build`: the forked build succeeds, then the search index (run by the parent)
    fails: a BuildError naming the indexer, the previous site as it was, no staging left."""
    from generator.adapters import search_index
    from generator.publish.build import build_site
    from tests.conftest import copy_project

    root = copy_project(tmp_path / "project")
    site = root / "site"
    first = build_site(root=root, site_dir=site)
    assert first.pages > 0 and (site / "pagefind" / "pagefind.js").is_file()
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))

    def broken(site_dir: Path) -> int:
        raise search_index.SearchIndexError("the search indexer (pagefind) failed:\nboom")

    monkeypatch.setattr(search_index, "build_search_index", broken)
    with pytest.raises(BuildError) as caught:
        build_site(root=root, site_dir=site)
    assert str(caught.value).startswith("explainer: the search indexer (pagefind) failed:")
    assert "previous site was left as it was" in caught.value.hint
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
    assert not [p for p in root.iterdir() if p.name.startswith(".site-")]


def test_a_relay_hands_over_each_childs_share_in_order() -> None:
    import multiprocessing

    taken: list[list[tuple[int, int]]] = []
    relay = Relay(list(range(10)), lambda chunk: [(os.getpid(), n * n) for n in chunk],
                  taken.append, size=3, name="relay")
    relay.finish()
    assert [[square for _, square in chunk] for chunk in taken] == \
        [[0, 1, 4], [9, 16, 25], [36, 49, 64], [81]]
    pids = {pid for chunk in taken for pid, _ in chunk}
    assert len(pids) == 4 and os.getpid() not in pids  # a child per chunk
    assert multiprocessing.active_children() == []


def test_a_stopped_relay_leaves_no_child_and_takes_nothing_more() -> None:
    import multiprocessing
    import time

    taken: list[object] = []
    relay = Relay([1, 2, 3, 4], lambda chunk: time.sleep(60), taken.append, size=2,
                  name="relay")
    relay.poll()  # the first child is still sleeping: nothing to take
    relay.stop()
    relay.finish()
    assert taken == [] and multiprocessing.active_children() == []
