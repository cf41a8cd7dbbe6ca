"""An allow-list for the static chart pictures before they are published.

The pictures come from our own export, but a cache can be tampered with and an SVG opened on its
own is a document that runs script. Only what plotly's SVG export uses is kept: shapes, groups,
text, clip paths and gradients, with presentation attributes. Anything else (script,
foreignObject, images, animation, event attributes, links other than to an id in the same file,
``url(...)`` other than ``url(#id)``, DTDs and entities) makes the picture unusable: it is refused
rather than repaired, and the build exports it again or goes without it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ALLOWED_TAGS = frozenset({
    "svg", "g", "defs", "clipPath", "path", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "text", "tspan", "linearGradient", "radialGradient", "stop", "title", "desc",
    "pattern", "mask", "symbol", "use", "style",
})
# url(#id) is how plotly refers to clip paths and gradients; anything else could fetch.
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I)
_BAD_CSS = re.compile(r"@import|expression\s*\(|javascript:|behavior\s*:|-moz-binding", re.I)


class UnsafeSvg(Exception):
    pass


def sanitise_svg(data: bytes) -> bytes:
    """``data`` unchanged if it passes the allow-list; :class:`UnsafeSvg` otherwise."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise UnsafeSvg("a DTD or entity declaration")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise UnsafeSvg(f"not well-formed XML ({exc})") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise UnsafeSvg("the root element is not <svg>")
    for element in root.iter():
        namespace, _, tag = element.tag.rpartition("}")
        if namespace.lstrip("{") != SVG_NS or tag not in ALLOWED_TAGS:
            raise UnsafeSvg(f"element <{tag}> is not allowed")
        if tag == "style" and element.text and (_BAD_CSS.search(element.text) or
                                                _external_url(element.text)):
            raise UnsafeSvg("a style sheet that could load or run something")
        for name, value in element.attrib.items():
            local = name.rpartition("}")[2]
            if local.lower().startswith("on"):
                raise UnsafeSvg(f"event attribute {local}")
            if local == "href" and not value.startswith("#"):
                raise UnsafeSvg("a link to something outside the picture")
            if _BAD_CSS.search(value) or _external_url(value):
                raise UnsafeSvg(f"attribute {local} refers to something outside the picture")
    return data


def _external_url(text: str) -> bool:
    return any(not match.group(2).strip().startswith("#") for match in _URL.finditer(text))
