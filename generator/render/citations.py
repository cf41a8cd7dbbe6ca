"""Citation markers and the Sources list of one page.

Markers are Markdown footnotes (Material shows them as hover tooltips), numbered in order of
first appearance, one number per source per page. A derived fact gets one note of its own that
says how it was computed and lists the sources of the facts it was computed from; those sources
are numbered on the page too, so every number traces to a Sources entry.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from babel.lists import format_list

from generator.load.model import Fact, Project, Source
from generator.load.urls import link_target
from generator.render.text import md_text
from generator.resolve.facts import formula_display, formula_inputs
from generator.resolve.format import LOCALE, ap_date, capitalise, format_fact, format_number
from generator.resolve.graph import fact_graph
from generator.resolve.units import with_unit


def fact_source_ids(project: Project, fact: Fact) -> list[str]:
    """What a fact rests on: the fact graph's one rule (its own sources, then its inputs')."""
    return list(fact_graph(project).rests_on(fact.id))


def source_citation(source: Source, project: Project) -> str:
    """A source as one consistent Markdown line: only what is known, always in the same order.

    Publisher. “Title.” By authors. Date. Link. Accessed date. Archived copy. Locator.
    As cited in ...
    """
    parts: list[str] = []
    if source.publisher:
        parts.append(md_text(source.publisher) + ".")
    parts.append("“" + md_text(source.title.rstrip(".")) + ".”")
    if source.authors:
        parts.append("By " + md_text(format_list(source.authors, locale=LOCALE)) + ".")
    if source.published:
        parts.append(ap_date(source.published) + ".")
    # URLs pass the shared URL rule and are percent-encoded where a character could end the
    # link early; a URL that fails the rule (check reports it) is not linked at all.
    url, archive = link_target(source.url), link_target(source.archive_url)
    if url:
        host = urlsplit(url).hostname or "link"
        parts.append(f"[{md_text(host)}]({url}).")
    if source.accessed:
        parts.append(f"Accessed {ap_date(source.accessed)}.")
    if archive:
        parts.append(f"[Archived copy]({archive}).")
    unknown = unknown_fields(source)
    if not url and not archive and "url" not in source.unknown:
        parts.append("No link recorded.")
    parts += unknown
    if source.locator:
        parts.append(md_text(source.locator.rstrip(".")) + ".")
    if source.cited_in:
        other = project.sources.get(source.cited_in)
        if other is not None:
            parts.append("As cited in " + _short(other) + ".")
    return " ".join(parts)


# What readers call each field a writer may record as unknown, in citation order.
_UNKNOWN_LABELS = {"publisher": "publisher", "authors": "byline", "published": "date",
                   "url": "link"}


def unknown_fields(source: Source) -> list[str]:
    """Sentences telling readers what is not known about a source and why, one per reason:
    "Publisher and link not known: the article was received as text."."""
    by_reason: dict[str, list[str]] = {}
    for key, label in _UNKNOWN_LABELS.items():
        reason = source.unknown.get(key)
        if reason and not getattr(source, key):
            by_reason.setdefault(reason.strip().rstrip("."), []).append(label)
    out = [md_text(capitalise(format_list(labels, locale=LOCALE)) + " not known: " + reason + ".")
           for reason, labels in by_reason.items()]
    accessed = source.unknown.get("accessed")
    if accessed and not source.accessed:  # a date we did not write down, rather than invent
        out.append(md_text("Access date not recorded: " + accessed.strip().rstrip(".") + "."))
    return out


def _short(source: Source) -> str:
    bits = []
    if source.publisher:
        bits.append(md_text(source.publisher) + ",")
    bits.append("“" + md_text(source.title.rstrip(".")) + "”")
    if source.published:
        bits.append(", " + ap_date(source.published))
    return " ".join(bits).replace(" ,", ",")


@dataclass
class Note:
    number: int
    key: str  # "source:<id>" | "derived:<fact id>"


@dataclass
class PageCitations:
    """Numbers footnotes for one page as references are met, and writes the definitions."""

    project: Project
    notes: dict[str, Note] = field(default_factory=dict)
    facts_used: dict[str, None] = field(default_factory=dict)  # an ordered set
    # Numbers that have a marker in the text. A note without one (a source the explainer only
    # lists, or the source of a derived fact's input) still gets a marker in the Sources section:
    # a footnote never referenced fails the strict build ("footnote that is never referenced").
    referenced: set[int] = field(default_factory=set)
    # Where a prose link to a fact points, from this page (the Facts index is split into pages:
    # generator/render/indexes.py); None: the first page of the index, for a page at the root.
    fact_href: Callable[[str], str] | None = None

    def _marker(self, key: str) -> str:
        number = self._number(key)
        self.referenced.add(number)
        return f"[^{number}]"

    def _number(self, key: str) -> int:
        if key not in self.notes:
            self.notes[key] = Note(len(self.notes) + 1, key)
        return self.notes[key].number

    def cite_source(self, source_id: str) -> str:
        if source_id not in self.project.sources:
            return ""
        return self._marker("source:" + source_id)

    def list_source(self, source_id: str) -> None:
        """Number a source for the Sources list without a marker in the text."""
        if source_id in self.project.sources:
            self._number("source:" + source_id)

    def cite_fact(self, fact: Fact) -> str:
        """Markers for a fact, right here: its sources' notes, or one derived note."""
        return "".join(self.marker(key) for key in self.fact_keys(fact))

    def fact_keys(self, fact: Fact) -> list[str]:
        """The notes a fact's markers point to (its sources', or its derived note), without
        writing the markers: prose places them (generator/render/prose.py)."""
        self._use_fact(fact)
        if fact.is_derived:
            return ["derived:" + fact.id]
        return ["source:" + sid for sid in fact.sources if sid in self.project.sources]

    def marker(self, key: str) -> str:
        """The marker of note ``key`` ("source:<id>" or "derived:<fact id>"), numbered here."""
        marker = self._marker(key)
        kind, ident = key.split(":", 1)
        if kind == "derived":
            for sid in fact_source_ids(self.project, self.project.facts[ident]):
                self._number("source:" + sid)  # inputs' sources are listed too
        return marker

    def _use_fact(self, fact: Fact) -> None:
        self.facts_used.setdefault(fact.id)

    def source_numbers(self, source_ids: Iterable[str]) -> list[int]:
        return [self.notes["source:" + s].number for s in source_ids
                if "source:" + s in self.notes]

    def all_facts(self) -> list[str]:
        """Facts shown on the page, then the inputs of derived ones (they are evidence too)."""
        out = dict(self.facts_used)
        pending = deque(out)
        while pending:
            fact = self.project.facts.get(pending.popleft())
            for name in formula_inputs(fact) if fact else []:
                if name not in out and name in self.project.facts:
                    out[name] = None
                    pending.append(name)
        return list(out)

    def unreferenced(self) -> list[int]:
        """Note numbers with no marker in the text, in order."""
        return sorted(n.number for n in self.notes.values() if n.number not in self.referenced)

    def labels(self) -> dict[str, str]:
        """Plain-text names of the notes, for the markers' accessible names: "Source 1: AP,
        Oct. 5, 2023" (publisher, else title, and date), "Note 3: how a derived figure was
        computed"."""
        out = {}
        for note in self.notes.values():
            kind, ident = note.key.split(":", 1)
            if kind == "source":
                source = self.project.sources[ident]
                title = source.title.strip().rstrip(".")
                # A title the writer described in brackets ("[News explainer on ...]") is shown
                # as written, without quotation marks.
                name = source.publisher or (title if title.startswith("[") else f"“{title}”")
                if source.published:
                    name += f", {ap_date(source.published)}"
                out[str(note.number)] = f"Source {note.number}: {name}"
            else:
                out[str(note.number)] = f"Note {note.number}: how a derived figure was computed"
        return out

    def definitions(self) -> list[tuple[int, str]]:
        out = []
        for note in sorted(self.notes.values(), key=lambda n: n.number):
            kind, ident = note.key.split(":", 1)
            if kind == "source":
                source = self.project.sources[ident]
                text = source_citation(source, self.project)
                if source.note:  # what the writer says of the source, as the Sources page does
                    text += " Note: " + md_text(source.note.strip())
            else:
                text = self._derived_text(self.project.facts[ident])
            out.append((note.number, text))
        return out

    def _derived_text(self, fact: Fact) -> str:
        values = self.project.values
        value: Any = values.get(fact.id)
        inputs = []
        for name in formula_inputs(fact):
            child = self.project.facts.get(name)
            if child is not None:
                shown = with_unit(child, format_fact(child, values.get(name)))
                inputs.append(f"{md_text(shown)} "
                              f"({md_text(child.statement.rstrip('.'))})")
        refs = ", ".join(f"[{n}](#fn:{n})"
                         for n in self.source_numbers(fact_source_ids(self.project, fact)))
        exact = format_number(_unrounded(fact), value) if isinstance(value, (int, float)) else ""
        text = (f"Derived by the editors, not stated by a source: computed from "
                f"{'; '.join(inputs)} as `{formula_display(fact)}`")
        if exact:
            text += f" = {md_text(exact)}, shown rounded"
        text += "."
        if refs:
            text += f" Sources of the inputs: {refs}."
        return text


def _unrounded(fact: Fact) -> Fact:
    """A stand-in that formats the exact computed value (no derived rounding)."""
    return Fact(id=fact.id, statement=fact.statement, type=fact.type, loc=fact.loc,
                currency=fact.currency, precision=15)
