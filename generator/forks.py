"""Work done in a forked child process, its result, logs and errors taken back by the parent.

Two reasons, both the cost of a large project:

* **Memory** (``in_child``, generator/publish/build.py): a Python process does not give back to
  the system the memory a large build grew (freed objects leave its heap fragmented). At 10,000
  explainers the build peaked at 1.4 GiB and still held 0.8-0.9 GiB when the search indexer
  ran, itself 1.5 GiB: together over the 2 GiB budget (bench/README.md, "session 5"). The build
  runs in a child; when it ends all its memory goes, and the search index runs beside a small
  parent.
* **Both cores** (:class:`Child`): a child parses half of the content files
  (``ParseCache.warm`` in generator/load/project.py), or converts and writes half of a site's
  pages (generator/adapters/twocores.py), while the parent does the other half.

A child is a fork: no imports again, no pickling of what it reads, so it starts in
milliseconds; only its result crosses the pipe. An error of a class the caller names
(:class:`ExplainerError` always) comes back as itself, class, message and hint. Any other
exception (a bug) comes back as its traceback, raised here as :class:`StepCrashed` naming the
exception in one line, caused by :class:`ChildTraceback` holding the child's traceback: the
command line reports an internal error in one line, and ``--debug`` prints the chain. A child
asked for its logs sends back every record its loggers would have handled, and the parent hands
them to the same loggers: handlers, filters and the engine's strict-mode count see them as if
the parent had logged them.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable, Sequence
from functools import partial
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from generator.errors import BuildError, ExplainerError

T = TypeVar("T")
Item = TypeVar("Item")


class StepCrashed(RuntimeError):
    """A bug in the child: the message names its exception; the cause holds the traceback."""


class ChildTraceback(Exception):
    """The traceback of an exception raised in the child, as text."""


STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}  # Ctrl-C, and `kill` or a CI job's timeout
PROCESSES_ENV = "EXPLAINER_PROCESSES"  # "1": no second process for a second core


def can_fork() -> bool:
    return hasattr(os, "fork")


def second_core() -> bool:
    """Whether work may be shared with a forked child to use a second core: ``fork`` exists,
    this process may run on two CPUs or more, and ``EXPLAINER_PROCESSES=1`` is not set."""
    if os.environ.get(PROCESSES_ENV, "").strip() == "1" or not can_fork():
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return cpus >= 2


def in_child(step: Callable[[], T], *, name: str) -> T:
    """``step()``, run in a forked child; ``name`` says what it was in messages. Where ``fork``
    does not exist, the step runs in this process.

    The child leads a process group of its own, which every process it starts joins (the
    children sharing its pages, the browser drawing pictures): if this process is interrupted
    while it waits (a signal handler raising, generator/publish/build.py), the whole group is
    killed, so no process outlives the command."""
    if not can_fork():
        return step()
    return Child(step, name=name, group=True).result()


class Child(Generic[T]):
    """``step()`` running in a forked child from construction; :meth:`result` waits for it."""

    def __init__(self, step: Callable[[], T], *, name: str, logs: bool = False,
                 passes: tuple[type[BaseException], ...] = (), group: bool = False) -> None:
        """``group``: the child leads a new process group (see :func:`in_child`)."""
        self.name = name
        self._group = group
        context = multiprocessing.get_context("fork")
        self._reader, writer = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_run, name=name, args=(step, writer, logs, (ExplainerError, *passes), group))
        try:
            # A group's child starts with the stopping signals held, so that a handler raising
            # in this process cannot leave a child it has not yet recorded (or not yet put in
            # its group) running; they act again once both are done.
            held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS) if group else None
            try:
                self._process.start()
                if group:  # here too, so that the group exists before start() returns
                    with contextlib.suppress(OSError):
                        os.setpgid(self._pid, self._pid)
            finally:
                if held is not None:
                    signal.pthread_sigmask(signal.SIG_SETMASK, held)
            writer.close()  # the child holds its own end: EOF here when it ends
        except BaseException:
            if self._process.pid is not None:
                self.stop()
            raise

    @property
    def _pid(self) -> int:
        assert self._process.pid is not None
        return self._process.pid

    def result(self) -> T:
        try:
            outcome: tuple[str, Any, list[logging.LogRecord]] | None = self._reader.recv()
        except EOFError:
            outcome = None
        except BaseException:  # interrupted while waiting (a signal): the child goes too
            self.stop()
            raise
        finally:
            self._reader.close()
            self._process.join()
        if outcome is None:
            raise BuildError(f"the {self.name} stopped without a result (exit code "
                             f"{self._process.exitcode})",
                             hint="the machine may have run out of memory; nothing was "
                                  "published, the previous site is as it was")
        kind, value, records = outcome
        for record in records:
            logging.getLogger(record.name).handle(record)
        if kind == "done":
            return value
        if kind == "refused":
            raise value
        last = value.rstrip().splitlines()[-1] if value.strip() else "unknown error"
        raise StepCrashed(f"the {self.name} failed: {last}") from ChildTraceback(value)

    def ready(self) -> bool:
        """Whether :meth:`result` would return (or raise) without waiting for the child."""
        return self._reader.poll()

    def stop(self) -> None:
        """The parent gave up (its own part failed, or it was interrupted): end the child (and,
        for a group, every process of the group), leave no zombie. A group's id stays the
        child's while the child is unreaped or any process of the group lives, so it can
        name no one else's processes."""
        if self._group:
            with contextlib.suppress(OSError):
                os.killpg(self._pid, signal.SIGKILL)
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._reader.close()


class Relay(Generic[Item, T]):
    """A share of work done by forked children one after another, ``size`` items each, while
    the parent does its own: each child's result is handed to ``take`` as it ends.

    Why not one child: a fork shares the parent's memory until either process writes to a page
    of it, and then each keeps a copy. A child that lives through the whole share makes those
    copies, and its own, pile up (at 10,000 explainers, 0.45 GiB in each process while the
    pages were written); a child that ends gives its copies back, every ``size`` items."""

    def __init__(self, items: Sequence[Item], work: Callable[[list[Item]], T],
                 take: Callable[[T], None], *, size: int, name: str, logs: bool = False,
                 passes: tuple[type[BaseException], ...] = ()) -> None:
        self._chunks = [list(items[i:i + size]) for i in range(0, len(items), size)]
        self._work, self._take = work, take
        self._name, self._logs, self._passes = name, logs, passes
        self._child: Child[T] | None = None
        self._started = 0
        self._next()

    def _next(self) -> None:
        if self._started < len(self._chunks):
            chunk = self._chunks[self._started]
            self._started += 1
            self._child = Child(partial(self._work, chunk), name=self._name, logs=self._logs,
                                passes=self._passes)

    def poll(self) -> None:
        """Between two of the parent's items: a child that is done hands over, the next starts."""
        if self._child is not None and self._child.ready():
            self._hand_over()

    def finish(self) -> None:
        """Wait for the rest of the share."""
        while self._child is not None:
            self._hand_over()

    def _hand_over(self) -> None:
        child, self._child = self._child, None
        assert child is not None
        self._take(child.result())
        self._next()

    def stop(self) -> None:
        if self._child is not None:
            self._child.stop()
            self._child = None
        self._started = len(self._chunks)


def _run(step: Callable[[], Any], writer: Connection, logs: bool,
         passes: tuple[type[BaseException], ...], group: bool = False) -> None:
    if group:
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)
        # The parent's handlers (generator/publish/build.py) are the parent's: a signal sent to
        # this group ends it as usual.
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    records: list[logging.LogRecord] = []
    if logs:
        _keep_records(records)
    try:
        outcome: tuple[str, Any, list[logging.LogRecord]] = ("done", step(), records)
    except passes as exc:
        outcome = ("refused", exc, records)
    except BaseException:  # everything reaches the parent, which decides what to show
        outcome = ("crashed", traceback.format_exc(), records)
    try:
        writer.send(outcome)
    except Exception:  # a result, an error or a record that does not pickle: say what it was
        writer.send(("crashed", traceback.format_exc(), []))
    finally:
        writer.close()


def _keep_records(records: list[logging.LogRecord]) -> None:
    """In the child (a process of its own, so patching the class is safe): a record that would
    reach handlers is kept, formatted, to be handled by the parent instead."""

    def keep(logger: logging.Logger, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        records.append(record)

    logging.Logger.callHandlers = keep  # type: ignore[method-assign,assignment]
