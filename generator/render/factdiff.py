"""Compare two editions' fact lists (their ``data/facts.json`` payloads), fact by fact.

Pure data in, data out: no escaping and no Markdown here (``changes.py`` renders). Facts are
matched by id. A fact counts as changed when something a reader sees about it changed: the value
as displayed (for a stated fact also the raw value), what it is "as of", its unit, its wording,
its formula, or its sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.resolve.facts import parse_formula


@dataclass(frozen=True)
class FieldChange:
    label: str  # "Value", "Source", ...
    old: str
    new: str
    kind: str = "text"  # "text" | "sources": old/new sources are in old_sources/new_sources
    old_sources: tuple[dict[str, Any], ...] = ()
    new_sources: tuple[dict[str, Any], ...] = ()


@dataclass
class FactChange:
    id: str
    old: dict[str, Any]
    new: dict[str, Any]
    fields: list[FieldChange]

    @property
    def used_in(self) -> list[str]:
        return _merge(slugs(self.old), slugs(self.new))


@dataclass
class FactDiff:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[FactChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def affected(self) -> dict[str, list[str]]:
        """Explainer slug -> ids of the facts on it that were added, removed or changed."""
        out: dict[str, list[str]] = {}
        records = ([(c.id, c.used_in) for c in self.changed]
                   + [(_id(f), slugs(f)) for f in self.added]
                   + [(_id(f), slugs(f)) for f in self.removed])
        for fact_id, used_in in records:
            for slug in used_in:
                out.setdefault(slug, []).append(fact_id)
        return out


def _id(fact: dict[str, Any]) -> str:
    return str(fact.get("id", ""))


def slugs(fact: dict[str, Any]) -> list[str]:
    used = fact.get("used_in") or []
    return [str(s) for s in used] if isinstance(used, list) else []


def _merge(a: list[str], b: list[str]) -> list[str]:
    return list(dict.fromkeys([*a, *b]))


def _facts(payload: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    facts = (payload or {}).get("facts") or []
    return {_id(f): f for f in facts if isinstance(f, dict) and f.get("id")}


def value_text(fact: dict[str, Any]) -> str:
    """The value as readers saw it: the formatted display, else the raw value and unit."""
    display = fact.get("display")
    if display not in (None, ""):
        return str(display)
    parts = [fact.get("qualifier"), fact.get("value"), fact.get("unit")]
    return " ".join(str(p) for p in parts if p not in (None, ""))


def _sources(fact: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    found = fact.get("sources") or []
    out = []
    for s in found if isinstance(found, list) else []:
        out.append(s if isinstance(s, dict) else {"id": str(s)})
    return tuple(out)


def _source_key(source: dict[str, Any]) -> tuple[str, ...]:
    # What identifies a citation to a reader; a changed access date alone is not a correction.
    return tuple(str(source.get(k) or "") for k in ("id", "title", "publisher", "url", "locator"))


def _formula(fact: dict[str, Any]) -> str:
    derived = fact.get("derived")
    text = str(derived.get("formula") or "") if isinstance(derived, dict) else ""
    try:  # editions before formulas were written back from their tree: compare like with like
        return parse_formula(text).display() if text else ""
    except ValueError:
        return text


def compare_fact(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    changes: list[FieldChange] = []
    old_value, new_value = value_text(old), value_text(new)
    raw_differs = not new.get("derived") and old.get("value") != new.get("value")
    if old_value != new_value or raw_differs:
        if old_value == new_value:  # same display, different number underneath
            old_value, new_value = str(old.get("value")), str(new.get("value"))
        changes.append(FieldChange("Value", old_value, new_value))
    for key, label in (("as_of", "As of"), ("unit", "Unit"), ("statement", "Statement")):
        a, b = str(old.get(key) or ""), str(new.get(key) or "")
        if a != b:
            changes.append(FieldChange(label, a, b))
    if _formula(old) != _formula(new):
        changes.append(FieldChange("Formula", _formula(old), _formula(new)))
    old_sources, new_sources = _sources(old), _sources(new)
    if [_source_key(s) for s in old_sources] != [_source_key(s) for s in new_sources]:
        changes.append(FieldChange("Source", "", "", kind="sources",
                                   old_sources=old_sources, new_sources=new_sources))
    return changes


def diff_facts(old_payload: dict[str, Any] | None, new_payload: dict[str, Any]) -> FactDiff:
    """Facts added, removed and changed between two payloads, each in its edition's order."""
    old, new = _facts(old_payload), _facts(new_payload)
    diff = FactDiff()
    for fact_id, fact in new.items():
        if fact_id not in old:
            diff.added.append(fact)
            continue
        fields = compare_fact(old[fact_id], fact)
        if fields:
            diff.changed.append(FactChange(fact_id, old[fact_id], fact, fields))
    diff.removed = [fact for fact_id, fact in old.items() if fact_id not in new]
    return diff
