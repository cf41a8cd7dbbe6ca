"""What the HTML guard (generator/check/html_guard.py) costs a build: prints figures.

    python bench/guard.py [--explainers N]

Generates a synthetic project, renders every page's Markdown with the site's extensions, then
times the guard over all pages (median of three) and over the largest page alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import markdown

from bench.synth import write_project
from generator.check.html_guard import guard_html
from generator.check.run import check_project
from generator.render.site import generate_site

EXTENSIONS = ["footnotes", "tables", "attr_list", "md_in_html", "admonition", "toc"]


def median_seconds(func, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--explainers", type=int, default=200)
    count = parser.parse_args().explainers
    with tempfile.TemporaryDirectory() as tmp:
        root = write_project(Path(tmp), count)
        project, _ = check_project(root)
        output = generate_site(project)
        pages = [markdown.markdown(f.content, extensions=EXTENSIONS)
                 for f in output.files if f.is_page and isinstance(f.content, str)]
    total = sum(len(p) for p in pages)
    largest = max(pages, key=len)
    every = median_seconds(lambda: [guard_html(p) for p in pages])
    one = median_seconds(lambda: guard_html(largest))
    removed = sum(len(guard_html(p).removed) for p in pages)
    print(f"html guard, {count} explainers: {len(pages)} pages, {total / 1e6:.1f} MB of page "
          f"HTML, {every:.2f} s in all ({total / every / 1e6:.1f} MB/s); largest page "
          f"{len(largest) / 1e6:.2f} MB in {one:.2f} s; {removed} removals")


if __name__ == "__main__":
    main()
