"""Turn untrusted YAML text into safe Markdown.

Two kinds of text reach a page:

* **plain text** (titles, publishers, statements, labels): every character is shown as written.
  :func:`md_text` escapes HTML and every Markdown or extension syntax character, so nothing a
  writer types can become markup.
* **writer prose** (lede, section text, bullets): Markdown, with a deliberately small allowance,
  documented in the writer's guide: ``*emphasis*``, ``**strong**``, `` `code` `` and inline links
  ``[text](https://...)`` whose target is http(s). Raw HTML is shown as text; images, reference
  links, footnotes, attribute lists (``{: onclick=...}``) and block syntax (headings, quotes, code
  blocks) are neutralised. :func:`prose_segments` splits prose into literal pieces and
  references; :func:`sanitise_prose` makes a literal piece safe.
"""

from __future__ import annotations

import re

from markupsafe import escape

_WS = re.compile(r"\s+")
# An inline link whose target is http(s): the only link form prose may use.
_LINK = re.compile(r"\[([^\[\]\n]+)\]\((https?://[^\s()<>\"']+)\)")
# Block syntax at the start of a paragraph or bullet.
_BLOCK_START = re.compile(r"^(\s*)([#>+\-*=]|\d+[.)]|:)")


def collapse(text: str) -> str:
    """One line: YAML folded/literal scalars may hold newlines that would start Markdown blocks."""
    return _WS.sub(" ", text).strip()


# HTML characters become entities; Markdown syntax characters are backslash-escaped; those
# Markdown's backslash escape does not cover but extensions may treat as syntax (tables: |,
# pymdownx: ~ ^ =, smart quotes: ', definition lists: :) become numeric entities.
_MD_TEXT = str.maketrans(
    {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;"}
    | {ch: "\\" + ch for ch in "\\`*_{}[]()#+-.!"}
    | {ch: f"&#{ord(ch)};" for ch in "'|~^=:"})


def md_text(text: str) -> str:
    """Plain text as Markdown that renders to exactly that text."""
    return collapse(text).translate(_MD_TEXT)


def html_text(text: str) -> str:
    return str(escape(text))


def sanitise_prose(text: str) -> str:
    """A literal piece of writer prose (no references inside) as safe Markdown.

    Keeps http(s) inline links and emphasis; escapes everything that could become HTML, an
    image, a non-http link, an attribute list or a reference definition.
    """
    pieces: list[str] = []
    pos = 0
    for match in _LINK.finditer(text):
        pieces.append(_sanitise_plain(text[pos:match.start()]))
        label = _sanitise_plain(match.group(1))
        url = match.group(2)
        pieces.append(f"[{label}]({url})")
        pos = match.end()
    pieces.append(_sanitise_plain(text[pos:]))
    return "".join(pieces)


def _sanitise_plain(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Brackets, braces and "!" could start links, images, footnotes or attribute lists.
    return re.sub(r"([\[\]{}!])", r"\\\1", text)


def guard_block_start(text: str) -> str:
    """Escape a leading character that would turn a paragraph into a heading, list or quote."""
    match = _BLOCK_START.match(text)
    if not match:
        return text
    start = match.start(2)
    return text[:start] + "\\" + text[start:] if text[start] != ":" else text


def prose_links(text: str) -> list[str]:
    """Link targets in prose that are not http(s) (check reports them)."""
    bad = []
    for match in re.finditer(r"\[[^\[\]\n]+\]\(([^)\s]*)\)", text):
        if not re.match(r"https?://", match.group(1)):
            bad.append(match.group(1))
    return bad
