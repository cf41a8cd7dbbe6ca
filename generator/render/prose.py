"""Writer prose to page Markdown: references become formatted values and citation markers."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from generator.load.model import Project
from generator.render.citations import PageCitations
from generator.render.text import INLINE_FORMS, collapse, guard_block_start, md_text, sanitise_prose
from generator.resolve import refs
from generator.resolve.format import capitalise, format_fact
from generator.resolve.units import unit_after

_CLOSERS = "\"'”’)"


def starts_sentence(text: str, pos: int) -> bool:
    """True when ``text[pos:]`` begins a sentence: nothing before it, or the end of one (".",
    "!" or "?", then closing quotes or brackets, then whitespace). Looks back from ``pos`` only,
    so a piece of prose with thousands of references is still read once (slicing the text up to
    each reference made it quadratic)."""
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i == 0:
        return True
    if i == pos:
        return False  # no whitespace before the reference: mid-word or after punctuation
    while i > 0 and text[i - 1] in _CLOSERS:
        i -= 1
    return i > 0 and text[i - 1] in ".!?"
_LINK_MD = re.compile(r"\[([^\[\]\n]+)\]\((https?://[^\s()<>\"']+)\)")
# Where a sentence ends: ".", "!" or "?", closing quotes or brackets, then the end of the text,
# or whitespace before what can start a sentence (a capital, a digit, a quote, a reference):
# "the U.S. in August" goes on.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?=$|\s+[A-Z0-9\"'“‘(\[{])")
# Where a clause ends inside a sentence: ",", ";" or ":" before whitespace ("242,700" goes on).
_CLAUSE_END = re.compile(r"[,;:][\"'”’)]*(?=\s)")


@dataclass(order=True)
class _Marker:
    """A citation marker to place: at ``pos`` in the writer's text, ``order`` among those met."""

    pos: int
    order: int
    key: str = field(compare=False)


def _boundaries(text: str, protected: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Ends of sentences, and ends of clauses or sentences, as positions in ``text``, outside
    references, links, code and emphasis (a marker put there would break them)."""
    starts = [a for a, _ in protected]

    def free(pos: int) -> bool:
        i = bisect_right(starts, pos - 1) - 1  # the last span starting before pos
        return i < 0 or protected[i][1] <= pos

    sentences = [m.end() for m in _SENTENCE_END.finditer(text) if free(m.end())]
    clauses = sorted({*sentences, *(m.end() for m in _CLAUSE_END.finditer(text)
                                   if free(m.end()))})
    return sentences, clauses


def render_prose(text: str, cites: PageCitations) -> str:
    """Safe Markdown for one piece of prose (one line; no block syntax).

    Citation markers: a ``[@source]`` marker stays where the writer put it, hugging the text
    before it; a fact's markers go to the end of the clause that shows it. Each sentence then
    keeps one marker per note, the last (three facts from one source in a sentence give one
    marker, not three)."""
    text = collapse(text)
    found: list[refs.Ref | refs.Link] = [*refs.references(text), *refs.page_links(text)]
    kept: list[refs.Ref | refs.Link] = []
    pos = 0
    for ref in sorted(found, key=lambda r: r.start):
        if ref.start >= pos:  # not inside a malformed link's text (check reports it)
            kept.append(ref)
            pos = ref.end
    protected = sorted([(r.start, r.end) for r in kept]
                       + [(m.start(), m.end()) for m in INLINE_FORMS.finditer(text)])
    # Spans may nest (a link's label holding a reference): keep the outer ones.
    spans: list[tuple[int, int]] = []
    for a, b in protected:
        if spans and a < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
        else:
            spans.append((a, b))
    sentences, clauses = _boundaries(text, spans)
    markers: list[_Marker] = []
    replaced: list[tuple[int, int, str]] = []  # (start, end, Markdown) in text order
    prev_end = 0
    for ref in kept:
        start = ref.start
        if isinstance(ref, refs.Link):
            shown = page_link(ref, cites.project, cites.fact_href)
        elif ref.kind == "source":
            while start > prev_end and text[start - 1].isspace():
                start -= 1  # the marker hugs the sentence it cites
            shown = ""
            if ref.id in cites.project.sources:
                markers.append(_Marker(start, len(markers), "source:" + ref.id))
        else:
            shown, keys = _render_ref(ref, text, cites)
            at = clauses[bisect_left(clauses, ref.end)] if clauses and clauses[-1] >= ref.end \
                else len(text)
            markers += [_Marker(at, len(markers) + i, key) for i, key in enumerate(keys)]
        replaced.append((start, ref.end, shown))
        prev_end = ref.end
    # One marker per note per sentence: the last one.
    last: dict[tuple[int, str], _Marker] = {}
    for marker in markers:
        last[(bisect_left(sentences, marker.pos), marker.key)] = marker
    placed = sorted(last.values())
    out: list[str] = []
    cursor, m = 0, 0

    def literal(upto: int) -> None:
        nonlocal cursor, m
        while m < len(placed) and placed[m].pos <= upto:
            at = placed[m].pos
            out.append(sanitise_prose(text[cursor:at]))
            cursor = at
            group = []
            while m < len(placed) and placed[m].pos == at:
                group.append(placed[m])
                m += 1
            # Markers side by side read in number order ("¹ ⁴", not "⁴ ¹"); new notes last.
            if len(group) > 1:
                new = len(cites.notes) + 1
                group.sort(key=lambda g: (n.number if (n := cites.notes.get(g.key)) else new,
                                          g.order))
            out.extend(cites.marker(g.key) for g in group)
        out.append(sanitise_prose(text[cursor:upto]))
        cursor = upto

    for start, end, shown in replaced:
        literal(start)
        out.append(shown)
        cursor = end
    literal(len(text))
    return guard_block_start("".join(out))


def _render_ref(ref: refs.Ref, text: str, cites: PageCitations) -> tuple[str, list[str]]:
    """A fact or literal reference as Markdown, and the notes its markers point to."""
    project = cites.project
    if ref.kind == "literal":
        return md_text(ref.id), []  # text exactly as typed: no emphasis, no links
    fact = project.facts.get(ref.id)
    if fact is None:  # only reachable in a preview of content with errors
        return md_text(f"[unknown fact {ref.id}]"), []
    shown = format_fact(fact, project.values.get(fact.id, fact.value))
    if starts_sentence(text, ref.start):
        shown = capitalise(shown)
    # Set apart so a scanning reader's eye lands on the numbers (explainer-news.css); the unit
    # follows unless the sentence names it (generator/resolve/units.py), and the markers go to
    # the end of the clause (render_prose).
    unit = unit_after(fact, text, ref.start)
    return (f'<span class="explainer-num">{md_text(shown)}</span>'
            + (" " + md_text(unit.strip()) if unit else "")), cites.fact_keys(fact)


def page_link(link: refs.Link, project: Project,
              fact_href: Callable[[str], str] | None = None) -> str:
    """A link to another explainer or a fact's permalink, as Markdown. The target is one of our
    own generated pages, written as its source file (``slug.md``, ``facts/<prefix>/index.md#id``
    from ``fact_href``, the page of the split Facts index that lists it) so MkDocs
    makes the relative URL: the link then works in a plain build and in every edition. The
    text is plain text, escaped like every other writer text."""
    label, target = link_label(link, project), None
    if link.kind == "explainer" and link.id in project.explainers:
        target = f"{link.id}.md"
    elif link.kind == "fact" and link.id in project.facts:
        target = fact_href(link.id) if fact_href else f"facts/index.md#{link.id}"
    if target is None:  # only reachable in a preview of content with errors
        return md_text(f"[unknown {link.kind} {link.id}]")
    return f"[{md_text(label)}]({target})"


def link_label(link: refs.Link, project: Project) -> str:
    """The writer's link text, else the explainer's headline or the fact's statement."""
    if link.label:
        return link.label
    if link.kind == "explainer" and link.id in project.explainers:
        return project.explainers[link.id].headline
    if link.kind == "fact" and link.id in project.facts:
        return project.facts[link.id].statement.rstrip(".")
    return link.id


def plain_prose(text: str, project: Project) -> str:
    """Prose as plain text (for meta descriptions): values shown, citations and markup dropped."""
    text = collapse(text)

    def fact(match: re.Match[str]) -> str:
        f = project.facts.get(match.group(1))
        if f is None:
            return ""
        shown = format_fact(f, project.values.get(f.id, f.value))
        shown = capitalise(shown) if starts_sentence(text, match.start()) else shown
        return shown + unit_after(f, text, match.start())

    text = refs.FACT_REF.sub(fact, text)
    text = refs.LITERAL_REF.sub(r"\1", text)
    text = re.sub(r"\s*" + refs.SOURCE_REF.pattern, "", text)
    text = _LINK_MD.sub(r"\1", text)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    # Last: a headline shown as link text is plain text, never read as markup here.
    text = refs.PAGE_LINK.sub(lambda m: _plain_link(m, project), text)
    return collapse(text)


def _plain_link(match: re.Match[str], project: Project) -> str:
    link = next(iter(refs.page_links(match.group(0))), None)
    return link_label(link, project) if link else match.group(0)
