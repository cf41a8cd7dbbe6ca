"""Update and correction notes at the top of an article: "Updated Dec. 8, 2026: An earlier
version said 334,000 migrants; it now says 320,000 migrants. Panama revised its count."

Two kinds of note, both dated and both kept in the explainer's published data
(``data/explainers/<slug>.json``, key ``updates``):

- **edition notes**, made by the site: when the facts an explainer cites changed since the
  previous edition, one note for the edition says each old value, the new one (as the page
  formats them, units included) and the fact's ``correction:`` text. Its id is
  ``update-<version>``, so ``<version>/<slug>/#update-<version>`` is its permanent address, and
  it links to the explainer as the previous edition published it (``../../<previous>/<slug>/``).
  It is dated with the edition's build date (``generated`` in the facts payload:
  ``SOURCE_DATE_EPOCH``, which ``explainer deploy`` sets to the commit's time, as a UTC date).
  Notes accumulate: each edition copies the earlier editions' notes from the previous edition's
  data file, so a writer cannot drop one by editing content.
- **writer notes**, the explainer's ``updates:`` list (date and text), always taken from the
  content as it is now. They add wording; they never replace an edition note.

Pure data in, escaped HTML out: every text comes from YAML (this edition's or an older one's),
and is escaped with markupsafe. The block is one line of raw HTML, so both Markdown converters
(Python-Markdown and cmark-gfm, generator/adapters/fastmd.py) pass it through unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from generator.load.model import Explainer, Project
from generator.render.changes import correction_note
from generator.render.factdiff import FactChange, FactDiff, FieldChange, diff_facts, value_text
from generator.render.output import VERSION_RE, Edition
from generator.resolve.format import ap_date

ASIDE_ID = "updates"
ASIDE_LABEL = "Updates and corrections"
EDITION_KIND, WRITER_KIND = "edition", "writer"
_PREVIEW = "preview"  # the id part of a note made by an unpublished build


@dataclass(frozen=True)
class Note:
    id: str  # the element id: update-<version> (edition), update-on-<date>[-n] (writer)
    date: dt.date
    kind: str  # EDITION_KIND | WRITER_KIND
    text: tuple[str, ...]  # plain-text sentences
    edition: str | None = None  # the edition that made an edition note (None: a preview)
    earlier: str | None = None  # the edition whose article it links to

    def record(self) -> dict[str, Any]:
        """The note as the explainer's data file carries it (explainer-data.schema.json)."""
        return {"id": self.id, "date": self.date.isoformat(), "kind": self.kind,
                "text": list(self.text), "edition": self.edition, "earlier": self.earlier}


def from_record(data: Any) -> Note | None:
    """An edition note read back from an earlier edition's data file; None for anything else
    (a writer note, whose text the content now holds, or a record not of this shape)."""
    if not isinstance(data, dict) or data.get("kind") != EDITION_KIND:
        return None
    edition, earlier = data.get("edition"), data.get("earlier")
    text = data.get("text")
    try:
        day = dt.date.fromisoformat(str(data.get("date")))
    except ValueError:
        return None
    if not (isinstance(edition, str) and VERSION_RE.match(edition)
            and isinstance(earlier, str) and VERSION_RE.match(earlier)
            and isinstance(text, list) and text and all(isinstance(t, str) for t in text)):
        return None
    return Note(id=f"update-{edition}", date=day, kind=EDITION_KIND, text=tuple(text),
                edition=edition, earlier=earlier)


# -- what changed, in words --------------------------------------------------------------------

def _clause(change: FieldChange, fact: FactChange) -> str | None:
    """What an earlier version did differently, after "an earlier version" (None: the value
    sentence says it)."""
    if change.kind == "sources":
        return (f"cited {_titles(change.old_sources)}; this version cites "
                f"{_titles(change.new_sources)}")
    old, new = change.old or "(none)", change.new or "(none)"
    if change.label == "As of":  # as the page shows the period ("Jan. 1 to Oct. 5, 2023")
        old = str(fact.old.get("as_of_display") or old)
        new = str(fact.new.get("as_of_display") or new)
        return f"gave it as of {old}; this version, as of {new}"
    if change.label == "Statement":
        return f"described it as \u201c{old}\u201d; this version, as \u201c{new}\u201d"
    if change.label == "Formula":
        return f"computed it as {old}; this version, as {new}"
    return None  # Value and Unit: the value sentence shows both, units included


def _titles(sources: tuple[dict[str, Any], ...]) -> str:
    names = [str(s.get("title") or s.get("id") or "a source") for s in sources]
    return "; ".join(names) if names else "no source"


def shown(fact: dict[str, Any]) -> str:
    """A fact's value as the page shows it, with its unit: a bare number ("334,000") gets the
    fact's unit ("334,000 migrants"), since a note has no table column to name it."""
    text = value_text(fact)
    unit = str(fact.get("unit") or "")
    number = text
    qualifier = str(fact.get("qualifier") or "")
    if qualifier and number.lower().startswith(qualifier.lower()):
        number = number[len(qualifier):]  # "about 130": the qualifier's words are not a unit
    if unit and fact.get("display") not in (None, "") and not _WORDY.search(number):
        text = f"{text} {unit}"
    return text


_WORDY = re.compile(r"[^\W\d_]|%")  # a letter or a per cent sign: the display names its unit


def change_sentences(change: FactChange, correction: str | None) -> list[str]:
    """What a reader is told about one changed fact: the old and the new value as the page
    shows them, any other change, then the writer's ``correction:`` text."""
    old_value, new_value = shown(change.old), shown(change.new)
    out = []
    if any(f.label in ("Value", "Unit") for f in change.fields):
        if old_value == new_value:  # same display, different number underneath
            old_value, new_value = str(change.old.get("value")), str(change.new.get("value"))
        out.append(f"An earlier version said {old_value}; it now says {new_value}.")
    for field in change.fields:
        clause = _clause(field, change)
        if clause:
            subject = "An earlier version" if out else f"For {new_value}, an earlier version"
            out.append(f"{subject} {clause}.")
    if correction:
        out.append(correction.strip())
    return out


def removed_sentence(fact: dict[str, Any]) -> str:
    return (f"An earlier version cited {shown(fact)} "
            f"({str(fact.get('statement') or fact.get('id')).strip().rstrip('.')}); "
            "this version no longer does.")


def added_sentence(fact: dict[str, Any]) -> str:
    return (f"This version adds {shown(fact)} "
            f"({str(fact.get('statement') or fact.get('id')).strip().rstrip('.')}).")


def edition_sentences(project: Project, diff: FactDiff) -> dict[str, list[str]]:
    """Per explainer slug, the sentences of this edition's note: changed facts first, then
    added and removed ones, each in the facts payload's order."""
    out: dict[str, list[str]] = {}

    def add(slugs: list[str], sentences: list[str]) -> None:
        for slug in dict.fromkeys(slugs):
            if slug in project.explainers:
                out.setdefault(slug, []).extend(sentences)

    for change in diff.changed:
        add(change.used_in, change_sentences(change, correction_note(project, change.id,
                                                                     change)))
    for fact in diff.added:
        add([str(s) for s in fact.get("used_in") or []], [added_sentence(fact)])
    for fact in diff.removed:
        add([str(s) for s in fact.get("used_in") or []], [removed_sentence(fact)])
    return out


# -- notes per explainer -----------------------------------------------------------------------

def edition_date(payload: dict[str, Any]) -> dt.date:
    """The day this edition was built (UTC), from the facts payload's ``generated`` stamp."""
    stamp = str(payload.get("generated") or "")
    try:
        return dt.date.fromisoformat(stamp[:10])
    except ValueError:
        return dt.datetime.now(dt.UTC).date()


def writer_notes(ex: Explainer) -> list[Note]:
    notes, seen = [], dict[str, int]()
    for update in ex.updates:
        base = f"update-on-{update.date.isoformat()}"
        seen[base] = seen.get(base, 0) + 1
        note_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        notes.append(Note(id=note_id, date=update.date, kind=WRITER_KIND,
                          text=(" ".join(update.text.split()),)))
    return notes


def carried_notes(raw: bytes | None) -> list[Note]:
    """The edition notes an earlier edition's data file (its bytes) carries."""
    if raw is None:
        return []
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return []
    records = data.get("updates") if isinstance(data, dict) else None
    notes = [from_record(r) for r in records] if isinstance(records, list) else []
    return [n for n in notes if n is not None]


class _Carried:
    """Earlier editions' notes by slug, remembered per previous edition: the live preview
    rebuilds often, and an edition's published files never change under one commit."""

    def __init__(self) -> None:
        self.key: tuple[str | None, str | None] = (None, None)
        self.notes: dict[str, list[Note]] = {}

    def get(self, edition: Edition, slug: str) -> list[Note]:
        if edition.read_previous is None or edition.previous_version is None:
            return []
        key = (edition.previous_ref, edition.previous_version)
        if key != self.key or edition.previous_ref is None:
            self.key, self.notes = key, {}
        if slug not in self.notes:
            self.notes[slug] = carried_notes(
                edition.read_previous(f"data/explainers/{slug}.json"))
        return self.notes[slug]


_CARRIED = _Carried()


def article_notes(project: Project, edition: Edition,
                  payload: dict[str, Any]) -> dict[str, list[Note]]:
    """Every explainer's notes, newest first: this edition's note (when its facts changed since
    the previous edition), the notes earlier editions carried, and the writer's."""
    version = edition.version if edition.version and VERSION_RE.match(edition.version) else None
    previous = edition.previous_version
    if previous is not None and not VERSION_RE.match(previous):
        previous = None
    made: dict[str, list[str]] = {}
    if previous is not None and edition.previous_facts is not None:
        made = edition_sentences(project, diff_facts(edition.previous_facts, payload))
    today = edition_date(payload)
    own_id = f"update-{version or _PREVIEW}"
    out: dict[str, list[Note]] = {}
    for slug, ex in project.explainers.items():
        # Oldest first (a data file lists its notes newest first), so that on one day the
        # later note sorts ahead below.
        carried = _CARRIED.get(edition, slug) if previous else []
        notes = [n for n in reversed(carried) if n.id != own_id]
        if slug in made:
            notes.append(Note(id=own_id, date=today, kind=EDITION_KIND,
                              text=tuple(made[slug]), edition=version, earlier=previous))
        notes += writer_notes(ex)
        if notes:
            # Newest first; on one day edition notes lead (the later first), then the writer's
            # (the last written first).
            order = {n.id: i for i, n in enumerate(notes)}
            out[slug] = sorted(notes, key=lambda n: (n.date, n.kind == EDITION_KIND,
                                                     order[n.id]), reverse=True)
    return out


# -- the block on the page ---------------------------------------------------------------------

def _time(day: dt.date) -> Markup:
    return Markup(f'<time datetime="{day.isoformat()}">{escape(ap_date(day))}</time>')


def note_html(note: Note, slug: str) -> Markup:
    label = "Updated"
    # Escaped, and no "///" left: the footnotes extension moves the notes to a literal
    # "///Footnotes Go Here///" wherever it appears on the page.
    text = Markup(str(Markup(" ").join(escape(t) for t in note.text)).replace("///", "//&#47;"))
    link = Markup("")
    if note.kind == EDITION_KIND and note.edition and note.earlier:
        # An edition is a folder at the gh-pages root; this page is <edition>/<slug>/. A
        # preview is served without edition folders, so it links nowhere.
        link = Markup(f' <a class="explainer-update-earlier" '
                      f'href="../../{escape(note.earlier)}/{escape(slug)}/">'
                      f"Read this explainer as edition {escape(note.earlier)} published it</a>")
    return Markup(f'<p class="explainer-update explainer-update-{escape(note.kind)}" '
                  f'id="{escape(note.id)}"><strong>{label} {_time(note.date)}:</strong> '
                  f"{text}{link}</p>")


def notes_html(notes: list[Note], slug: str) -> str:
    """The notes block for the top of an article (empty without notes): one line of HTML."""
    if not notes:
        return ""
    body = Markup("").join(note_html(n, slug) for n in notes)
    return str(Markup(f'<aside class="explainer-updates" id="{ASIDE_ID}" '
                      f'aria-label="{ASIDE_LABEL}">{body}</aside>'))
