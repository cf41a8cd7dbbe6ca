"""One error vocabulary for the whole pipeline.

Every problem a writer can cause becomes a :class:`Diagnostic` that names the file, the line and
column, and says what to do. Stages collect diagnostics rather than raising, so one run of
``explainer check`` reports everything at once. :class:`ExplainerError` is for problems that stop a
command (bad usage, a failed build); the CLI turns it into a message and an exit code, never a
traceback.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    # Accepted: something a writer recorded on purpose (a byline unknown, with the reason). Shown
    # so a reviewer sees it, never counted as a problem, so `check --strict` passes.
    NOTE = "note"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: Severity
    message: str
    code: str = ""

    def format(self) -> str:
        # A file name is content too: a name with terminal escapes must not reach a terminal.
        return (f"{printable(self.path)}:{self.line}:{self.col}: {self.severity.value}: "
                f"{self.message}")

    def format_github(self) -> str:
        # GitHub annotations: message text must escape %, CR and LF; properties also , and :
        def prop(value: str) -> str:
            return _gh_escape(value).replace(":", "%3A").replace(",", "%2C")

        level = {Severity.ERROR: "error", Severity.WARNING: "warning",
                 Severity.NOTE: "notice"}[self.severity]
        title = f"explainer {self.code}" if self.code else "explainer check"
        return (
            f"::{level} file={prop(printable(self.path))},line={self.line},col={self.col},"
            f"title={prop(title)}::{_gh_escape(self.message)}"
        )

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity is Severity.WARNING


def printable(text: str) -> str:
    """Messages quote what writers typed; control characters (terminal escapes, newlines) are
    shown as escapes so a hostile file cannot rewrite the terminal or forge report lines."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


EXCERPT_CHARS = 60


def excerpt(value: str, limit: int = EXCERPT_CHARS) -> str:
    """A short, printable excerpt of a value a message quotes: content from a pull request ends
    up in CI logs and annotations, so a message never carries more of it than a writer needs
    to find the spot."""
    text = printable(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A safety net under the per-value excerpts: whatever a rule quotes, one message never carries
# more than this (the longest real message is a few hundred characters).
MAX_MESSAGE_CHARS = 1000


def _bounded(message: str) -> str:
    return excerpt(message, MAX_MESSAGE_CHARS)


def _gh_escape(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


class Diagnostics:
    """An append-only collection that stages share; sorted by file and line when reported."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def error(self, path: str | Path, line: int, col: int, message: str, code: str = "") -> None:
        self._items.append(
            Diagnostic(str(path), line, col, Severity.ERROR, _bounded(message), code))

    def warning(self, path: str | Path, line: int, col: int, message: str, code: str = "") -> None:
        self._items.append(
            Diagnostic(str(path), line, col, Severity.WARNING, _bounded(message), code))

    def note(self, path: str | Path, line: int, col: int, message: str, code: str = "") -> None:
        self._items.append(
            Diagnostic(str(path), line, col, Severity.NOTE, _bounded(message), code))

    def add_all(self, items: list[Diagnostic]) -> None:
        self._items.extend(items)

    def sorted(self) -> list[Diagnostic]:
        # De-duplicate: the same problem reached by two rules is reported once.
        unique = set(self._items)
        return sorted(unique, key=lambda d: (d.path, d.line, d.col, d.severity.value, d.message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.is_warning]

    @property
    def notes(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.NOTE]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())


class ExplainerError(Exception):
    """A problem that stops a command. ``exit_code`` 1 is a content or build error, 2 usage."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class UsageError(ExplainerError):
    exit_code = 2


class ContentError(ExplainerError):
    """Content failed its checks; ``diagnostics`` says where."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []


class BuildError(ExplainerError):
    """MkDocs, mike or git failed; the previous site is left as it was."""


class DeployError(ExplainerError):
    """A deploy was refused or failed."""
