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

from generator.errors import printable


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


def safe_file(folder: Path, candidate: Path, *, root: Path | None = None) -> Path:
    """``candidate`` (a path below ``folder``) if it is a regular file inside ``folder`` after
    resolving links; otherwise :class:`UnsafePath`.

    With ``root`` (the project), ``folder`` itself must be a real folder of the project: a
    ``content/data`` that is a link to ``/home/ci`` would otherwise make every file there look
    "inside"."""
    base = folder.resolve()
    if root is not None:
        try:
            expected = root.resolve() / folder.relative_to(root)
        except ValueError:
            expected = None
        if base != expected:
            raise UnsafePath(f"is in {_shown(folder)}/, which is a link to another folder: "
                             "content folders must be real folders in the project; replace the "
                             "link with the folder itself")
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


def unsafe_entries(folder: Path) -> list[tuple[Path, str]]:
    """Every entry below ``folder`` that a site engine must not follow or open, with the reason:
    links whose target is missing or outside ``folder`` (files or folders), FIFOs, sockets and
    devices. For folders the site engine reads itself (``docs/``, ``templates/``): MkDocs
    follows links there and copies what it finds into the site.

    Links are not walked into; a link to a folder inside ``folder`` is fine, because that
    folder is walked as itself."""
    if not folder.is_dir() or folder.is_symlink():
        return []
    base = folder.resolve()
    found: list[tuple[Path, str]] = []
    for dirpath, dirnames, filenames in os.walk(folder):  # never follows links
        for name in sorted(dirnames + filenames):
            path = Path(dirpath, name)
            try:
                mode = path.lstat().st_mode
            except OSError:
                continue
            if stat.S_ISLNK(mode):
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    found.append((path, "is a link that cannot be resolved: replace it with "
                                        "the file itself"))
                    continue
                if not is_inside(target, base):
                    found.append((path, f"is a link to a file outside {folder.name}/: files "
                                        "the site is built from must be real files in the "
                                        "project; replace the link with the file itself"))
            elif not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                found.append((path, f"is not a regular file ({_kind(mode)}): files the site "
                                    "is built from must be plain files"))
    return sorted(found)


def contained_path(root: Path, path: Path) -> Path:
    """``path`` (absolute, or relative to ``root``) made absolute, if it lies inside ``root``
    with no link on the way from ``root`` down to it (the last part included, when it exists);
    otherwise :class:`UnsafePath`. For caches and other files the build writes: a link planted
    in the way would send the write (or a later read) somewhere else."""
    base = root.resolve()
    full = path if path.is_absolute() else base / path
    try:
        rel = full.relative_to(base)
    except ValueError:
        try:  # `root` given as written, not resolved
            rel = full.relative_to(root.absolute())
        except ValueError:
            raise UnsafePath("lies outside the project: keep it inside the project "
                             "folder") from None
    if any(part in ("..", "") for part in rel.parts):
        raise UnsafePath("contains '..': name it relative to the project, without '..'")
    current = base
    for part in rel.parts:
        current = current / part
        if current.is_symlink():
            raise UnsafePath(f"goes through a link ({printable_path(current, base)}): remove "
                             "the link")
    return current


def printable_path(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` when it lies there (else its name), control characters
    escaped: for messages."""
    try:
        shown = path.relative_to(base).as_posix()
    except ValueError:
        shown = path.name
    return printable(shown)


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
    if ".git" in target.parts and ".git" not in project.parts:  # a parent repository's .git
        return "lies inside a .git folder"
    return None


# The site folder chosen outside the config file: `explainer build --site-dir` and `mkdocs build
# -d` on the command line, or this variable, which the project's mkdocs.yml reads
# (`site_dir: !ENV [EXPLAINER_SITE_DIR, site]`) and `explainer deploy` sets to a temporary folder
# it made itself.
SITE_DIR_VAR = "EXPLAINER_SITE_DIR"

CONFIG_DIR_FIX = {
    "site_dir": "name a folder inside the project (the default is `site_dir: !ENV "
                f"[{SITE_DIR_VAR}, site]`); to build somewhere else, choose it when you run the "
                f"build: `explainer build --site-dir DIR` or {SITE_DIR_VAR}=DIR",
    "docs_dir": "name a folder inside the project (the default is `docs_dir: docs`), a real "
                "folder, not a link to one elsewhere",
}


def config_dir_problem(root: Path, key: str, path: Path) -> str | None:
    """Why the ``site_dir`` or ``docs_dir`` that a site's config file names cannot be used
    (None if it can).

    The config file is code a pull request can change, so what it names must lie inside the
    project: ``path``, with every link on the way resolved, is below the folder holding the
    config file (itself resolved). The engine empties ``site_dir`` and writes the site there (a
    ``site_dir`` naming the picture cache or a home folder would empty it), and publishes every
    file of ``docs_dir`` (a ``docs_dir`` naming ``/etc`` or ``.git`` would publish those).

    A site folder chosen by whoever runs the build is not the config's, and may lie outside
    the project as long as :func:`output_dir_problem` accepts it: ``explainer build
    --site-dir`` (the engine is handed a new temporary folder beside it), ``mkdocs build -d``,
    and :data:`SITE_DIR_VAR`, through which ``explainer deploy`` names the new, empty
    temporary folder it made for mike (in the system's temporary folder) and deletes after.
    The config's own value is read with that variable unset (generator/adapters/mkdocs_run.py:
    config_dir_problems), so ``site_dir: !ENV [EXPLAINER_SITE_DIR, /elsewhere]`` is refused."""
    project = root.resolve()
    target = path.resolve()
    if not is_inside(target, project):
        return "lies outside the project"
    if key == "site_dir":
        return output_dir_problem(root, path)
    if target == project:
        return "is the project folder itself"
    if is_inside(target, project / ".git"):
        return "lies inside the project's .git folder"
    return None
