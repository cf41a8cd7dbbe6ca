"""The one URL rule: which addresses may become links, and how a link is written into a page.

A leaf module (standard library only, nothing from ``generator``): the loader's checks, the
renderers and the HTML guard all ask it, so "is this a safe link?" has one answer.

* :func:`url_problem` judges a URL written in YAML (a source's ``url``, a prose link): an
  absolute http(s) address, parsed by :func:`urllib.parse.urlsplit`, with a host, without
  userinfo, whitespace, control characters, quotes, angle brackets, backslashes, backticks,
  braces, pipes, carets or square brackets (outside an IPv6 host), and without an embedded
  ``javascript:``/``vbscript:``/``data:`` address (the "redirect" trick).
* :func:`is_http_href` judges an ``href`` found in HTML the way a browser would read it: after
  entity decoding, trimming, dropping tabs and newlines, and case folding, the scheme must be
  http or https (so ``JaVaScRiPt:``, `` javascript:`` and ``&#106;avascript:`` are refused).
* :func:`link_target` writes a checked URL so that nothing in it can end a Markdown link or an
  HTML attribute early: every character that could is percent-encoded.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

# Characters never allowed in a URL written by a writer (RFC 3986 excludes them all; each one
# can end or change a Markdown link, an HTML attribute or a code span).
_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f<>\"'`\\{}|^\[\]]")
# An address hidden inside another one: https://r.example/?to=javascript:alert(1).
_EMBEDDED_SCHEME = re.compile(r"(?<![\w+.\-])(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
# Browsers ignore these anywhere in a URL, and strip C0 controls and spaces at both ends.
_IGNORED = re.compile(r"[\t\n\r]")
_EDGE = "".join(chr(c) for c in range(0x21))
# What link_target percent-encodes: anything that could end a Markdown link destination or an
# HTML attribute, start Markdown syntax, or be read as an entity.
_ENCODE = re.compile(r"[\s\x00-\x1f\x7f-\x9f<>\"'`\\{}|^\[\]]|&(?=#?\w+;)")
_PARENS = re.compile(r"[()]")

SCHEMES = ("http", "https")
MAX_LENGTH = 2000

# The same rule as a JSON Schema pattern (generator/schemas/sources.schema.json), for editors:
# scheme, a host without userinfo, an optional port, then no forbidden character.
SCHEMA_PATTERN = (r"^https?://[^\s\x00-\x1f\x7f-\x9f/?#@:<>\"'`\\{}|^\[\]]+(:[0-9]{1,5})?"
                  r"([/?#][^\s\x00-\x1f\x7f-\x9f<>\"'`\\{}|^\[\]]*)?$")


def url_problem(url: str) -> str | None:
    """Why ``url`` may not be used as a link, or None when it may."""
    if not url:
        return "it is empty"
    if len(url) > MAX_LENGTH:
        return f"it is longer than {MAX_LENGTH} characters"
    if not url.startswith(("http://", "https://")):
        return "it must start with http:// or https:// (lowercase)"
    bad = _FORBIDDEN.search(url)
    if bad:
        char = bad.group()
        shown = {" ": "a space", "\n": "a line break", "\t": "a tab"}.get(char, repr(char))
        return (f"it contains {shown}, which a URL may not hold: percent-encode it "
                f"(%{ord(char):02X}) or remove it")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a malformed port
    except ValueError as error:
        return f"it is not a valid URL ({error})"
    if parts.scheme not in SCHEMES or not url.startswith(f"{parts.scheme}://"):
        return "it must start with http:// or https:// (lowercase)"
    if "@" in parts.netloc:
        return "it holds a user name or password before '@': remove it"
    if not parts.hostname or parts.hostname.startswith(".") or ".." in parts.hostname:
        return "it has no valid host name"
    if port is not None and not 0 < port < 65536:
        return "its port is out of range"
    if _EMBEDDED_SCHEME.search(unquote(html.unescape(url))):
        return "it embeds a javascript:, vbscript: or data: address"
    return None


def is_http_url(url: str | None) -> bool:
    return bool(url) and url_problem(url) is None  # type: ignore[arg-type]


def browser_scheme(href: str) -> str | None:
    """The scheme a browser would see in ``href`` (entity-decoded, trimmed, folded), or None
    for a relative reference."""
    text = _IGNORED.sub("", html.unescape(href)).strip(_EDGE)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", text)
    return match.group(1).lower() if match else None


def is_http_href(href: str) -> bool:
    """True for an absolute http(s) link as a browser would read it."""
    return browser_scheme(href) in SCHEMES


def is_relative(href: str) -> bool:
    """A link within this site: no scheme and not protocol-relative (``//host/...``)."""
    text = _IGNORED.sub("", html.unescape(href)).strip(_EDGE).replace("\\", "/")
    return browser_scheme(href) is None and not text.startswith("//")


def link_target(url: str | None) -> str | None:
    """A checked http(s) URL written so that no character in it can end a link early (Markdown
    or HTML); None when the URL fails the rule (it is then shown as no link at all)."""
    if not url or url_problem(url) is not None:
        return None
    out = _ENCODE.sub(_percent, url)
    # Balanced parentheses (Wikipedia's "Foo_(bar)") stay as written: Markdown keeps them in
    # the link. Any other parenthesis could close the link, so then all are encoded.
    return out if _balanced(out) else _PARENS.sub(_percent, out)


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in match.group(0).encode("utf-8"))


def _balanced(text: str) -> bool:
    depth = 0
    for char in _PARENS.findall(text):
        depth += 1 if char == "(" else -1
        if depth < 0:
            return False
    return depth == 0
