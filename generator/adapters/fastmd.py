"""Generated pages' Markdown to HTML with cmark-gfm (C): the HTML Python-Markdown gives them, 60x
faster.

Python-Markdown converting the generated pages was about 55% of a full build (bench/README.md).
The generator writes its own Markdown in a small, known shape: paragraphs, tight bullet lists,
pipe tables, headings (``{: #id }`` on the Sources page), one-line raw HTML blocks, one
``<div ... markdown>`` block, footnote references and one-line footnote definitions, links,
emphasis and code spans (writer prose is sanitised to those: generator/render/text.py). For that
shape cmark-gfm gives the same document; this module adds what the Python-Markdown extensions in
mkdocs.yml add on top, in their exact form:

* ``footnotes`` (our linear variant): ``<sup id="fnref:1">``/``fnref2:1`` references numbered by
  definition order, the ``<div class="footnote">`` list at ``///Footnotes Go Here///``, the
  back-references with their titles;
* ``toc``: heading ids slugified and made unique as Python-Markdown does, the permalink anchor,
  and the tokens MkDocs turns into ``page.toc`` (Material's table of contents);
* ``attr_list`` on headings, ``md_in_html`` on a ``markdown`` div;
* MkDocs' own link rewriting (``foo.md#x`` -> ``../foo/#x``) and anchor bookkeeping, through
  MkDocs' own ``_RelativePathTreeprocessor.path_to_url``, so links are validated the same way.

A page whose Markdown steps outside that shape (``convert`` returns None), a site whose
mkdocs.yml adds Markdown extensions beyond these, and every hand-written page in ``docs/`` go
through Python-Markdown as before. The Markdown stays the product (``--keep-markdown`` and the
golden files are unchanged); tests/test_fastmd.py compares both converters' HTML page by page on
the example site and a synthetic one.
"""

from __future__ import annotations

import ctypes
import html
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cmarkgfm
from cmarkgfm import _cmark as _cm
from cmarkgfm.cmark import Options
from markdown.extensions.toc import nest_toc_tokens, slugify, strip_tags, unique

LINEAR_FOOTNOTES = "generator.adapters.footnotes"
# Extensions whose effect on the generated Markdown this module reproduces. `admonition` and
# MkDocs' built-in `fenced_code` only act on `!!!` and ``` lines, which make a page fall back.
HANDLED = {"footnotes", LINEAR_FOOTNOTES, "tables", "attr_list", "md_in_html", "toc",
           "fenced_code", "admonition"}
TOC_OPTIONS = {"permalink", "permalink_title", "permalink_class"}
PLACE_MARKER = "///Footnotes Go Here///"
_CMARK_OPTIONS = Options.CMARK_OPT_UNSAFE  # raw HTML passes, as in Python-Markdown

_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]?(.*)$")
_HEADING_ATTR = re.compile(r"^(#{1,6} .*?)[ \t]*\{:[ \t]*#([A-Za-z][\w:.-]*)[ \t]*\}[ \t]*$")
_MD_DIV = re.compile(r"^<div( class=\"[^\"<>]*\")? markdown(?:=\"1\")?>$")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])[ \t]")
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_LINK = re.compile(r'<a href="([^"]*)">')
# Raw HTML anchors (chart citations, the What changed page) are not links MkDocs rewrites: they
# are marked before conversion so that only Markdown links match _LINK. The mark carries a token
# drawn afresh by each process, so no text a writer typed can hold it: a fixed word did, and a
# page holding it was sent to Python-Markdown, whose path through unclosed "[" is quadratic.
_TOKEN = secrets.token_hex(12)
RAW_ANCHOR, MARKED_ANCHOR = "<a ", f"<a data-explainer-raw-{_TOKEN} "
_ESCAPED_MARK = "&lt;" + MARKED_ANCHOR[1:]  # a marked anchor in a code span, as cmark writes it
_ID = re.compile(r'\sid="([^"]*)"')
_SELF_LINK = re.compile(r'<a class="(?:footnote-ref|footnote-backref|headerlink)" href="(#[^"]*)"')
_FNREF_SUP = re.compile(r'<sup id="fnref\d*:[^"]*">.*?</sup>', re.S)
# Outside the known shape: fall back to Python-Markdown.
_UNSUPPORTED = re.compile(r"\t|^!!!|^\?\?\?|<h[1-6][\s>]|^ {4}|^\s*```|^\s*~~~|^\s*>|(?<!\\)!\["
                          r"|" + _TOKEN, re.M)
# A tag on a line of raw HTML, and the md_in_html attribute in it once attribute values are set
# aside (a chart title in an aria-label may say "markdown"; values never hold a raw "<" or ">").
_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_MARKDOWN_ATTR = re.compile(r"\smarkdown(?=[\s=/>])")
# An attribute list: "{:" not escaped (writer text always escapes its "{", with an odd run of
# backslashes, and Python-Markdown reads "\{:" as text too).
_ATTR_OPEN = re.compile(r"(?<!\\)(?:\\\\)*\{:")


@dataclass(frozen=True)
class FastConfig:
    """The parts of mkdocs.yml's Markdown configuration the output depends on."""

    permalink: str | None  # the anchor's text, or None for no permalink
    permalink_title: str
    permalink_class: str
    backlink_title: str
    superscript_text: str
    separator: str


def fast_config(extensions: list[Any], configs: dict[str, dict[str, Any]]) -> FastConfig | None:
    """The fast path's settings, or None when mkdocs.yml asks for Markdown it does not do."""
    names = [e if isinstance(e, str) else None for e in extensions]
    if None in names or not set(names) <= HANDLED or "toc" not in names:
        return None
    if "footnotes" in names and LINEAR_FOOTNOTES in names:
        return None
    toc = dict(configs.get("toc") or {})
    if not set(toc) <= TOC_OPTIONS:
        return None
    notes = dict(configs.get(LINEAR_FOOTNOTES) or configs.get("footnotes") or {})
    if set(notes) - {"BACKLINK_TITLE", "SUPERSCRIPT_TEXT", "SEPARATOR"}:
        return None
    permalink = toc.get("permalink", False)
    return FastConfig(
        permalink=None if permalink in (False, None) else
        ("&para;" if permalink is True else html.escape(str(permalink), quote=False)),
        permalink_title=str(toc.get("permalink_title", "Permanent link")),
        permalink_class=str(toc.get("permalink_class", "headerlink")),
        backlink_title=str(notes.get("BACKLINK_TITLE", "Jump back to footnote %d in the text")),
        superscript_text=str(notes.get("SUPERSCRIPT_TEXT", "{}")),
        separator=str(notes.get("SEPARATOR", ":")))


@dataclass
class Converted:
    html: str
    toc_tokens: list[dict[str, Any]]  # as Python-Markdown's toc extension leaves them
    anchor_ids: set[str]  # every id on the page (MkDocs validates links to anchors with them)


# cmarkgfm's markdown_to_html_with_extensions never frees the document tree nor the HTML it
# renders (about 57 KB a page: 160 MiB at 1,000 explainers, most of a build's growth; see
# bench/README.md). Its cffi module exports neither cmark_node_free nor free, so both are
# called through ctypes on the same shared object; cmark allocates with libc's calloc.
_LIB, _FFI = _cm.lib, _cm.ffi
_SO = ctypes.CDLL(_cm.__file__)
_SO.cmark_node_free.argtypes, _SO.cmark_node_free.restype = [ctypes.c_void_p], None
_LIBC = ctypes.CDLL(None)
_LIBC.free.argtypes, _LIBC.free.restype = [ctypes.c_void_p], None
cmarkgfm.cmark.core_extensions_ensure_registered()
_TABLE = _LIB.cmark_find_syntax_extension(b"table")


def _address(pointer: Any) -> int:
    return int(_FFI.cast("uintptr_t", pointer))


def _cmark(text: str) -> str:
    """cmark-gfm with the table extension, as ``markdown_to_html_with_extensions`` converts,
    freeing what that leaks."""
    data = text.encode("utf-8")
    parser = _LIB.cmark_parser_new(_CMARK_OPTIONS)
    try:
        _LIB.cmark_parser_attach_syntax_extension(parser, _TABLE)
        _LIB.cmark_parser_feed(parser, data, len(data))
        root = _LIB.cmark_parser_finish(parser)
        try:
            raw = _LIB.cmark_render_html(root, _CMARK_OPTIONS,
                                         _LIB.cmark_parser_get_syntax_extensions(parser))
            try:
                return _FFI.string(raw).decode("utf-8")
            finally:
                _LIBC.free(_address(raw))
        finally:
            _SO.cmark_node_free(_address(root))
    finally:
        _LIB.cmark_parser_free(parser)


def _supported(lines: list[str]) -> bool:
    previous = ""
    for line in lines:
        # CommonMark lets a list item interrupt a paragraph; Python-Markdown does not.
        if _LIST_ITEM.match(line) and previous.strip() and not _LIST_ITEM.match(previous):
            return False
        if "{:" in line and _ATTR_OPEN.search(line) and not _HEADING_ATTR.match(line):
            return False
        if " markdown" in line and line.startswith("<") and not _MD_DIV.match(line) \
                and any(_MARKDOWN_ATTR.search(_QUOTED.sub('""', tag))
                        for tag in _TAG.findall(line)):
            return False
        previous = line
    return True


def convert(text: str, fc: FastConfig, link: Callable[[str], str]) -> Converted | None:
    """HTML, toc tokens and anchor ids for one generated page; None: use Python-Markdown.

    ``link`` is MkDocs' ``path_to_url`` for the page (rewrites and validates a Markdown link).
    """
    if _UNSUPPORTED.search(text):
        return None
    link = _memo(link)
    lines = text.split("\n")
    if not _supported(lines):
        return None
    body: list[str] = []
    notes: dict[str, str] = {}  # label -> definition text, in definition order
    explicit: dict[int, str] = {}  # heading number -> id from {: #id }
    headings = 0
    divs: set[int] = set()  # body lines that open a markdown div
    for n, line in enumerate(lines):
        match = _DEFINITION.match(line)
        if match:
            following = lines[n + 1] if n + 1 < len(lines) else ""
            if following.startswith((" ", "\t")) or match.group(1) in notes:
                return None  # a multi-line or repeated definition
            notes[match.group(1)] = match.group(2)
            continue
        if line.startswith("#"):
            attr = _HEADING_ATTR.match(line)
            if attr:
                line = attr.group(1)
                explicit[headings] = attr.group(2)
            headings += 1
        elif _MD_DIV.match(line):
            line = line.replace(' markdown="1">', ">").replace(" markdown>", ">")
            divs.add(len(body))
        body.append(line)
    refs = _References(notes, fc)
    if notes:
        order = _inline_order(body, divs)
        if order is None:
            return None
        # Only defined labels are references; an escaped \[^ is text, an escaped backslash
        # before one is not an escape of it (an even run of backslashes).
        labels = "|".join(re.escape(label) for label in notes)
        pattern = re.compile(rf"(?<!\\)((?:\\\\)*)\[\^({labels})\]")
        for n in order:
            body[n] = pattern.sub(refs.reference, body[n])
    source = "\n".join(body)
    out = _cmark(source.replace(RAW_ANCHOR, MARKED_ANCHOR))
    if headings != out.count("</h"):
        return None  # a heading cmark and the scan disagree on
    out = _LINK.sub(lambda m: f'<a href="{_attr(link(_url(m.group(1))))}">', out)
    # Marked anchors back as written (in a code span too, where cmark escaped the "<").
    out = out.replace(MARKED_ANCHOR, RAW_ANCHOR).replace(_ESCAPED_MARK, "&lt;a ")
    out, tokens = _headings(out, explicit, fc, refs.ids)
    if notes:
        block = refs.footnotes(lambda t: _LINK.sub(
            lambda m: f'<a href="{_attr(link(_url(m.group(1))))}">',
            _cmark(t.replace(RAW_ANCHOR, MARKED_ANCHOR))).replace(MARKED_ANCHOR, RAW_ANCHOR)
            .replace(_ESCAPED_MARK, "&lt;a "))
        marker = f"<p>{PLACE_MARKER}</p>"
        out = out.replace(marker, block, 1) if marker in out else out + block + "\n"
    for href in _SELF_LINK.findall(out):  # MkDocs registers these for anchor validation
        link(html.unescape(href))
    return Converted(html=out.rstrip("\n"), toc_tokens=tokens, anchor_ids=set(_ID.findall(out)))


def _inline_order(lines: list[str], divs: set[int]) -> list[int] | None:
    """Lines in the order Python-Markdown's inline processor reaches them (footnote reference
    ids are numbered in that order). It walks the element tree breadth first: the text of
    top-level paragraphs and headings, then list items and the paragraphs of a ``markdown`` div
    (depth 2), table cells (table > thead/tbody > tr > td: 4); document order within a depth.
    None for a list or table inside a ``markdown`` div (not modelled)."""
    depth: list[tuple[int, int]] = []
    in_div = False
    for n, line in enumerate(lines):
        if n in divs:
            in_div = True
        elif in_div and line == "</div>":
            in_div = False
        if in_div and (line.startswith("|") or _LIST_ITEM.match(line)):
            return None
        if in_div:
            depth.append((2, n))
        elif line.startswith("|"):
            depth.append((4, n))
        elif _LIST_ITEM.match(line):
            depth.append((2, n))
        else:
            depth.append((1, n))
    return [n for _, n in sorted(depth)]


def _memo(link: Callable[[str], str]) -> Callable[[str], str]:
    """MkDocs' path_to_url is deterministic for one page and costs 0.1 ms a call; the Facts
    page repeats each source link and every footnote reference repeats its note's."""
    done: dict[str, str] = {}

    def cached(url: str) -> str:
        found = done.get(url)
        if found is None:
            found = done[url] = link(url)
        return found
    return cached


def _url(escaped: str) -> str:
    """cmark's href back to the link text Python-Markdown hands MkDocs (entities decoded; cmark
    percent-encodes what Python-Markdown leaves as written)."""
    from urllib.parse import unquote

    return unquote(html.unescape(escaped))


def _attr(url: str) -> str:
    return html.escape(url, quote=True).replace("&#x27;", "'")


class _References:
    """Footnote references and the footnote list, as the linear footnotes extension makes them."""

    def __init__(self, notes: dict[str, str], fc: FastConfig) -> None:
        self.notes = notes
        self.fc = fc
        self.index = {label: n for n, label in enumerate(notes, start=1)}
        self.count: dict[str, int] = {}
        self.ids: set[str] = set()

    def _ref_id(self, label: str, n: int) -> str:
        sep = self.fc.separator
        return f"fnref{sep}{label}" if n == 1 else f"fnref{n}{sep}{label}"

    def reference(self, match: re.Match[str]) -> str:
        backslashes, label = match.group(1), match.group(2)
        n = self.count[label] = self.count.get(label, 0) + 1
        ref_id = self._ref_id(label, n)
        self.ids.add(ref_id)
        text = self.fc.superscript_text.format(self.index[label])
        return (f'{backslashes}<sup id="{ref_id}"><a class="footnote-ref" '
                f'href="#fn{self.fc.separator}{label}">{text}</a></sup>')

    def footnotes(self, to_html: Callable[[str], str]) -> str:
        items = []
        for label, text in self.notes.items():
            index = self.index[label]
            title = html.escape(self.fc.backlink_title % index)
            backs = "".join(
                f'<a class="footnote-backref" href="#{self._ref_id(label, n)}" '
                f'title="{title}">&#8617;</a>'
                for n in range(1, max(self.count.get(label, 0), 1) + 1))
            inner = to_html(text).rstrip("\n")
            if inner.endswith("</p>"):
                inner = f"{inner[:-4]}&#160;{backs}</p>"
            else:
                inner = f"{inner}\n<p>{backs}</p>" if inner else f"<p>{backs}</p>"
            items.append(f'<li id="fn{self.fc.separator}{label}">\n{inner}\n</li>')
        return '<div class="footnote">\n<hr />\n<ol>\n' + "\n".join(items) + "\n</ol>\n</div>"


def _headings(out: str, explicit: dict[int, str], fc: FastConfig,
              used: set[str]) -> tuple[str, list[dict[str, Any]]]:
    used = set(used) | set(explicit.values())
    counters: dict[str, int] = {}
    tokens: list[dict[str, Any]] = []
    number = 0

    def heading(match: re.Match[str]) -> str:
        nonlocal number
        level, inner = int(match.group(1)), match.group(2).strip()
        # Python-Markdown's serializer escapes & < > in text, never quotes.
        inner = inner.replace("&quot;", '"')
        name = strip_tags(_FNREF_SUP.sub("", inner))
        ident = explicit.get(number) or unique(slugify(html.unescape(name), "-"), used, counters)
        used.add(ident)
        number += 1
        tokens.append({"level": level, "id": ident, "name": name,
                       "html": _FNREF_SUP.sub("", inner), "data-toc-label": ""})
        permalink = "" if fc.permalink is None else (
            f'<a class="{fc.permalink_class}" href="#{ident}" '
            f'title="{html.escape(fc.permalink_title)}">{fc.permalink}</a>')
        return f'<h{level} id="{ident}">{inner}{permalink}</h{level}>'

    out = _HEADING.sub(heading, out)
    return out, nest_toc_tokens(tokens)


def render_page(page: Any, config: Any, files: Any, *, fc: FastConfig) -> None:
    """``Page.render`` for a generated page: the fast conversion, with everything MkDocs' own
    render leaves on the page (content, toc, anchors, links to anchors); Python-Markdown when
    the page steps outside the known shape."""
    from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
    from mkdocs.structure.toc import get_toc

    relative = _RelativePathTreeprocessor(page.file, files, config)
    result = convert(page.markdown, fc, relative.path_to_url)
    if result is None:
        Page.render(page, config, files)
        return
    page.content = result.html
    page.toc = get_toc(result.toc_tokens)  # type: ignore[arg-type]  # same dicts as toc's
    first = result.toc_tokens[0] if result.toc_tokens else None
    # MkDocs takes a title from the page's first element when it is an h1 (front matter wins).
    page._title_from_render = html.unescape(first["name"]) if first and first["level"] == 1 \
        and result.html.startswith("<h1") else None
    page.present_anchor_ids = result.anchor_ids
    page.links_to_anchors = relative.links_to_anchors
