"""The published layout of the facts download: a small index and parts that stay small.

One ``data/facts.json`` holding every fact grew with the archive (10 MB at 1,000 explainers,
each fact carrying full copies of its sources' records). Now:

- ``data/facts.json`` is an index: the counts, and one entry per part (its path, the first and
  last fact id in it, how many facts);
- ``data/facts/<part>.json`` and ``data/facts/<part>.csv`` hold the facts whose ids share a
  prefix (generator/render/buckets.py, with the finer weights of generator/render/indexes.py
  ``part_plan``: a part is named by that prefix, ``all`` while one part holds them all), so
  one changed fact changes one small part, and a part moves only when it splits;
- ``data/sources/<part>.json`` holds the sources the same way, by the Sources index's pages;
- ``data/facts.csv`` lists the CSV parts, one row each, for a spreadsheet.

A part names no build time and no edition, so it is the same file in every edition until one
of its facts changes; a published edition leaves an unchanged part to the edition that has it
and its indexes name it there, ``../../<edition>/data/facts/<part>.json`` (:func:`repoint`,
called by generator/publish/record.py).

A fact record names its sources by id (``source_ids``); their records are in the sources parts
once, not copied into every fact. :func:`join` puts a published edition back together as the
one payload the fact diff compares (generator/render/factdiff.py), from this layout or from
the single file older editions published.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Any

from generator.render import data
from generator.render.buckets import Plan
from generator.render.reuse import Reuse

LAYOUT_VERSION = 2
ROOT_PART = "all"  # the name of the one part while the index is not split
INDEX_PATH = "data/facts.json"
CSV_INDEX_PATH = "data/facts.csv"
CSV_INDEX_COLUMNS = ("part", "first_id", "last_id", "facts", "csv", "json")


def part_name(key: str) -> str:
    """The file name (without suffix) of the part listing the ids under ``key``. Ids start with
    a letter, so a prefix is never empty but at the index's first page, named ``all`` (which
    then is the only page with items: a split first page lists only its parts)."""
    return key or ROOT_PART


def slim_fact(record: dict[str, Any]) -> dict[str, Any]:
    """A fact as published: its sources named by ``source_ids``, their records not copied."""
    return {k: v for k, v in record.items() if k != "sources"}


def _parts(tree: Plan) -> list[tuple[str, list[str]]]:
    return [(part_name(key), node.items) for key, node in tree.nodes.items() if node.items]


def published_files(payload: dict[str, Any], facts: Plan, sources: Plan,
                    reuse: Reuse | None = None) -> list[tuple[str, str]]:
    """(site path, text) of the index, every part and the CSV index, in a stable order."""
    head = {"format": LAYOUT_VERSION, "generated": payload["generated"],
            "edition": payload["edition"]}
    fact_records = {f["id"]: f for f in payload["facts"]}
    source_records = {s["id"]: s for s in payload["sources"]}
    files: list[tuple[str, str]] = []
    fact_parts, source_parts, csv_rows = [], [], []
    for name, ids in _parts(facts):
        records = [fact_records[i] for i in ids]
        json_path, csv_path = f"facts/{name}.json", f"facts/{name}.csv"
        files.append((f"data/{json_path}", data.compact_json(
            {"format": LAYOUT_VERSION, "part": name,
             "facts": [slim_fact(r) for r in records]})))
        files.append((f"data/{csv_path}", data.facts_csv({"facts": records}, reuse)))
        fact_parts.append({"json": json_path, "csv": csv_path, "first": ids[0],
                           "last": ids[-1], "count": len(ids)})
        csv_rows.append((name, ids[0], ids[-1], len(ids), csv_path, json_path))
    for name, ids in _parts(sources):
        path = f"sources/{name}.json"
        files.append((f"data/{path}", data.compact_json(
            {"format": LAYOUT_VERSION, "part": name,
             "sources": [source_records[i] for i in ids]})))
        source_parts.append({"json": path, "first": ids[0], "last": ids[-1],
                             "count": len(ids)})
    index = {**head, "fact_count": len(fact_records), "source_count": len(source_records),
             "fact_parts": fact_parts, "source_parts": source_parts}
    files.append((INDEX_PATH, data.compact_json(index)))
    files.append((CSV_INDEX_PATH, _csv_index(csv_rows)))
    return sorted(files)


def _csv_index(rows: list[tuple[Any, ...]] | list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_INDEX_COLUMNS)
    writer.writerows(rows)  # part names, ids and edition names: nothing for a formula
    return buffer.getvalue()


def repoint(path: str, raw: bytes, where: Callable[[str], str | None]) -> bytes:
    """The index at ``path`` (``data/facts.json`` or ``data/facts.csv``) with each part path
    (relative to data/) that ``where`` maps to another address renamed; unchanged if it is
    neither or unreadable."""
    try:
        text = raw.decode("utf-8")
        if path == INDEX_PATH:
            index = json.loads(text)
            for key, fields in (("fact_parts", ("json", "csv")), ("source_parts", ("json",))):
                for part in index.get(key) or []:
                    for name in fields:
                        if isinstance(part.get(name), str):
                            part[name] = where(part[name]) or part[name]
            return data.compact_json(index).encode("utf-8")
        if path == CSV_INDEX_PATH:
            rows = list(csv.reader(io.StringIO(text)))[1:]
            return _csv_index([row[:4] + [where(row[4]) or row[4], where(row[5]) or row[5]]
                               for row in rows if len(row) == len(CSV_INDEX_COLUMNS)]
                              ).encode("utf-8")
    except (UnicodeDecodeError, ValueError, AttributeError):
        return raw
    return raw


def join(index: Any, read: Callable[[str], Any]) -> dict[str, Any] | None:
    """A published edition's facts as one payload (the shape :func:`data.payload_and_plan`
    makes: each fact with its sources' records), or None when it cannot be read whole.

    ``index`` is the parsed ``data/facts.json``; ``read(path)`` returns a parsed file of the
    same edition's ``data/`` folder (None if missing). The single file of older editions is
    already the payload."""
    if not isinstance(index, dict):
        return None
    if isinstance(index.get("facts"), list):
        return index  # format 1: one file
    fact_parts, source_parts = index.get("fact_parts"), index.get("source_parts")
    if not isinstance(fact_parts, list) or not isinstance(source_parts, list):
        return None
    facts = _read_parts(fact_parts, "facts", read)
    sources = _read_parts(source_parts, "sources", read)
    if facts is None or sources is None:
        return None
    by_id = {s.get("id"): s for s in sources if isinstance(s, dict)}
    joined = [{**f, "sources": [by_id[s] for s in f.get("source_ids") or [] if s in by_id]}
              for f in facts if isinstance(f, dict)]
    return {"format": index.get("format"), "generated": index.get("generated"),
            "edition": index.get("edition"), "facts": joined, "sources": sources}


def _read_parts(parts: list[Any], key: str, read: Callable[[str], Any]) -> list[Any] | None:
    records: list[Any] = []
    for part in parts:
        path = part.get("json") if isinstance(part, dict) else None
        body = read(path) if isinstance(path, str) and _safe(path) else None
        if not isinstance(body, dict) or not isinstance(body.get(key), list):
            return None  # a part missing: the edition cannot be compared whole
        records += body[key]
    return records


PART_PATH = re.compile(r"^(\.\./\.\./[A-Za-z0-9][A-Za-z0-9._+-]{0,63}/data/)?"
                       r"(facts|sources)/[a-z0-9_]+\.json$")


def _safe(path: str) -> bool:
    """A part's path as this generator writes it: inside data/, or inside the data/ folder of
    the edition that published it (``../../<edition>/data/...``), no other way out."""
    return PART_PATH.match(path) is not None
