"""What one generation may take from the one before: the live preview's memory across rebuilds.

``explainer serve`` generates the whole site after every save, and at 1,000 explainers making
every page and data file again costs seconds though a fact edit changes two pages. A
:class:`Reuse` lives as long as the server. ``start`` compares the new project with the last
one (every source, fact, resolved value, chart and explainer, ignoring where in its file a
record sits) and keeps what changed as :class:`Changes`; the fact graph then says which
explainers show a changed record (``Changes.pages``).

Each generated item is made through :meth:`Reuse.item` with

* its *shape*, compared as a value: the ids it lists in order, the payload records it is made
  from (a record of an unchanged file is the very object of last time, so the comparison is
  by identity first), where the split indexes put each fact, an explainer's chart blocks;
* what it *shows* that its shape does not hold: the facts, sources and explainers whose
  content appears in it, and the explainers whose page content it repeats (a card).

The item made last time is taken again when its shape is equal and nothing it shows changed;
otherwise it is made again. A build passes no Reuse and makes everything; a change to the
templates or the edition (``key``) starts over. ``tests/test_preview_incremental.py`` compares
a preview after edits of every kind with a clean build, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, TypeVar

from generator.load.model import Project
from generator.resolve.graph import fact_graph

T = TypeVar("T")


def same(a: Any, b: Any) -> bool:
    """Equal as content: dataclasses field by field, without their position (``loc``)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if is_dataclass(a):
        return all(same(getattr(a, f.name), getattr(b, f.name))
                   for f in fields(a) if f.name != "loc")
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


def _unchanged(a: Any, b: Any) -> bool:
    old, new = getattr(a, "loc", None), getattr(b, "loc", None)
    if old is not None and new is not None and old.doc is new.doc and old.path == new.path:
        return True  # one parsed document, shared by the parse cache: the file did not change
    return same(a, b)


def changed(old: dict[str, Any], new: dict[str, Any]) -> frozenset[str]:
    """Keys added, removed, or whose record differs as content."""
    return frozenset(key for key in old.keys() | new.keys()
                     if key not in old or key not in new or not _unchanged(old[key], new[key]))


@dataclass(frozen=True)
class Changes:
    """Ids whose content differs between two projects (added and removed ones too)."""

    facts: frozenset[str]  # the record or its resolved value
    sources: frozenset[str]
    explainers: frozenset[str]  # the explainer's own file content
    charts: frozenset[str]  # the chart's spec (its data is in the facts it plots)
    # explainers whose page may differ for what they show: changed themselves, showing a changed
    # fact (or a fact computed from one), citing a changed source, or linking a changed
    # explainer or fact in prose (the link shows its headline or statement), in either project
    pages: frozenset[str]

    def touch(self, *, facts: Iterable[str] = (), sources: Iterable[str] = (),
              explainers: Iterable[str] = ()) -> bool:
        """Whether any of these records changed."""
        return not (self.facts.isdisjoint(facts) and self.sources.isdisjoint(sources)
                    and self.explainers.isdisjoint(explainers))


def changes_between(old: Project, new: Project) -> Changes:
    facts = changed(old.facts, new.facts) | changed(old.values, new.values)
    sources = changed(old.sources, new.sources)
    explainers = changed(old.explainers, new.explainers)
    pages = set(explainers)
    for graph in (fact_graph(new), fact_graph(old)):  # a record that stopped being shown too
        for fid in facts:
            pages.update(graph.fact_explainers.get(fid, ()))
            pages.update(graph.fact_links.get(fid, ()))
        for sid in sources:
            pages.update(graph.source_explainers.get(sid, ()))
        for slug in explainers:
            pages.update(graph.linked_from.get(slug, ()))
    charts = changed(old.charts, new.charts)
    if charts:  # a page placing a changed chart shows its facts in the page's Facts list
        for project in (new, old):
            pages.update(ex.slug for ex in project.explainers.values()
                         if any(cid in charts for s in ex.sections for cid in s.chart_ids))
    return Changes(facts=facts, sources=sources, explainers=explainers, charts=charts,
                   pages=frozenset(pages))


class Reuse:
    """Items of the last generation, and what changed since (see the module docstring)."""

    def __init__(self) -> None:
        self.project: Project | None = None
        self.key: Any = None
        self.changes: Changes | None = None  # None: make everything
        self._kept: dict[Hashable, tuple[Any, Any]] = {}  # name -> (shape, item)
        self._seen: set[Hashable] = set()
        self.made: dict[str, int] = {}  # items made this generation, by kind (tests, bench)

    def start(self, project: Project, key: Any) -> None:
        """Before a generation of ``project``; ``key`` is what every item depends on (the
        templates, the edition): when it differs, nothing is taken."""
        if self.project is None or key != self.key:
            self._kept.clear()
            self.changes = None
        else:
            self.changes = changes_between(self.project, project)
        self.key = key
        self._seen = set()
        self.made = {}

    def item(self, kind: str, name: Hashable, shape: Any, make: Callable[[], T], *,
             facts: Iterable[str] = (), sources: Iterable[str] = (),
             explainers: Iterable[str] = (), pages: Iterable[str] = ()) -> T:
        """The item ``name`` of last time if its shape is equal and none of the records it
        shows changed, else ``make()``. ``explainers``: it shows those explainers' own fields
        (a headline); ``pages``: it shows what those explainers' pages show (a card with the
        lede and key number)."""
        full = (kind, name)
        self._seen.add(full)
        kept = self._kept.get(full)
        changes = self.changes
        if (changes is not None and kept is not None and kept[0] == shape
                and (not pages or changes.pages.isdisjoint(pages))
                and not changes.touch(facts=facts, sources=sources, explainers=explainers)):
            return kept[1]
        made = make()
        self._kept[full] = (shape, made)
        self.made[kind] = self.made.get(kind, 0) + 1
        return made

    def finish(self, project: Project) -> None:
        """After a successful generation: its project is the one the next compares with, and
        items it did not ask for (a removed explainer's page) are let go."""
        self.project = project
        for name in set(self._kept) - self._seen:
            del self._kept[name]

    def reset(self) -> None:
        """Content errors or a failed generation: the next one makes everything."""
        self.project = None
        self.changes = None
        self._kept.clear()


def reuse_or_make(reuse: Reuse | None, kind: str, name: Hashable, shape: Callable[[], Any],
                  make: Callable[[], T], **shows: Iterable[str]) -> T:
    """``reuse.item(...)``, or ``make()`` when there is no Reuse (a build): the shape is only
    worked out when something may be taken."""
    if reuse is None:
        return make()
    return reuse.item(kind, name, shape(), make, **shows)
