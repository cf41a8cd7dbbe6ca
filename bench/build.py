"""Build benchmarks against the project's scale targets (prints figures; asserts nothing).

    python bench/build.py [--sizes 100 1000] [--repeat 3] [--no-http] [--no-hugo]

For each size, on a synthetic project (bench/synth.py; the repo's docs/ and mkdocs.yml, no
charts):

1. core: ``check_project`` + ``generate_site`` (no MkDocs);
2. full: ``build_site`` (check + generate + strict in-process MkDocs build with the plugin);
3. plain: a strict in-process MkDocs build of the same generated Markdown (same nav, theme,
   features, CSS/JS) without the explainer plugin: "the MkDocs build" the target speaks of;
4. Hugo 0.168 (`make bench` installs it) on the same Markdown pages, minimal layout in which
   every page lists every page;
5. preview after one edit (one fact value in one facts file): MkDocs' serve rebuild in-process
   with counters, and ``explainer serve`` over HTTP until the page shows the new value.

Runs of full and plain alternate, so a busy neighbour on the machine slows both alike.
Targets: at 1,000 explainers (full - plain) / plain <= 15 %; full <= 3 x Hugo; a preview
rebuilds only what the edit affects.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
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
from generator.publish.build import build_site
from generator.render.site import generate_site


def clock(func: Callable[[], object]) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def core(root: Path) -> None:
    project, diagnostics = check_project(root)
    if diagnostics.errors:
        raise RuntimeError("\n".join(d.format() for d in diagnostics.errors))
    generate_site(project)


@dataclass
class Figures:
    count: int
    pages: int = 0
    core: list[float] = field(default_factory=list)
    full: list[float] = field(default_factory=list)
    plain: list[float] = field(default_factory=list)
    hugo: list[float] = field(default_factory=list)
    hugo_pages: int = 0
    preview: pv.PreviewResult | None = None
    http: pv.HttpResult | None = None

    def median(self, name: str) -> float | None:
        values = getattr(self, name)
        return statistics.median(values) if values else None


def measure(count: int, repeat: int, *, hugo: bool, http: bool, work: Path) -> Figures:
    figures = Figures(count)
    base = work / f"n{count}"
    root = sites.make_root(base / "project", count)
    for _ in range(repeat):
        figures.core.append(clock(lambda: core(root)))

    project, _ = check_project(root)
    view = sites.explainer_view(root, project, base / "scratch")
    figures.pages = len(view.pages())
    plain_config = sites.write_plain_mkdocs(view, root, base / "plain")
    for _ in range(repeat):
        figures.full.append(clock(lambda: build_site(root=root, site_dir=base / "site")))
        figures.plain.append(clock(lambda: sites.plain_build(plain_config, base / "plain-site")))
        sites.quiet_mkdocs()  # build_site's plugin may have reset MkDocs' log level

    binary = sites.hugo_binary() if hugo else None
    if binary is not None:
        figures.hugo_pages = sites.write_hugo(view, base / "hugo")
        for _ in range(repeat):
            figures.hugo.append(clock(
                lambda: sites.hugo_build(binary, base / "hugo", base / "hugo-site")))
    elif hugo:
        print("  (Hugo not installed: `make bench` installs it; skipping the Hugo column)")

    # Fresh copies: the preview edits a facts file.
    figures.preview = pv.preview_in_process(sites.make_root(base / "preview", count), count)
    if http:
        figures.http = pv.preview_over_http(sites.make_root(base / "serve", count), count)
    shutil.rmtree(base, ignore_errors=True)
    return figures


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def report(all_figures: list[Figures], repeat: int) -> None:
    print(f"\nBuild times, seconds (median of {repeat}; {os.cpu_count()} cores)")
    print(f"{'explainers':>10} {'pages':>6} {'core':>7} {'full':>7} {'plain':>7} {'hugo':>7}"
          f" {'added':>7} {'core/plain':>10} {'full/hugo':>9}")
    for f in all_figures:
        c, full, plain, hugo = (f.median(n) for n in ("core", "full", "plain", "hugo"))
        added = f"{(full - plain) / plain:+.0%}" if full and plain else "-"
        ratio = f"{core_ratio:.0%}" if (core_ratio := (c / plain if c and plain else None)) \
            else "-"
        vs_hugo = f"{full / hugo:.1f}x" if full and hugo else "-"
        print(f"{f.count:>10} {f.pages:>6} {_s(c):>7} {_s(full):>7} {_s(plain):>7} {_s(hugo):>7}"
              f" {added:>7} {ratio:>10} {vs_hugo:>9}")

    print("\nPreview after editing one fact value in one facts file")
    print(f"{'explainers':>10} {'rebuild s':>9} {'http s':>7} {'re-parsed':>12} "
          f"{'regenerated':>12} {'changed':>8} {'explainers':>10} {'mkdocs pages':>13} "
          f"{'site files changed':>19}")
    for f in all_figures:
        p = f.preview
        if p is None:
            continue
        http = _s(f.http.seconds) if f.http else "-"
        print(f"{f.count:>10} {p.seconds:>9.2f} {http:>7} "
              f"{f'{p.reparsed}/{p.content_files}':>12} {p.generated:>12} "
              f"{len(p.generated_changed):>8} {p.explainers_rendered:>10} "
              f"{f'{p.pages_built}/{p.pages_total}':>13} "
              f"{f'{p.site_changed}/{p.site_files}':>19}")
    for f in all_figures:
        if f.preview:
            shown = "shows" if f.preview.page_shows_edit else "DOES NOT show"
            print(f"  {f.count}: affected generated files: {', '.join(f.preview.generated_changed)}"
                  f"; the rebuilt page {shown} the edit")
        if f.http and f.http.built_in:
            print(f"  {f.count}: explainer serve's MkDocs reported builds of "
                  + ", ".join(f"{s:.1f}" for s in f.http.built_in) + " s")
    _verdicts(all_figures)


def _verdicts(all_figures: list[Figures]) -> None:
    big = max(all_figures, key=lambda f: f.count)
    full, plain, hugo = big.median("full"), big.median("plain"), big.median("hugo")
    print(f"\nTargets at {big.count} explainers:")
    if full and plain:
        added = (full - plain) / plain
        print(f"  generator adds <= 15% to the MkDocs build: {added:+.0%} "
              f"-> {'met' if added <= 0.15 else 'MISSED'}")
    if full and hugo:
        print(f"  whole build within 3x of Hugo: {full / hugo:.1f}x "
              f"-> {'met' if full / hugo <= 3 else 'MISSED'}")
    if big.preview:
        p = big.preview
        only = p.explainers_rendered <= 1 and p.pages_built <= len(p.generated_changed) + 1 \
            and p.reparsed <= 1
        print(f"  preview rebuilds only what an edit affects: re-parsed {p.reparsed} files, "
              f"re-rendered {p.explainers_rendered} explainers and {p.pages_built} MkDocs pages "
              f"for {len(p.generated_changed)} affected files -> {'met' if only else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--no-http", action="store_true",
                        help="skip the `explainer serve` over HTTP measurement")
    args = parser.parse_args()
    sites.quiet_mkdocs()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        results = []
        for count in args.sizes:
            print(f"measuring {count} explainers ...", flush=True)
            results.append(measure(count, args.repeat, hugo=not args.no_hugo,
                                   http=not args.no_http, work=Path(tmp)))
    report(results, args.repeat)


if __name__ == "__main__":
    main()
