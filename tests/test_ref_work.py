"""Reference scanning is linear, shown with counts, not clocks (issue 14: 10,000 references in
one lede once took 396 s to build).

Check and page generation run over one lede of 10,000 references and over ten ledes of 1,000,
while every line executed in the modules that scan prose is counted, and so is every character
handed to a regular expression there. Linear work makes the two shapes cost the same; the
quadratic code this replaces (a regex over ``text[:ref.start]`` per reference, an ``any()`` over
all references per near-miss) cost ten times more for the single lede.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import pytest

from generator.check import rules
from generator.check.run import check_project
from generator.render import citations, pages, prose, text
from generator.resolve import refs
from tests.checkkit import make_project

SCANNING: tuple[ModuleType, ...] = (refs, prose, citations, rules, text)
FILES = tuple(m.__file__ or "" for m in SCANNING)
FACTS = 50  # distinct facts, cited in turn


@dataclass
class Work:
    lines: int = 0  # Python lines executed in the scanning modules
    chars: int = 0  # characters handed to regular expressions by them


class _Pattern:
    """A compiled pattern that counts the characters it is asked to scan."""

    def __init__(self, pattern: re.Pattern[str], work: Work) -> None:
        self._pattern, self._work = pattern, work

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._pattern, name)
        if name in ("search", "match", "fullmatch", "finditer", "findall", "split"):
            def scan(string: str, *args: Any, **kwargs: Any) -> Any:
                self._work.chars += len(string)
                return attr(string, *args, **kwargs)
            return scan
        if name in ("sub", "subn"):
            def substitute(repl: Any, string: str, *args: Any, **kwargs: Any) -> Any:
                self._work.chars += len(string)
                return attr(repl, string, *args, **kwargs)
            return substitute
        return attr


class _Re:
    """The ``re`` module as the scanning modules see it: module-level calls are counted too."""

    def __init__(self, work: Work) -> None:
        self._work = work

    def __getattr__(self, name: str) -> Any:
        attr = getattr(re, name)
        if name in ("search", "match", "fullmatch", "finditer", "findall", "split"):
            def scan(pattern: Any, string: str, *args: Any, **kwargs: Any) -> Any:
                self._work.chars += len(string)
                return attr(pattern, string, *args, **kwargs)
            return scan
        if name in ("sub", "subn"):
            def substitute(pattern: Any, repl: Any, string: str, *args: Any,
                           **kwargs: Any) -> Any:
                self._work.chars += len(string)
                return attr(pattern, repl, string, *args, **kwargs)
            return substitute
        return attr


@contextmanager
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[Work]:
    work = Work()
    for module in SCANNING:
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                monkeypatch.setattr(module, name, _Pattern(value, work))
            elif value is re:
                monkeypatch.setattr(module, name, _Re(work))
    refs._references.cache_clear()

    def local(frame: FrameType, event: str, arg: Any) -> Callable[..., Any]:
        if event == "line":
            work.lines += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        return local if frame.f_code.co_filename in FILES else None

    sys.settrace(calls)
    try:
        yield work
    finally:
        sys.settrace(None)
        monkeypatch.undo()


def _project(root: Path, ledes: int, refs_each: int) -> Path:
    facts = ["facts:"]
    for i in range(FACTS):
        facts += [f"  - id: f{i}", f"    statement: Count number {i}.", "    type: count",
                  f"    value: {1000 + i}", '    as_of: "2022"', "    sources: [city_report]"]
    files: dict[str, str | None] = {"content/facts/main.yaml": "\n".join(facts) + "\n",
                                    "content/explainers/housing.yaml": None}
    for n in range(ledes):
        # Sentences of ten references each (nine facts and a source citation) with a sentence
        # end, so capitalisation (looking back for a sentence end) and markers both run.
        sentences = []
        for s in range(0, refs_each, 10):
            parts = [f"{{{{f{(n * refs_each + s + i) % FACTS}}}}}" for i in range(9)]
            sentences.append(", ".join(parts) + " homes. [@city_report]")
        files[f"content/explainers/e{n}.yaml"] = (
            f"slug: e{n}\nheadline: Explainer {n}\ntease: Many numbers\n"
            f"lede: '{' '.join(sentences)}'\npublished: 2023-03-01\nauthors: [A. Writer]\n"
            "sections:\n  - label: Why it matters\n    text: Numbers. [@city_report]\n")
    return make_project(root, files)


def _work(root: Path, monkeypatch: pytest.MonkeyPatch) -> Work:
    with counted(monkeypatch) as work:
        project, diagnostics = check_project(root, today=dt.date(2026, 1, 1))
        assert not diagnostics.errors, [d.format() for d in diagnostics.errors[:3]]
        env = pages.environment(root)
        for ex in project.explainers.values():
            page = pages.render_explainer(project, ex, env, chart_blocks={})
            assert isinstance(page.content, str) and page.content.count("[^1]") > 1
    return work


def test_ten_thousand_references_cost_what_ten_texts_of_a_thousand_cost(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = _work(_project(tmp_path / "one", 1, 10_000), monkeypatch)
    ten = _work(_project(tmp_path / "ten", 10, 1_000), monkeypatch)
    small = _work(_project(tmp_path / "small", 1, 1_000), monkeypatch)
    assert one.lines > 100_000 and one.chars > 1_000_000  # the counters did count
    # Linear: the single lede costs about what ten ledes of a tenth of its size cost, and ten
    # times what one of them costs (quadratic scanning would make both ratios about 10x more).
    assert one.lines <= 1.2 * ten.lines, (one, ten)
    assert one.chars <= 1.2 * ten.chars, (one, ten)
    assert one.lines <= 11 * small.lines, (one, small)
    assert one.chars <= 11 * small.chars, (one, small)
