"""Accessible names the stock Markdown extensions leave out, set on a page's HTML.

* A citation marker is a link whose text is its number ("1"): a screen reader lists twenty
  links called "1". Each gets ``aria-label="Source 1: AP, Oct. 5, 2023"`` from the page's
  ``note_labels`` (generator/render/citations.py), as do the Facts table's source links
  (``<a href="#fn:1">1</a>``); a page without labels (a hand-written one) says "Footnote 1".
* A back-reference is a link called "↩": it becomes "Back to the text citing source 1".
* A heading with a permalink is named "Facts ¶" (the link's text joins the heading's name): the
  heading gets ``aria-label`` with its own text, and the link says what it is.

Only attributes are added, so the page looks the same; the HTML guard runs after this.
"""

from __future__ import annotations

import html
import re

_REF = re.compile(r'<a (class="footnote-ref" )?href="#fn:([^"<>]+)">([^<]*)</a>')
_BACKREF = re.compile(r'<a class="footnote-backref" href="#fnref\d*:([^"<>]+)"')
_HEADING = re.compile(
    r'<h([1-6])((?: [a-z-]+="[^"<>]*")*)>((?:(?!</h[1-6]>).){0,4000}?)'
    r'<a class="headerlink" href="([^"<>]*)" title="Permanent link">', re.S)
_TAG = re.compile(r"<[^>]*>")
_WS = re.compile(r"\s+")


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def plain(fragment: str) -> str:
    """The text of an HTML fragment, one line."""
    return _WS.sub(" ", html.unescape(_TAG.sub("", fragment))).strip()


def name_links(page: str, labels: dict[str, str] | None = None) -> str:
    """``page`` with citation links, back-references and permalinked headings named."""
    labels = labels or {}
    if 'href="#fn' in page:
        def ref(match: re.Match[str]) -> str:
            number, text = match.group(2), match.group(3)
            if text.strip() != number:  # a writer's link to a note, with words of its own
                return match.group(0)
            label = labels.get(number) or f"Footnote {number}"
            return (f'<a {match.group(1) or ""}href="#fn:{number}" '
                    f'aria-label="{_attr(label)}">{text}</a>')

        def backref(match: re.Match[str]) -> str:
            label = labels.get(match.group(1))
            what = label.split(":", 1)[0].lower() if label else f"footnote {match.group(1)}"
            return f'{match.group(0)} aria-label="{_attr("Back to the text citing " + what)}"'

        page = _BACKREF.sub(backref, _REF.sub(ref, page))
    if 'class="headerlink"' in page:
        def heading(match: re.Match[str]) -> str:
            level, attrs, inner, href = match.groups()
            if "aria-label=" in attrs:
                return match.group(0)
            name = _attr(plain(inner))
            return (f'<h{level}{attrs} aria-label="{name}">{inner}<a class="headerlink" '
                    f'href="{href}" title="Permanent link" '
                    f'aria-label="Permanent link to this section">')

        page = _HEADING.sub(heading, page)
    return page
