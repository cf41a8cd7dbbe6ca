"""Helpers for the editions tests: real git repositories in tmp dirs, with a bare remote.

Git identity and config come from the environment (``git_env``), so the tests work on a fresh CI
machine with no global git config, and never touch the user's own ``~/.gitconfig``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# What a project repository holds; the generator itself is installed (editable) from REPO.
PROJECT_PARTS = ("content", "charts", "docs", "generator", "mkdocs.yml", "pyproject.toml",
                 "constraints.txt", "Makefile", ".gitignore", ".github", "README.md")


def git_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GIT_AUTHOR_NAME": "Test Writer", "GIT_AUTHOR_EMAIL": "writer@example.invalid",
        "GIT_COMMITTER_NAME": "Test Writer", "GIT_COMMITTER_EMAIL": "writer@example.invalid",
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(home), "NO_MKDOCS_2_WARNING": "1", "LC_ALL": "C",
        "PATH": str(VENV_BIN) + os.pathsep + os.environ.get("PATH", ""),
    })
    for var in ("EXPLAINER_EDITION", "EXPLAINER_PAGES_REF", "MIKE_DOCS_VERSION",
                "EXPLAINER_SITE_DIR", "SOURCE_DATE_EPOCH", "EXPLAINER_VERSION_PROVIDER",
                "EXPLAINER_ALIASES"):
        env.pop(var, None)
    home.mkdir(parents=True, exist_ok=True)
    (home / "gitconfig").write_text("[init]\n\tdefaultBranch = main\n")
    return env


def git(cwd: Path, *args: str, env: dict[str, str] | None = None,
        input: bytes | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, input=input, capture_output=True,
                          check=False)
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr.decode()}")
    return proc.stdout.decode().strip()


def use_git_env(monkeypatch: Any, home: Path) -> dict[str, str]:
    """Make in-process calls (deploy_edition, cli.main) see the same git environment."""
    env = git_env(home)
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                "GIT_COMMITTER_EMAIL", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "HOME",
                "NO_MKDOCS_2_WARNING", "PATH"):
        monkeypatch.setenv(key, env[key])
    for var in ("EXPLAINER_EDITION", "EXPLAINER_PAGES_REF", "MIKE_DOCS_VERSION",
                "EXPLAINER_SITE_DIR", "SOURCE_DATE_EPOCH", "EXPLAINER_VERSION_PROVIDER",
                "EXPLAINER_ALIASES"):
        monkeypatch.delenv(var, raising=False)
    return env


def init_repo(path: Path, env: dict[str, str]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "--quiet", "-b", "main", env=env)
    return path


def commit_all(repo: Path, message: str, env: dict[str, str]) -> str:
    git(repo, "add", "--all", env=env)
    git(repo, "commit", "--quiet", "--allow-empty", "-m", message, env=env)
    return git(repo, "rev-parse", "HEAD", env=env)


def commit_branch(repo: Path, branch: str, files: dict[str, bytes | str],
                  env: dict[str, str], message: str = "pages") -> str:
    """Commit ``files`` as the whole tree of ``branch`` with git plumbing (no checkout)."""
    index = repo / ".git" / f"tmp-index-{branch}"
    ienv = dict(env, GIT_INDEX_FILE=str(index))
    git(repo, "read-tree", "--empty", env=ienv)
    for path, data in files.items():
        raw = data.encode() if isinstance(data, str) else data
        blob = git(repo, "hash-object", "-w", "--stdin", env=env, input=raw)
        git(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=ienv)
    tree = git(repo, "write-tree", env=ienv)
    parent = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
                            cwd=repo, env=env, capture_output=True, text=True).stdout.strip()
    args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
    commit = git(repo, *args, env=env)
    git(repo, "update-ref", f"refs/heads/{branch}", commit, env=env)
    index.unlink(missing_ok=True)
    return commit


def pages_files(editions: dict[str, dict[str, Any] | None],
                latest: str | None = None) -> dict[str, bytes | str]:
    """A gh-pages tree as mike lays it out: versions.json and <version>/data/facts.json."""
    versions = [{"version": v, "title": v, "aliases": ["latest"] if v == latest else []}
                for v in editions]
    files: dict[str, bytes | str] = {"versions.json": json.dumps(versions)}
    for version, payload in editions.items():
        if payload is not None:
            files[f"{version}/data/facts.json"] = json.dumps(payload)
        files[f"{version}/index.html"] = "<p>edition</p>"
    return files


def copy_project(dest: Path) -> Path:
    """The project as a repository of its own would hold it (content, docs, config, ...)."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "site", ".cache")
    for part in PROJECT_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=ignore)
        elif src.is_file():
            shutil.copy2(src, dest / part)
    return dest


def explainer_cli(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(VENV_BIN / "explainer"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)
