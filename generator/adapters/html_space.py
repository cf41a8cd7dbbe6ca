"""Blank lines and indentation out of a finished page: the theme's templates print a page's
markup with every template line's indentation and a blank line per template tag, about an
eighth of each page's bytes, which every edition publishes again.

A run of whitespace holding a line break becomes one line break: HTML shows any such run in
text as one space (or nothing between blocks), and between attributes it is only a separator.
Inside ``<pre>`` and ``<textarea>`` whitespace shows, so they are left as they are; so are
``<code>`` and ``<kbd>`` (printed pages keep their whitespace), ``<style>``, and a ``<script>``
whose text could hold a string spanning lines (a backtick, or a backslash before a line break).
The words, the markup and their order stay the same.
"""

from __future__ import annotations

import re

_KEPT = ("pre", "textarea", "code", "kbd", "style", "script")
_OPEN = re.compile(f"<({'|'.join(_KEPT)})\\b", re.I)
_CLOSE = {name: re.compile(f"</{name}", re.I) for name in _KEPT}
_RUN = re.compile(r"\n\s+")


def tighten(html: str) -> str:
    """The page with each whitespace run that holds a line break shortened to one line break,
    but where whitespace shows or might matter (see the module's docstring)."""
    out: list[str] = []
    pos = 0
    for match in _OPEN.finditer(html):
        if match.start() < pos:
            continue  # inside an element already kept
        name = match.group(1).lower()
        close = _CLOSE[name].search(html, match.end())
        end = close.start() if close else len(html)
        out.append(_RUN.sub("\n", html[pos:match.start()]))
        kept = html[match.start():end]
        if name == "script" and "`" not in kept and "\\\n" not in kept:
            kept = _RUN.sub("\n", kept)
        out.append(kept)
        pos = end
    out.append(_RUN.sub("\n", html[pos:]))
    return "".join(out)
