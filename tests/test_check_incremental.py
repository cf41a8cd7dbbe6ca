"""The live preview's incremental check reports exactly what a full check reports, and judges
again only the files an edit touched, however large the project.

One long-lived parse cache and check state (as the MkDocs plugin keeps across serve rebuilds)
check a synthetic project after each edit; a fresh full check of the same files must give the
same diagnostics, and the counters say how many files the record rules judged again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bench.synth import write_project
from generator.check.incremental import CheckState
from generator.check.run import check_project
from generator.load.project import ParseCache

TODAY = dt.date(2026, 11, 29)


class Session:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache = ParseCache()
        self.state = CheckState()

    def check(self) -> list[str]:
        """Incremental and full check of the project as it is now; their diagnostics, equal."""
        _, incremental = check_project(self.root, today=TODAY, cache=self.cache,
                                       state=self.state)
        _, full = check_project(self.root, today=TODAY)
        assert incremental.sorted() == full.sorted()
        return [d.format() for d in full.sorted()]

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text("utf-8")
        assert old in text, f"{relative} changed shape"
        path.write_text(text.replace(old, new, 1), "utf-8")


def with_code(session: Session, code: str) -> list[str]:
    _, diagnostics = check_project(session.root, today=TODAY)
    return [d.format() for d in diagnostics.sorted() if d.code == code]


def test_incremental_check_equals_full_check(tmp_path: Path) -> None:
    session = Session(write_project(tmp_path / "project", 6))
    baseline = session.check()
    assert session.state.whole and session.state.rechecked == 6 * 3 + 1  # every file

    # Nothing changed: no file is judged again.
    assert session.check() == baseline
    assert session.state.rechecked == 0

    # A fact's value: its file only.
    session.edit("content/facts/f00003.yaml", "value: 1021\n", "value: 1022\n")
    assert session.check() == baseline
    assert (session.state.whole, session.state.rechecked) == (False, 1)

    # An error introduced in one explainer (an unknown fact), then fixed.
    session.edit("content/explainers/topic-00001.yaml", "{{f_1_0}} changes", "{{f_1_9}} changes")
    broken = session.check()
    assert session.state.rechecked == 1
    assert [line.split(": error: ")[0] for line in with_code(session, "unknown-fact")] == [
        "content/explainers/topic-00001.yaml:10:34"]
    assert len(broken) == len(baseline) + 1
    session.edit("content/explainers/topic-00001.yaml", "{{f_1_9}} changes", "{{f_1_0}} changes")
    assert session.check() == baseline
    assert session.state.rechecked == 1

    # A warning introduced (a number typed into prose) and removed.
    session.edit("content/explainers/topic-00002.yaml", "Topic moves because",
                 "Topic moves 40 times because")
    assert len(session.check()) == len(baseline) + 1
    assert len(with_code(session, "uncited-number")) == 1
    session.edit("content/explainers/topic-00002.yaml", "Topic moves 40 times because",
                 "Topic moves because")
    assert session.check() == baseline

    # A percent out of range in its own file, then back.
    session.edit("content/facts/f00004.yaml", "value: 11\n", "value: 111\n")
    assert len(with_code(session, "percent-range")) == 1
    session.check()
    assert session.state.rechecked == 1
    session.edit("content/facts/f00004.yaml", "value: 111\n", "value: 11\n")
    assert session.check() == baseline

    # A new fact (a new id: the context changed) in another file, derived from f_2_0 as a
    # percent: every file is judged again.
    session.edit("content/facts/f00005.yaml", "facts:\n",
                 "facts:\n  - id: f_5_share\n    statement: A share.\n    type: percent\n"
                 "    as_of: \"2023\"\n    derived:\n      formula: f_2_0 / 100\n")
    with_share = session.check()
    assert session.state.whole

    # Its input, edited in f00002.yaml, takes the derived percent out of range: the error is
    # in f00005.yaml, which the edit did not touch; both files are judged again.
    session.edit("content/facts/f00002.yaml", "value: 1014\n", "value: 20000\n")
    out_of_range = session.check()
    assert (session.state.whole, session.state.rechecked) == (False, 2)
    assert [line.split(":")[0] for line in with_code(session, "percent-range")] == [
        "content/facts/f00005.yaml"]
    assert len(out_of_range) == len(with_share) + 1
    session.edit("content/facts/f00002.yaml", "value: 20000\n", "value: 1014\n")
    assert session.check() == with_share
    assert session.state.rechecked == 2

    # A YAML syntax error (the file's records vanish: a new context), then fixed.
    session.edit("content/sources/s00003.yaml", "sources:\n", "sources:\n  - [\n")
    assert any("s00003.yaml" in line and "error" in line for line in session.check())
    session.edit("content/sources/s00003.yaml", "sources:\n  - [\n", "sources:\n")
    assert session.check() == with_share

    # A publication date moves (another explainer's `follows` may now point later): whole.
    session.edit("content/explainers/topic-00000.yaml", "published: 2023-01-01",
                 "published: 2023-01-03")
    session.check()
    assert session.state.whole

    # A hand-written page taking an explainer's slug: whole, and reported.
    (session.root / "docs").mkdir(exist_ok=True)
    (session.root / "docs/topic-00004.md").write_text("# Mine\n", "utf-8")
    session.check()
    assert session.state.whole
    assert len(with_code(session, "slug-collision")) == 1


@pytest.mark.parametrize("count", [4, 40])
def test_one_fact_edit_rechecks_one_file_at_any_size(tmp_path: Path, count: int) -> None:
    session = Session(write_project(tmp_path / "project", count))
    session.check()
    files = count * 3 + (count + 9) // 10  # facts, sources, explainers; a chart every tenth
    assert session.state.rechecked == files
    parsed = session.cache.parsed
    i = count // 2
    value = 1000 + i * 7
    session.edit(f"content/facts/f{i:05d}.yaml", f"value: {value}\n", f"value: {value + 1}\n")
    session.check()
    # The same work at 4 explainers as at 40: one file parsed, one file judged.
    assert (session.cache.parsed - parsed, session.state.rechecked) == (1, 1)
