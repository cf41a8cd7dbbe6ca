"""One hand-written Markdown page of ``docs/``, read the way the site engine will read it, in
one linear pass: what it would publish that the HTML guard removes, where Python-Markdown
would take more than linear time or recurse past Python's stack, and the links it makes.

No Markdown conversion: the page's own text is scanned, so every finding has the line and
column the writer typed. Code (fenced blocks, indented blocks, code spans), HTML comments and
backslash escapes are blanked first (positions kept), since Markdown shows them as text.

Python-Markdown's link patterns scan from every ``[`` to its matching ``]`` (and from every
``](`` to its matching ``)``), to the end of the paragraph when there is none: quadratic on a
paragraph of ``[`` (figures in bench/README.md). The scan below adds up those distances (the
*bracket scan*, an upper bound of what each pattern scans) and refuses a page whose total
crosses :data:`~generator.limits.MAX_DOCS_BRACKET_SCAN`, so the work Markdown can be made to do
grows no faster than the page. Nesting (brackets, emphasis, block quotes, list and admonition
indentation, HTML elements) recurses in Python-Markdown: each kind is bounded by
:data:`~generator.limits.MAX_DOCS_NESTING`, far below the recursion limit even all combined.
Headings, footnotes and ``{#id}``s are bounded by :data:`~generator.limits.MAX_DOCS_HEADINGS`:
their ids are made unique by a scan that grows with the number of equal ones.

The page's anchors (``PageScan.ids``) are computed as Python-Markdown's ``toc`` and
``footnotes`` make them, so links to a missing heading are found before the strict build.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from generator.check import html_guard
from generator.limits import MAX_DOCS_BRACKET_SCAN, MAX_DOCS_HEADINGS, MAX_DOCS_NESTING

# MkDocs' YAML front matter (the same pattern as the engine's): `---` lines around YAML.
YAML_FRONT = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
# MultiMarkdown-style metadata: `key: value` lines at the top, up to the first blank line.
META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE = re.compile(r"^(?:[ ]{4}|\t)(?P<value>.*)")

_FENCE = re.compile(r"(`{3,}|~{3,})")
_BLOCK_START = re.compile(r"[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|!!!|\?\?\?|\[\^[^\]]*\]:|>)")
_QUOTES = re.compile(r"[ \t]{0,3}((?:>[ \t]?)+)")
_REF_DEF = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?([^\s>]+)>?", re.MULTILINE)
# No brace inside: each match attempt stops at the next brace (linear on a page of "{").
_ATTR_LIST = re.compile(r"\{:?[ ]*([^{}\n ][^{}\n]*)\}")
# Names only where a token starts: a long block without '=' is read once, not once a character.
_ATTR = re.compile(r"""(?<![^\s])([^\s=}"']+)=(?:"([^"\n]*)"|'([^'\n]*)'|([^\s}]+))""")
_EMPHASIS = re.compile(r"\*+|_+")
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
_PAREN = re.compile(r"[()]")
# Headings, footnotes and `{#id}`s: each takes an id, made unique by a scan that grows with the
# number of equal ones: quadratic in it, hence a count per page.
_ANCHOR = re.compile(r"^[ ]{0,3}(?:#{1,6}(?:[ \t]|$)|\[\^[^\]\n]+\]:|[=-]+[ \t]*$)|\{[^{}\n]*#",
                     re.MULTILINE)
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr", "keygen"})
_OPTIONAL_END = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot",
                           "option", "optgroup", "rb", "rt", "rp", "rtc", "colgroup", "caption",
                           "html", "head", "body"})


@dataclass
class Link:
    line: int
    col: int
    target: str
    image: bool


@dataclass
class PageScan:
    """What one page says, positions 1-based: problems (line, col, message) and links."""

    problems: list[tuple[int, int, str]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    # Front matter: its text and the line it starts on, or MultiMarkdown metadata lines.
    front: str | None = None
    front_line: int = 2
    meta: list[tuple[int, str, str]] = field(default_factory=list)  # (line, key, value)
    bracket_scan: int = 0  # characters Markdown's link patterns would scan (see module doc)
    ids: set[str] = field(default_factory=set)  # anchors the page will have (#id)


class _Page:
    """The page's text and a blanked copy of it, with line lookups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.chars = list(text)
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def pos(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def blank(self, start: int, end: int) -> None:
        for i in range(start, min(end, len(self.chars))):
            if self.chars[i] != "\n":
                self.chars[i] = " "

    def line_span(self, number: int) -> tuple[int, int]:
        """Offsets of line ``number`` (0-based) without its line break."""
        start = self.starts[number]
        end = self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(self.text)
        return start, end


def scan_page(text: str) -> PageScan:
    """Everything :mod:`generator.check.docs` reports about one page, from its text (already
    decoded; line breaks as the file has them)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    page = _Page(text)
    scan = PageScan()
    _front_matter(page, scan)
    _blank_fences(page)
    _blank_indented_code(page, scan)
    masked = _blank_comments(page, "".join(page.chars))
    masked = _blank_code_spans(page, masked)
    masked = _blank_escapes(page, masked)
    _brackets(page, masked, scan)
    _emphasis(page, masked, scan)
    _html(page, masked, scan)
    _attr_lists(page, masked, scan)
    _anchors(page, masked, scan)
    _ids(page.text, masked, scan)
    for match in _REF_DEF.finditer(masked):
        scan.links.append(Link(*page.pos(match.start()), match.group(1), False))
    return scan


def _front_matter(page: _Page, scan: PageScan) -> None:
    match = YAML_FRONT.match(page.text)
    if match:
        scan.front = match.group(1)
        page.blank(0, match.end())
        return
    offset = 0
    key = None
    for number in range(len(page.starts)):
        start, end = page.line_span(number)
        line = page.text[start:end]
        if not line.strip():
            break
        meta = META_LINE.match(line)
        more = META_MORE.match(line)
        if meta:
            key = meta.group("key").lower()
            scan.meta.append((number + 1, key, meta.group("value").strip()))
        elif more and key:
            pass
        else:
            break
        offset = end
    page.blank(0, offset)


def _blank_fences(page: _Page) -> None:
    """Fenced code (MkDocs always enables it): a fence at the start of a line, closed by a line
    holding the same fence (and spaces); an unclosed fence is text. Linear: the lines that
    could close each fence are listed once."""
    lines = [page.text[slice(*page.line_span(n))] for n in range(len(page.starts))]
    closers: dict[str, list[int]] = {}
    for n, line in enumerate(lines):
        stripped = line.rstrip(" ")
        if _FENCE.fullmatch(stripped):
            closers.setdefault(stripped, []).append(n)
    n = 0
    while n < len(lines):
        fence = _FENCE.match(lines[n])
        if fence:
            later = closers.get(fence.group(1), [])
            k = bisect_right(later, n)
            if k < len(later):
                page.blank(page.starts[n], page.line_span(later[k])[1])
                n = later[k] + 1
                continue
        n += 1


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


def _blank_indented_code(page: _Page, scan: PageScan) -> None:
    """Indented code blocks (a block indented four spaces that does not continue a list,
    admonition or footnote), and the nesting of block quotes and indented blocks."""
    in_container = False
    previous_blank = True
    in_code = False
    deep_list = deep_quote = False
    for n in range(len(page.starts)):
        start, end = page.line_span(n)
        line = "".join(page.chars[start:end])
        if not line.strip():
            previous_blank = True
            continue
        indent = _indent(line)
        if previous_blank:
            if indent >= 4 and not in_container:
                in_code = True
            elif indent < 4:
                in_code = False
                in_container = bool(_BLOCK_START.match(line))
        elif indent < 4:
            in_code = False
        previous_blank = False
        if in_code:
            page.blank(start, end)
            continue
        if _BLOCK_START.match(line):
            in_container = True if indent < 4 or in_container else in_container
            level = indent // 4
            if level > MAX_DOCS_NESTING and not deep_list:
                deep_list = True
                scan.problems.append((n + 1, 1, (
                    f"a list, admonition or footnote nested {level} levels deep (indented "
                    f"{indent} spaces): nesting is limited to {MAX_DOCS_NESTING} levels; "
                    "flatten the structure")))
        quotes = _QUOTES.match(line)
        if quotes and quotes.group(1).count(">") > MAX_DOCS_NESTING and not deep_quote:
            deep_quote = True
            scan.problems.append((n + 1, 1, (
                f"block quotes nested {quotes.group(1).count('>')} deep: nesting is limited "
                f"to {MAX_DOCS_NESTING} levels; use fewer '>'")))


def _blank_comments(page: _Page, masked: str) -> str:
    """HTML comments (Markdown passes them through; nothing inside them shows or runs)."""
    pos = 0
    while True:
        start = masked.find("<!--", pos)
        if start < 0:
            return "".join(page.chars)
        end = masked.find("-->", start + 4)
        end = len(masked) if end < 0 else end + 3
        page.blank(start, end)
        pos = end


def _blank_code_spans(page: _Page, masked: str) -> str:
    """Code spans: a run of backticks closed by the next run of the same length in the same
    paragraph. Each run is looked up by length (bisect), so unclosed runs cost no rescan."""
    runs = [(m.start(), m.end() - m.start()) for m in re.finditer(r"(?<!\\)`+", masked)]
    if not runs:
        return masked
    paragraph_ends = [m.start() for m in _PARAGRAPH_END.finditer(masked)]
    by_length: dict[int, list[int]] = {}
    for start, length in runs:
        by_length.setdefault(length, []).append(start)
    chars = list(masked)
    covered = -1
    for start, length in runs:
        if start < covered:
            continue
        later = by_length[length]
        k = bisect_right(later, start)
        limit_index = bisect_right(paragraph_ends, start)
        limit = paragraph_ends[limit_index] if limit_index < len(paragraph_ends) else len(chars)
        if k < len(later) and later[k] < limit:
            end = later[k] + length
            for i in range(start, end):
                if chars[i] != "\n":
                    chars[i] = " "
            covered = end
    return "".join(chars)


def _blank_escapes(page: _Page, masked: str) -> str:
    return re.sub(r"\\[\\`*_{}\[\]()#+\-.!<>&|\"']", "  ", masked)


def _brackets(page: _Page, masked: str, scan: PageScan) -> None:
    """Links and images, bracket nesting and the bracket scan (see the module's docstring)."""
    paragraph_ends = [m.start() for m in _PARAGRAPH_END.finditer(masked)] + [len(masked)]
    total = 0
    reported = False
    end_index = 0
    stack: list[int] = []
    pos = 0
    pattern = re.compile(r"[\[\]]|\n[ \t]*\n")
    over_depth = False

    def charge(amount: int, at: int) -> None:
        nonlocal total, reported
        total += amount
        if total > MAX_DOCS_BRACKET_SCAN and not reported:
            reported = True
            scan.problems.append((*page.pos(at), (
                "'[' without a matching ']' in its paragraph (or brackets nested around long "
                "text): Markdown would scan more than "
                f"{MAX_DOCS_BRACKET_SCAN:,} characters looking for the ends of this page's "
                "brackets; close each '[' with ']' or write '\\[' for a literal bracket")))

    for match in pattern.finditer(masked, pos):
        at = match.start()
        while paragraph_ends[end_index] < at:
            end_index += 1
        char = masked[at]
        if char == "\n":  # a paragraph ends: its open brackets scanned to here
            for opener in stack:
                charge(at - opener, opener)
            stack.clear()
            continue
        if char == "[":
            stack.append(at)
            if len(stack) > MAX_DOCS_NESTING and not over_depth:
                over_depth = True
                scan.problems.append((*page.pos(at), (
                    f"brackets nested more than {MAX_DOCS_NESTING} deep: nesting is limited "
                    f"to {MAX_DOCS_NESTING} levels; write '\\[' for a literal bracket")))
            continue
        if not stack:
            continue
        opener = stack.pop()
        charge(at - opener, opener)
        if masked.startswith("(", at + 1):
            # Once over the limit the page is refused: scan no further (this stays linear).
            close = paragraph_ends[end_index] if reported else \
                _paren_end(masked, at + 2, paragraph_ends[end_index])
            charge(close - at, at)
            if close < paragraph_ends[end_index]:
                image = masked[opener - 1:opener] == "!"
                _link(page, masked, at + 2, close, opener - image, image, scan)
    for opener in stack:
        charge(len(masked) - opener, opener)
    scan.bracket_scan = total


def _link(page: _Page, masked: str, start: int, end: int, at: int, image: bool,
          scan: PageScan) -> None:
    """The target of ``[text](target "title")`` between ``start`` and ``end`` (the ``)``),
    reported at ``at`` (the link's ``[`` or the image's ``!``)."""
    inside = masked[start:end]
    lead = len(inside) - len(inside.lstrip())
    body = inside[lead:]
    if body.startswith("<") and ">" in body:
        first, length = start + lead + 1, body.index(">") - 1
    else:
        first, length = start + lead, len(body.split(None, 1)[0]) if body.strip() else 0
    scan.links.append(Link(*page.pos(at), page.text[first:first + length], image))


def _paren_end(text: str, start: int, limit: int) -> int:
    """Where Markdown's scan for the ``)`` closing a link target stops (counting nested
    parentheses), or ``limit``. Linear in the distance scanned, which the caller charges."""
    depth = 1
    pos = start
    while pos < limit:
        found = _PAREN.search(text, pos, limit)
        if found is None:
            return limit
        depth += 1 if found.group() == "(" else -1
        pos = found.end()
        if depth == 0:
            return found.start()
    return limit


def _emphasis(page: _Page, masked: str, scan: PageScan) -> None:
    """Emphasis nesting: a run of ``*`` or ``_`` that opens (next character not a space) goes
    on the stack, one that closes (previous character not a space) comes off; a paragraph end
    clears the stack."""
    stack: list[str] = []
    ends = [m.start() for m in _PARAGRAPH_END.finditer(masked)] + [len(masked)]
    end_index = 0
    for match in _EMPHASIS.finditer(masked):
        at, end = match.start(), match.end()
        if ends[end_index] < at:
            stack.clear()
            while ends[end_index] < at:
                end_index += 1
        before = masked[at - 1] if at else " "
        after = masked[end] if end < len(masked) else " "
        char = match.group()[0]
        if not before.isspace() and stack and stack[-1] == char:
            stack.pop()
        elif not after.isspace():
            stack.append(char)
            if len(stack) > MAX_DOCS_NESTING:
                scan.problems.append((*page.pos(at), (
                    f"emphasis ('*' or '_') nested more than {MAX_DOCS_NESTING} deep: nesting "
                    f"is limited to {MAX_DOCS_NESTING} levels; close the emphasis or write "
                    "'\\*' for a literal asterisk")))
                return


def _anchors(page: _Page, masked: str, scan: PageScan) -> None:
    for count, match in enumerate(_ANCHOR.finditer(masked), start=1):
        if count > MAX_DOCS_HEADINGS:
            scan.problems.append((*page.pos(match.start()), (
                f"more than {MAX_DOCS_HEADINGS} headings, footnotes and {{#id}}s on one page: "
                "each takes an id the site makes unique, at a cost that grows with their "
                "number; split the page")))
            return


# Classes below never hold the character that starts the next try (no backtracking across a
# long line: every pattern here is linear on any page).
_ATX = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]([^\n]*))?$", re.MULTILINE)
_SETEXT = re.compile(r"^[ ]{0,3}(\S[^\n]*)\n[ ]{0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)
_BRACES = re.compile(r"\{:?([^{}\n]*)\}")
_ID_TOKEN = re.compile(r"(?<![^\s])#([^\s{}#.]+)")
_TRAILING_ATTRS = re.compile(r"\{:?[^{}\n]*\}[ \t]*$")
_FOOTNOTE = re.compile(r"\[\^([^\[\]\n]+)\](:?)")
_HEADING_MARKUP = [
    (re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)"), ""),  # an image has no text
    (re.compile(r"\[\^[^\[\]\n]*\]"), ""),
    (re.compile(r"\[([^\[\]\n]*)\](?:\([^()\n]*\)|\[[^\[\]\n]*\])"), r"\1"),
    (re.compile(r"<[^<>\n]*>"), ""),
    (re.compile(r"`+|\*+|(?<!\w)_+|_+(?!\w)"), ""),
]


def _slug(text: str) -> str:
    """The id Python-Markdown's toc gives a heading (its default slugify, on the heading's
    text with the Markdown and HTML markup taken out)."""
    for pattern, replacement in _HEADING_MARKUP:
        text = pattern.sub(replacement, text)
    text = unicodedata.normalize("NFKD", html.unescape(text))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _explicit_ids(text: str) -> set[str]:
    return {m.group(1) for block in _BRACES.finditer(text)
            for m in _ID_TOKEN.finditer(block.group(1))}


def _ids(text: str, masked: str, scan: PageScan) -> None:
    """The anchors the page will have: explicit ``{#id}``s and HTML ``id``/``name`` attributes,
    headings' ids as toc makes them (``_1``, ``_2`` after equal ones), footnotes' ids."""
    used = _explicit_ids(masked)
    # Found in the blanked text, read in the page's own (a code span's text is the id's too).
    headings = [(m.start(), text[m.start(1):m.end(1)] if m.group(1) else "")
                for m in _ATX.finditer(masked)]
    headings += [(m.start(), text[m.start(1):m.end(1)]) for m in _SETEXT.finditer(masked)]
    if len(headings) > MAX_DOCS_HEADINGS:
        return  # refused (see _anchors)
    suffix: dict[str, int] = {}
    for _start, text in sorted(headings):
        text = re.sub(r"[ \t]#+[ \t]*$", "", " " + text.rstrip())[1:]  # closing #s
        if _explicit_ids(text):
            continue
        base = _slug(_TRAILING_ATTRS.sub("", text).rstrip())
        slug, n = base, suffix.get(base, 0)
        while slug in used or not slug:
            n += 1
            slug = f"{base}_{n}"
        suffix[base] = n
        used.add(slug)
    ids = scan.ids
    ids |= used
    for match in _FOOTNOTE.finditer(masked):
        ids.add(f"fn:{match.group(1)}" if match.group(2) else f"fnref:{match.group(1)}")


def _attr_lists(page: _Page, masked: str, scan: PageScan) -> None:
    """``{: name=value }`` attribute lists (attr_list) set HTML attributes: the guard's rules."""
    for block in _ATTR_LIST.finditer(masked):
        for attr in _ATTR.finditer(block.group(1)):
            name = attr.group(1).lower()
            value = next(v for v in (attr.group(2), attr.group(3), attr.group(4), "")
                         if v is not None)
            why = html_guard.attribute_problem("", name, value)
            if why:
                at = block.start(1) + attr.start()
                scan.problems.append((*page.pos(at), (
                    f"attribute list sets {name}: {why}, which the site removes: delete it")))


class _TagScanner(HTMLParser):
    def __init__(self, page: _Page, scan: PageScan) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.scan = page, scan
        self.found: Counter[str] = Counter()
        # Elements open at this point (those whose end tag is required), for the nesting limit.
        self.open: list[str] = []
        self.open_count: Counter[str] = Counter()
        self.too_deep = False

    def _report(self, why: str, fix: str) -> None:
        self.found[why] += 1
        line, col = self.getpos()
        self.scan.problems.append((line, col + 1, f"raw HTML {why}: the site removes it; {fix}"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        if tag in _VOID or tag in _OPTIONAL_END:
            return
        self.open.append(tag)
        self.open_count[tag] += 1
        if len(self.open) > MAX_DOCS_NESTING and not self.too_deep:
            # Python-Markdown recurses on `markdown` elements; the HTML5 parsers (the guard's)
            # slow down with depth on any.
            self.too_deep = True
            line, col = self.getpos()
            self.scan.problems.append((line, col + 1, (
                f"HTML elements nested more than {MAX_DOCS_NESTING} deep: nesting is limited "
                f"to {MAX_DOCS_NESTING} levels; close them or flatten the markup")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.open_count[tag] > 0:
            while self.open:
                last = self.open.pop()
                self.open_count[last] -= 1
                if last == tag:
                    break

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scan.ids.update(value for name, value in attrs if name in ("id", "name") and value)
        if tag in html_guard.DROP_ELEMENTS:
            self._report(f"<{tag}> element", "remove the element (scripts, styles, frames and "
                         "forms are not allowed in pages)")
            return
        for name, value in attrs:
            why = html_guard.attribute_problem(tag, name, value)
            if why:
                fix = "link a file of the site relatively" if "host" in why or "link" in why \
                    else "pages run no script and load nothing from elsewhere"
                self._report(f"<{tag} {name}>: {why}", f"remove the {name} attribute ({fix})")


def _html(page: _Page, masked: str, scan: PageScan) -> None:
    """Raw HTML, judged by the guard's own rules at each tag's position. The guard's HTML5
    reading of the page is asked too: what it finds that the tag scan placed nowhere (the two
    parsers differ on some malformed markup) is still reported, at the page's first line."""
    if "<" not in masked:
        return
    scanner = _TagScanner(page, scan)
    scanner.feed(masked)
    rest = scanner.rawdata
    opened = rest.find("<")
    left = rest[opened:] if opened >= 0 else ""
    if re.match(r"<[A-Za-z/]", left) and re.search(r"[=\"']", left):
        # A start tag with attributes still open at the end: the template's markup after
        # the page would close it (`<img src=x onerror=alert(1)//`).
        line, col = scanner.getpos()
        scan.problems.append((line, col + 1, (
            "an HTML tag is left open at the end of the page (no closing '>' or quote): the "
            "site's own markup after the page would complete it; close the tag with '>' and "
            "its quotes, or write '&lt;' for a literal '<'")))
        masked = masked[: len(masked) - len(left)]
    # No close(): it would read what is left as text, rescanning to the end from each '<'.
    if scanner.too_deep:
        return  # refused already; the HTML5 reading would slow down with the depth
    missed = Counter(html_guard.problems(masked)) - scanner.found
    missed.pop(html_guard.OPEN_END, None)  # judged above, where Markdown keeps the tag
    for why in sorted(missed):
        scan.problems.append((1, 1, f"raw HTML {why}: the site removes it; find it in the page "
                              "and remove it"))
