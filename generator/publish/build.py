"""``explainer build``: check, generate, strict MkDocs build into a temporary folder (in a child
process: see generator/forks.py), the search index, then swap it into ``site/`` so a failed build
leaves the previous site intact."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from generator.check.run import check_project
from generator.errors import (
    BuildError,
    ContentError,
    Diagnostic,
    ExplainerError,
    UsageError,
    printable,
)
from generator.forks import in_child
from generator.load.paths import PROTECTED, SITE_DIR_VAR, output_dir_problem
from generator.publish.stopping import StopOnSignals
from generator.render.output import GeneratedFile


@dataclass
class BuildResult:
    site_dir: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)  # check warnings
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    markdown_dir: Path | None = None

    def summary(self) -> str:
        kept = f"; generated files kept in {self.markdown_dir}" if self.markdown_dir else ""
        warnings = len(self.diagnostics)
        return (f"built {self.site_dir}: {self.pages} generated pages, {self.files} generated "
                f"files, {warnings} warning{'' if warnings == 1 else 's'} "
                f"in {self.seconds:.1f}s{kept}")


# What a build raises when the check finds errors: given them, the number of warnings.
Refusal = Callable[[list[Diagnostic], int], ExplainerError]


def build_site(*, root: Path, site_dir: Path | None = None,
               keep_markdown: Path | None = None, refuse: Refusal | None = None,
               page_cache: bool = False) -> BuildResult:
    """``refuse``: the error for content with errors (``explainer deploy`` words it its way);
    the check runs once, in the build's process, either way. ``page_cache``: reuse the pages
    of the last such build whose inputs did not change (generator/adapters/pagecache.py)."""
    started = time.monotonic()
    root = root.resolve()
    chosen, option = choose_site_dir(root, site_dir)
    refuse_output_dir(root, chosen, option)
    refuse_output_dir(root, keep_markdown, "--keep-markdown")
    refuse_config_dirs(root / "mkdocs.yml")
    site_dir = chosen.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    # SIGINT and SIGTERM stop the build, its processes and remove the temporary folder
    # (generator/publish/stopping.py); the folder is made inside the guard, so it is removed too.
    with StopOnSignals() as signals:
        staging = None
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-",
                                            dir=site_dir.parent))
            # Check, generation and the engine's build run in a child process, whose memory is
            # all given back when it ends; the search index then runs beside a small process
            # (generator/forks.py).
            built = in_child(partial(_build_into, root, staging, keep_markdown, refuse,
                                     page_cache), name="build")
            from generator.adapters.search_index import SearchIndexError, build_search_index

            try:
                build_search_index(staging)
            except SearchIndexError as err:
                raise BuildError(f"explainer: {err}",
                                 hint="the previous site was left as it was") from err
            with signals.publishing():
                old = _swap(staging, site_dir)
        finally:
            if staging is not None and staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return BuildResult(site_dir=site_dir, diagnostics=built.warnings, pages=built.pages,
                       files=built.files, seconds=time.monotonic() - started,
                       markdown_dir=keep_markdown.resolve() if keep_markdown else None)


@dataclass
class _Built:
    warnings: list[Diagnostic]
    pages: int
    files: int


def _build_into(root: Path, staging: Path, keep_markdown: Path | None,
                refuse: Refusal | None = None, page_cache: bool = False) -> _Built:
    """Check, generate and build the site into ``staging`` (no search index yet)."""
    checked, diagnostics = check_project(root)
    errors = diagnostics.errors
    if errors and refuse is not None:
        raise refuse(errors, len(diagnostics.warnings))
    if errors:
        listing = "\n".join(d.format() for d in errors)
        raise ContentError(f"content has {len(errors)} error{'s' * (len(errors) != 1)}; "
                           f"nothing was built:\n{listing}", errors)

    from generator.adapters.mkdocs_run import run_build

    # Handed over, not kept here: the build lets go of the project as it goes
    # (generator/adapters/release.py).
    handed = [checked]
    del checked
    output = run_build(root=root, site_dir=staging, project=handed.pop(),
                       keep_output=keep_markdown is not None, page_cache=page_cache)
    if keep_markdown is not None:
        write_files(output.files, keep_markdown)
    return _Built(warnings=diagnostics.warnings, pages=len(output.pages()),
                  files=len(output.files))


# SITE_DIR_VAR (generator/load/paths.py): mkdocs.yml reads it too: `site_dir: !ENV [...]`
DEFAULT_SITE = "site"


def choose_site_dir(root: Path, site_dir: Path | None) -> tuple[Path, str]:
    """The site folder and how it was chosen, for messages: ``--site-dir``, else
    ``EXPLAINER_SITE_DIR`` (relative to the project, as mkdocs.yml reads it, so ``explainer
    build`` and ``mkdocs build`` agree), else ``site/`` in the project."""
    if site_dir is not None:
        return site_dir, "--site-dir"
    value = os.environ.get(SITE_DIR_VAR)
    if value:
        path = Path(value)
        return (path if path.is_absolute() else root / path), f"{SITE_DIR_VAR}={printable(value)}"
    return root / DEFAULT_SITE, DEFAULT_SITE


def refuse_output_dir(root: Path, out: Path | None, option: str) -> None:
    """A usage error, before anything is checked or written, for an output folder that would
    replace or write into the project (``build --site-dir .`` once deleted content/ and .git/)."""
    if out is None:
        return
    if option == DEFAULT_SITE:
        # site/ is replaced whole by every build: committed as a link (a pull request can do
        # that), it would send the swap and the delete wherever it points.
        if out.is_symlink():
            raise UsageError(f"{DEFAULT_SITE}/ in the project is a link; the build replaces "
                             f"{DEFAULT_SITE}/ whole and will not follow a link to do so",
                             hint=f"delete the link {DEFAULT_SITE}, or pass --site-dir DIR to "
                                  "build somewhere else")
        return
    problem = output_dir_problem(root, out)
    if problem:
        shown = option if "=" in option else f"{option} {printable(str(out))}"
        raise UsageError(f"{shown} {problem}",
                         hint=f"choose a folder outside {', '.join(PROTECTED[:-1])} and .git, "
                              "and not above the project (the default is site/)")


def refuse_config_dirs(config_file: Path) -> None:
    """A usage error, before anything is built, for a ``site_dir`` or ``docs_dir`` that the
    config file names outside the project (generator/load/paths.py: config_dir_problem)."""
    if not config_file.is_file():
        return  # the build says so itself
    from generator.adapters.mkdocs_run import config_dir_problems

    problems = config_dir_problems(config_file)
    if problems:
        raise UsageError("\n".join(problems),
                         hint="nothing was built: the engine empties site_dir and publishes "
                              "docs_dir, so both stay inside the project")


def _swap(new: Path, target: Path) -> Path | None:
    """Replace ``target`` with ``new``; returns where the old tree went, for the caller to
    remove once the new one is in."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{int(time.time() * 1000)}")
        target.rename(old)
    new.rename(target)
    return old


def write_files(files: list[GeneratedFile], folder: Path) -> None:
    """Write generated files for inspection (never into docs/: the caller chooses the folder)."""
    for generated in files:
        path = folder / generated.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(generated.content, bytes):
            path.write_bytes(generated.content)
        else:
            path.write_text(generated.content, encoding="utf-8")
