"""The edition build's page cache: a correction renders again only the pages it changed.

``explainer deploy`` builds the whole site, and at 10,000 explainers rendering every page with
the theme is most of a deploy. Between two deploys of a correction, almost every generated page
is the same Markdown as last time. The pages of the last edition build are kept in the
explainer cache folder (``EXPLAINER_CACHE_DIR``, else ``~/.cache/explainer``; ``pages/`` in it,
one entry a project), and the next edition build reuses each page whose inputs are unchanged:

* **Global inputs** (the *layout*): the generator's own code, the engine and theme versions,
  mkdocs.yml and the configuration the engine resolved from it (navigation, extensions, theme
  features, plugins' settings...), the project's theme overrides, ``docs/`` and ``templates/``,
  the path of every file the site publishes, and the site address without its edition folder.
  Any change builds every page again (a clean build, both cores).
* **A page's own inputs**: its Markdown exactly as the engine is handed it (front matter
  included) and its head metadata. A page whose inputs are unchanged is not converted nor
  rendered: its HTML is copied from the cache. Pages written by hand in ``docs/`` are always
  rendered.
* **What each edition writes on every page**: the canonical address (``<site>/latest/`` or
  ``<site>/dev/``: ``<link rel="canonical">`` and the head's ``og:url``) and the address of the
  edition's own files (``<site>/1.3/``: ``og:image``). A cached page stores what it was rendered
  with; the page's head block (generator/render/head.py, one occurrence, made again here for
  both addresses) and its canonical link are replaced by this edition's. A page where either
  does not occur exactly once is not cached.
* **A check of that model**: in every build that reuses pages, one page of each kind is
  rendered anyway, and the cached copy, made over as above, must be byte for byte the page just
  rendered; otherwise the build starts over without the cache (``PageCache.mismatch``).

What the engine learns from converting a page (its title, metadata, the anchors it has and the
anchors it links to) is stored with it and given back for reused pages, so the navigation and
the engine's anchor check at the end of the build see every page. The cache is written only
after a whole build succeeded (a page with a warning fails the strict build and is never
stored); each page is checked against its SHA-256 as it is read, and one that does not match
is rendered again. tests/test_deploy_incremental.py compares every file of incremental edition
builds with clean builds, after a correction, a new explainer and a template change.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from generator.adapters.edition import MIKE_VERSION_VAR
from generator.charts.static import cache_dir
from generator.render.output import GeneratedFile, PageMeta

log = logging.getLogger("generator.pagecache")  # (not the engine's: its count is strict)

FORMAT = 1
STATE = "state.json"
PAGES = "html"
GENERATOR_DIR = Path(__file__).resolve().parent.parent
# The engine's configuration keys whose values are per build, not per site (site_url is taken
# without its edition folder; plugins and the theme are read separately).
UNHASHED = frozenset({"site_dir", "site_url", "plugins", "theme", "watch", "config_file_path",
                      "dev_addr", "docs_dir", "hooks"})
CANONICAL = '<link rel="canonical" href="{}">'
# Installed packages whose version changes how a page is rendered.
ENGINE_DISTS = ("properdocs", "mkdocs", "mkdocs-material", "mike", "markdown",
                "pymdown-extensions", "cmarkgfm", "jinja2", "markupsafe")


@functools.cache
def code_digest() -> str:
    """The generator's own files (code, templates, theme override, assets), read once."""
    digest = hashlib.sha256()
    for path in sorted(GENERATOR_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(GENERATOR_DIR).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    for dist in ENGINE_DISTS:
        try:
            digest.update(f"{dist}={version(dist)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{dist}=-\0".encode())
    return digest.hexdigest()


def folder_digest(folder: Path | None) -> str:
    """Every file under ``folder``, path and bytes."""
    digest = hashlib.sha256()
    if folder is not None and folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def page_key(path: str, markdown: str | bytes, meta: PageMeta | None) -> str:
    """A generated page's own inputs: its Markdown as the engine gets it, its head metadata."""
    digest = hashlib.sha256(path.encode() + b"\0")
    digest.update(markdown.encode() if isinstance(markdown, str) else markdown)
    digest.update(b"\0" + json.dumps(asdict(meta) if meta else None, sort_keys=True,
                                     default=str).encode())
    return digest.hexdigest()


def _unmodified() -> bool:
    return False


@dataclass
class Addresses:
    """What an edition build writes on every page: its canonical site address, and the
    address of its own files."""

    canonical: str
    files: str | None


@dataclass
class _Entry:
    key: str
    sha: str
    canonical: str
    files: str | None
    title: str | None
    meta: dict[str, Any]
    anchors: list[str] | None
    links: dict[str, dict[str, str]] | None


# (meta, canonical address of the site, the page's address in it, address of the edition's
# files) -> the head block the plugin prints for the page (ExplainerPlugin.head_for).
HeadMaker = Callable[[PageMeta, str, str, str], str]


@dataclass
class PageCache:
    """One build's use of the cache (a new one each build)."""

    folder: Path
    layout: str = ""
    parts: dict[str, str] = field(default_factory=dict)
    entries: dict[str, _Entry] = field(default_factory=dict)  # src_uri -> what the cache has
    reused: dict[str, _Entry] = field(default_factory=dict)  # src_uri -> taken from the cache
    probes: dict[str, _Entry] = field(default_factory=dict)  # rendered to check the model
    rendered: int = 0  # generated pages rendered this build
    mismatch: list[str] = field(default_factory=list)  # probes that disagreed
    keys: dict[str, str] = field(default_factory=dict)  # src_uri -> this build's page key
    _kinds_probed: set[str] = field(default_factory=set)
    # Set at the end of the build, for save(): (site folder, the engine's files, this
    # edition's addresses, the head maker, the generated pages' metadata).
    _built: tuple[Path, Any, Addresses, HeadMaker, dict[str, PageMeta]] | None = None

    @classmethod
    def open(cls, root: Path) -> PageCache | None:
        base = cache_dir(root, "pages")
        if base is None:
            return None
        name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        return cls(folder=base / name)

    # -- on_config -----------------------------------------------------------------------

    def start(self, config: Any, root: Path, files: list[GeneratedFile], site_base: str) -> None:
        """Decide, from the layout, whether the cache's pages may serve this build."""
        self.parts = layout_parts(config, root, files, site_base)
        self.layout = hashlib.sha256(json.dumps(self.parts, sort_keys=True).encode()).hexdigest()
        self.entries = {}
        state = self._read_state()
        if state is None:
            return
        if state.get("format") != FORMAT or state.get("layout") != self.layout:
            parts = state.get("parts")
            before = parts if isinstance(parts, dict) else {}
            changed = [name for name, value in self.parts.items() if before.get(name) != value]
            log.info("explainer: every page is rendered: %s changed since the cached build",
                     ", ".join(changed) or "the cache's format")
            return
        pages = state.get("pages")
        if not isinstance(pages, dict):
            return
        for uri, raw in pages.items():
            try:
                self.entries[uri] = _Entry(**raw)
            except TypeError:
                continue

    def _read_state(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.folder / STATE).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    # -- on_files ------------------------------------------------------------------------

    def consider(self, file: Any, generated: GeneratedFile, markdown: str | bytes) -> None:
        """A generated page whose inputs are the cache's is not converted nor rendered (one
        page of each kind is, to check the cached copy against it)."""
        if not generated.is_page:
            return
        key = page_key(generated.path, markdown, generated.page)
        self.keys[file.src_uri] = key
        entry = self.entries.get(file.src_uri)
        if entry is None or entry.key != key:
            return
        kind = generated.page.kind if generated.page else ""
        if kind not in self._kinds_probed:
            self._kinds_probed.add(kind)
            self.probes[file.src_uri] = entry
            return
        self.reused[file.src_uri] = entry
        file.is_modified = _unmodified

    # -- on_nav --------------------------------------------------------------------------

    def restore(self, files: Any) -> None:
        """Reused pages get back what converting them told the engine."""
        for file in files.documentation_pages():
            entry = self.reused.get(file.src_uri)
            page = file.page
            if entry is None or page is None:
                continue
            links = {}
            for target, anchors in (entry.links or {}).items():
                found = files.get_file_from_path(target)
                if found is None:
                    break
                links[found] = dict(anchors)
            else:
                page.title = entry.title
                page.meta = dict(entry.meta)
                page.present_anchor_ids = None if entry.anchors is None else set(entry.anchors)
                page.links_to_anchors = None if entry.links is None else links
                continue
            del self.reused[file.src_uri]  # links to a page that is gone: render it
            del file.is_modified

    # -- on_post_build -------------------------------------------------------------------

    def write_reused(self, site_dir: Path, files: Any, now: Addresses, head: HeadMaker,
                     metas: dict[str, PageMeta]) -> None:
        """Copy the reused pages into the site, with this edition's addresses; compare the
        probes with their cached copies."""
        self._built = (site_dir, files, now, head, metas)
        for uri, entry in self.probes.items():
            file = files.get_file_from_path(uri)
            cached = self._made_over(entry, file, now, head, metas.get(uri))
            written = Path(site_dir, file.dest_uri).read_bytes()
            if cached != written:
                self.mismatch.append(uri)
        if self.mismatch:
            return
        for uri, entry in self.reused.items():
            file = files.get_file_from_path(uri)
            made = self._made_over(entry, file, now, head, metas.get(uri))
            if made is None:
                self.mismatch.append(uri)
                return
            target = Path(site_dir, file.dest_uri)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(made)
        log.info("explainer: %d pages taken from the page cache, %d checked against it",
                 len(self.reused), len(self.probes))

    def _made_over(self, entry: _Entry, file: Any, now: Addresses, head: HeadMaker,
                   meta: PageMeta | None) -> bytes | None:
        try:
            raw = (self.folder / PAGES / file.dest_uri).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(raw).hexdigest() != entry.sha:
            return None
        if entry.canonical == now.canonical and entry.files == now.files:
            return raw
        if meta is None:
            return None
        html = raw.decode("utf-8")
        url = file.url
        pairs = [(head(meta, entry.canonical, url, entry.files or entry.canonical),
                  head(meta, now.canonical, url, now.files or now.canonical)),
                 (CANONICAL.format(entry.canonical + url), CANONICAL.format(now.canonical + url))]
        for old, new in pairs:
            if html.count(old) != 1:
                return None
            html = html.replace(old, new)
        return html.encode("utf-8")

    # -- after the build succeeded -------------------------------------------------------

    def save(self) -> None:
        """Store this build's pages: the cache now holds the site just built."""
        if self._built is None or self.mismatch:
            return
        site_dir, files, now, head, metas = self._built
        pages_dir = self.folder / PAGES
        kept: dict[str, _Entry] = {}
        for file in files.documentation_pages():
            uri = file.src_uri
            key = self.keys.get(uri)
            if key is None or file.page is None:
                continue  # written by hand in docs/: always rendered
            if uri in self.reused:
                kept[uri] = self.reused[uri]
                continue
            source = Path(site_dir, file.dest_uri)
            try:
                raw = source.read_bytes()
            except OSError:
                continue
            meta = metas.get(uri)
            html = raw.decode("utf-8", "replace")
            url = file.url
            if meta is None or html.count(head(meta, now.canonical, url,
                                               now.files or now.canonical)) != 1 or \
                    html.count(CANONICAL.format(now.canonical + url)) != 1:
                continue
            target = pages_dir / file.dest_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(target, raw)
            page = file.page
            links = page.links_to_anchors
            kept[uri] = _Entry(
                key=key, sha=hashlib.sha256(raw).hexdigest(), canonical=now.canonical,
                files=now.files, title=page.title, meta=_plain(page.meta),
                anchors=None if page.present_anchor_ids is None else
                sorted(page.present_anchor_ids),
                links=None if links is None else {
                    target_file.src_uri: dict(anchors) for target_file, anchors in links.items()})
        state = {"format": FORMAT, "layout": self.layout, "parts": self.parts,
                 "pages": {uri: asdict(entry) for uri, entry in kept.items()}}
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(self.folder / STATE, json.dumps(state).encode("utf-8"))
        self._prune(pages_dir, {files.get_file_from_path(u).dest_uri for u in kept})

    @staticmethod
    def _prune(pages_dir: Path, keep: set[str]) -> None:
        """Pages of an earlier build that this one no longer has."""
        if not pages_dir.is_dir():
            return
        for path in pages_dir.rglob("*"):
            if path.is_file() and path.relative_to(pages_dir).as_posix() not in keep:
                path.unlink()

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _write_atomically(target: Path, data: bytes) -> None:
    """A reader never finds half a file: a new file, then renamed over the old one."""
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as out:
        out.write(data)
    os.replace(out.name, target)


def _plain(meta: Any) -> dict[str, Any]:
    """A page's front matter as JSON keeps it (generated pages: title, hide, kind)."""
    try:
        return dict(json.loads(json.dumps(meta or {})))
    except (TypeError, ValueError):
        return {}


def layout_parts(config: Any, root: Path, files: list[GeneratedFile],
                 site_base: str) -> dict[str, str]:
    """Everything a page's HTML depends on besides its own inputs and the edition's
    addresses (see the module's docstring), as a digest for each part."""
    def sha(*items: Any) -> str:
        digest = hashlib.sha256()
        for item in items:
            digest.update(item if isinstance(item, bytes) else repr(item).encode())
            digest.update(b"\0")
        return digest.hexdigest()

    config_file = config.config_file_path
    theme = config.theme
    custom = theme.custom_dir
    return {
        "format": sha(FORMAT),
        "generator and engine": code_digest(),
        "site address": sha(site_base, os.environ.get(MIKE_VERSION_VAR) is not None),
        "mkdocs.yml": sha(Path(config_file).read_bytes() if config_file and
                          Path(config_file).is_file() else b""),
        "configuration": sha(*(f"{key}={config[key]!r}" for key in sorted(config)
                               if key not in UNHASHED)),
        "theme": sha(sorted((k, repr(theme[k])) for k in theme), list(theme.dirs),
                     folder_digest(Path(custom) if custom else None)),
        "plugins": sha(*(f"{name}={sorted((k, repr(v)) for k, v in plugin.config.items())}"
                         for name, plugin in config.plugins.items())),
        "docs/": folder_digest(Path(config.docs_dir)),
        "templates/": folder_digest(root / "templates"),
        "published files": sha(sorted(f.path for f in files)),
    }
