"""An edition's manifest: where each of its files lives, published at ``_record/<name>.json``.

``explainer deploy`` (generator/publish/record.py) writes one per edition and alias; the next
deploy reads the previous edition's to know which pages changed, and a build reads it to find a
file an edition left to an earlier one (generator/adapters/edition.py: read_published).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

RECORD_DIR = "_record"  # at the branch root; "_" cannot start an edition name (adapters/mike.py)
MANIFEST_FORMAT = 1


def manifest_path(name: str) -> str:
    return f"{RECORD_DIR}/{name}.json"


@dataclass
class Manifest:
    """Where each file of an edition lives: path -> (key, home edition)."""

    version: str
    files: dict[str, tuple[str, str]] = field(default_factory=dict)

    def to_json(self) -> bytes:
        data = {"format": MANIFEST_FORMAT, "version": self.version,
                "files": {path: list(entry) for path, entry in sorted(self.files.items())}}
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes | None) -> Manifest | None:
        """None for anything that is not a manifest this code wrote (no record yet)."""
        if not raw:
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            return None
        files = data.get("files")
        if not isinstance(files, dict) or not isinstance(data.get("version"), str):
            return None
        entries = {path: (str(v[0]), str(v[1])) for path, v in files.items()
                   if isinstance(v, list) and len(v) == 2}
        return cls(version=data["version"], files=entries)

    def home(self, path: str) -> str | None:
        entry = self.files.get(path)
        return entry[1] if entry else None

