"""Feeds and social cards: what they add to a build (prints figures; asserts nothing).

    .venv/bin/python bench/cards.py [--explainers 1000] [--cards 20]

On a synthetic project (bench/synth.py):

1. feeds: ``render_feeds`` for the whole project (Atom, JSON Feed, corrections), and their sizes;
2. cards, cold: ``render_cards`` for the first ``--cards`` explainers with an empty cache (one
   Chromium session: start-up plus one export per card), then warm (every card from the cache).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synth import write_project
from generator.charts import card, static
from generator.check.run import check_project
from generator.render import data, feeds
from generator.render.output import Edition, SiteInfo

SITE = SiteInfo(name="Explainers", url="https://explainers.example.org/latest/")


def seconds(func) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = func()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--explainers", type=int, default=1000)
    parser.add_argument("--cards", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cards-") as tmp:
        root = write_project(Path(tmp) / "project", args.explainers)
        project, diagnostics = check_project(root)
        assert not diagnostics.errors
        payload = data.facts_payload(project)
        runs = [seconds(lambda: feeds.render_feeds(project, SITE, Edition(), payload, {}))
                for _ in range(3)]
        files = runs[0][1]
        print(f"feeds at {args.explainers} explainers: "
              f"{statistics.median(t for t, _ in runs) * 1000:.1f} ms (median of 3); "
              + ", ".join(f"{f.path} {len(f.content.encode()) / 1024:.1f} KB"
                          for f in files))  # type: ignore[attr-defined]

        small = write_project(Path(tmp) / "small", args.cards)
        project, _ = check_project(small)
        os.environ[static.CACHE_ENV] = str(Path(tmp) / "cache")
        cold, out = seconds(lambda: card.render_cards(project, site_name="Explainers"))
        warm, again = seconds(lambda: card.render_cards(project, site_name="Explainers"))
        sizes = [len(f.content) for f in out.files]  # type: ignore[attr-defined]
        print(f"cards, cold: {args.cards} in {cold:.1f} s ({out.exported} drawn, "  # type: ignore[attr-defined]
              f"{cold / max(args.cards, 1):.2f} s a card with Chromium's start-up); "
              f"warm: {warm * 1000:.0f} ms ({again.exported} drawn); "  # type: ignore[attr-defined]
              f"PNG median {statistics.median(sizes) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
