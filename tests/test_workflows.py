"""The GitHub workflows: valid against GitHub's workflow schema, and the deploy job's own commands
(read from .github/workflows/pages.yml, not copied) run against a local bare remote."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.deploykit import REPO, VENV_BIN, commit_all, copy_project, git, git_env, init_repo

WORKFLOWS = REPO / ".github" / "workflows"
PAGES = WORKFLOWS / "pages.yml"
CHECK = WORKFLOWS / "check.yml"
# What only exists on GitHub, for the expressions the deploy job uses.
GITHUB_CONTEXT = {"github.repository_owner": "example", "github.event.repository.name": "site",
                  "github.token": "token-from-github"}
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w.-]+)*@[0-9a-f]{40}$")
IMAGE = re.compile(r"^python:3\.11-bookworm@sha256:[0-9a-f]{64}$")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text("utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def check_jsonschema(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(VENV_BIN / "check-jsonschema"), "--builtin-schema",
                           "vendor.github-workflows", *map(str, files)],
                          capture_output=True, text=True, check=False)


def test_workflows_validate_against_the_github_workflow_schema():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} >= {"check.yml", "pages.yml"}
    result = check_jsonschema(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    text = PAGES.read_text("utf-8").replace("contents: write", "contents: writ")
    broken.write_text(text.replace("runs-on:", "run-on:"), "utf-8")
    result = check_jsonschema(broken)
    assert result.returncode != 0


def _steps(flow: dict) -> list[dict]:
    return [step for job in flow["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize("path", [CHECK, PAGES], ids=lambda p: p.name)
def test_actions_are_pinned_by_commit_and_keep_no_credentials(path):
    flow = load(path)
    uses = [s["uses"] for s in _steps(flow) if "uses" in s]
    assert uses and all(PINNED.match(u) for u in uses), uses
    # Each pin says which release it is, so an update is reviewable.
    text = path.read_text("utf-8")
    for u in uses:
        assert re.search(re.escape(u) + r" # v\d+\.\d+\.\d+$", text, re.M), u
    for step in _steps(flow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_pull_requests_run_untrusted_content_read_only():
    flow = load(CHECK)
    assert set(flow["on"]) == {"pull_request"}  # never pull_request_target
    assert flow["permissions"] == {}  # nothing at the workflow level; the job asks for reads
    assert flow["jobs"]["check"]["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("path", [CHECK, PAGES], ids=lambda p: p.name)
def test_container_images_are_pinned_by_digest(path):
    for job in load(path)["jobs"].values():
        assert IMAGE.match(job["container"]), job["container"]


def test_zizmor_finds_nothing_in_the_workflows(tmp_path):
    """The same command as `make lint`; and it does see a regression (the cache written by
    every run, as pages.yml once had it)."""
    command = [str(VENV_BIN / "zizmor"), "--offline", "--pedantic"]
    clean = subprocess.run([*command, str(WORKFLOWS)], capture_output=True, text=True,
                           check=False)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "No findings" in clean.stdout + clean.stderr

    poisoned = tmp_path / ".github" / "workflows" / "pages.yml"
    poisoned.parent.mkdir(parents=True)
    text = PAGES.read_text("utf-8")
    assert "actions/cache/restore@" in text
    poisoned.write_text(text.replace("actions/cache/restore@", "actions/cache@"), "utf-8")
    found = subprocess.run([*command, str(poisoned.parent)], capture_output=True, text=True,
                           check=False)
    assert found.returncode != 0
    assert "cache-poisoning" in found.stdout + found.stderr


def test_only_the_push_step_sees_the_token():
    steps = load(PAGES)["jobs"]["deploy"]["steps"]
    holders = [s["name"] for s in steps if "github.token" in str(s) or "secrets." in str(s)]
    assert holders == ["Push gh-pages"]
    assert "--push" not in next(s for s in steps if s.get("name") == "Deploy edition")["run"]


def test_pull_requests_check_with_annotations_and_run_the_tests():
    flow = load(CHECK)
    assert "pull_request" in flow["on"]
    runs = [s.get("run", "") for s in flow["jobs"]["check"]["steps"]]
    assert ".venv/bin/explainer check --strict" in runs
    assert any("--changed-since" in r and "--format github" in r for r in runs)
    assert "make test" in runs
    assert any(r.startswith("make .venv/.test") for r in runs)


def test_deploy_workflow_has_what_mike_needs_on_github():
    flow = load(PAGES)
    assert flow["on"]["push"]["branches"] == ["main"]
    assert flow["on"]["push"]["tags"] == ["v[0-9]*"]
    assert flow["permissions"] == {}
    assert flow["jobs"]["deploy"]["permissions"] == {"contents": "write"}
    assert flow["concurrency"]["group"] and flow["concurrency"]["cancel-in-progress"] is False
    steps = flow["jobs"]["deploy"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    # The drawn pictures' cache keeps the folder the build uses: restored before the deploy
    # builds, saved after it on main only (a tag's run or any other ref never writes it).
    folder = flow["jobs"]["deploy"]["env"]["EXPLAINER_CACHE_DIR"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert "actions/cache" not in uses  # the action that restores and saves in every run
    restore = steps[uses.index("actions/cache/restore")]
    save = steps[uses.index("actions/cache/save")]
    deploy = next(i for i, s in enumerate(steps) if s.get("name") == "Deploy edition")
    assert restore["with"]["path"] == save["with"]["path"] == folder
    assert restore["with"]["key"] == save["with"]["key"]
    assert steps.index(restore) < deploy < steps.index(save)
    assert save["if"] == "github.ref == 'refs/heads/main'"
    assert "if" not in restore
    identity = next(s for s in steps if s.get("name") == "Git identity")["run"]
    assert "user.name" in identity and "user.email" in identity
    assert "git config --global core.hooksPath /dev/null" in identity
    push = next(s for s in steps if s.get("name") == "Push gh-pages")["run"]
    assert "-c core.hooksPath=/dev/null push --no-verify " in push


# -- run the deploy job's own commands -----------------------------------------------------


def published_project(tmp_path: Path, env: dict[str, str], *,
                      tag: str | None = None) -> Path:
    """A copy of this project committed on main (and tagged ``tag``) and pushed to a bare
    remote, as GitHub holds it: the remote."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote), env=env)
    project = copy_project(tmp_path / "project")
    init_repo(project, env)
    commit_all(project, "site", env)
    if tag:
        git(project, "tag", tag, env=env)
    git(project, "remote", "add", "origin", str(remote), env=env)
    git(project, "push", "--quiet", "origin", "main", *([tag] if tag else []), env=env)
    return remote


def expand(value: str) -> str:
    def sub(match: re.Match) -> str:
        key = match.group(1).strip()
        assert key in GITHUB_CONTEXT, f"the test does not know the expression {key!r}"
        return GITHUB_CONTEXT[key]

    return re.sub(r"\$\{\{(.*?)\}\}", sub, str(value))


def run_deploy_job(workspace: Path, env: dict[str, str], ref_type: str, ref_name: str) -> list:
    """Run every step of the deploy job as GitHub would, in ``workspace`` (a full clone).

    Substituted: ``actions/checkout`` (the caller cloned), the Install step (the workspace's
    .venv is this test run's environment), GitHub's variables and ``${{ }}`` expressions.
    """
    flow = load(PAGES)
    job = flow["jobs"]["deploy"]
    shell = flow["defaults"]["run"]["shell"]
    assert shell == "bash"
    job_env = dict(env)
    job_env.update({k: expand(v) for k, v in job.get("env", {}).items()})
    # The pictures' cache is the runner's folder on GitHub; here, the caller's (never /var).
    assert "EXPLAINER_CACHE_DIR" in job_env
    job_env["EXPLAINER_CACHE_DIR"] = env.get("EXPLAINER_CACHE_DIR", str(workspace.parent / "cache"))
    job_env.update({"GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_WORKSPACE": str(workspace),
                    "GITHUB_REF_TYPE": ref_type, "GITHUB_REF_NAME": ref_name,
                    "GITHUB_REF": f"refs/{'tags' if ref_type == 'tag' else 'heads'}/{ref_name}",
                    "GITHUB_REPOSITORY": "example/site"})
    results = []
    for step in job["steps"]:
        if "if" in step:  # the one condition the job has: this ref is main
            assert step["if"] == "github.ref == 'refs/heads/main'", step["if"]
            if job_env["GITHUB_REF"] != "refs/heads/main":
                results.append((step.get("name"), None))  # skipped
                continue
        if "uses" in step:  # GitHub's own services: the caller cloned; no cache here
            assert step["uses"].startswith(("actions/checkout@", "actions/cache/restore@",
                                            "actions/cache/save@")), step["uses"]
            results.append((step.get("name"), "uses"))
            continue
        if step.get("name") == "Install":
            assert step["run"].startswith("make .venv/.runtime")
            (workspace / ".venv").symlink_to(VENV_BIN.parent)
            with open(workspace / ".git" / "info" / "exclude", "a", encoding="utf-8") as f:
                f.write(".venv\n")
            continue
        step_env = dict(job_env)
        step_env.update({k: expand(v) for k, v in step.get("env", {}).items()})
        # GitHub runs `shell: bash` steps as `bash --noprofile --norc -eo pipefail {0}`.
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               step["run"]], cwd=workspace, env=step_env, capture_output=True,
                              text=True, check=False)
        assert proc.returncode == 0, f"step {step.get('name')!r} failed:\n{proc.stderr}"
        results.append((step.get("name"), proc))
    return results


@pytest.mark.slow
@pytest.mark.xdist_group("deploy_workflow")
def test_deploy_job_commands_publish_dev_and_a_tagged_edition(tmp_path):
    env = git_env(tmp_path / "home")
    remote = published_project(tmp_path, env, tag="v1.0")

    # A fresh runner has no git identity: only the workflow's own step may provide one.
    runner_env = {k: v for k, v in env.items() if not k.startswith(("GIT_AUTHOR_",
                                                                     "GIT_COMMITTER_"))}
    runner_env["PATH"] = os.environ.get("PATH", "")  # no venv on PATH either

    # A push to main: the dev edition.
    main = tmp_path / "runner-main"
    git(tmp_path, "clone", "--quiet", str(remote), str(main), env=env)
    # The attack: something run before the push planted hooks in the checkout (a pre-push hook
    # would run beside the token). None of them may run in the job.
    ran = tmp_path / "hook-ran"
    for hook in ("pre-push", "reference-transaction", "post-commit", "pre-commit"):
        planted = main / ".git" / "hooks" / hook
        planted.write_text(f"#!/bin/sh\necho {hook} >> '{ran}'\n", "utf-8")
        planted.chmod(0o755)
    out = run_deploy_job(main, runner_env, "branch", "main")
    assert not ran.exists(), ran.read_text("utf-8")
    assert "deployed edition dev" in dict(out)["Deploy edition"].stdout
    assert [name for name, _ in out][-1] == "Push gh-pages"
    assert dict(out)["Save drawn pictures"] == "uses"  # main writes the pictures' cache
    # The token was handed to that one git command, never written to the checkout's config.
    assert "token-from-github" not in (main / ".git" / "config").read_text("utf-8")

    # A tag: edition 1.0, and latest moves to it.
    tagged = tmp_path / "runner-tag"
    git(tmp_path, "clone", "--quiet", str(remote), str(tagged), env=env)
    git(tagged, "checkout", "--quiet", "v1.0", env=env)
    out = run_deploy_job(tagged, runner_env, "tag", "v1.0")
    deployed = dict(out)["Deploy edition"]
    assert "deployed edition 1.0 (alias: latest)" in deployed.stdout
    assert "not pushed" in deployed.stdout  # the build step has no credentials; the next pushes
    assert dict(out)["Save drawn pictures"] is None  # a tag's run never writes the cache

    versions = json.loads(git(remote, "show", "gh-pages:versions.json", env=env))
    assert [(v["version"], v["title"], v["aliases"]) for v in versions] == [
        ("dev", "dev (unreleased)", []), ("1.0", "1.0", ["latest"])]
    assert 'url=latest/"' in git(remote, "show", "gh-pages:index.html", env=env)
    log = git(remote, "log", "--format=%an <%ae>", "gh-pages", env=env).splitlines()
    assert set(log) == {"github-actions[bot] <41898282+github-actions[bot]@users.noreply."
                        "github.com>"}
    modes = git(remote, "ls-tree", "-r", "gh-pages", env=env)
    assert "120000" not in {line.split()[0] for line in modes.splitlines()}
    home = git(remote, "show", "gh-pages:1.0/index.html", env=env)
    assert 'href="https://example.github.io/site/latest/"' in home  # canonical, from job env


def test_pull_requests_run_lint_and_types():
    runs = [s.get("run", "") for s in load(CHECK)["jobs"]["check"]["steps"]]
    assert "make lint" in runs
    makefile = (REPO / "Makefile").read_text("utf-8")
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/mypy" in lint and "ruff check" in lint
    test = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    for target in (lint, test):
        assert "$(BIN)/zizmor --offline --pedantic .github/workflows" in target


# -- run the check job's annotation step -----------------------------------------------------


@pytest.mark.parametrize("variable", [None, "error"])
def test_the_annotation_step_marks_the_code_a_pull_request_changed(tmp_path, variable):
    """The check job's own step, on a clone holding a pull request's commit and the base branch
    (as actions/checkout leaves it with fetch-depth 0): a changed mkdocs.yml is annotated, a
    warning unless the repository variable makes it an error; changed content is not."""
    env = git_env(tmp_path / "home")
    remote = published_project(tmp_path, env)
    workspace = tmp_path / "runner"
    git(tmp_path, "clone", "--quiet", str(remote), str(workspace), env=env)
    git(workspace, "checkout", "--quiet", "-b", "pr", env=env)
    config = workspace / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("site_name: Explainers",
                                                        "site_name: Explained"), "utf-8")
    facts = workspace / "content" / "facts" / "venezuela-deportations.yaml"
    facts.write_text(facts.read_text("utf-8") + "# checked again\n", "utf-8")
    commit_all(workspace, "a pull request", env)
    (workspace / ".venv").symlink_to(VENV_BIN.parent)
    with open(workspace / ".git" / "info" / "exclude", "a", encoding="utf-8") as f:
        f.write(".venv\n")

    steps = load(CHECK)["jobs"]["check"]["steps"]
    step = next(s for s in steps if "--changed-since" in s.get("run", ""))
    context = {"github.base_ref": "main",
               "vars.EXPLAINER_CODE_CHANGES || 'warning'": variable or "warning"}
    step_env = dict(env, GITHUB_WORKSPACE=str(workspace), GITHUB_ACTIONS="true")
    for key, value in step["env"].items():
        step_env[key] = re.sub(r"\$\{\{ *(.*?) *\}\}", lambda m: context[m.group(1)], value)
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                           step["run"]], cwd=workspace, env=step_env, capture_output=True,
                          text=True, check=False)

    level = variable or "warning"
    assert proc.returncode == (1 if variable == "error" else 0), proc.stdout + proc.stderr
    annotations = [line for line in proc.stdout.splitlines()
                   if line.startswith(("::warning", "::error"))]
    assert annotations == [f"::{level} file=mkdocs.yml,line=1,col=1,title=explainer "
                           "code-change::this file is code: it runs at build and deploy; a "
                           "maintainer must review it"]
