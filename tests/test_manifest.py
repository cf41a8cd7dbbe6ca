"""Manifests are published as what changed since the one they follow, and read back whole."""

from __future__ import annotations

import json

from generator.adapters.manifest import Manifest, bytes_key, manifest_path


def _published(*steps: tuple[str, Manifest, str | None, bool]) -> dict[str, bytes]:
    """Publish manifests in order, each against the named base (as deploy does)."""
    files: dict[str, bytes] = {}
    for name, manifest, base, pages_only in steps:
        raw = None
        if base is not None:
            before = Manifest.load(files.get, base)
            assert before is not None
            raw = manifest.to_json((base, files[manifest_path(base)], before),
                                   pages_only=pages_only)
        files[manifest_path(name)] = raw if raw is not None else manifest.to_json()
    return files


PAGES = {f"p{i}/index.html": (f"k{i}", "1.0") for i in range(200)}
FIRST = Manifest("1.0", {**PAGES, "cards/a.png": ("c", "1.0"), "old/index.html": ("o", "1.0")})
SECOND = Manifest("1.1", {**PAGES, "p7/index.html": ("k7b", "1.1"),
                          "cards/a.png": ("c", "1.0"), "new/index.html": ("n", "1.1")})


def test_an_edition_reads_back_whole_through_its_base() -> None:
    files = _published(("1.0", FIRST, None, False), ("1.1", SECOND, "1.0", False))
    assert Manifest.load(files.get, "1.1") == SECOND
    assert Manifest.load(files.get, "1.0") == FIRST
    # Only what changed is written: one changed page, one new, one removed.
    delta = json.loads(files[manifest_path("1.1")])
    assert delta["files"] == {"new/index.html": ["n", "1.1"], "p7/index.html": ["k7b", "1.1"]}
    assert delta["removed"] == ["old/index.html"]
    assert delta["base"] == {"name": "1.0", "key": bytes_key(files[manifest_path("1.0")]),
                             "pages_only": False}
    assert len(files[manifest_path("1.1")]) < len(files[manifest_path("1.0")]) / 20


def test_an_alias_is_its_editions_pages_plus_the_pages_it_once_had() -> None:
    alias = Manifest("1.1", {p: e for p, e in SECOND.files.items() if p.endswith(".html")}
                     | {"old/index.html": ("o", "1.0")})
    files = _published(("1.0", FIRST, None, False), ("1.1", SECOND, "1.0", False),
                       ("latest", alias, "1.1", True))
    assert Manifest.load(files.get, "latest") == alias
    delta = json.loads(files[manifest_path("latest")])
    assert delta["files"] == {"old/index.html": ["o", "1.0"]} and delta["removed"] == []


def test_a_chain_that_cannot_be_trusted_reads_as_no_record() -> None:
    files = _published(("1.0", FIRST, None, False), ("1.1", SECOND, "1.0", False))
    # The base was written again after 1.1 named it (1.0 deployed again): 1.1 is unknown.
    rewritten = dict(files)
    rewritten[manifest_path("1.0")] = Manifest("1.0", {"x.html": ("x", "1.0")}).to_json()
    assert Manifest.load(rewritten.get, "1.1") is None
    # A missing or broken base, or a cycle.
    assert Manifest.load({manifest_path("1.1"): files[manifest_path("1.1")]}.get, "1.1") is None
    broken = dict(files)
    broken[manifest_path("1.0")] = b"{not json"
    assert Manifest.load(broken.get, "1.1") is None
    loop = {manifest_path("a"): json.dumps({"format": 2, "version": "a", "files": {},
                                            "base": {"name": "a", "key": "x"}}).encode()}
    assert Manifest.load(loop.get, "a") is None
    assert Manifest.load({}.get, "1.0") is None


def test_a_whole_manifest_of_the_first_format_still_reads() -> None:
    raw = json.dumps({"format": 1, "version": "1.0",
                      "files": {"a/index.html": ["k", "1.0"]}}).encode()
    assert Manifest.load({manifest_path("1.0"): raw}.get, "1.0") == Manifest(
        "1.0", {"a/index.html": ("k", "1.0")})
