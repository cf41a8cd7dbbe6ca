"""Files the content names or the loader finds: regular files inside their folder, nothing else.

Content arrives in pull requests, so a file under ``content/`` may be a symbolic link to
``.git/config`` (where CI keeps its token), to ``/etc``, or a FIFO that blocks a reader forever.
Every content and data file is therefore checked before it is opened:

* the name is relative, without ``..`` or empty parts;
* after resolving links it lies inside the folder it was looked up in (``content/data/`` for a
  chart's CSV, ``content/`` or ``charts/`` for YAML): a link to a file in that same folder is fine,
  a link anywhere else (``.git/``, ``site/``, outside the project) is refused;
* it is a regular file: folders, devices, FIFOs and sockets are refused;
* it is opened without following a last-moment link and without blocking, and read with a cap.

Refusals say what is wrong with the *name*; they never quote the target or its content.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath


class UnsafePath(Exception):
    """A file the content names or the loader found cannot be read safely; ``reason`` says why
    (with the fix), and never quotes where a link points or what the file holds."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def is_inside(path: Path, folder: Path) -> bool:
    """True when ``path`` is ``folder`` or lies below it, both taken literally (resolve first)."""
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def check_name(name: str) -> PurePosixPath:
    """A relative file name as written in content: no absolute path, ``..``, or empty part."""
    if not name or "\\" in name or "\x00" in name:
        raise UnsafePath("is not a plain relative file name: use forward slashes, e.g. "
                         "`prices/2023.csv`")
    pure = PurePosixPath(name)
    if pure.is_absolute():
        raise UnsafePath("is an absolute path: name the file relative to its folder")
    if any(part in ("..", ".", "") for part in name.split("/")):
        raise UnsafePath("contains '..' or '.' or an empty part: name the file relative to its "
                         "folder, without '..'")
    return pure


def safe_file(folder: Path, candidate: Path) -> Path:
    """``candidate`` (a path below ``folder``) if it is a regular file inside ``folder`` after
    resolving links; otherwise :class:`UnsafePath`."""
    base = folder.resolve()
    try:
        resolved = candidate.resolve(strict=True)
    except FileNotFoundError:
        if candidate.is_symlink():
            raise UnsafePath("is a link to a file that does not exist: replace the link with "
                             "the file itself") from None
        raise
    except (OSError, RuntimeError):  # a link loop
        raise UnsafePath("is a link that cannot be resolved: replace it with the file "
                         "itself") from None
    if not is_inside(resolved, base):
        raise UnsafePath(f"is a link to a file outside {_shown(folder)}/: content files must be "
                         "real files in the project; replace the link with the file itself")
    mode = os.stat(resolved).st_mode
    if not stat.S_ISREG(mode):
        raise UnsafePath(f"is not a regular file ({_kind(mode)}): content files must be plain "
                         "files")
    return resolved


def read_capped(path: Path, max_bytes: int) -> bytes:
    """Read a file checked by :func:`safe_file`: no link followed at the last moment, no block
    on a FIFO swapped in, never more than ``max_bytes`` (:class:`TooLarge` above that)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnsafePath(f"cannot be opened ({exc.strerror}): make it a plain, readable "
                         "file") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath(f"is not a regular file ({_kind(info.st_mode)}): content files "
                             "must be plain files")
        if info.st_size > max_bytes:
            raise TooLarge(info.st_size)
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(len(data))
    return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a plain file"


def _shown(folder: Path) -> str:
    parts = folder.parts
    # Only the project-relative tail is shown ("content/data"), never an absolute path.
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] in ("content", "charts"):
            return "/".join(parts[i:])
    return folder.name


# Folders a build may never replace, write into or sit above: the writers' work and the code.
PROTECTED = ("content", "charts", "docs", "templates", "generator", ".git")


def output_dir_problem(root: Path, out: Path) -> str | None:
    """Why ``out`` cannot be an output folder of the project at ``root`` (None if it can).

    A build replaces its site folder whole, so a site folder that is the project, holds it, or
    lies inside the writers' folders or .git would delete them."""
    project = root.resolve()
    target = out.resolve()
    if target.exists() and not target.is_dir():
        return "is a file, not a folder"
    if target == project:
        return "is the project folder itself"
    if is_inside(project, target):
        return "contains the project folder"
    for name in PROTECTED:
        if is_inside(target, project / name):
            return f"lies inside the project's {name}/ folder"
    return None
