"""Feeds and social cards: what they add to a build (prints figures; asserts nothing).

    .venv/bin/python bench/cards.py [--explainers 1000] [--no-build]

1. feeds: ``render_feeds`` for a synthetic project (bench/synth.py), and their sizes;
2. cards of the example site and of the synthetic project: milliseconds and bytes per card
   (min / median / max), each card timed alone (what it says, its layout, painting and PNG);
   the first ``render_cards`` of the process is timed apart (it loads the fonts);
3. unless ``--no-build``: ``explainer build`` of the synthetic project (bench/sites.py
   make_root: docs, mkdocs.yml, a chart every tenth explainer) in a fresh process, cold (empty
   ``EXPLAINER_CACHE_DIR``: every chart picture exported by Chromium, every card drawn), then
   again with the pictures cached, then cached with ``social_cards: false``: the differences
   say what the chart export and the cards cost in a build; before them, check, the chart
   export (empty cache) and the cards timed in process, one after the other and together.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from bench import sites
from bench.synth import write_project
from generator.charts import card, static
from generator.charts.render import render_charts
from generator.check.run import check_project
from generator.load.model import Project
from generator.render import data, feeds, site
from generator.render.output import Edition, SiteInfo

SITE = SiteInfo(name="Explainers", url="https://explainers.example.org/latest/")
EXPLAINER = Path(sys.executable).parent / "explainer"


def seconds(func) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = func()
    return time.perf_counter() - started, result


def spread(values: list[float], unit: str, scale: float = 1.0) -> str:
    return (f"min {min(values) * scale:.1f} / median {statistics.median(values) * scale:.1f} / "
            f"max {max(values) * scale:.1f} {unit}")


def checked(root: Path) -> Project:
    project, diagnostics = check_project(root)
    assert not diagnostics.errors, [d.format() for d in diagnostics.errors]
    return project


def cards(name: str, project: Project) -> None:
    first, out = seconds(lambda: card.render_cards(project, site_name=SITE.name))
    whole, _ = seconds(lambda: card.render_cards(project, site_name=SITE.name))
    charts = card.chart_datasets(project)
    times: list[float] = []
    cpu: list[float] = []
    for ex in list(project.explainers.values()) * max(1, 20 // len(project.explainers)):
        started, used = time.perf_counter(), time.process_time()
        text = card.card_text(project, ex, SITE.name, charts)
        card.paint(card.card_layout(text, charts.get(text.chart_id) if text.chart_id else None))
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    sizes = [len(f.content) for f in out.files]  # type: ignore[attr-defined]
    count = len(sizes)
    print(f"cards, {name}: {count} card(s); render_cards {whole:.2f} s "
          f"({whole / count * 1000:.1f} ms a card; the process's first call {first:.2f} s); "
          f"each card alone{' (20 times)' if count < 20 else ''} {spread(times, 'ms', 1000)}"
          f" ({sum(cpu) / len(cpu) * 1000:.1f} ms of CPU on average); "
          f"PNG {spread(sizes, 'KB', 1 / 1024)}", flush=True)


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def build(root: Path, cache: Path) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (the build and every process it waited for, Chromium
    and Pagefind included) of one ``explainer build``."""
    env = {**os.environ, "EXPLAINER_CACHE_DIR": str(cache)}
    started, used = time.perf_counter(), _cpu()
    done = subprocess.run([str(EXPLAINER), "build"], cwd=root, env=env, capture_output=True,
                          text=True, check=False)
    took = time.perf_counter() - started, _cpu() - used
    if done.returncode != 0:
        raise RuntimeError(done.stdout + done.stderr)
    return took


def builds(root: Path, cache: Path) -> None:
    runs: dict[str, tuple[float, float]] = {}
    loads: list[float] = []
    for name in ("cold", "charts cached", "charts cached, cards off"):
        if name.endswith("cards off"):
            sites.cards_off(root)
        loads.append(os.getloadavg()[0])
        runs[name] = build(root, cache)
        if name == "cold":
            made = len(list((root / "site" / "cards").glob("*.png")))
    cold_cpu, warm_cpu, off_cpu = (cpu for _, cpu in runs.values())
    print(f"explainer build, {len(list((root / 'content' / 'explainers').glob('*.yaml')))} "
          f"explainers, {len(list((root / 'charts').glob('*.yaml')))} charts ({made} cards), "
          "wall s / CPU s: " + "; ".join(f"{name} {wall:.1f} / {cpu:.1f}"
                                         for name, (wall, cpu) in runs.items())
          + f" (load {', '.join(f'{x:.1f}' for x in loads)}). CPU of the cold build: chart "
          f"export about {cold_cpu - warm_cpu:.1f} s, cards {warm_cpu - off_cpu:.1f} s.",
          flush=True)


def phases(root: Path, cache: Path) -> None:
    """Where a cold build's own work goes, in process: check, the chart pictures' export with
    an empty cache (Chromium), the cards (wall and this process's CPU seconds)."""
    os.environ[static.CACHE_ENV] = str(cache)
    figures = []

    def step(name: str, func):  # type: ignore[no-untyped-def]
        started, used = time.perf_counter(), time.process_time()
        result = func()
        figures.append(f"{name} {time.perf_counter() - started:.1f} / "
                       f"{time.process_time() - used:.1f}")
        return result

    project = step("check", lambda: checked(root))
    charts = step("chart pictures, cold", lambda: render_charts(project, static=True))
    step("cards", lambda: card.render_cards(project, site_name=SITE.name))
    os.environ[static.CACHE_ENV] = str(cache.with_name(cache.name + "-together"))
    step("both together as a build makes them (cards in a thread during the export)",
         lambda: site._pictures(project, True, SITE, True))
    print(f"in process, wall s / CPU s of this process (load {os.getloadavg()[0]:.1f}; "
          f"{len(charts.files)} chart files): " + "; ".join(figures), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--explainers", type=int, default=1000)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    print(f"bench/cards.py {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-cards-") as tmp:
        root = write_project(Path(tmp) / "project", args.explainers)
        project = checked(root)
        payload = data.facts_payload(project)
        runs = [seconds(lambda: feeds.render_feeds(project, SITE, Edition(), payload, {}))
                for _ in range(3)]
        files = runs[0][1]
        print(f"feeds at {args.explainers} explainers: "
              f"{statistics.median(t for t, _ in runs) * 1000:.1f} ms (median of 3); "
              + ", ".join(f"{f.path} {len(f.content.encode()) / 1024:.1f} KB"
                          for f in files), flush=True)  # type: ignore[attr-defined]

        cards("example site", checked(sites.copy_example(Path(tmp) / "example")))
        shutil.rmtree(root)
        root = sites.make_root(Path(tmp) / "project", args.explainers)
        cards(f"synthetic, {args.explainers} explainers", checked(root))
        if not args.no_build:
            phases(root, Path(tmp) / "phases-cache")
            builds(root, Path(tmp) / "cache")


if __name__ == "__main__":
    main()
