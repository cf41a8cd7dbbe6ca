"""Site search: Pagefind indexes the built HTML into a chunked index under ``pagefind/``.

Why Pagefind and not Material's search plugin: Material's search downloads one index of the
whole site on every page (4.1 MB, 296 KB gzip at 1,000 explainers, growing with the site).
Pagefind splits its index into chunks and a reader's search fetches only the chunks and
result fragments that query needs, from the site itself (no third-party request), so it works
offline, in every mike edition (the bundle path is relative) and at any size.

Called by the explainer plugin's ``on_post_build`` for ``mkdocs build`` and ``explainer
deploy`` (mike's build), and by ``explainer build`` once its build process has ended (before
the new site is swapped in: generator/publish/build.py). Only the page
content marked ``data-pagefind-body`` (theme override main.html) is indexed, not the navigation
repeated on every page.

The live preview (``explainer serve``) never waits for it: Pagefind has no way to update one
page of an index, and indexing a whole site of 1,000 explainers takes seconds, far more than
the rebuild after an edit. :class:`PreviewSearch` indexes the served site in the background
instead, once rebuilds have stopped for :data:`PREVIEW_DELAY` seconds, at low priority, into a
folder beside the site that then replaces ``pagefind/``: the search page works in the preview,
with results at most a few seconds older than the pages. A rebuild during an indexing run
stops it (its result would be stale) and starts the wait again.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

BUNDLE_DIR = "pagefind"  # under the site root; the search page loads it from there
TIMEOUT = 900  # seconds; about 10 s for 2,000 explainers on 2 cores
# Left out of the index: whole pages marked by the theme (main.html says which), and within
# pages what is not words of the story.
EXCLUDED = ("[data-explainer-unsearched]", ".headerlink", ".footnote-ref", ".footnote-backref",
            ".explainer-meta")


class SearchIndexError(RuntimeError):
    pass


def pagefind_executable() -> Path:
    try:
        from pagefind_bin import get_executable
    except ImportError as err:  # an install without the pinned pagefind[bin]
        raise SearchIndexError("the search indexer is missing: install the project again "
                               "(`make .venv/.test` or `pip install -e .`), which installs "
                               "pagefind[bin]") from err
    return Path(get_executable())


def _command(site_dir: Path, output: Path | None = None) -> list[str]:
    where = ["--output-path", str(output)] if output else ["--output-subdir", BUNDLE_DIR]
    return [str(pagefind_executable()), "--site", str(site_dir), *where,
            # Pages the theme leaves out (a page whose body is excluded is not indexed at
            # all); heading permalinks ("¶"), footnote markers and their "↩" links; an
            # explainer's byline, dates and reading time (every result's snippet started
            # "Byline not known...").
            *[arg for selector in EXCLUDED for arg in ("--exclude-selectors", selector)]]


def build_search_index(site_dir: Path) -> int:
    """Index ``site_dir`` in place; returns the number of pages indexed."""
    command = _command(site_dir)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,
                              check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise SearchIndexError(f"the search indexer (pagefind) did not run: {err}") from err
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-10:])
        raise SearchIndexError(f"the search indexer (pagefind) failed:\n{tail}")
    return _indexed_pages(done.stdout)


def _indexed_pages(log: str) -> int:
    for line in log.splitlines():
        words = line.strip().split()
        # "Indexed 2,431 pages"
        if len(words) >= 3 and words[0] == "Indexed" and words[2].startswith("page"):
            return int(words[1].replace(",", ""))
    return 0


PREVIEW_DELAY = 2.0  # seconds without a rebuild before the preview's site is indexed


class PreviewSearch:
    """The live preview's search index, made in the background (see the module docstring).

    All of it (Pagefind, swapping the folders, deleting the old index) runs in a child process
    (``python -m generator.adapters.search_index SITE``): deleting thousands of index files
    from a thread of the server held the interpreter's lock long enough to slow the next
    rebuild by seconds at 1,000 explainers."""

    def __init__(self, delay: float = PREVIEW_DELAY) -> None:
        self.enabled = False  # `explainer serve` turns it on; plain in-process builds do not
        self.delay = delay
        self.runs = 0  # finished indexing runs, for tests
        self.pages = 0  # pages the last finished run indexed
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._process: subprocess.Popen[str] | None = None
        self._generation = 0

    def schedule(self, site_dir: Path) -> None:
        """After a preview build: index the site once builds have paused."""
        if not self.enabled:
            return
        with self._lock:
            self._stop()
            self._timer = threading.Timer(self.delay, self._index,
                                          args=(Path(site_dir), self._generation))
            self._timer.daemon = True
            self._timer.start()

    def stop(self) -> None:
        """A rebuild starts (or the server stops): an index of the pages it changes is stale."""
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        self._generation += 1
        if self._timer is not None:
            self._timer.cancel()
        process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGTERM)  # the child and its Pagefind

    def _index(self, site_dir: Path, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            try:
                process = subprocess.Popen(
                    [sys.executable, "-m", __name__, str(site_dir)], stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
                    start_new_session=True)
            except OSError:
                return  # the preview's search is a convenience: the next rebuild tries again
            self._process = process
            # The writer's next rebuild comes first (not on every system: no matter).
            with contextlib.suppress(AttributeError, OSError):
                os.setpriority(os.PRIO_PROCESS, process.pid, 10)
        out, _ = process.communicate()
        with self._lock:
            if process.returncode == 0 and generation == self._generation:
                self.runs += 1
                self.pages = int(out.strip() or 0)


def index_preview(site_dir: Path) -> int:
    """One indexing run of the preview's site (in the child process): Pagefind writes beside
    the site, then two renames swap the new index in, so readers of the preview never find the
    folder half written; old indexes, and what a stopped run left, are deleted here too."""
    site_dir = site_dir.resolve()
    prefix = f".{site_dir.name}-pagefind-"
    for stale in site_dir.parent.glob(prefix + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix=prefix, dir=site_dir.parent))
    try:
        done = subprocess.run(_command(site_dir, scratch / BUNDLE_DIR), capture_output=True,
                              text=True, timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL)
        if done.returncode != 0 or not site_dir.is_dir():
            raise SearchIndexError("pagefind failed")
        target = site_dir / BUNDLE_DIR
        if target.exists():
            target.rename(scratch / "old")
        (scratch / BUNDLE_DIR).rename(target)
        return _indexed_pages(done.stdout)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


preview_search = PreviewSearch()
atexit.register(preview_search.stop)


if __name__ == "__main__":
    try:
        print(index_preview(Path(sys.argv[1])))
    except (OSError, subprocess.SubprocessError, SearchIndexError):
        sys.exit(1)
