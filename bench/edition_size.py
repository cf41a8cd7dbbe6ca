"""What one published edition costs, part by part: bytes an explainer, and the largest file.

    .venv/bin/python bench/edition_size.py --sizes 100 1000          # cards off
    .venv/bin/python bench/edition_size.py --sizes 100 --cards       # with social cards
    .venv/bin/python bench/edition_size.py --site path/to/site       # measure a built site

Builds a synthetic project of N explainers (bench/sites.py ``make_root``; social cards off
unless ``--cards``) with ``build_site`` and prints the bytes of each part of the built site, the
bytes an explainer, file counts and the largest single file. ``measure(site_dir)`` is the one
function other benches (bench/record.py) import: it reads a built site and builds nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The parts, in the order the table prints them.
PARTS = ("cards", "charts", "data", "facts", "sources", "explainers", "pages", "pagefind",
         "assets", "feeds", "other")
_FOLDERS = ("cards", "charts", "data", "facts", "sources", "pagefind", "assets")
_FEEDS = ("feed.xml", "feed.json", "changes.xml", "sitemap.xml", "sitemap.xml.gz")


def explainer_slugs(site: Path) -> set[str]:
    """The explainers of a built site: each has its data file ``data/explainers/<slug>.json``
    and its page ``<slug>/index.html``."""
    folder = site / "data" / "explainers"
    if not folder.is_dir():
        return set()
    return {p.stem for p in folder.glob("*.json") if (site / p.stem / "index.html").is_file()}


def part_of(rel: str, slugs: set[str]) -> str:
    """Which part of the table a site-relative path (``a/b/c.html``) counts in."""
    head, _, rest = rel.partition("/")
    if rest and head in _FOLDERS:
        return head
    if not rest and head in _FEEDS:
        return "feeds"
    if rest and head in slugs:
        return "explainers"
    if rel.endswith(".html"):
        return "pages"
    return "other"


def measure(site_dir: Path) -> dict[str, Any]:
    """Bytes and file counts of a built site by part.

    Returns ``explainers`` (how many), ``total_bytes``, ``total_files``, ``per_explainer``
    (total bytes / explainers), ``parts`` ({part: {"bytes", "files"}} for every name in
    :data:`PARTS`), ``largest`` ((path, bytes) of the largest file) and ``largest_data`` (the
    same within ``data/``). Sizes are file sizes on disk, not blocks.
    """
    site = Path(site_dir)
    slugs = explainer_slugs(site)
    parts = {name: {"bytes": 0, "files": 0} for name in PARTS}
    largest: tuple[str, int] = ("", 0)
    largest_data: tuple[str, int] = ("", 0)
    for dirpath, _dirs, names in os.walk(site):
        for name in names:
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            rel = path.relative_to(site).as_posix()
            size = path.stat().st_size
            part = parts[part_of(rel, slugs)]
            part["bytes"] += size
            part["files"] += 1
            if size > largest[1] or (size == largest[1] and rel < largest[0]):
                largest = (rel, size)
            if rel.startswith("data/") and (size > largest_data[1] or (
                    size == largest_data[1] and rel < largest_data[0])):
                largest_data = (rel, size)
    total = sum(p["bytes"] for p in parts.values())
    return {
        "explainers": len(slugs),
        "total_bytes": total,
        "total_files": sum(p["files"] for p in parts.values()),
        "per_explainer": total / len(slugs) if slugs else 0.0,
        "parts": parts,
        "largest": largest,
        "largest_data": largest_data,
    }


def _size(n: float) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    return f"{n / 1000:.1f} KB"


LABELS = {"cards": "cards/", "charts": "charts/", "data": "data/", "facts": "facts/ pages",
          "sources": "sources/ pages", "explainers": "explainer pages", "pages": "other pages",
          "pagefind": "pagefind/", "assets": "assets/", "feeds": "feeds + sitemap",
          "other": "other files"}


def table(figures: list[dict[str, Any]]) -> str:
    """One column per measured site: bytes of each part, then per explainer and the largest."""
    head = ["part"] + [f"{f['explainers']:,} explainers" for f in figures]
    rows = [head]
    for name in PARTS:
        rows.append([LABELS[name]] + [
            f"{_size(f['parts'][name]['bytes'])} ({f['parts'][name]['files']:,} files, "
            f"{_size(f['parts'][name]['bytes'] / max(f['explainers'], 1))}/expl.)"
            for f in figures])
    rows.append(["total"] + [f"{_size(f['total_bytes'])} ({f['total_files']:,} files)"
                             for f in figures])
    rows.append(["per explainer"] + [_size(f["per_explainer"]) for f in figures])
    rows.append(["largest file"] + [f"{f['largest'][0]} {_size(f['largest'][1])}"
                                    for f in figures])
    rows.append(["largest in data/"] + [f"{f['largest_data'][0]} {_size(f['largest_data'][1])}"
                                        for f in figures])
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
             for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def build(count: int, work: Path, *, cards: bool) -> tuple[Path, float]:
    """Build an N-explainer synthetic site in ``work``; its site folder and build seconds."""
    from bench import sites
    from generator.publish.build import build_site

    root = sites.make_root(work / f"project-{count}", count)
    if not cards:
        sites.cards_off(root)
    site = work / f"site-{count}"
    started = time.monotonic()
    build_site(root=root, site_dir=site)
    return site, time.monotonic() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--cards", action="store_true", help="social cards on (Chromium)")
    parser.add_argument("--site", type=Path, nargs="*", help="measure built sites, build none")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args(argv)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    figures = []
    if args.site:
        figures = [measure(site) for site in args.site]
    else:
        work = args.keep or Path(tempfile.mkdtemp(prefix="edition-size-"))
        try:
            for count in args.sizes:
                site, seconds = build(count, work, cards=args.cards)
                figures.append(measure(site))
                print(f"built {count:,} explainers in {seconds:.1f}s "
                      f"(load {'/'.join(f'{x:.1f}' for x in os.getloadavg())})", flush=True)
        finally:
            if args.keep is None:
                shutil.rmtree(work, ignore_errors=True)
    print(f"cards {'on' if args.cards else 'off'}")
    print(table(figures))


if __name__ == "__main__":
    main()
