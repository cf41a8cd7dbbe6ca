"""Incremental checking for the live preview: after an edit, the per-record rules run again
only over the files the edit touched; every other file keeps last check's diagnostics.

Most rules (``RECORD_RULES``) judge one record at a time against a little shared *context*:
the ids that exist, the explainers' publication dates (``follows``), the hand-written pages in
``docs/`` (slug collisions) and today's date. Each of their diagnostics points into the file of
the record it judges, so their output splits by file. While the context is unchanged, a file
whose parsed document is the very one of the last check (the parse cache hands back the same
object for unchanged bytes) and whose facts kept their evaluated values gets the same
diagnostics as last time, so only the other files are checked again: one after a fact edit,
whatever the size of the archive.

Anything else starts over: a changed context (a new, removed or renamed id, a new or removed
file, a publication date, a page in ``docs/``, a new day), or no earlier check. The rules that
need the whole project at once (``WHOLE_RULES``: what is unused, chart data and placement) run
whole every time; they read the fact graph, which generation needs anyway.
tests/test_check_incremental.py compares the diagnostics with a full check after every kind of
edit, an edit that introduces an error and the one that fixes it included.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from generator.errors import Diagnostic, Diagnostics
from generator.load.model import Project


class _Only(dict[str, Any]):
    """The records of the files to check again, for the rules to iterate; a lookup by id (an
    explainer's ``follows``) still finds every record."""

    def __init__(self, every: dict[str, Any], keys: Iterable[str]) -> None:
        super().__init__((key, every[key]) for key in keys)
        self._every = every

    def get(self, key: Any, default: Any = None) -> Any:
        return self._every.get(key, default)

    def __getitem__(self, key: Any) -> Any:
        return self._every[key]

    def __contains__(self, key: object) -> bool:
        return key in self._every


def context_key(project: Project, today: dt.date) -> tuple[Any, ...]:
    """What a record rule may read besides its own record (see the module's docstring)."""
    docs = project.root / "docs"
    try:
        hand_written = tuple(sorted(os.listdir(docs))) if docs.is_dir() else ()
    except OSError:
        hand_written = ()
    return (today, project.incomplete,
            tuple(frozenset(ids) for _, ids in sorted(project.known_ids.items())),
            frozenset(doc.display for doc in project.documents),
            frozenset((ex.slug, ex.published) for ex in project.explainers.values()),
            # how each fact shows its unit in prose (the bare-number warning reads it)
            frozenset((f.id, f.type, f.unit, f.display) for f in project.facts.values()
                      if f.display or (not f.unit and f.type in ("count", "number"))),
            hand_written)


def _value_key(value: Any) -> tuple[type, Any]:
    return type(value), value  # 1 and 1.0 and True are different values to show


@dataclass
class CheckState:
    """What the last check left for the next one (the plugin keeps one across serve rebuilds)."""

    key: tuple[Any, ...] | None = None
    # The last project checked: the files and values the next check compares with, and its
    # fact graph serves the next project when an edit changed nothing the graph reads
    # (generator/resolve/graph.py: carry_graph).
    project: Project | None = None
    by_file: dict[str, list[Diagnostic]] = field(default_factory=dict)  # record rules' output
    # Counters of the last check, for tests and benchmarks: files the record rules judged,
    # and whether every file was judged.
    rechecked: int = 0
    whole: bool = True

    def reset(self) -> None:
        self.project = None
        self.key = None
        self.by_file.clear()


def run_record_rules(project: Project, diagnostics: Diagnostics, today: dt.date,
                     rules: Iterable[Any], state: CheckState | None) -> None:
    """The record rules: over every file, or (with ``state`` from an earlier check of the same
    context) over the files that changed, the others' diagnostics taken from ``state``."""
    rules = tuple(rules)
    if state is None:
        for rule in rules:
            rule(project, diagnostics, today)
        return
    key = context_key(project, today)
    current = {doc.display: doc for doc in project.documents}
    previous = state.project
    if key != state.key or previous is None:
        dirty = set(current)
    else:
        before = {doc.display: doc for doc in previous.documents}
        dirty = {display for display, doc in current.items() if before.get(display) is not doc}
        for fid, value in project.values.items():
            fact = project.facts.get(fid)
            if fact is not None and (fid not in previous.values or _value_key(
                    previous.values[fid]) != _value_key(value)):
                dirty.add(fact.loc.doc.display)  # a derived value moved with its inputs
    state.whole = dirty == set(current)
    state.rechecked = len(dirty)
    if state.whole:
        view = project
    else:
        def only(records: dict[str, Any]) -> _Only:
            return _Only(records, [k for k, r in records.items() if r.loc.doc.display in dirty])

        view = replace(project, facts=only(project.facts), sources=only(project.sources),
                       explainers=only(project.explainers),
                       documents=[doc for doc in project.documents if doc.display in dirty])
    found = Diagnostics()
    for rule in rules:
        rule(view, found, today)
    fresh: dict[str, list[Diagnostic]] = {display: [] for display in dirty}
    for diagnostic in found.sorted():
        fresh.setdefault(diagnostic.path, []).append(diagnostic)
    if state.whole:
        state.by_file = fresh
    else:
        state.by_file = {display: state.by_file.get(display, []) for display in current}
        state.by_file.update(fresh)
    for items in state.by_file.values():
        diagnostics.add_all(items)
    state.key, state.project = key, project
