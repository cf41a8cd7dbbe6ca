"""Command functions: keyword-only options in, results out; no printing, no argv.

The CLI layer (``cli.py``) prints; tests call these directly or through ``cli.main``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.check.changed import CodeChanges, code_diagnostics, code_rules
from generator.check.run import check_project
from generator.errors import Diagnostic, UsageError
from generator.load.model import Project


@dataclass
class CheckResult:
    project: Project
    diagnostics: list[Diagnostic]
    strict: bool
    files: int

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.is_warning for d in self.diagnostics)

    @property
    def notes(self) -> int:
        """Gaps recorded on purpose (``unknown:``): reported, never a failure."""
        return len(self.diagnostics) - self.errors - self.warnings

    @property
    def failed(self) -> bool:
        return self.errors > 0 or (self.strict and self.warnings > 0)

    def summary(self) -> str:
        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        verdict = "failed" if self.failed else "ok"
        extra = " (--strict: warnings are errors)" if self.strict and self.warnings else ""
        notes = f", {plural(self.notes, 'note')}" if self.notes else ""
        return (f"check {verdict}: {plural(self.errors, 'error')}, "
                f"{plural(self.warnings, 'warning')}{notes} in {plural(self.files, 'file')}"
                f"{extra}")


def _require_project(root: Path) -> None:
    if not root.is_dir():
        raise UsageError(f"{root} is not a folder", hint="pass --root with the project folder")
    if not (root / "content").is_dir():
        raise UsageError(f"no content/ folder in {root.resolve()}",
                         hint="run from the project folder or pass --root")


def check(*, root: Path, strict: bool = False, changed_since: str | None = None,
          code_changes: CodeChanges = CodeChanges.WARNING) -> CheckResult:
    """``changed_since``: also report every code file changed since the merge base of that git
    ref (generator/check/changed.py), as a warning or, with ``code_changes``, an error."""
    _require_project(root)
    changed: list[Diagnostic] = []
    if changed_since is not None:  # a bad ref is a usage error before the content is read
        from generator.adapters.changed_files import changed_files

        changed = code_diagnostics(changed_files(root, changed_since), code_rules(root),
                                   code_changes)
    project, diagnostics = check_project(root)
    diagnostics.add_all(changed)
    from generator.load.project import content_files

    return CheckResult(project=project, diagnostics=diagnostics.sorted(), strict=strict,
                       files=len(content_files(root)))


def new(*, root: Path, slug: str, headline: str | None = None) -> Path:
    from generator.scaffold.new import scaffold

    return scaffold(root=root, slug=slug, headline=headline)


def build(*, root: Path, site_dir: Path | None = None, keep_markdown: Path | None = None):
    """Check, generate and build; raise ContentError/BuildError on failure. See publish.build."""
    from generator.publish.build import build_site

    _require_project(root)
    return build_site(root=root, site_dir=site_dir, keep_markdown=keep_markdown)


def serve(*, root: Path, addr: str) -> None:
    from generator.adapters.serve import serve_site

    _require_project(root)
    serve_site(root=root, addr=addr)


def deploy(*, root: Path, version: str, aliases: list[str], title: str | None, push: bool,
           remote: str, branch: str, allow_dirty: bool):
    from generator.publish.deploy import deploy_edition

    _require_project(root)
    return deploy_edition(root=root, version=version, aliases=aliases, title=title, push=push,
                          remote=remote, branch=branch, allow_dirty=allow_dirty)
