"""Run a strict site build in-process, handing the already-checked project to the plugin.

The engine (ProperDocs or MkDocs 1.6.1) is the one :mod:`generator.adapters.engine` names.

Used by ``generator.publish.build`` (which must not import MkDocs itself). MkDocs' log messages
are captured so a failed build reports them as one :class:`BuildError`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from generator.adapters.engine import LOGGERS, activate
from generator.errors import BuildError
from generator.load.model import Project
from generator.render.site import SiteOutput


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def run_build(*, root: Path, site_dir: Path, project: Project | None = None,
              keep_output: bool = False) -> SiteOutput:
    """``keep_output``: the returned files keep their content (a clean build otherwise lets
    it go as MkDocs takes each file: generator/adapters/release.py). No search index: the
    caller makes it once this build's process has ended (generator/publish/build.py)."""
    activate()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

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
        plugin.output = None  # a plugin instance can outlive one build in this process
        plugin.preloaded, project = project, None  # the plugin's alone, to let go of
        plugin.keep_output = keep_output
        plugin.index_later = True
        try:
            build(config)
        finally:
            plugin.index_later = False  # the instance outlives this build in the engine's cache
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
