"""A build stopped by SIGINT (Ctrl-C) or SIGTERM (``kill``, a CI job cancelled or timed out)
publishes nothing and leaves nothing behind: no process, no half-built folder.

While :class:`StopOnSignals` is active, either signal raises :class:`BuildStopped` in the main
thread, wherever the build is: waiting for its child (generator/forks.py then kills the child's
whole process group) or for the search indexer (``subprocess.run`` kills it), and the build's
``finally`` removes its temporary folder. The exit status is the shell's convention for a
command ended by a signal: 130 for SIGINT, 143 for SIGTERM.

Publishing itself (two renames) is not interrupted: :meth:`StopOnSignals.publishing` holds the
signals until the new site is in place, and gives them back their usual effect then (the
command has done its work; stopping it now changes nothing).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

from generator.errors import ExplainerError
from generator.forks import STOP_SIGNALS

STOPPED = "build stopped: nothing was published; the previous site is intact"


class BuildStopped(ExplainerError):
    """The build was stopped by a signal; ``exit_code`` is 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"{STOPPED} ({signal.Signals(signum).name})")
        self.exit_code = 128 + signum


class StopOnSignals:
    def __init__(self) -> None:
        self._previous: dict[int, Any] = {}
        self._stopping = False

    def __enter__(self) -> StopOnSignals:
        if threading.current_thread() is threading.main_thread():  # else signals are not ours
            self._previous = {s: signal.signal(s, self._stop) for s in STOP_SIGNALS}
        return self

    def __exit__(self, *_: object) -> None:
        self._restore()

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        if self._stopping:  # the first one is being handled: let the clean-up finish
            return
        self._stopping = True
        raise BuildStopped(signum)

    def _restore(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous = {}

    @contextlib.contextmanager
    def publishing(self) -> Iterator[None]:
        """The block runs whole; a signal that came meanwhile acts after it as it would have
        without this guard."""
        if not self._previous:
            yield
            return
        held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            yield
        finally:
            self._restore()
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
