"""Front matter of hand-written pages in ``docs/``: the keys the theme prints, and their rules.

MkDocs' Jinja does not autoescape, and Material prints several front-matter values raw into
every page (``title`` in the navigation, tabs and header; ``subtitle`` under a navigation
entry; ``icon`` and ``status`` as names of templates and classes). A page in ``docs/`` is
content from anyone, so its front matter is judged here, with no engine import, by the build
(``on_page_markdown`` of the plugin) and by ``explainer check``:

* :func:`front_matter_problems` lists what cannot be published: a name key (``icon``,
  ``status``, ``hide``, ``kind``) holding anything but a plain name, a text key holding a list
  or mapping, and keys that choose code (``template``: templates are code, not content).
* :func:`safe_front_matter` returns the front matter to publish: every string, at any depth,
  HTML-escaped as :class:`markupsafe.Markup`, so the theme prints text where the writer wrote
  markup, and a template's ``|e`` does not escape it twice.
* :func:`markup_in_text` names the text keys whose value holds markup characters (shown as
  text once escaped): for ``explainer check`` to warn about.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

# Printed as text by the theme (raw, in Material's case): any string, escaped at build.
TEXT_KEYS = frozenset({
    "title", "subtitle", "description", "author", "location", "revision_date",
    "git_revision_date_localized", "git_creation_date_localized", "git_created_date",
})
# Used as part of a template path (``icon``: ``.icons/<icon>.svg``) or of a class name
# (``status``, ``kind``), or compared with names (``hide``): plain names only.
ICON_KEYS = frozenset({"icon"})
NAME_KEYS = frozenset({"status", "kind"})
NAME_LIST_KEYS = frozenset({"hide"})
# Choose code, not content: never from a page anyone may write.
REFUSED_KEYS = {
    "template": "chooses a theme template (templates are code); remove it",
}

# Material's icon sets: "material/home", "fontawesome/brands/github", "octicons/alert-16".
_ICON = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)+\Z")
_NAME = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*\Z")
_MARKUP = re.compile(r"[<>&\"']")
_SCALAR = (int, float, dt.date)  # printed as they are (bool is an int)


def front_matter_problems(meta: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key, message) for every front-matter value a page in docs/ may not publish."""
    found: list[tuple[str, str]] = []
    for key, value in meta.items():
        name = str(key)
        if name in REFUSED_KEYS:
            found.append((name, f"`{name}:` {REFUSED_KEYS[name]}"))
        elif name in ICON_KEYS:
            if not (isinstance(value, str) and _ICON.match(value)):
                found.append((name, f"`{name}:` must be an icon name such as material/home "
                                    "(lower-case letters, digits, - and /)"))
        elif name in NAME_KEYS:
            if not (isinstance(value, str) and _NAME.match(value)):
                found.append((name, f"`{name}:` must be a plain name (letters, digits, - "
                                    "and _)"))
        elif name in NAME_LIST_KEYS:
            items = value if isinstance(value, list) else [value]
            if not all(isinstance(v, str) and _NAME.match(v) for v in items):
                found.append((name, f"`{name}:` must be a list of plain names such as "
                                    "[navigation, toc]"))
        elif name in TEXT_KEYS and value is not None \
                and not isinstance(value, (str, *_SCALAR)):
            found.append((name, f"`{name}:` must be text, not a list or mapping"))
    return found


def markup_in_text(meta: Mapping[str, Any]) -> list[str]:
    """The text keys whose value holds markup characters (published escaped, as text)."""
    return [str(key) for key, value in meta.items()
            if str(key) in TEXT_KEYS and isinstance(value, str) and _MARKUP.search(value)]


def safe_front_matter(meta: Mapping[str, Any]) -> dict[str, Any]:
    """``meta`` with every string at any depth HTML-escaped (a :class:`Markup`, so a template's
    ``|e`` leaves it as it is). Call :func:`front_matter_problems` first: this does not judge
    names."""
    return {key: _escaped(value) for key, value in meta.items()}


def _escaped(value: Any) -> Any:
    if isinstance(value, Markup):  # already escaped (a page converted twice)
        return value
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_escaped(v) for v in value)
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def plain_text(value: Any) -> str:
    """A front-matter value as the reader sees it (escaped values back to their text)."""
    if isinstance(value, Markup):
        return value.unescape()
    return "" if value is None else str(value)


_FENCE = re.compile(r"---[ \t]*\r?\n")


def key_line(source: str, key: str) -> int:
    """The line (1-based) of ``key:`` in the front matter at the top of ``source``; 1 when it
    cannot be told (the front matter starts there)."""
    if not _FENCE.match(source):
        return 1
    pattern = re.compile(rf"(?:['\"]?){re.escape(key)}(?:['\"]?)[ \t]*:")
    for number, line in enumerate(source.splitlines()[1:], start=2):
        if line.rstrip() in ("---", "..."):
            break
        if pattern.match(line):
            return number
    return 1
