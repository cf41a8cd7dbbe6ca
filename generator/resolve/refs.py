"""The inline syntax writers use in prose.

``{{fact_id}}``
    shows the fact's value, formatted for readers, with a citation marker.
``[@source_id]``
    cites a source for the surrounding sentence (Pandoc's citation syntax).
``{{"Boeing 737"}}``
    literal text with digits that is not a quantity (a name, a model, a route): shown as typed,
    and the typed-number rule leaves it alone.
``[[slug]]``, ``[[slug|text]]``, ``[[fact:fact_id]]``, ``[[fact:fact_id|text]]``
    link another explainer or a fact's permalink (see :func:`page_links`).

Anything else that looks like a reference but is malformed is reported, never shown raw.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from generator.load.urls import link_target, url_problem

FACT_REF = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
SOURCE_REF = re.compile(r"\[@([a-z][a-z0-9_]*)\]")
# Quotes inside braces: text, not a reference. No braces, quotes or line breaks inside, so it
# can never swallow a neighbouring reference.
LITERAL_REF = re.compile(r"\{\{\s*\"([^\"{}\n]{1,200})\"\s*\}\}")
# Near-misses: braces or [@ with something that is not a valid id inside. The insides stop at
# the next opener too ("{" or "["), so unclosed openers are each read once: 100,000 "{{" in a
# row took seconds per text when an inside could run to the end of the text from every one.
MALFORMED = re.compile(r"\{\{[^{}]*\}\}|\{\{|\}\}|\[@[^\[\]]*\]")
# A Markdown link target, up to the next "]" at most (same reason: "](](](..." stays linear).
_LINK_TARGET = re.compile(r"\]\([^)\]]*\)")
# Digits a reader would read as a number: 7, 31,000, 3.5, 60%, $12, 2023.
TYPED_NUMBER = re.compile(r"(?<![\w.])[$€£]?\d[\d,.]*%?")


@dataclass(frozen=True)
class Ref:
    kind: str  # "fact" | "source" | "literal" (then ``id`` is the text)
    id: str
    start: int
    end: int


def references(text: str) -> tuple[Ref, ...]:
    """Fact references first, then source citations, then literals, each in order of
    position."""
    return _references(text)


@lru_cache(maxsize=65536)  # check, usage and rendering each read every piece of prose
def _references(text: str) -> tuple[Ref, ...]:
    found = [Ref("fact", m.group(1), m.start(), m.end()) for m in FACT_REF.finditer(text)]
    found += [Ref("source", m.group(1), m.start(), m.end()) for m in SOURCE_REF.finditer(text)]
    found += [Ref("literal", m.group(1), m.start(), m.end())
              for m in LITERAL_REF.finditer(text)]
    return tuple(found)


def malformed(text: str) -> list[tuple[str, int]]:
    """Reference-like fragments that are not valid references, with the offset of the first of
    each distinct one (a text of 100,000 stray "{{" is one problem, not 100,000 lines of
    output)."""
    spans = sorted((r.start, r.end) for r in references(text))
    starts = [s for s, _ in spans]
    out: dict[str, int] = {}
    for match in MALFORMED.finditer(text):
        # The valid reference that could contain this match is the last one starting at or
        # before it (references never overlap): a binary search, not a scan of all of them.
        i = bisect_right(starts, match.start()) - 1
        if i < 0 or spans[i][1] < match.end():
            out.setdefault(match.group(0), match.start())
    return list(out.items())


def typed_numbers(text: str) -> list[tuple[str, int]]:
    """Numbers typed straight into prose, outside any reference, literal or link target, with
    the offset of the first of each distinct number. Digits that are part of a name are not
    numbers: "COVID-19", "F-35", "A320", and a capitalised word's number in mid-sentence ("a
    Boeing 737", "on Route 66"; not "in October 2023", which is a date)."""
    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group(0))  # same length, so offsets stay those of ``text``

    text = blank_page_links(text)  # [[budget-2024]] names a page, it is no number
    stripped = LITERAL_REF.sub(blank, FACT_REF.sub(blank, SOURCE_REF.sub(blank, text)))
    # Markdown link targets are not prose.
    stripped = _LINK_TARGET.sub(lambda m: "]" + " " * (len(m.group(0)) - 1), stripped)
    out: dict[str, int] = {}
    for match in TYPED_NUMBER.finditer(stripped):
        if not _names_a_thing(stripped, match):
            out.setdefault(match.group(0).rstrip(".,"), match.start())
    return list(out.items())


_MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec"})
_WORD_BEFORE = re.compile(r"([A-Z][\w&'’.-]*)[ \u00a0]$")


def _names_a_thing(text: str, match: re.Match[str]) -> bool:
    """True when the digits at ``match`` are part of a name rather than a quantity."""
    number, start = match.group(0), match.start()
    if number[0] in "$€£" or number.endswith("%"):
        return False  # money and shares are always quantities
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha():
        return True  # COVID-19, F-35, Title-42
    word = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if word is None or word.group(1).rstrip(".").lower() in _MONTHS:
        return False
    return not _sentence_starts_at(text, word.start(1))


def _sentence_starts_at(text: str, pos: int) -> bool:
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    while i > 0 and text[i - 1] in "\"'”’)*_":
        i -= 1
    return i == 0 or text[i - 1] in ".!?"


_LINK_LIKE = re.compile(r"\[[^\[\]\n]*\]\(([^)\n]*)\)?")
# An image, unless the writer escaped its "!" (then it is a "!" followed by a link).
_IMAGE_LIKE = re.compile(r"(?<!\\)!\[[^\[\]\n]*\]\(([^)\n]*)\)?")


def prose_links(text: str) -> list[tuple[str, str, int]]:
    """Links in prose that will not become links, with the reason (check reports them): every
    target the shared URL rule refuses, however it is spaced, cased or entity-encoded."""
    bad = []
    for match in _LINK_LIKE.finditer(text):
        target = match.group(1)
        if _IMAGE_LIKE.match(text, match.start() - 1) if match.start() else False:
            continue  # an image: reported by prose_images
        if link_target(target) is None:
            why = url_problem(target) or "it is not an http(s) URL"
            bad.append((target, f"{why}; prose may only link to http:// or https:// addresses, "
                                "written [text](https://...) with nothing else in the brackets",
                        match.start(1)))
    return bad


def prose_images(text: str) -> list[tuple[str, int]]:
    """Image sources in prose (never loaded, the image syntax is shown as text), each with the
    offset of its "!"."""
    return [(match.group(1), match.start()) for match in _IMAGE_LIKE.finditer(text)]



# -- links between pages ---------------------------------------------------------------------
# ``[[slug]]`` links another explainer (its headline is the link text), ``[[slug|text]]`` with
# the writer's text; ``[[fact:fact_id]]`` and ``[[fact:fact_id|text]]`` link a fact's permalink
# on the Facts page (its statement is the default text). The target is only ever one of our own
# pages, so the relative URL is made by the renderer, never taken from the writer.
EXPLAINER_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FACT_ID = re.compile(r"[a-z][a-z0-9_]*")
# Anything written like a page link (bounded: no brackets or line breaks inside, so "[[[[..."
# stays linear); the target and text are then judged on their own.
PAGE_LINK = re.compile(r"\[\[([^\[\]\n|]{0,200})(?:\|([^\[\]\n]{0,300}))?\]\]")


@dataclass(frozen=True)
class Link:
    kind: str  # "explainer" | "fact"
    id: str
    label: str | None  # the writer's link text, or None for the target's own title
    start: int
    end: int


def page_links(text: str) -> tuple[Link, ...]:
    """Well-formed links to explainers and facts, in order of position."""
    return tuple(link for link, problem in _page_links(text) if link is not None)


def malformed_page_links(text: str) -> list[tuple[str, str, int]]:
    """``[[...]]`` fragments that are not valid links: (fragment, why, offset), each distinct
    fragment once."""
    out: dict[str, tuple[str, int]] = {}
    for link, (fragment, why, offset) in _page_links(text):
        if link is None:
            out.setdefault(fragment, (why, offset))
    return [(fragment, why, offset) for fragment, (why, offset) in out.items()]


@lru_cache(maxsize=65536)
def _page_links(text: str) -> tuple[tuple[Link | None, tuple[str, str, int]], ...]:
    found: list[tuple[Link | None, tuple[str, str, int]]] = []
    for match in PAGE_LINK.finditer(text):
        target = match.group(1).strip()
        label = match.group(2)
        problem = ""
        kind, ident = ("fact", target[5:].strip()) if target.startswith("fact:") \
            else ("explainer", target)
        pattern = FACT_ID if kind == "fact" else EXPLAINER_SLUG
        if not pattern.fullmatch(ident):
            problem = ("a fact id is lowercase letters, digits and underscores" if kind == "fact"
                       else "an explainer slug is lowercase letters, digits and hyphens")
        elif label is not None and not label.strip():
            problem = "the text after '|' is empty: write [[target|link text]] or [[target]]"
        elif label is not None and ("{" in label or "}" in label or "[@" in label):
            problem = "link text is plain text: put fact references and citations outside it"
        fragment = match.group(0)
        if problem:
            found.append((None, (fragment, problem, match.start())))
        else:
            link = Link(kind, ident, label.strip() if label is not None else None,
                        match.start(), match.end())
            found.append((link, (fragment, "", match.start())))
    return tuple(found)


def blank_page_links(text: str) -> str:
    """``text`` with every page link's target blanked (same length, so offsets stay): a slug
    like ``budget-2024`` is an address, not a number typed into prose."""
    def blank(match: re.Match[str]) -> str:
        label = match.group(2)
        kept = "" if label is None else " " + label
        return " " * (len(match.group(0)) - len(kept) - 2) + kept + "  "

    return PAGE_LINK.sub(blank, text)
