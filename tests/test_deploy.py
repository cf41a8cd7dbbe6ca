"""``explainer deploy`` refusals and options: each refusal exits non-zero with a message that says
what is wrong and what to do, and leaves gh-pages untouched."""

from __future__ import annotations

import re

import pytest

from generator import cli
from tests.deploykit import commit_all, copy_project, git, init_repo, use_git_env


@pytest.fixture
def project(tmp_path, monkeypatch):
    env = use_git_env(monkeypatch, tmp_path / "home")
    root = copy_project(tmp_path / "project")
    init_repo(root, env)
    commit_all(root, "project", env)
    return root, env


def deploy(root, *args, capsys):
    code = cli.main(["deploy", "--root", str(root), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def no_pages_branch(root, env) -> bool:
    return git(root, "branch", "--list", "gh-pages", env=env) == ""


def test_dirty_tree_is_refused_naming_the_files(project, capsys):
    root, env = project
    (root / "content/facts/venezuela-deportations.yaml").write_text("facts: []\n")
    (root / "content/facts/new.yaml").write_text("facts: []\n")
    code, out, err = deploy(root, "1.0", capsys=capsys)
    assert code == 1
    assert err == (
        "explainer: error: refusing to deploy: uncommitted changes to content or code:\n"
        "  content/facts/venezuela-deportations.yaml (modified)\n"
        "  content/facts/new.yaml (untracked)\n"
        "  hint: commit them first (the edition is stamped with HEAD's commit, so it must be "
        "what was built), or pass --allow-dirty to deploy the files as they are\n")
    assert out == ""
    assert no_pages_branch(root, env)


def test_dirty_code_is_refused_too(project, capsys):
    root, _ = project
    (root / "generator" / "cli.py").write_text("# edited\n", encoding="utf-8")
    code, _, err = deploy(root, "1.0", capsys=capsys)
    assert code == 1 and "generator/cli.py (modified)" in err


def test_allow_dirty_deploys_the_files_as_they_are(project, capsys):
    root, env = project
    (root / "docs" / "extra-note.md").write_text("# Extra\n\nUncommitted page.\n")
    code, out, err = deploy(root, "1.0", "--allow-dirty", capsys=capsys)
    assert code == 0, err
    assert "deployed edition 1.0" in out and "not pushed" in out
    assert "Uncommitted page." in git(root, "show", "gh-pages:1.0/extra-note/index.html", env=env)


def test_content_errors_stop_the_deploy_before_mike(project, capsys):
    root, env = project
    path = root / "content/facts/venezuela-deportations.yaml"
    path.write_text(path.read_text().replace("type: count", "type: countt", 1))
    commit_all(root, "broken", env)
    code, _, err = deploy(root, "1.0", capsys=capsys)
    assert code == 1
    assert "refusing to deploy: check failed" in err
    assert "content/facts/venezuela-deportations.yaml:" in err
    assert no_pages_branch(root, env)


@pytest.mark.parametrize(("args", "message"), [
    (["../x"], "is not a usable version name"),
    (["1.0", "--alias", "a b"], "is not a usable alias name"),
    (["1.0", "--alias", "1.0"], "both as the version and as an alias"),
    (["latest"], "reads as an alias"),
    (["index.html"], "'index.html' is not a usable version name: it would replace a file at the "
                     "root of the published site"),
    (["versions.json"], "'versions.json' is not a usable version name: it would replace"),
    (["1.0", "--alias", "404.html"], "'404.html' is not a usable alias name: it would replace"),
    (["sitemap.xml"], "it would replace a file"),
    ([".nojekyll"], "'.nojekyll' is not a usable version name"),
    (["--", "-x"], "'-x' is not a usable version name"),
    (["1.0\x1b[2J"], "'1.0\\x1b[2J' is not a usable version name"),
])
def test_bad_names_are_usage_errors(project, capsys, args, message):
    root, env = project
    code, out, err = deploy(root, *args, capsys=capsys)
    assert code == 2 and message in err and out == ""
    assert err.startswith("explainer: error: ") and err.endswith("\n")
    assert "Traceback" not in err
    assert no_pages_branch(root, env)


def test_not_a_git_repository(tmp_path, monkeypatch, capsys):
    use_git_env(monkeypatch, tmp_path / "home")
    root = copy_project(tmp_path / "plain")
    code, _, err = deploy(root, "1.0", capsys=capsys)
    assert code == 1 and "is not inside a git repository" in err and "git init" in err


def test_mkdocs_yml_must_be_strict(project, capsys):
    root, env = project
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("strict: true", "strict: false"))
    commit_all(root, "not strict", env)
    code, _, err = deploy(root, "1.0", capsys=capsys)
    assert code == 1 and "does not set `strict: true`" in err


def test_push_needs_the_remote(project, capsys):
    root, env = project
    code, _, err = deploy(root, "1.0", "--push", "--remote", "upstream", capsys=capsys)
    assert code == 1
    assert err == ("explainer: error: no git remote named 'upstream'\n"
                   "  hint: add one with `git remote add` or pass --remote NAME\n")
    assert no_pages_branch(root, env)


def test_diverged_pages_branch_is_refused(project, tmp_path, capsys):
    root, env = project
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare), env=env)
    git(root, "remote", "add", "origin", str(bare), env=env)
    from tests.deploykit import commit_branch

    commit_branch(root, "gh-pages", {"versions.json": "[]"}, env, message="ours")
    other = init_repo(tmp_path / "other", env)
    commit_branch(other, "gh-pages", {"versions.json": "[]", "x": "y"}, env, message="theirs")
    git(other, "push", "--quiet", str(bare), "gh-pages", env=env)
    code, _, err = deploy(root, "1.0", capsys=capsys)
    assert code == 1 and "have diverged" in err and "git branch -f gh-pages" in err


def test_failed_build_commits_nothing_and_says_why(project, capsys):
    root, env = project
    # A hand-written page linking a heading the home page lacks (explainer check does not know
    # generated pages' headings): the strict build of the edition must fail.
    (root / "docs" / "broken.md").write_text("# Broken\n\n[nowhere](index.md#no-such-heading)\n")
    commit_all(root, "broken link", env)
    code, _, err = deploy(root, "1.0", capsys=capsys)
    assert code == 1
    assert "the edition did not build, so nothing was published" in err
    assert "no-such-heading" in err
    assert no_pages_branch(root, env)
    assert not (root / "site").exists()


def test_local_build_has_no_edition_selector_to_fetch(project, tmp_path, capsys):
    """Only edition builds ask for versions.json: a local build has none, and the failed request
    would log a console error (the browser test shows the selector on the deployed tree)."""
    root, _ = project
    assert cli.main(["build", "--root", str(root), "--site-dir", str(tmp_path / "out")]) == 0
    html = (tmp_path / "out" / "index.html").read_text("utf-8")
    config = html.split('id="__config"', 1)[1].split("</script>", 1)[0]
    assert '"version"' in config and '"provider": "mike"' not in config
    assert '"provider":"mike"' not in config.replace(" ", "")


NAME_HINT = ("  hint: name editions like 1.1, 2024-05 or dev: letters, digits, dots, hyphens, "
             "underscores or +, starting with a letter or digit\n")
ROOT_FILE = ("it would replace a file at the root of the published site (the redirect, "
             "versions.json, 404 page, sitemap)")


@pytest.mark.parametrize(("name", "shown", "rule"), [
    ("index.html", "index.html", ROOT_FILE),
    ("versions.json", "versions.json", ROOT_FILE),
    ("404.html", "404.html", ROOT_FILE),
    ("sitemap.xml", "sitemap.xml", ROOT_FILE),
    ("CNAME", "CNAME", ROOT_FILE),
    (".nojekyll", ".nojekyll", "it starts with '.' (hidden files at the site root belong to "
                               "GitHub Pages)"),
    ("a/b", "a/b", "it contains a slash: an edition is one folder at the site root"),
    ("..", "..", "it contains '..'"),
    ("1..2", "1..2", "it contains '..'"),
    ("-x", "-x", "it starts with '-' and would read as an option"),
    ("1 0", "1 0", "it contains whitespace"),
    ("1.0\x1b[2J", "1.0\\x1b[2J", "it contains control characters"),
    ("1.0\n", "1.0\\n", "it contains control characters"),
    ("dév", "dév", "it uses characters other than letters, digits, '.', '-', '_' and '+'"),
    ("_x", "_x", "it uses characters other than letters, digits, '.', '-', '_' and '+'"),
    ("9" * 65, "9" * 65, "it is longer than 64 characters"),
])
@pytest.mark.parametrize("kind", ["version", "alias"])
def test_each_naming_rule_is_a_usage_error_with_the_exact_message(
        project, capsys, kind, name, shown, rule):
    root, env = project
    args = ["--", name] if kind == "version" else ["1.0", f"--alias={name}"]
    code, out, err = deploy(root, *args, capsys=capsys)
    assert code == 2
    assert out == ""
    assert err == f"explainer: error: '{shown}' is not a usable {kind} name: {rule}\n{NAME_HINT}"
    assert no_pages_branch(root, env)


def test_the_mike_adapter_refuses_the_names_itself(tmp_path):
    """A caller that skips deploy's own check still cannot hand mike a root file's name."""
    from generator.adapters import mike
    from generator.errors import UsageError

    with pytest.raises(UsageError, match=re.escape("'versions.json' is not a usable alias")):
        mike.deploy(tmp_path, "1.0", aliases=["versions.json"])
    with pytest.raises(UsageError, match=re.escape("'../x' is not a usable version name: it "
                                                   "contains a slash")):
        mike.set_default(tmp_path, "../x")


def test_deploying_onto_the_checked_out_branch_is_refused(project, capsys):
    root, env = project
    head = git(root, "rev-parse", "HEAD", env=env)
    code, out, err = deploy(root, "1.0", "--branch", "main", capsys=capsys)
    assert code == 2 and out == ""
    assert err == ("explainer: error: --branch main is the branch checked out in the project: "
                   "the built site would be committed over the project\n"
                   "  hint: publish to a branch of its own (the default is gh-pages)\n")
    assert git(root, "rev-parse", "HEAD", env=env) == head
    assert no_pages_branch(root, env)
