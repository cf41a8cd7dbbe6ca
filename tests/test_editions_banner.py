"""Editions tell readers which edition they read, and point at pages that exist (issue 21, goal 3).

Three editions deployed with the real ``explainer deploy`` to a real bare remote (1.0 and 1.1 as
``latest`` in turn, then ``dev``; tests/editionskit.py), served as GitHub Pages serves a project
site, read by real Chromium:

- the banner: "older edition" on 1.0 only; none on 1.1 or latest; "preview" on dev;
- ``dev``'s canonical, og:url, og:image, sitemap and feeds name ``dev/`` pages, which exist;
- ``?edition=V`` (a redirect stub's arrival): the page reads as edition V and its links stay
  in V; an unlisted V changes nothing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from generator.adapters.manifest import Manifest
from tests.conftest import launch_chromium
from tests.editionskit import SITE_URL, SLUG, pages_server, shared_tree

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("editions_tree")]

BANNER = "[data-md-component=outdated]"


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return shared_tree(tmp_path_factory)


@pytest.fixture(scope="module")
def site(tree):
    with pages_server(tree["served"]) as url:
        yield url


def read(tree, path: str) -> str:
    return (tree["served"] / path).read_text("utf-8")


def published_file(tree, url: str) -> Path:
    """The file of the served tree that a published address names."""
    assert url.startswith(SITE_URL), url
    path = urlsplit(url).path[len(urlsplit(SITE_URL).path):]
    target = tree["served"] / path
    return target / "index.html" if path.endswith("/") or not path else target


STUB = re.compile(r'http-equiv=refresh content="0;url=([^"?]+)')


def edition_file(tree, version: str, path: str) -> str:
    """A file of an edition no page names, such as its sitemap: the edition's own, or the
    earlier edition's it was left to, byte for byte the same (generator/publish/record.py)."""
    def branch(name: str) -> bytes | None:
        found = tree["served"] / name
        return found.read_bytes() if found.is_file() else None

    manifest = Manifest.load(branch, version)
    home = manifest.home(path) if manifest else None
    return read(tree, f"{home or version}/{path}")


def whole_page(tree, path: str) -> tuple[str, str]:
    """(path, HTML) of the page a reader of ``path`` ends on: an edition's page that did not
    change is a redirect to the edition holding it (generator/publish/record.py)."""
    html = read(tree, path)
    stub = STUB.search(html)
    if stub is None:
        return path, html
    target = urljoin("/" + path, stub.group(1)).lstrip("/")
    return whole_page(tree, target + "index.html" if target.endswith("/") else target)


def addresses(tree, version: str, page: str = f"{SLUG}/index.html") -> dict[str, list[str]]:
    """Every absolute address an edition publishes about itself, by where it is said (the
    page's own addresses from the page a reader of it ends on)."""
    article = BeautifulSoup(whole_page(tree, f"{version}/{page}")[1], "html.parser")
    feed = json.loads(read(tree, f"{version}/feed.json"))
    return {
        "canonical": [article.find("link", rel="canonical")["href"]],
        "og:url": [m["content"] for m in article.find_all("meta", property="og:url")],
        "og:image": [m["content"].split("?")[0]
                     for m in article.find_all("meta", property="og:image")],
        "sitemap": re.findall(r"<loc>([^<]+)</loc>", edition_file(tree, version, "sitemap.xml")),
        "feed.xml": re.findall(r'href="(https?://[^"]+)"', read(tree, f"{version}/feed.xml")),
        "changes.xml": re.findall(r'href="(https?://[^"]+)"',
                                  read(tree, f"{version}/changes.xml")),
        "feed.json": [feed["home_page_url"], feed["feed_url"]]
                     + [item["url"] for item in feed["items"]],
    }


def test_dev_points_at_itself_and_every_address_exists(tree):
    # dev's explainer did not change since 1.1: it is 1.1's page (a redirect there); dev's own
    # pages, such as its search page, and its sitemap and feeds name dev.
    assert whole_page(tree, f"dev/{SLUG}/index.html")[0] == f"1.1/{SLUG}/index.html"
    found = addresses(tree, "dev", page="search/index.html")
    assert len(found["sitemap"]) > 5 and len(found["feed.json"]) >= 3
    for where, urls in found.items():
        for url in urls:
            # A card dev did not change is named in the release that has it.
            folder = re.match(re.escape(SITE_URL) + r"1\.[01]/cards/", url) is None
            assert not folder or url.startswith(SITE_URL + "dev/"), f"{where}: {url}"
            assert published_file(tree, url).is_file(), f"{where}: {url} is not published"
    assert found["canonical"] == [f"{SITE_URL}dev/search/"]


# latest/ is redirect stubs and feed copies (tests/test_record_crawl.py follows them).
@pytest.mark.parametrize("edition", ["1.0", "1.1", "dev"])
def test_every_address_an_edition_publishes_exists(tree, edition):
    for where, urls in addresses(tree, edition).items():
        for url in urls:
            assert published_file(tree, url).is_file(), f"{where}: {url} is not published"


def test_an_edition_deployed_as_latest_keeps_latest_canonical(tree):
    found = addresses(tree, "1.1")
    for where, urls in found.items():
        for url in urls:
            # A picture is a file, which an alias does not publish: it is named in the edition,
            # or in the earlier one 1.1 left an unchanged card to. A correction's note has a
            # permanent address in the edition.
            folders = ("1.1/", "1.0/") if "/cards/" in url else \
                ("1.1/",) if "#update-" in url else ("latest/",)
            assert url.startswith(tuple(SITE_URL + f for f in folders)), f"{where}: {url}"
            assert published_file(tree, url.split("#")[0]).is_file(), f"{where}: {url}"
    assert found["canonical"] == [f"{SITE_URL}latest/{SLUG}/"]


# -- in a browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


def open_page(chromium, url: str, **options):
    tab = chromium.new_page(**options)
    tab.goto(url)
    if options.get("java_script_enabled", True):
        tab.locator(".md-version").wait_for()  # explainer-editions.js has read versions.json
    return tab


def banner(tab) -> str | None:
    """The banner's visible text, or None when no banner shows."""
    if tab.locator(BANNER).is_hidden():
        return None
    shown = tab.locator(f"{BANNER} [data-explainer-banner]:visible")
    assert shown.count() == 1
    return " ".join(shown.inner_text().split())


@pytest.mark.browser
@pytest.mark.parametrize(("edition", "expected"), [
    ("1.0", "You are reading an older edition of this site. Read the latest edition"),
    ("1.1", None),
    ("latest", None),
    ("dev", "You are reading a preview of the next edition; it may still change. "
            "Read the latest edition"),
])
def test_banner_by_edition(chromium, site, edition, expected):
    tab = open_page(chromium, f"{site}{edition}/{SLUG}/")
    try:
        assert banner(tab) == expected
        assert tab.locator(".md-version__current").inner_text() == edition.replace(
            "latest", "1.1")
        assert sorted(tab.locator(".md-version__link").all_inner_texts()) == \
            ["1.0", "1.1", "dev"]
        if expected:
            link = tab.locator(f"{BANNER} [data-explainer-banner]:visible a")
            link.click()
            # latest/ is a stub to the edition holding its front page, read as latest.
            tab.wait_for_url(re.compile(re.escape(site) + r"1\.[01]/\?edition=latest$"))
    finally:
        tab.close()


@pytest.mark.browser
def test_banner_follows_release_order_not_listing_order(chromium, site):
    """A release above the one aliased latest is a preview; 1.10 is above 1.9 (version_key)."""
    versions = [{"version": "1.10", "title": "1.10", "aliases": []},
                {"version": "1.9", "title": "1.9", "aliases": ["latest"]},
                {"version": "1.1", "title": "1.1", "aliases": []},
                {"version": "1.0", "title": "1.0", "aliases": []}]
    tab = chromium.new_page()
    try:
        tab.route("**/versions.json", lambda route: route.fulfill(json=versions))
        for edition, kind in (("1.10", "preview"), ("1.1", "older"), ("1.9", None)):
            tab.goto(f"{site}1.0/{SLUG}/?edition={edition}")
            tab.locator(".md-version").wait_for()
            text = banner(tab)
            assert (text and ("preview" if "preview" in text else "older")) == kind, edition
    finally:
        tab.close()


def page_links(tab) -> list[str]:
    """The page's own links (not the edition selector's)."""
    return tab.eval_on_selector_all(
        "a[href]:not(.md-version__link)", "links => links.map(a => a.href)")


@pytest.mark.browser
@pytest.mark.parametrize("alias", ["1.1", "latest"])
def test_edition_query_reads_as_that_edition_and_keeps_the_reader_in_it(chromium, site, alias):
    """A stub of edition V sends the reader to the page in the edition that holds it, with
    ?edition=V: the reader still reads V (selector, banner) and the page's links lead into V."""
    tab = open_page(chromium, f"{site}1.0/{SLUG}/?edition={alias}")
    try:
        assert tab.locator(".md-version__current").inner_text() == "1.1"
        assert banner(tab) is None  # 1.1 is latest: no "older edition" banner
        links = page_links(tab)
        here = f"{site}1.0/{SLUG}/?edition={alias}#"
        assert not [h for h in links if h.startswith(f"{site}1.0/") and not h.startswith(here)]
        ours = [h for h in links if h.startswith(f"{site}{alias}/")]
        assert f"{site}{alias}/archive/" in ours and f"{site}{alias}/changes/" in ours
        # Links within the page (footnotes, headings' anchors) stay within the page.
        inner = tab.eval_on_selector_all("a[href^='#']", "ls => ls.map(a => a.href)")
        assert len(inner) > 3
        assert all(h.startswith(f"{site}1.0/{SLUG}/?edition={alias}#") for h in inner), inner
        # A link followed leads to V's page of that address (here a full page of 1.1).
        tab.locator("footer a", has_text="What changed").click()
        # 1.1's page, or latest's stub to it, read as latest.
        tab.wait_for_url(re.compile(re.escape(site) + (
            r"1\.1/changes/\?edition=latest$" if alias == "latest" else r"1\.1/changes/$")))
        assert banner(tab) is None
    finally:
        tab.close()


@pytest.mark.browser
def test_edition_query_to_a_preview_shows_the_preview_banner(chromium, site):
    tab = open_page(chromium, f"{site}1.1/{SLUG}/?edition=dev")
    try:
        assert "preview of the next edition" in banner(tab)
        assert tab.locator(".md-version__current").inner_text() == "dev"
        assert f"{site}dev/archive/" in page_links(tab)
    finally:
        tab.close()


@pytest.mark.browser
@pytest.mark.parametrize("value", ["1.2", "LATEST", "1.1/", "", "<img src=x onerror=alert(1)>",
                                   "../dev", "1.1&edition=dev"])
def test_an_unlisted_edition_query_changes_nothing(chromium, site, value):
    from urllib.parse import quote

    tab = open_page(chromium, f"{site}1.0/{SLUG}/?edition={quote(value, safe='')}")
    try:
        assert tab.locator(".md-version__current").inner_text() == "1.0"
        assert banner(tab) is not None and "older edition" in banner(tab)
        links = page_links(tab)
        assert f"{site}1.0/archive/" in links
        assert not [h for h in links if h.startswith((f"{site}1.1/", f"{site}dev/"))]
        assert tab.locator("img[src=x]").count() == 0
    finally:
        tab.close()


@pytest.mark.browser
def test_without_script_the_page_reads_as_the_edition_it_is(chromium, site):
    tab = open_page(chromium, f"{site}1.0/{SLUG}/?edition=1.1", java_script_enabled=False)
    try:
        assert tab.locator(BANNER).is_hidden()
        links = page_links(tab)
        assert f"{site}1.0/archive/" in links
        assert not [h for h in links if h.startswith(f"{site}1.1/")]
    finally:
        tab.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_preview_banner_passes_axe_in_both_schemes(chromium, site, width):
    from tests.test_a11y import AXE, _axe, _go_dark, _report, _settle

    tab = open_page(chromium, f"{site}dev/{SLUG}/", viewport={"width": width, "height": 900},
                    color_scheme="light")
    try:
        assert "preview" in banner(tab)
        for scheme in ("light", "dark"):
            if scheme == "dark":
                _go_dark(tab)
            _settle(tab)
            violations = _axe(tab, AXE.read_text(encoding="utf-8"))
            assert violations == [], f"{scheme}: " + _report(violations)
    finally:
        tab.close()


@pytest.mark.parametrize(("site_url", "suffix", "version", "aliases", "expected"), [
    ("https://h.example/repo/latest", "latest", "dev", "", "https://h.example/repo/dev/"),
    ("https://h.example/repo/latest", "latest", "1.2", "latest,stable",
     "https://h.example/repo/latest/"),
    ("https://h.example/repo/1.0", "1.0", "1.0", "", "https://h.example/repo/1.0/"),
    ("https://h.example/repo/1.2", "1.2", "1.2", "latest", "https://h.example/repo/latest/"),
    ("https://h.example/latest", "latest", "dev", "", "https://h.example/dev/"),
    # Not the address mike made, or not an edition build: left as configured.
    ("https://h.example/repo/", "latest", "dev", "", "https://h.example/repo/"),
    ("https://h.example/repo/latest", None, "dev", "", "https://h.example/repo/latest"),
    ("https://h.example/repo/latest", "latest", "", "", "https://h.example/repo/latest"),
    ("https://h.example/repo/latest", "latest", "<b>", "", "https://h.example/repo/latest"),
])
def test_edition_site_url(monkeypatch, site_url, suffix, version, aliases, expected):
    from generator.adapters.edition import ALIASES_VAR, MIKE_VERSION_VAR, edition_site_url

    monkeypatch.setenv(MIKE_VERSION_VAR, version)
    monkeypatch.setenv(ALIASES_VAR, aliases)
    assert edition_site_url(site_url, suffix) == expected
