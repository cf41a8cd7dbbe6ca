"""Writer prose to page Markdown: references become formatted values and citation markers."""

from __future__ import annotations

import re
from collections.abc import Callable

from generator.load.model import Project
from generator.render.citations import PageCitations
from generator.render.text import collapse, guard_block_start, md_text, sanitise_prose
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


def render_prose(text: str, cites: PageCitations) -> str:
    """Safe Markdown for one piece of prose (one line; no block syntax)."""
    text = collapse(text)
    found: list[refs.Ref | refs.Link] = [*refs.references(text), *refs.page_links(text)]
    out: list[str] = []
    pos = 0
    for ref in sorted(found, key=lambda r: r.start):
        if ref.start < pos:
            continue  # inside a malformed link's text (check reports it): never nested
        literal = text[pos:ref.start]
        if ref.kind == "source":
            literal = literal.rstrip()  # the marker hugs the sentence it cites
        out.append(sanitise_prose(literal))
        out.append(page_link(ref, cites.project, cites.fact_href) if isinstance(ref, refs.Link)
                   else _render_ref(ref, text, cites))
        pos = ref.end
    out.append(sanitise_prose(text[pos:]))
    return guard_block_start("".join(out))


def _render_ref(ref: refs.Ref, text: str, cites: PageCitations) -> str:
    project = cites.project
    if ref.kind == "source":
        return cites.cite_source(ref.id) if ref.id in project.sources else ""
    if ref.kind == "literal":
        return md_text(ref.id)  # text exactly as typed: no emphasis, no links
    fact = project.facts.get(ref.id)
    if fact is None:  # only reachable in a preview of content with errors
        return md_text(f"[unknown fact {ref.id}]")
    shown = format_fact(fact, project.values.get(fact.id, fact.value))
    if starts_sentence(text, ref.start):
        shown = capitalise(shown)
    # Set apart so a scanning reader's eye lands on the numbers (explainer-news.css); the unit
    # follows unless the sentence names it (generator/resolve/units.py).
    unit = unit_after(fact, text, ref.start)
    return (f'<span class="explainer-num">{md_text(shown)}</span>'
            + (" " + md_text(unit.strip()) if unit else "") + cites.cite_fact(fact))


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
