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

import functools
import json
import os
import posixpath
import re
from functools import partial
from pathlib import Path
from typing import Any

from generator.adapters import git, gitbatch
from generator.adapters.manifest import Manifest
from generator.render import datafiles
from generator.render.output import VERSION_RE, Edition

EDITION_VAR = "EXPLAINER_EDITION"
PAGES_REF_VAR = "EXPLAINER_PAGES_REF"
MIKE_VERSION_VAR = "MIKE_DOCS_VERSION"
# The aliases a deploy gives the edition, comma separated (``explainer deploy`` sets it).
ALIASES_VAR = "EXPLAINER_ALIASES"
# The alias whose pages readers, search engines and feeds are sent to.
CANONICAL_ALIAS = "latest"
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


def deployed_aliases() -> list[str]:
    return [a.strip() for a in os.environ.get(ALIASES_VAR, "").split(",") if a.strip()]


def edition_site_url(site_url: str, mike_suffix: str | None, *, own: bool = False) -> str:
    """The site address of an edition build: where its own pages are published.

    mike (listed before the explainer plugin) has already made ``site_url`` into
    ``<site_url><mike_suffix>`` (its ``canonical_version``, else the version). An edition
    deployed with the alias ``latest`` names ``<site_url>latest/`` canonical; any other (``dev``,
    a preview, an old release redeployed) names itself, ``<site_url><version>/``: never a
    ``latest/`` page that may not exist yet. Outside a mike build the address is left alone.

    ``own``: the edition's own folder whatever its aliases, for files rather than pages (social
    cards): ``latest/`` holds redirect stubs for pages only (generator/publish/record.py).
    """
    version = os.environ.get(MIKE_VERSION_VAR) or ""
    if not site_url or not mike_suffix or not VERSION_RE.match(version):
        return site_url
    base = site_url.rstrip("/")
    if not base.endswith("/" + mike_suffix.strip("/")):
        return site_url  # not the address mike made: leave it as configured
    base = base[: len(base) - len(mike_suffix.strip("/"))]
    target = CANONICAL_ALIAS if not own and CANONICAL_ALIAS in deployed_aliases() else version
    return f"{base}{target}/"


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

    def part(path: str) -> Any:
        # A part the edition left to the one that published it: ../../<edition>/data/...
        where = posixpath.normpath(f"{version}/{folder}/{path}")
        edition, _, rest = where.partition("/")
        return _published_json(root, ref, edition, rest) if VERSION_RE.match(edition) else None

    data = datafiles.join(_published_json(root, ref, version, FACTS_PATH), part)
    return data if isinstance(data, dict) and isinstance(data.get("facts"), list) else None


def read_published(root: Path, ref: str, version: str, path: str) -> bytes | None:
    """The bytes of ``path`` (site-relative, e.g. ``data/explainers/<slug>.json``) as edition
    ``version`` published it on gh-pages at ``ref``; None when it has no such file. Every read of
    a previous edition's own file goes through here, so one place knows where an edition keeps
    a file (its own folder, or an earlier edition's when the page was not changed)."""
    found = _read(root, ref, f"{version}/{path}")
    if found is not None:
        return found
    # Left out of the edition because an earlier one has it (generator/publish/record.py).
    record = _manifest(root, ref, version)
    home = record.home(path) if record else None
    return _read(root, ref, f"{home}/{path}") if home and home != version else None


def _published_json(root: Path, ref: str, version: str, path: str) -> Any:
    return _json(read_published(root, ref, version, path))


def _read(root: Path, ref: str, path: str) -> bytes | None:
    found = gitbatch.read(root, ref, path)  # many reads: one process
    return git.show(root, ref, path) if found is gitbatch.FAILED else found


@functools.lru_cache(maxsize=8)
def _manifest(root: Path, ref: str, version: str) -> Manifest | None:
    return Manifest.load(functools.partial(_read, root, ref), version)


def _read_json(root: Path, ref: str, path: str) -> Any:
    return _json(git.show(root, ref, path))


def _json(raw: bytes | None) -> Any:
    """Parsed JSON, or None for no file or one that is not JSON."""
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
                   previous_facts=read_facts(root, ref, previous), previous_ref=ref,
                   read_previous=partial(_read_previous, root, ref, previous))


def _read_previous(root: Path, ref: str, version: str, path: str) -> bytes | None:
    try:  # a build never fails on what an older edition published (see the module's docstring)
        return read_published(root, ref, version, path)
    except git.GitError:
        return None


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
