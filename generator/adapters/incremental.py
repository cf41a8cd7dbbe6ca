"""Incremental live preview: after an edit, MkDocs re-renders only the pages whose source changed.

``explainer serve`` runs MkDocs' serve with ``build_type="dirty"``. In a dirty build MkDocs reads
and renders only the files whose ``is_modified()`` is true; every ``File.generated`` page says it
is modified, so on its own a dirty build still renders every page. This module decides, per
rebuild, whether that may be narrowed:

* A page's HTML depends on its own source, its head metadata, the navigation (rendered into
  every page: set of pages, titles, order), the theme and mkdocs.yml. When everything but the
  page sources is the same as at the last successful build (the *layout key*), a generated file
  whose content and metadata are byte-identical to last time is marked not modified: MkDocs skips
  it and its HTML from the last build stays in the site folder.
* Otherwise (first build, new or removed page, a title, mkdocs.yml, docs/, templates/, theme
  overrides, content errors shown or fixed, a failed build) the site folder is emptied and
  everything is built, as a clean build would.

Pages MkDocs skips are not read, so their titles and front matter are unknown to the nav of the
pages that are rebuilt: they are restored from the last build. The search index is kept whole:
entries of skipped pages are carried over, in the order a clean build writes them.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from generator.adapters.engine import LOGGERS
from generator.render.output import GeneratedFile
from generator.render.pages import CompiledTemplates

DIRTY_WARNING = "A 'dirty' build is being performed"
STATIC_PAGES = ("404.html", "sitemap.xml")  # sitemap.xml.gz is written with sitemap.xml


class _DropDirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build; with ``strict: true`` that warning aborts the build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)


def drop_dirty_warning() -> None:
    for engine in LOGGERS:  # ProperDocs logs under its own name
        logger = logging.getLogger(f"{engine}.commands.build")
        if not any(isinstance(f, _DropDirtyWarning) for f in logger.filters):
            logger.addFilter(_DropDirtyWarning())


def folder_state(folder: Path | None) -> list[tuple[str, int, int]]:
    """Every file under ``folder`` with its mtime and size (a change to any shows)."""
    if folder is None or not folder.is_dir():
        return []
    return [(str(p), p.stat().st_mtime_ns, p.stat().st_size)
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]


def layout_key(config: Any, files: list[GeneratedFile], *, folders: list[Path],
               extra: tuple[Any, ...]) -> str:
    """Everything besides a page's own source that its HTML depends on, as a digest."""
    digest = hashlib.sha256()
    config_file = config.config_file_path
    if config_file and Path(config_file).is_file():
        digest.update(Path(config_file).read_bytes())
    custom = config.theme.custom_dir
    for folder in [Path(config.docs_dir), *(Path(custom) for d in [custom] if d), *folders]:
        digest.update(repr(folder_state(folder)).encode())
    digest.update(repr(config.nav).encode())
    # Titles are in the nav of every page; the rest of a page's metadata is its own. Data files
    # (charts are named by their content's hash) are nobody else's concern.
    digest.update(repr([(f.path, f.page.title if f.page else None)
                        for f in files if f.is_page]).encode())
    digest.update(repr(extra).encode())
    return digest.hexdigest()


class Incremental:
    """State kept across serve rebuilds (the plugin lives as long as the server)."""

    def __init__(self) -> None:
        self.enabled = False
        # MkDocs makes a new Jinja environment for every build, which compiles Material's page
        # templates again (about a quarter of a second a rebuild): compiled once per session.
        self.templates = CompiledTemplates()
        self.key: str | None = None  # layout key of the last successful build
        self.contents: dict[str, tuple[Any, Any]] = {}  # generated path -> (content, PageMeta)
        self.pages: dict[str, tuple[Any, dict[str, Any]]] = {}  # src_uri -> (title, meta)
        self.entries: dict[str, list[Any]] = {}  # src_uri -> search index entries
        self.partial = False  # this build renders only what changed
        self._pending_key: str | None = None
        self._paths: set[str] = set()
        self._seen = 0

    def start(self, key: str, files: list[GeneratedFile]) -> None:
        """on_config: decide between a partial and a full rebuild."""
        self._pending_key = key
        self._paths = {f.path for f in files}
        self.partial = self.enabled and self.key is not None and key == self.key
        self._seen = 0

    def pre_build(self, config: Any) -> None:
        if self.enabled and not self.partial:
            from mkdocs.utils import clean_directory

            clean_directory(config.site_dir)  # stale pages of removed explainers go too
            self.pages.clear()
            self.entries.clear()
        elif self.partial:  # a data file no longer generated (an old chart) must go too
            for path in sorted(set(self.contents) - self._paths):
                stale = Path(config.site_dir, path)
                if not path.endswith(".md") and stale.is_file():
                    stale.unlink()
            # The theme's static pages (404.html with the whole navigation, sitemap.xml listing
            # every page) depend on the layout only, which a partial build keeps: the last
            # build's stay. MkDocs renders them on every build otherwise.
            templates = config.theme.static_templates
            for name in STATIC_PAGES:
                if name in templates and Path(config.site_dir, name).is_file():
                    templates.discard(name)

    def env(self, env: Any) -> Any:
        """on_env: the theme's templates compiled by an earlier build are reused."""
        if self.enabled:
            env.bytecode_cache = self.templates
        return env

    def mark_unchanged(self, file: Any, generated: GeneratedFile) -> None:
        """on_files: a generated file identical to the last build's is not built again."""
        if self.partial and self.contents.get(generated.path) == (generated.content,
                                                                  generated.page):
            file.is_modified = _unmodified

    def restore_titles(self, nav: Any) -> None:
        """on_nav: pages MkDocs will not read keep the title and meta they had."""
        if not self.partial:
            return
        for page in nav.pages:
            if not page.file.is_modified() and page.file.src_uri in self.pages:
                title, meta = self.pages[page.file.src_uri]
                page.title = title
                page.meta = dict(meta)

    def page_built(self, page: Any, search: Any) -> None:
        """on_page_context, after the search plugin indexed the page."""
        if not self.enabled:
            return
        self.pages[page.file.src_uri] = (page.title, dict(page.meta or {}))
        if search is not None:
            entries = search.search_index.entries
            self.entries[page.file.src_uri] = entries[self._seen:]
            self._seen = len(entries)

    def post_build(self, output_files: list[GeneratedFile], search: Any) -> None:
        """on_post_build, before the search plugin writes its index."""
        if not self.enabled:
            return
        if search is not None:
            # Pages keep the position of their first build: the order of a clean build.
            search.search_index.entries = [e for es in self.entries.values() for e in es]
            search.search_index_prev = None
        self.contents = {f.path: (f.content, f.page) for f in output_files}
        self.key = self._pending_key

    def failed(self) -> None:
        """A failed build may have left anything behind: the next one builds everything."""
        self.key = None
        self.partial = False


def _unmodified() -> bool:
    return False


def search_plugin(config: Any) -> Any:
    for plugin in config.plugins.values():
        if hasattr(plugin, "search_index") and hasattr(plugin, "search_index_prev"):
            return plugin
    return None
