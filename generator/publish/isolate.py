"""Run one step of a command in a forked child process and take back its result.

Why: a Python process does not give back to the system the memory a large build grew (freed
objects leave its heap fragmented). At 10,000 explainers the build peaks at 1.4 GiB and still
held 0.8-0.9 GiB when the search indexer ran, itself 1.5 GiB: together over the 2 GiB budget
(bench/README.md, "session 5"). The step runs in a child; when it ends, all its memory goes,
and what follows (the search index) runs beside a small parent.

The child is a fork (no imports again, no pickling of the project), so it starts in
milliseconds; the result, or the :class:`ExplainerError` that stopped it, comes back through a
pipe. Any other exception (a bug) comes back as its traceback, raised here as
:class:`StepCrashed` naming the exception in one line, caused by :class:`ChildTraceback`
holding the child's traceback: the command line reports an internal error in one line, and
``--debug`` prints the chain, the child's traceback included. Where ``fork`` does not exist,
the step runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from generator.errors import BuildError, ExplainerError

T = TypeVar("T")


class StepCrashed(RuntimeError):
    """A bug in the child: the message names its exception; the cause holds the traceback."""


class ChildTraceback(Exception):
    """The traceback of an exception raised in the child, as text."""


def in_child(step: Callable[[], T], *, name: str) -> T:
    """``step()``, run in a forked child; ``name`` says what it was in messages."""
    if not hasattr(os, "fork"):
        return step()
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(step, writer), name=name)
    child.start()
    writer.close()  # the child holds its own end: EOF here when it ends
    try:
        outcome: tuple[str, Any] | None = reader.recv()
    except EOFError:
        outcome = None
    finally:
        reader.close()
        child.join()
    if outcome is None:
        raise BuildError(f"the {name} stopped without a result (exit code {child.exitcode})",
                         hint="the machine may have run out of memory; the previous site was "
                              "left as it was")
    kind, value = outcome
    if kind == "done":
        return value
    if kind == "refused":
        raise value
    last = value.rstrip().splitlines()[-1] if value.strip() else "unknown error"
    raise StepCrashed(f"the {name} failed: {last}") from ChildTraceback(value)


def _run(step: Callable[[], Any], writer: Connection) -> None:
    try:
        outcome: tuple[str, Any] = ("done", step())
    except ExplainerError as exc:
        outcome = ("refused", exc)
    except BaseException:  # everything reaches the parent, which decides what to show
        outcome = ("crashed", traceback.format_exc())
    try:
        writer.send(outcome)
    except Exception:  # a result or an error that does not pickle: say what it was
        writer.send(("crashed", traceback.format_exc()))
    finally:
        writer.close()
