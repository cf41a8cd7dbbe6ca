"""Build benchmarks against the project's scale targets (prints figures; asserts nothing).

    python bench/build.py [--sizes 100 1000 10000] [--repeat 3] [--no-http] [--no-hugo]
                          [--compare-up-to 1000]

For each size, on a synthetic project (bench/synth.py: the repo's docs/ and mkdocs.yml, a chart
every tenth explainer):

1. check and generation: ``check_project``, then ``generate_site`` (no MkDocs), in process;
2. full: ``build_site`` (check + generate + strict MkDocs build with the plugin) in a fresh
   Python process each run, which reports its seconds; the first build of a bench run exports
   the synthetic charts' static pictures into the bench's own cache and is reported apart
   ("first"). Peak memory comes from one more build that samples it: sampling /proc every 0.2 s
   takes CPU from a build that uses both cores (1 s of 13 at 1,000 explainers), so timed builds
   do not sample. A size built once (above ``--compare-up-to``) samples its one build;
3. full with Python-Markdown (``EXPLAINER_MARKDOWN=python``): the same build with the generated
   pages converted as before generator/adapters/fastmd.py, run once;
4. plain: a strict in-process MkDocs build of the same generated Markdown (same nav, theme,
   features, CSS/JS) without the explainer plugin;
5. Hugo 0.168 (`make bench` installs it) on the same Markdown pages, minimal layout in which
   every page lists every page;
6. from the built site: the largest HTML page (bytes, gzip) and the search bytes a reader
   fetches for one query (Material's search fetches its whole index);
7. preview after one fact edit (one fact value in one facts file): MkDocs' serve rebuild
   in-process with counters, and ``explainer serve`` over HTTP until the page shows the value.

Sizes above ``--compare-up-to`` run once and skip 3-5 (plain MkDocs and Hugo would each take
minutes there, and Hugo's every-page menu grows with the square of the pages); the report says
so. Runs of full and plain alternate, so a busy neighbour on the machine slows both alike; the
load average is printed with every size.
Targets (issue 11): full <= 3 x Hugo at 1,000 explainers; one fact edit reaches the open page
in <= 1 s at 1,000; peak memory <= 2 GiB at 10,000.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from bench import preview as pv
from bench import sites
from generator.check.run import check_project
from generator.render.site import generate_site

REPO = Path(__file__).resolve().parent.parent
# One full build in a fresh process: its seconds (imports excluded) and, asked to, its memory.
# A thread samples every 0.2 s, as PSS (a page shared by several processes counted once, so a
# forked child and its parent are not counted twice): the build's Python processes (`explainer
# build` forks the build proper, which forks a second page process: generator/forks.py), the
# other child processes (Pagefind; Chromium when charts are drawn), and their sum at
# one moment, which is what the machine must hold. (ru_maxrss would count inherited pages
# again.)
_FULL = """
import json, os, sys, threading, time
sys.path.insert(0, {repo!r})
PAGE = os.sysconf("SC_PAGE_SIZE")
ME = os.getpid()
EXE = os.readlink("/proc/self/exe")
def rss(pid):  # proportional: pages shared between processes (Chromium's) counted once
    try:
        with open(f"/proc/{{pid}}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0
def children(pid):
    found = []
    try:
        for task in os.listdir(f"/proc/{{pid}}/task"):
            with open(f"/proc/{{pid}}/task/{{task}}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found + [d for c in found for d in children(c)]
peak = {{"python": 0, "both": 0, "children": 0}}
def sample():
    while True:
        python, kids = rss(ME), 0
        for child in children(ME):
            try:
                same = os.readlink(f"/proc/{{child}}/exe") == EXE
            except OSError:
                continue
            if same:
                python += rss(child)
            else:
                kids += rss(child)
        peak["python"] = max(peak["python"], python)
        peak["both"] = max(peak["both"], python + kids)
        peak["children"] = max(peak["children"], kids)
        time.sleep(0.2)
if {sample!r}:
    threading.Thread(target=sample, daemon=True).start()
from generator.publish.build import build_site
from pathlib import Path
started = time.perf_counter()
build_site(root=Path({root!r}), site_dir=Path({site!r}))
seconds = time.perf_counter() - started
print(json.dumps({{"seconds": seconds,
                  "rss_mb": peak["python"] / 2**20,
                  "children_mb": peak["children"] / 2**20,
                  "both_mb": peak["both"] / 2**20}}))
"""


def clock(func: Callable[[], object]) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def full_build(root: Path, site: Path, *, sample: bool = False, **env: str
               ) -> tuple[float, float]:
    """Seconds and, when it ``sample``s, peak memory (MiB, PSS) of one ``build_site`` in a
    fresh Python process, its own and its forked children's. The other children's peak
    (Pagefind; Chromium when charts are drawn) is kept in ``CHILDREN_MB``, all of them
    at one moment in ``BOTH_MB``."""
    code = _FULL.format(repo=str(REPO), root=str(root), site=str(site), sample=sample)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **env}, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"build failed:\n{done.stdout}\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    CHILDREN_MB.append(result["children_mb"])
    BOTH_MB.append(result["both_mb"])
    return result["seconds"], result["rss_mb"]


CHILDREN_MB: list[float] = []  # every full build's children's peak (sampled), in order
BOTH_MB: list[float] = []  # every full build's peak of itself and its children together


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


@dataclass
class Figures:
    count: int
    pages: int = 0
    charts: int = 0
    check: list[float] = field(default_factory=list)
    generate: list[float] = field(default_factory=list)
    first: float | None = None
    full: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    children_mb: list[float] = field(default_factory=list)
    both_mb: list[float] = field(default_factory=list)
    cards: bool = True
    python_md: list[float] = field(default_factory=list)
    plain: list[float] = field(default_factory=list)
    hugo: list[float] = field(default_factory=list)
    hugo_pages: int = 0
    largest: tuple[str, int, int] = ("", 0, 0)  # page, bytes, gzip bytes
    search: tuple[int, int] = (0, 0)  # bytes, gzip bytes
    compared: bool = True
    loads: list[str] = field(default_factory=list)
    preview: pv.PreviewResult | None = None
    http: pv.HttpResult | None = None

    def median(self, name: str) -> float | None:
        values = getattr(self, name)
        return statistics.median(values) if values else None


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def largest_page(site: Path) -> tuple[str, int, int]:
    path = max(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    data = path.read_bytes()
    return path.relative_to(site).as_posix(), len(data), _gzip_size(data)


def search_bytes(site: Path) -> tuple[int, int]:
    """What one query fetches (bytes, gzip). Material's search loads its whole index
    (search/search_index.json). Pagefind (pagefind/, if the site uses it) loads its script,
    entry file, WebAssembly and metadata, then one index chunk and a fragment per result shown:
    estimated here as the largest chunk and five median fragments (its .pf_ files are stored
    gzipped already)."""
    index = site / "search" / "search_index.json"
    if index.is_file():
        data = index.read_bytes()
        return len(data), _gzip_size(data)
    bundle = site / "pagefind"
    if not bundle.is_dir():
        return 0, 0
    fixed = [p for p in bundle.iterdir() if p.is_file() and (
        p.name in ("pagefind.js", "pagefind-entry.json") or p.suffix in (".pagefind", ".pf_meta"))]
    chunks = sorted(p.stat().st_size for p in bundle.glob("index/*.pf_index"))
    fragments = sorted(p.stat().st_size for p in bundle.glob("fragment/*.pf_fragment"))
    packed = sum(_gzip_size(p.read_bytes()) if p.suffix in (".js", ".json") else p.stat().st_size
                 for p in fixed)
    packed += (chunks[-1] if chunks else 0) + 5 * (fragments[len(fragments) // 2]
                                                   if fragments else 0)
    raw = sum(p.stat().st_size for p in fixed) + (chunks[-1] if chunks else 0)
    return raw, packed


def measure(count: int, repeat: int, *, hugo: bool, http: bool, work: Path,
            compare: bool, preview_big: bool, cards: bool = True) -> Figures:
    figures = Figures(count, compared=compare, cards=cards)
    figures.loads.append(load())
    base = work / f"n{count}"
    root = sites.make_root(base / "project", count)
    if not cards:
        sites.cards_off(root)
    figures.charts = len(list((root / "charts").glob("*.yaml")))
    site = base / "site"
    # Exports the charts' pictures into the cache; samples memory when it is the only build.
    seconds, rss = full_build(root, site, sample=not compare)
    figures.first = seconds
    if not compare:  # one build at this size: the first is the full build too
        figures.full.append(seconds)
        figures.rss_mb.append(rss)
        figures.children_mb.append(CHILDREN_MB[-1])
        figures.both_mb.append(BOTH_MB[-1])
    for _ in range(repeat):
        started = time.perf_counter()
        project, diagnostics = check_project(root)
        figures.check.append(time.perf_counter() - started)
        if diagnostics.errors:
            raise RuntimeError("\n".join(d.format() for d in diagnostics.errors))
        figures.generate.append(clock(lambda p=project: generate_site(p)))

    plain_config = None
    if compare:
        project, _ = check_project(root)
        view = sites.explainer_view(root, project, base / "scratch")
        plain_config = sites.write_plain_mkdocs(view, root, base / "plain")
    for _ in range(repeat if compare else 0):
        seconds, _ = full_build(root, site)
        figures.full.append(seconds)
        if plain_config is not None:
            figures.plain.append(clock(lambda: sites.plain_build(plain_config,
                                                                 base / "plain-site")))
            sites.quiet_mkdocs()
    if compare:  # memory, from a build of its own
        figures.rss_mb.append(full_build(root, site, sample=True)[1])
        figures.children_mb.append(CHILDREN_MB[-1])
        figures.both_mb.append(BOTH_MB[-1])
    figures.largest = largest_page(site)
    figures.search = search_bytes(site)
    figures.pages = sum(1 for _ in site.rglob("index.html"))  # generated and hand-written
    if compare:
        figures.python_md.append(full_build(root, base / "site-pm",
                                            EXPLAINER_MARKDOWN="python")[0])
    figures.loads.append(load())

    binary = sites.hugo_binary() if hugo and compare else None
    if binary is not None:
        figures.hugo_pages = sites.write_hugo(view, base / "hugo")
        for _ in range(repeat):
            figures.hugo.append(clock(
                lambda: sites.hugo_build(binary, base / "hugo", base / "hugo-site")))
    elif hugo and compare:
        print("  (Hugo not installed: `make bench` installs it; skipping the Hugo column)")

    # Fresh copies: the preview edits a facts file.
    if not compare and not preview_big:
        http = False
    else:
        figures.preview = pv.preview_in_process(sites.make_root(base / "preview", count), count)
    if http:
        figures.http = pv.preview_over_http(sites.make_root(base / "serve", count), count)
    figures.loads.append(load())
    shutil.rmtree(base, ignore_errors=True)
    return figures


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _kb(n: int) -> str:
    return f"{n / 1024:,.0f}"


def report(all_figures: list[Figures], repeat: int) -> None:
    print(f"\nBuild, seconds (median of {repeat}, sizes above the comparison limit once; "
          f"{os.cpu_count()} cores)")
    print(f"{'explainers':>10} {'pages':>6} {'charts':>6} {'check':>6} {'gen':>6} {'first':>7}"
          f" {'full':>7} {'pages/s':>7} {'rss MiB':>7} {'py-md':>7} {'plain':>7} {'hugo':>6}"
          f" {'full/hugo':>9}")
    for f in all_figures:
        full, hugo = f.median("full"), f.median("hugo")
        vs_hugo = f"{full / hugo:.1f}x" if full and hugo else "-"
        rate = f"{f.pages / full:.0f}" if full else "-"
        rss = f"{max(f.rss_mb):.0f}" if f.rss_mb else "-"
        print(f"{f.count:>10} {f.pages:>6} {f.charts:>6} {_s(f.median('check')):>6} "
              f"{_s(f.median('generate')):>6} {_s(f.first):>7} {_s(full):>7} {rate:>7} {rss:>7}"
              f" {_s(f.median('python_md')):>7} {_s(f.median('plain')):>7} {_s(hugo):>6}"
              f" {vs_hugo:>9}")
    for f in all_figures:
        if f.children_mb:
            print(f"  {f.count}: memory (PSS sampled every 0.2 s, in a build of its own at sizes "
                  "compared): the build's Python processes "
                  f"peaked at {max(f.rss_mb):.0f} MiB (\"rss MiB\"), its other child processes "
                  f"(Pagefind) at {max(f.children_mb):.0f} MiB, all of them together at "
                  f"{max(f.both_mb):.0f} MiB")
        if f.cards:
            print(f"  {f.count}: social cards on: every build paints one per explainer "
                  "(Pillow, milliseconds a card)")
        else:
            print(f"  {f.count}: social cards off (--cards-up-to): painting them costs a few "
                  "milliseconds a card (bench/cards.py)")
        if not f.compared:
            print(f"  {f.count}: one build (the first); plain MkDocs, Python-Markdown and Hugo"
                  " skipped (above --compare-up-to: minutes each)"
                  + ("" if f.preview else "; preview skipped (--preview-big runs it)"))

    print("\nPages and search (KiB)")
    print(f"{'explainers':>10} {'largest page':>22} {'KiB':>8} {'gzip':>7} {'search KiB':>10}"
          f" {'gzip':>7}")
    for f in all_figures:
        name, size, packed = f.largest
        print(f"{f.count:>10} {name:>22} {_kb(size):>8} {_kb(packed):>7} {_kb(f.search[0]):>10}"
              f" {_kb(f.search[1]):>7}")

    print("\nPreview after editing one fact value in one facts file")
    print(f"{'explainers':>10} {'rebuild s':>9} {'http s':>7} {'re-parsed':>12} {'checked':>7} "
          f"{'regenerated':>12} {'changed':>8} {'explainers':>10} {'mkdocs pages':>13} "
          f"{'site files changed':>19}")
    for f in all_figures:
        p = f.preview
        if p is None:
            continue
        http = _s(f.http.seconds) if f.http else "-"
        print(f"{f.count:>10} {p.seconds:>9.2f} {http:>7} "
              f"{f'{p.reparsed}/{p.content_files}':>12} {p.checked:>7} {p.generated:>12} "
              f"{len(p.generated_changed):>8} {p.explainers_rendered:>10} "
              f"{f'{p.pages_built}/{p.pages_total}':>13} "
              f"{f'{p.site_changed}/{p.site_files}':>19}")
    for f in all_figures:
        if f.preview:
            shown = "shows" if f.preview.page_shows_edit else "DOES NOT show"
            print(f"  {f.count}: affected generated files: {', '.join(f.preview.generated_changed)}"
                  f"; the rebuilt page {shown} the edit")
        if f.preview:
            p = f.preview
            print(f"  {f.count}: then one new explainer (the navigation changes): rebuild "
                  f"{p.nav_seconds:.2f} s, {p.nav_explainers_rendered} explainers rendered, "
                  f"{p.nav_pages_built} pages by MkDocs")
        if f.http and f.http.built_in:
            print(f"  {f.count}: explainer serve's MkDocs reported builds of "
                  + ", ".join(f"{s:.1f}" for s in f.http.built_in) + " s")
        print(f"  {f.count}: load average (1/5/15 min) at start, after builds, at end: "
              + "; ".join(f.loads))
    _steps(all_figures)
    _verdicts(all_figures)


def _steps(all_figures: list[Figures]) -> None:
    """Where the preview rebuild's seconds went, per size side by side: a step that grows with
    the archive shows it here."""
    shown = [f.preview for f in all_figures if f.preview and f.preview.steps]
    if not shown:
        return
    print("\nPreview rebuild after the fact edit, seconds per step (check: and gen: steps run "
          "inside check and generate)")
    sizes = [f.count for f in all_figures if f.preview and f.preview.steps]
    print(f"{'step':<42}" + "".join(f"{n:>9}" for n in sizes))
    for label in shown[0].steps:
        print(f"{label:<42}" + "".join(f"{p.steps.get(label, 0):>9.3f}" for p in shown))

    def rest(p: pv.PreviewResult) -> float:
        top = ("check", "generate")
        return p.seconds - sum(v for k, v in p.steps.items()
                               if k in top or k.startswith(("mkdocs:", "plugin:")))

    print(f"{'the rest (MkDocs and plugin, not listed)':<42}"
          + "".join(f"{rest(p):>9.3f}" for p in shown))
    print(f"{'whole rebuild':<42}" + "".join(f"{p.seconds:>9.3f}" for p in shown))


def _verdicts(all_figures: list[Figures]) -> None:
    by_size = {f.count: f for f in all_figures}
    print("\nTargets (issue 11):")
    at = by_size.get(1000)
    if at and at.median("full") and at.median("hugo"):
        ratio = at.median("full") / at.median("hugo")  # type: ignore[operator]
        print(f"  full build within 3x of Hugo at 1,000 explainers: {ratio:.1f}x "
              f"-> {'met' if ratio <= 3 else 'MISSED'}")
    if at and at.http:
        print(f"  one fact edit reaches the open page in <= 1 s at 1,000: {at.http.seconds:.2f} s "
              f"-> {'met' if at.http.seconds <= 1 else 'MISSED'}")
    big = by_size.get(10000)
    if big and big.rss_mb:
        peak = max(big.rss_mb)
        print(f"  peak memory <= 2 GiB at 10,000: {peak:.0f} MiB "
              f"-> {'met' if peak <= 2048 else 'MISSED'}")
        if big.both_mb:
            both = max(big.both_mb)
            print(f"    with its child processes (Pagefind) at the same moment: {both:.0f} MiB "
                  f"-> {'met' if both <= 2048 else 'MISSED'}")
    for f in all_figures:
        name, _, packed = f.largest
        if f.count == 10000 and name:
            print(f"  no generated page > 150 KB gzip at 10,000: {name} {packed / 1000:.0f} KB "
                  f"-> {'met' if packed <= 150_000 else 'MISSED'}")
        if f.count == 10000 and f.search[1]:
            print(f"  search a reader downloads <= 300 KB gzip at 10,000: "
                  f"{f.search[1] / 1000:.0f} KB -> {'met' if f.search[1] <= 300_000 else 'MISSED'}")
    for f in all_figures:
        p = f.preview
        if p:
            only = p.explainers_rendered <= 1 and p.pages_built <= len(p.generated_changed) + 1
            print(f"  {f.count}: preview re-rendered {p.explainers_rendered} explainers and "
                  f"{p.pages_built} MkDocs pages for {len(p.generated_changed)} affected files "
                  f"-> {'only what changed' if only else 'MORE than what changed'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare-up-to", type=int, default=1000,
                        help="larger sizes run once, without plain MkDocs, Python-Markdown "
                        "and Hugo")
    parser.add_argument("--preview-big", action="store_true",
                        help="measure the preview above --compare-up-to too (two more builds "
                        "in process and one served)")
    parser.add_argument("--cards-up-to", type=int, default=1000,
                        help="larger sizes build without social cards (every build paints "
                        "one per explainer, a few milliseconds each)")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--no-http", action="store_true",
                        help="skip the `explainer serve` over HTTP measurement")
    args = parser.parse_args()
    sites.quiet_mkdocs()
    print(f"bench/build.py {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"load average {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        # One picture cache for the whole run (the first build of each size fills it).
        os.environ["EXPLAINER_CACHE_DIR"] = str(Path(tmp) / "svg-cache")
        results = []
        for count in args.sizes:
            compare = count <= args.compare_up_to
            print(f"measuring {count} explainers ...", flush=True)
            results.append(measure(count, args.repeat if compare else 1,
                                   hugo=not args.no_hugo, http=not args.no_http,
                                   work=Path(tmp), compare=compare,
                                   preview_big=args.preview_big,
                                   cards=count <= args.cards_up_to))
            report(results, args.repeat)  # so far: a long run shows each size as it ends


if __name__ == "__main__":
    main()
