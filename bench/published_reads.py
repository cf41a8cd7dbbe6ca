"""What reading the previous edition's files costs a build: every explainer's data file is read
from gh-pages (its update notes carry on, generator/render/articlenotes.py), through
``edition.read_published``. Compares one ``git cat-file blob`` per file with the batch reader
that ``read_published`` uses (generator/adapters/gitbatch.py).

Run: ``.venv/bin/python bench/published_reads.py [--files 1000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.adapters import edition, git  # noqa: E402


def make_pages(root: Path, files: int) -> str:
    folder = root / "1.0" / "data" / "explainers"
    folder.mkdir(parents=True)
    for i in range(files):
        (folder / f"s{i}.json").write_text(f'{{"slug": "s{i}", "updates": []}}\n')
    env = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@example.invalid",
               GIT_COMMITTER_NAME="b", GIT_COMMITTER_EMAIL="b@example.invalid")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "pages"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)
    commit = git.rev(root, "HEAD")
    assert commit
    return commit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    files = parser.parse_args().files
    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()[0]:.1f}, "
          f"{files} data files")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        commit = make_pages(root, files)
        paths = [f"data/explainers/s{i}.json" for i in range(files)]
        for label, read in (
                ("git cat-file blob, one process a file",
                 lambda p: git.show(root, commit, f"1.0/{p}")),
                ("edition.read_published (one cat-file --batch)",
                 lambda p: edition.read_published(root, commit, "1.0", p))):
            start = time.perf_counter()
            for path in paths:
                assert read(path) is not None
            seconds = time.perf_counter() - start
            print(f"  {label}: {seconds:.2f} s ({seconds / files * 1000:.2f} ms a file)")


if __name__ == "__main__":
    main()
