"""Both cores for the engine's page work: in a clean build of many pages, a forked child
converts and then writes every other page while this process does the rest.

The engine converts every page (Markdown to HTML), then renders every page with the theme and
writes it, in one process: at 1,000 explainers 3.2 s and 2.3 s of a 14 s build, the second
core idle (bench/README.md, session 6). For the length of one build the engine's two per-page
functions (``_populate_page`` and ``_build_page`` of its ``commands.build``, looked up by
``build()`` at each call) are wrapped: from the first call of each loop, forked children
(generator/forks.py) do the pages at odd positions, :data:`CHUNK` pages each, one after another
(``forks.Relay``: what a child comes to hold is given back as it ends), and this process skips
those pages. Between two of its own pages it takes what a finished child hands back and starts
the next; at the loop's last page it waits for the rest.

* **Converting**: a child hands back what each converted page carries, everything
  ``Page.read_source`` and ``Page.render`` set (Markdown, metadata, HTML, table of contents,
  title, the anchors it has and the anchors it links to), so navigation titles and the engine's
  anchor validation after the loop see every page as if it were converted here.
* **Writing**: a child renders its pages with the same theme, navigation and Jinja environment
  and writes them; this process lets go of their HTML once that child has ended.

The child's log records are handled by this process's loggers (a warning on any page fails a
strict build as before, and is shown once); an error on one of its pages stops the build with
the same exception. If this process fails first, the running child is stopped (``abandon``).

Only where it cannot change the site: a clean ``build`` (``explainer build``, ``mkdocs build``,
mike; never serve or ``--dirty``), at least :data:`MIN_PAGES` pages, two CPUs, ``fork``, and no
plugin besides ours acting on pages (one collecting per page, as Material's search or blog
plugins do, would see only half). ``EXPLAINER_PROCESSES=1`` turns it off.
tests/test_twocores.py builds sites both ways and compares them byte for byte.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import mkdocs as engine_package
from mkdocs.commands import build as engine_build
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from generator.forks import Relay, second_core

MIN_PAGES = 64  # below this a fork (about 10 ms) and the hand-back cost more than they save
CHUNK = 500  # pages per child (forks.Relay: each child's memory is given back as it ends)
# Plugin events run once per page: a plugin with one of these keeps per-page state.
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content",
               "page_context", "post_page")
NAME = "second page process"

log = logging.getLogger(f"{engine_package.__name__}.plugins.explainer")


def wanted(config: Any, plugin: object, files: Files) -> bool:
    """Whether this build may share its pages with a second process."""
    if not second_core():
        return False
    for event in PAGE_EVENTS:
        if any(getattr(method, "__self__", None) is not plugin
               for method in config.plugins.events[event]):
            return False
    return len(_pages(files)) >= MIN_PAGES


def _pages(files: Files) -> Sequence[File]:
    # The pages a clean build converts and writes, in its order (commands/build.py: `build`).
    return files.documentation_pages(inclusion=InclusionLevel.is_included)


class PageSplit:
    """One build's pages shared with children. For each page a child handled, ``converted`` is
    called once the page is taken back and ``written`` once the child that wrote it has ended:
    the plugin lets go there of what this process no longer needs (generator/adapters/release.py).
    """

    def __init__(self, config: Any, *, converted: Callable[[Page], None],
                 written: Callable[[Page], None]) -> None:
        self.config = config
        # The engine's functions as they were before begin() (a test or the bench may have
        # wrapped them too).
        self.real_populate: Callable[..., None] = engine_build._populate_page
        self.real_build: Callable[..., None] = engine_build._build_page
        self._after_conversion = converted
        self._after_writing = written
        self.theirs: frozenset[str] = frozenset()
        self.converting: Relay[File, list[tuple[str, dict[str, Any]]]] | None = None
        self.writing: Relay[File, list[str]] | None = None
        self.converted = 0  # pages the children converted, and wrote: for the log and tests
        self.written = 0
        self._last_converted: str | None = None
        self._last_written: str | None = None

    def populate(self, page: Page, files: Files, dirty: bool) -> None:
        if self._last_converted is None:
            order = _pages(files)
            share = list(order[1::2])
            self.theirs = frozenset(f.src_uri for f in share)
            self._last_converted = order[-1].src_uri
            self.converting = Relay(
                share, partial(_convert, self.real_populate, self.config, files),
                partial(self.take_conversions, files), size=CHUNK, name=NAME, logs=True,
                passes=(MkDocsException,))
        uri = page.file.src_uri
        if uri not in self.theirs:
            self.real_populate(page, self.config, files, dirty)
        assert self.converting is not None
        if uri == self._last_converted:
            self.converting.finish()
            self.converting = None
        else:
            self.converting.poll()

    def take_conversions(self, files: Files, converted: list[tuple[str, dict[str, Any]]]
                         ) -> None:
        for uri, state in converted:
            page = _page(files, uri)
            links = state.pop("links_to_anchors")
            for name, value in state.items():
                setattr(page, name, value)
            page.links_to_anchors = None if links is None else {
                _file(files, target): anchors for target, anchors in links.items()}
            self._after_conversion(page)
            self.converted += 1

    def write(self, page: Page, doc_files: Sequence[File], nav: Any, env: Any, dirty: bool,
              excluded: bool) -> None:
        if self._last_written is None:
            self._last_written = doc_files[-1].src_uri
            share = [f for f in doc_files if f.src_uri in self.theirs]
            self.writing = Relay(
                share, partial(_write, self.real_build, self.config, doc_files, nav, env),
                partial(self.take_written, {f.src_uri: f for f in share}), size=CHUNK,
                name=NAME, logs=True, passes=(MkDocsException,))
        uri = page.file.src_uri
        if uri not in self.theirs:
            self.real_build(page, self.config, doc_files, nav, env, dirty, excluded)
        assert self.writing is not None
        if uri == self._last_written:
            self.writing.finish()
            self.writing = None
            log.info("explainer: a second process converted %d and wrote %d of the pages",
                     self.converted, self.written)
        else:
            self.writing.poll()

    def take_written(self, files: dict[str, File], written: list[str]) -> None:
        # Only now: a page's HTML may go once the child that writes it has forked.
        for uri in written:
            page = files[uri].page
            assert isinstance(page, Page), uri
            self._after_writing(page)
        self.written += len(written)

    def abandon(self) -> None:
        for relay in (self.converting, self.writing):
            if relay is not None:
                relay.stop()
        self.converting = self.writing = None


def _page(files: Files, uri: str) -> Page:
    page = _file(files, uri).page
    assert isinstance(page, Page), uri
    return page


def _file(files: Files, uri: str) -> File:
    file = files.get_file_from_path(uri)
    assert file is not None, uri
    return file


# What Page.read_source and Page.render (and fastmd.render_page) set on a page.
_CONVERTED = ("markdown", "meta", "content", "toc", "_title_from_render", "present_anchor_ids")


def _convert(populate: Callable[..., None], config: Any, files: Files,
             share: list[File]) -> list[tuple[str, dict[str, Any]]]:
    """In the child: convert its pages, return what each carries (files named by path)."""
    done = []
    for file in share:
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)  # as `build` does for a page outside the navigation
        page = file.page
        assert isinstance(page, Page), file.src_uri
        populate(page, config, files, False)
        state = {name: getattr(page, name) for name in _CONVERTED}
        links = page.links_to_anchors
        state["links_to_anchors"] = None if links is None else {
            target.src_uri: anchors for target, anchors in links.items()}
        done.append((file.src_uri, state))
    return done


def _write(build_page: Callable[..., None], config: Any, doc_files: Sequence[File], nav: Any,
           env: Any, share: list[File]) -> list[str]:
    """In the child: render and write its pages."""
    for file in share:
        assert file.page is not None
        build_page(file.page, config, doc_files, nav, env, False,
                   excluded=file.inclusion.is_excluded())
    return [file.src_uri for file in share]


_current: PageSplit | None = None


def begin(config: Any, *, converted: Callable[[Page], None],
          written: Callable[[Page], None]) -> None:
    """From now until :func:`end`, the page loops of ``config``'s build are shared."""
    global _current
    end(failed=True)  # an earlier build stopped without ending (interrupted): forget it
    _current = PageSplit(config, converted=converted, written=written)
    engine_build._populate_page = _populate_page
    engine_build._build_page = _build_page


def end(*, failed: bool = False) -> None:
    """After the build: the engine's functions back; a child still running is stopped."""
    global _current
    split, _current = _current, None
    if split is None:
        return
    engine_build._populate_page = split.real_populate
    engine_build._build_page = split.real_build
    if failed:
        split.abandon()
    elif split.converting is not None or split.writing is not None:
        split.abandon()  # loops that did not reach their last page: not a build to trust
        raise MkDocsException("explainer: the page loops ended early; build again")


def _populate_page(page: Page, config: Any, files: Files, dirty: bool = False) -> None:
    split = _current
    assert split is not None  # installed by begin(), taken out by end()
    if config is not split.config:  # another build in this process (none runs beside one)
        split.real_populate(page, config, files, dirty)
    else:
        split.populate(page, files, dirty)


def _build_page(page: Page, config: Any, doc_files: Sequence[File], nav: Any, env: Any,
                dirty: bool = False, excluded: bool = False) -> None:
    split = _current
    assert split is not None
    if config is not split.config:
        split.real_build(page, config, doc_files, nav, env, dirty, excluded)
    else:
        split.write(page, doc_files, nav, env, dirty, excluded)
