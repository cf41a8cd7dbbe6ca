"""A thin adapter around the ``git`` command line.

Only what editions need: find the repository, list uncommitted changes, read a file from another
branch without checking it out, fetch and push one branch. Every call is a subprocess with
captured output; failures become :class:`GitError` with git's own message, never a traceback.
Functions that ask a question (``rev``, ``show``) answer ``None`` instead of raising when the
answer is "no such thing", so callers work the same without a repository or a gh-pages branch.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildError


class GitError(BuildError):
    """git failed; the message carries git's stderr."""


@dataclass(frozen=True)
class Change:
    """One line of ``git status``: two status letters and a path relative to the repository."""

    status: str
    path: str

    def describe(self) -> str:
        labels = {"??": "untracked", "M": "modified", "A": "added", "D": "deleted",
                  "R": "renamed", "C": "copied", "U": "conflicted", "T": "type changed"}
        code = self.status.strip() or "M"
        label = labels.get(code) or labels.get(code[0], "changed")
        return f"{self.path} ({label})"


def _env() -> dict[str, str]:
    # Plain, untranslated output that scripts can parse; never stop to ask for credentials.
    env = dict(os.environ)
    env.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0")
    return env


def run(root: Path, *args: str, check: bool = True,
        input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, input=input,
                              env=_env(), check=False)
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH",
                       hint="install git (https://git-scm.com)") from exc
    if check and proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip() or f"exit {proc.returncode}"
        raise GitError(f"git {' '.join(args[:2])} failed: {message}")
    return proc


def _text(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stdout.decode("utf-8", "replace").strip()


def toplevel(root: Path) -> Path | None:
    """The working tree's top folder, or None when ``root`` is not inside a git repository."""
    if not root.is_dir():
        return None
    try:
        proc = run(root, "rev-parse", "--show-toplevel", check=False)
    except GitError:
        return None
    return Path(_text(proc)) if proc.returncode == 0 else None


def rev(root: Path, ref: str) -> str | None:
    """The commit a ref names, or None when it does not exist."""
    proc = run(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    return _text(proc) if proc.returncode == 0 else None


def show(root: Path, ref: str, path: str) -> bytes | None:
    """A file's bytes at ``ref`` (path from the repository top), read from the object store
    without touching the working tree; None when the ref or the file does not exist."""
    proc = run(root, "cat-file", "blob", f"{ref}:{path}", check=False)
    return proc.stdout if proc.returncode == 0 else None


def commit_time(root: Path, ref: str = "HEAD") -> int | None:
    proc = run(root, "log", "-1", "--format=%ct", ref, "--", check=False)
    text = _text(proc)
    return int(text) if proc.returncode == 0 and text.isdigit() else None


def uncommitted(root: Path) -> list[Change]:
    """Modified, staged, deleted and untracked (not ignored) files under ``root``."""
    proc = run(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ".")
    entries = proc.stdout.decode("utf-8", "replace").split("\0")
    changes: list[Change] = []
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:]
        if status[0] in "RC":
            i += 1  # a rename is followed by its old path
        changes.append(Change(status, path))
    return changes


def has_remote(root: Path, remote: str) -> bool:
    return run(root, "remote", "get-url", "--", remote, check=False).returncode == 0


def fetch_branch(root: Path, remote: str, branch: str) -> bool:
    """Update ``remote/branch`` from the remote; False when the remote has no such branch."""
    proc = run(root, "ls-remote", "--exit-code", "--heads", remote, branch, check=False)
    if proc.returncode == 2:
        return False
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"cannot reach git remote '{remote}': {message}",
                       hint="check `git remote -v` and your network or credentials")
    run(root, "fetch", "--quiet", remote,
        f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    return True


def push_branch(root: Path, remote: str, branch: str) -> None:
    proc = run(root, "push", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{branch}",
               check=False)
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"pushing {branch} to {remote} failed: {message}",
                       hint=f"fetch {remote}/{branch}, deploy again, then push")


def tree(root: Path, ref: str) -> list[tuple[str, str, str]]:
    """Every file at ``ref`` as (mode, object id, path); for checks such as "no symlinks"."""
    proc = run(root, "ls-tree", "-r", "-z", "--full-tree", ref)
    rows = []
    for entry in proc.stdout.decode("utf-8", "replace").split("\0"):
        if entry:
            meta, path = entry.split("\t", 1)
            mode, _kind, obj = meta.split()
            rows.append((mode, obj, path))
    return rows


def names(root: Path, ref: str, path: str = "", *, recursive: bool = False,
          folders: bool = False) -> list[str]:
    """Paths (from the repository top) under ``path`` at ``ref``: its files and folders, every
    file below it with ``recursive``, only its folders with ``folders``; [] when none."""
    args = ["ls-tree", "-z", "--full-tree", "--name-only"]
    args += ["-r"] if recursive else []
    args += ["-d"] if folders else []
    proc = run(root, *args, ref, *([path] if path else []), check=False)
    if proc.returncode != 0:
        return []
    return [p for p in proc.stdout.decode("utf-8", "replace").split("\0") if p]


def is_ancestor(root: Path, ancestor: str, descendant: str) -> bool:
    return run(root, "merge-base", "--is-ancestor", ancestor, descendant,
               check=False).returncode == 0


def sync_branch(root: Path, remote: str, branch: str) -> str:
    """Bring the local ``branch`` up to ``remote/branch`` (fetched first) without a checkout.

    Returns "none" (no remote branch), "created", "fast-forwarded", "even" or "ahead" (local
    commits not pushed yet, e.g. an earlier deploy without --push). Diverged histories are an
    error: merging published sites is never what someone meant.
    """
    if not fetch_branch(root, remote, branch):
        return "none"
    theirs = rev(root, f"refs/remotes/{remote}/{branch}")
    ours = rev(root, f"refs/heads/{branch}")
    assert theirs is not None
    if ours is None:
        run(root, "update-ref", f"refs/heads/{branch}", theirs)
        return "created"
    if ours == theirs:
        return "even"
    if is_ancestor(root, ours, theirs):
        run(root, "update-ref", f"refs/heads/{branch}", theirs, ours)
        return "fast-forwarded"
    if is_ancestor(root, theirs, ours):
        return "ahead"
    raise GitError(f"the local {branch} branch and {remote}/{branch} have diverged",
                   hint=f"if the remote is right: `git branch -f {branch} {remote}/{branch}`, "
                   "then deploy again")
