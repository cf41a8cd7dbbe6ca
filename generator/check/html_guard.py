"""A last line of defence on page HTML: what escaping upstream missed is cut out here.

Every untrusted string is escaped before it reaches Markdown (generator/render/text.py); this
guard runs on the HTML MkDocs made of a page's Markdown (``on_page_content``, never on theme
templates) and removes what no generated page ever contains:

* elements that run code, load another document, restyle the page, take input or swallow
  the markup after them: ``script``, ``style``, ``svg``, ``math``, ``iframe``, ``object``,
  ``embed``, ``base``, ``link``, ``meta``, ``template``, ``noscript``, forms and their
  controls, ``dialog``, the raw-text ``textarea``/``title``/``xmp``/``plaintext``/... (with
  their content);
* event-handler attributes (``on*``), ``ping``, ``attributionsrc``, ``srcdoc``, ``popover*``;
* ``style`` attributes but for a small allow-list of properties with plain values (colours,
  alignment, font weight and style, plain non-negative lengths: no ``url()``, ``image-set()``,
  ``var()``, escapes or positioning, so no off-host fetch and no overlay);
* links whose target is not http(s) nor a relative or fragment link to our own pages
  (``javascript:``, ``data:``, however cased, spaced or entity-encoded);
* resources (``src``, ``srcset``, ``poster``, ...) that are not relative, and ``data-*``
  attributes holding an address with a host or a script scheme (a script reading them would
  load it): pages load nothing from another host.

A page's HTML is put into the theme's template, so it must end where it seems to: a tag,
attribute, comment or raw-text element left open at its end would swallow the template's markup
after it (``<img src=x onerror=alert(1)//`` closes on the template's ``>``; a dangling
``src="https://host/?`` sends the rest of the page away). Such an end is judged by parsing the
page followed by a marker element: when the marker is not an element of its own, outside every
dropped element, the page is serialized again from the HTML5 parse, which closes everything.

How: Lexbor (selectolax), an HTML5 parser that reads markup the way browsers do, finds the
problems; a page with none (every page we make) comes back byte-for-byte unchanged, so our chart
and footnote markup passes untouched, and the check costs about 40 ms per MB. A page with
problems is edited in place by position (stdlib html.parser), and the result is checked by Lexbor
again; should the two parsers disagree, the page is rebuilt from Lexbor's tree without the
offending parts instead. No import from the rest of the generator but the URL rule.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from selectolax.lexbor import LexborHTMLParser, LexborNode

from generator.load.urls import is_http_href, is_relative

DROP_ELEMENTS = frozenset({
    "script", "style", "svg", "math", "iframe", "frame", "frameset", "object", "embed",
    "applet", "base", "link", "meta", "template", "noscript", "portal", "fencedframe",
    # input and its submission: a form posts what a reader types (a fake password prompt)
    "form", "input", "button", "select", "textarea", "datalist", "option", "optgroup",
    "keygen", "isindex", "dialog",
    # raw text: the markup after them is read as their text
    "title", "xmp", "plaintext", "noembed", "noframes", "listing",
})
# Attributes no page of ours carries: pings and attribution reports to any host, a document in
# an attribute, elements shown above the page.
DROP_ATTRS = frozenset({"ping", "attributionsrc", "srcdoc", "popover", "popovertarget",
                        "popovertargetaction", "formaction", "http-equiv"})
LINK_ATTRS = frozenset({"href", "action", "formaction", "xlink:href", "cite"})
RESOURCE_ATTRS = frozenset({"src", "srcset", "poster", "background", "data", "lowsrc",
                            "dynsrc", "imagesrcset"})
# The style attribute's allow-list: property -> value pattern (lower-cased, trimmed).
_LENGTH = r"(?:0|auto|\d{1,4}(?:\.\d{1,3})?(?:px|em|rem|%|ch|ex))"
_COLOR = r"(?:#[0-9a-f]{3,8}|[a-z]{3,20}|(?:rgb|rgba|hsl|hsla)\([0-9., %/deg]{1,40}\))"
_STYLE_VALUES = {
    "color": _COLOR, "background-color": _COLOR,
    "text-align": r"(?:left|right|center|justify|start|end)",
    "vertical-align": r"(?:top|middle|bottom|baseline|sub|super|text-top|text-bottom)",
    "font-weight": r"(?:normal|bold|bolder|lighter|[1-9]00)",
    "font-style": r"(?:normal|italic|oblique)",
    "text-decoration": r"(?:none|underline|overline|line-through)",
    "white-space": r"(?:normal|nowrap|pre|pre-wrap|pre-line)",
    "width": _LENGTH, "height": _LENGTH, "max-width": _LENGTH, "min-width": _LENGTH,
    "max-height": _LENGTH,
    **{f"{box}{side}": rf"{_LENGTH}(?:\s+{_LENGTH}){{0,3}}"
       for box in ("margin", "padding") for side in ("", "-top", "-right", "-bottom", "-left")},
}
_STYLE_RULES = {name: re.compile(value + r"\Z") for name, value in _STYLE_VALUES.items()}
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})


@dataclass
class GuardResult:
    html: str
    removed: list[str] = field(default_factory=list)  # one line per removal, for the log


def guard_html(html: str) -> GuardResult:
    """``html`` with every disallowed element, attribute and link target removed, ending
    where it seems to (nothing left open to swallow the template's markup)."""
    found = problems(html)
    if not found:
        return GuardResult(html)
    if OPEN_END in found:
        html = _rebuilt(html, drop=False)  # closed by the HTML5 serializer
    edited = _edit_in_place(html)
    if not problems(edited):
        return GuardResult(edited, found)
    rebuilt = _rebuilt(html)  # the parsers disagree: trust the HTML5 one
    if not problems(rebuilt):
        return GuardResult(rebuilt, found)
    return GuardResult(escape(html), found)  # never reached by any known input: text only


OPEN_END = "a tag, attribute, comment or raw-text element left open at the end"


def problems(html: str) -> list[str]:
    """What the guard would remove, read as a browser reads the page (HTML5 parsing)."""
    # A marker put after the page, to see whether it ends where it seems to: an id no page
    # can know in advance, so none can hold a marker of its own.
    mark = f"explainer-end-{secrets.token_hex(8)}"
    tree = LexborHTMLParser(f'{html}<i id="{mark}"></i>')
    found = [why for _node, why in _findings(tree)]
    if not _ends_closed(tree, mark):
        found.append(OPEN_END)
    return found


def _ends_closed(tree: LexborHTMLParser, mark: str) -> bool:
    marks = tree.css(f"#{mark}")
    if len(marks) != 1 or marks[0].tag != "i" or marks[0].attributes != {"id": mark}:
        return False
    node = marks[0].parent
    while node is not None:
        if node.tag in DROP_ELEMENTS:
            return False
        node = node.parent
    return True


def _findings(tree: LexborHTMLParser) -> list[tuple[tuple[LexborNode, str | None], str]]:
    out: list[tuple[tuple[LexborNode, str | None], str]] = []
    root = tree.root
    if root is None:
        return out
    for node in root.traverse(include_text=False):
        tag = node.tag or ""
        if tag in DROP_ELEMENTS:
            out.append(((node, None), f"<{tag}> element"))
            continue
        for name, value in node.attributes.items():
            why = attribute_problem(tag, name, value)
            if why:
                out.append(((node, name), f"<{tag} {name}>: {why}"))
    return out


def _rebuilt(html: str, *, drop: bool = True) -> str:
    tree = LexborHTMLParser(html)
    for (node, attr), _why in reversed(_findings(tree) if drop else []):
        if attr is None:
            node.decompose()
        else:
            del node.attrs[attr]
    body = tree.body
    return body.inner_html or "" if body is not None else ""


def _edit_in_place(html: str) -> str:
    parser = _Scanner(html)
    parser.feed(html)
    parser.close()
    parser.finish()
    out: list[str] = []
    pos = 0
    for start, end, replacement in sorted(parser.edits):
        if start < pos:  # inside a range already cut (a dropped element's content)
            continue
        out.append(html[pos:start])
        out.append(replacement)
        pos = end
    out.append(html[pos:])
    return "".join(out)


def _srcset_ok(value: str) -> bool:
    candidates = [c.strip().split()[0] for c in value.split(",") if c.strip()]
    return all(is_relative(c) for c in candidates)


# Values that are plainly fine, judged without the full URL rule (most links on a page): a
# fragment, a parent-relative path, or http(s) with no character a browser would strip or decode.
_PLAIN_OK = re.compile(r"(?:#|\.\./|https?://)[^\s&\\\x00-\x1f]*\Z")
_URL_ATTRS = LINK_ATTRS | RESOURCE_ATTRS | {"style"}


# An address a script could load: with a host ("//", "https://"), or a script scheme.
_DATA_URL = re.compile(r"[\x00-\x20]*(?:[a-z][a-z0-9+.\-]*:)?[\x00-\x20]*[/\\]{2}"
                       r"|[\x00-\x20]*(?:javascript|vbscript|data|blob|file|filesystem)\s*:",
                       re.IGNORECASE)


def attribute_problem(tag: str, name: str, value: str | None) -> str | None:
    """Why this attribute may not stay, or None."""
    if name.startswith("on"):
        return "event handler"
    if name in DROP_ATTRS:
        return "attribute that sends, loads or overlays"
    if name.startswith("data-"):
        return "address with a host or script scheme" if value and _DATA_URL.match(value) \
            else None
    if value is None or name not in _URL_ATTRS:
        return None
    if name in LINK_ATTRS and _PLAIN_OK.match(value):
        return None
    if name == "style":
        return style_problem(value)
    if name in LINK_ATTRS and not (is_http_href(value) or is_relative(value)):
        return "link that is not http(s) nor relative"
    if name in ("srcset", "imagesrcset") and not _srcset_ok(value):
        return "resource from another host"
    if name in RESOURCE_ATTRS - {"srcset", "imagesrcset"} and not is_relative(value):
        return "resource from another host"
    return None


def style_problem(value: str) -> str | None:
    """Why a ``style`` attribute may not stay: a property off the allow-list, or a value that
    is not plain."""
    for declaration in value.split(";"):
        if not declaration.strip():
            continue
        name, colon, text = declaration.partition(":")
        prop = name.strip().lower()
        rule = _STYLE_RULES.get(prop)
        if not colon or rule is None:
            return f"style property {prop or declaration.strip()!r} is not on the allow-list"
        if not rule.match(" ".join(text.lower().split())):
            return f"style value for {prop} is not a plain value"
    return None


class _Scanner(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.edits: list[tuple[int, int, str]] = []
        self.dropping: tuple[str, int, int] | None = None  # tag, start offset, nesting depth

    def _tag_span(self) -> tuple[int, int]:
        """Where the start tag being handled sits in the page (only asked when it changes)."""
        start = self._offset()
        return start, start + len(self.get_starttag_text() or "")

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *,
               self_closing: bool) -> None:
        if self.dropping is not None:
            name, begin, depth = self.dropping
            if tag == name and not self_closing:
                self.dropping = (name, begin, depth + 1)
            return
        if tag in DROP_ELEMENTS:
            start, end = self._tag_span()
            if self_closing or tag in _VOID:
                self.edits.append((start, end, ""))
            else:
                self.dropping = (tag, start, 1)
            return
        dropped = {i for i, (name, value) in enumerate(attrs)
                   if attribute_problem(tag, name, value)}
        if not dropped:
            return
        kept = [name if value is None else f'{name}="{escape(value)}"'
                for i, (name, value) in enumerate(attrs) if i not in dropped]
        start, end = self._tag_span()
        close = "/>" if self_closing else ">"
        self.edits.append((start, end, f"<{' '.join([tag, *kept])}{close}"))

    def handle_endtag(self, tag: str) -> None:
        if self.dropping is None:
            if tag in DROP_ELEMENTS:  # a stray end tag: harmless, but not ours either
                start = self._offset()
                self.edits.append((start, self._end_of_tag(start), ""))
            return
        name, begin, depth = self.dropping
        if tag != name:
            return
        if depth > 1:
            self.dropping = (name, begin, depth - 1)
            return
        start = self._offset()
        self.edits.append((begin, self._end_of_tag(start), ""))
        self.dropping = None

    def _end_of_tag(self, start: int) -> int:
        close = self.html.find(">", start)
        return len(self.html) if close < 0 else close + 1

    def finish(self) -> None:
        """An element left open to the end of the page: cut to the end."""
        if self.dropping is not None:
            self.edits.append((self.dropping[1], len(self.html), ""))
            self.dropping = None
