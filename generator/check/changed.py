"""Which changed files are code: the files a maintainer reviews before a pull request is merged.

The trust model (README, "Trust model: content and code"): ``content/``, ``charts/`` and the
Markdown and images of ``docs/`` are content, safe to accept from anyone once ``explainer check
--strict`` passes. Everything that runs at build or deploy, runs in CI, or is published to
readers as it is, is code:

* the site's config (``mkdocs.yml``/``mkdocs.yaml`` and any file it ``INHERIT``s), the
  writers' ``templates/``, the theme's ``custom_dir`` overrides, the ``hooks:`` files, and the
  generator itself;
* what CI runs: ``.github/``, ``Makefile``, ``.ci/``, ``pyproject.toml``, ``constraints.txt``,
  ``package*.json``, ``bench/``, ``tests/``, and any Python or shell file (a ``conftest.py``
  anywhere runs under pytest);
* what the site publishes as it is: every file of ``docs/`` that is not Markdown or a raster
  image (HTML, scripts, styles, SVG), and the files ``extra_css``/``extra_javascript`` name.

``explainer check --changed-since REF`` reports each changed code file as a diagnostic on its
first line (generator/adapters/changed_files.py lists the changes with git).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from generator.errors import Diagnostic, Severity

RUNS = "this file is code: it runs at build and deploy; a maintainer must review it"
RUNS_IN_CI = "this file is code: it runs in CI; a maintainer must review it"
PUBLISHED = ("this file is code: the site publishes it as it is, to run in readers' browsers; "
             "a maintainer must review it")
CODE = "code-change"

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
BUILD_FOLDERS = ("templates", "generator")
CI_FOLDERS = (".github", ".ci", "bench", "tests")
CI_FILES = ("Makefile", "pyproject.toml", "constraints.txt", "setup.py", "setup.cfg",
            "tox.ini", "pytest.ini", ".npmrc")
CI_SUFFIXES = (".py", ".sh", ".pth")
CONTENT_SUFFIXES = (".md", ".markdown", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")


class CodeChanges(enum.Enum):
    """How a changed code file is reported: a warning (the default; ``--strict`` makes it fail
    like any warning) or an error (a repository that wants every code change to fail the check
    until a maintainer runs it without the option)."""

    WARNING = "warning"
    ERROR = "error"


@dataclass
class CodeRules:
    """Where the project keeps code, read from its config (paths relative to the project)."""

    config_files: set[str] = field(default_factory=lambda: set(CONFIG_NAMES))
    docs_dir: str = "docs"
    build_folders: set[str] = field(default_factory=lambda: set(BUILD_FOLDERS))
    build_files: set[str] = field(default_factory=set)  # hooks
    published_files: set[str] = field(default_factory=set)  # extra_css, extra_javascript

    def reason(self, path: str) -> str | None:
        """Why ``path`` (relative to the project, forward slashes) is code, or None."""
        pure = PurePosixPath(path)
        parts = pure.parts
        if not parts:
            return None
        if path in self.config_files or path in self.build_files:
            return RUNS
        if any(_under(parts, folder) for folder in self.build_folders):
            return RUNS
        if path in self.published_files:
            return PUBLISHED
        if (parts[0] in CI_FOLDERS or path in CI_FILES
                or (len(parts) == 1 and pure.name.startswith("package") and pure.suffix == ".json")
                or pure.suffix.lower() in CI_SUFFIXES):
            return RUNS_IN_CI
        if _under(parts, self.docs_dir) and pure.suffix.lower() not in CONTENT_SUFFIXES:
            return PUBLISHED
        return None


def _under(parts: tuple[str, ...], folder: str) -> bool:
    prefix = PurePosixPath(folder).parts
    return bool(prefix) and parts[:len(prefix)] == prefix and len(parts) > len(prefix)


class _Lenient(yaml.SafeLoader):
    """mkdocs.yml's own tags (``!ENV``, ``!relative``, ``!!python/name``) read as plain values:
    only the folder and file names matter here."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        # `!ENV [VAR, default]`: the default is the value the project means.
        return items[-1] if suffix.endswith("ENV") and items else items
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_Lenient.add_multi_constructor("!", _any_tag)
_Lenient.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def code_rules(root: Path) -> CodeRules:
    """The rules for the project at ``root``: its config names the theme overrides, the hooks,
    the docs folder and the published styles and scripts."""
    rules = CodeRules()
    for name in CONFIG_NAMES:
        path = root / name
        if path.is_file():
            _read_config(root, path, rules, depth=0)
            break
    return rules


def _read_config(root: Path, path: Path, rules: CodeRules, depth: int) -> None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Lenient)  # a SafeLoader
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return  # the config is code anyway; the build says what is wrong with it
    if not isinstance(data, dict):
        return
    here = path.parent

    def named(value: Any, base: Path) -> str | None:
        if isinstance(value, dict):
            value = value.get("path")
        if not isinstance(value, str) or not value or "://" in value or value.startswith("//"):
            return None
        full = Path(value) if Path(value).is_absolute() else base / value
        try:
            return Path(_normal(full)).relative_to(_normal(root)).as_posix()
        except ValueError:
            return None

    inherit = named(data.get("INHERIT"), here)
    if inherit is not None:
        rules.config_files.add(inherit)
        if depth < 5:
            _read_config(root, root / inherit, rules, depth + 1)
    docs = named(data.get("docs_dir"), here)
    if docs:
        rules.docs_dir = docs
    theme = data.get("theme")
    if isinstance(theme, dict):
        custom = named(theme.get("custom_dir"), here)
        if custom:
            rules.build_folders.add(custom)
    for hook in _listed(data.get("hooks")):
        found = named(hook, here)
        if found:
            rules.build_files.add(found)
    for key in ("extra_css", "extra_javascript"):
        for item in _listed(data.get(key)):
            found = named(item, root / rules.docs_dir)
            if found:
                rules.published_files.add(found)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _normal(path: Path) -> str:
    import os.path

    return os.path.normpath(path.absolute())


def code_diagnostics(changed: Mapping[str, str], rules: CodeRules,
                     level: CodeChanges = CodeChanges.WARNING) -> list[Diagnostic]:
    """One diagnostic per changed code file, on its first line. ``changed`` maps each file as
    shown (relative to the project) to the path the rules judge: the same, except for a file of
    the repository outside the project folder (``../.github/...``), judged from the
    repository's top."""
    severity = Severity.ERROR if level is CodeChanges.ERROR else Severity.WARNING
    found = []
    for shown in sorted(changed):
        reason = rules.reason(changed[shown])
        if reason is not None:
            found.append(Diagnostic(shown, 1, 1, severity, reason, CODE))
    return found
