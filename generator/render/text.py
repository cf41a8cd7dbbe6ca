"""Turn untrusted YAML text into safe Markdown.

Two kinds of text reach a page:

* **plain text** (titles, publishers, statements, labels): every character is shown as written.
  :func:`md_text` escapes HTML and every Markdown or extension syntax character, so nothing a
  writer types can become markup.
* **writer prose** (lede, section text, bullets, note): Markdown, with a deliberately small
  allowance, documented in the writer's guide: ``*emphasis*``, ``**strong**``, `` `code` ``,
  backslash escapes and inline links ``[text](https://...)`` whose target passes the shared URL
  rule (generator/load/urls.py). :func:`sanitise_prose` rebuilds each allowed form from its parts
  and escapes everything else, backslashes included, so no writer text is ever interpolated into
  Markdown syntax: raw HTML, images, reference links, footnotes, attribute lists
  (``{: onclick=...}``) and block syntax are shown as typed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import escape

from generator.load.urls import link_target

_WS = re.compile(r"\s+")
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


@lru_cache(maxsize=1 << 16)
def md_text(text: str) -> str:
    """Plain text as Markdown that renders to exactly that text. Remembered: headlines,
    statements and titles are shown on many pages (an explainer's headline on its page, its
    cards, tag pages and every Facts page listing its facts)."""
    return _no_placeholder(collapse(text).translate(_MD_TEXT))


def html_text(text: str) -> str:
    return str(escape(text))


def sanitise_prose(text: str) -> str:
    """A literal piece of writer prose (no references inside) as safe Markdown.

    Only the allowed forms are written as Markdown, each rebuilt from its parts: ``*em*``,
    ``**strong**``, `` `code` `` and ``[label](url)`` where the URL passes the one URL rule
    (generator/load/urls.py) and is percent-encoded so it cannot end the link early. Every other
    character that Markdown or an extension could read as syntax is escaped, the backslash too
    (a writer's ``\\[`` must not cancel our escape), so nothing else becomes markup. A writer's
    backslash before punctuation is read here, as Markdown would: that character, shown as typed.
    """
    return _inline(text, links=True)


# The allowed inline forms, tried left to right; a form that does not match exactly is text.
# Emphasis spans are bounded so that unclosed openers cannot make the scan quadratic.
SPAN_MAX = 1000
_FORMS = re.compile(
    r"\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|(?P<code>`(?P<code_in>[^`\n]+)`)"
    r"|(?P<link>\[(?P<label>[^\[\]\n]+)\]\((?P<target>[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)\))"
    rf"|(?P<strong>\*\*(?=[^\s*])(?P<strong_in>.{{1,{SPAN_MAX}}}?)(?<=[^\s*\\])\*\*)"
    rf"|(?P<em>\*(?=[^\s*])(?P<em_in>[^*]{{1,{SPAN_MAX}}}?)(?<=[^\s*\\])\*)")
INLINE_FORMS = _FORMS  # prose.py puts no citation marker inside one


def _inline(text: str, *, links: bool) -> str:
    pieces: list[str] = []
    pos = 0
    for match in _FORMS.finditer(text):
        kind = match.lastgroup
        if kind == "link":
            target = link_target(match.group("target"))
            if target is None or not links:
                continue  # not an allowed link: its characters are escaped as text below
            made = f"[{_inline(match.group('label'), links=False)}]({target})"
        elif kind == "escaped":  # the writer's own escape: that character, as typed
            made = _escape_prose(match.group("escaped"))
        elif kind == "code":
            made = f"`{match.group('code_in')}`"
        elif kind == "strong":
            made = f"**{_inline(match.group('strong_in'), links=links)}**"
        else:
            made = f"*{_inline(match.group('em_in'), links=links)}*"
        pieces.append(_escape_prose(text[pos:match.start()]))
        pieces.append(made)
        pos = match.end()
    pieces.append(_escape_prose(text[pos:]))
    return "".join(pieces)


# Prose keeps its punctuation readable in the Markdown (golden files stay legible): only the
# characters that can start inline syntax are escaped. HTML characters become entities;
# extensions' syntax characters (tables |, pymdownx ~ ^ =) numeric entities.
_PROSE = str.maketrans(
    {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
    | {ch: "\\" + ch for ch in "\\`*_{}[]!"}
    | {ch: f"&#{ord(ch)};" for ch in "|~^="})


def _escape_prose(text: str) -> str:
    return _no_placeholder(text.translate(_PROSE))


def _no_placeholder(text: str) -> str:
    """The footnotes extension moves every note to a literal "///Footnotes Go Here///"."""
    return text.replace("///", "//&#47;")


def guard_block_start(text: str) -> str:
    """Escape a leading character that would turn a paragraph into a heading, list or quote."""
    match = _BLOCK_START.match(text)
    if not match:
        return text
    start = match.start(2)
    return text[:start] + "\\" + text[start:] if text[start] != ":" else text


# Anything written like a link, whatever its target: check reports the targets that are refused.
