"""The published record: three editions and ``dev`` deployed to a real bare remote, then crawled.

Every address the tree publishes must resolve, in every edition: links and pictures in pages,
redirect stubs, feed entries, sitemap entries, canonicals and ``og:image``, and every address an
earlier deploy's feeds and sitemaps listed (collected after each deploy, checked at the end).
Pages an edition did not change are stubs to the edition that holds them whole; the ``latest``
alias is stubs only.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import tarfile
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from generator.publish import record
from tests.deploykit import commit_all, copy_project, explainer_cli, git, git_env, init_repo

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("record_crawl")]

SITE = "https://explainers.example.org/"
FACTS = Path("content/facts/venezuela-deportations.yaml")
EXTRA = Path("docs/extra-note.md")
REFRESH = re.compile(r'content="0;url=([^"]+)"')


def tree_of(root: Path, ref: str, env: dict[str, str]) -> dict[str, bytes]:
    archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=root, env=env,
                             capture_output=True, check=True).stdout
    files = {}
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if member.isfile():
                extracted = tar.extractfile(member)
                assert extracted is not None
                files[member.name] = extracted.read()
    return files


def listed_addresses(files: dict[str, bytes]) -> set[str]:
    """Every URL the feeds and sitemaps of a published tree list (absolute)."""
    found: set[str] = set()
    for path, data in files.items():
        name = path.rsplit("/", 1)[-1]
        if name in ("sitemap.xml", "feed.xml", "changes.xml"):
            found |= set(re.findall(r"<loc>([^<]+)</loc>", data.decode()))
            found |= set(re.findall(r'<link[^>]*href="([^"]+)"', data.decode()))
            found |= set(re.findall(r"<id>(https?://[^<]+)</id>", data.decode()))
        elif name == "feed.json":
            feed = json.loads(data)
            for item in feed.get("items", []):
                found |= {item[k] for k in ("url", "image") if item.get(k)}
    return {url for url in found if url.startswith(SITE)}


def resolve(files: dict[str, bytes], address: str) -> str | None:
    """The file a site-absolute URL path serves (GitHub Pages' rules), or None."""
    path = unquote(urlsplit(address).path).lstrip("/")
    for candidate in (path, path + "index.html" if path.endswith("/") or not path else
                      path + "/index.html"):
        if candidate in files:
            return candidate
    return None


def references(path: str, data: bytes) -> list[str]:
    """Addresses a published HTML page points at, absolute under SITE."""
    base = urljoin(SITE, path)
    soup = BeautifulSoup(data, "html.parser")
    found = []
    for tag, attr in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
                      ("source", "srcset")):
        for element in soup.find_all(tag):
            value = element.get(attr)
            if isinstance(value, str) and value:
                found.append(value)
    for meta in soup.find_all("meta"):
        if meta.get("property") in ("og:image", "og:url") and meta.get("content"):
            found.append(meta["content"])
    found += REFRESH.findall(data.decode("utf-8", "replace"))
    out = []
    for value in found:
        foreign = "://" in value and not value.startswith(SITE)
        if foreign or value.startswith(("mailto:", "data:", "#")):
            continue
        out.append(urljoin(base, value).split("#", 1)[0])
    return out


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("record")
    env = git_env(tmp / "home")
    root = copy_project(tmp / "project")
    init_repo(root, env)
    remote = tmp / "remote.git"
    git(tmp, "init", "--quiet", "--bare", str(remote), env=env)
    git(root, "remote", "add", "origin", str(remote), env=env)
    (root / EXTRA).write_text("# Extra note\n\nA page that edition 1.1 removes.\n")
    commit_all(root, "project", env)
    listed: set[str] = set()

    def deploy(*args: str) -> None:
        proc = explainer_cli(root, "deploy", *args, "--push", env=env)
        assert proc.returncode == 0, proc.stderr
        listed.update(listed_addresses(tree_of(remote, "gh-pages", env)))

    deploy("1.0", "--alias", "latest")
    (root / EXTRA).unlink()
    facts = root / FACTS
    facts.write_text(facts.read_text().replace("value: 334000", "value: 335000\n    correction: "
                                               "The count was revised.", 1))
    commit_all(root, "1.1: a corrected count, a page removed", env)
    deploy("1.1", "--alias", "latest")
    facts.write_text(facts.read_text().replace("value: 335000", "value: 336000", 1))
    commit_all(root, "1.2: another count", env)
    deploy("1.2", "--alias", "latest")
    deploy("dev")
    return {"files": tree_of(remote, "gh-pages", env), "listed": listed}


def test_every_address_in_every_page_resolves(published: dict) -> None:
    files = published["files"]
    dead = []
    for path, data in files.items():
        if not path.endswith(".html"):
            continue
        for address in references(path, data):
            if resolve(files, address) is None:
                dead.append(f"{path} -> {address}")
    assert "\n".join(dead) == ""


def test_every_address_a_feed_or_sitemap_ever_listed_resolves(published: dict) -> None:
    files, listed = published["files"], published["listed"]
    assert any("/latest/" in url for url in listed)
    assert [url for url in sorted(listed) if resolve(files, url) is None] == []


def test_unchanged_pages_are_stubs_to_their_home_and_changed_ones_whole(published: dict) -> None:
    files = published["files"]
    manifest = record.Manifest.load(files.get, "1.2")
    assert manifest is not None
    # The tags pages did not change after 1.0: 1.2 sends readers to 1.0's, as 1.2.
    tag = "tags/index.html"
    assert manifest.home(tag) == "1.0"
    assert REFRESH.findall(files[f"1.2/{tag}"].decode()) == ["../../1.0/tags/?edition=1.2"]
    # The explainer cites the corrected counts: whole in each edition that changed it.
    page = "venezuela-deportation-flights/index.html"
    assert manifest.home(page) == "1.2"
    assert b"data-pagefind-body" in files[f"1.2/{page}"]
    assert b"data-pagefind-body" in files[f"1.1/{page}"]


def test_latest_is_stubs_and_keeps_pages_it_once_had(published: dict) -> None:
    files = published["files"]
    latest = {p: d for p, d in files.items() if p.startswith("latest/")}
    edition = sum(len(d) for p, d in files.items() if p.startswith("1.0/"))
    pages = [p for p in latest if p.endswith(".html")]
    assert pages and all(len(latest[p]) < 600 for p in pages)
    assert sum(len(d) for d in latest.values()) < 0.05 * edition
    # docs/extra-note.md was published in 1.0 and removed in 1.1: latest still forwards it.
    assert REFRESH.findall(files["latest/extra-note/index.html"].decode()) == [
        "../../1.0/extra-note/"]


def test_dev_points_into_releases_not_at_itself_for_unchanged_pages(published: dict) -> None:
    files = published["files"]
    manifest = record.Manifest.load(files.get, "dev")
    assert manifest is not None
    homes = {home for path, (_, home) in manifest.files.items() if path.endswith(".html")}
    assert homes <= {"1.0", "1.1", "1.2", "dev"}
    versions = json.loads(files["versions.json"])
    assert [v["version"] for v in versions] == ["dev", "1.2", "1.1", "1.0"]
    assert next(v for v in versions if v["version"] == "1.2")["aliases"] == ["latest"]


def test_only_the_newest_and_latest_keep_a_search_index(published: dict) -> None:
    files = published["files"]
    indexed = {p.split("/", 1)[0] for p in files if "/pagefind/" in p}
    assert indexed == {"1.2", "dev"}
    assert REFRESH.findall(files["1.0/search/index.html"].decode()) == ["../../latest/search/"]


def test_the_root_has_a_not_found_page_in_the_sites_design(published: dict) -> None:
    files = published["files"]
    page = files["404.html"].decode()
    assert "There is no page at this address" in page
    # Styled from the edition that published the theme's stylesheet (shared since 1.0).
    assert 'href="/1.0/assets/stylesheets/main.' in page
