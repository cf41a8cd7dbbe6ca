"""How an edition is planned against the one it follows (generator/publish/record.py) and
written as one commit (generator/adapters/git_commit.py), on small real folders and a real
repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from generator.adapters import git_commit
from generator.publish import record
from tests.deploykit import commit_branch, git, git_env, init_repo

ARTICLE = ('<html><head><link href="../assets/stylesheets/main.css" rel="stylesheet">'
           '</head><body><article><div data-pagefind-body>{body}</div></article>'
           '<nav>{nav}</nav></body></html>')


def site(folder: Path, files: dict[str, str | bytes]) -> Path:
    for path, content in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    return folder


def page(body: str, nav: str = "a b") -> str:
    return ARTICLE.format(body=body, nav=nav)


BASE = {
    "index.html": page("Front"),
    "x/index.html": page('X says 1. <img src="../cards/x.png">'),
    "y/index.html": page('Y says 2. <img src="../cards/y.png">'),
    "cards/x.png": b"card x",
    "cards/y.png": b"card y",
    "assets/stylesheets/main.css": "body{}",
    "feed.xml": "<feed/>",
}


def test_an_unchanged_article_becomes_a_stub_to_its_home_even_if_the_nav_changed(tmp_path):
    first = record.plan_edition(site(tmp_path / "a", BASE), "1.0", None)
    assert first.stubs == 0 and set(first.files) == set(BASE)
    changed = dict(BASE, **{"x/index.html": page('X says 3. <img src="../cards/x.png">', "a b c"),
                            "y/index.html": page('Y says 2. <img src="../cards/y.png">', "a b c")})
    second = record.plan_edition(site(tmp_path / "b", changed), "1.1", first.manifest)
    assert second.manifest is not None
    assert second.manifest.home("y/index.html") == "1.0"
    assert second.files["y/index.html"] == record.stub("../../1.0/y/?edition=1.1", "../../")
    assert second.manifest.home("x/index.html") == "1.1"
    assert isinstance(second.files["x/index.html"], bytes)  # whole, references repointed
    assert b'href="../../1.0/assets/stylesheets/main.css"' in second.files["x/index.html"]


def test_an_unchanged_card_is_left_out_and_named_where_it_is(tmp_path):
    files = dict(BASE, **{
        "x/index.html": page('X says 1. <img src="../cards/x.png"><meta property="og:image" '
                             'content="https://site.example/repo/1.0/cards/x.png?v=1">'),
        "feed.xml": '<feed><link href="https://site.example/repo/1.0/cards/y.png?v=2"/></feed>'})
    first = record.plan_edition(site(tmp_path / "a", files), "1.0", None)
    changed = {p: c.replace("1.0/cards", "1.1/cards") for p, c in files.items()
               if isinstance(c, str)}
    changed["x/index.html"] = changed["x/index.html"].replace("X says 1", "X says 3")
    changed = {**files, **changed}
    second = record.plan_edition(site(tmp_path / "b", changed), "1.1", first.manifest)
    assert second.manifest is not None
    assert "cards/x.png" not in second.files and "cards/y.png" not in second.files
    assert second.manifest.home("cards/x.png") == "1.0"
    x = second.files["x/index.html"]
    assert isinstance(x, bytes)
    assert b'src="../../1.0/cards/x.png"' in x
    assert b'content="https://site.example/repo/1.0/cards/x.png?v=1"' in x
    assert second.files["feed.xml"] == (
        b'<feed><link href="https://site.example/repo/1.0/cards/y.png?v=2"/></feed>')


def test_a_data_file_is_left_out_when_unchanged_and_whole_pages_name_it_where_it_is(tmp_path):
    files = dict(BASE, **{
        "data/explainers/x.json": "{}", "data/explainers/y.json": "{}",
        "charts/a1.svg": "<svg/>", "charts/z.json": "{}",
        "x/index.html": page('X says 1. <a href="../data/explainers/x.json">'
                             '<img src="../charts/a1.svg"><source srcset="../charts/a1.svg">'),
        "z/index.html": page('Z says 1. <figure data-figure="../charts/z.json">')})
    first = record.plan_edition(site(tmp_path / "a", files), "1.0", None)
    changed = dict(files, **{
        "x/index.html": page('X says 3. <a href="../data/explainers/x.json">'
                             '<img src="../charts/a1.svg"><source srcset="../charts/a1.svg">'),
        "z/index.html": page('Z says 3, see z.json. <figure data-figure="../charts/z.json">')})
    second = record.plan_edition(site(tmp_path / "b", changed), "1.1", first.manifest)
    assert second.manifest is not None
    for path in ("data/explainers/y.json", "data/explainers/x.json", "charts/a1.svg"):
        assert path not in second.files and second.manifest.home(path) == "1.0"
    # x's page is whole in 1.1: its attributes name the unchanged files in 1.0.
    x = second.files["x/index.html"]
    assert isinstance(x, bytes)
    assert b'href="../../1.0/data/explainers/x.json"' in x
    assert b'src="../../1.0/charts/a1.svg"' in x and b'srcset="../../1.0/charts/a1.svg"' in x
    # z's page names its figure in its text too: the file stays, though unchanged.
    assert "charts/z.json" in second.files and second.manifest.home("charts/z.json") == "1.1"
    assert "feed.xml" in second.files  # not a per-page file: always published


def test_a_changed_file_is_never_left_out(tmp_path):
    first = record.plan_edition(site(tmp_path / "a", BASE), "1.0", None)
    second = record.plan_edition(site(tmp_path / "b", dict(BASE, **{"cards/y.png": b"new"})),
                                 "1.1", first.manifest)
    assert "cards/y.png" in second.files


def test_the_search_page_is_always_the_editions_own(tmp_path):
    files = dict(BASE, **{"search/index.html": page("Search")})
    first = record.plan_edition(site(tmp_path / "a", files), "1.0", None)
    second = record.plan_edition(site(tmp_path / "b", files), "1.1", first.manifest)
    kept = second.files["search/index.html"]
    assert b"data-pagefind-body" in (kept if isinstance(kept, bytes) else kept.read_bytes())


def test_redeploying_an_edition_never_stubs_a_page_to_itself(tmp_path):
    first = record.plan_edition(site(tmp_path / "a", BASE), "1.0", None)
    again = record.plan_edition(site(tmp_path / "b", BASE), "1.0", first.manifest)
    assert again.stubs == 0


def test_an_alias_is_stubs_and_feeds_and_keeps_pages_it_once_had(tmp_path):
    root = site(tmp_path / "a", BASE)
    first = record.plan_edition(root, "1.0", None)
    alias = record.plan_alias("latest", first, None)
    assert alias.files["x/index.html"] == record.stub("../../1.0/x/?edition=latest", "../../")
    assert alias.files["feed.xml"] == root / "feed.xml"
    assert "cards/x.png" not in alias.files
    gone = dict(BASE)
    del gone["y/index.html"]
    root2 = site(tmp_path / "b", gone)
    second = record.plan_edition(root2, "1.1", first.manifest)
    alias2 = record.plan_alias("latest", second, alias.manifest)
    assert alias2.files["y/index.html"] == record.stub("../../1.0/y/", "../../")


def test_an_unchanged_sitemap_is_left_to_its_edition_and_latest_still_has_one(tmp_path):
    files = dict(BASE, **{"sitemap.xml": "<urlset>a</urlset>"})
    first = record.plan_edition(site(tmp_path / "a", files), "1.0", None)
    assert "sitemap.xml" in first.files
    root = site(tmp_path / "b", files)
    second = record.plan_edition(root, "1.1", first.manifest)
    assert second.manifest is not None
    assert "sitemap.xml" not in second.files and second.manifest.home("sitemap.xml") == "1.0"
    assert record.plan_alias("latest", second, None).files["sitemap.xml"] == root / "sitemap.xml"
    # A page came: the sitemap changed, and the edition has its own.
    third = record.plan_edition(site(tmp_path / "c", dict(files, **{
        "sitemap.xml": "<urlset>a b</urlset>", "z/index.html": page("Z")})), "1.2",
        second.manifest)
    assert "sitemap.xml" in third.files


def test_stub_targets_climb_out_of_the_page_and_its_edition():
    assert record.stub_target("index.html", "1.0", "1.1") == "../1.0/?edition=1.1"
    assert record.stub_target("a/b/index.html", "1.0", None) == "../../../1.0/a/b/"
    assert record.stub_target("404.html", "1.0", "dev") == "../1.0/404.html?edition=dev"


def test_a_manifest_reads_back_and_anything_else_reads_as_none():
    manifest = record.Manifest("1.0", {"x/index.html": ("k", "1.0")})
    path = record.manifest_path("1.0")
    assert record.Manifest.load({path: manifest.to_json()}.get, "1.0") == manifest
    for raw in (None, b"", b"[]", b"{not json", b'{"format": 99}', "é".encode("latin-1")):
        assert record.Manifest.load({path: raw}.get, "1.0") is None


def test_references_are_repointed_only_for_files_left_out():
    html = (b'<a href="../x/">x</a><link href="../assets/stylesheets/a.css">'
            b'<script src="../charts/plotly-basic-1.2.3.min.js?v=1"></script>'
            b'<img src="https://elsewhere.example/assets/stylesheets/a.css">')
    out = record.rewrite_refs(html, "p/index.html", {
        "assets/stylesheets/a.css": "1.0", "charts/plotly-basic-1.2.3.min.js": "1.1"})
    assert out == (b'<a href="../x/">x</a><link href="../../1.0/assets/stylesheets/a.css">'
                   b'<script src="../../1.1/charts/plotly-basic-1.2.3.min.js?v=1"></script>'
                   b'<img src="https://elsewhere.example/assets/stylesheets/a.css">')


@pytest.fixture
def repo(tmp_path):
    env = git_env(tmp_path / "home")
    root = init_repo(tmp_path / "repo", env)
    (root / "README").write_text("x\n")
    git(root, "add", "-A", env=env)
    git(root, "commit", "-qm", "init", env=env)
    return root, env


def test_one_commit_writes_files_removes_folders_and_skips_an_unchanged_tree(repo, tmp_path,
                                                                              monkeypatch):
    root, env = repo
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                "GIT_COMMITTER_EMAIL", "GIT_CONFIG_GLOBAL", "HOME"):
        monkeypatch.setenv(key, env[key])
    disk = tmp_path / "big.bin"
    disk.write_bytes(b"\0" * 70000)
    odd = 'a "quoted"\\name\nwith a line break.txt'
    first = git_commit.commit_files(root, "pages", None, remove=[], files={
        "1.0/index.html": b"one", "1.0/big.bin": disk, odd: b"odd", "old/x": b"x"},
        message="first")
    assert first is not None
    listed = [p for p in git(root, "ls-tree", "-r", "-z", "--name-only", "pages",
                             env=env).split("\0") if p]
    assert sorted(listed) == sorted(["1.0/big.bin", "1.0/index.html", odd, "old/x"])
    assert subprocess.run(["git", "cat-file", "blob", "pages:1.0/big.bin"], cwd=root, env=env,
                          capture_output=True).stdout == disk.read_bytes()
    second = git_commit.commit_files(root, "pages", first, remove=["old"],
                                     files={"1.1/index.html": b"two"}, message="second")
    assert second is not None
    assert git(root, "rev-parse", "pages^", env=env) == first
    assert "old/x" not in git(root, "ls-tree", "-r", "--name-only", "pages", env=env)
    same = git_commit.commit_files(root, "pages", second, remove=[],
                                   files={"1.1/index.html": b"two"}, message="again")
    assert same is None and git(root, "rev-parse", "pages", env=env) == second
    # The working tree and its index were never touched.
    assert git(root, "status", "--porcelain", env=env) == ""


def test_a_latest_copied_whole_by_mike_still_forwards_the_pages_it_had(repo, tmp_path):
    """A site deployed by mike before the record: latest/ was a copy of 1.0. Deploying 1.1
    replaces it with stubs, and a page only 1.0 had keeps an address under latest/."""
    from generator.adapters import mike
    from generator.publish.deploy import alias_before

    root, env = repo
    versions = '[{"version": "1.0", "title": "1.0", "aliases": ["latest"]}]'
    ref = commit_branch(root, "gh-pages", {
        "versions.json": versions, "1.0/old/index.html": "<p>old</p>",
        "latest/old/index.html": "<p>old</p>", "latest/feed.xml": "<feed/>"}, env)
    named = mike.alias_folders(versions.encode())  # as deploy reads versions.json
    before = alias_before(root, ref, "latest", named.get("latest"))
    assert before is not None and before.files == {"old/index.html": ("", "1.0")}
    built = site(tmp_path / "b", BASE)
    alias = record.plan_alias("latest", record.plan_edition(built, "1.1", None), before)
    assert alias.files["old/index.html"] == record.stub("../../1.0/old/", "../../")
    assert alias_before(root, ref, "stable", named.get("stable")) is None


def test_an_unchanged_part_of_the_facts_download_is_named_where_it_was_published(tmp_path):
    from generator.render import datafiles

    index = ('{"format": 2, "fact_parts": [{"json": "facts/a.json", "csv": "facts/a.csv"}, '
             '{"json": "facts/b.json", "csv": "facts/b.csv"}], '
             '"source_parts": [{"json": "sources/all.json"}]}')
    csv_index = ("part,first_id,last_id,facts,csv,json\n"
                 "a,a1,a2,2,facts/a.csv,facts/a.json\nb,b1,b2,2,facts/b.csv,facts/b.json\n")
    files = {"data/facts.json": index, "data/facts.csv": csv_index,
             "data/facts/a.json": "A", "data/facts/a.csv": "A", "data/facts/b.json": "B",
             "data/facts/b.csv": "B", "data/sources/all.json": "S"}
    first = record.plan_edition(site(tmp_path / "a", files), "1.0", None)
    second = record.plan_edition(site(tmp_path / "b", dict(files, **{
        "data/facts/b.json": "B2", "data/facts/b.csv": "B2"})), "1.1", first.manifest)
    assert "data/facts/a.json" not in second.files and "data/facts/b.json" in second.files
    published = second.files["data/facts.json"]
    assert isinstance(published, bytes)
    parts = json.loads(published)["fact_parts"]
    assert parts[0] == {"json": "../../1.0/data/facts/a.json", "csv": "../../1.0/data/facts/a.csv"}
    assert parts[1] == {"json": "facts/b.json", "csv": "facts/b.csv"}
    assert json.loads(published)["source_parts"] == [{"json": "../../1.0/data/sources/all.json"}]
    rows = second.files["data/facts.csv"]
    assert isinstance(rows, bytes)
    assert rows.decode().splitlines()[1] == ("a,a1,a2,2,../../1.0/data/facts/a.csv,"
                                             "../../1.0/data/facts/a.json")
    # The reader of a published edition finds the part where it is.
    read = {"facts/b.json": {"facts": [{"id": "b"}]},
            "../../1.0/data/facts/a.json": {"facts": [{"id": "a"}]},
            "../../1.0/data/sources/all.json": {"sources": []}}
    joined = datafiles.join(json.loads(published), read.get)
    assert joined is not None and [f["id"] for f in joined["facts"]] == ["a", "b"]
    assert datafiles.join({"fact_parts": [{"json": "../../../etc/x.json"}], "source_parts": []},
                          read.get) is None
