"""Bytes and painting time of the social card at Google's three suggested picture ratios (16:9,
4:3, 1:1) beside today's 1200x630, the layout unchanged: what giving them would cost (see
bench/README.md, "Structured data pictures").

    .venv/bin/python bench/card_ratios.py [--explainers 200]

Cards of a synthetic project (bench/synth.py); prints figures, asserts nothing."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synth import write_project
from generator.charts import card, cardpaint
from generator.charts.render import chart_datasets
from generator.check.run import check_project

parser = argparse.ArgumentParser()
parser.add_argument("--explainers", type=int, default=200)
args = parser.parse_args()
with tempfile.TemporaryDirectory() as tmp:
    root = write_project(Path(tmp) / "project", args.explainers)
    project, _ = check_project(root)
    charts = chart_datasets(project)
    for w, h in ((1200, 630), (1200, 675), (1200, 900), (1200, 1200)):
        cardpaint.WIDTH, cardpaint.HEIGHT = w, h
        card.WIDTH, card.HEIGHT = w, h
        total = 0
        start = time.perf_counter()
        for _, ex in sorted(project.explainers.items()):
            text = card.card_text(project, ex, "Explainers", charts)
            chart = charts.get(text.chart_id) if text.chart_id else None
            png = card.paint(card.card_layout(text, chart))
            total += len(png)
        took = 1000 * (time.perf_counter() - start)
        print(f"{w}x{h}: {total:,} bytes, {took:.1f} ms for {len(project.explainers)} card(s)")
