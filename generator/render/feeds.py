"""Feeds readers can follow: the latest explainers (Atom and JSON Feed 1.1) and corrections.

- ``feed.xml`` (Atom 1.0) and ``feed.json`` (JSON Feed 1.1): the newest :data:`FEED_LIMIT`
  explainers, newest first; title = headline, summary = the lede as plain text, published and
  updated dates, tags as categories, the social card as the item's image (JSON Feed).
- ``changes.xml`` (Atom): one entry per fact changed or removed since the previous edition (the
  "What changed" page), with its old and new values and the writer's ``correction:`` text. Each
  entry links to the edition's note on the first explainer citing the fact, at its permanent
  address in that edition's folder (generator/render/articlenotes.py), which later editions keep.

Every link is absolute and canonical: ``SiteInfo.url`` is the address the site engine names
canonical (``<site_url>latest/`` when mike builds an edition, plain ``site_url`` otherwise), so
each edition's feed points readers at the latest edition. Without an absolute site URL there are
no feeds (a feed of relative links is invalid).

XML is built with ElementTree (escaping is the library's, never string concatenation of YAML
text), JSON with the json module; characters XML 1.0 cannot carry at all are dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from generator.load.model import Explainer, Project
from generator.render.changes import correction_note
from generator.render.factdiff import FactChange, FactDiff, diff_facts, slugs, value_text
from generator.render.output import VERSION_RE, Edition, GeneratedFile, SiteInfo
from generator.render.prose import plain_prose
from generator.resolve.format import day_stamp

FEED_LIMIT = 50  # entries per feed: a reader polls it often, so it stays small at any site size
ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "explainer-generator"
# XML 1.0 has no way to write these characters (not even escaped): drop them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Feed:
    path: str  # site path
    media_type: str
    title: str


def feed_links(site: SiteInfo) -> list[Feed]:
    """The feeds a page's head links to (``<link rel="alternate">``); none without a site URL."""
    if not site.url:
        return []
    return [Feed("feed.xml", "application/atom+xml", f"{site.name}: latest explainers"),
            Feed("feed.json", "application/feed+json", f"{site.name}: latest explainers"),
            Feed("changes.xml", "application/atom+xml", f"{site.name}: corrections")]


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def timestamp(day: dt.date, zone: str = "UTC") -> str:
    """RFC 3339, as Atom and JSON Feed want it. Content gives dates, not times: noon in the
    site's time zone (``extra.time_zone``), so feed readers everywhere near it show the day the
    site shows (format.day_stamp)."""
    return day_stamp(day, zone)


def page_url(site: SiteInfo, src_path: str) -> str:
    """The absolute URL of the page made from ``src_path`` ("slug.md", "changes.md")."""
    assert site.url is not None
    stem = src_path.removesuffix(".md")
    if not site.directory_urls:
        return site.url + stem + ".html"
    return site.url if stem == "index" else f"{site.url}{stem}/"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}",
                            {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _atom_document(feed: ET.Element) -> str:
    ET.register_namespace("", ATOM_NS)
    ET.indent(feed)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            + ET.tostring(feed, encoding="unicode") + "\n")


def _atom_feed(site: SiteInfo, *, path: str, title: str, subtitle: str, updated: str,
               alternate: str) -> ET.Element:
    assert site.url is not None
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "en"})
    _sub(feed, "id", site.url + path)
    _sub(feed, "title", title)
    if subtitle:
        _sub(feed, "subtitle", subtitle)
    _sub(feed, "updated", updated)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=site.url + path)
    _sub(feed, "link", rel="alternate", type="text/html", href=alternate)
    author = _sub(feed, "author")  # for entries without a byline (Atom wants one per entry)
    _sub(author, "name", site.name)
    _sub(feed, "generator", GENERATOR)
    return feed


def _newest(project: Project) -> list[Explainer]:
    return project.explainers_newest_first()[:FEED_LIMIT]


def _updated(ex: Explainer) -> dt.date:
    return ex.updated or ex.published


def atom_explainers(project: Project, site: SiteInfo, images: dict[str, str]) -> str:
    explainers = _newest(project)
    zone = site.time_zone
    updated = timestamp(_updated(explainers[0]), zone) if explainers else \
        timestamp(dt.date(1970, 1, 1))
    feed = _atom_feed(site, path="feed.xml", title=site.name, subtitle=site.description,
                      updated=updated, alternate=page_url(site, "index.md"))
    for ex in explainers:
        url = page_url(site, f"{ex.slug}.md")
        entry = _sub(feed, "entry")
        _sub(entry, "id", url)
        _sub(entry, "title", ex.headline, type="text")
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        _sub(entry, "published", timestamp(ex.published, zone))
        _sub(entry, "updated", timestamp(_updated(ex), zone))
        for name in ex.authors:
            _sub(_sub(entry, "author"), "name", name)
        for tag in ex.tags:
            _sub(entry, "category", term=tag, label=tag)
        _sub(entry, "summary", plain_prose(ex.lede, project), type="text")
        if ex.slug in images:
            _sub(entry, "link", rel="enclosure", type="image/png", href=images[ex.slug])
    return _atom_document(feed)


def json_explainers(project: Project, site: SiteInfo, images: dict[str, str]) -> str:
    assert site.url is not None
    items = []
    for ex in _newest(project):
        url = page_url(site, f"{ex.slug}.md")
        item: dict[str, Any] = {
            "id": url,
            "url": url,
            "title": ex.headline,
            "summary": ex.tease,
            "content_text": plain_prose(ex.lede, project),
            "date_published": timestamp(ex.published, site.time_zone),
            "date_modified": timestamp(_updated(ex), site.time_zone),
        }
        if ex.authors:
            item["authors"] = [{"name": a} for a in ex.authors]
        if ex.tags:
            item["tags"] = list(ex.tags)
        if ex.slug in images:
            item["image"] = images[ex.slug]
        items.append(item)
    feed = {
        "version": JSON_FEED_VERSION,
        "title": site.name,
        "home_page_url": site.url,
        "feed_url": site.url + "feed.json",
        "description": site.description,
        "language": "en",
        "authors": [{"name": site.name}],
        "items": items,
    }
    return json.dumps({k: v for k, v in feed.items() if v not in ("", None)},
                      ensure_ascii=False, indent=1) + "\n"


def _change_summary(change: FactChange | dict[str, Any], correction: str | None) -> str:
    parts = []
    if isinstance(change, FactChange):
        for field in change.fields:
            if field.kind == "sources":
                old = "; ".join(str(s.get("title") or s.get("id")) for s in field.old_sources)
                new = "; ".join(str(s.get("title") or s.get("id")) for s in field.new_sources)
            else:
                old, new = field.old, field.new
            parts.append(f"{field.label}: was {old or '(none)'}, now {new or '(none)'}.")
    else:
        parts.append(f"Removed; its value was {value_text(change)}.")
    if correction:
        parts.append(f"Correction: {correction}")
    return " ".join(parts)


def note_url(site: SiteInfo, version: str | None, slug: str) -> str:
    """The permanent address of an edition's note on an explainer: ``<root><version>/<slug>/
    #update-<version>``, where the root is the gh-pages root (the site URL without the
    ``latest/`` or ``<version>/`` an edition build adds). A preview's note is on its own page."""
    assert site.url is not None
    if not version or not VERSION_RE.match(version):
        return f"{page_url(site, slug + '.md')}#update-preview"
    root = site.url
    for folder in ("latest/", f"{version}/"):
        if root.endswith("/" + folder):
            root = root.removesuffix(folder)
            break
    page = f"{slug}.html" if not site.directory_urls else f"{slug}/"
    return f"{root}{quote(version, safe='')}/{page}#update-{quote(version, safe='')}"


def atom_corrections(project: Project, site: SiteInfo, edition: Edition,
                     payload: dict[str, Any]) -> str:
    """Facts changed or removed in this edition. Entries are dated with the build's time
    (``SOURCE_DATE_EPOCH`` when set: ``explainer deploy`` sets HEAD's commit time), and their
    ids name the edition, so a reader sees each edition's corrections once."""
    diff = diff_facts(edition.previous_facts, payload) if edition.previous_facts else FactDiff()
    changes: list[FactChange | dict[str, Any]] = [*diff.changed, *diff.removed]
    explainers = project.explainers_newest_first()
    stamp = str(payload.get("generated") or "")
    if changes and stamp:
        updated = stamp
    else:  # no entries: a date that does not move from build to build
        updated = timestamp(_updated(explainers[0]), site.time_zone) if explainers else \
            timestamp(dt.date(1970, 1, 1))
    edition_name = edition.version or "preview"
    previous = edition.previous_version
    subtitle = (f"Facts changed or removed in edition {edition_name} since edition {previous}."
                if previous else "Facts changed or removed in each edition.")
    changes_url = page_url(site, "changes.md")
    feed = _atom_feed(site, path="changes.xml", title=f"{site.name}: corrections",
                      subtitle=subtitle, updated=updated, alternate=changes_url)
    for change in changes[:FEED_LIMIT]:
        record = change.new if isinstance(change, FactChange) else change
        fact_id = change.id if isinstance(change, FactChange) else str(change.get("id"))
        statement = str(record.get("statement") or fact_id)
        kind = "Changed" if isinstance(change, FactChange) else "Removed"
        # A removed fact's id comes from the previous edition's facts.json: quoted, it can
        # only ever be a fragment.
        anchor = "change-" + quote(fact_id, safe="")
        cited_on = change.used_in if isinstance(change, FactChange) else slugs(change)
        used_in = [s for s in cited_on if s in project.explainers]
        link = (note_url(site, edition.version, used_in[0]) if used_in
                else f"{changes_url}#{anchor}")
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"{changes_url}?edition={edition_name}#{anchor}")
        _sub(entry, "title", f"{kind}: {statement}", type="text")
        _sub(entry, "link", rel="alternate", type="text/html", href=link)
        _sub(entry, "updated", updated)
        _sub(entry, "summary", _change_summary(change, correction_note(project, fact_id, change)),
             type="text")
    return _atom_document(feed)


def render_feeds(project: Project, site: SiteInfo, edition: Edition, payload: dict[str, Any],
                 images: dict[str, str]) -> list[GeneratedFile]:
    """The feed files (none without an absolute site URL). ``images``: slug -> absolute URL of
    the explainer's social card."""
    if not site.url:
        return []
    return [GeneratedFile("feed.xml", atom_explainers(project, site, images)),
            GeneratedFile("feed.json", json_explainers(project, site, images)),
            GeneratedFile("changes.xml", atom_corrections(project, site, edition, payload))]
