"""Benchmarks that print figures (never asserted in tests): `make bench`.

    python bench/run.py [--explainers N]

Measures `explainer check` on a synthetic project. Stages added later (build, charts) extend the
report with their own figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synth import write_project
from generator.check.run import check_project


def timed(func, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bench_check(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_project(Path(tmp), count)
        seconds, (project, diagnostics) = timed(lambda: check_project(root))
        tracemalloc.start()
        check_project(root)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        errors = sum(d.is_error for d in diagnostics)
        print(f"check, {count} explainers ({len(project.facts)} facts): {seconds:.2f} s "
              f"({seconds / count * 1000:.1f} ms per explainer), peak {peak / 2**20:.0f} MiB, "
              f"{errors} errors")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--explainers", type=int, default=1000)
    args = parser.parse_args()
    bench_check(100)
    bench_check(args.explainers)


if __name__ == "__main__":
    main()
