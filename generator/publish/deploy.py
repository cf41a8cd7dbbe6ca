"""``explainer deploy``: check, build and publish one edition with mike on the gh-pages branch.

Order of work, so that a refused or failed deploy changes nothing:

1. validate the version and aliases; find the git repository; refuse a dirty working tree (mike
   builds the files on disk but stamps HEAD's commit on the result);
2. fetch ``remote/branch`` and fast-forward the local branch (without it mike would start a new
   branch that the remote rejects);
3. ``explainer check``; refuse on errors;
4. mike builds (strict, from mkdocs.yml) into a temporary folder and commits the edition; the build
   learns its version and the gh-pages commit to compare with from EXPLAINER_* variables
   (``adapters.edition``); SOURCE_DATE_EPOCH is HEAD's commit time, so rebuilding an unchanged
   commit gives identical files and mike commits nothing;
5. point the site root at ``latest`` (or at the first edition ever deployed);
6. push once, if asked.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.adapters import edition as editions
from generator.adapters import git, mike
from generator.errors import ContentError, DeployError, UsageError, printable
from generator.load.paths import SITE_DIR_VAR
from generator.publish.build import refuse_config_dirs
from generator.render.factdiff import diff_facts

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
MAX_LISTED = 20
# mkdocs.yml turns Material's edition selector on only when this is "mike" (edition builds).
VERSION_PROVIDER_VAR = "EXPLAINER_VERSION_PROVIDER"


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
                          hint="mike publishes editions to a git branch: `git init`, commit the "
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

    _run_check(root)

    before = git.rev(root, f"refs/heads/{branch}")
    previous = _previous(root, version, before)
    env = {editions.EDITION_VAR: version, editions.PAGES_REF_VAR: before or "",
           VERSION_PROVIDER_VAR: "mike", editions.ALIASES_VAR: ",".join(aliases)}
    if "SOURCE_DATE_EPOCH" not in os.environ:
        stamp = git.commit_time(root, "HEAD")
        if stamp is not None:
            env["SOURCE_DATE_EPOCH"] = str(stamp)
    with _site_dir() as out:
        env[SITE_DIR_VAR] = str(out)
        mike.deploy(root, version, aliases=aliases, title=title, branch=branch, remote=remote,
                    config_file=config, env=env)
    default = _set_default(root, version, aliases, branch, remote)
    after = git.rev(root, f"refs/heads/{branch}")

    result = DeployResult(version=version, aliases=aliases, branch=branch, remote=remote,
                          commit=after, changed=after != before, pushed=False,
                          previous_version=previous, default=default)
    result.counts = _counts(root, after, version, before, previous)
    if push:
        if result.changed or sync in ("ahead", "none"):
            git.push_branch(root, remote, branch)
            result.pushed = True
        else:
            result.notes.append(f"nothing to push: {remote}/{branch} is up to date")
    return result


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
        hint="commit them first (mike stamps HEAD's commit on the edition, so it must be what "
        "was built), or pass --allow-dirty to deploy the files as they are")


def _run_check(root: Path) -> None:
    from generator.check.run import check_project

    _, diagnostics = check_project(root)
    errors = diagnostics.errors
    if errors:
        warnings = len(diagnostics.warnings)
        summary = (f"check failed: {len(errors)} error{'s' * (len(errors) != 1)}, {warnings} "
                   f"warning{'s' * (warnings != 1)}")
        lines = [d.format() for d in errors][:MAX_LISTED]
        raise ContentError("refusing to deploy: " + summary + "\n"
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


def _set_default(root: Path, version: str, aliases: list[str], branch: str,
                 remote: str) -> str | None:
    """Root redirect: to ``latest`` when this deploy moves it; otherwise only when the site has
    no root page yet (its first edition), to this edition."""
    if "latest" in aliases:
        target = "latest"
    elif git.show(root, f"refs/heads/{branch}", "index.html") is None:
        target = version
    else:
        return None
    mike.set_default(root, target, branch=branch, remote=remote)
    return target


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
