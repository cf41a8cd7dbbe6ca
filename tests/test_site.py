"""The example site built with real MkDocs (``explainer build`` in a temp copy), parsed HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.slow

SLUG = "venezuela-deportation-flights"
SITE_HOST = "explainers.example.org"  # mkdocs.yml's placeholder site_url


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


@pytest.fixture(scope="module")
def page(example_site: Path) -> BeautifulSoup:
    return soup(example_site / SLUG / "index.html")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def markers_after(node) -> list:  # type: ignore[no-untyped-def, type-arg]
    """The citation markers of a cited number: the number is set apart for readers
    (span.explainer-num), its markers close its clause (the first run of markers after it in
    its paragraph or bullet: one marker per source per sentence, tests/test_reader_findings)."""
    number = node.parent
    assert number.name == "span" and "explainer-num" in number.get("class", []), \
        f"{node!r} is not marked as a cited number"
    block = number.find_parent(["li", "p"])
    first = number.find_next("sup")
    assert first is not None and block in first.parents, \
        f"no citation marker after {node!r} in its sentence"
    links = []
    sup = first
    while getattr(sup, "name", None) == "sup":
        link = sup.find("a", class_="footnote-ref")
        assert link is not None
        links.append(link)
        sup = sup.next_sibling
    return links


def sources_entries(page: BeautifulSoup) -> dict[str, object]:
    heading = page.find("h2", id="sources")
    assert heading is not None, "no Sources section"
    footnotes = heading.find_next_sibling("div", class_="footnote")
    assert footnotes is not None, "Sources section has no entries"
    return {li["id"]: li for li in footnotes.find_all("li", id=True)}


@pytest.mark.parametrize("shown", ["334,000", "60%", "More than 31,000", "70%"])
def test_seed_numbers_are_cited_to_sources_entries(page: BeautifulSoup, shown: str) -> None:
    entries = sources_entries(page)
    article = page.find("article")
    nodes = [t for t in article.find_all(string=True) if t.endswith(shown)
             and t.find_parent("table") is None and t.find_parent(class_="footnote") is None
             and t.find_parent("figure") is None]
    assert nodes, f"{shown} not in the page text"
    for node in nodes:
        for link in markers_after(node):
            target = link["href"].removeprefix("#")
            assert target in entries, f"{shown}'s marker {link['href']} is not a Sources entry"


def test_derived_facts_show_about_and_cite_inputs(page: BeautifulSoup) -> None:
    entries = sources_entries(page)
    for shown in ("about 200,000", "about 21,700"):
        nodes = [t for t in page.find("article").find_all(string=True) if t.endswith(shown)
                 and t.find_parent("table") is None]
        assert nodes, shown
        notes = [entries[link["href"].removeprefix("#")] for link in markers_after(nodes[0])]
        [entry] = [note for note in notes if "Derived" in note.get_text(" ")]
        # The derived note points at the Sources entries of its inputs' sources.
        refs = [a["href"].removeprefix("#") for a in entry.find_all("a")
                if not a.get("class")]
        assert refs and all(r in entries for r in refs)


def test_markers_are_numbered_once_per_source(page: BeautifulSoup) -> None:
    entries = sources_entries(page)
    numbers = [int(k.split(":")[1]) for k in entries]
    assert numbers == list(range(1, len(numbers) + 1))
    texts = [e.get_text(" ").split("↩")[0].strip() for e in entries.values()]
    assert len(set(texts)) == len(texts), "a source is listed twice"
    # Tooltips on hover: Material's footnote tooltips feature is on.
    config = json.loads(page.find("script", id="__config").string)
    assert "content.footnote.tooltips" in config["features"]
    # No instant navigation (main-thread time at start-up, issue 12) and no previous/next
    # footer: an explainer is not chapter two of a manual.
    assert "navigation.instant" not in config["features"]
    assert "navigation.footer" not in config["features"]


def test_page_structure(page: BeautifulSoup) -> None:
    article = page.find("article")
    assert article.find("p", class_="explainer-tease").get_text() == \
        "Venezuela deportation flights to resume"
    assert article.find("h1").get_text().startswith(
        "Biden administration to resume deportation flights to Venezuela")
    assert article.find("time")["datetime"] == "2023-10-05"
    labels = [s.get_text() for s in article.find_all("strong")
              if s.get_text().endswith(":") and s.parent.name == "p"]
    assert labels[:5] == ["Why it matters:", "Behind the scenes:", "The intrigue:",
                          "The big picture:", "By the numbers:"]
    facts_heading = article.find("h2", id="facts-in-this-explainer")
    table = facts_heading.find_next_sibling("table")
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in table.find_all("tr")[1:]]
    values = [r[1] for r in rows]
    assert {"334,000 migrants", "60%", "more than 31,000 Venezuelans", "70%",
            "about 200,000 Venezuelans", "about 21,700 crossings"} <= set(values)
    downloads = {a["href"] for a in article.find_all("a")}
    assert f"../data/explainers/{SLUG}.json" in downloads
    assert "../data/facts.csv" in downloads and "../data/facts.json" in downloads


def test_head_metadata_and_json_ld(page: BeautifulSoup) -> None:
    head = page.head
    assert head.title.get_text().startswith("Biden administration to resume")
    description = head.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("The Biden administration plans to resume")
    assert "[@" not in description and "{{" not in description
    canonical = head.find("link", rel="canonical")["href"]
    assert canonical == f"https://{SITE_HOST}/{SLUG}/"
    props = {m.get("property") or m.get("name"): m["content"]
             for m in head.find_all("meta") if m.get("content")}
    assert props["og:type"] == "article" and props["og:url"] == canonical
    assert props["og:title"].startswith("Biden administration")
    # The social card (tests/test_feeds.py fetches it): a large picture, absolute URL.
    assert props["twitter:card"] == "summary_large_image"
    assert props["og:image"].startswith(f"https://{SITE_HOST}/cards/{SLUG}.png?v=")
    assert props["twitter:description"] == description
    scripts = head.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Biden administration to resume deportation flights to Venezuela"
    # Dated in the site's time zone (mkdocs.yml extra.time_zone): tests/test_writer_findings.py
    assert data["datePublished"] == "2023-10-05T12:00:00-04:00"
    assert data["dateModified"] == "2023-10-05T12:00:00-04:00"
    assert data["mainEntityOfPage"] == canonical
    names = [c["name"] for c in data["citation"]]
    assert any("Panamanian statistics" in n for n in names)
    assert any(c.get("publisher", {}).get("name") == "The Associated Press"
               for c in data["citation"])


def _resolve(site: Path, page: Path, url: str) -> tuple[Path | None, str]:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        if parts.hostname != SITE_HOST:
            return None, ""
        target = site / unquote(parts.path).lstrip("/")
    elif parts.scheme:
        return None, ""
    elif not parts.path:
        target = page
    elif parts.path.startswith("/"):
        target = site / unquote(parts.path).lstrip("/")  # 404.html: absolute from site_url
    else:
        target = (page.parent / unquote(parts.path)).resolve()
    if not target.resolve().is_relative_to(site):
        return None, ""  # above the site: the mike versions root (the outdated-edition banner)
    if target.is_dir() or url.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def test_every_internal_link_resolves(example_site: Path) -> None:
    site = example_site.resolve()
    problems = []
    ids: dict[Path, set[str]] = {}
    for page_path in html_pages(site):
        doc = soup(page_path)
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
                          ("source", "srcset")):
            for node in doc.find_all(tag):
                url = node.get(attr)
                if not url or url.startswith(("javascript:", "mailto:")):
                    continue
                target, fragment = _resolve(site, page_path, url.split()[0])
                if target is None:
                    continue
                if not target.exists():
                    problems.append(f"{page_path.relative_to(site)}: {url} -> missing")
                    continue
                if fragment and target.suffix == ".html":
                    if target not in ids:
                        ids[target] = {n["id"] for n in soup(target).find_all(id=True)}
                    if unquote(fragment) not in ids[target]:
                        problems.append(f"{page_path.relative_to(site)}: {url} -> no anchor")
    assert not problems, "\n".join(problems)


ASSET_ATTRS = (("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"),
               ("source", "srcset"), ("iframe", "src"), ("video", "src"), ("audio", "src"),
               ("embed", "src"), ("object", "data"), ("track", "src"))
EXTERNAL = re.compile(r"(?:https?:)?//([^/\s\"')]+)")


def test_no_asset_from_another_host(example_site: Path) -> None:
    found = []
    for page_path in html_pages(example_site):
        doc = soup(page_path)
        for tag, attr in ASSET_ATTRS:
            for node in doc.find_all(tag):
                for value in (node.get(attr) or "").split(","):
                    match = EXTERNAL.match(value.strip())
                    if match:
                        found.append(f"{page_path}: <{tag} {attr}={value}>")
        for node in doc.find_all("link"):
            rel = set(node.get("rel") or [])
            loads = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "preconnect",
                     "dns-prefetch", "prefetch", "apple-touch-icon"}
            if rel & loads and EXTERNAL.match(node.get("href", "")):
                found.append(f"{page_path}: <link rel={rel} href={node['href']}>")
        for style in doc.find_all("style"):
            if re.search(r"url\(\s*['\"]?(https?:)?//|@import", style.get_text()):
                found.append(f"{page_path}: external url() in <style>")
        for node in doc.find_all(style=True):
            if re.search(r"url\(\s*['\"]?(https?:)?//", node["style"]):
                found.append(f"{page_path}: external url() in style attribute")
    for css in example_site.rglob("*.css"):
        text = css.read_text("utf-8", errors="replace")
        if re.search(r"url\(\s*['\"]?(https?:)?//|@import\s+(url\()?['\"]?(https?:)?//", text):
            found.append(f"{css}: external url()")
    assert not found, "\n".join(found)


def test_home_lists_explainers_newest_first_with_tease_and_date(example_site: Path) -> None:
    home = soup(example_site / "index.html").find("article")
    links = [a for a in home.find_all("a") if a.get("href") == f"{SLUG}/"]
    assert links and links[0].get_text() == \
        "Biden administration to resume deportation flights to Venezuela"
    assert "Venezuela deportation flights to resume" in home.get_text()
    assert "Oct. 5, 2023" in home.get_text()


def test_tag_sources_and_facts_pages(example_site: Path) -> None:
    tag = soup(example_site / "tags" / "immigration" / "index.html").find("article")
    assert any(a["href"] == f"../../{SLUG}/" for a in tag.find_all("a", href=True))
    sources = soup(example_site / "sources" / "index.html").find("article")
    entry = sources.find(id="panama_darien_statistics")
    assert entry is not None
    after = entry.find_next_sibling("p", string=None)
    block = []
    for sibling in entry.find_next_siblings():
        if sibling.name == "h2":  # one h2 per source
            break
        block.append(sibling)
    hrefs = [a["href"] for s in block for a in s.find_all("a", href=True)]
    assert "../facts/#darien_crossings_2023" in hrefs
    assert f"../{SLUG}/" in hrefs
    assert after is not None
    facts = soup(example_site / "facts" / "index.html").find("article")
    anchor = facts.find(id="venezuelan_darien_crossings_2023")
    assert anchor.name == "h2" and anchor.get_text().startswith("Venezuelans among the migrants")
    details = anchor.find_next_sibling("p")
    text = details.get_text(" ", strip=True)
    assert text.startswith("about 200,000") and "derived" in text
    assert "Panamanian statistics" in text and "Biden administration" in text
    assert [a["href"] for a in details.find_all("a")] == [
        "../sources/#panama_darien_statistics", f"../{SLUG}/"]
    for fact_id in ("darien_crossings_2023", "venezuelan_share_darien_2023",
                    "venezuelan_border_crossings_aug_2023", "venezuelan_illegal_share_aug_2023",
                    "venezuelan_illegal_crossings_aug_2023"):
        assert facts.find(id=fact_id) is not None, fact_id


def test_site_features(example_site: Path) -> None:
    page = soup(example_site / "index.html")
    # Site search is Pagefind's chunked index; Material's one-file index is gone.
    assert (example_site / "pagefind" / "pagefind-ui.js").is_file()
    assert (example_site / "pagefind" / "pagefind-entry.json").is_file()
    assert not (example_site / "search" / "search_index.json").exists()
    box = page.find("form", attrs={"data-explainer-search-form": True})
    assert box["role"] == "search" and box["action"] == "search/"
    assert box.find("input", attrs={"name": "q"})["aria-label"]
    toggles = page.find_all("input", attrs={"data-md-color-scheme": True})
    assert {t["data-md-color-scheme"] for t in toggles} == {"default", "slate"}
    # Only page content is indexed, not the navigation every page repeats.
    assert page.find("nav").find_parent(attrs={"data-pagefind-body": True}) is None
    assert page.find("article").find(attrs={"data-pagefind-body": True}) is not None
    guide = soup(example_site / "guide" / "index.html")
    assert guide.find("h1").get_text().startswith("Writer's guide")
    css = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert any("assets/explainer/explainer-pages.css" in h for h in css)
    for path in ("data/facts.json", "data/facts.csv", f"data/explainers/{SLUG}.json",
                 "schemas/facts-data.schema.json", "schemas/facts.schema.json"):
        assert (example_site / path).is_file(), path
