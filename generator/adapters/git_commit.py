"""Write one commit onto a branch from files in memory or on disk, without a checkout.

``explainer deploy`` publishes an edition as one commit on gh-pages: the branch's tree with some
folders replaced. ``git fast-import`` takes the whole change as one stream (a file's bytes are
read once, as they are written) and stores only objects the repository does not have yet, so
an edition of 10,000 pages is one process, not one per file. The commit is made on a scratch
ref and moves the branch only when its tree differs from the parent's: deploying the same build
twice commits nothing.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from generator.adapters.git import GitError, rev, run

PENDING_REF = "refs/explainer/pending"
FALLBACK_IDENT = "explainer deploy <explainer-deploy@localhost>"
FILE_MODE = "100644"


def committer(root: Path) -> str:
    """``Name <email> time zone`` from git's own settings, else a plain deploy identity (a CI
    runner often has no user.name)."""
    proc = run(root, "var", "GIT_COMMITTER_IDENT", check=False)
    ident = proc.stdout.decode("utf-8", "replace").strip()
    if proc.returncode == 0 and ident:
        return ident
    return f"{FALLBACK_IDENT} {int(time.time())} +0000"


def quoted(path: str) -> str:
    """A path as fast-import reads it: C-style quoted when it has a quote, backslash or line
    break (fast-import would otherwise read it wrongly)."""
    if any(c in path for c in '"\\\n') or path.startswith('"'):
        escaped = path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    return path


def _data(out: IO[bytes], payload: bytes) -> None:
    out.write(b"data %d\n" % len(payload))
    out.write(payload)
    out.write(b"\n")


def commit_files(root: Path, branch: str, parent: str | None, *, remove: Sequence[str],
                 files: Mapping[str, Path | bytes], message: str) -> str | None:
    """Commit ``parent``'s tree without the ``remove`` paths (folders go whole) and with
    ``files`` (path -> bytes, or a file to read) onto ``branch``; the new commit, or None when
    the tree would be the parent's (nothing committed)."""
    run(root, "update-ref", "-d", PENDING_REF, check=False)
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], cwd=root,
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=errors, env={**os.environ, "LC_ALL": "C"})
        assert proc.stdin is not None
        out = proc.stdin
        try:
            out.write(f"commit {PENDING_REF}\ncommitter {committer(root)}\n".encode())
            _data(out, message.encode("utf-8"))
            if parent:
                out.write(f"from {parent}\n".encode())
            for path in remove:
                out.write(f"D {quoted(path)}\n".encode())
            for path, content in files.items():
                out.write(f"M {FILE_MODE} inline {quoted(path)}\n".encode())
                _data(out, content if isinstance(content, bytes) else content.read_bytes())
            out.write(b"done\n")
            out.close()
        except BrokenPipeError:
            pass
        code = proc.wait()
        if code != 0:
            errors.seek(0)
            text = errors.read().decode("utf-8", "replace").strip()
            raise GitError(f"git fast-import failed: {text or f'exit {code}'}")
    made = rev(root, PENDING_REF)
    run(root, "update-ref", "-d", PENDING_REF, check=False)
    if made is None:
        raise GitError("git fast-import made no commit")
    if parent and _tree(root, made) == _tree(root, parent):
        return None
    run(root, "update-ref", f"refs/heads/{branch}", made, parent or "")
    return made


def _tree(root: Path, commit: str) -> str:
    return run(root, "rev-parse", f"{commit}^{{tree}}").stdout.decode().strip()
