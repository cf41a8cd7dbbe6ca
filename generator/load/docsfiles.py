"""Which files a ``docs/`` folder may publish: a leaf rule, with no engine import, asked by the
build (``on_files`` of the plugin) and by ``explainer check``.

Anything in ``docs/`` is published as it is, and ``docs/`` is content from anyone. So:

* files a browser runs or renders as a document (HTML, SVG, XML, scripts, WebAssembly) are
  refused: a page there would run script with the site's origin, outside every guard
  (:data:`REFUSED_SUFFIXES`);
* a file may not take a path the theme or the generator publishes (Material's
  ``assets/javascripts/bundle.<hash>.min.js`` replaced by a docs file becomes the attacker's
  script on every page): the generator's folders are reserved whole (:data:`RESERVED_PREFIXES`,
  :data:`RESERVED_FILES`), and the build also refuses any path one of the theme's folders holds.
"""

from __future__ import annotations

from pathlib import PurePosixPath

# Run or rendered as a document by a browser (or a plugin of one) when served from the site.
REFUSED_SUFFIXES = frozenset({
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".xslt",
    ".rss", ".atom", ".js", ".mjs", ".cjs", ".wasm", ".swf", ".jnlp", ".hta", ".appcache",
    ".webmanifest", ".map",
})
# Folders the generator, its theme or its search publish (site root relative, "/"-ended).
RESERVED_PREFIXES = (
    "assets/explainer/", "assets/javascripts/", "assets/stylesheets/", "charts/", "data/",
    "cards/", "pagefind/", "schemas/", "search/",
)
# Files the engine or the generator write at the site root.
RESERVED_FILES = frozenset({
    "404.html", "sitemap.xml", "sitemap.xml.gz", "versions.json", "feed.xml", "feed.json",
    "changes.xml",
})
DOCS_FIX = "move or rename it (docs/ holds Markdown pages, images, PDFs, CSS and data files)"


def docs_file_problem(path: str, published_as: str | None = None) -> str | None:
    """Why the file at ``path`` (relative to ``docs/``, "/"-separated) may not be published, or
    None. ``published_as``: where the site publishes it, when not at ``path`` (a page
    ``about.md`` becomes ``about/index.html``)."""
    suffixes = [s.lower() for s in PurePosixPath(path).suffixes]
    refused = [s for s in suffixes if s in REFUSED_SUFFIXES]
    if refused:
        return (f"a {refused[-1]} file runs or renders in the reader's browser outside every "
                "check of the site; publish it from Markdown, or as a picture (PNG, JPEG, WebP)")
    for site_path in dict.fromkeys([path, published_as or path]):
        problem = reserved_path_problem(site_path)
        if problem:
            return problem
    return None


def reserved_path_problem(site_path: str) -> str | None:
    """Why no file from docs/ may be published at ``site_path``, or None."""
    folded = site_path.lower()
    path = site_path
    if folded in {f.lower() for f in RESERVED_FILES}:
        return f"the site itself publishes {path}; {DOCS_FIX}"
    for prefix in RESERVED_PREFIXES:
        if folded.startswith(prefix):
            return f"{prefix} is the generator's and theme's folder on the site; {DOCS_FIX}"
    return None
