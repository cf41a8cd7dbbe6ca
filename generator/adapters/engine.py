"""Which site engine builds the site: ProperDocs (default) or MkDocs 1.6.1.

MkDocs 1.x has had no release since 2024-08 and its owner's "2.0" drops plugins and themes;
ProperDocs is the maintained drop-in fork of 1.x (same config, plugins, themes; mike 2.2 supports
it). ProperDocs answers every ``mkdocs.*`` import once ``properdocs.replacement`` is imported, so
the adapters keep importing ``mkdocs`` and this module decides, per process, which engine those
imports reach. ``EXPLAINER_ENGINE=mkdocs`` keeps MkDocs 1.6.1 itself working (CI runs both).

Only entry points we own call :func:`activate` (the in-process build, serve, the mike wrapper):
the plugin module never does, so ``mkdocs build`` or ``properdocs build`` run from a shell keep
the engine that loaded them.
"""

from __future__ import annotations

import os
import sys
from importlib import metadata

from generator.errors import UsageError

ENV = "EXPLAINER_ENGINE"
ENGINES = ("properdocs", "mkdocs")
DEFAULT = "properdocs"
# The engines' root loggers: messages of either reach our handlers whichever engine runs.
LOGGERS = ("properdocs", "mkdocs")


def name() -> str:
    value = os.environ.get(ENV, "").strip().lower() or DEFAULT
    if value not in ENGINES:
        raise UsageError(f"{ENV}={value!r} is not a site engine",
                         hint=f"set {ENV} to one of: {', '.join(ENGINES)} (or leave it unset "
                              f"for {DEFAULT})")
    return value


def activate() -> str:
    """Point ``mkdocs.*`` imports of this process at the chosen engine; return its name."""
    engine = name()
    loaded = sys.modules.get("mkdocs")
    if engine == "properdocs":
        if loaded is not None and loaded.__name__ != "properdocs":
            # Half MkDocs, half ProperDocs: plugins would subclass the wrong BasePlugin.
            raise RuntimeError("mkdocs was imported before the site engine was chosen; "
                               "call generator.adapters.engine.activate() first")
        import properdocs.replacement  # noqa: F401  (installs the import alias)
    elif loaded is not None and loaded.__name__ == "properdocs":
        raise RuntimeError(f"{ENV}=mkdocs, but ProperDocs already answers mkdocs imports in "
                           "this process")
    return engine


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def label() -> str:
    """The engine in use and its version, e.g. "ProperDocs 1.6.7" (deploy commit messages)."""
    engine = name()
    return f"{ {'properdocs': 'ProperDocs', 'mkdocs': 'MkDocs'}[engine]} {_version(engine)}"


def describe() -> str:
    """One line for ``explainer --version``: the engine in use and the theme's version."""
    try:
        engine = name()
    except UsageError as exc:
        return f"engine: {exc.message}"
    label = {"properdocs": "ProperDocs", "mkdocs": "MkDocs"}[engine]
    return (f"engine {label} {_version(engine)} ({ENV}={engine}), "
            f"mkdocs-material {_version('mkdocs-material')}, mike {_version('mike')}")
