"""The hand-written pages of ``docs/``: judged by ``explainer check`` before the site engine
reads them.

``docs/`` is MkDocs' own folder and content from anyone, like ``content/``. The build refuses
or defuses what it must (the plugin, the HTML guard); this check finds the same problems first,
each at its file, line and column, so a pull request fails ``check --strict`` with a message
naming the fix, not a build with an engine error:

* file names that are not UTF-8, file types a browser would run (:mod:`generator.load.docsfiles`)
  and paths the generator or the theme publish (a page collides with a generated one);
* each Markdown page (:mod:`generator.check.mdscan`): its size, front matter
  (:mod:`generator.load.frontmatter`), raw HTML and attribute lists the HTML guard would remove,
  nesting and bracket scanning beyond the limits, and links and images to files that neither
  ``docs/`` nor the generator publishes, and links to a heading (``#anchor``) of a page in
  ``docs/`` that it does not have (anchors of generated pages are not checked).

A page's own findings are kept while its file is unchanged (same ``lstat``), so the live
preview scans again only the pages an edit touched; links are resolved against the current
listing every time (a page deleted elsewhere breaks them).
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.check.html_guard import attribute_problem
from generator.check.mdscan import Link, PageScan, scan_page
from generator.errors import Diagnostics, excerpt
from generator.limits import MAX_DOCS_PAGE_BYTES
from generator.load import frontmatter
from generator.load.docsfiles import RESERVED_PREFIXES, docs_file_problem
from generator.load.model import Project
from generator.load.paths import TooLarge, UnsafePath, read_capped, safe_file
from generator.load.project import linked_folders
from generator.load.yamlio import parse_yaml_text
from generator.suggest import did_you_mean

DOCS = "docs"

# Pages the generator makes whatever the content (as paths in the site's source, like docs/).
GENERATED_PAGES = ("index.md", "changes.md", "search.md", "tags/index.md", "facts/index.md",
                   "sources/index.md")
# Folders of generated pages whose names follow the content (facts/<prefix>/, tags/<tag>/,
# archive/<n>.md): reserved whole, since the next fact or tag may take any name there.
GENERATED_PAGE_FOLDERS = ("facts/", "sources/", "tags/", "archive/")
# Other files the generator publishes at fixed paths.
GENERATED_FILES = ("data/facts.json", "data/facts.csv", "feed.xml", "feed.json", "changes.xml")
# Front-matter keys MkDocs or the theme read harmlessly besides frontmatter's own.
_OTHER_KEYS = frozenset({"search", "tags"})
_KNOWN_KEYS = (frontmatter.TEXT_KEYS | frontmatter.ICON_KEYS | frontmatter.NAME_KEYS
               | frontmatter.NAME_LIST_KEYS | frozenset(frontmatter.REFUSED_KEYS) | _OTHER_KEYS)
_TAG_LIKE = re.compile(r"<[A-Za-z/!?]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
RACY_NS = 2_000_000_000  # as ParseCache: a file this close to its scan may hide a later write


def generated_paths(project: Project) -> frozenset[str]:
    """Every path the generator publishes that follows from the content alone (tests compare
    it with a real generation); pages under :data:`GENERATED_PAGE_FOLDERS` and the files
    under the reserved folders of :mod:`generator.load.docsfiles` are covered by folder."""
    paths = set(GENERATED_PAGES) | set(GENERATED_FILES)
    for ex in project.explainers.values():
        paths |= {f"{ex.slug}.md", f"data/explainers/{ex.slug}.json"}
        paths |= {f"tags/{tag}.md" for tag in ex.tags}
    for cid in project.charts:
        paths |= {f"charts/{cid}.json", f"data/charts/{cid}.csv"}
    return frozenset(paths)


def page_key(path: str) -> str:
    """The address a page has on the site (``about.md`` and ``about/index.md`` are both
    ``about``; MkDocs takes ``README.md`` for ``index.md``)."""
    folder, name = posixpath.split(path)
    stem = name[:-3] if name.endswith(".md") else name
    return folder if stem in ("index", "README") else posixpath.join(folder, stem)


def published_as(path: str) -> str:
    """Where MkDocs (with directory URLs) writes the file at ``path``."""
    if not path.endswith(".md"):
        return path
    key = page_key(path)
    return f"{key}/index.html" if key else "index.html"


@dataclass
class _PageResult:
    """One page's findings that depend on nothing but its bytes."""

    problems: list[tuple[int, int, str, bool]]  # line, col, message, is an error
    links: list[Link]
    ids: frozenset[str] = frozenset()  # its anchors


class DocsCache:
    """Pages' findings by file identity, kept across checks (the live preview)."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[tuple[int, ...], _PageResult]] = {}
        self.scanned = 0  # pages read and scanned, for tests and benchmarks

    def page(self, root: Path, rel: str, display: str) -> _PageResult:
        path = root / DOCS / rel
        try:
            st = os.lstat(path)
            identity: tuple[int, ...] | None = (st.st_dev, st.st_ino, st.st_size,
                                                st.st_mtime_ns, st.st_ctime_ns)
            if not stat.S_ISREG(st.st_mode):
                identity = None  # a link: its target is checked every time
        except OSError:
            identity = None
        key = str(path)
        cached = self._entries.get(key)
        if identity is not None and cached is not None and cached[0] == identity:
            return cached[1]
        started = time.time_ns()
        self.scanned += 1
        result = _scan_file(root, rel, display)
        self._entries.pop(key, None)
        if identity is not None and max(identity[3], identity[4]) < started - RACY_NS:
            if len(self._entries) > 20_000:
                self._entries.clear()
            self._entries[key] = (identity, result)
        return result


_SHARED = DocsCache()


def check_docs(project: Project, diagnostics: Diagnostics,
               cache: DocsCache | None = None) -> None:
    """Every file of ``docs/`` (see the module's docstring)."""
    root = project.root
    docs = root / DOCS
    if not docs.is_dir() or DOCS in linked_folders(root):
        return  # no docs/, or a link (folder_problems reports it)
    cache = cache if cache is not None else _SHARED
    files = _listing(docs, diagnostics)
    generated = generated_paths(project)
    generated_keys = {page_key(p): p for p in generated if p.endswith(".md")}
    slugs = {f"{slug}.md" for slug in project.explainers}
    present = set(files)
    _Hints.left = HINTS
    pages: dict[str, _PageResult] = {}
    for rel in files:
        display = f"{DOCS}/{rel}"
        problem = docs_file_problem(rel, published_as(rel)) or _collision(
            rel, generated_keys, slugs)
        if problem:
            diagnostics.error(display, 1, 1, problem, "docs-file")
        elif rel.endswith(".md"):
            pages[rel] = cache.page(root, rel, display)
    for rel, result in pages.items():
        display = f"{DOCS}/{rel}"
        for line, col, message, is_error in result.problems:
            (diagnostics.error if is_error else diagnostics.warning)(
                display, line, col, message, "docs-page")
        for link in result.links:
            why = _link_problem(rel, link, present, generated) or _anchor_problem(
                rel, link, pages)
            if why:
                diagnostics.error(display, link.line, link.col, why, "docs-link")


def _listing(docs: Path, diagnostics: Diagnostics) -> list[str]:
    """The files MkDocs would read from ``docs/`` ("/"-separated, relative), without hidden
    entries and ``templates/`` (MkDocs leaves them out). A name that is not UTF-8 is reported
    (MkDocs fails on it) and left out, a folder with all it holds."""
    found: list[str] = []
    for folder, dirs, names in os.walk(docs):  # never follows links to folders
        rel_folder = Path(folder).relative_to(docs).as_posix()
        prefix = "" if rel_folder == "." else f"{rel_folder}/"
        keep = []
        for name in sorted(dirs):
            if name.startswith(".") or (not prefix and name == "templates"):
                continue
            if _utf8(f"{DOCS}/{prefix}{name}", diagnostics, folder=True):
                keep.append(name)
        dirs[:] = keep
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(folder, name)
            try:
                mode = path.lstat().st_mode
            except OSError:
                continue
            if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
                continue  # pipes, devices: folder_problems reports them
            if _utf8(f"{DOCS}/{prefix}{name}", diagnostics, folder=False):
                found.append(prefix + name)
    return found


def _utf8(shown: str, diagnostics: Diagnostics, *, folder: bool) -> bool:
    try:
        shown.encode("utf-8")
    except UnicodeEncodeError:
        # os.walk hands undecodable bytes over as surrogates: show them as \xNN.
        escaped = shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        what = "folder" if folder else "file"
        diagnostics.error(escaped, 1, 1, (
            f"the {what} name is not valid UTF-8, so the site cannot publish it: "
            f"rename the {what} with a UTF-8 name (letters, digits, '-' and '_')"), "docs-name")
        return False
    return True


def _collision(rel: str, generated_keys: dict[str, str], slugs: set[str]) -> str | None:
    key = page_key(rel) if rel.endswith(".md") else None
    if key is not None and key in generated_keys:
        made = generated_keys[key]
        if made in slugs:
            return (f"the generator makes {made} from content/explainers/{made[:-3]}.yaml, at "
                    "the same address: rename this page (it is never overwritten) or change "
                    "the explainer's slug")
        return (f"the generator makes {made}, at the same address: rename or move this page "
                "(it is never overwritten)")
    for folder in GENERATED_PAGE_FOLDERS:
        if rel.startswith(folder) or key == folder[:-1]:
            return (f"the generator makes the pages under {folder} (their names follow the "
                    "content): move this file to another folder")
    return None


def _scan_file(root: Path, rel: str, display: str) -> _PageResult:
    problems: list[tuple[int, int, str, bool]] = []
    docs = root / DOCS
    try:
        raw = read_capped(safe_file(docs, docs / rel, root=root), MAX_DOCS_PAGE_BYTES)
    except TooLarge as exc:
        problems.append((1, 1, (f"the page is {exc.size:,} bytes; pages in docs/ are limited "
                                f"to {MAX_DOCS_PAGE_BYTES:,}: split it into several pages"),
                         True))
        return _PageResult(problems, [])
    except (UnsafePath, OSError):
        return _PageResult([], [])  # links out, pipes: folder_problems reports them
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append((line, col, f"the page is not valid UTF-8 (byte "
                                    f"0x{raw[exc.start]:02x}): save it as UTF-8", True))
        return _PageResult(problems, [])
    scan = scan_page(text)
    problems += [(line, col, message, True) for line, col, message in scan.problems]
    problems += _front_matter(scan, root / DOCS / rel, display)
    return _PageResult(problems, scan.links, frozenset(scan.ids))


def _front_matter(scan: PageScan, path: Path, display: str) -> list[tuple[int, int, str, bool]]:
    """The page's front matter (YAML between `---` lines, or MultiMarkdown `key: value` lines
    at the top) against the rules the build applies (generator/load/frontmatter.py)."""
    found: list[tuple[int, int, str, bool]] = []
    positions: dict[str, tuple[int, int]] = {}
    meta: dict[str, Any] = {}
    if scan.front is not None:
        parsed = Diagnostics()
        doc = parse_yaml_text(scan.front, path, display, parsed)
        shift = scan.front_line - 1
        for d in parsed.sorted():
            found.append((d.line + shift, d.col, f"front matter: {d.message}", True))
        if doc is None:
            return found
        if not isinstance(doc.data, dict):
            if doc.data is not None:
                found.append((scan.front_line, 1, "front matter must be `key: value` lines: "
                              "write e.g. `title: About this site`", True))
            return found
        meta = doc.data
        positions = {key: (line + shift, col)
                     for key in meta for line, col in [doc.pos((key,))]}
    else:
        for line, key, value in scan.meta:
            meta[key] = f"{meta[key]} {value}" if key in meta else value
            positions.setdefault(key, (line, 1))
    for key, message in frontmatter.front_matter_problems(meta):
        found.append((*positions.get(key, (1, 1)), f"front matter {message}", True))
    for key in frontmatter.markup_in_text(meta):
        if _TAG_LIKE.search(str(meta[key])):
            found.append((*positions.get(key, (1, 1)), (
                f"front matter `{key}:` holds HTML ('{excerpt(str(meta[key]))}'): the site "
                "shows it as text, never as markup; write plain text"), False))
    for key in meta:
        if str(key) not in _KNOWN_KEYS:
            where = "front matter" if scan.front is not None else (
                "the page's first lines are read as metadata (`key: value` before the first "
                "blank line), and")
            found.append((*positions.get(str(key), (1, 1)), (
                f"{where} key `{excerpt(str(key))}` is not one the site uses"
                f"{did_you_mean(str(key), _KNOWN_KEYS)}: remove it (or start the page with a "
                "blank line or a heading if it is text)"), False))
    return found


class _Hints:
    """"Did you mean" compares a name with every candidate: a page of thousands of broken
    links gets hints for the first few hundred only, and only for names of a plausible
    length, so the check stays linear."""

    left = 0


HINTS = 200


def _hint(name: str, candidates: set[str] | frozenset[str]) -> str:
    if _Hints.left <= 0 or len(name) > 100:
        return ""
    _Hints.left -= 1
    return did_you_mean(name, candidates)


def _anchor_problem(page: str, link: Link, pages: dict[str, _PageResult]) -> str | None:
    """A link to ``#anchor`` on a page of docs/ that will not have it (the strict build
    refuses it). Anchors on generated pages are not checked."""
    target, hash_, anchor = link.target.partition("#")
    if not hash_ or not anchor or _SCHEME.match(target) or target.startswith("/"):
        return None
    path = target.split("?", 1)[0]
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path))) \
        if path else page
    result = pages.get(resolved)
    if result is None or anchor in result.ids:
        return None
    where = "this page" if resolved == page else f"docs/{excerpt(resolved)}"
    return (f"link '{excerpt(link.target)}': {where} has no anchor '#{excerpt(anchor)}'"
            f"{_hint(anchor, result.ids)}: link a heading "
            "that exists (its id is its text in lower case, with '-' for spaces)")


def _link_problem(page: str, link: Link, present: set[str],
                  generated: frozenset[str]) -> str | None:
    """Why a Markdown link or image of ``page`` (relative to docs/) goes nowhere, or None."""
    shown = excerpt(link.target)
    what = "image" if link.image else "link"
    why = attribute_problem("img" if link.image else "a", "src" if link.image else "href",
                            link.target)
    if why:
        return f"{what} '{shown}': {why}, which the site removes: " + (
            "put the picture in docs/ and link it relatively" if link.image else
            "link an http(s) address or a page of this site")
    target = link.target.split("#", 1)[0].split("?", 1)[0]
    if not target or _SCHEME.match(target) or target.startswith("//"):
        return None  # a fragment (anchors are not checked), or a web address
    if target.startswith("/"):
        return (f"{what} '{shown}' is absolute: the site may be served from a sub-folder and "
                "the strict build refuses it; write it relative to this page")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(target)))
    if resolved == ".." or resolved.startswith("../"):
        return f"{what} '{shown}' points outside docs/: link a page or file inside the site"
    if resolved in present or resolved in generated:
        return None
    if any(resolved.startswith(p) for p in (*GENERATED_PAGE_FOLDERS, *RESERVED_PREFIXES)):
        return None  # pages and files whose names follow the content: not checked
    for candidate in (f"{resolved}/index.md", f"{resolved}.md"):
        if candidate in present or candidate in generated:
            better = posixpath.relpath(candidate, posixpath.dirname(page) or ".")
            return (f"{what} '{shown}' names a folder or address, which the strict build "
                    f"refuses: link the file '{excerpt(better)}'")
    hint = _hint(resolved, present | generated)
    return (f"{what} '{shown}' points to {excerpt(resolved)}, which neither docs/ nor the "
            f"generator publishes{hint}: fix the path or add the file")
