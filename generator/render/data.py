"""Data downloads: the facts payload (published in parts by generator/render/datafiles.py) and
``data/explainers/<slug>.json``.

The facts payload is the contract other stages read (the editions stage compares the previous
edition's copy with this one). Its JSON Schema ships as ``facts-data.schema.json`` next to this
module and is published at ``schemas/facts-data.schema.json``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable
from functools import partial
from typing import Any

import orjson

from generator.load.model import Explainer, Fact, Project, Source
from generator.render.buckets import Plan
from generator.render.citations import fact_source_ids, source_citation
from generator.render.indexes import fact_plan
from generator.render.output import Edition
from generator.render.reuse import Reuse, reuse_or_make
from generator.resolve import refs
from generator.resolve.facts import formula_display, formula_inputs
from generator.resolve.format import format_fact, format_period
from generator.resolve.graph import fact_graph

PAYLOAD_VERSION = 1
# An explainer's data file names no build time and no edition: it is the same file in every
# edition until the explainer changes, so an edition that did not change it need not store it
# again (generator/publish/record.py); where it lives says which edition published it.
EXPLAINER_PAYLOAD_VERSION = 2
_UNPLACED = "facts/#"  # a fact record's permalink until its page on the Facts index is known
# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def usage(project: Project) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Which explainers use each fact (directly or through a derived fact) and each source:
    the fact graph's answer (generator/resolve/graph.py)."""
    graph = fact_graph(project)
    return ({f: list(graph.fact_explainers.get(f, ())) for f in project.facts},
            {s: list(graph.source_explainers.get(s, ())) for s in project.sources})


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def source_record(source: Source, project: Project, used_in: list[str]) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "authors": list(source.authors),
        "url": source.url,
        "archive_url": source.archive_url,
        "published": _iso(source.published),
        "accessed": _iso(source.accessed),
        "locator": source.locator,
        "license": source.license,
        "cited_in": source.cited_in,
        "note": source.note,
        "unknown": dict(source.unknown),
        "citation": source_citation(source, project),
        "used_in": used_in,
    }


def fact_value(project: Project, fact: Fact) -> Any:
    value = project.values.get(fact.id, fact.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def fact_record(fact: Fact, project: Project, used_in: list[str],
                sources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    value = project.values.get(fact.id, fact.value)
    return {
        "id": fact.id,
        "statement": fact.statement,
        "type": fact.type,
        "value": fact_value(project, fact),
        "display": format_fact(fact, value) if value is not None else None,
        "unit": fact.unit,
        "currency": fact.currency,
        "qualifier": fact.qualifier,
        "as_of": fact.as_of,
        "as_of_display": format_period(fact.as_of) or None,
        "precision": fact.precision,
        "note": fact.note,
        "correction": fact.correction,
        "derived": {
            "formula": formula_display(fact),
            "inputs": formula_inputs(fact),
            "stated": fact.derived.stated,
        } if fact.derived else None,
        "source_ids": fact_source_ids(project, fact),
        "sources": [sources[s] for s in fact_source_ids(project, fact) if s in sources],
        "used_in": used_in,
        "permalink": _UNPLACED + fact.id,  # set by payload_and_plan once every fact is known
    }


def generated_stamp() -> str:
    """Build time, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit()
            else dt.datetime.now(dt.UTC))
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def facts_payload(project: Project, edition: Edition | None = None) -> dict[str, Any]:
    """Every fact and source with where it is used."""
    return payload_and_plan(project, edition)[0]


def payload_and_plan(project: Project, edition: Edition | None = None, *,
                     reuse: Reuse | None = None) -> tuple[dict[str, Any], Plan]:
    """The facts payload and where the split Facts index lists each fact (one plan for both:
    making it twice was a tenth of a preview rebuild). With ``reuse`` (the live preview), the
    records of facts and sources an edit did not touch are the ones made last time."""
    fact_used, source_used = usage(project)
    sources: dict[str, dict[str, Any]] = {}
    # The records themselves are in the shapes: one loaded from an unchanged file is the same
    # object as last time, and compared by identity first.
    for s in sorted(project.sources.values(), key=lambda s: s.id):
        used = source_used.get(s.id, [])
        sources[s.id] = reuse_or_make(
            reuse, "source record", s.id,
            partial(_shape, s, used, project.sources.get(s.cited_in or "")),
            partial(source_record, s, project, used))
    graph = fact_graph(project)
    facts = []
    for f in sorted(project.facts.values(), key=lambda f: f.id):
        used, rests_on = fact_used.get(f.id, []), graph.rests_on(f.id)
        # The record holds its sources' records: one made again makes the fact's again.
        facts.append(reuse_or_make(
            reuse, "fact record", f.id,
            partial(_shape, f, used, project.values.get(f.id), rests_on,
                    *(sources.get(s) for s in rests_on)),
            partial(fact_record, f, project, used, sources)))
    # Each fact's address on the (split) Facts index: generator/render/indexes.py. A record
    # made now gets it; one taken from last time is copied, not changed, if its address moved.
    pages = fact_plan(facts)
    for n, record in enumerate(facts):
        permalink = f"facts/{pages.href(record['id'])}"
        if record["permalink"] == _UNPLACED + record["id"]:
            record["permalink"] = permalink
        elif record["permalink"] != permalink:
            facts[n] = {**record, "permalink": permalink}
    return {
        "format": PAYLOAD_VERSION,
        "generated": generated_stamp(),
        "edition": edition.version if edition else None,
        "facts": facts,
        "sources": list(sources.values()),
    }, pages


def _shape(*parts: Any) -> tuple[Any, ...]:
    return tuple(tuple(p) if isinstance(p, list) else p for p in parts)


class PayloadIndex:
    """Lookups into a facts payload: records by id, and fact ids by the explainer using them."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.facts = {f["id"]: f for f in payload["facts"]}
        self.sources = {s["id"]: s for s in payload["sources"]}
        self.used_by: dict[str, list[str]] = {}
        for fact in payload["facts"]:
            for slug in fact["used_in"]:
                self.used_by.setdefault(slug, []).append(fact["id"])


def links_payload(project: Project, ex: Explainer) -> dict[str, Any]:
    """The explainer's links to and from other explainers, by slug (the page shows the same)."""
    graph = fact_graph(project)
    others = project.explainers

    def newest_first(slugs: Iterable[str]) -> list[str]:
        return [e.slug for e in sorted((others[s] for s in slugs), reverse=True,
                                       key=lambda e: (e.updated or e.published, e.published,
                                                      e.slug))]

    follow_ups = graph.follow_ups.get(ex.slug, ())
    return {
        "follows": graph.follows.get(ex.slug),  # declared on either side
        "follow_ups": newest_first(follow_ups),
        "cited_by": newest_first(s for s in graph.linked_from.get(ex.slug, ())
                                 if s not in follow_ups),
        "go_deeper": [{"explainer": e.explainer, "url": e.url, "title": e.title,
                       "publisher": e.publisher, "note": e.note} for e in ex.go_deeper],
        "related": list(graph.related.get(ex.slug, ())),
    }


def explainer_payload(ex: Explainer, payload: dict[str, Any], fact_ids: list[str], *,
                      index: PayloadIndex | None = None,
                      links: dict[str, Any] | None = None,
                      updates: list[dict[str, Any]] | None = None) -> dict:
    """One explainer's facts and sources. Pass ``index`` when making many: building it is
    linear in the whole site, and doing that per explainer made a site's build quadratic."""
    index = index or PayloadIndex(payload)
    facts = index.facts
    # Without used_in: on a big site every copy would list hundreds of other explainers.
    chosen = [_without_usage(facts[f]) for f in fact_ids if f in facts]
    source_ids: list[str] = []
    for fact in chosen:
        source_ids += [s for s in fact["source_ids"] if s not in source_ids]
    source_ids += [s for s in ex.sources if s not in source_ids]
    for text, _ in ex.prose():
        source_ids += [r.id for r in refs.references(text)
                       if r.kind == "source" and r.id not in source_ids]
    sources = index.sources
    return {
        "format": EXPLAINER_PAYLOAD_VERSION,
        "slug": ex.slug,
        "headline": ex.headline,
        "url": f"{ex.slug}/",
        "published": ex.published.isoformat(),
        "updated": _iso(ex.updated),
        "authors": list(ex.authors),
        "tags": list(ex.tags),
        "facts": chosen,
        "sources": [_without_usage(sources[s]) for s in source_ids if s in sources],
        **({"links": links} if links is not None else {}),
        # The notes at the top of the article (generator/render/articlenotes.py): the next
        # edition reads them back from here, so they accumulate.
        **({"updates": updates} if updates else {}),
    }


def _without_usage(record: dict[str, Any]) -> dict[str, Any]:
    """A record without ``used_in``; a fact also without copies of its sources' records (the
    file lists each source once, and ``source_ids`` names them)."""
    return {k: v for k, v in record.items() if k not in ("used_in", "sources")}


def to_json(data: Any) -> str:
    # orjson: the stdlib encoder with indent runs in pure Python (seconds at 1,000 explainers).
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"


def compact_json(data: dict[str, Any]) -> str:
    """JSON without indentation, for the downloads (programs read them, and two-space indents
    were a third of their bytes), but each item of a top-level list on a line of its own, so a
    changed record is a changed line in a diff."""
    fields = []
    for key, value in data.items():
        name = orjson.dumps(key).decode("utf-8")
        if isinstance(value, list) and value:
            items = ",\n".join(orjson.dumps(item).decode("utf-8") for item in value)
            fields.append(f"{name}:[\n{items}\n]")
        else:
            fields.append(f"{name}:{orjson.dumps(value).decode('utf-8')}")
    return "{" + ",".join(fields) + "}\n"


def csv_text(text: str) -> str:
    """A text cell that spreadsheets show, never run: a leading ', as spreadsheets themselves
    write, before a formula opener (also after leading spaces, which some of them skip)."""
    return "'" + text if text.lstrip(" ").startswith(_FORMULA_START) else text


def _cell(value: Any) -> Any:
    # Only text is neutralised: numbers (-5 in `value`) stay numbers.
    if isinstance(value, str):
        return csv_text(value)
    return "" if value is None else value


CSV_COLUMNS = ("id", "statement", "type", "value", "display", "unit", "currency", "qualifier",
               "as_of", "derived_formula", "source_ids", "source_titles", "used_in", "note")


def facts_csv(payload: dict[str, Any], reuse: Reuse | None = None) -> str:
    """Every fact as a spreadsheet row. With ``reuse``, the row of a record taken from the last
    generation is the row made then (the record is the same object)."""
    if reuse is None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(_fact_cells(fact) for fact in payload["facts"])
        return buffer.getvalue()
    return _csv_row(CSV_COLUMNS) + "".join(
        reuse.item("csv row", fact["id"], (fact,), partial(_fact_row, fact))
        for fact in payload["facts"])


def _fact_cells(fact: dict[str, Any]) -> list[Any]:
    return [_cell(v) for v in (
        fact["id"], fact["statement"], fact["type"], fact["value"], fact["display"],
        fact["unit"], fact["currency"], fact["qualifier"], fact["as_of"],
        fact["derived"]["formula"] if fact["derived"] else None,
        " ".join(fact["source_ids"]),
        " | ".join(s["title"] for s in fact["sources"]),
        " ".join(fact["used_in"]), fact["note"])]


def _fact_row(fact: dict[str, Any]) -> str:
    return _csv_row(_fact_cells(fact))


def _csv_row(cells: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()
