"""Units in prose: whether the sentence around a ``{{fact_id}}`` already says what the fact's
number counts, so a page shows "for 18 months", never a bare "for 18".

A fact of type ``count`` or ``number`` with a ``unit`` is shown with that unit ("18 months"),
unless the sentence holding the reference names it already ("{{x}} migrants", "an
{{x}}-month extension": any word of the unit, singular or plural, any case), or the fact
chooses ``display: number``: the value alone, the writer's sentence saying what it counts in
words of its own, and ``check`` warning where nothing does (:func:`says_what_it_counts`).
Percentages, amounts of money and dates carry their own sign or form and get no unit added.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from generator.load.model import Fact
from generator.resolve import refs

# Words of a unit that say nothing of what is counted.
_STOP = frozenset({"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "per",
                   "the", "to", "with"})
_WORD = re.compile(r"[^\W\d_]+")
# A sentence ends at ".", "!" or "?" (then closing quotes or brackets) followed by space and
# what can start the next one. Initialisms ("U.S.") are masked first: they end no sentence.
_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[A-Z{\[\"“‘(0-9])")
_INITIALISM = re.compile(r"\b(?:[A-Z]\.){2,}")
# What prose shows that is not the writer's words: fact values, citations, page links.
_NOT_WORDS = (refs.FACT_REF, refs.SOURCE_REF, refs.PAGE_LINK)


def prose_unit(fact: Fact) -> str:
    """The unit prose may add after this fact's value: "" for types that carry their own form
    (percent, currency, date), for a fact without a unit, or with ``display: number``."""
    if fact.display == "number":
        return ""
    return table_unit(fact)


def table_unit(fact: Fact) -> str:
    """The unit a table or index shows after the value, whatever ``display`` says: a cell has
    no sentence around it to say what the number counts."""
    if fact.type not in ("count", "number") or not fact.unit or not fact.unit.strip():
        return ""
    return " ".join(fact.unit.split())


def with_unit(fact: Fact, shown: str) -> str:
    """``shown`` (the formatted value) followed by the fact's unit, as a table shows it."""
    unit = table_unit(fact)
    return f"{shown} {unit}" if unit and shown else shown


def _forms(word: str) -> set[str]:
    """A word and its likely singular and plural, folded: "months" -> month, months."""
    word = word.casefold()
    out = {word, word + "s"}
    if word.endswith("ies") and len(word) > 4:
        out.add(word[:-3] + "y")
    elif word.endswith(("ses", "xes", "ches", "shes")):
        out.add(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        out.add(word[:-1])
    if word.endswith("y"):
        out.add(word[:-1] + "ies")
    return out


@lru_cache(maxsize=4096)
def unit_words(unit: str) -> frozenset[str]:
    """The folded forms of a unit's words that name what is counted."""
    found: set[str] = set()
    for word in _WORD.findall(unit):
        if word.casefold() not in _STOP and len(word) > 1:
            found |= _forms(word)
    return frozenset(found)


@lru_cache(maxsize=65536)
def _sentences(text: str) -> tuple[tuple[int, ...], str]:
    """Where each sentence of ``text`` starts, and the text with what is not the writer's own
    words (references, citations, page links) blanked, offsets kept."""
    masked = _INITIALISM.sub(lambda m: "X" * len(m.group(0)), text)
    starts = (0, *(m.end() for m in _END.finditer(masked)))
    words_only = text
    for pattern in _NOT_WORDS:
        words_only = pattern.sub(lambda m: " " * len(m.group(0)), words_only)
    return starts, words_only


@lru_cache(maxsize=4096)
def _unit_pattern(unit: str) -> re.Pattern[str] | None:
    """Any form of any word of ``unit`` as a whole word, any case (None: no such word)."""
    words = sorted(unit_words(unit), key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<![^\W\d_])(?:" + "|".join(map(re.escape, words)) + r")(?![^\W\d_])",
                      re.IGNORECASE)


def sentence_names(text: str, offset: int, unit: str) -> bool:
    """True when the sentence of ``text`` holding ``offset`` names ``unit`` in the writer's own
    words (any word of it, singular or plural, any case)."""
    pattern = _unit_pattern(unit)
    if pattern is None:
        return True  # a unit of symbols or digits only: nothing a sentence could repeat
    starts, words_only = _sentences(text)
    i = bisect_right(starts, offset) - 1
    end = starts[i + 1] if i + 1 < len(starts) else len(text)
    return pattern.search(words_only, starts[i], end) is not None


# Words after a value that do not say what it counts ("{{x}} more", "{{x}} of them").
_FUNCTION_WORDS = _STOP | frozenset({
    "about", "after", "again", "already", "also", "are", "as", "be", "been", "before", "but",
    "can", "could", "did", "do", "does", "each", "had", "has", "have", "he", "her", "his",
    "is", "it", "its", "last", "less", "may", "more", "most", "next", "not", "now", "only",
    "over", "she", "since", "so", "than", "that", "their", "them", "these", "they", "this",
    "those", "through", "under", "until", "up", "was", "we", "were", "when", "where", "which",
    "who", "will", "would", "year", "years"})
_NEXT_WORD = re.compile(r"[ \t\u00a0]*(?:-[ \t]*)?([^\W\d_]+)")


def says_what_it_counts(text: str, start: int, end: int, unit: str) -> bool:
    """For a fact shown as a bare number (``display: number``): the sentence names ``unit``,
    or the value is followed straight away by a word of the writer's that says what it counts
    ("{{x}} people", "an {{x}}-month term"); not "for {{x}}." nor "{{x}} more"."""
    return sentence_names(text, start, unit) or word_follows(text, end)


def word_follows(text: str, end: int) -> bool:
    """True when the value ending at ``end`` is followed straight away by a word that can say
    what it counts ("people", "-month"), not by punctuation or a word like "more" or "of"."""
    word = _NEXT_WORD.match(text, end)
    return word is not None and word.group(1).casefold() not in _FUNCTION_WORDS


def unit_after(fact: Fact, text: str, offset: int) -> str:
    """What prose shows after the value of the reference at ``offset``: " months", or "" when
    the sentence says it already (or the fact shows no unit in prose)."""
    unit = prose_unit(fact)
    if not unit or sentence_names(text, offset, unit):
        return ""
    return " " + unit
