"""Read many files of one git commit through one ``git cat-file --batch`` process.

A new edition reads every explainer's data file from the previous edition (its notes carry on,
generator/render/articlenotes.py): one ``git cat-file blob`` per file is a process each, seconds
per thousand explainers. Here each folder is listed once (``git ls-tree``) and each file is read
by its object id from one ``git cat-file --batch`` process, in well under a millisecond.

Only a full commit id is read this way (its files never change), one reader at a time: a new
commit closes the reader of the last one. Anything unexpected (git missing, the process gone,
an odd answer) returns ``FAILED``, and the caller reads the file the ordinary way.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import subprocess
import threading
from pathlib import Path
from typing import IO, Final

FULL_ID = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
FAILED: Final = b"\0failed"  # not a file's bytes: the caller falls back


class _Reader:
    def __init__(self, root: Path, commit: str) -> None:
        self.key = (str(root), commit)
        self.env = env = dict(os.environ, LC_ALL="C", GIT_TERMINAL_PROMPT="0")
        # folder -> name -> (type, object id): a path is looked up in its folder's listing,
        # made once, since git resolving "commit:path" scans the folder's whole tree each time.
        self.folders: dict[str, dict[str, tuple[str, str]]] = {}
        self.proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=root, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)

    def read(self, commit: str, path: str) -> bytes | None:
        folder, _, name = path.rpartition("/")
        if folder not in self.folders:
            self.folders[folder] = _listing(Path(self.key[0]), commit, folder, self.env)
        found = self.folders[folder].get(name)
        if found is None or found[0] != "blob":
            return None
        stdin, stdout = self.proc.stdin, self.proc.stdout
        assert stdin is not None and stdout is not None
        stdin.write(f"{found[1]}\n".encode())
        stdin.flush()
        line = stdout.readline()
        if line.endswith(b" missing\n"):
            return None
        header = line.split()
        if len(header) != 3 or not header[2].isdigit():
            raise OSError(f"git cat-file --batch answered {header!r}")
        data = _read_exactly(stdout, int(header[2]))
        _read_exactly(stdout, 1)  # the newline after the contents
        return data if header[1] == b"blob" else None

    def close(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        self.proc.wait()


def _listing(root: Path, commit: str, folder: str,
             env: dict[str, str]) -> dict[str, tuple[str, str]]:
    """The entries of ``folder`` at ``commit`` (none when it is not a folder there)."""
    # --full-tree: from a project in a subfolder, ls-tree would list only that subfolder.
    proc = subprocess.run(["git", "ls-tree", "--full-tree", "-z", f"{commit}:{folder}"],
                          cwd=root, env=env, capture_output=True, check=False)
    if proc.returncode != 0:
        return {}
    entries = {}
    for record in proc.stdout.decode("utf-8", "surrogateescape").split("\0"):
        meta, tab, name = record.partition("\t")
        parts = meta.split()
        if tab and len(parts) == 3:
            entries[name] = (parts[1], parts[2])
    return entries


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise OSError("git cat-file --batch ended early")
    return data


_reader: _Reader | None = None
_lock = threading.Lock()  # one question and its answer at a time on the one process


def read(root: Path, commit: str, path: str) -> bytes | None:
    """``path`` (from the repository top) at ``commit``: its bytes, None when it is not a file
    there, ``FAILED`` when the batch could not answer."""
    global _reader
    if not FULL_ID.match(commit) or "\n" in path:
        return FAILED
    with _lock:
        try:
            if _reader is None or _reader.key != (str(root), commit):
                _close()
                _reader = _Reader(root, commit)
            return _reader.read(commit, path)
        except (OSError, ValueError):
            _close()
            return FAILED


def close() -> None:
    with _lock:
        _close()


def _close() -> None:
    global _reader
    if _reader is not None:
        reader, _reader = _reader, None
        with contextlib.suppress(OSError):
            reader.close()


atexit.register(close)
