"""Head metadata for a page: description, Open Graph, Twitter card and JSON-LD ``NewsArticle``.

An explainer with a social card (:mod:`generator.charts.card`) gets ``og:image`` (absolute, with
its size and alt text) and a ``summary_large_image`` Twitter card; other pages a ``summary``.

Built here, escaped for its context, so the theme override only prints it: MkDocs' Jinja
environment does not autoescape, and every value comes from untrusted YAML.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from markupsafe import Markup, escape

from generator.charts.card import HEIGHT as CARD_HEIGHT
from generator.charts.card import WIDTH as CARD_WIDTH
from generator.load.urls import is_http_url
from generator.render.output import PageMeta
from generator.resolve.format import day_stamp


def json_ld(data: dict[str, Any]) -> str:
    """JSON safe inside ``<script>``: no ``</script>``, no HTML comment or CDATA openers."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _meta(attr: str, key: str, value: str | None) -> str:
    if not value:
        return ""
    return f'<meta {attr}="{escape(key)}" content="{escape(value)}">'


def description_tag(meta: PageMeta | None, fallback: str | None) -> str:
    text = (meta.description if meta and meta.description else None) or fallback
    return _meta("name", "description", text)


def image_url(meta: PageMeta | None, site_url: str | None) -> str | None:
    """The absolute address of the page's social card, when it has one and the site an
    absolute address (``og:image`` must be absolute)."""
    if meta is None or not meta.image or not site_url or not is_http_url(site_url):
        return None
    return site_url + meta.image


def _stamp(iso_day: str | None, zone: str) -> str | None:
    """An ISO date as a date-time in the site's time zone (format.day_stamp)."""
    if not iso_day:
        return None
    try:
        return day_stamp(dt.date.fromisoformat(iso_day), zone)
    except ValueError:
        return iso_day


def publisher(site_name: str, home: str | None, logo: str | None) -> dict[str, Any]:
    """The site as the article's publisher: its name, its address and its logo (theme.logo,
    else the favicon: generator/adapters/mkdocs_plugin.py, site_info)."""
    found: dict[str, Any] = {"@type": "NewsMediaOrganization", "name": site_name}
    if home and is_http_url(home):
        found["url"] = home
    if logo and is_http_url(logo):
        found["logo"] = {"@type": "ImageObject", "url": logo}
    return found


def news_article(meta: PageMeta, canonical: str | None,
                 image: str | None = None, *, site_name: str = "",
                 home: str | None = None, logo: str | None = None,
                 time_zone: str = "UTC") -> dict[str, Any]:
    """The article's JSON-LD. Dates carry the site's time zone. ``image`` is the 1200x630
    social card alone: Google suggests 16:9, 4:3 and 1:1 pictures as well, which this site
    leaves out on purpose (docs/guide.md, "Structured data": each would be painted and
    stored again in every edition that changes the article, for a crop Google makes itself)."""
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": meta.title,
        "description": meta.description,
        "datePublished": _stamp(meta.published, time_zone),
        "dateModified": _stamp(meta.updated or meta.published, time_zone),
        "author": [{"@type": "Person", "name": a} for a in meta.authors],
        "keywords": meta.tags,
        "citation": [_creative_work(c) for c in meta.citations],
        "image": [image] if image else None,
        "publisher": publisher(site_name, home, logo) if site_name else None,
    }
    if canonical:
        article["mainEntityOfPage"] = canonical
        article["url"] = canonical
    return {k: v for k, v in article.items() if v not in (None, [], "")}


def _creative_work(citation: dict[str, Any]) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "name": citation.get("name")}
    if is_http_url(citation.get("url")):  # the shared URL rule: http(s) only, nothing smuggled
        work["url"] = citation["url"]
    if citation.get("publisher"):
        work["publisher"] = {"@type": "Organization", "name": citation["publisher"]}
    if citation.get("datePublished"):
        work["datePublished"] = citation["datePublished"]
    return work


def head_html(meta: PageMeta | None, *, title: str, site_name: str,
              canonical: str | None, fallback_description: str | None,
              site_url: str | None = None, home: str | None = None,
              logo: str | None = None, time_zone: str = "UTC") -> Markup:
    """Everything we add to ``<head>`` (the description is separate: it replaces Material's).
    ``site_url``: the site's absolute canonical address, which card paths are relative to;
    ``home``, ``logo``: the publisher's address and logo (absolute); ``time_zone``: the
    site's, for article dates."""
    description = (meta.description if meta and meta.description else None) or \
        fallback_description
    is_article = meta is not None and meta.kind == "explainer"
    image = image_url(meta, site_url) if is_article else None
    alt = meta.image_alt if meta is not None and image else None
    tags = [
        _meta("property", "og:type", "article" if is_article else "website"),
        _meta("property", "og:title", title),
        _meta("property", "og:description", description),
        _meta("property", "og:site_name", site_name),
        _meta("property", "og:url", canonical),
        _meta("property", "og:locale", "en_US"),
    ]
    if image:
        tags += [
            _meta("property", "og:image", image),
            _meta("property", "og:image:type", "image/png"),
            _meta("property", "og:image:width", str(CARD_WIDTH)),
            _meta("property", "og:image:height", str(CARD_HEIGHT)),
            _meta("property", "og:image:alt", alt),
        ]
    tags += [
        _meta("name", "twitter:card", "summary_large_image" if image else "summary"),
        _meta("name", "twitter:title", title),
        _meta("name", "twitter:description", description),
    ]
    if image:
        tags += [_meta("name", "twitter:image", image), _meta("name", "twitter:image:alt", alt)]
    if is_article and meta is not None:
        tags.append(_meta("property", "article:published_time",
                          _stamp(meta.published, time_zone)))
        tags.append(_meta("property", "article:modified_time", _stamp(meta.updated, time_zone)))
        tags.extend(_meta("property", "article:author", a) for a in meta.authors)
        tags.extend(_meta("property", "article:tag", t) for t in meta.tags)
        tags.append('<script type="application/ld+json">'
                    + json_ld(news_article(meta, canonical, image, site_name=site_name,
                                           home=home, logo=logo, time_zone=time_zone))
                    + "</script>")
    return Markup("\n".join(t for t in tags if t))
