"""The repository holds nothing tied to one machine: no tracked link leads out of it, and no
tracked text names an absolute path of the machine it was written on."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True,
                         capture_output=True).stdout
    return [name for name in out.decode("utf-8").split("\0") if name]


def test_no_tracked_link_leads_out_of_the_repository() -> None:
    outside = []
    for name in _tracked():
        path = ROOT / name
        if path.is_symlink():
            target = os.readlink(path)
            resolved = (path.parent / target).resolve()
            if os.path.isabs(target) or not resolved.is_relative_to(ROOT):
                outside.append(f"{name} -> {target}")
    assert outside == []


def test_node_modules_is_ignored_as_a_file_or_a_folder() -> None:
    # npm ci makes a folder; a link left by hand is a file to git: neither may be committed.
    for probe in ("node_modules", "node_modules/x"):
        ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", probe], cwd=ROOT)
        assert ignored.returncode == 0, probe
