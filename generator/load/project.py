"""Find the content files of a project, read and validate them, and build the model.

Problems never stop loading: each is recorded, the offending record is left out, and loading goes
on so one run of ``check`` reports everything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
import threading
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from generator.errors import Diagnostic, Diagnostics, excerpt
from generator.forks import Child, second_core
from generator.load import schema
from generator.load.model import (
    Chart,
    Derived,
    Explainer,
    Fact,
    GoDeeper,
    Loc,
    Project,
    Section,
    Source,
    WriterUpdate,
)
from generator.load.paths import (
    TooLarge,
    UnsafePath,
    read_capped,
    safe_file,
    unsafe_entries,
)
from generator.load.yamlio import (
    MAX_BYTES,
    JsonPath,
    YamlDocument,
    parse_yaml_bytes,
    read_content_file,
)

# Where each kind of file lives, relative to the project root, and its schema.
LAYOUT: tuple[tuple[str, str], ...] = (
    ("content/sources", "sources"),
    ("content/facts", "facts"),
    ("content/explainers", "explainer"),
    ("charts", "chart"),
)


# Folders the loader or the site engine reads. Each must be a real folder of the project: a
# `content/data` that is a link to another folder makes everything there look "inside".
READ_FOLDERS = ("content", "content/sources", "content/facts", "content/explainers",
                "content/data", "charts", "docs", "templates")
# Folders the site engine (MkDocs) reads by itself, following links and copying what it finds.
ENGINE_FOLDERS = ("docs", "templates")


def linked_folders(root: Path) -> list[str]:
    """The folders of :data:`READ_FOLDERS` that are links (or lie in one), outermost only."""
    real = root.resolve()
    found: list[str] = []
    for name in READ_FOLDERS:
        path = root / name
        if any(name.startswith(f"{outer}/") for outer in found):
            continue
        if path.is_symlink() or (path.exists() and path.resolve() != real / name):
            found.append(name)
    return found


def content_files(root: Path) -> list[tuple[Path, str]]:
    """Every YAML file of the project with its kind. Links and other non-regular files are
    listed too (not followed into folders), so the loader can refuse them by name. Nothing is
    listed from a folder that is a link (see :func:`folder_problems`)."""
    found: list[tuple[Path, str]] = []
    linked = linked_folders(root)
    for folder, kind in LAYOUT:
        base = root / folder
        if any(folder == name or folder.startswith(f"{name}/") for name in linked):
            continue
        if base.is_dir():
            found += [(base / rel, kind) for rel in _yaml_files(base)]
    return found


def _yaml_files(base: Path) -> list[str]:
    """Paths below ``base`` (posix, relative) of the YAML entries that are not folders, links
    to folders included, in the order of their parts. os.walk, not Path.rglob: listing 3,000
    files through pathlib took a third of a preview rebuild."""
    found: list[tuple[str, ...]] = []
    for folder, dirs, files in os.walk(base):  # never into a linked folder
        rel = os.path.relpath(folder, base)
        parts = () if rel == "." else tuple(rel.split(os.sep))
        linked = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        found += [(*parts, name) for name in (*files, *linked)
                  if name.endswith((".yaml", ".yml")) and name not in (".yaml", ".yml")]
    return ["/".join(parts) for parts in sorted(found)]


def folder_problems(root: Path, diagnostics: Diagnostics) -> None:
    """Report folders that are links and, in the folders MkDocs reads itself (docs/,
    templates/), links leaving them, pipes and devices: never quoting what a link points at."""
    linked = linked_folders(root)
    for name in linked:
        diagnostics.error(name, 1, 1, f"{name}/ is a link to another folder: the folders the "
                          "site is built from must be real folders in the project; replace the "
                          "link with the folder itself", "unsafe-file")
    for name in ENGINE_FOLDERS:
        if name in linked:
            continue
        for path, reason in unsafe_entries(root / name):
            shown = display_path(root, path)
            diagnostics.error(shown, 1, 1, f"{shown} {reason}", "unsafe-file")


def content_folder(root: Path, kind: str) -> Path:
    """The folder a file of ``kind`` must resolve inside (links may not leave it)."""
    return root / ("charts" if kind == "chart" else "content")


def display_path(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


@dataclass
class _Parsed:
    doc: YamlDocument | None
    problems: list[Diagnostic]  # this file's syntax and schema diagnostics
    bad: set[JsonPath]
    # its records and their own problems (a slug that does not match the file name), made on
    # first load: see _add_records
    records: tuple[list[_Record], list[Diagnostic]] | None = None


class ParseCache:
    """Parsed, schema-checked files, reused while a file's bytes are unchanged, so a live
    preview after one edit parses one file, not a thousand. Keyed on a hash of the content, not
    the modification time: an edit within one clock tick that keeps the size is still seen.

    A file is not even read again while its ``lstat`` (device, inode, size, modification and
    change times) is the one it had when it was hashed, as git does: no write leaves the change
    time as it was. Only when the hash was taken well after both times (:data:`RACY_NS`), since
    a write within the same clock tick may leave them equal; until then the file is hashed
    again. A link is always read the long way (its target is checked every time).

    Cached documents are shared between builds and must never be mutated.
    """

    RACY_NS = 2_000_000_000  # file times this close to the hashing may hide a later write
    # Files new to the cache that make a second process worth its fork and hand-back (a
    # clean build or check has thousands; a preview after one edit has one).
    SHARE_FROM = 200

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[bytes, _Parsed]] = {}
        self._stats: dict[Path, tuple[int, ...]] = {}  # files whose stat vouches for the hash
        self.parsed = 0  # files actually parsed, for tests and benchmarks
        self.read = 0  # files read and hashed
        self.shared = 0  # files read by a second process (warm)

    def get(self, path: Path, kind: str, display: str, *, folder: Path | None = None
            ) -> _Parsed:
        identity = _identity(path)
        cached = self._entries.get(path)
        if identity is not None and cached and self._stats.get(path) == identity:
            return cached[1]
        self._stats.pop(path, None)
        started = time.time_ns()
        found = Diagnostics()
        self.read += 1
        raw = read_content_file(path, display, found, folder=folder or path.parent)
        if raw is None:
            self._entries.pop(path, None)
            return _Parsed(None, found.sorted(), set())
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        if identity is not None and max(identity[3], identity[4]) < started - self.RACY_NS:
            self._stats[path] = identity  # taken before reading: a later write changes it
        if cached and cached[0] == digest:
            return cached[1]
        self.parsed += 1
        doc = parse_yaml_bytes(raw, path, display, found)
        bad: set[JsonPath] = set()
        if doc is not None and doc.data is None:
            found.error(display, 1, 1, "file is empty: add content or delete it", "empty")
        elif doc is not None:
            bad = schema.validate(doc, kind, found)
        entry = _Parsed(doc, found.sorted(), bad)
        self._entries[path] = (digest, entry)
        return entry

    def warm(self, items: list[_Item]) -> None:
        """Read and parse the files of ``items`` this cache does not hold, every other one in a
        forked child (generator/forks.py) while this process does the rest: both cores
        share the largest step of a clean build or check. What ``get`` then returns is what it
        would have parsed itself. (The records are made here: in the child, they and their
        hand-back cost more than they saved.)"""
        new = [item for item in items if item[0] not in self._entries]
        # A fork copies only the calling thread: never from a process running others (the
        # preview's server), where another thread may hold a lock the child would need.
        if len(new) < self.SHARE_FROM or not second_core() or threading.active_count() > 1:
            return
        child = Child(partial(self._parse_share, new[1::2]), name="second parse process")
        for path, kind, display, folder in new[0::2]:
            self.get(path, kind, display, folder=folder)
        parsed, read, entries = child.result()
        self.parsed += parsed
        self.read += read
        self.shared += read
        for path, entry, identity in entries:
            self._entries[path] = entry
            if identity is not None:
                self._stats[path] = identity

    def _parse_share(self, items: list[_Item]) -> tuple[
            int, int, list[tuple[Path, tuple[bytes, _Parsed], tuple[int, ...] | None]]]:
        """In the child: parse ``items``; return the counts and the cache entries made."""
        self.parsed = self.read = 0
        for path, kind, display, folder in items:
            self.get(path, kind, display, folder=folder)
        return self.parsed, self.read, [(path, self._entries[path], self._stats.get(path))
                                        for path, *_ in items if path in self._entries]


# A content file as the cache reads it: path, kind, path shown in messages, folder it must
# resolve inside.
_Item = tuple[Path, str, str, Path]


def _identity(path: Path) -> tuple[int, ...] | None:
    """A regular file's lstat identity; None for links, other kinds and missing files."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def load_project(root: Path, diagnostics: Diagnostics, *,
                 cache: ParseCache | None = None) -> Project:
    cache = cache or ParseCache()
    project = Project(root=root)
    first_seen: dict[tuple[str, str], Loc] = {}
    folder_problems(root, diagnostics)
    items = [(path, kind, display_path(root, path), content_folder(root, kind))
             for path, kind in content_files(root)]
    cache.warm(items)
    for path, kind, display, folder in items:
        parsed = cache.get(path, kind, display, folder=folder)
        diagnostics.add_all(parsed.problems)
        doc = parsed.doc
        if doc is None:
            project.incomplete = True
            _salvage_ids(project, path, kind)
            continue
        if doc.data is None:
            continue
        project.documents.append(doc)
        if parsed.bad:
            project.incomplete = True
        _add_records(project, parsed, kind, first_seen, diagnostics)
    return project


# Spaces and tabs only: `\s` would run across line breaks and make the scan quadratic on a
# file of blank lines (10,000 of them took 7 s).
_ID_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?(?:id|slug):[ \t]*['\"]?([a-z0-9_-]+)", re.MULTILINE)


def _salvage_ids(project: Project, path: Path, kind: str) -> None:
    """Collect the ids of a file that could not be parsed, so references to them are not
    reported as unknown on top of the real problem."""
    try:  # only a file that is safe to read: never a link out of the project or a pipe
        raw = read_capped(safe_file(content_folder(project.root, kind), path,
                                    root=project.root), MAX_BYTES)
    except (OSError, UnsafePath, TooLarge):
        return
    text = raw.decode("utf-8", errors="replace")
    record = {"sources": "source", "facts": "fact", "explainer": "explainer",
              "chart": "chart"}[kind]
    project.known_ids[record].update(_ID_LINE.findall(text))


def _is_bad(path: JsonPath, bad: set[JsonPath]) -> bool:
    """A record is bad when any schema error lies at or inside it (or the whole file is bad)."""
    return any(b[: len(path)] == path for b in bad)


@dataclass
class _Record:
    """One record of a document as written: registered (and checked for a duplicate id) on
    every load, built once per parsed document."""

    kind: str  # "source" | "fact" | "explainer" | "chart"
    ident: Any  # the id as written; not a string: unusable
    loc: Loc
    value: Source | Fact | Explainer | Chart | None  # None: schema errors inside it


_TABLES = {"source": "sources", "fact": "facts", "explainer": "explainers", "chart": "charts"}


def _add_records(project: Project, parsed: _Parsed, kind: str,
                 first_seen: dict[tuple[str, str], Loc], diagnostics: Diagnostics) -> None:
    """The document's records into the project. They are made once per parsed document and
    shared by every later load while the file is unchanged (so an unchanged record is the same
    object in both projects, which is how the preview tells what an edit changed); records
    are never changed after loading."""
    assert parsed.doc is not None
    if parsed.records is None:
        found = Diagnostics()
        parsed.records = (_records(parsed.doc, kind, parsed.bad, found), found.sorted())
    records, problems = parsed.records
    diagnostics.add_all(problems)
    for record in records:
        ident = _register(project, record.kind, record.ident, record.loc, first_seen,
                          diagnostics)
        if ident is not None and record.value is not None:
            getattr(project, _TABLES[record.kind])[ident] = record.value


def _records(doc: YamlDocument, kind: str, bad: set[JsonPath],
             diagnostics: Diagnostics) -> list[_Record]:
    data = doc.data
    if not isinstance(data, dict):
        return []
    out: list[_Record] = []
    if kind in ("sources", "facts"):
        items = data.get(kind)
        if not isinstance(items, list):
            return []
        record_kind = "source" if kind == "sources" else "fact"
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            loc = Loc(doc, (kind, index))
            value: Source | Fact | None = None
            if isinstance(item.get("id"), str) and not _is_bad(loc.path, bad):
                value = _source(item, loc) if kind == "sources" else _fact(item, loc)
            out.append(_Record(record_kind, item.get("id"), loc, value))
    elif kind == "explainer":
        loc = Loc(doc, ())
        slug = data.get("slug")
        if isinstance(slug, str) and doc.path.stem != slug:
            diagnostics.error(*loc.at("slug"),
                              f"slug '{excerpt(slug)}' does not match the file name "
                              f"'{excerpt(doc.path.name)}': rename the file to "
                              f"'{excerpt(slug)}.yaml' or change the slug", "slug-file")
        required = ("slug", "headline", "tease", "lede", "published", "sections")
        usable = isinstance(slug, str) and all(
            key in data and not _is_bad((key,), bad) for key in required[:-1])
        explainer = None
        if usable and isinstance(data.get("sections"), list) and ("sections",) not in bad:
            explainer = _explainer(data, loc, bad)
        out.append(_Record("explainer", slug, loc, explainer))
    elif kind == "chart":
        loc = Loc(doc, ())
        ident = data.get("id")
        if isinstance(ident, str) and doc.path.stem != ident:
            diagnostics.error(*loc.at("id"),
                              f"chart id '{excerpt(ident)}' does not match the file name "
                              f"'{excerpt(doc.path.name)}': rename the file to "
                              f"'{excerpt(ident)}.yaml'", "chart-file")
        chart = None
        if isinstance(ident, str) and not bad:
            chart = Chart(id=ident, type=data["type"], title=data["title"], loc=loc, spec=data)
        out.append(_Record("chart", ident, loc, chart))
    return out


def _register(project: Project, kind: str, ident: Any, loc: Loc,
              first_seen: dict[tuple[str, str], Loc], diagnostics: Diagnostics) -> str | None:
    """Record an id; report a duplicate naming both places. The id, or None when unusable."""
    if not isinstance(ident, str):
        return None
    project.known_ids[kind].add(ident)
    key = (kind, ident)
    if key in first_seen:
        diagnostics.error(*loc.at("id" if kind != "explainer" else "slug"),
                          f"duplicate {kind} id '{excerpt(ident)}': already defined at "
                          f"{first_seen[key].describe()}; rename one of them", "duplicate-id")
        return None
    first_seen[key] = loc
    return ident


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _source(item: dict[str, Any], loc: Loc) -> Source:
    return Source(
        id=item["id"], title=item["title"], loc=loc, publisher=item.get("publisher"),
        authors=list(item.get("authors", [])), url=item.get("url"),
        archive_url=item.get("archive_url"), published=_date(item.get("published")),
        accessed=_date(item.get("accessed")), locator=item.get("locator"),
        quote=item.get("quote"), license=item.get("license"), cited_in=item.get("cited_in"),
        note=item.get("note"), unknown=dict(item.get("unknown") or {}),
    )


def _fact(item: dict[str, Any], loc: Loc) -> Fact:
    derived = item.get("derived")
    value = item.get("value")
    if item["type"] == "date":
        value = _date(value)
    return Fact(
        id=item["id"], statement=item["statement"], type=item["type"], loc=loc, value=value,
        unit=item.get("unit"), currency=item.get("currency"), qualifier=item.get("qualifier"),
        as_of=item.get("as_of"), sources=list(item.get("sources", [])),
        derived=Derived(formula=derived["formula"], stated=derived.get("stated"),
                        tolerance=derived.get("tolerance", 0.005)) if derived else None,
        precision=item.get("precision"), review_by=_date(item.get("review_by")),
        note=item.get("note"), correction=item.get("correction"),
        display=item.get("display"),
    )


def _chart_refs(section: dict[str, Any]) -> list[tuple[str, tuple[str | int, ...]]]:
    if isinstance(section.get("chart"), str):
        return [(section["chart"], ("chart",))]
    return [(cid, ("charts", i)) for i, cid in enumerate(section.get("charts", []))]


def _explainer(data: dict[str, Any], loc: Loc, bad: set[JsonPath]) -> Explainer:
    # A broken section is left out; the rest of the explainer is still checked.
    sections = [
        Section(label=s["label"], loc=Loc(loc.doc, ("sections", i)), text=s.get("text"),
                bullets=list(s.get("bullets", [])), charts=_chart_refs(s),
                flashback=[(f, ("flashback", j)) for j, f in enumerate(s.get("flashback", []))])
        for i, s in enumerate(data["sections"]) if not _is_bad(("sections", i), bad)
    ]
    published = _date(data["published"])
    assert published is not None  # the schema's date format guarantees it
    return Explainer(
        slug=data["slug"], headline=data["headline"], tease=data["tease"], lede=data["lede"],
        published=published, updated=_date(data.get("updated")), loc=loc, sections=sections,
        authors=[] if _is_bad(("authors",), bad) else list(data.get("authors", [])),
        sources=[] if _is_bad(("sources",), bad) else list(data.get("sources", [])),
        tags=[] if _is_bad(("tags",), bad) else list(data.get("tags", [])),
        note=data.get("note"),
        unknown={} if _is_bad(("unknown",), bad) else dict(data.get("unknown") or {}),
        go_deeper=[] if _is_bad(("go_deeper",), bad) else _go_deeper(data.get("go_deeper", [])),
        follows=None if _is_bad(("follows",), bad) else data.get("follows"),
        updates=[] if _is_bad(("updates",), bad) else _updates(data.get("updates", [])),
        followed_by=[] if _is_bad(("followed_by",), bad) else list(data.get("followed_by", [])),
        key_fact=None if _is_bad(("key_fact",), bad) else data.get("key_fact"),
    )


def _updates(items: list[dict[str, Any]]) -> list[WriterUpdate]:
    out = []
    for i, item in enumerate(items):
        day = _date(item.get("date"))
        if day is not None:  # the schema's date format reports a bad one
            out.append(WriterUpdate(key=("updates", i), date=day, text=item["text"]))
    return out


def _go_deeper(items: list[dict[str, Any]]) -> list[GoDeeper]:
    return [GoDeeper(key=("go_deeper", i), explainer=item.get("explainer"), url=item.get("url"),
                     title=item.get("title"), publisher=item.get("publisher"),
                     note=item.get("note"))
            for i, item in enumerate(items)]
