"""The content model: plain, typed records built from validated YAML.

Each record keeps a :class:`Loc` so any later stage can point a writer at the exact line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.load.textpos import text_position
from generator.load.yamlio import JsonPath, YamlDocument

FACT_TYPES = ("count", "number", "percent", "currency", "date")
# How `explainer new` marks a text still to write; `check` warns about every one left.
PLACEHOLDER = "TODO:"


# Top-level names the generator owns; an explainer slug may not take one (check reports it).
RESERVED_SLUGS = frozenset({
    "index", "facts", "sources", "tags", "changes", "data", "guide", "charts", "assets",
    "schemas", "search", "404", "stylesheets", "javascripts", "archive",
})


@dataclass(frozen=True)
class Loc:
    """Where a record lives: its document and its path inside it."""

    doc: YamlDocument
    path: JsonPath

    @property
    def file(self) -> str:
        return self.doc.display

    def at(self, *keys: str | int) -> tuple[str, int, int]:
        line, col = self.doc.pos(self.path + keys)
        return self.doc.display, line, col

    def at_text(self, keys: tuple[str | int, ...], offset: int) -> tuple[str, int, int]:
        """Where character ``offset`` of the string at ``keys`` was typed: inside a multi-line
        ``>-`` or ``|`` block, the token's own line and column, not its key's."""
        line, col = text_position(self.doc, self.path + keys, offset)
        return self.doc.display, line, col

    def describe(self) -> str:
        display, line, _ = self.at()
        return f"{display}:{line}"


@dataclass
class Source:
    id: str
    title: str
    loc: Loc
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    archive_url: str | None = None
    published: dt.date | None = None
    accessed: dt.date | None = None
    locator: str | None = None
    quote: str | None = None
    license: str | None = None
    cited_in: str | None = None
    note: str | None = None
    # Fields unknown on purpose, with the reason (``unknown:`` in YAML).
    unknown: dict[str, str] = field(default_factory=dict)


@dataclass
class Derived:
    formula: str
    stated: float | None = None
    tolerance: float = 0.005


@dataclass
class Fact:
    id: str
    statement: str
    type: str
    loc: Loc
    value: float | int | dt.date | None = None
    unit: str | None = None
    currency: str | None = None
    qualifier: str | None = None
    as_of: str | None = None
    sources: list[str] = field(default_factory=list)
    derived: Derived | None = None
    precision: int | None = None
    review_by: dt.date | None = None
    note: str | None = None
    correction: str | None = None
    # How prose shows the value: None (with its unit, unless the sentence names it) or
    # "number" (the value alone; the sentence says what it counts). generator/resolve/units.py
    display: str | None = None

    @property
    def is_derived(self) -> bool:
        return self.derived is not None


@dataclass
class Section:
    label: str
    loc: Loc
    text: str | None = None
    bullets: list[str] = field(default_factory=list)
    # Charts placed after the bullets, from `chart: id` or `charts: [ids]`, with the key path of
    # each reference (for error positions).
    charts: list[tuple[str, tuple[str | int, ...]]] = field(default_factory=list)
    # Date facts listed as a dated "Flashback" list, with each id's key path.
    flashback: list[tuple[str, tuple[str | int, ...]]] = field(default_factory=list)

    @property
    def chart_ids(self) -> list[str]:
        return [chart_id for chart_id, _ in self.charts]


@dataclass
class GoDeeper:
    """One entry of an explainer's "Go deeper" list: another explainer, or an outside page."""

    key: tuple[str | int, ...]  # its path inside the explainer (for error positions)
    explainer: str | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class WriterUpdate:
    """One of the writer's own update notes (``updates:``), shown at the top of the article."""

    key: tuple[str | int, ...]  # its path inside the explainer (for error positions)
    date: dt.date
    text: str


@dataclass
class Explainer:
    slug: str
    headline: str
    tease: str
    lede: str
    published: dt.date
    loc: Loc
    sections: list[Section]
    updated: dt.date | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    note: str | None = None
    unknown: dict[str, str] = field(default_factory=dict)
    # Further reading, in the writer's order; and the earlier explainer this one follows up.
    go_deeper: list[GoDeeper] = field(default_factory=list)
    follows: str | None = None
    updates: list[WriterUpdate] = field(default_factory=list)
    # Later explainers that follow this one up, declared from this side (`followed_by:`): the
    # same relation as their `follows:` (generator/resolve/graph.py: follows_map).
    followed_by: list[str] = field(default_factory=list)
    key_fact: str | None = None  # the fact the front page and the card show (resolve/keyfact.py)

    def prose(self) -> list[tuple[str, tuple[str | int, ...]]]:
        """Every piece of writer prose with its key path (relative to the explainer)."""
        out: list[tuple[str, tuple[str | int, ...]]] = [(self.lede, ("lede",))]
        for i, section in enumerate(self.sections):
            if section.text:
                out.append((section.text, ("sections", i, "text")))
            for j, bullet in enumerate(section.bullets):
                out.append((bullet, ("sections", i, "bullets", j)))
        return out

    def texts(self) -> list[tuple[str, tuple[str | int, ...]]]:
        """The prose and the note: every text that references reach."""
        return [*self.prose(), *([(self.note, ("note",))] if self.note else [])]


@dataclass
class Chart:
    """A chart spec as validated; the charts stage interprets ``spec``."""

    id: str
    type: str
    title: str
    loc: Loc
    spec: dict[str, Any]


@dataclass
class Project:
    root: Path
    sources: dict[str, Source] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    explainers: dict[str, Explainer] = field(default_factory=dict)
    charts: dict[str, Chart] = field(default_factory=dict)
    # Ids present in files even when their record failed validation: references to them are not
    # reported as unknown, so one mistake does not cascade into many.
    known_ids: dict[str, set[str]] = field(default_factory=lambda: {
        "source": set(), "fact": set(), "chart": set(), "explainer": set()})
    documents: list[YamlDocument] = field(default_factory=list)
    # True when some file or record could not be read: "unused" warnings would then be noise.
    incomplete: bool = False
    # Values of every fact, derived ones evaluated; filled by resolve.facts.
    values: dict[str, Any] = field(default_factory=dict)

    def explainers_newest_first(self) -> list[Explainer]:
        return sorted(self.explainers.values(),
                      key=lambda e: (e.updated or e.published, e.published, e.slug), reverse=True)
