"""The inline syntax writers use in prose.

``{{fact_id}}``
    shows the fact's value, formatted for readers, with a citation marker.
``[@source_id]``
    cites a source for the surrounding sentence (Pandoc's citation syntax).

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
    kind: str  # "fact" | "source"
    id: str
    start: int
    end: int


def references(text: str) -> tuple[Ref, ...]:
    """Fact references first, then source citations, each in order of position."""
    return _references(text)


@lru_cache(maxsize=65536)  # check, usage and rendering each read every piece of prose
def _references(text: str) -> tuple[Ref, ...]:
    found = [Ref("fact", m.group(1), m.start(), m.end()) for m in FACT_REF.finditer(text)]
    found += [Ref("source", m.group(1), m.start(), m.end()) for m in SOURCE_REF.finditer(text)]
    return tuple(found)


def malformed(text: str) -> list[str]:
    """Reference-like fragments that are not valid references, each distinct one once (a text
    of 100,000 stray "{{" is one problem, not 100,000 lines of output)."""
    spans = sorted((r.start, r.end) for r in references(text))
    starts = [s for s, _ in spans]
    out = []
    for match in MALFORMED.finditer(text):
        # The valid reference that could contain this match is the last one starting at or
        # before it (references never overlap): a binary search, not a scan of all of them.
        i = bisect_right(starts, match.start()) - 1
        if i < 0 or spans[i][1] < match.end():
            out.append(match.group(0))
    return list(dict.fromkeys(out))


def typed_numbers(text: str) -> list[str]:
    """Numbers typed straight into prose, outside any reference or link target (each distinct
    number once)."""
    stripped = FACT_REF.sub(" ", SOURCE_REF.sub(" ", text))
    stripped = _LINK_TARGET.sub("]", stripped)  # Markdown link targets are not prose
    return list(dict.fromkeys(m.group(0).rstrip(".,") for m in TYPED_NUMBER.finditer(stripped)))


_LINK_LIKE = re.compile(r"\[[^\[\]\n]*\]\(([^)\n]*)\)?")
# An image, unless the writer escaped its "!" (then it is a "!" followed by a link).
_IMAGE_LIKE = re.compile(r"(?<!\\)!\[[^\[\]\n]*\]\(([^)\n]*)\)?")


def prose_links(text: str) -> list[tuple[str, str]]:
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
                                "written [text](https://...) with nothing else in the brackets"))
    return bad


def prose_images(text: str) -> list[str]:
    """Image sources in prose: never loaded, the image syntax is shown as text."""
    return [match.group(1) for match in _IMAGE_LIKE.finditer(text)]
