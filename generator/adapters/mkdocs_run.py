"""Run a strict site build in-process, handing the already-checked project to the plugin.

The engine (ProperDocs or MkDocs 1.6.1) is the one :mod:`generator.adapters.engine` names.

Used by ``generator.publish.build`` (which must not import MkDocs itself). MkDocs' log messages
are captured so a failed build reports them as one :class:`BuildError`.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator.adapters.engine import LOGGERS, activate
from generator.errors import BuildError, printable
from generator.load.model import Project
from generator.load.paths import CONFIG_DIR_FIX, SITE_DIR_VAR, config_dir_problem
from generator.render.site import SiteOutput


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def run_build(*, root: Path, site_dir: Path, project: Project | None = None,
              keep_output: bool = False, page_cache: bool = False) -> SiteOutput:
    """``keep_output``: the returned files keep their content (a clean build otherwise lets
    it go as MkDocs takes each file: generator/adapters/release.py). No search index: the
    caller makes it once this build's process has ended (generator/publish/build.py).
    ``page_cache``: pages whose inputs did not change since the last such build are taken from
    the explainer cache folder (generator/adapters/pagecache.py); should the cached copies
    disagree with a page rendered to check them, the site is built again without them."""
    activate()
    from generator.adapters.pagecache import PageCache

    cache = PageCache.open(root) if page_cache else None
    output = _run_once(root, site_dir, project, keep_output, cache)
    if cache is not None and cache.mismatch:
        logging.getLogger(f"{LOGGERS[0]}.plugins.explainer").info(
            "explainer: cached pages disagree with %s as rendered now; building every page",
            cache.mismatch[0])
        cache.discard()
        cache = PageCache.open(root)
        output = _run_once(root, site_dir, None, keep_output, cache, clean=True)
    if cache is not None:
        cache.save()
    return output


def _run_once(root: Path, site_dir: Path, project: Project | None, keep_output: bool,
              cache: Any, *, clean: bool = False) -> SiteOutput:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from generator.adapters.incremental import drop_dirty_warning
    from generator.adapters.mkdocs_plugin import ExplainerPlugin

    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise BuildError(f"no mkdocs.yml in {root}", hint="run from the project folder")
    collect = _Collect()
    loggers = [logging.getLogger(name) for name in LOGGERS]
    for logger in loggers:
        logger.addHandler(collect)
    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True)
        plugin = next((p for p in config.plugins.values() if isinstance(p, ExplainerPlugin)), None)
        if plugin is None:
            raise BuildError("mkdocs.yml does not enable the explainer plugin",
                             hint="add `- explainer` under `plugins:`")
        # The engine keeps plugin instances across builds in one process (a preview in it left
        # "serve" and dirty behind; no on_startup runs for an in-process build).
        plugin.command, plugin.dirty = "build", False
        # ...and a preview's partial rebuilds: a published build renders what it is given
        # (no on_startup runs here to say so; see ExplainerPlugin.on_startup).
        plugin.incremental.enabled = False
        plugin.output = None  # a plugin instance can outlive one build in this process
        plugin.preloaded, project = project, None  # the plugin's alone, to let go of
        plugin.keep_output = keep_output
        plugin.index_later = True
        plugin.page_cache = cache
        # With the page cache the engine's "dirty" build skips the pages the cache marks
        # unmodified (every other file is new in the empty site folder, so it is built).
        dirty = cache is not None and not clean
        if dirty:
            drop_dirty_warning()
        try:
            build(config, dirty=dirty)
        finally:
            plugin.index_later = False  # the instance outlives this build in the engine's cache
            plugin.page_cache = None
    except MkDocsException as exc:
        details = "\n".join(collect.messages[-20:])
        raise BuildError(f"MkDocs build failed: {exc}" + (f"\n{details}" if details else ""),
                         hint="fix the problems above; the previous site/ was left as it was"
                         ) from None
    finally:
        for logger in loggers:
            logger.removeHandler(collect)
    assert plugin.output is not None
    return plugin.output


CONFIG_DIRS = (("docs_dir", "docs"), ("site_dir", "site"))


def config_dir_problems(config_file: Path, env: Mapping[str, str] | None = None) -> list[str]:
    """What is wrong with the ``docs_dir`` and ``site_dir`` the config file itself names, each
    as "mkdocs.yml: site_dir '/x' lies outside the project: <the fix>" (empty when nothing is).

    The file is read as the engine reads it (``!ENV``, ``!relative``, ``INHERIT``), with
    ``env`` added to the environment and :data:`SITE_DIR_VAR` taken out: a folder that
    variable names is chosen by whoever runs the build, not by the file (generator/load/
    paths.py). A value set on the command line (``mkdocs build -d``) is not in the file
    either, so it is not judged here."""
    if "mkdocs" not in sys.modules:  # else the engine running this plugin chose already
        activate()
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    root = config_file.parent
    try:
        with _environment({**(env or {}), SITE_DIR_VAR: None}), open(config_file, "rb") as fd:
            raw = yaml_load(fd, loader=get_yaml_loader(
                config=MkDocsConfig(config_file_path=str(config_file))))
    except Exception:  # an unreadable config: the engine reports it in its own words
        return []
    problems = []
    for key, default in CONFIG_DIRS:
        value = raw.get(key, default) if isinstance(raw, dict) else default
        try:
            named = os.fspath(value)
        except Exception:
            named = None
        if not isinstance(named, str) or not named:
            problems.append(f"{config_file.name}: {key} is not a folder name: "
                            f"{CONFIG_DIR_FIX[key]}")
            continue
        path = Path(named) if Path(named).is_absolute() else root / named
        problem = config_dir_problem(root, key, path)
        if problem:
            problems.append(f"{config_file.name}: {key} '{printable(named)}' {problem}: "
                            f"{CONFIG_DIR_FIX[key]}")
    return problems


@contextmanager
def _environment(changes: Mapping[str, str | None]) -> Iterator[None]:
    """``os.environ`` with ``changes`` (None removes a variable) while the config is read."""
    saved = {name: os.environ.get(name) for name in changes}
    try:
        _set_environment(changes)
        yield
    finally:
        _set_environment(saved)


def _set_environment(values: Mapping[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
