"""The published record at scale: N weekly editions of a synthetic archive, deployed with
``explainer deploy --push`` to a real bare remote, each correcting facts in some explainers.

Prints, at the edition counts asked for (``--editions 1 10 52`` is one run of 52 deploys, read at
1, 10 and 52): what the first edition costs per explainer by part, what gh-pages serves in all
(every file of its tree), that against one edition, the remote's pack after ``git gc``, what the
``latest`` alias costs, and seconds per deploy (the first one cold: an empty picture cache, as
on a fresh CI runner; the rest warm). ``--correction`` then deploys a one-fact correction and
times it.

    .venv/bin/python bench/record.py --explainers 100 --editions 1 10 52
    .venv/bin/python bench/record.py --explainers 1000 --editions 1 10 --changed 20

It asserts nothing; figures go to bench/README.md with the date and the machine's load.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.sites import make_root

VENV_BIN = Path(sys.executable).parent
PARTS = ("cards", "charts", "data", "facts", "sources", "pagefind", "assets", "search")


def git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=True).stdout


def environment(base: Path) -> dict[str, str]:
    home = base / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "gitconfig").write_text("[init]\n\tdefaultBranch = main\n")
    env = dict(os.environ)
    env.update(GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.invalid",
               GIT_CONFIG_GLOBAL=str(home / "gitconfig"), GIT_CONFIG_NOSYSTEM="1",
               HOME=str(home), NO_MKDOCS_2_WARNING="1",
               EXPLAINER_CACHE_DIR=str(base / "cache"))
    for var in ("EXPLAINER_EDITION", "EXPLAINER_PAGES_REF", "MIKE_DOCS_VERSION",
                "EXPLAINER_SITE_DIR", "SOURCE_DATE_EPOCH"):
        env.pop(var, None)
    return env


def correct(root: Path, explainer: int, week: int) -> None:
    """Correct the first count of explainer ``explainer``, with a correction note."""
    path = root / f"content/facts/f{explainer:05d}.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: f_{explainer}_0\n")
    end = text.find("  - id:", start + 1)
    block = text[start:end if end >= 0 else len(text)]
    block = re.sub(r"    correction: [^\n]*\n", "", block)
    value = re.search(r"    value: (\d+)\n", block)
    assert value is not None
    block = block.replace(value.group(0), f"    value: {int(value.group(1)) + 1}\n"
                          f"    correction: Revised in week {week}.\n", 1)
    path.write_text(text[:start] + block + (text[end:] if end >= 0 else ""), encoding="utf-8")


def tree_sizes(remote: Path, env: dict[str, str]) -> dict[str, int]:
    """path -> bytes, every file gh-pages serves."""
    out = git(remote, "ls-tree", "-r", "-l", "-z", "gh-pages", env=env)
    sizes = {}
    for entry in out.split("\0"):
        if entry:
            meta, path = entry.split("\t", 1)
            sizes[path] = int(meta.split()[3])
    return sizes


def part_of(path: str, slugs_re: re.Pattern[str]) -> str:
    top = path.split("/", 1)[0]
    if top in PARTS:
        return top
    if slugs_re.match(path):
        return "explainer pages"
    if path.endswith((".xml", ".json", ".gz")) and "/" not in path:
        return "feeds+sitemap"
    return "other pages" if path.endswith(".html") else "other files"


def edition_parts(sizes: dict[str, int], folder: str) -> dict[str, int]:
    slugs = re.compile(r"topic-\d{5}/")
    parts: dict[str, int] = defaultdict(int)
    prefix = folder + "/"
    for path, size in sizes.items():
        if path.startswith(prefix):
            parts[part_of(path[len(prefix):], slugs)] += size
    return dict(parts)


def pack_bytes(remote: Path, env: dict[str, str]) -> int:
    git(remote, "gc", "--quiet", env=env)
    stats = git(remote, "count-objects", "-v", env=env)
    return int(re.search(r"size-pack: (\d+)", stats).group(1)) * 1024  # type: ignore[union-attr]


def deploy(root: Path, version: str, env: dict[str, str]) -> float:
    started = time.monotonic()
    proc = subprocess.run([str(VENV_BIN / "explainer"), "deploy", version, "--alias", "latest",
                           "--push"], cwd=root, env=env, capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise SystemExit(f"deploy {version} failed:\n{proc.stderr}")
    return time.monotonic() - started


def mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def setup(base: Path, count: int, env: dict[str, str]) -> Path:
    """The synthetic archive of ``count`` explainers committed in ``base/project``, with a bare
    remote ``base/remote.git`` as its origin; returns the project."""
    root = make_root(base / "project", count)
    git(root, "init", "--quiet", env=env)
    git(root, "add", "-A", env=env)
    git(root, "commit", "--quiet", "-m", "archive", env=env)
    remote = base / "remote.git"
    git(base, "init", "--quiet", "--bare", str(remote), env=env)
    git(root, "remote", "add", "origin", str(remote), env=env)
    return root


def run(count: int, editions: list[int], changed: int, correction: bool,
        keep: Path | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-record-") as tmp:
        base = keep / str(count) if keep else Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        env = environment(base)
        root = setup(base, count, env)
        remote = base / "remote.git"
        seconds: list[float] = []
        print(f"\n## {count:,} explainers, {changed} corrected per edition\n")
        print("| editions | one edition | per explainer | served in all | x one edition | "
              "pack | latest alias | first deploy (cold) | later deploys (warm, mean) |")
        print("|---|---|---|---|---|---|---|---|---|")
        first_size = 0
        for week in range(1, max(editions) + 1):
            if week > 1:
                # Corrections fall anywhere in the archive, as a newsroom's do (neighbours
                # would share index pages and download parts, and flatter the figures).
                for explainer in random.Random(week).sample(range(count), min(changed, count)):
                    correct(root, explainer, week)
                git(root, "commit", "--quiet", "-am", f"week {week}", env=env)
            seconds.append(deploy(root, f"1.{week - 1}", env))
            if week not in editions:
                continue
            sizes = tree_sizes(remote, env)
            if week == 1:
                first_size = sum(s for p, s in sizes.items() if p.startswith("1.0/"))
                parts = edition_parts(sizes, "1.0")
            served = sum(sizes.values())
            latest = sum(s for p, s in sizes.items() if p.startswith("latest/"))
            warm = seconds[1:]
            print(f"| {week} | {mb(first_size)} | {first_size / count / 1e3:.1f} KB | "
                  f"{mb(served)} | {served / first_size:.2f} | {mb(pack_bytes(remote, env))} | "
                  f"{latest / 1e3:.0f} KB ({100 * latest / first_size:.1f}%) | "
                  f"{seconds[0]:.1f} s | "
                  + (f"{sum(warm) / len(warm):.1f} s |" if warm else "- |"))
        print("\nThe first edition by part, per explainer:\n")
        for part, size in sorted(parts.items(), key=lambda kv: -kv[1]):
            print(f"- {part}: {size / count / 1e3:.1f} KB ({mb(size)})")
        if correction:
            correct(root, 0, 999)
            git(root, "commit", "--quiet", "-am", "one correction", env=env)
            took = deploy(root, f"1.{max(editions)}", env)
            print(f"\nA one-fact correction, built and deployed (pushed): {took:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--explainers", type=int, nargs="+", default=[100])
    parser.add_argument("--editions", type=int, nargs="+", default=[1, 10, 52])
    parser.add_argument("--changed", type=int, default=20, help="explainers corrected a week")
    parser.add_argument("--correction", action="store_true",
                        help="then time a one-fact correction deploy")
    parser.add_argument("--keep", type=Path, help="work in this folder and leave it there")
    args = parser.parse_args()
    print(f"bench/record.py, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load "
          f"{os.getloadavg()[0]:.2f}")
    for count in args.explainers:
        run(count, sorted(set(args.editions)), min(args.changed, count), args.correction,
            args.keep)


if __name__ == "__main__":
    main()
