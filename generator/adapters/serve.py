"""``explainer serve``: MkDocs' live-reload server with the explainer plugin.

``mkdocs serve`` with recent click may not watch anything unless ``--livereload`` is passed; we
call MkDocs' serve function directly with ``livereload=True`` and watch ``content/``, ``charts/``
and ``templates/`` (the plugin adds the first two for plain ``mkdocs serve`` too). The plugin
regenerates only when a content file changed, re-renders only the pages an edit changed (dirty
builds, generator/adapters/incremental.py), and shows content errors on the pages instead of
stopping. Saved files are reported by the operating system (inotify), not found by MkDocs' poll
of every watched file every half second (:class:`ChangeObserver`).
"""

from __future__ import annotations

import logging
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
    _server_class()
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
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not logger.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)


def _server_class() -> None:
    """The engine builds its server class inside ``serve()``, so our subclass is swapped in
    there. It differs in two ways:

    * ``--addr HOST:0``: the server binds a free port itself (no window in which another
      process can take a port picked in advance) and the "Serving on" line names the real one;
    * it learns of saved files from the operating system (:class:`ChangeObserver`), not by
      polling every watched file twice a second.
    """
    import mkdocs.commands.serve as engine_serve

    base: type[Any] = engine_serve.LiveReloadServer
    if getattr(base, "explainer_server", False):
        return

    class Server(base):
        explainer_server = True
        url: str

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.observer = ChangeObserver()

        def server_bind(self) -> None:
            super().server_bind()
            port = self.server_address[1]
            self.url = re.sub(r":0/", f":{port}/", self.url, count=1)

    engine_serve.LiveReloadServer = Server  # type: ignore[misc]


def _writes() -> tuple[type, ...]:
    from watchdog import events

    return (events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent,
            events.FileMovedEvent, events.FileClosedEvent, events.DirCreatedEvent,
            events.DirDeletedEvent, events.DirMovedEvent)


WRITES = _writes()


class ChangeObserver:
    """File changes from the operating system (inotify on Linux, through watchdog's native
    observer) instead of the engine's poll: MkDocs' server walks every watched file every half
    second, which at 1,000 explainers is over 3,000 files per poll and up to half a second (a
    quarter on average) between saving and the rebuild starting. When the system refuses (no
    native observer, or too many watches), polling takes over, as before."""

    def __init__(self, polling_interval: float = 0.5) -> None:
        from watchdog.observers import Observer

        self.polling_interval = polling_interval
        self.native = True
        self._observer: Any = Observer()
        self._watches: dict[int, tuple[Any, str, bool]] = {}  # id(watch) -> how it was made
        self._current: dict[int, Any] = {}  # id(watch) -> the watch of the observer in use

    def schedule(self, handler: Any, path: str, *, recursive: bool = False) -> Any:
        # Writes only: inotify also reports files opened and read, and every build reads them
        # (a build would start the next one, for ever). Polling never saw reads.
        watch = self._observer.schedule(handler, path, recursive=recursive,
                                        event_filter=list(WRITES))
        self._watches[id(watch)] = (handler, path, recursive)
        self._current[id(watch)] = watch
        return watch

    def unschedule(self, watch: Any) -> None:
        self._watches.pop(id(watch), None)
        self._observer.unschedule(self._current.pop(id(watch), watch))

    def start(self) -> None:
        try:
            self._observer.start()
        except OSError as err:  # e.g. the inotify watch limit
            from watchdog.observers.polling import PollingObserver

            logging.getLogger(LOGGERS[0]).info(
                "explainer: watching files by polling (%s)", err.strerror or err)
            self.native = False
            self._observer = PollingObserver(timeout=self.polling_interval)
            for key, (handler, path, recursive) in self._watches.items():
                self._current[key] = self._observer.schedule(handler, path, recursive=recursive,
                                                             event_filter=list(WRITES))
            self._observer.start()

    def stop(self) -> None:
        self._observer.stop()

    def join(self, timeout: float | None = None) -> None:
        self._observer.join(timeout)

    def is_alive(self) -> bool:
        return bool(self._observer.is_alive())
