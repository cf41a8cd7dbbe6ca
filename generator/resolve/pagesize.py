"""An explainer page's size, estimated from its content before anything is rendered.

A page repeats what other records say: ``[[fact:id]]`` and ``[[slug]]`` links show the fact's
statement or the explainer's headline (up to MAX_FIELD_CHARS each) once per link, a chart its
whole table each time it is placed, a flashback the date fact's statement; and each fact shown
adds its row to the page's facts table, each source its footnote. A few bytes of YAML can
therefore cost kilobytes of page: check walks the page in reading order, adding what each
step puts on the page, and reports the step that takes the page past MAX_PAGE_BYTES (and the
text a lede's links copy in past MAX_LEDE_BYTES) at its own line (generator/check/rules.py).

Every figure here is an upper estimate of the Markdown the renderer writes (escaping included),
computed in one pass over each text: no page is rendered to measure it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.load.model import Explainer, Fact, Project, Source
from generator.resolve import refs
from generator.resolve.chartdata import ChartData, resolved_charts
from generator.resolve.graph import FactGraph, fact_graph

# Characters that the escaping of writer text turns into an entity of up to 6 bytes ("|" is
# "&#124;"), and those it escapes with a backslash (2 bytes).
_ENTITY = "&<>\"'|~^=:"
_BACKSLASHED = "\\`*_{}[]()#+-.!"
# What the renderer adds around a value or a link: a fact reference's number span and citation
# marker, a link's target, a facts-table row or footnote around its texts.
FACT_REF_BYTES = 120
LINK_BYTES = 100
ROW_BYTES = 400
# A chart block: its frame (figure, caption, source line, download links), then its table: a
# row per category, a column per series, a cell per value; labels, names and values are written
# twice (the table and the alternative text).
CHART_BYTES = 4096
CHART_ROW_BYTES = 32
CHART_SERIES_BYTES = 100
CHART_VALUE_BYTES = 40


_WIDTH = str.maketrans({c: "." * 6 for c in _ENTITY} | {c: ".." for c in _BACKSLASHED})


def markdown_bytes(text: str) -> int:
    """At most how many bytes ``text`` takes in a page's Markdown once escaped (one pass: each
    character stands in for its escaped width)."""
    size = len(text.translate(_WIDTH).encode("utf-8", "surrogatepass"))
    # "///" becomes "//&#47;" (the footnotes extension's placeholder must never appear).
    return size + 4 * text.count("///") if "///" in text else size


@dataclass(frozen=True)
class Step:
    """One thing the page shows: where it is written (a key path in the explainer and, for a
    reference or link, its offset in that text) and what it is."""

    path: tuple[str | int, ...]
    offset: int | None  # in the text at ``path``; None: the key itself
    kind: str  # "text" | "reference" | "link" | "chart" | "flashback" | "go_deeper"
    bytes: int


@dataclass(frozen=True)
class Crossing:
    step: Step
    total: int  # the page's estimated bytes up to and including the step


def crossing(project: Project, ex: Explainer, limit: int, *,
             lede_only: bool = False) -> Crossing | None:
    """The first step of ``ex``'s page that takes it past ``limit`` bytes, or None. With
    ``lede_only``, the first link of the lede that takes the text its links copy in (the
    statements and headlines they show) past ``limit``."""
    total = 0
    steps = _page(project, ex, lede_only=lede_only)
    for step in steps:
        total += step.bytes
        if total > limit:
            return Crossing(step, total)
    return None


def page_bytes(project: Project, ex: Explainer) -> int:
    """The estimate for the whole page (benchmarks and tests compare it with the real page)."""
    return sum(step.bytes for step in _page(project, ex, lede_only=False))


class _Seen:
    """Facts and sources already on the page: each adds its table row or footnote once."""

    def __init__(self, project: Project, graph: FactGraph) -> None:
        self.project, self.graph = project, graph
        self.facts: set[str] = set()
        self.sources: set[str] = set()

    def fact(self, fact_id: str) -> int:
        fact = self.project.facts.get(fact_id)
        if fact is None or fact_id in self.facts:
            return 0
        self.facts.add(fact_id)
        size = _fact_bytes(fact)
        for input_id in self.graph.inputs.get(fact_id, ()):  # a derived fact's footnote
            used = self.project.facts.get(input_id)
            size += (markdown_bytes(used.statement) + LINK_BYTES) if used else 0
        return size + sum(self.source(sid) for sid in self.graph.rests_on(fact_id))

    def source(self, source_id: str) -> int:
        source = self.project.sources.get(source_id)
        if source is None or source_id in self.sources:
            return 0
        self.sources.add(source_id)
        return _source_bytes(source)


def _fact_bytes(fact: Fact) -> int:
    texts = (fact.statement, fact.unit, fact.qualifier, fact.as_of, fact.note, fact.correction)
    return ROW_BYTES + sum(markdown_bytes(t) for t in texts if t)


def _source_bytes(source: Source) -> int:
    texts = (source.title, source.publisher, source.url, source.archive_url, source.locator,
             source.quote, source.license, source.note, *source.authors,
             *source.unknown.values())
    return ROW_BYTES + sum(markdown_bytes(t) for t in texts if t)


def _page(project: Project, ex: Explainer, *, lede_only: bool) -> Iterator[Step]:
    seen = None if lede_only else _Seen(project, fact_graph(project))
    if lede_only:  # the text the lede's links copy into it (the lede itself: MAX_TEXT_CHARS)
        for step in _prose(project, ex.lede, ("lede",), None):
            if step.kind == "link":
                yield step
        return
    assert seen is not None
    yield Step(("headline",), None, "text", markdown_bytes(ex.headline) +
               markdown_bytes(ex.tease) + sum(seen.source(s) for s in ex.sources))
    yield from _prose(project, ex.lede, ("lede",), seen)
    charts = resolved_charts(project)
    for i, section in enumerate(ex.sections):
        yield Step(("sections", i, "label"), None, "text", markdown_bytes(section.label))
        if section.text:
            yield from _prose(project, section.text, ("sections", i, "text"), seen)
        for j, bullet in enumerate(section.bullets):
            yield from _prose(project, bullet, ("sections", i, "bullets", j), seen)
        for chart_id, key in section.charts:
            yield Step(("sections", i, *key), None, "chart",
                       _chart_bytes(project, charts.get(chart_id, (None, []))[0]))
        for fact_id, key in section.flashback:
            fact = project.facts.get(fact_id)
            size = markdown_bytes(fact.statement) + FACT_REF_BYTES if fact else 0
            yield Step(("sections", i, *key), None, "flashback", size + seen.fact(fact_id))
    if ex.note:
        yield from _prose(project, ex.note, ("note",), seen)
    for entry in ex.go_deeper:
        target = project.explainers.get(entry.explainer or "")
        texts = [entry.title, entry.publisher, entry.note, entry.url,
                 *((target.headline, target.tease) if target else ())]
        yield Step(entry.key, None, "go_deeper",
                   LINK_BYTES + sum(markdown_bytes(t) for t in texts if t))


def _chart_bytes(project: Project, data: ChartData | None) -> int:
    if data is None:
        return CHART_BYTES
    size = CHART_BYTES + markdown_bytes(data.chart.title)
    size += sum(CHART_ROW_BYTES + 2 * markdown_bytes(str(c)) for c in data.categories)
    for series in data.series:
        size += CHART_SERIES_BYTES + 2 * markdown_bytes(series.name)
        size += sum(CHART_VALUE_BYTES + 2 * len(shown) for shown in series.displays)
    for key in ("alt", "note", "subtitle"):
        text = data.chart.spec.get(key)
        size += markdown_bytes(text) if isinstance(text, str) else 0
    return size


def _prose(project: Project, text: str, path: tuple[str | int, ...],
           seen: _Seen | None) -> Iterator[Step]:
    """A piece of prose in reading order: the text between references, then what each
    reference or link shows (and, the first time a fact or source is shown, its row or
    footnote)."""
    found: list[refs.Ref | refs.Link] = sorted(
        [*refs.references(text), *refs.page_links(text)], key=lambda r: r.start)
    pos = 0
    for ref in found:
        if ref.start < pos:
            continue  # inside a malformed link's text: the renderer skips it too
        literal = markdown_bytes(text[pos:ref.start])
        if isinstance(ref, refs.Link) and seen is None:  # the lede: what the link copies in
            yield Step(path, ref.start, "link", _label_bytes(project, ref))
        elif isinstance(ref, refs.Link):
            yield Step(path, ref.start, "link", literal + LINK_BYTES + _label_bytes(project, ref))
        elif ref.kind == "fact":
            rows = seen.fact(ref.id) if seen else 0
            yield Step(path, ref.start, "reference", literal + FACT_REF_BYTES + rows)
        elif ref.kind == "source":
            rows = seen.source(ref.id) if seen else 0
            yield Step(path, ref.start, "reference", literal + LINK_BYTES // 10 + rows)
        else:
            yield Step(path, ref.start, "text", literal + markdown_bytes(ref.id))
        pos = ref.end
    yield Step(path, pos if found else None, "text", markdown_bytes(text[pos:]))


def _label_bytes(project: Project, link: refs.Link) -> int:
    if link.label:
        return markdown_bytes(link.label)
    if link.kind == "explainer" and link.id in project.explainers:
        return markdown_bytes(project.explainers[link.id].headline)
    if link.kind == "fact" and link.id in project.facts:
        return markdown_bytes(project.facts[link.id].statement)
    return markdown_bytes(link.id)
