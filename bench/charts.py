"""Chart costs: fast figure path vs plotly.graph_objects, and render_charts cold/warm.

Run: .venv/bin/python bench/charts.py [N]   (prints figures; asserts nothing)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.charts import figure as fig  # noqa: E402
from generator.charts import static  # noqa: E402
from generator.charts.render import chart_datasets, render_charts  # noqa: E402
from tests.chartkit import checked, make_chart_project  # noqa: E402


def per_figure(fn, datasets, n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        for data in datasets:
            fn(data)
    return (time.perf_counter() - started) / (n * len(datasets)) * 1000


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with tempfile.TemporaryDirectory() as tmp:
        project, _ = checked(make_chart_project(Path(tmp) / "project"))
        datasets = list(chart_datasets(project).values())
        fig.template()  # expanded once per build; count it separately
        t0 = time.perf_counter()
        fig.template.cache_clear()
        fig.template()
        once = (time.perf_counter() - t0) * 1000
        fast = per_figure(fig.figure_json, datasets, n)
        slow = per_figure(fig.go_figure, datasets, max(1, n // 10))
        print(f"template expansion, once per build: {once:.1f} ms")
        print(f"fast path (dict + orjson):  {fast:.3f} ms per figure ({len(datasets)} types)")
        print(f"go.Figure(...).to_json():   {slow:.2f} ms per figure")
        print(f"speed-up: {slow / fast:.0f}x")

        os.environ[static.CACHE_ENV] = str(Path(tmp) / "cache")  # a cold cache of its own
        t0 = time.perf_counter()
        out = render_charts(project)
        cold = time.perf_counter() - t0
        exported = len([f for f in out.files if f.path.endswith(".svg")])
        t0 = time.perf_counter()
        render_charts(project)
        warm = time.perf_counter() - t0
        print(f"render_charts, {len(datasets)} charts, cold SVG cache: {cold:.2f} s "
              f"({exported} SVGs exported{'; ' + out.warnings[0] if out.warnings else ''})")
        print(f"render_charts, warm SVG cache: {warm * 1000:.0f} ms")


if __name__ == "__main__":
    main()
