"""``explainer serve``: MkDocs' live-reload server with the explainer plugin.

``mkdocs serve`` with recent click may not watch anything unless ``--livereload`` is passed; we
call MkDocs' serve function directly with ``livereload=True`` and watch ``content/``, ``charts/``
and ``templates/`` (the plugin adds the first two for plain ``mkdocs serve`` too). The plugin
regenerates only when a content file changed, re-renders only the pages an edit changed (dirty
builds, generator/adapters/incremental.py), and shows content errors on the pages instead of
stopping.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from generator.adapters.engine import LOGGERS, activate
from generator.errors import UsageError


def serve_site(*, root: Path, addr: str) -> None:
    activate()
    from mkdocs.commands.serve import serve

    root = root.resolve()
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise UsageError(f"no mkdocs.yml in {root}", hint="run from the project folder")
    host, _, port = addr.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"--addr '{addr}' is not HOST:PORT", hint="e.g. 127.0.0.1:8000")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    watch = [str(root / d) for d in ("content", "charts", "templates") if (root / d).is_dir()]
    _logging()
    # Site search in the preview: Pagefind indexes the served site in the background once
    # rebuilds pause (generator/adapters/search_index.py), never delaying the page.
    from generator.adapters.search_index import preview_search

    preview_search.enabled = True
    if port == "0":
        _report_bound_port()
    try:
        # Dirty builds: after an edit only the pages it changed are rendered again (the plugin
        # decides which; see generator/adapters/incremental.py). `explainer build` stays clean.
        serve(config_file=str(config_file), livereload=True, dev_addr=addr, watch=watch,
              build_type="dirty")
    except OSError as exc:
        raise UsageError(f"cannot serve on {addr}: {exc.strerror or exc}",
                         hint="choose another port with --addr") from None
    except Exception as exc:  # MkDocs' own errors: report them as ours, no traceback
        from mkdocs.exceptions import MkDocsException

        if isinstance(exc, MkDocsException):
            from generator.errors import BuildError

            raise BuildError(f"preview failed: {exc}") from None
        raise


def _logging() -> None:
    """MkDocs' CLI sets up its log output; we call it as a library, so do the same."""
    import logging

    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not logger.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)


def _report_bound_port() -> None:
    """``--addr HOST:0``: the server binds a free port itself (no window in which another
    process can take a port picked in advance) and the "Serving on" line names the real one.

    The engine builds its server class inside ``serve()``, so the subclass is swapped in there.
    """
    import mkdocs.commands.serve as engine_serve

    base: type[Any] = engine_serve.LiveReloadServer
    if getattr(base, "reports_bound_port", False):
        return

    class Server(base):
        reports_bound_port = True
        url: str

        def server_bind(self) -> None:
            super().server_bind()
            port = self.server_address[1]
            self.url = re.sub(r":0/", f":{port}/", self.url, count=1)

    engine_serve.LiveReloadServer = Server  # type: ignore[misc]
