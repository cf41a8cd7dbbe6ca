"""edition.read_published reads many files of one gh-pages commit through one git process
(generator/adapters/gitbatch.py), and falls back to one `git cat-file` per file otherwise."""

from __future__ import annotations

import subprocess

import pytest

from generator.adapters import edition as ed
from generator.adapters import gitbatch
from tests.deploykit import commit_all, commit_branch, git, init_repo, use_git_env


@pytest.fixture
def pages(tmp_path, monkeypatch):
    env = use_git_env(monkeypatch, tmp_path / "home")
    root = init_repo(tmp_path / "project", env)
    (root / "x.txt").write_text("x\n")
    commit_all(root, "content", env)
    files = {f"1.0/data/explainers/s{i}.json": f'{{"n": {i}}}\n' for i in range(50)}
    files["1.0/data/explainers/odd name missing.json"] = "spaces\n"
    commit_branch(root, "gh-pages", files, env)
    gitbatch.close()
    yield root, git(root, "rev-parse", "gh-pages", env=env)
    gitbatch.close()


def count_processes(monkeypatch) -> dict[str, int]:
    """Batch processes started, and one-off git runs (subprocess.run starts a Popen of its own,
    not counted as a batch)."""
    counts = {"Popen": 0, "run": 0}
    popen, run = subprocess.Popen, subprocess.run

    def counting_popen(*args, **kwargs):
        counts["Popen"] += "--batch" in args[0]
        return popen(*args, **kwargs)

    def counting_run(*args, **kwargs):
        counts["run"] += 1
        return run(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counting_popen)
    monkeypatch.setattr(subprocess, "run", counting_run)
    return counts


def test_fifty_reads_of_one_commit_start_one_batch_process(pages, monkeypatch):
    root, commit = pages
    counts = count_processes(monkeypatch)
    for i in range(50):
        assert ed.read_published(root, commit, "1.0", f"data/explainers/s{i}.json") == \
            f'{{"n": {i}}}\n'.encode()
    assert ed.read_published(root, commit, "1.0", "data/explainers/none.json") is None
    assert ed.read_published(root, commit, "1.0", "data/explainers") is None  # a folder
    assert ed.read_published(root, commit, "1.0",
                             "data/explainers/odd name missing.json") == b"spaces\n"
    # One batch process, and one listing per folder asked about (1.0/data/explainers, 1.0/data
    # for the folder read as a file, and _record for the edition's manifest, read once to look
    # for the files 1.0 does not have: generator/adapters/manifest.py).
    assert counts == {"Popen": 1, "run": 3}


def test_a_branch_name_or_a_dead_process_falls_back_to_one_read_each(pages, monkeypatch):
    root, commit = pages
    counts = count_processes(monkeypatch)
    # A name, not a commit id, can move: read the ordinary way.
    assert ed.read_published(root, "gh-pages", "1.0", "data/explainers/s1.json") == \
        b'{"n": 1}\n'
    assert counts == {"Popen": 0, "run": 1}
    assert ed.read_published(root, commit, "1.0", "data/explainers/s2.json") == b'{"n": 2}\n'
    assert gitbatch._reader is not None
    gitbatch._reader.proc.kill()
    gitbatch._reader.proc.wait()
    assert ed.read_published(root, commit, "1.0", "data/explainers/s3.json") == b'{"n": 3}\n'
    assert counts == {"Popen": 1, "run": 3}  # + the listing, + the fallback
