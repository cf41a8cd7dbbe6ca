"""Where the memory of ``explainer build`` goes, by stage (prints figures; asserts nothing).

    python bench/memory.py --count 2000 [--cards] [--tracemalloc] [--root DIR]

Builds a synthetic project (bench/synth.py) with ``build_site`` in a fresh process while a
thread samples the process's resident memory (``/proc/self/statm``) every 50 ms; the
explainer plugin's hooks mark the stages (check, generation, MkDocs reading pages, writing
pages, search index). Prints the RSS when each stage starts and the peak within it, the peak
RSS of the whole build and of its children (Pagefind). ``--tracemalloc`` also lists the
Python allocations alive when MkDocs has read and converted every page and starts
writing them (the build's high-water mark), by line: slow, for finding what holds memory,
not for timing.
Social cards are off unless ``--cards`` (bench/cards.py measures them).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import sites

REPO = Path(__file__).resolve().parent.parent

_PROBE = r"""
import json, os, resource, sys, threading, time, tracemalloc
sys.path.insert(0, {repo!r})
PAGE = os.sysconf("SC_PAGE_SIZE")
trace = {trace!r}
if trace:
    tracemalloc.start(4)
stages = []  # (name, rss at start, peak within)
state = {{"peak": 0, "stage_peak": 0}}
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE
def sample():
    while True:
        value = rss()
        state["peak"] = max(state["peak"], value)
        state["stage_peak"] = max(state["stage_peak"], value)
        time.sleep(0.05)
threading.Thread(target=sample, daemon=True).start()
import ctypes, gc
trim = {trim!r}
libc = ctypes.CDLL("libc.so.6") if trim else None
def mark(name):
    value = rss()
    if trim:  # what is live, not what the allocator kept: collect, give free pages back
        gc.collect()
        libc.malloc_trim(0)
        name = f"{{name}} [trimmed {{rss() / 2**20:,.0f}}]"
    if stages:
        stages[-1][2] = max(state["stage_peak"], value)
    state["stage_peak"] = value
    stages.append([name, value, value])
top = []
snapshot_at = "MkDocs renders and writes pages"
from generator.adapters.engine import activate
activate()
from generator.adapters import mkdocs_plugin as mp
def wrap(name, label, once=False):
    original = getattr(mp.ExplainerPlugin, name)
    seen = []
    def hook(self, *args, **kwargs):
        if not (once and seen):
            seen.append(1)
            mark(label)
            if label == snapshot_at and trace:
                snap = tracemalloc.take_snapshot()
                stats = snap.statistics("lineno")
                top.extend(f"{{s.size / 2**20:8.1f}} MiB {{s.count:>9}} {{s.traceback[0]}}"
                           for s in stats[:25])
        return original(self, *args, **kwargs)
    setattr(mp.ExplainerPlugin, name, hook)
wrap("on_config", "generate (on_config)")
wrap("on_files", "files (on_files)")
wrap("on_pre_page", "MkDocs reads and converts pages", once=True)
wrap("on_page_context", "MkDocs renders and writes pages", once=True)
wrap("on_post_build", "search index (Pagefind)")
import generator.check.run as check_run
from generator.publish import build as publish
original_check = publish.check_project
def check(*a, **k):
    mark("check")
    return original_check(*a, **k)
publish.check_project = check
from pathlib import Path
started = time.perf_counter()
publish.build_site(root=Path({root!r}), site_dir=Path({site!r}))
mark("done")
seconds = time.perf_counter() - started
print(json.dumps({{"seconds": seconds, "peak": state["peak"],
                  "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
                  "stages": stages, "top": top}}))
"""


def probe(root: Path, site: Path, *, trace: bool, trim: bool = False,
          env: dict[str, str] | None = None) -> dict[str, object]:
    code = _PROBE.format(repo=str(REPO), root=str(root), site=str(site), trace=trace,
                         trim=trim)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, env={**os.environ, **(env or {})})
    if done.returncode != 0:
        raise RuntimeError(f"build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _mib(n: object) -> str:
    return f"{int(n) / 2**20:,.0f}"  # type: ignore[call-overload]


def report(count: int, result: dict[str, object]) -> None:
    print(f"{count} explainers: {result['seconds']:.1f} s, peak RSS {_mib(result['peak'])} MiB "
          f"(ru_maxrss {_mib(result['maxrss'])}), children (Pagefind) "
          f"{_mib(result['children'])} MiB")
    print(f"  {'stage':<48} {'RSS at start':>12} {'peak in stage':>13}")
    for name, start, peak in result["stages"]:  # type: ignore[attr-defined]
        print(f"  {name:<48} {_mib(start):>12} {_mib(peak):>13}")
    top = result.get("top") or []
    if top:
        print("  Python allocations alive when MkDocs starts writing pages (tracemalloc, by "
              "line):")
        for line in top:  # type: ignore[attr-defined]
            print("   ", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--cards", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--trim", action="store_true",
                        help="at each stage, collect garbage and return free memory to the "
                        "system first (glibc malloc_trim), and print what is left")
    parser.add_argument("--root", type=Path, help="reuse (or keep) the synthetic project here")
    args = parser.parse_args()
    sites.quiet_mkdocs()
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        root = args.root or Path(tmp) / "project"
        if not (root / "mkdocs.yml").is_file():
            sites.make_root(root, args.count)
            if not args.cards:
                sites.cards_off(root)
        os.environ.setdefault("EXPLAINER_CACHE_DIR", str(Path(tmp) / "cache"))
        report(args.count, probe(root, Path(tmp) / "site", trace=args.tracemalloc,
                                    trim=args.trim))


if __name__ == "__main__":
    main()
