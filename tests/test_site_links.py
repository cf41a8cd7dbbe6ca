"""The example site with odd-but-valid source URLs and hostile text in every text field, built
for real and opened in Chromium: no script runs, the text is shown as written, and every
off-site link on a generated page is an http(s) URL some source's YAML holds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import build_project, copy_project, static_server

pytestmark = [pytest.mark.slow, pytest.mark.browser]
SLUG = "venezuela-deportation-flights"

# Accepted by check, each tempting a renderer to end the link early or read markup.
URLS = {
    "seed_article": ("https://apnews.example/story_(a))x?q=1&r=2&amp;s=*y*",
                     "https://web.archive.example/web/2023/https://apnews.example/a)b"),
    "panama_darien_statistics": ("https://stats.example/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
                                 None),
    "ap_announcement_2023_10_05": ("https://müller.example/straße?x=1&#frag", None),
}
PUBLISHER = "<img src=x onerror=alert(11)> [p](javascript:alert(12))"
AUTHOR = "**A** <script>alert(13)</script>"
LOCATOR = "Table 1 ![i](https://evil.example/i.png) `<svg onload=alert(14)>`"
NOTE = "\\[n\\](javascript:alert(15)) {: onclick=alert(16) } [^1] <!-- x -->"
TITLE = "[Statistics `x` <iframe src=javascript:alert(17)>] \\"
STATEMENT_TAIL = " <img src=x onerror=alert(18)> *em* \\[x\\](javascript:alert(19))"
PROSE_TAIL = (" A backslash\\\\ \\*not em\\* `<img src=x onerror=alert(20)>` "
              "{: onclick=alert(21) } ///Footnotes Go Here/// &#60;script&#62;alert(22)")
CHART_NOTE = "Note <img src=x onerror=alert(23)>\n\n[x](javascript:alert(24))"


def _load(path: Path) -> tuple[str, Any]:
    text = path.read_text("utf-8")
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    return header, yaml.safe_load(text)


def _dump(path: Path, header: str, data: Any) -> None:
    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = copy_project(tmp_path_factory.mktemp("links") / "project")
    path = root / "content" / "sources" / "venezuela-deportations.yaml"
    header, data = _load(path)
    for source in data["sources"]:
        url, archive = URLS[source["id"]]
        source.pop("unknown", None)  # every field is given here
        source["url"] = url
        source["accessed"] = "2023-10-06"
        if archive:
            source["archive_url"] = archive
        if source["id"] == "panama_darien_statistics":
            source.update(publisher=PUBLISHER, authors=[AUTHOR], locator=LOCATOR, note=NOTE,
                          title=TITLE)
    _dump(path, header, data)

    path = root / "content" / "facts" / "venezuela-deportations.yaml"
    header, data = _load(path)
    data["facts"][0]["statement"] += STATEMENT_TAIL
    data["facts"][0]["note"] = NOTE
    _dump(path, header, data)

    path = root / "content" / "explainers" / f"{SLUG}.yaml"
    header, data = _load(path)
    link = URLS["panama_darien_statistics"][0]
    data["sections"][0]["bullets"][0] += PROSE_TAIL + f" [the statistics]({link})"
    data["note"] += PROSE_TAIL
    _dump(path, header, data)

    path = root / "charts" / "darien_crossings_by_nationality.yaml"
    header, data = _load(path)
    data["note"] = CHART_NOTE
    _dump(path, header, data)
    return root, build_project(root)


def generated_pages(site: Path, root: Path) -> list[Path]:
    hand_written = {p.stem for p in (root / "docs").glob("*.md")}
    return sorted(p for p in site.rglob("*.html")
                  if p.relative_to(site).parts[0] not in hand_written | {"404.html"})


def yaml_urls(root: Path) -> set[str]:
    found: set[str] = set()
    for path in (root / "content" / "sources").glob("*.yaml"):
        for source in yaml.safe_load(path.read_text("utf-8"))["sources"]:
            found.update(source[k] for k in ("url", "archive_url") if source.get(k))
    return found


def off_site(href: str) -> bool:
    return bool(urlsplit(href.strip()).scheme) or href.strip().startswith("//")


def test_every_off_site_link_is_a_source_url_from_yaml(odd_site: tuple[Path, Path]) -> None:
    root, site = odd_site
    allowed = {unquote(u) for u in yaml_urls(root)}
    assert len(allowed) == 4
    seen: set[str] = set()
    pages = generated_pages(site, root)
    assert len(pages) >= 6
    for page in pages:
        doc = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for article in doc.find_all("article"):
            for tag in article.find_all(True):
                for attr in ("src", "srcset", "poster", "data"):
                    value = tag.get(attr)
                    assert value is None or not off_site(value), f"{page}: {tag}"
                href = tag.get("href")
                if href is None or not off_site(href):
                    continue
                parts = urlsplit(href)
                assert parts.scheme in ("http", "https") and parts.hostname, f"{page}: {href}"
                assert unquote(href) in allowed, f"{page}: {href}"
                seen.add(unquote(href))
        for script in doc.find_all("script", type="application/ld+json"):
            for work in json.loads(script.string).get("citation", []):
                if "url" in work:
                    assert unquote(work["url"]) in allowed
    assert seen == allowed, "every source URL is linked somewhere"


def test_no_script_runs_and_hostile_text_is_shown_as_written(
        odd_site: tuple[Path, Path], browser) -> None:  # type: ignore[no-untyped-def]
    root, site = odd_site
    dialogs: list[str] = []
    texts: dict[str, str] = {}
    with static_server(site) as base:
        for path in generated_pages(site, root):
            rel = path.relative_to(site).as_posix()
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(base + rel, wait_until="load")
            # Handlers that wait for a reader (hover, focus) would fire too.
            page.evaluate("""() => document.querySelectorAll('article *').forEach(e => {
                for (const type of ['mouseover', 'mouseenter', 'focus', 'animationstart'])
                    e.dispatchEvent(new Event(type));
            })""")
            page.wait_for_timeout(200)
            texts[rel] = page.locator("article").first.inner_text()
            hrefs = page.eval_on_selector_all(
                "a[href]", "els => els.map(e => e.href)")
            assert not [h for h in hrefs if not h.startswith(("http://", "https://"))], rel
            page.close()
    assert dialogs == []
    sources = texts["sources/index.html"]
    # Plain-text fields show every character as written, backslashes included.
    for text in (PUBLISHER, AUTHOR, LOCATOR, NOTE, TITLE.rstrip(" \\")):
        assert text in sources, (text, sources)
    explainer = texts[f"{SLUG}/index.html"]
    assert "A backslash\\ *not em* <img src=x onerror=alert(20)>" in explainer
    assert "///Footnotes Go Here/// &#60;script&#62;alert(22)" in explainer
    assert "Note <img src=x onerror=alert(23)>" in explainer
    assert STATEMENT_TAIL.strip() in texts["facts/index.html"]


def test_search_index_holds_no_markup(odd_site: tuple[Path, Path]) -> None:
    _, site = odd_site
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text"):
            value = doc.get(key, "")
            for tag in ("<img", "<script", "<iframe", "<svg", "<b>"):
                assert tag not in value, (doc["location"], value[:300])
