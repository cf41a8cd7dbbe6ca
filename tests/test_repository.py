"""The repository holds nothing tied to one machine: no tracked link leads out of it, and no
tracked text names an absolute path of the machine it was written on."""

from __future__ import annotations

import os
import subprocess
import sys
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


def test_tests_marked_with_one_xdist_group_run_in_one_worker(tmp_path: Path) -> None:
    # `make test` runs `-n 2 --dist loadgroup`: tests that share a built site (a module fixture)
    # carry one xdist_group so the site is built once. pytest 9.2 with pytest-xdist 3.8.0
    # ignored the groups (every such site was built in both workers): this fails the day an
    # upgrade of either brings that back.
    (tmp_path / "test_grouped.py").write_text(
        "import os\n"
        "import pytest\n\n"
        "pytestmark = [pytest.mark.xdist_group('one')]\n\n"
        "@pytest.mark.parametrize('n', range(6))\n"
        "def test_n(n):\n"
        "    with open('workers.txt', 'a') as f:\n"
        "        f.write(os.environ['PYTEST_XDIST_WORKER'] + '\\n')\n", "utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", "utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup",
                          "-p", "no:cacheprovider", "test_grouped.py"], cwd=tmp_path,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    workers = (tmp_path / "workers.txt").read_text("utf-8").split()
    assert len(workers) == 6 and len(set(workers)) == 1, workers
