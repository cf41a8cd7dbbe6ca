"""What an edition publishes: whole pages only where they changed, stubs for the rest.

GitHub Pages serves at most 1 GB, and mike's editions are whole copies of the site, with one more
copy for ``latest``. Here an edition is planned against the edition it follows (its manifest):

- a page whose article (the ``data-pagefind-body`` region, which every generated page has) is
  unchanged becomes a redirect stub to the edition that holds that revision in full, its *home*.
  The stub carries the reader's edition (``?edition=1.3``), so the edition selector and banner
  read as the edition the reader chose (generator/adapters/assets/explainer-editions.js);
- a file that belongs to one page (its chart pictures and data downloads, under
  :data:`DROPPABLE`) is left out when it is byte-identical to the previous edition's: a page
  at home elsewhere finds it in its own edition, and a whole page of this edition names it
  there (its ``src``, ``href``, ``srcset`` and ``data-figure`` are repointed). A file that a
  whole page or data file mentions any other way stays;
- the theme's bundle and styles and the chart library (:data:`SHARED`), and the parts of the
  facts download (:data:`PARTS`), when unchanged, are left to the edition that first published
  them, and this edition's pages and download indexes name them there;
- everything else (our own scripts, the search index, feeds, the download indexes) is
  published whole;
- an alias such as ``latest`` is stubs only, to each page's home, plus copies of the small
  files readers subscribe to (:data:`ALIAS_COPIES`). A page an alias once had and the edition
  no longer has keeps a stub to its last home, so no address the alias published goes dead.

A *home* is always a release: a development edition (``dev``) is redeployed in place, so
pointing at it would change what an older address shows. Each edition's manifest (path: body key
and home) is published at ``_record/<edition>.json``; the next deploy reads it from the branch.
This module only plans; generator/adapters/git_commit.py writes the commit.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote, unquote, urljoin

from generator.adapters.manifest import Manifest, manifest_path
from generator.render import datafiles

__all__ = ["Manifest", "Plan", "manifest_path", "plan_alias", "plan_edition", "stub"]

BODY_MARK = b"data-pagefind-body"
BODY_END = b"</article>"
# Pages that must be this edition's own even when their text is unchanged: the search page
# loads this edition's index from ../pagefind/.
ALWAYS_WHOLE = frozenset({"search/index.html"})
SEARCH_INDEX = "pagefind/"  # generator/adapters/search_index.py BUNDLE_DIR
# Files that belong to one page and can be found beside its home instead.
DROPPABLE = ("charts/", "data/explainers/", "data/charts/")
DROPPABLE_SUFFIXES = (".png", ".svg", ".json", ".csv")  # never the chart library's .js
# What an alias keeps as files: feeds and sitemaps cannot be redirects.
ALIAS_COPIES = ("feed.xml", "feed.json", "changes.xml", "sitemap.xml", "sitemap.xml.gz",
                "robots.txt")
# Files no page names (search engines read the alias's sitemap, latest/sitemap.xml): an edition
# whose sitemap is the one before it, byte for byte, leaves it to that edition, and its alias
# still gets a copy. A sitemap lists the canonical (latest/) addresses, dated by each
# explainer's own day, so it changes only when pages come, go or are updated.
LEFT_WHEN_SAME = ("sitemap.xml", "sitemap.xml.gz")
TEXT_SUFFIXES = (".html", ".xml", ".json", ".js", ".css", ".txt", ".csv", ".svg")
# Files every page loads, the same in edition after edition (the theme's bundle and styles, the
# chart library): taken from the edition that first published them. Pages name them only in
# these attributes, which :func:`rewrite_refs` points at that edition. Our own scripts
# (assets/explainer/) stay in each edition: they find the edition's root from their address.
SHARED = ("assets/javascripts/", "assets/stylesheets/", "assets/images/", "charts/plotly",
          # Social cards: named in pages (og:image) and in the feeds by absolute address, which
          # :func:`rewrite_absolute` points at the edition that has the card.
          "cards/")
# The facts download's parts: named by its two indexes, which datafiles.repoint renames.
PARTS = ("data/facts/", "data/sources/")
PART_INDEXES = (datafiles.INDEX_PATH, datafiles.CSV_INDEX_PATH)
# Attributes naming a file that :func:`rewrite_refs` can point at another edition: one address
# each (our pages write no srcset of several candidates; one with spaces is left as it is).
REF_RE = re.compile(rb'(\s(?:href|src|srcset|data-plotly|data-figure)=")([^"\s,]*)(")')
NAME_RE = re.compile(rb"[A-Za-z0-9_.~%+-]+\.[A-Za-z0-9]{1,8}")


@dataclass
class Plan:
    """The files to publish under one folder (an edition or an alias) and its manifest."""

    folder: str
    files: dict[str, Path | bytes] = field(default_factory=dict)
    manifest: Manifest | None = None
    whole: int = 0  # pages stored whole
    stubs: int = 0  # pages stored as redirects
    left_out: int = 0  # files left to the edition that has them
    # Built files left out of the edition that its aliases still copy (LEFT_WHEN_SAME).
    aside: dict[str, Path] = field(default_factory=dict)


def body_key(html: bytes) -> str:
    """A key of what a page says: its article region, or the whole page when it has none."""
    start = html.find(BODY_MARK)
    region = html
    if start >= 0:
        end = html.rfind(BODY_END)
        region = html[start:end] if end > start else html[start:]
    return hashlib.sha256(region).hexdigest()[:24]


def file_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:24]


def page_url(path: str) -> str:
    """The address of a built file relative to its edition: x/index.html -> x/."""
    if path == "index.html":
        return ""
    if path.endswith("/index.html"):
        return path[: -len("index.html")]
    return path


def stub_target(path: str, home: str, edition: str | None) -> str:
    """The relative address, from ``path`` in one edition folder, of the same page in ``home``."""
    target = up_from(path) + quote(home) + "/" + quote(page_url(path))
    return target + (f"?edition={quote(edition)}" if edition else "")


STUB_SCRIPT = "_record/go.js"  # at the branch root, written by every deploy
# What the stubs' one script does (kept out of each stub: an edition of 10,000 pages carries a
# stub for every page it did not change): go on to the page the refresh names, keeping the
# reader's query (a search's ?q=; an "edition" in it gives way to the stub's own) and fragment
# (#fact-id). Without script the refresh still goes, without them.
GO_JS = b"""(function () {
  "use strict";
  var meta = document.querySelector('meta[http-equiv="refresh"]');
  if (!meta) return;
  var target = meta.getAttribute("content").replace(/^0;url=/, "");
  var query = location.search.slice(1).replace(/(^|&)edition=[^&]*/g, "").replace(/^&/, "");
  location.replace(target + (query ? (target.indexOf("?") < 0 ? "?" : "&") + query : "") +
                   location.hash);
})();
"""


def stub(target: str, up: str) -> bytes:
    """A page that sends the reader to ``target``; ``up`` leads from its folder to the branch
    root (where :data:`STUB_SCRIPT` is). ``target`` comes from edition names and built paths,
    quoted by :func:`stub_target`."""
    return (f'<!doctype html><title>Moved</title><meta http-equiv=refresh content="0;url='
            f'{target}"><script src="{up}{STUB_SCRIPT}"></script>\n').encode()


def up_from(path: str) -> str:
    """From the folder of ``path`` (in an edition or alias folder) to the branch root."""
    return "../" * (path.count("/") + 1)


def built_files(site_dir: Path) -> Iterator[tuple[str, Path]]:
    for folder, dirs, names in os.walk(site_dir):
        dirs.sort()
        for name in sorted(names):
            full = Path(folder, name)
            yield full.relative_to(site_dir).as_posix(), full


def plan_edition(site_dir: Path, version: str, previous: Manifest | None) -> Plan:
    """Plan edition ``version`` from its built site, against the edition it follows (None: the
    first edition, or one published before the record: every file whole)."""
    plan = Plan(folder=version, manifest=Manifest(version=version))
    assert plan.manifest is not None
    droppable: dict[str, tuple[Path, str, str]] = {}
    moved: dict[str, str] = {}  # shared file -> the edition that has it
    mentioned: set[bytes] = set()
    for path, full in built_files(site_dir):
        if path.startswith(SEARCH_INDEX):
            plan.files[path] = full  # the edition's own, never compared: not in the manifest
            continue
        data = full.read_bytes()
        is_page = path.endswith(".html")
        key = body_key(data) if is_page else file_key(data)
        before = previous.files.get(path) if previous else None
        same = before is not None and before[0] == key and before[1] != version
        if is_page and same and path not in ALWAYS_WHOLE:
            assert before is not None
            plan.files[path] = stub(stub_target(path, before[1], version), up_from(path))
            plan.manifest.files[path] = (key, before[1])
            plan.stubs += 1
            continue
        if (not is_page and same and path.startswith(DROPPABLE)
                and path.endswith(DROPPABLE_SUFFIXES)):
            assert before is not None
            droppable[path] = (full, key, before[1])
            continue
        if not is_page and same and (path.startswith(SHARED + PARTS) or path in LEFT_WHEN_SAME):
            assert before is not None
            moved[path] = before[1]
            plan.manifest.files[path] = (key, before[1])
            plan.left_out += 1
            if path in LEFT_WHEN_SAME:
                plan.aside[path] = full
            continue
        plan.files[path] = full
        plan.manifest.files[path] = (key, version)
        plan.whole += is_page
        if path.endswith(TEXT_SUFFIXES):
            # A page's attributes are repointed below; any other mention keeps the file.
            mentioned.update(NAME_RE.findall(REF_RE.sub(b"", data) if is_page else data))
    for path, (full, key, home) in droppable.items():
        if path.rsplit("/", 1)[-1].encode("utf-8") in mentioned:
            plan.files[path] = full
            plan.manifest.files[path] = (key, version)
        else:
            moved[path] = home
            plan.manifest.files[path] = (key, home)
            plan.left_out += 1
    if moved:
        pattern = absolute_pattern(version)
        for path, content in list(plan.files.items()):
            if path.endswith((".html", ".xml", ".json")) and isinstance(content, Path):
                data = content.read_bytes()
                rewritten = rewrite_absolute(data, pattern, moved)
                if path.endswith(".html"):
                    rewritten = rewrite_refs(rewritten, path, moved)
                if rewritten != data:
                    plan.files[path] = rewritten
        for path in PART_INDEXES:
            index = plan.files.get(path)
            if index is not None:
                raw = index if isinstance(index, bytes) else index.read_bytes()
                plan.files[path] = datafiles.repoint(path, raw, partial(_part_home, moved))
    return plan


def _part_home(moved: dict[str, str], part: str) -> str | None:
    """A part path (relative to data/) as named from an edition's data/ folder, when the
    edition left the part to the one that has it."""
    home = moved.get(f"data/{part}")
    return f"../../{quote(home)}/data/{part}" if home else None


def absolute_pattern(version: str) -> re.Pattern[bytes]:
    """An absolute address into edition ``version``: ``.../<version>/<path>``."""
    return re.compile(rb"/" + re.escape(quote(version).encode()) + rb"/([^\"'\s<>?#]+)")


def rewrite_absolute(text: bytes, pattern: re.Pattern[bytes], moved: dict[str, str]) -> bytes:
    """``text`` with each absolute address (``pattern``: :func:`absolute_pattern`) of a file
    this edition leaves out pointed at the edition that has it."""
    def repoint(match: re.Match[bytes]) -> bytes:
        home = moved.get(unquote(match.group(1).decode("utf-8", "replace")))
        return b"/" + quote(home).encode() + b"/" + match.group(1) if home else match.group(0)

    return pattern.sub(repoint, text)


def rewrite_refs(html: bytes, path: str, moved: dict[str, str]) -> bytes:
    """``html`` (the page at ``path`` in its edition) with each reference to a shared file
    that this edition leaves out pointed at the edition that has it, relatively."""
    root = "https://edition.invalid/e/"  # the edition's folder, to resolve against
    base = root + page_url(path)

    def repoint(match: re.Match[bytes]) -> bytes:
        value = match.group(2).decode("utf-8", "replace")
        resolved = urljoin(base, value)
        if not resolved.startswith(root):
            return match.group(0)
        target, sep, query = resolved[len(root):].partition("?")
        home = moved.get(unquote(target))
        if home is None:
            return match.group(0)
        new = up_from(path) + quote(home) + "/" + target + sep + query
        return match.group(1) + new.encode("utf-8") + match.group(3)

    return REF_RE.sub(repoint, html)


def plan_alias(alias: str, edition: Plan, previous_alias: Manifest | None) -> Plan:
    """``alias`` (e.g. latest) as stubs to the pages of ``edition``, with copies of its feeds."""
    manifest = edition.manifest
    assert manifest is not None
    plan = Plan(folder=alias, manifest=Manifest(version=manifest.version))
    assert plan.manifest is not None
    pages = {p: e for p, e in manifest.files.items() if p.endswith(".html")}
    for path, (key, home) in pages.items():
        plan.files[path] = stub(stub_target(path, home, alias), up_from(path))
        plan.manifest.files[path] = (key, home)
        plan.stubs += 1
    for path in ALIAS_COPIES:
        # As the edition publishes it (addresses repointed), or as it was built when the
        # edition left it to an earlier one.
        copy = edition.files.get(path) or edition.aside.get(path)
        if copy is not None:
            plan.files[path] = copy
            plan.whole += 1
    # Pages the alias published before that the edition no longer has: to their last home.
    for path, (key, home) in (previous_alias.files.items() if previous_alias else ()):
        if path.endswith(".html") and path not in pages:
            plan.files[path] = stub(stub_target(path, home, None), up_from(path))
            plan.manifest.files[path] = (key, home)
            plan.stubs += 1
    return plan
