"""A thin adapter around the ``mike`` command line (pinned 2.2.0).

mike does the versioned layout on the gh-pages branch: one folder per edition, one per alias,
``versions.json`` and a root redirect. We call its command line rather than its internals, like a
person would, so a newer mike with the same CLI keeps working. Two things mike does not do for us:

- mike runs ``properdocs build`` (or ``mkdocs build``) by name, from PATH. The engine we pinned
  lives next to the Python running this code (the project's .venv), which may not be on PATH
  (``.venv/bin/explainer deploy`` from a shell that never activated the venv), so we put that
  folder first; ``generator.adapters.mike_main`` makes mike use the engine that
  ``EXPLAINER_ENGINE`` names.
- mike never pushes unless asked and we push ourselves (``adapters.git.push_branch``) after all
  commits of one deploy, so a deploy is one push.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildError, UsageError, printable


class MikeError(BuildError):
    """mike (or the mkdocs build it ran) failed."""


@dataclass
class MikeResult:
    stdout: str
    stderr: str


# Every edition and alias is a folder at the root of gh-pages, beside the files mike and GitHub
# Pages keep there: a name must never be one of them, a path, hidden, or read as an option.
ROOT_FILES = frozenset({"index.html", "versions.json", ".nojekyll", "404.html", "sitemap.xml",
                        "sitemap.xml.gz", "robots.txt", "cname", "favicon.ico"})
FILE_SUFFIXES = (".html", ".htm", ".json", ".xml", ".gz", ".txt", ".js", ".css", ".ico",
                 ".png", ".svg")
NAME_CHARS = re.compile(r"^[A-Za-z0-9._+-]+$")
MAX_NAME = 64
NAME_HINT = ("name editions like 1.1, 2024-05 or dev: letters, digits, dots, hyphens, "
             "underscores or +, starting with a letter or digit")


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an edition or alias (a folder at the site root), or None."""
    if not name:
        return "it is empty"
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in name):
        return "it contains control characters"
    if any(c.isspace() for c in name):
        return "it contains whitespace"
    if "/" in name or "\\" in name:
        return "it contains a slash: an edition is one folder at the site root"
    if ".." in name:
        return "it contains '..'"
    if name.startswith("."):
        return "it starts with '.' (hidden files at the site root belong to GitHub Pages)"
    if name.startswith("-"):
        return "it starts with '-' and would read as an option"
    if name.lower() in ROOT_FILES or name.lower().endswith(FILE_SUFFIXES):
        return ("it would replace a file at the root of the published site (the redirect, "
                "versions.json, 404 page, sitemap)")
    if not NAME_CHARS.match(name) or not name[0].isalnum():
        return "it uses characters other than letters, digits, '.', '-', '_' and '+'"
    if len(name) > MAX_NAME:
        return f"it is longer than {MAX_NAME} characters"
    return None


def check_names(names: Sequence[tuple[str, str]]) -> None:
    """A usage error naming the rule for the first unusable (kind, name); checked here too so
    no caller can hand mike a name that replaces a root file or climbs out of the branch."""
    for kind, name in names:
        problem = name_problem(name)
        if problem:
            raise UsageError(f"'{printable(name)}' is not a usable {kind} name: {problem}",
                             hint=NAME_HINT)


def _command() -> list[str]:
    # mike's CLI, entered through our wrapper so it builds with the chosen site engine.
    if importlib.util.find_spec("mike") is None:
        raise MikeError("mike is not installed", hint="run `make site` to install the pinned tools")
    return [sys.executable, "-m", "generator.adapters.mike_main"]


def _env(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    env.update(extra or {})
    return env


def run(root: Path, args: Sequence[str], *, env: Mapping[str, str] | None = None) -> MikeResult:
    proc = subprocess.run([*_command(), *args], cwd=root, capture_output=True, text=True,
                          env=_env(env), check=False)
    if proc.returncode != 0:
        raise MikeError(f"mike {args[0]} failed:\n{_tail(proc.stderr or proc.stdout)}",
                        hint="the lines above come from mike and mkdocs; fix the first error")
    return MikeResult(proc.stdout, proc.stderr)


def _tail(text: str, lines: int = 30) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join("  " + line for line in kept[-lines:])


def deploy(root: Path, version: str, *, aliases: Sequence[str] = (), title: str | None = None,
           branch: str = "gh-pages", remote: str = "origin", message: str | None = None,
           config_file: Path | None = None, env: Mapping[str, str] | None = None) -> MikeResult:
    """Build the site with mkdocs and commit it to ``branch`` as ``version``.

    ``--update-aliases`` moves an alias such as ``latest`` from the edition that had it;
    ``--alias-type copy`` because GitHub Pages deployments from a branch reject symlinks (it is
    also set in mkdocs.yml; passing it here keeps a deploy correct if that key is lost).
    ``--ignore-remote-status``: the caller has already fetched and fast-forwarded the branch.
    """
    check_names([("version", version)] + [("alias", a) for a in aliases])
    args = ["deploy", "--update-aliases", "--alias-type", "copy", "--branch", branch,
            "--remote", remote, "--ignore-remote-status"]
    if title:
        args += ["--title", title]
    if message:
        args += ["--message", message]
    if config_file:
        args += ["--config-file", str(config_file)]
    return run(root, [*args, "--", version, *aliases], env=env)


def set_default(root: Path, identifier: str, *, branch: str = "gh-pages",
                remote: str = "origin") -> MikeResult:
    """Make the site root redirect to ``identifier`` (a version or alias)."""
    check_names([("version", identifier)])
    return run(root, ["set-default", "--branch", branch, "--remote", remote,
                      "--ignore-remote-status", "--", identifier])


def versions_with(raw: bytes | None, version: str, *, title: str | None = None,
                  aliases: Sequence[str] = ()) -> bytes:
    """``versions.json`` (mike's format and order, which the edition selector and ``mike list``
    read) with ``version`` added or updated and ``aliases`` moved onto it, as ``mike deploy
    --update-aliases`` does. An unreadable or missing file starts a new list."""
    from mike.versions import Versions

    check_names([("version", version)] + [("alias", a) for a in aliases])
    try:
        versions = Versions.loads(raw.decode("utf-8")) if raw else Versions()
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        versions = Versions()
    try:
        versions.add(version, title, list(aliases), update_aliases=True)
    except ValueError as err:  # an alias that is already a version's name
        raise UsageError(f"cannot publish edition {version}: {err}",
                         hint="choose alias names that are not edition names") from err
    return (versions.dumps() + "\n").encode("utf-8")


def alias_folders(raw: bytes | None) -> dict[str, str]:
    """alias -> edition, from a ``versions.json``."""
    from mike.versions import Versions

    try:
        versions = Versions.loads(raw.decode("utf-8")) if raw else Versions()
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return {}
    return {alias: str(info.version) for info in versions for alias in info.aliases}
