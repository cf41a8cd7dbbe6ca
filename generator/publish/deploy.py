"""``explainer deploy``: check, build and publish one edition on the gh-pages branch.

Order of work, so that a refused or failed deploy changes nothing:

1. validate the version and aliases; find the git repository; refuse a dirty working tree (the
   edition is stamped with HEAD's commit, so it must be what was built);
2. fetch ``remote/branch`` and fast-forward the local branch (a deploy from a stale branch would
   be rejected by the remote);
3. build the site (strict, as ``explainer build`` does) into a temporary folder; its check (run
   once, in the build) refuses content with errors before anything is generated; the build learns
   its version, aliases and the gh-pages commit to compare with from EXPLAINER_* variables
   (``adapters.edition``) and mike's MIKE_DOCS_VERSION (mike's plugin makes the canonical
   address); SOURCE_DATE_EPOCH is HEAD's commit time, so rebuilding an unchanged commit gives
   identical files and nothing is committed;
4. plan what the edition stores against the edition it follows (``publish.record``: stubs for
   unchanged pages, shared theme files, ``latest`` as stubs), and write it, its aliases, their
   manifests, ``versions.json`` (mike's format), the root redirect and "Not found" page as one
   commit (``adapters.git_commit``);
5. push once, if asked.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote

from generator.adapters import edition as editions
from generator.adapters import engine, git, git_commit, mike
from generator.errors import (
    BuildError,
    ContentError,
    DeployError,
    Diagnostic,
    UsageError,
    printable,
)
from generator.load.paths import SITE_DIR_VAR
from generator.publish import record
from generator.publish.build import build_site, refuse_config_dirs
from generator.publish.notfound import NOT_FOUND, root_not_found
from generator.render.factdiff import diff_facts

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
MAX_LISTED = 20
# mkdocs.yml turns Material's edition selector on only when this is "mike" (edition builds).
VERSION_PROVIDER_VAR = "EXPLAINER_VERSION_PROVIDER"
# mike's plugin (mkdocs.yml) reads the edition from this to make canonical addresses.
MIKE_VERSION_VAR = editions.MIKE_VERSION_VAR
SEARCH_INDEX = "pagefind"  # generator/adapters/search_index.py BUNDLE_DIR
SEARCH_PAGE = "search/index.html"


@dataclass
class DeployResult:
    version: str
    aliases: list[str]
    branch: str
    remote: str
    commit: str | None
    changed: bool
    pushed: bool
    previous_version: str | None = None
    counts: dict[str, int] | None = None  # changed/added/removed facts vs the previous edition
    default: str | None = None  # what the site root redirects to, when this deploy set it
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        name = f"edition {self.version}"
        if self.aliases:
            name += f" (alias{'es' if len(self.aliases) > 1 else ''}: {', '.join(self.aliases)})"
        if not self.changed:
            lines = [f"{name} is unchanged: {self.branch} already holds this exact build, so "
                     "nothing was committed"]
        else:
            short = (self.commit or "")[:10]
            lines = [f"deployed {name} to {self.branch} at {short}"]
        if self.previous_version is None:
            lines.append("  first edition: nothing to compare with")
        elif self.counts is None:
            lines.append(f"  compared with edition {self.previous_version}")
        else:
            c = self.counts
            lines.append(f"  since edition {self.previous_version}: {c['changed']} changed, "
                         f"{c['added']} added, {c['removed']} removed facts")
        if self.default:
            lines.append(f"  site root redirects to {self.default}/")
        lines += [f"  {note}" for note in self.notes]
        if self.pushed:
            lines.append(f"  pushed {self.branch} to {self.remote}")
        elif not self.notes or "push" not in " ".join(self.notes):
            lines.append(f"  not pushed (pass --push to publish to {self.remote})")
        return "\n".join(lines)


def deploy_edition(*, root: Path, version: str, aliases: Sequence[str] = (),
                   title: str | None = None, push: bool = False, remote: str = "origin",
                   branch: str = "gh-pages", allow_dirty: bool = False) -> DeployResult:
    root = root.resolve()
    aliases = list(dict.fromkeys(aliases))
    _validate_names(version, aliases, branch)
    config = _config_file(root)
    refuse_config_dirs(config)
    if git.toplevel(root) is None:
        raise DeployError(f"{root} is not inside a git repository",
                          hint="editions are published to a git branch: `git init`, commit the "
                          "project, add a remote, then deploy")
    _refuse_checked_out_branch(root, branch)
    head = git.rev(root, "HEAD")
    if head is None:
        raise DeployError("the repository has no commit yet", hint="commit the project first")
    if not allow_dirty:
        _refuse_dirty(root)

    has_remote = git.has_remote(root, remote)
    if push and not has_remote:
        raise DeployError(f"no git remote named '{remote}'",
                          hint="add one with `git remote add` or pass --remote NAME")
    sync = git.sync_branch(root, remote, branch) if has_remote else "none"

    before = git.rev(root, f"refs/heads/{branch}")
    previous = _previous(root, version, before)
    env = {editions.EDITION_VAR: version, editions.PAGES_REF_VAR: before or "",
           VERSION_PROVIDER_VAR: "mike", MIKE_VERSION_VAR: version,
           editions.ALIASES_VAR: ",".join(aliases)}
    if "SOURCE_DATE_EPOCH" not in os.environ:
        stamp = git.commit_time(root, "HEAD")
        if stamp is not None:
            env["SOURCE_DATE_EPOCH"] = str(stamp)
    with _site_dir() as out:
        env[SITE_DIR_VAR] = str(out)
        with _environment(env):
            try:
                # The check runs once, in the build: content with errors stops it before
                # anything is generated, and nothing is published.
                build_site(root=root, site_dir=out, refuse=_check_failed, page_cache=True)
            except BuildError as err:
                raise DeployError(f"the edition did not build, so nothing was published: {err}",
                                  hint="fix the problems above and deploy again") from err
        published = _publish(root, out, version=version, aliases=aliases, title=title,
                             branch=branch, before=before, previous=previous, head=head)
    default = published.default
    after = git.rev(root, f"refs/heads/{branch}")

    result = DeployResult(version=version, aliases=aliases, branch=branch, remote=remote,
                          commit=after, changed=after != before, pushed=False,
                          previous_version=previous, default=default,
                          notes=list(published.notes))
    result.counts = _counts(root, after, version, before, previous)
    if push:
        if result.changed or sync in ("ahead", "none"):
            git.push_branch(root, remote, branch)
            result.pushed = True
        else:
            result.notes.append(f"nothing to push: {remote}/{branch} is up to date")
    return result


@dataclass
class _Published:
    default: str | None
    notes: list[str]


def _publish(root: Path, site: Path, *, version: str, aliases: list[str], title: str | None,
             branch: str, before: str | None, previous: str | None, head: str) -> _Published:
    """Plan the edition against the one it follows and commit it, its aliases, their
    manifests, versions.json and the root redirect, as one commit on ``branch``."""
    def read(path: str) -> bytes | None:
        return git.show(root, before, path) if before else None

    prior_raw = read(record.manifest_path(previous)) if previous else None
    prior = record.Manifest.load(read, previous) if previous else None
    plan = record.plan_edition(site, version, prior)
    published = read(editions.VERSIONS_FILE)
    named = mike.alias_folders(published)
    plans = [plan] + [record.plan_alias(alias, plan,
                                        alias_before(root, before, alias, named.get(alias)))
                      for alias in aliases]
    files: dict[str, Path | bytes] = {}
    assert plan.manifest is not None
    # Manifests are written as what changed since the one they follow (adapters/manifest.py).
    base = ((previous, prior_raw, prior) if previous and previous != version
            and prior is not None and prior_raw is not None else None)
    edition_raw = plan.manifest.to_json(base)
    for each in plans:
        files.update({f"{each.folder}/{path}": content for path, content in each.files.items()})
        assert each.manifest is not None
        files[record.manifest_path(each.folder)] = (
            edition_raw if each is plan
            else each.manifest.to_json((version, edition_raw, plan.manifest), pages_only=True))
    versions = mike.versions_with(published, version, title=title, aliases=aliases)
    files[editions.VERSIONS_FILE] = versions
    files[".nojekyll"] = b""
    files[record.STUB_SCRIPT] = record.GO_JS
    default = _default(version, aliases, has_root=read("index.html") is not None)
    notes = []
    assert plan.manifest is not None
    moved = {path: home for path, (_, home) in plan.manifest.files.items()
             if home != version and path.startswith(record.SHARED)}
    try:
        # Editions are folders: the edition's own error page is reached by no missing address,
        # and GitHub Pages serves the one at the root for all of them.
        not_found = root_not_found(site, version, moved)
    except DeployError as err:
        not_found = None
        notes.append(f"no root 404 page: {err}")
    if not_found is not None:
        files[f"{version}/{NOT_FOUND}"] = not_found
    if default:
        files["index.html"] = record.stub(quote(default) + "/", "")
        if not_found is not None:
            files[NOT_FOUND] = not_found
    remove = [version, *aliases]
    if before:
        current = mike.alias_folders(versions).get("latest")
        # Only once there is a latest edition whose search the older ones can send readers to.
        pruned = _older_search(root, before, keep={version, current}) if current else []
        remove += [f"{name}/{SEARCH_INDEX}" for name in pruned]
        files.update({f"{name}/{SEARCH_PAGE}": record.stub("../../latest/search/", "../../")
                      for name in pruned})
    notes.append(f"stored {plan.whole} pages whole and {plan.stubs} unchanged ones as redirects; "
                 f"{plan.left_out} unchanged files left to the editions that have them")
    names = ", ".join([version, *aliases])
    git_commit.commit_files(root, branch, before, remove=remove, files=files,
                            message=f"Deployed {head[:10]} to {names} with "
                                    f"{engine.label()} and explainer deploy")
    return _Published(default=default, notes=notes)


def alias_before(root: Path, ref: str | None, alias: str,
                 target: str | None) -> record.Manifest | None:
    """What ``alias`` published before this deploy: its manifest, or for an alias a whole-copy
    deploy made (mike, before the record), its pages, at home in ``target``, the edition it
    named in ``versions.json``."""
    if not ref:
        return None
    found = record.Manifest.load(partial(git.show, root, ref), alias)
    if found is not None:
        return found
    if target is None:
        return None
    pages = [p[len(alias) + 1:] for p in git.names(root, ref, f"{alias}/", recursive=True)
             if p.endswith(".html")]
    return record.Manifest(version=target, files={p: ("", target) for p in pages})


def _older_search(root: Path, ref: str, *, keep: set[str]) -> list[str]:
    """Releases other than ``keep`` that still publish a search index of their own.

    A search index is a few kilobytes per explainer in every edition, and it is a tool, not
    part of the record: once an edition is neither new nor ``latest`` its index goes, and its
    search page sends readers to the latest edition's search. Development editions (``dev``)
    are redeployed in place and keep theirs."""
    found = []
    for name in git.names(root, ref, folders=True):
        if name in keep or not editions.is_release(name) or mike.name_problem(name):
            continue
        if git.names(root, ref, f"{name}/{SEARCH_INDEX}"):
            found.append(name)
    return found


def _default(version: str, aliases: list[str], *, has_root: bool) -> str | None:
    """The site root redirects to ``latest`` when this deploy moves it; otherwise only when the
    site has no root page yet (its first edition), to this edition."""
    if "latest" in aliases:
        return "latest"
    return None if has_root else version


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """``os.environ`` with ``values`` while the edition builds (the build runs in a child
    process that inherits it: generator/forks.py)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _validate_names(version: str, aliases: list[str], branch: str) -> None:
    # The rules live with the mike adapter, which checks them again before running mike.
    mike.check_names([("version", version)] + [("alias", a) for a in aliases])
    if version in aliases:
        raise UsageError(f"'{version}' is given both as the version and as an alias")
    if version in ("latest", "stable"):
        raise UsageError(f"'{version}' reads as an alias, not an edition",
                         hint=f"deploy a numbered edition with --alias {version}")
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$", branch):
        raise UsageError(f"'{printable(branch)}' is not a usable branch name")


def _refuse_checked_out_branch(root: Path, branch: str) -> None:
    """mike commits the built site onto ``--branch``: never the branch the project is on."""
    proc = git.run(root, "symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    current = proc.stdout.decode("utf-8", "replace").strip()
    if proc.returncode == 0 and current == branch:
        raise UsageError(f"--branch {printable(branch)} is the branch checked out in the "
                         "project: the built site would be committed over the project",
                         hint="publish to a branch of its own (the default is gh-pages)")


def _config_file(root: Path) -> Path:
    for name in CONFIG_NAMES:
        path = root / name
        if path.is_file():
            # mike runs a plain `mkdocs build`; only the config file can make it strict.
            if not re.search(r"(?m)^strict:\s*true\s*(#.*)?$", path.read_text("utf-8")):
                raise DeployError(f"{path.name} does not set `strict: true`",
                                  hint="mike builds without --strict; add `strict: true` to "
                                  f"{path.name} so a broken link cannot be published")
            return path
    raise DeployError(f"no mkdocs.yml in {root}", hint="run from the project folder or pass --root")


def _refuse_dirty(root: Path) -> None:
    changes = git.uncommitted(root)
    if not changes:
        return
    listed = [f"  {c.describe()}" for c in changes[:MAX_LISTED]]
    if len(changes) > MAX_LISTED:
        listed.append(f"  ... and {len(changes) - MAX_LISTED} more")
    raise DeployError(
        "refusing to deploy: uncommitted changes to content or code:\n" + "\n".join(listed),
        hint="commit them first (the edition is stamped with HEAD's commit, so it must be what "
        "was built), or pass --allow-dirty to deploy the files as they are")


def _check_failed(errors: list[Diagnostic], warnings: int) -> ContentError:
    """What the build raises for content with errors, in a deploy's words."""
    summary = (f"check failed: {len(errors)} error{'s' * (len(errors) != 1)}, {warnings} "
               f"warning{'s' * (warnings != 1)}")
    lines = [d.format() for d in errors][:MAX_LISTED]
    return ContentError("refusing to deploy: " + summary + "\n"
                        + "\n".join("  " + line for line in lines), errors)


def _previous(root: Path, version: str, ref: str | None) -> str | None:
    if not ref:
        return None
    return editions.previous_version(editions.read_versions(root, ref), version)


@contextlib.contextmanager
def _site_dir() -> Iterator[Path]:
    """A temporary folder for mike's build, so a failed deploy leaves the project's site/ as it
    was. mkdocs.yml reads it as ``site_dir: !ENV [EXPLAINER_SITE_DIR, site]``. It lies outside
    the project (the system's temporary folder) and that is allowed: the deploy made it, new and
    empty, and names it through the variable, not through mkdocs.yml, whose own site_dir must
    lie inside the project (refuse_config_dirs; generator/load/paths.py: SITE_DIR_VAR)."""
    out = Path(tempfile.mkdtemp(prefix="explainer-deploy-site-"))
    try:
        yield out
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _counts(root: Path, ref: str | None, version: str, before: str | None,
            previous: str | None) -> dict[str, int] | None:
    if not ref or not before or previous is None:
        return None
    old = editions.read_facts(root, before, previous)
    new = editions.read_facts(root, ref, version)
    if old is None or new is None:
        return None
    diff = diff_facts(old, new)
    return {"changed": len(diff.changed), "added": len(diff.added), "removed": len(diff.removed)}
