"""Find out which edition a build is for, and load what the previous edition published.

A build learns its edition from the environment, so the same code path serves every way a site
gets built:

- ``explainer deploy`` sets ``EXPLAINER_EDITION`` (the version) and ``EXPLAINER_PAGES_REF`` (the
  gh-pages commit as it was before this deploy) for the mkdocs build that mike runs;
- a bare ``mike deploy`` sets only ``MIKE_DOCS_VERSION``; we then read the gh-pages branch;
- ``explainer build`` / ``serve`` set nothing: the build is an unpublished preview, compared with
  the latest published edition when there is one.

The previous edition's ``data/facts.json`` (and the parts it lists) is read straight from the
git object store (``git cat-file``), never by checking the branch out. No git, no repository, no
gh-pages branch, or an unreadable file all mean the same thing: nothing to compare with. This
never fails a build.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from pathlib import Path
from typing import Any

from generator.adapters import git
from generator.render import datafiles
from generator.render.output import VERSION_RE, Edition

EDITION_VAR = "EXPLAINER_EDITION"
PAGES_REF_VAR = "EXPLAINER_PAGES_REF"
MIKE_VERSION_VAR = "MIKE_DOCS_VERSION"
FACTS_PATH = "data/facts.json"
VERSIONS_FILE = "versions.json"



def is_release(version: str) -> bool:
    """mike's rule: versions starting with a digit (or v + digit) are releases; others (dev,
    main, ...) are development editions that sort above them."""
    return re.match(r"v?\d", version) is not None


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Order like loose versions: 1.10 > 1.9 > 1.1.1 > 1.1 > 1.0."""
    parts = re.findall(r"\d+|[A-Za-z]+", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def previous_version(versions: list[dict[str, Any]], current: str | None) -> str | None:
    """The edition a build of ``current`` is compared with.

    A release is compared with the newest release below it (1.1 with 1.0, a hotfix 1.0.1 with
    1.0), so redeploying 1.1 compares with 1.0 again, never with itself. A development edition
    or a preview is compared with what readers see as current: the edition aliased ``latest``,
    else the newest release, else the newest edition of any kind.
    """
    names = [str(v.get("version")) for v in versions if v.get("version")]
    others = [n for n in names if n != current]
    releases = sorted((n for n in others if is_release(n)), key=version_key, reverse=True)
    if current is not None and is_release(current):
        below = [n for n in releases if version_key(n) < version_key(current)]
        return below[0] if below else None
    for v in versions:
        if "latest" in (v.get("aliases") or []) and str(v.get("version")) != current:
            return str(v["version"])
    if releases:
        return releases[0]
    return others[0] if others else None


def read_versions(root: Path, ref: str) -> list[dict[str, Any]]:
    data = _read_json(root, ref, VERSIONS_FILE)
    return [v for v in data if isinstance(v, dict)] if isinstance(data, list) else []


def read_facts(root: Path, ref: str, version: str) -> dict[str, Any] | None:
    """The edition's facts as one payload: its ``data/facts.json`` index and the parts it
    lists, or the single file of an edition published before the parts."""
    folder = posixpath.dirname(FACTS_PATH)
    data = datafiles.join(_read_json(root, ref, f"{version}/{FACTS_PATH}"),
                          lambda path: _read_json(root, ref, f"{version}/{folder}/{path}"))
    return data if isinstance(data, dict) and isinstance(data.get("facts"), list) else None


def _read_json(root: Path, ref: str, path: str) -> Any:
    raw = git.show(root, ref, path)
    if raw is None:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def _pages_ref(root: Path, branch: str) -> str | None:
    for ref in (f"refs/heads/{branch}", f"refs/remotes/origin/{branch}"):
        sha = git.rev(root, ref)
        if sha:
            return sha
    return None


def edition_for(root: Path, version: str | None, ref: str | None) -> Edition:
    """The edition ``version`` compared against the gh-pages state at ``ref`` (None: none)."""
    if not ref:
        return Edition(version=version)
    versions = read_versions(root, ref)
    previous = previous_version(versions, version)
    if previous is None:
        return Edition(version=version)
    return Edition(version=version, previous_version=previous,
                   previous_facts=read_facts(root, ref, previous))


def current_edition(root: Path, branch: str = "gh-pages") -> Edition:
    version = os.environ.get(EDITION_VAR) or os.environ.get(MIKE_VERSION_VAR) or None
    if version is not None and not VERSION_RE.match(version):
        version = None  # never let an odd value reach a page; deploy validates it up front
    try:
        if git.toplevel(root) is None:
            return Edition(version=version)
        if PAGES_REF_VAR in os.environ:
            ref = os.environ[PAGES_REF_VAR] or None  # set but empty: deploy found no gh-pages
        else:
            ref = _pages_ref(root, branch)
        return edition_for(root, version, ref)
    except git.GitError:
        # git missing or broken: a preview still builds, as a first edition.
        return Edition(version=version)
