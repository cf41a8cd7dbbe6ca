"""How a build knows its edition and reads the previous edition's facts from gh-pages, and the
git adapter underneath: real git repositories, no checkout of the pages branch."""

from __future__ import annotations

import json

import pytest

from generator.adapters import edition as ed
from generator.adapters import git as gitad
from tests.deploykit import commit_all, commit_branch, git, init_repo, pages_files, use_git_env

FACTS_10 = {"facts": [{"id": "a", "value": 1, "display": "1"}]}
FACTS_11 = {"facts": [{"id": "a", "value": 2, "display": "2"}]}


@pytest.fixture
def repo(tmp_path, monkeypatch):
    env = use_git_env(monkeypatch, tmp_path / "home")
    repo = init_repo(tmp_path / "project", env)
    (repo / "content").mkdir()
    (repo / "content" / "x.yaml").write_text("facts: []\n")
    commit_all(repo, "content", env)
    return repo, env


@pytest.mark.parametrize(("versions", "current", "expected"), [
    ([], "1.0", None),
    (["1.0"], "1.0", None),                      # redeploying the first edition
    (["1.0"], "1.1", "1.0"),
    (["1.1", "1.0"], "1.1", "1.0"),              # redeploying 1.1 compares with 1.0, not itself
    (["1.10", "1.9", "1.2"], "1.11", "1.10"),    # numeric, not string, order
    (["1.1", "1.0"], "1.0.1", "1.0"),            # a hotfix compares with what it fixes
    (["dev", "1.1", "1.0"], "dev", "1.1"),       # dev compares with the newest release
    (["dev", "1.0"], None, "1.0"),               # a preview build too
    (["dev"], None, "dev"),
    (["v2", "v10"], "v11", "v10"),
])
def test_previous_version(versions, current, expected):
    records = [{"version": v, "aliases": []} for v in versions]
    assert ed.previous_version(records, current) == expected


def test_previous_version_prefers_latest_alias_for_dev():
    records = [{"version": "2.0", "aliases": []}, {"version": "1.5", "aliases": ["latest"]}]
    assert ed.previous_version(records, "dev") == "1.5"
    assert ed.previous_version(records, "2.1") == "2.0"


def test_no_git_repository_is_a_first_edition(tmp_path, monkeypatch):
    use_git_env(monkeypatch, tmp_path / "home")
    (tmp_path / "plain").mkdir()
    assert ed.current_edition(tmp_path / "plain") == ed.Edition()
    monkeypatch.setenv("EXPLAINER_EDITION", "1.0")
    assert ed.current_edition(tmp_path / "plain") == ed.Edition(version="1.0")


def test_no_git_installed_is_a_first_edition(tmp_path, monkeypatch, repo):
    root, _ = repo
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert ed.current_edition(root) == ed.Edition()


def test_repository_without_gh_pages_is_a_first_edition(repo):
    root, _ = repo
    assert ed.current_edition(root) == ed.Edition()


def test_reads_previous_facts_from_gh_pages_without_checkout(repo, monkeypatch):
    root, env = repo
    commit_branch(root, "gh-pages", pages_files({"1.0": FACTS_10}, latest="1.0"), env)
    head_before = git(root, "rev-parse", "--abbrev-ref", "HEAD", env=env)
    monkeypatch.setenv("EXPLAINER_EDITION", "1.1")
    edition = ed.current_edition(root)
    assert edition == ed.Edition("1.1", "1.0", FACTS_10)
    # The working tree and the checked-out branch are untouched.
    assert git(root, "rev-parse", "--abbrev-ref", "HEAD", env=env) == head_before
    assert git(root, "status", "--porcelain", env=env) == ""
    assert not (root / "1.0").exists() and not (root / "versions.json").exists()


def test_preview_build_compares_with_latest(repo):
    root, env = repo
    commit_branch(root, "gh-pages", pages_files({"1.1": FACTS_11, "1.0": FACTS_10},
                                                latest="1.1"), env)
    assert ed.current_edition(root) == ed.Edition(None, "1.1", FACTS_11)


def test_mike_version_variable_is_understood(repo, monkeypatch):
    root, env = repo
    commit_branch(root, "gh-pages", pages_files({"1.0": FACTS_10}), env)
    monkeypatch.setenv("MIKE_DOCS_VERSION", "1.1")
    assert ed.current_edition(root).previous_version == "1.0"


def test_pages_ref_pins_the_state_before_the_deploy(repo, monkeypatch):
    root, env = repo
    first = commit_branch(root, "gh-pages", pages_files({"1.0": FACTS_10}), env)
    commit_branch(root, "gh-pages", pages_files({"1.1": FACTS_11, "1.0": FACTS_10}), env)
    monkeypatch.setenv("EXPLAINER_EDITION", "1.2")
    assert ed.current_edition(root).previous_version == "1.1"
    monkeypatch.setenv("EXPLAINER_PAGES_REF", first)
    assert ed.current_edition(root) == ed.Edition("1.2", "1.0", FACTS_10)
    monkeypatch.setenv("EXPLAINER_PAGES_REF", "")  # deploy found no gh-pages at all
    assert ed.current_edition(root) == ed.Edition("1.2")


def test_remote_tracking_branch_is_used_when_no_local_one(repo, tmp_path):
    root, env = repo
    commit_branch(root, "gh-pages", pages_files({"1.0": FACTS_10}), env)
    sha = git(root, "rev-parse", "gh-pages", env=env)
    git(root, "update-ref", "refs/remotes/origin/gh-pages", sha, env=env)
    git(root, "branch", "-D", "gh-pages", env=env)
    assert ed.current_edition(root).previous_facts == FACTS_10


def test_unreadable_previous_facts_are_none_not_an_error(repo, monkeypatch):
    root, env = repo
    files = pages_files({"1.0": None})
    files["1.0/data/facts.json"] = "{not json"
    commit_branch(root, "gh-pages", files, env)
    monkeypatch.setenv("EXPLAINER_EDITION", "1.1")
    assert ed.current_edition(root) == ed.Edition("1.1", "1.0", None)
    commit_branch(root, "gh-pages", {"versions.json": "[broken"}, env)
    assert ed.current_edition(root) == ed.Edition("1.1")


def test_odd_version_from_environment_is_ignored(repo, monkeypatch):
    root, _ = repo
    monkeypatch.setenv("EXPLAINER_EDITION", "<script>")
    assert ed.current_edition(root).version is None


def test_project_in_a_subfolder_of_the_repository(tmp_path, monkeypatch):
    env = use_git_env(monkeypatch, tmp_path / "home")
    top = init_repo(tmp_path / "mono", env)
    (top / "site-project").mkdir()
    (top / "site-project" / "a.txt").write_text("x")
    commit_all(top, "x", env)
    commit_branch(top, "gh-pages", pages_files({"1.0": FACTS_10}), env)
    monkeypatch.setenv("EXPLAINER_EDITION", "1.1")
    assert ed.current_edition(top / "site-project").previous_facts == FACTS_10


# -- the git adapter -----------------------------------------------------------------------


def test_uncommitted_lists_modified_untracked_deleted_and_renamed(repo):
    root, env = repo
    assert gitad.uncommitted(root) == []
    (root / "content" / "y.yaml").write_text("y")
    (root / "content" / "w.yaml").write_text("w")
    commit_all(root, "y", env)
    git(root, "mv", "content/y.yaml", "content/z.yaml", env=env)
    (root / "content" / "x.yaml").write_text("facts: [2]\n")
    (root / "content" / "w.yaml").unlink()
    (root / "new file.yaml").write_text("x")
    described = sorted(c.describe() for c in gitad.uncommitted(root))
    assert described == ["content/w.yaml (deleted)", "content/x.yaml (modified)",
                         "content/z.yaml (renamed)", "new file.yaml (untracked)"]
    (root / ".gitignore").write_text("ignored/\n")
    (root / "ignored").mkdir()
    (root / "ignored" / "f").write_text("x")
    assert "ignored/f" not in {c.path for c in gitad.uncommitted(root)}


def test_show_reads_bytes_or_none(repo):
    root, env = repo
    commit_branch(root, "gh-pages", {"a/b.json": json.dumps({"x": 1})}, env)
    assert json.loads(gitad.show(root, "gh-pages", "a/b.json")) == {"x": 1}
    assert gitad.show(root, "gh-pages", "missing") is None
    assert gitad.show(root, "no-such-branch", "a/b.json") is None


def test_sync_branch_fetches_fast_forwards_and_refuses_divergence(repo, tmp_path):
    root, env = repo
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare), env=env)
    git(root, "remote", "add", "origin", str(bare), env=env)
    assert gitad.sync_branch(root, "origin", "gh-pages") == "none"

    # Someone else published 1.0; we have no local gh-pages yet.
    other = init_repo(tmp_path / "other", env)
    commit_branch(other, "gh-pages", pages_files({"1.0": FACTS_10}), env)
    git(other, "push", "--quiet", str(bare), "gh-pages", env=env)
    assert gitad.sync_branch(root, "origin", "gh-pages") == "created"
    assert gitad.sync_branch(root, "origin", "gh-pages") == "even"

    commit_branch(other, "gh-pages", pages_files({"1.1": FACTS_11, "1.0": FACTS_10}), env)
    git(other, "push", "--quiet", str(bare), "gh-pages", env=env)
    assert gitad.sync_branch(root, "origin", "gh-pages") == "fast-forwarded"
    assert gitad.rev(root, "gh-pages") == gitad.rev(other, "gh-pages")

    commit_branch(root, "gh-pages", {"versions.json": "[]"}, env, message="local deploy")
    assert gitad.sync_branch(root, "origin", "gh-pages") == "ahead"
    commit_branch(other, "gh-pages", {"versions.json": "[1]"}, env, message="theirs")
    git(other, "push", "--quiet", "--force", str(bare), "gh-pages", env=env)
    with pytest.raises(gitad.GitError, match="diverged"):
        gitad.sync_branch(root, "origin", "gh-pages")


def test_unreachable_remote_is_a_clear_error(repo, tmp_path):
    root, env = repo
    git(root, "remote", "add", "origin", str(tmp_path / "nowhere.git"), env=env)
    with pytest.raises(gitad.GitError, match="cannot reach git remote 'origin'"):
        gitad.fetch_branch(root, "origin", "gh-pages")
