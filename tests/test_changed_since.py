"""``explainer check --changed-since REF`` on real git repositories: a pull request that changes
code (mkdocs.yml, templates/, hooks, a published script in docs/) gets one annotation per code
file; one that changes content alone gets none."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import cli
from tests.deploykit import commit_all, copy_project, git, init_repo, use_git_env

RUNS = "this file is code: it runs at build and deploy; a maintainer must review it"
PUBLISHED = ("this file is code: the site publishes it as it is, to run in readers' browsers; "
             "a maintainer must review it")
FACTS = "content/facts/venezuela-deportations.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, str]]:
    """The project committed on main (the base), then a branch `pr` checked out."""
    env = use_git_env(monkeypatch, tmp_path / "home")
    root = copy_project(tmp_path / "project")
    init_repo(root, env)
    commit_all(root, "base", env)
    git(root, "checkout", "--quiet", "-b", "pr", env=env)
    return root, env


def check(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    """The exit code, and the lines other than the example content's notes."""
    code = cli.main(["check", "--root", str(root), *args])
    out = capsys.readouterr()
    lines = out.out.splitlines() + out.err.splitlines()
    return code, [line for line in lines if ": note: " not in line and "::notice" not in line]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_code_changes_get_an_annotation_each(repo, capsys) -> None:
    root, env = repo
    _edit(root / "mkdocs.yml", "site_name: Explainers", "site_name: Explainers!")
    commit_all(root, "pr: retitle", env)  # committed
    (root / "templates").mkdir()
    (root / "templates" / "tag.md.j2").write_text("# {{ tag }}\n")  # untracked
    _edit(root / FACTS, "value: 334000", "value: 334000  # checked again")  # content, uncommitted

    code, lines = check(root, capsys, "--changed-since", "main")

    assert code == 0  # warnings: annotate, do not fail
    assert lines[:2] == [f"mkdocs.yml:1:1: warning: {RUNS}",
                         f"templates/tag.md.j2:1:1: warning: {RUNS}"]
    assert not any(line.startswith("content/") for line in lines)
    assert lines[-1].startswith("check ok: 0 errors, 2 warnings")

    code, lines = check(root, capsys, "--changed-since", "main", "--format", "github")
    assert lines[:2] == [
        "::warning file=mkdocs.yml,line=1,col=1,title=explainer code-change::" + RUNS,
        "::warning file=templates/tag.md.j2,line=1,col=1,title=explainer code-change::" + RUNS]

    # A repository that opts in: --strict fails on the warnings, --code-changes=error always.
    assert check(root, capsys, "--changed-since", "main", "--strict")[0] == 1
    code, lines = check(root, capsys, "--changed-since", "main", "--code-changes", "error")
    assert code == 1
    assert lines[0] == f"mkdocs.yml:1:1: error: {RUNS}"


def test_content_changes_alone_get_none(repo, capsys) -> None:
    root, env = repo
    _edit(root / FACTS, "value: 334000", "value: 334000  # checked again")
    commit_all(root, "pr: a fact", env)
    (root / "docs" / "about-us.md").write_text("# About us\n\nWe write explainers.\n")
    (root / "docs" / "team.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    code, lines = check(root, capsys, "--changed-since", "main", "--strict")

    assert code == 0, lines
    assert lines[-1].startswith("check ok: 0 errors, 0 warnings")
    assert not any(": warning: " in line for line in lines)


def test_hooks_and_published_files_in_docs_are_code(repo, capsys) -> None:
    root, env = repo
    _edit(root / "mkdocs.yml", "strict: true", "strict: true\nhooks:\n  - tools/hook.py")
    git(root, "add", "mkdocs.yml", env=env)
    git(root, "commit", "--quiet", "-m", "hook", env=env)
    (root / "tools").mkdir()
    (root / "tools" / "hook.py").write_text("print('runs at build')\n")
    (root / "docs" / "widget.html").write_text("<script>alert(1)</script>\n")
    (root / "docs" / "logo.svg").write_text("<svg onload='alert(1)'/>\n")
    (root / "docs" / "stylesheets" / "site.css").write_text("body{}\n")

    code, lines = check(root, capsys, "--changed-since", "main")

    # The check of docs/ refuses the .svg and .html outright (the build does too); the
    # changed-code warnings name them as well.
    assert code == 1
    reported = [line for line in lines if not line.startswith("check failed")]
    assert [line for line in reported if ": warning: " in line][:5] == [
        f"docs/logo.svg:1:1: warning: {PUBLISHED}",
        f"docs/stylesheets/site.css:1:1: warning: {PUBLISHED}",
        f"docs/widget.html:1:1: warning: {PUBLISHED}",
        f"mkdocs.yml:1:1: warning: {RUNS}",
        f"tools/hook.py:1:1: warning: {RUNS}"]
    assert [line.split(": error: ")[0] for line in reported if ": error: " in line] == [
        "docs/logo.svg:1:1", "docs/widget.html:1:1"]


def test_an_unknown_ref_is_a_usage_error(repo, capsys) -> None:
    root, _ = repo
    code, lines = check(root, capsys, "--changed-since", "origin/no-such-branch")
    assert code == 2
    assert lines[0] == ("explainer: error: --changed-since origin/no-such-branch: no such commit "
                        "or branch in this repository")
    assert "hint: fetch the base branch first" in lines[1]

    code, lines = check(root, capsys, "--changed-since", "--upload-pack=touch x")
    assert code == 2
    assert "is not a git ref" in lines[0]


def test_a_shallow_clone_fetched_to_the_base(repo, tmp_path, capsys) -> None:
    """What CI has: the pull request's commit, and the base branch fetched beside it."""
    root, env = repo
    (root / "templates").mkdir()
    (root / "templates" / "home.md.j2").write_text("# Home\n")
    commit_all(root, "pr: a template", env)

    def clone(name: str, depth: int) -> Path:
        dest = tmp_path / name
        git(tmp_path, "clone", "--quiet", f"--depth={depth}", "--branch", "pr",
            f"file://{root}", str(dest), env=env)
        git(dest, "fetch", "--quiet", "--depth=1", "origin", "main:refs/remotes/origin/main",
            env=env)
        return dest

    code, lines = check(clone("deep-enough", 2), capsys, "--changed-since", "origin/main")
    assert code == 0
    assert lines[0] == f"templates/home.md.j2:1:1: warning: {RUNS}"
    assert lines[-1].startswith("check ok: 0 errors, 1 warning,")

    code, lines = check(clone("too-shallow", 1), capsys, "--changed-since", "origin/main")
    assert code == 2
    assert lines[0] == ("explainer: error: --changed-since origin/main: this clone holds no "
                        "commit that both it and HEAD come from")
