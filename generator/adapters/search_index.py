"""Site search: Pagefind indexes the built HTML into a chunked index under ``pagefind/``.

Why Pagefind and not Material's search plugin: Material's search downloads one index of the
whole site on every page (4.1 MB, 296 KB gzip at 1,000 explainers, growing with the site).
Pagefind splits its index into chunks and a reader's search fetches only the chunks and
result fragments that query needs, from the site itself (no third-party request), so it works
offline, in every mike edition (the bundle path is relative) and at any size.

Called by the explainer plugin's ``on_post_build`` for ``mkdocs build``, ``explainer build``
(before the new site is swapped in) and ``explainer deploy`` (mike's build); not for the live
preview, where a re-index per edit would cost seconds on a large site. Only the page content
marked ``data-pagefind-body`` (theme override main.html) is indexed, not the navigation
repeated on every page.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

BUNDLE_DIR = "pagefind"  # under the site root; the search page loads it from there
TIMEOUT = 900  # seconds; about 10 s for 2,000 explainers on 2 cores


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


def build_search_index(site_dir: Path) -> int:
    """Index ``site_dir`` in place; returns the number of pages indexed."""
    command = [str(pagefind_executable()), "--site", str(site_dir),
               "--output-subdir", BUNDLE_DIR,
               # Heading permalinks (the "¶" of every heading) are not words of the page.
               "--exclude-selectors", ".headerlink"]
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
