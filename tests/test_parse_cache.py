"""The live preview's parse cache: after one edit, one file is read again, and results match a
fresh check exactly."""

from __future__ import annotations

import os
from pathlib import Path

from generator.check.run import check_project
from generator.load.project import ParseCache
from tests.checkkit import FACTS, make_project


def _touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_one_edit_reparses_one_file(tmp_path) -> None:
    root = make_project(tmp_path, {})
    cache = ParseCache()
    check_project(root, cache=cache)
    assert cache.parsed == 3
    check_project(root, cache=cache)
    assert cache.parsed == 3  # nothing changed, nothing read

    facts = root / "content/facts/main.yaml"
    facts.write_text(FACTS.replace("value: 1200", "value: 1300"), encoding="utf-8")
    _touch_later(facts)
    project, diagnostics = check_project(root, cache=cache)
    assert cache.parsed == 4
    assert project.values["homes_built"] == 1300
    fresh_project, fresh = check_project(root)
    assert diagnostics.sorted() == fresh.sorted()
    assert project.values == fresh_project.values


def test_cached_errors_are_reported_every_time(tmp_path) -> None:
    root = make_project(tmp_path, {"content/facts/main.yaml": FACTS.replace("type: percent",
                                                                            "type: ratio")})
    cache = ParseCache()
    first = check_project(root, cache=cache)[1].sorted()
    second = check_project(root, cache=cache)[1].sorted()
    assert cache.parsed == 3
    assert first == second
    assert any(d.is_error and "'ratio' is not allowed" in d.message for d in second)


def test_preview_signature_sees_data_files_but_not_hidden_files(tmp_path) -> None:
    from generator.adapters.preview import content_signature as _signature

    root = make_project(tmp_path, {"content/data/rents.csv": "year,rent\n2023,1000\n"})
    before = _signature(root)
    (root / "charts/.svg-cache").mkdir(parents=True)
    (root / "charts/.svg-cache/abc.svg").write_text("<svg/>")
    assert _signature(root) == before  # hidden files (editor swap files, caches) are not input
    csv = root / "content/data/rents.csv"
    csv.write_text("year,rent\n2023,1100\n")
    _touch_later(csv)
    assert _signature(root) != before


def _edit_keeping_size_and_mtime(root: Path) -> None:
    """homes_built 1200 -> 1300 in the facts file: same length, modification time put back."""
    facts = root / "content/facts/main.yaml"
    before = facts.stat()
    facts.write_text(FACTS.replace("value: 1200", "value: 1300"), encoding="utf-8")
    os.utime(facts, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert facts.stat().st_size == before.st_size


def test_an_edit_that_keeps_size_and_modification_time_is_seen(tmp_path) -> None:
    """Two saves within one clock tick, same length: only the bytes tell them apart."""
    root = make_project(tmp_path, {})
    cache = ParseCache()
    check_project(root, cache=cache)
    _edit_keeping_size_and_mtime(root)
    project, _ = check_project(root, cache=cache)
    assert cache.parsed == 4
    assert project.values["homes_built"] == 1300


def test_unchanged_files_are_not_read_again(tmp_path, monkeypatch) -> None:
    import time

    root = make_project(tmp_path, {})
    cache = ParseCache()
    check_project(root, cache=cache)
    assert cache.read == 3
    # Just written: the change times are too close to the hashing to vouch for it.
    check_project(root, cache=cache)
    assert cache.read == 6
    # Hashed well after the last write: the files' lstat now vouches for their bytes.
    real = time.time_ns
    monkeypatch.setattr(time, "time_ns", lambda: real() + 60 * 10**9)
    check_project(root, cache=cache)
    assert cache.read == 9
    check_project(root, cache=cache)
    assert (cache.read, cache.parsed) == (9, 3)

    # An edit that keeps the size and the modification time changes the change time: seen.
    _edit_keeping_size_and_mtime(root)
    project, diagnostics = check_project(root, cache=cache)
    assert (cache.read, cache.parsed) == (10, 4)
    assert project.values["homes_built"] == 1300
    assert diagnostics.sorted() == check_project(root)[1].sorted()

    # A trusted file replaced by a link out of its folder: refused, as on the first read.
    outside = tmp_path / "outside.yaml"
    outside.write_text(FACTS, encoding="utf-8")
    facts = root / "content/facts/main.yaml"
    facts.unlink()
    facts.symlink_to(outside)
    _, diagnostics = check_project(root, cache=cache)
    assert any(d.code == "unsafe-file" and d.path == "content/facts/main.yaml"
               for d in diagnostics.errors)


def test_a_second_process_parses_half_of_a_fresh_load_with_the_same_result(
        tmp_path, monkeypatch) -> None:
    """``ParseCache.warm``: a clean check of 200 files or more parses every other one in a
    forked child; the project and every diagnostic (broken files in both halves) are what one
    process finds, each file is read once, and a later check reads nothing again. Never
    from a process running other threads (the preview's server)."""
    import threading
    import time

    from bench.synth import write_project
    from generator.load import project as loading

    root = write_project(tmp_path / "project", 70)
    facts = root / "content/facts"
    (facts / "zz-1.yaml").write_text("facts:\n  - id: [unclosed\n", encoding="utf-8")
    (facts / "zz-2.yaml").write_text("facts:\n  - id: zz_two\n    colour: red\n", "utf-8")
    (facts / "zz-3.yaml").write_text("facts: []\n", encoding="utf-8")
    (facts / "zz-4.yaml").write_text((facts / "f00000.yaml").read_text("utf-8"), "utf-8")
    real = time.time_ns  # hashed well after the writes: the files' lstat vouches for them
    monkeypatch.setattr(time, "time_ns", lambda: real() + 60 * 10**9)
    monkeypatch.setenv("EXPLAINER_PROCESSES", "1")  # one process
    alone = ParseCache()
    project_alone, found_alone = check_project(root, cache=alone)
    monkeypatch.delenv("EXPLAINER_PROCESSES")
    # Another thread running (this test process may have some from earlier tests): no fork.
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        threaded = ParseCache()
        check_project(root, cache=threaded)
    finally:
        stop.set()
        other.join()
    assert threaded.shared == 0
    # The only thread, as in `explainer check` or `explainer build`.
    monkeypatch.setattr(loading.threading, "active_count", lambda: 1)
    shared = ParseCache()
    project, found = check_project(root, cache=shared)

    files = len(list(root.rglob("*.yaml")))
    assert files >= ParseCache.SHARE_FROM
    assert alone.shared == 0 and shared.shared == files // 2
    assert shared.parsed == alone.parsed == shared.read == files
    assert [d.format() for d in found] == [d.format() for d in found_alone]
    assert len(found.errors) >= 3  # the syntax error, the unknown key, the duplicate ids
    for table in ("sources", "facts", "explainers", "charts", "values"):
        assert getattr(project, table) == getattr(project_alone, table), table
    check_project(root, cache=shared)
    assert shared.read == files and shared.parsed == files  # nothing read again
