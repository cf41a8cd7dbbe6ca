"""The whole page, as a browser parses it after the theme's template: nothing in it may run
script or load from another host but what the theme itself puts there.

The content guard (html_guard.py) judges a page's content alone; the theme then prints the
content, the navigation (page titles), the table of contents and the front matter into its
template. This check reads the finished page (``on_post_page``) with the same HTML5 parser and
finds, anywhere in it:

* event-handler attributes (``on*``): the theme's templates carry none;
* ``<script src>`` not from the site itself (a relative address), and executable inline
  ``<script>`` inside the page's content area (the theme's inline scripts sit outside it);
* elements that load another document (``iframe``, ``frame``, ``object``, ``embed``,
  ``base``, ``portal``, ``meta http-equiv``);
* resources (``src``, ``srcset``, ``poster``, ``data``, ``<link rel=stylesheet|icon|...>``)
  and form actions from another host, ``ping``/``attributionsrc``, links to ``javascript:``
  and the like, and ``style`` attributes off the content guard's allow-list.

Other hosts the site's configuration (code) names, such as a font service or a script in
``extra_javascript``, are passed in as ``allowed_hosts``.

Cheap first: Lexbor's CSS selectors (C) find the few candidates; the one walk over every
element's attributes, for event handlers, runs only when the page's text has something that
looks like one.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from generator.check.html_guard import style_problem
from generator.load.urls import is_http_href, is_relative

CONTENT_AREA = '[data-md-component="content"]'
_LOADING = "iframe, frame, frameset, object, embed, applet, base, portal, fencedframe"
_RESOURCE_ATTRS = ("src", "poster", "data", "background", "lowsrc", "dynsrc")
_SRCSET_ATTRS = ("srcset", "imagesrcset")
_RESOURCES = ", ".join(f"[{a}]" for a in (*_RESOURCE_ATTRS, *_SRCSET_ATTRS))
_LINKS = "[href], [action], [formaction], [xlink\\:href], [ping], [attributionsrc]"
# <link rel> values that load something into the page (others, canonical or alternate, name
# an address and load nothing).
_LOADING_RELS = frozenset({"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload",
                           "modulepreload", "prefetch", "prerender", "manifest", "import",
                           "dns-prefetch", "preconnect", "mask-icon"})
_SCRIPT_TYPES = frozenset({"", "text/javascript", "application/javascript", "module",
                           "text/ecmascript", "application/ecmascript", "text/jscript"})
# Plainly fine without the full URL rule (most addresses on a page): a relative address
# without a scheme, or an http(s) one, with no character a browser strips or decodes.
_PLAIN_RELATIVE = re.compile(r"(?:\.{0,2}/(?!/)|[A-Za-z0-9_~-])[A-Za-z0-9_.~/%+-]*"
                             r"(?:[?#][^\s&\\\x00-\x1f]*)?\Z|#[^\s&\\\x00-\x1f]*\Z")
_PLAIN_HTTP = re.compile(r"https?://[^\s&\\\x00-\x1f]*\Z")
# Attribute names in the page's text that could be event handlers (a cheap first look).
_HANDLER_TEXT = re.compile(r"[\s/\"']on[a-z]+\s*=", re.IGNORECASE)


def page_problems(html: str, allowed_hosts: frozenset[str] = frozenset()) -> list[str]:
    """What in the finished page could run script or load from another host (empty on every
    page the theme makes of safe content). ``allowed_hosts``: hosts (lower case) the site's
    configuration loads from."""

    def local(value: str) -> bool:
        return _relative(value) or _allowed(value, allowed_hosts)

    tree = LexborHTMLParser(html)
    found: list[str] = []
    content = tree.css_first(CONTENT_AREA)
    for script in tree.css("script"):
        src = script.attributes.get("src")
        kind = (script.attributes.get("type") or "").strip().lower()
        if src is not None:
            if not local(src):
                found.append(f"<script src={src!r}>: a script from another host")
        elif kind in _SCRIPT_TYPES and content is not None and _inside(script, content):
            found.append("<script> in the page's content")
    for node in tree.css(_LOADING):
        found.append(f"<{node.tag}> element")
    for node in tree.css("meta[http-equiv]"):
        found.append(f"<meta http-equiv={node.attributes.get('http-equiv')!r}>")
    for node in tree.css(_RESOURCES):
        if node.tag == "script":
            continue
        for name in _RESOURCE_ATTRS:
            value = node.attributes.get(name)
            if value is not None and not local(value):
                found.append(f"<{node.tag} {name}={value!r}>: a resource from another host")
        for name in _SRCSET_ATTRS:
            value = node.attributes.get(name)
            if value is not None and not all(local(c.strip().split()[0])
                                             for c in value.split(",") if c.strip()):
                found.append(f"<{node.tag} {name}>: a resource from another host")
    for node in tree.css(_LINKS):
        found.extend(_link_problems(node, allowed_hosts))
    for node in tree.css("[style]"):
        why = style_problem(node.attributes.get("style") or "")
        if why:
            found.append(f"<{node.tag} style>: {why}")
    if _HANDLER_TEXT.search(html) and tree.root is not None:
        for node in tree.root.traverse(include_text=False):
            for name in node.attributes:
                if name.lower().startswith("on"):
                    found.append(f"<{node.tag} {name}>: event handler")
    return found


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


def _relative(value: str) -> bool:
    return bool(_PLAIN_RELATIVE.match(value)) or is_relative(value)


def _allowed(value: str, hosts: frozenset[str]) -> bool:
    if not hosts or not is_http_href(value):
        return False
    try:
        host = urlsplit(value.strip()).hostname
    except ValueError:
        return False
    return host is not None and host.lower() in hosts


def _link_problems(node: LexborNode, allowed_hosts: frozenset[str]) -> list[str]:
    found = []
    attrs = node.attributes
    for name in ("ping", "attributionsrc"):
        if name in attrs:
            found.append(f"<{node.tag} {name}>: sends a report to any host")
    for name in ("href", "xlink:href", "action", "formaction"):
        value = attrs.get(name)
        if value is None or _PLAIN_RELATIVE.match(value):
            continue
        if _PLAIN_HTTP.match(value) and node.tag == "a":
            continue
        if not (is_http_href(value) or is_relative(value)):
            found.append(f"<{node.tag} {name}={value!r}>: a link that is not http(s) nor "
                         "relative")
        elif node.tag == "link" and name == "href" and not is_relative(value) and \
                not _allowed(value, allowed_hosts) and \
                _LOADING_RELS & set((attrs.get("rel") or "").lower().split()):
            found.append(f"<link rel={attrs.get('rel')!r} href={value!r}>: loads from another "
                         "host")
        elif name in ("action", "formaction") and not is_relative(value) and \
                not _allowed(value, allowed_hosts):
            found.append(f"<{node.tag} {name}={value!r}>: sends a form to another host")
    return found
