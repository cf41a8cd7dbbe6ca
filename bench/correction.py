"""Where the seconds of a one-fact correction deploy go.

Makes the synthetic archive (bench/sites.py, cards and charts on), deploys edition 1.0 to a real
bare remote (``explainer deploy --alias latest --push``, cold: empty caches), corrects one cited
count (bench/record.py ``correct``), commits, and deploys 1.1 in this process with every part
of the deploy timed: the check, generation, the engine's build (its page loops), the search
index, planning the edition against the previous one, the commit (git fast-import) and the push.

    .venv/bin/python bench/correction.py --explainers 2000 --keep /tmp/corr
    .venv/bin/python bench/correction.py --explainers 2000 --keep /tmp/corr --again

``--again`` reuses a kept project (its remote and cache): one more correction and deploy. It
asserts nothing; figures go to bench/README.md with the date and the machine's load.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.record import correct, deploy, environment, git, setup

# Forked children print their own parts (their figures never reach this process's table).
_PARENT = os.getpid()
_TIMES: dict[str, float] = defaultdict(float)


def _timed(owner: Any, name: str, label: str) -> None:
    real: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(real)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.monotonic()
        try:
            return real(*args, **kwargs)
        finally:
            took = time.monotonic() - started
            if os.getpid() == _PARENT:
                _TIMES[label] += took
            else:
                print(f"  (in a child process) {label}: {took:.2f} s", file=sys.stderr,
                      flush=True)

    setattr(owner, name, wrapper)


def instrument() -> None:
    from generator.adapters.engine import activate

    activate()
    import mkdocs.commands.build as engine_build

    from generator.adapters import git, git_commit, mkdocs_plugin, search_index
    try:
        from generator.adapters import pagecache
    except ImportError:  # before the page cache
        pagecache = None
    from generator.publish import build, deploy, record

    if hasattr(deploy, "_run_check"):  # before the check ran once
        _timed(deploy, "_run_check", "check (deploy)")
    _timed(build, "check_project", "check (build)")
    _timed(build, "in_child", "check + generate + engine build (child)")
    _timed(mkdocs_plugin, "generate_site", "generate")
    _timed(mkdocs_plugin.ExplainerPlugin, "on_config", "engine on_config (generate inside)")
    _timed(mkdocs_plugin.ExplainerPlugin, "on_files", "engine on_files")
    _timed(engine_build, "build", "engine build (all of it)")
    if pagecache is not None:
        _timed(pagecache.PageCache, "start", "page cache: layout and state")
        _timed(pagecache.PageCache, "write_reused", "page cache: copy reused pages")
        _timed(pagecache.PageCache, "save", "page cache: store rendered pages")
    _timed(search_index, "build_search_index", "search index (Pagefind)")
    _timed(build, "build_site", "build_site (all of it)")
    _timed(git, "sync_branch", "fetch remote")
    _timed(deploy, "_previous", "read versions.json")
    _timed(record, "plan_edition", "plan edition")
    _timed(record, "plan_alias", "plan alias")
    _timed(deploy, "root_not_found", "root 404 page")
    _timed(deploy, "_older_search", "older search indexes")
    _timed(git_commit, "commit_files", "commit (fast-import)")
    _timed(deploy, "_publish", "publish (plan + commit)")
    _timed(deploy, "_counts", "count changed facts")
    _timed(git, "push_branch", "push")


def profiled_deploy(root: Path, version: str, env: dict[str, str]) -> float:
    instrument()
    from generator.publish.deploy import deploy_edition

    os.environ.clear()
    os.environ.update(env)
    os.chdir(root)
    _TIMES.clear()
    started = time.monotonic()
    result = deploy_edition(root=root, version=version, aliases=["latest"], push=True)
    took = time.monotonic() - started
    print(result.summary())
    print("\n| part | seconds |\n|---|---|")
    for label, seconds in _TIMES.items():
        print(f"| {label} | {seconds:.2f} |")
    print(f"| **deploy in all** | **{took:.2f}** |")
    return took


def next_version(root: Path, env: dict[str, str]) -> int:
    out = subprocess.run(["git", "show", "gh-pages:versions.json"], cwd=root, env=env,
                         capture_output=True, text=True, check=False).stdout
    import json

    versions = json.loads(out) if out else []
    return 1 + max((int(v["version"].split(".")[1]) for v in versions), default=-1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--explainers", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="work in this folder and leave it there")
    parser.add_argument("--again", action="store_true",
                        help="reuse the kept project: one more correction and deploy")
    parser.add_argument("--fact", type=int, default=0, help="the explainer corrected")
    args = parser.parse_args()
    print(f"bench/correction.py, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load "
          f"{os.getloadavg()[0]:.2f}, {args.explainers:,} explainers", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-correction-") as tmp:
        base = args.keep / str(args.explainers) if args.keep else Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        env = environment(base)
        root = base / "project"
        if not args.again:
            started = time.monotonic()
            root = setup(base, args.explainers, env)
            print(f"project made in {time.monotonic() - started:.1f} s", flush=True)
            took = deploy(root, "1.0", env)
            print(f"first deploy (cold, a child process): {took:.1f} s", flush=True)
        week = next_version(root, env)
        correct(root, args.fact, 1000 + week)
        git(root, "commit", "--quiet", "-am", f"correction {week}", env=env)
        print(f"\nA one-fact correction deployed as 1.{week} (this process, load "
              f"{os.getloadavg()[0]:.2f}):\n", flush=True)
        profiled_deploy(root, f"1.{week}", env)


if __name__ == "__main__":
    main()
