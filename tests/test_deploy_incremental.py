"""``explainer deploy`` reuses the pages of the last edition build that did not change
(generator/adapters/pagecache.py), and the site it publishes is the clean build's, byte for
byte: every file, after a one-fact correction, a new explainer, a change to mkdocs.yml, and a
development edition (other canonical and files addresses) built from a release's cache.

Each deploy here runs for real (a synthetic archive in a git repository, a bare remote, the
page cache in a private cache folder); while its edition builds, the same project with the same
environment is also built clean, without the cache, and the two sites are compared file by
file. What the cache holds after each deploy shows how many pages that deploy rendered.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from bench.record import correct
from bench.sites import make_root
from bench.synth import _write_one
from generator.publish import build as build_module
from generator.publish import deploy as deploy_module
from tests.deploykit import commit_all, git, init_repo, use_git_env

COUNT = 12  # explainers: one chart in ten, so two charts
SITE = "https://explainers.example.org/"  # mkdocs.yml's site_url


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder``: relative path -> SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Builds:
    """Each deploy's site as the deploy built it (page cache on) and as a clean build of the
    same commit and environment (page cache off)."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.count = 0
        self.real = build_module.build_site

    def __call__(self, *, root: Path, site_dir: Path, **options: object) -> object:
        assert options.get("page_cache") is True  # the deploy asks for the cache
        result = self.real(root=root, site_dir=site_dir, **options)
        self.count += 1
        clean = self.base / f"clean-{self.count}"
        options["page_cache"] = False
        self.real(root=root, site_dir=clean, **options)
        self.incremental = tree(site_dir)
        self.clean = tree(clean)
        return result


@pytest.fixture
def archive(tmp_path, monkeypatch):
    env = use_git_env(monkeypatch, tmp_path / "home")
    cache = tmp_path / "cache"
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(cache))
    root = make_root(tmp_path / "project", COUNT)
    init_repo(root, env)
    commit_all(root, "archive", env)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote), env=env)
    git(root, "remote", "add", "origin", str(remote), env=env)
    builds = Builds(tmp_path)
    monkeypatch.setattr(deploy_module, "build_site", builds)
    return root, env, cache, builds


def deploy(root: Path, version: str, *aliases: str) -> None:
    result = deploy_module.deploy_edition(root=root, version=version, aliases=list(aliases),
                                          push=True)
    assert result.pushed


def cached_pages(cache: Path) -> dict[str, dict[str, object]]:
    """The page cache's entries (one project: one folder)."""
    [state] = list((cache / "pages").glob("*/state.json"))
    pages = json.loads(state.read_text("utf-8"))["pages"]
    assert isinstance(pages, dict)
    return pages


def rendered_in(cache: Path, files_url: str, canonical: str = "") -> set[str]:
    """Pages whose cached copy was rendered by the build whose files are at ``files_url``
    (an edition with no alias has its files at its canonical address: no files address)."""
    wanted = {"files": files_url, "canonical": SITE + "latest/"} if not canonical else \
        {"files": None, "canonical": canonical}
    return {uri for uri, entry in cached_pages(cache).items()
            if all(entry[key] == value for key, value in wanted.items())}


def same_site(builds: Builds) -> None:
    # The files one build has and the other has not, by name (a set's repr is cut short).
    assert sorted(builds.incremental.keys() ^ builds.clean.keys()) == []
    differ = [path for path, digest in builds.incremental.items()
              if builds.clean[path] != digest]
    assert differ == []



def test_incremental_deploys_publish_the_clean_build_byte_for_byte(archive):
    root, env, cache, builds = archive
    deploy(root, "1.0", "latest")
    same_site(builds)
    pages = cached_pages(cache)
    assert len(pages) > 25 and rendered_in(cache, SITE + "1.0/") == set(pages)

    # A one-fact correction: its explainer page, its Facts index page, What changed, the
    # front pages that list it... are rendered; every other page comes from the cache.
    correct(root, 3, 2)
    commit_all(root, "a correction", env)
    deploy(root, "1.1", "latest")
    same_site(builds)
    rendered = rendered_in(cache, SITE + "1.1/")
    # The corrected explainer, and at most one other: one page of each kind is rendered to
    # check the cached copy against (pagecache.py).
    explainers = {uri for uri in rendered if uri.startswith("topic-")}
    assert "topic-00003.md" in explainers and len(explainers) <= 2
    assert 0 < len(rendered) < len(pages) // 2

    # A new explainer: a page more, so every page is rendered (the published files changed).
    _write_one(root, COUNT)
    commit_all(root, "a new explainer", env)
    deploy(root, "1.2", "latest")
    same_site(builds)
    assert rendered_in(cache, SITE + "1.2/") == set(cached_pages(cache))

    # The development edition: other canonical (dev/) and files addresses on every page,
    # which the cached pages of 1.2 are made over for.
    correct(root, 4, 3)
    commit_all(root, "another correction", env)
    deploy(root, "dev")
    same_site(builds)
    rendered = rendered_in(cache, "", canonical=SITE + "dev/")
    assert "topic-00004.md" in rendered and 0 < len(rendered) < len(pages) // 2

    # mkdocs.yml (what every page's footer prints): every page again.
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "copyright: Every number", "copyright: Each number"), "utf-8")
    commit_all(root, "a template change", env)
    deploy(root, "1.3", "latest")
    same_site(builds)
    assert rendered_in(cache, SITE + "1.3/") == set(cached_pages(cache))
    assert builds.count == 5


def test_a_cached_page_that_changed_is_not_published(archive):
    """A cached page whose bytes are not those stored (a torn or altered cache) is not
    used: the site is built again without the cache, and is the clean build's."""
    root, env, cache, builds = archive
    deploy(root, "1.0", "latest")
    [folder] = list((cache / "pages").glob("*/"))
    page = folder / "html" / "topic-00007" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"Topic 7 explained", b"Topic 7 altered"))
    correct(root, 3, 2)
    commit_all(root, "a correction", env)
    deploy(root, "1.1", "latest")
    same_site(builds)
    assert b"Topic 7 altered" not in page.read_bytes()  # the cache was built again


def test_the_deploy_checks_the_content_once(archive, monkeypatch, tmp_path):
    root, _, _, _ = archive
    calls = tmp_path / "checks"
    real = build_module.check_project

    def counted(*args, **kwargs):  # runs in the build's forked process: counted in a file
        with calls.open("a") as out:
            out.write("check\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "check_project", counted)
    monkeypatch.setattr(deploy_module, "build_site", build_module.build_site)
    deploy(root, "1.0", "latest")
    assert calls.read_text().splitlines() == ["check"]
