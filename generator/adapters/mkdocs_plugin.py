"""The MkDocs adapter: content YAML in, generated pages and data out, on every build.

Registered as the ``explainer`` plugin (entry point in pyproject.toml), so ``mkdocs build``,
``mkdocs serve``, ``mike deploy`` and ``explainer build/serve`` all regenerate from content.

What it does, per build:

* ``on_config``: loads and checks the project once (or takes the project ``explainer build``
  already checked), generates every page and data file in memory (generator.render.site), sets
  the navigation unless mkdocs.yml has a ``nav``, enables the Markdown extensions the pages need,
  adds ``content/`` and ``charts/`` to ``watch`` and puts our theme overrides
  (``generator/adapters/theme``) just after the site's ``custom_dir``.
* ``on_files``: adds the generated files with ``File.generated`` (nothing is written to
  ``docs/``). A generated path that a hand-written page already has is an error: hand-written
  pages are never overwritten. A file in ``docs/`` that a browser would run (HTML, SVG, JS...)
  or that takes a path the theme or the generator publishes is an error too
  (generator/load/docsfiles.py).
* ``on_page_markdown``: a hand-written page's front matter, which the theme prints raw, is
  judged and escaped (generator/load/frontmatter.py).
* ``on_nav``: a clean build of many pages shares the engine's page loops with a forked child,
  one core each (``twocores.py``; ``on_post_build`` and ``on_build_error`` end it).
* ``on_pre_page``: a generated page is converted by cmark-gfm with the HTML Python-Markdown
  would give it (``fastmd.py``; ``EXPLAINER_MARKDOWN=python`` turns this off); hand-written
  pages in ``docs/`` keep MkDocs' full Markdown.
* ``on_page_content``: one "jump back" arrow per footnote and the HTML allow-list backstop
  (``page_html.py``).
* ``on_post_page``: the finished page, template included, may not run script or load from
  another host (generator/check/page_guard.py): a build error otherwise.
* ``on_page_context``: gives the theme override the page's escaped head metadata and the
  feeds to link (``<link rel="alternate">``).
* ``on_post_build``: site search, Pagefind's index of the written site
  (``search_index.py``; ``explainer serve`` indexes in the background instead).

Feeds and social cards use ``site_url`` as the engine leaves it after ``on_config``: in an
edition build mike (listed first) appends its canonical version, and this plugin makes that
``<site_url>latest/`` for an edition deployed as ``latest`` and ``<site_url><version>/`` for any
other (``edition.edition_site_url``): the same canonical address ``<link rel="canonical">``,
``og:url`` and the sitemap name.

This module holds the hooks and the config wiring only: the navigation is built by
``sitenav.py``, the preview's change signature and error pages live in ``preview.py``.

**Asset hook**: every file under ``generator/adapters/assets/`` is published at
``assets/explainer/<relative path>``; ``.css`` files are appended to ``extra_css`` and ``.js``
files to ``extra_javascript`` (in sorted order), so stages can ship browser code by dropping a
file there.

In ``serve`` mode, content errors do not stop the preview: every page shows the error list
instead, and the next good edit brings the pages back. With dirty builds (``explainer serve``),
MkDocs re-renders only the pages an edit changed (generator/adapters/incremental.py:
``on_pre_build``, ``on_nav``, ``on_post_build`` and ``on_build_error`` serve that), and the
generator makes again only the pages and records the edit affects (generator/render/reuse.py).
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from typing import Any, cast

import mkdocs as engine_package
from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils.templates import TemplateContext

from generator.adapters import html_space, theme_unused, twocores
from generator.adapters.edition import MIKE_VERSION_VAR, current_edition, edition_site_url
from generator.adapters.fastmd import FastConfig, fast_config, render_page
from generator.adapters.incremental import (
    Incremental,
    drop_dirty_warning,
    folder_state,
    layout_key,
    search_plugin,
)
from generator.adapters.page_html import (
    configured_hosts,
    finished_page_problems,
    rewrite_page_html,
)
from generator.adapters.pagecache import Addresses, PageCache
from generator.adapters.preview import content_signature, error_site, not_strict_this_build
from generator.adapters.release import before_search, drop_html, drop_source, written_static
from generator.adapters.search_index import (
    BUNDLE_DIR,
    SearchIndexError,
    build_search_index,
    preview_search,
)
from generator.adapters.sitenav import build_nav, nav_paths, plain_title, with_title
from generator.adapters.theme_files import ThemeFiles
from generator.check.incremental import CheckState
from generator.check.run import check_project
from generator.errors import printable
from generator.load.docsfiles import docs_file_problem
from generator.load.frontmatter import (
    front_matter_problems,
    key_line,
    plain_text,
    safe_front_matter,
)
from generator.load.model import Project
from generator.load.paths import output_dir_problem
from generator.load.project import ParseCache
from generator.load.urls import is_http_url
from generator.render.feeds import feed_links
from generator.render.head import description_tag, head_html
from generator.render.output import PageMeta, SiteInfo
from generator.render.reuse import Reuse
from generator.render.site import DeferredFile, SiteOutput, generate_site
from generator.resolve.format import time_zone

# "properdocs" when ProperDocs answers the mkdocs imports: the engine counts warnings (strict
# mode) on its own logger tree, so ours must hang below that one.
ENGINE_LOGGER = engine_package.__name__
log = logging.getLogger(f"{ENGINE_LOGGER}.plugins.explainer")
HERE = Path(__file__).parent
THEME_DIR = HERE / "theme"
ASSETS_DIR = HERE / "assets"
ASSET_PREFIX = "assets/explainer"
# Markdown extensions the generated pages rely on (footnotes carry every citation).
REQUIRED_EXTENSIONS = ("footnotes", "tables", "attr_list", "md_in_html", "toc")
LINEAR_FOOTNOTES = "generator.adapters.footnotes"


class ExplainerConfig(Config):
    root = c.Optional(c.Dir(exists=True))  # project folder; default: mkdocs.yml's folder
    nav = c.Type(bool, default=True)  # set the navigation when mkdocs.yml has none
    # Explainers listed in the navigation (newest first); the home page lists every one. A nav
    # of 1,000 pages rendered into every page is most of MkDocs' build time.
    nav_latest = c.Type(int, default=20)
    nav_tags = c.Type(int, default=20)  # tag pages in the nav, when there are at most this many
    # A 1200x630 PNG per explainer for shared links (painted in milliseconds); off: pages name
    # no og:image and keep the small Twitter card.
    social_cards = c.Type(bool, default=True)


class ExplainerPlugin(BasePlugin[ExplainerConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False
        self.preloaded: Project | None = None  # handed over by explainer build (checked)
        self.output: SiteOutput | None = None
        self.meta: dict[str, PageMeta] = {}
        self.site = SiteInfo()
        self._signature: tuple[Any, ...] | None = None
        self.showing_errors = False
        self.nav_paths: set[str] | None = None
        # Across serve rebuilds only the files that changed are parsed and validated again.
        self.cache = ParseCache()
        self.check_state = CheckState()  # ...and judged again (generator/check/incremental.py)
        self.incremental = Incremental()
        # The preview makes again only the pages and records an edit affects (reuse.py).
        self.reuse = Reuse()
        self.theme_files = ThemeFiles()  # the theme's static files, listed once (theme_files.py)
        self.fast: FastConfig | None = None  # generated pages' fast Markdown (fastmd.py)
        # A clean build lets go of each file once MkDocs has it (release.py); `explainer build
        # --keep-markdown` keeps the generated files' content to write them afterwards.
        self.keep_output = False
        self.index_later = False  # the caller runs the search index after the build
        # An edition build reuses the pages of the last one that did not change (pagecache.py).
        self.page_cache: PageCache | None = None
        self._files: Files | None = None

    # MkDocs keeps a plugin with on_startup alive across serve rebuilds, so the cache survives.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty
        # `explainer serve` previews with dirty builds: only pages whose source changed are
        # rendered again (generator/adapters/incremental.py). Published builds stay clean.
        self.incremental.enabled = command == "serve" and dirty
        if self.incremental.enabled:
            drop_dirty_warning()

    def root(self, config: Any) -> Path:
        if self.config.root:
            return Path(self.config.root).resolve()
        return Path(config.config_file_path or ".").resolve().parent

    def on_config(self, config: Any) -> Any:
        self.nav_paths = None
        if self.command == "serve":
            preview_search.stop()  # the preview's search indexer yields to the rebuild
        root = self.root(config)
        # `mkdocs build` and mike empty site_dir first: never when it would hold the project
        # (mkdocs.yml's site_dir or EXPLAINER_SITE_DIR pointing at `.` or content/).
        problem = output_dir_problem(root, Path(config.site_dir))
        if problem:
            raise PluginError(f"site_dir {printable(str(config.site_dir))} {problem}: choose a "
                              "folder outside the project's content, docs and .git (default: "
                              "site/)")
        # What mkdocs.yml itself names must lie inside the project (generator/load/paths.py).
        if config.config_file_path:
            from generator.adapters.mkdocs_run import config_dir_problems

            refused = config_dir_problems(Path(config.config_file_path))
            if refused:
                raise PluginError("\n".join(refused))
        self._theme(config)
        if self.command == "serve":
            custom = config.theme.custom_dir
            self.theme_files.install(config, tuple(folder_state(Path(custom) if custom else None)))
        self._extensions(config)
        # EXPLAINER_MARKDOWN=python converts generated pages with Python-Markdown too (the
        # equivalence test and the bench compare both).
        self.fast = None if os.environ.get("EXPLAINER_MARKDOWN") == "python" else \
            fast_config(config.markdown_extensions, config.mdx_configs)
        self._assets(config)
        for folder in ("content", "charts"):
            path = str(root / folder)
            if (root / folder).is_dir() and path not in config.watch:
                config.watch.append(path)
        mike_made = config.site_url or ""
        config.site_url = edition_site_url(mike_made, mike_suffix(config)) or config.site_url
        self.site = site_info(config, edition_site_url(mike_made, mike_suffix(config), own=True))
        # The writer's templates: every page depends on them (walked once per build).
        templates = folder_state(root / "templates")
        self.output = self._generate(root, templates)
        if self.showing_errors:
            not_strict_this_build(ENGINE_LOGGER)
        self.meta = {f.path: f.page for f in self.output.files if f.page is not None}
        if self.showing_errors:
            # Every page shows the same error list: one entry, not a tab per page that would
            # repeat "Content has errors"; the explainers' addresses still show it.
            config.nav = ["index.md"]
            self.nav_paths = {"index.md"}
        elif self.config.nav and not config.nav:
            config.nav = self._nav(config)
        self.incremental.start(layout_key(
            config, self.output.files, folders=[THEME_DIR, ASSETS_DIR],
            extra=(templates, self.showing_errors, sorted(self.nav_paths or ()))),
            self.output.files)
        if self.page_cache is not None:
            self.page_cache.start(config, root, self.output.files,
                                  site_base(self.site.url or "", mike_suffix(config)))
        return config

    def on_pre_build(self, *, config: Any) -> None:
        self.incremental.pre_build(config)

    def _generate(self, root: Path, templates: list[tuple[str, int, int]]) -> SiteOutput:
        self.showing_errors = False
        project = self.preloaded
        self.preloaded = None
        signature = content_signature(root) if project is None else None
        if project is None and self.output is not None and signature == self._signature:
            return self.output  # serve rebuild with no content change
        if project is None:
            project, diagnostics = check_project(root, cache=self.cache,
                                                 state=self.check_state)
            errors = diagnostics.errors
            if errors:
                if self.command == "serve":
                    self._signature = None
                    self.showing_errors = True
                    self.reuse.reset()
                    return error_site(project, diagnostics)
                raise PluginError(
                    f"explainer: content has {len(errors)} error(s); run `explainer check`:\n"
                    + "\n".join(d.format() for d in errors))
        edition = current_edition(root)
        if self.command != "serve":
            output = generate_site(project, edition=edition, static_charts=True, site=self.site,
                                   cards=self.config.social_cards, defer_data=self.releasing)
        else:
            self.reuse.start(project, (edition.version, edition.previous_version, templates,
                                       self.site))
            try:
                output = generate_site(project, edition=edition, static_charts=False,
                                       site=self.site, cards=self.config.social_cards,
                                       reuse=self.reuse)
            except BaseException:
                self.reuse.reset()
                raise
            self.reuse.finish(project)
        self._signature = signature
        return output

    def _theme(self, config: Any) -> None:
        dirs = config.theme.dirs
        if str(THEME_DIR) not in dirs:
            custom = config.theme.custom_dir
            index = 1 if custom and dirs and Path(dirs[0]) == Path(custom).resolve() else 0
            dirs.insert(index, str(THEME_DIR))

    def _extensions(self, config: Any) -> None:
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        # The same footnotes, numbering repeated references in constant time (footnotes.py).
        extensions = config.markdown_extensions
        if "footnotes" in extensions:
            extensions[extensions.index("footnotes")] = LINEAR_FOOTNOTES
            config.mdx_configs[LINEAR_FOOTNOTES] = config.mdx_configs.pop("footnotes", {})

    def _assets(self, config: Any) -> None:
        for path in _asset_files():
            uri = f"{ASSET_PREFIX}/{path.relative_to(ASSETS_DIR).as_posix()}"
            target = {".css": config.extra_css, ".js": config.extra_javascript}.get(path.suffix)
            if target is not None and uri not in [str(x) for x in target]:
                target.append(uri)

    def _nav(self, config: Any) -> list[Any]:
        assert self.output is not None
        nav = build_nav(self.output.files, Path(config.docs_dir),
                        latest=self.config.nav_latest, max_tags=self.config.nav_tags)
        self.nav_paths = set(nav_paths(nav))
        return nav

    def on_files(self, files: Files, *, config: Any) -> Files:
        assert self.output is not None
        if self.releasing:  # this output gives its content away below: never reuse it
            self._signature = None
        _refuse_docs_files(files, config)
        theme_unused.drop_unused(files, search_plugin(config) is not None, config.docs_dir)
        for generated in self.output.files:
            existing = files.get_file_from_path(generated.path)
            if existing is not None and not existing.generated_by:
                raise PluginError(
                    f"explainer: docs/{generated.path} is a hand-written page, but the generator "
                    f"makes {generated.path}: rename or remove the hand-written page (it is never "
                    "overwritten), or change the explainer slug")
            # Generated pages left out of our nav are reachable from Home and Tags: no warning.
            inclusion = InclusionLevel.NOT_IN_NAV if self.nav_paths is not None and \
                generated.path not in self.nav_paths else InclusionLevel.UNDEFINED
            if self.releasing and not generated.is_page:
                file = written_static(config, generated, inclusion)
            else:
                markdown = with_title(generated)
                file = File.generated(config, generated.path, content=markdown,
                                      inclusion=inclusion)
                if self.page_cache is not None:
                    self.page_cache.consider(file, generated, markdown)
            if self.releasing and not self.keep_output and \
                    not isinstance(generated, DeferredFile):
                generated.content = ""  # MkDocs has its own copy, or the site has the file
            self.incremental.mark_unchanged(file, generated)
            files.append(file)
        for path in _asset_files():
            uri = f"{ASSET_PREFIX}/{path.relative_to(ASSETS_DIR).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        self.incremental.restore_titles(nav)
        _sitemap_dates(files, self.meta)
        self._files = files
        if self.page_cache is not None:
            self.page_cache.restore(files)
        # The last hook before the engine converts pages: both cores for a clean build's
        # pages from here on (twocores.py); not when most pages come from the page cache.
        if self.command == "build" and not self.dirty and twocores.wanted(config, self, files) \
                and not (self.page_cache is not None and self.page_cache.reused):
            twocores.begin(config, converted=self._released_source,
                           written=self._released_html)
        return nav

    def _released_source(self, page: Any) -> None:
        if self.releasing and page.file.src_uri in self.meta:
            drop_source(page)

    def _released_html(self, page: Any) -> None:
        if self.releasing and page.file.src_uri in self.meta:
            drop_html(page)

    def on_env(self, env: Any, *, config: Any, files: Files) -> Any:
        return self.incremental.env(env)

    def on_pre_page(self, page: Any, *, config: Any, files: Files) -> Any:
        # Generated pages only: hand-written ones in docs/ keep MkDocs' full Markdown.
        if self.fast is not None and page.file.src_uri in self.meta:
            page.render = functools.partial(render_page, page, fc=self.fast)
        return page

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Files) -> str:
        # A hand-written page's front matter is printed by the theme (raw, in Material's nav,
        # header and tabs): names must be plain names, text is escaped (generator/load/
        # frontmatter.py). In a build of many pages this may run in twocores' child, which
        # hands `meta` back.
        if page.file.src_uri not in self.meta and page.meta:
            _refuse_front_matter(page, config)
            page.meta = safe_front_matter(page.meta)
        return markdown

    @property
    def releasing(self) -> bool:
        """A clean build: memory is let go as the build goes (release.py); the preview keeps
        its files to compare the next rebuild's with. ``EXPLAINER_RELEASE=off`` keeps
        everything to the end, as MkDocs alone does (tests/test_release.py compares both)."""
        return self.command != "serve" and os.environ.get("EXPLAINER_RELEASE") != "off"

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Files) -> str:
        self._released_source(page)
        meta = self.meta.get(page.file.src_uri)
        html, removed = rewrite_page_html(html, meta.note_labels if meta else None)
        if removed:  # a bug upstream to fix: a warning, so strict builds fail
            log.warning("explainer: removed unsafe HTML from %s: %s", page.file.src_uri,
                        "; ".join(removed))
        return html

    @event_priority(-50)  # after the search plugin indexed the page
    def on_page_context(self, context: TemplateContext, *, page: Any, config: Any,
                        nav: Any) -> TemplateContext:
        self.incremental.page_built(page, search_plugin(config))
        meta = self.meta.get(page.file.src_uri)
        front = page.meta or {}
        # A hand-written page's front matter is escaped (on_page_markdown): its text, here.
        title = meta.title if meta else plain_text(front.get("title")) or \
            plain_title(page.title)
        fallback = plain_text(front.get("description")) or config.site_description
        site_name = config.site_name
        full_title = site_name if page.is_homepage or not title else f"{title} - {site_name}"
        # Our own keys for the theme overrides, beside the engine's typed ones.
        ours = cast("dict[str, Any]", context)
        ours["explainer_title"] = escape(full_title)
        ours["explainer_description"] = description_tag(meta, fallback)
        ours["explainer_head"] = self._head(meta, title=title or site_name, site_name=site_name,
                                            canonical=page.canonical_url, fallback=fallback,
                                            files_url=self.site.files, home=self.site.url)
        ours["explainer_feeds"] = [] if self.showing_errors else feed_links(self.site)
        return context

    @event_priority(-100)  # after every other plugin saw the page
    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        self._released_html(page)
        # The page as the reader's browser gets it: what the theme printed around the guarded
        # content (titles, navigation, table of contents) may not run script either.
        found = finished_page_problems(output, configured_hosts(config))
        if found:
            raise PluginError(
                f"explainer: the page made of {page.file.src_uri} would run script or load from "
                "another host in the reader's browser: " + "; ".join(found[:10]) + "; remove "
                "the markup from the page (its front matter, headings or HTML)")
        return html_space.tighten(output)  # the theme's blank lines and indentation

    @event_priority(50)  # before the search plugin writes its index
    def on_post_build(self, *, config: Any) -> None:
        assert self.output is not None
        twocores.end()
        self.incremental.post_build(self.output.files, search_plugin(config))
        if self.page_cache is not None and self._files is not None:
            self.page_cache.write_reused(
                Path(config.site_dir), self._files,
                Addresses(canonical=self.site.url or "", files=self.site.files_url),
                functools.partial(self.head_for, config), dict(self.meta))
        if self.command != "serve" and not self.showing_errors:
            if self.releasing and not self.keep_output:
                self.meta = {}
                before_search(self.output)
            # Site search (generator/adapters/search_index.py): indexes the written site,
            # unless `explainer build` does it once its build process has ended (mkdocs_run.py),
            # so the two never hold memory at once.
            if not self.index_later:
                try:
                    pages = build_search_index(Path(config.site_dir))
                except SearchIndexError as err:
                    raise PluginError(f"explainer: {err}") from err
                log.info("explainer: search index of %d pages written to %s/", pages,
                         BUNDLE_DIR)
        elif self.command == "serve" and not self.showing_errors:  # in the background
            preview_search.schedule(Path(config.site_dir))

    def head_for(self, config: Any, meta: PageMeta, home: str, url: str, files_url: str) -> str:
        """The head block on_page_context gives a generated page at ``url`` of the site whose
        canonical address is ``home`` (for the page cache)."""
        site_name = config.site_name
        return self._head(meta, title=meta.title or site_name, site_name=site_name,
                          canonical=home + url, fallback=config.site_description,
                          files_url=files_url, home=home)

    def _head(self, meta: PageMeta | None, *, title: str, site_name: str, canonical: str | None,
              fallback: str, files_url: str | None, home: str | None) -> str:
        """One place makes the head block, so the page cache makes over exactly what a page
        was rendered with: every address of this edition's files in it (pictures, the
        publisher's logo) comes from ``files_url``, and the site's canonical one from
        ``home``."""
        assert self.site is not None
        logo = files_url + self.site.logo if files_url and self.site.logo else None
        return head_html(meta, title=title, site_name=site_name, canonical=canonical,
                         fallback_description=fallback, site_url=files_url, home=home,
                         logo=logo, time_zone=self.site.time_zone)

    def on_build_error(self, *, error: Exception) -> None:
        twocores.end(failed=True)
        self.incremental.failed()
        self.reuse.reset()


def mike_suffix(config: Any) -> str | None:
    """What mike's ``on_config`` appended to ``site_url`` in an edition build (None: no mike)."""
    mike_plugin = config.plugins.get("mike")
    version = os.environ.get(MIKE_VERSION_VAR)
    if mike_plugin is None or not version:
        return None
    return str(mike_plugin.config.get("canonical_version") or version)


def site_base(canonical: str, suffix: str | None) -> str:
    """The site's address without the edition folder an edition build adds to it."""
    if not suffix or not canonical:
        return canonical
    return canonical.rstrip("/").rsplit("/", 1)[0] + "/"


def site_info(config: Any, files_url: str | None = None) -> SiteInfo:
    """The site's name and absolute canonical address (with a trailing slash), for feeds and
    social cards; no address when ``site_url`` is unset or not http(s). ``files_url``: where
    this edition's own files are (SiteInfo.files_url)."""
    def absolute(value: str) -> str | None:
        if value and not value.endswith("/"):
            value += "/"  # mike sets "<site_url>latest", without the slash
        return value if is_http_url(value) else None

    url = absolute(str(config.site_url or ""))
    files = absolute(files_url or "")
    return SiteInfo(name=str(config.site_name), url=url,
                    description=str(config.site_description or ""),
                    directory_urls=bool(config.use_directory_urls),
                    files_url=files if files and files != url else None,
                    time_zone=_time_zone(config), logo=_logo(config))


def _time_zone(config: Any) -> str:
    """mkdocs.yml's ``extra.time_zone`` (default UTC): an IANA name, or a build error."""
    name = (config.extra or {}).get("time_zone") or "UTC"
    if not isinstance(name, str) or time_zone(name) is None:
        raise PluginError(f"mkdocs.yml: extra.time_zone {printable(str(name))!r} is not a time "
                          "zone name: write the newsroom's IANA zone, e.g. America/New_York "
                          "(or leave it out for UTC)")
    return name


def _logo(config: Any) -> str | None:
    """The site's logo picture (theme.logo, else the favicon), a path inside the site."""
    for key in ("logo", "favicon"):
        value = config.theme.get(key)
        if isinstance(value, str) and value.lower().endswith((".png", ".jpg", ".jpeg", ".webp",
                                                              ".svg", ".gif")) \
                and "://" not in value and not value.startswith("/"):
            return value
    return None


def _sitemap_dates(files: Files, meta: dict[str, PageMeta]) -> None:
    """The sitemap's ``lastmod`` (MkDocs prints ``page.update_date``, the build date by
    default) is the day an explainer was last updated or published, and is left out for pages
    with no such day: a build date claims every page changed today, and so made each edition
    publish a new sitemap of the whole site."""
    pages = [f.page for f in files.documentation_pages() if f.page is not None]
    known = [meta.get(page.file.src_uri) for page in pages]
    days = [(m.updated or m.published or "") if m else "" for m in known]
    # The engine also dates sitemap.xml.gz by the newest page: with no explainer dated (none
    # yet, or the preview showing errors), every page keeps the build date.
    if any(days):
        for page, day in zip(pages, days, strict=True):
            page.update_date = day


def _refuse_front_matter(page: Any, config: Any) -> None:
    """A build error for front matter a page in docs/ may not publish (path:line: message)."""
    problems = front_matter_problems(page.meta)
    icon = page.meta.get("icon")
    if not problems and isinstance(icon, str) and not any(
            (Path(folder) / ".icons" / f"{icon}.svg").is_file() for folder in config.theme.dirs):
        problems = [("icon", f"`icon:` names no icon of the theme: {printable(icon)}; pick "
                             "one from the theme's icon set (material/..., fontawesome/...)")]
    if not problems:
        return
    path = page.file.abs_src_path
    try:
        source = Path(path).read_text(encoding="utf-8-sig") if path else ""
    except (OSError, UnicodeDecodeError):
        source = ""
    where = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
    raise PluginError("explainer: front matter a page may not publish:\n" + "\n".join(
        f"{where}:{key_line(source, key)}:1: error: {message}" for key, message in problems))


def _refuse_docs_files(files: Files, config: Any) -> None:
    """A build error for a file in docs/ that would run in a reader's browser, or take a path
    the theme or the generator publishes (generator/load/docsfiles.py)."""
    docs = Path(config.docs_dir).resolve()
    folder = Path(config.docs_dir).name
    found = []
    for file in files:
        if file.generated_by or not file.abs_src_path or file.inclusion.is_excluded() or \
                not Path(file.abs_src_path).resolve().is_relative_to(docs):
            continue  # not from docs/, or not published (exclude_docs)
        problem = docs_file_problem(file.src_uri, file.dest_uri)
        if problem is None and any((Path(theme) / file.dest_uri).is_file()
                                   for theme in config.theme.dirs):
            problem = (f"the theme publishes {file.dest_uri}, and a file from {folder}/ would "
                       "replace it on every page; move or rename it")
        if problem:
            found.append(f"{folder}/{printable(file.src_uri)}: error: {problem}")
    if found:
        raise PluginError("explainer: files in docs/ the site may not publish:\n"
                          + "\n".join(found))


def _asset_files() -> list[Path]:
    if not ASSETS_DIR.is_dir():
        return []
    return sorted(p for p in ASSETS_DIR.rglob("*")
                  if p.is_file() and not p.name.startswith(".") and "__pycache__" not in p.parts)
