"""The files a pull request changed, with git: every file that differs between the merge base
of a base ref and the working tree (committed, staged, unstaged and untracked), for
``explainer check --changed-since REF`` (generator/check/changed.py judges which are code).

A shallow clone works when it holds the merge base (CI fetches the whole history of the base
branch); otherwise git cannot find one and the message says to fetch more."""

from __future__ import annotations

import os
from pathlib import Path

from generator.adapters import git
from generator.errors import UsageError, printable

FETCH_HINT = ("fetch the base branch first (`git fetch origin main`; in GitHub Actions, "
              "actions/checkout with `fetch-depth: 0`) and name it as git does, e.g. "
              "origin/main")


def changed_files(root: Path, base_ref: str) -> dict[str, str]:
    """Each changed file as shown (relative to ``root``, forward slashes) mapped to the path the
    code rules judge (relative to the project when it lies there, else to the repository)."""
    if not base_ref or base_ref.startswith("-") or any(c.isspace() for c in base_ref):
        raise UsageError(f"--changed-since '{printable(base_ref)}' is not a git ref",
                         hint=FETCH_HINT)
    top = git.toplevel(root)
    if top is None:
        raise UsageError(f"--changed-since needs a git repository, and {root.resolve()} is not "
                         "in one", hint="run it in a clone of the project")
    if git.rev(root, base_ref) is None:
        raise UsageError(f"--changed-since {printable(base_ref)}: no such commit or branch in "
                         "this repository", hint=FETCH_HINT)
    found = git.run(root, "merge-base", base_ref, "HEAD", check=False)
    if found.returncode != 0:
        raise UsageError(f"--changed-since {printable(base_ref)}: this clone holds no commit "
                         "that both it and HEAD come from",
                         hint="fetch more history (`git fetch --unshallow`, or actions/checkout "
                              "with `fetch-depth: 0`)")
    base = found.stdout.decode("ascii").strip()
    listed = git.run(top, "diff", "--name-only", "--no-renames", "-z", base, "--").stdout
    untracked = git.run(top, "ls-files", "--others", "--exclude-standard", "-z").stdout
    names = {n for n in (listed + untracked).decode("utf-8", "surrogateescape").split("\0") if n}
    project = root.resolve()
    changed: dict[str, str] = {}
    for name in names:
        full = top / name
        try:
            inside = full.relative_to(project).as_posix()
        except ValueError:
            changed[Path(os.path.relpath(full, project)).as_posix()] = name
            continue
        changed[inside] = inside
    return changed
