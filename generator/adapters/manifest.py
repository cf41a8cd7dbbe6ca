"""An edition's manifest: where each of its files lives, published at ``_record/<name>.json``.

``explainer deploy`` (generator/publish/record.py) writes one per edition and alias; the next
deploy reads the previous edition's to know which pages changed, and a build reads it to find a
file an edition left to an earlier one (generator/adapters/edition.py: read_published).

A manifest lists every file of an edition, and every edition publishes one, so written whole
they would cost the record as much as a tenth of an edition each (230 KB at 1,000 explainers).
An edition's manifest is therefore written as what changed since the one it follows (its
*base*): the entries that differ and the paths that went. An alias's manifest is its edition's
pages plus the pages it once had. The base is named with the key of its bytes, so a base that
was written again since (an edition deployed again) is noticed, and the manifest then reads as
no record at all: the next deploy publishes every file whole rather than trust a wrong plan.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

RECORD_DIR = "_record"  # at the branch root; "_" cannot start an edition name (adapters/mike.py)
MANIFEST_FORMAT = 2
WHOLE_FORMAT = 1  # every file listed, no base (written before format 2, still read)
PAGE_SUFFIX = ".html"

Entry = tuple[str, str]  # (key of what the file says, the edition that has it)
Reader = Callable[[str], "bytes | None"]  # a branch path -> its bytes, None when absent


def manifest_path(name: str) -> str:
    return f"{RECORD_DIR}/{name}.json"


def bytes_key(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:24]


@dataclass
class Manifest:
    """Where each file of an edition lives: path -> (key, home edition)."""

    version: str
    files: dict[str, Entry] = field(default_factory=dict)

    def to_json(self, base: tuple[str, bytes, Manifest] | None = None, *,
                pages_only: bool = False) -> bytes:
        """The manifest as published: whole, or against ``base`` (its name, its published
        bytes and what they read as). ``pages_only``: the base's pages only (an alias)."""
        data: dict[str, Any] = {"format": MANIFEST_FORMAT, "version": self.version}
        if base is None:
            data["files"] = _listing(self.files)
        else:
            name, raw, manifest = base
            before = _pages(manifest.files) if pages_only else manifest.files
            data["base"] = {"name": name, "key": bytes_key(raw), "pages_only": pages_only}
            data["files"] = _listing({p: e for p, e in self.files.items() if before.get(p) != e})
            data["removed"] = sorted(p for p in before if p not in self.files)
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    @classmethod
    def load(cls, read: Reader, name: str) -> Manifest | None:
        """The manifest of edition or alias ``name``, its bases followed back to a whole one.
        None when there is none, or when any link of the chain is missing, unreadable or was
        written again after the manifest that names it."""
        chain: list[_Parsed] = []
        seen: set[str] = set()
        expected: str | None = None
        while name not in seen:
            seen.add(name)
            raw = read(manifest_path(name))
            parsed = _parse(raw)
            if raw is None or parsed is None or (expected and bytes_key(raw) != expected):
                return None
            chain.append(parsed)
            if parsed.base is None:
                break
            name, expected, _ = parsed.base
        else:
            return None  # a cycle: no manifest this code wrote
        files: dict[str, Entry] = {}
        for parsed in reversed(chain):
            if parsed.base is not None and parsed.base[2]:
                files = _pages(files)
            for path in parsed.removed:
                files.pop(path, None)
            files.update(parsed.files)
        return cls(version=chain[0].version, files=files)

    def home(self, path: str) -> str | None:
        entry = self.files.get(path)
        return entry[1] if entry else None


@dataclass
class _Parsed:
    version: str
    files: dict[str, Entry]
    removed: list[str]
    base: tuple[str, str, bool] | None  # name, key of its bytes, pages only


def _listing(files: dict[str, Entry]) -> dict[str, list[str]]:
    return {path: list(entry) for path, entry in sorted(files.items())}


def _pages(files: dict[str, Entry]) -> dict[str, Entry]:
    return {p: e for p, e in files.items() if p.endswith(PAGE_SUFFIX)}


def _parse(raw: bytes | None) -> _Parsed | None:
    if not raw:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or data.get("format") not in (WHOLE_FORMAT, MANIFEST_FORMAT):
        return None
    files, version = data.get("files"), data.get("version")
    if not isinstance(files, dict) or not isinstance(version, str):
        return None
    entries = {str(path): (str(v[0]), str(v[1])) for path, v in files.items()
               if isinstance(v, list) and len(v) == 2}
    base = data.get("base") if data["format"] == MANIFEST_FORMAT else None
    link = None
    if base is not None:
        if not (isinstance(base, dict) and isinstance(base.get("name"), str)
                and isinstance(base.get("key"), str)):
            return None
        link = (base["name"], base["key"], bool(base.get("pages_only")))
    removed = data.get("removed") or []
    return _Parsed(version=version, files=entries, base=link,
                   removed=[str(p) for p in removed] if isinstance(removed, list) else [])
