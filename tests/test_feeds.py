"""Feeds and social cards on a real build: the example site plus a second explainer whose
headline is an attack, served over HTTP and read by feedparser and Chromium.

The site is built with ``EXPLAINER_SITE_URL`` set to the local server's address, so every
absolute URL in the feeds and in ``og:image`` can be fetched for real.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.conftest import build_project, copy_project, static_server

pytestmark = [pytest.mark.slow]

SLUG = "venezuela-deportation-flights"
HOSTILE_SLUG = "hostile-headline"
HOSTILE = ('</title><script>alert("t")</script> & <![CDATA[x]]> ]]> '
           '<span style="background:url(http://127.0.0.1:9/x)">Flights</span>')
ATOM = "application/atom+xml"


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, or None when ``data`` is not one."""
    image = Image.open(io.BytesIO(data))
    return image.size if image.format == "PNG" else None


def add_hostile_explainer(root: Path) -> None:
    """A second explainer, newer than the seed, with a headline that tries to break out of
    every context a feed or card puts it in."""
    seed = (root / "content" / "explainers" / f"{SLUG}.yaml").read_text("utf-8")
    text = seed.replace(f"slug: {SLUG}", f"slug: {HOSTILE_SLUG}", 1)
    text = text.replace("headline: Biden administration to resume deportation flights to "
                        "Venezuela", f"headline: {json.dumps(HOSTILE)}", 1)
    text = text.replace("published: 2023-10-05", "published: 2024-02-01", 1)
    assert HOSTILE_SLUG in text and json.dumps(HOSTILE) in text and "2024-02-01" in text
    (root / "content" / "explainers" / f"{HOSTILE_SLUG}.yaml").write_text(text, "utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(base URL, site folder): the site built for the address it is served at."""
    root = copy_project(tmp_path_factory.mktemp("feeds") / "project")
    add_hostile_explainer(root)
    (root / "site").mkdir()
    with static_server(root / "site") as base:
        build_project(root, EXPLAINER_SITE_URL=base)
        yield base, root / "site"


def fetch(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get_content_type(), response.read()


def canonical(site: Path, slug: str) -> str:
    doc = BeautifulSoup((site / slug / "index.html").read_text("utf-8"), "html.parser")
    return doc.find("link", rel="canonical")["href"]


def test_atom_feed_lists_every_explainer_newest_first_with_canonical_urls(served) -> None:
    base, site = served
    _, body = fetch(base + "feed.xml")
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Explainers"
    assert [e.link for e in feed.entries] == [base + f"{HOSTILE_SLUG}/", base + f"{SLUG}/"]
    for entry, slug in zip(feed.entries, (HOSTILE_SLUG, SLUG), strict=True):
        assert entry.link == entry.id == canonical(site, slug)
        assert entry.published_parsed and entry.updated_parsed
    seed = feed.entries[1]
    assert seed.title == "Biden administration to resume deportation flights to Venezuela"
    assert seed.published_parsed[:3] == (2023, 10, 5)
    assert [t.term for t in seed.tags] == ["immigration", "venezuela", "deportation"]
    assert seed.summary.startswith("The Biden administration plans to resume")
    assert "[@" not in seed.summary and "{{" not in seed.summary  # plain text, not source
    assert calendar.timegm(feed.feed.updated_parsed) == calendar.timegm(
        feed.entries[0].updated_parsed)  # the feed is as new as its newest entry


def test_hostile_headline_stays_text_in_the_atom_feed(served) -> None:
    _, site = served
    body = (site / "feed.xml").read_bytes()
    assert b"<script" not in body and b"<span" not in body
    feed = feedparser.parse(body)
    assert not feed.bozo
    assert feed.entries[0].title == HOSTILE  # exactly what the writer typed, as text
    assert feed.entries[0].title_detail.type == "text/plain"


def test_json_feed_is_json_feed_1_1_with_the_same_entries(served) -> None:
    base, site = served
    media_type, body = fetch(base + "feed.json")
    assert media_type == "application/json"
    feed = json.loads(body)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Explainers" and feed["home_page_url"] == base
    assert feed["feed_url"] == base + "feed.json"
    items = feed["items"]
    assert [i["url"] for i in items] == [canonical(site, HOSTILE_SLUG), canonical(site, SLUG)]
    assert items[0]["title"] == HOSTILE
    for item in items:
        # The spec's requirements: a unique id, and content_text or content_html.
        assert item["id"] == item["url"] and item["content_text"]
        for key in ("date_published", "date_modified"):
            assert dt.datetime.fromisoformat(item[key]).tzinfo is not None
        slug = item["url"].removeprefix(base).strip("/")
        assert item["image"].startswith(f"{base}cards/{slug}.png?v=")
    assert items[1]["tags"] == ["immigration", "venezuela", "deportation"]


def test_corrections_feed_is_valid_and_empty_in_a_first_edition(served) -> None:
    base, _ = served
    _, body = fetch(base + "changes.xml")
    feed = feedparser.parse(body)
    assert not feed.bozo and feed.version == "atom10"
    assert feed.feed.title == "Explainers: corrections"
    assert feed.feed.link == base + "changes/"
    assert feed.entries == []


@pytest.mark.browser
def test_every_page_links_the_feeds_and_the_links_resolve(served, browser) -> None:
    base, site = served
    page = browser.new_page()
    try:
        for path in ("", f"{SLUG}/", "facts/", "guide/", "tags/"):
            page.goto(base + path)
            links = page.eval_on_selector_all(
                'link[rel="alternate"]',
                "els => els.map(e => [e.type, e.title, e.href])")
            assert [(t, h) for t, _, h in links] == [
                (ATOM, base + "feed.xml"), ("application/feed+json", base + "feed.json"),
                (ATOM, base + "changes.xml")], path
            assert links[0][1] == "Explainers: latest explainers"
        for _, _, href in links:
            response = page.request.get(href)
            assert response.ok, href
            if href.endswith(".xml"):
                assert not feedparser.parse(response.body()).bozo
        # The feed a reader's browser discovers lists every explainer at its canonical URL.
        discovered = feedparser.parse(page.request.get(links[0][2]).body())
        assert [e.link for e in discovered.entries] == [
            canonical(site, HOSTILE_SLUG), canonical(site, SLUG)]
        assert all(e.link.startswith(base) for e in discovered.entries)
    finally:
        page.close()


@pytest.mark.browser
def test_og_image_resolves_to_a_1200x630_png(served, browser) -> None:
    base, _ = served
    page = browser.new_page()
    try:
        page.goto(base + f"{SLUG}/")

        def meta(attr: str, key: str) -> str | None:
            found = page.locator(f'meta[{attr}="{key}"]')
            return found.get_attribute("content") if found.count() == 1 else None

        image = meta("property", "og:image")
        assert image and image.startswith(base + "cards/"), image
        response = page.request.get(image)
        assert response.ok and response.headers["content-type"] == "image/png"
        assert png_size(response.body()) == (1200, 630)
        assert (meta("property", "og:image:width"), meta("property", "og:image:height")) == \
            ("1200", "630")
        assert meta("name", "twitter:card") == "summary_large_image"
        assert meta("name", "twitter:image") == image
        alt = meta("property", "og:image:alt")
        assert alt == meta("name", "twitter:image:alt")
        assert alt and alt.startswith(
            "Biden administration to resume deportation flights to Venezuela. ")
        # The key number as a sentence: the figure shown on the card, then what it counts.
        assert alt.endswith(".") and any(ch.isdigit() for ch in alt)
        ld = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
        assert ld["image"] == [image]

        # A page that is not an explainer keeps the small card and names no picture.
        page.goto(base + "facts/")
        assert meta("name", "twitter:card") == "summary"
        assert meta("property", "og:image") is None
    finally:
        page.close()


def test_hostile_headline_card_is_a_png_and_its_head_tags_stay_text(served) -> None:
    _, site = served
    doc = BeautifulSoup((site / HOSTILE_SLUG / "index.html").read_text("utf-8"), "html.parser")
    assert all('alert("t")' not in script.get_text() for script in doc.find_all("script"))
    assert doc.find("meta", property="og:title")["content"] == HOSTILE
    alt = doc.find("meta", property="og:image:alt")["content"]
    assert alt.startswith(HOSTILE + ". ")  # the whole headline, as an attribute value
    image = doc.find("meta", property="og:image")["content"]
    media_type, body = fetch(image)
    assert media_type == "image/png" and png_size(body) == (1200, 630)


def test_edition_feed_points_at_the_latest_edition(tmp_path: Path) -> None:
    """mike builds an edition with MIKE_DOCS_VERSION set; deployed as ``latest``
    (EXPLAINER_ALIASES), its feeds name the canonical ``latest/`` URLs, whichever edition readers
    subscribed from (dev's name dev/: tests/test_editions_banner.py)."""
    root = copy_project(tmp_path / "project")
    site = build_project(root, EXPLAINER_SITE_URL="https://news.example.org/",
                         MIKE_DOCS_VERSION="1.1", EXPLAINER_ALIASES="latest")
    latest = "https://news.example.org/latest/"
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo
    assert [e.link for e in feed.entries] == [latest + f"{SLUG}/"]
    assert feed.feed.id == latest + "feed.xml"
    assert canonical(site, SLUG) == latest + f"{SLUG}/"
    items = json.loads((site / "feed.json").read_text("utf-8"))["items"]
    assert [i["url"] for i in items] == [latest + f"{SLUG}/"]
    # Pictures are files: an alias publishes none, so they are named in the edition itself.
    assert items[0]["image"].startswith("https://news.example.org/1.1/cards/")
    doc = BeautifulSoup((site / SLUG / "index.html").read_text("utf-8"), "html.parser")
    assert doc.find("meta", property="og:image")["content"] == items[0]["image"]
    # The card keeps the slug's name, in the edition's own folder.
    assert items[0]["image"].startswith(f"https://news.example.org/1.1/cards/{SLUG}.png?v=")
    assert (site / "cards" / f"{SLUG}.png").is_file()


CORRECTION = 'We misread the table. </summary><script>alert("c")</script> & \x01done'
CHANGED = "venezuelan_border_crossings_aug_2023"


def test_corrections_feed_has_one_entry_per_changed_fact_with_its_correction(
        tmp_path: Path) -> None:
    """An edition compared with the previous one's facts.json, as ``explainer deploy`` does:
    a changed value with a (hostile) correction note, and a fact the new edition dropped."""
    from generator.check.run import check_project
    from generator.render.data import facts_payload
    from generator.render.output import Edition, SiteInfo
    from generator.render.site import generate_site

    project, diagnostics = check_project(copy_project(tmp_path / "project"))
    assert not diagnostics.errors
    project.facts[CHANGED].correction = CORRECTION
    old = facts_payload(project)
    record = next(f for f in old["facts"] if f["id"] == CHANGED)
    record.update(value=29000, display="more than 29,000", correction=None)
    old["facts"].append({**record, "id": "dropped_fact", "statement": "A dropped fact.",
                         "display": "12", "value": 12})
    site = SiteInfo(name="Explainers", url="https://news.example.org/latest/")
    edition = Edition(version="1.1", previous_version="1.0", previous_facts=old)
    files = generate_site(project, edition=edition, static_charts=False, site=site).by_path()

    feed = feedparser.parse(files["changes.xml"].content.encode())
    assert not feed.bozo, feed.get("bozo_exception")
    changes = "https://news.example.org/latest/changes/"
    # Each entry links to the note on the article citing the fact, in this edition's own folder
    # (latest/changes/#... is gone once the next edition is out).
    note = f"https://news.example.org/1.1/{SLUG}/#update-1.1"
    assert [(e.title, e.link) for e in feed.entries] == [
        (f"Changed: {project.facts[CHANGED].statement}", note),
        ("Removed: A dropped fact.", note)]
    assert 'id="update-1.1"' in files[f"{SLUG}.md"].content
    changed, dropped = feed.entries
    # The correction as the writer wrote it, as text (only the control character, which XML
    # cannot carry at all, is gone).
    assert changed.summary == ("Value: was more than 29,000, now more than 31,000. "
                               "Correction: " + CORRECTION.replace("\x01", ""))
    assert changed.summary_detail.type == "text/plain"
    assert dropped.summary == "Removed; its value was 12."
    # Ids name the edition: the next edition's corrections are new entries for readers.
    assert changed.id == f"{changes}?edition=1.1#change-{CHANGED}"
    assert changed.updated_parsed and feed.feed.title == "Explainers: corrections"
    # The What changed page shows the same note.
    assert "We misread the table. &lt;/summary&gt;&lt;script&gt;" in files["changes.md"].content


def test_feeds_are_capped_to_the_newest_explainers(tmp_path: Path) -> None:
    """At any site size a feed stays small: the newest FEED_LIMIT explainers."""
    from bench.synth import write_project
    from generator.check.run import check_project
    from generator.render import feeds
    from generator.render.data import facts_payload
    from generator.render.output import Edition, SiteInfo

    project, diagnostics = check_project(write_project(tmp_path / "p", feeds.FEED_LIMIT + 5))
    assert not diagnostics.errors
    site = SiteInfo(name="S", url="https://news.example.org/")
    files = {f.path: f.content for f in feeds.render_feeds(
        project, site, Edition(), facts_payload(project), {})}
    newest = project.explainers_newest_first()[:feeds.FEED_LIMIT]
    atom = feedparser.parse(files["feed.xml"].encode())
    assert [e.link for e in atom.entries] == [f"https://news.example.org/{e.slug}/"
                                              for e in newest]
    assert len(json.loads(files["feed.json"])["items"]) == feeds.FEED_LIMIT


def test_page_urls_follow_use_directory_urls_and_xml_drops_what_it_cannot_carry() -> None:
    from generator.render import feeds
    from generator.render.output import SiteInfo

    site = SiteInfo(url="https://n.example/")
    assert feeds.page_url(site, "a-b.md") == "https://n.example/a-b/"
    assert feeds.page_url(site, "index.md") == "https://n.example/"
    flat = SiteInfo(url="https://n.example/", directory_urls=False)
    assert feeds.page_url(flat, "a-b.md") == "https://n.example/a-b.html"
    assert feeds.xml_text("a\x00b\x1fc\td\ne\ufffe") == "abc\td\ne"
    assert feeds.feed_links(SiteInfo(url=None)) == []
