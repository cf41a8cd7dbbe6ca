"""What the HTML guards cost a build: prints figures.

    python bench/guard.py [--explainers N] [--whole-page] [--example]

Generates a synthetic project, renders every page's Markdown with the site's extensions, then
times the content guard (generator/check/html_guard.py) over all pages (median of three) and
over the largest page alone. ``--whole-page`` also builds the site (cards off) and times the
check of every finished page, template included (generator/check/page_guard.py, the plugin's
``on_post_page``); ``--example`` does that for the repository's own site instead.
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

import markdown

from bench.sites import cards_off, copy_example, make_root
from bench.synth import write_project
from generator.check.html_guard import guard_html
from generator.check.page_guard import page_problems
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


def content_guard(count: int) -> None:
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


def whole_page(label: str, root: Path, site: Path) -> None:
    from generator.publish.build import build_site

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    start = time.perf_counter()
    build_site(root=root, site_dir=site)
    build = time.perf_counter() - start
    pages = [p.read_text("utf-8") for p in sorted(site.rglob("*.html"))]
    total = sum(len(p) for p in pages)
    largest = max(pages, key=len)
    every = median_seconds(lambda: [page_problems(p) for p in pages])
    one = median_seconds(lambda: page_problems(largest))
    found = sum(len(page_problems(p)) for p in pages)
    print(f"whole-page check, {label}: {len(pages)} pages, {total / 1e6:.1f} MB of finished "
          f"HTML, {every:.2f} s in all ({every / len(pages) * 1e3:.1f} ms a page, "
          f"{every / build:.1%} of the {build:.1f} s build); largest page "
          f"{len(largest) / 1e6:.2f} MB in {one * 1e3:.0f} ms; {found} problems")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--explainers", type=int, default=200)
    parser.add_argument("--whole-page", action="store_true")
    parser.add_argument("--example", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.example:
            whole_page("example site", copy_example(Path(tmp) / "example"), Path(tmp) / "site")
            return
        content_guard(args.explainers)
        if args.whole_page:
            root = make_root(Path(tmp) / "project", args.explainers)
            cards_off(root)
            whole_page(f"{args.explainers} explainers", root, Path(tmp) / "site")


if __name__ == "__main__":
    main()
