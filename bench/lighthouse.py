"""Lighthouse (mobile) on every page type, served the way readers get it: `make lighthouse`.

    python bench/lighthouse.py [--runs N] [--keep DIR]

Builds the example site (a copy of content/, charts/, docs/, mkdocs.yml; the real CLI) for the
address it is served at, serves it like GitHub Pages (gzip for text types, ``Cache-Control:
max-age=600``, the site's 404.html for a missing path) from a small threaded Python server, and
runs Lighthouse 12.2.3 (bench/lighthouse/node_modules, pinned by its package-lock.json) with
Debian's Chromium on each page. Prints performance / accessibility / best-practices / SEO per
page (the median of --runs runs, by performance) and the metrics behind performance. Reports are
kept in test-artifacts/lighthouse/ (or --keep). Figures only: nothing here is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
PROJECT_PARTS = ("content", "charts", "docs", "templates", "mkdocs.yml")
PAGES = {
    "home": "",
    "explainer (charts)": "venezuela-deportation-flights/",
    "sources": "sources/",
    "facts": "facts/",
    "tag": "tags/{tag}/",
    "archive": "archive/",
    "changes": "changes/",
    "guide": "guide/",
    "search": "search/?q=deportation",  # Pagefind: its UI and the index chunks for one query
    # Lighthouse refuses a page answered with status 404 ("unable to reliably load"), so the
    # 404 page is audited at its own address, where it is answered with 200.
    "404": "404.html",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}
# Flags that work as root, offline (FIELD-NOTES "Browsers and audits"); Lighthouse adds
# --user-data-dir itself only when it launches Chrome, so one is passed per run.
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
# What GitHub Pages compresses (text formats); images other than SVG are already compressed.
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml",
              "application/xml", "application/manifest+json")


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip, a short cache lifetime and the site's 404 page, as Pages does."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "application/javascript", ".json": "application/json", ".svg": "image/svg+xml",
        ".csv": "text/csv", ".xml": "application/xml"}
    _gz: ClassVar[dict[tuple[str, float], bytes]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, code: int, path: Path) -> None:
        ctype = self.guess_type(str(path))
        body = path.read_bytes()
        gz = ("gzip" in self.headers.get("Accept-Encoding", "")
              and ctype.startswith(GZIP_TYPES))
        if gz:
            key = (str(path), path.stat().st_mtime)
            with self._lock:
                if key not in self._gz:
                    self._gz[key] = gzip.compress(body, compresslevel=6, mtime=0)
                body = self._gz[key]
        self.send_response(code)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith(
            ("text/", "application/javascript", "application/json")) else ""))
        if gz:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                self.send_response(301)
                self.send_header("Location", self.path.split("?", 1)[0] + "/")
                self.end_headers()
                return None
            path = path / "index.html"
        if path.is_file():
            self._send(200, path)
        else:
            self._send(404, Path(self.directory) / "404.html")
        return None


def build(project: Path, base: str) -> Path:
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, project / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy2(src, project / part)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "EXPLAINER_SITE_URL": base}
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(project)],
                            capture_output=True, text=True, env=env, cwd=project)
    if result.returncode:
        sys.exit(f"explainer build failed:\n{result.stdout}\n{result.stderr}")
    return project / "site"


@contextlib.contextmanager
def served_example(prefix: str) -> Iterator[tuple[str, Path]]:
    """The example site built for, and served like GitHub Pages at, a local address: yields the
    address and the built site; the server stops and the folder goes on exit."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
            PagesHandler, directory=str(Path(tmp) / "project" / "site")))
        base = f"http://127.0.0.1:{server.server_port}/"
        # Serving from the start, so shutdown() (which waits for the loop) ends even when the
        # build fails; nothing asks for a page before the site is there.
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield base, build(Path(tmp) / "project", base)
        finally:
            server.shutdown()
            server.server_close()


def lighthouse(url: str, out: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="lh-profile-") as profile:
        cmd = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json",
               f"--output-path={out}", f"--only-categories={','.join(CATEGORIES)}",
               f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}"]
        result = subprocess.run(cmd, capture_output=True, text=True,
                                env={**os.environ, "CHROME_PATH": CHROMIUM})
    if result.returncode or not out.is_file():
        sys.exit(f"lighthouse failed on {url} ({result.returncode}):\n{result.stderr[-3000:]}")
    return json.loads(out.read_text())


def summary(report: dict) -> dict:
    cats = report["categories"]
    audits = report["audits"]
    failed = sorted(
        f"{cat}: {ref['id']}" for cat in ("accessibility", "best-practices", "seo")
        for ref in cats[cat]["auditRefs"]
        if ref["weight"] and audits[ref["id"]]["score"] is not None
        and audits[ref["id"]]["score"] < 1)
    return {"scores": {c: cats[c]["score"] for c in CATEGORIES},
            "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
            # Lighthouse's own CPU benchmark of this machine (higher is faster): the simulated
            # throttling multiplies observed CPU time, so a busy machine lowers performance.
            "benchmark": report.get("environment", {}).get("benchmarkIndex"),
            "metrics": {short: audits[key].get("displayValue", "?")
                        for key, short in METRICS.items()},
            "failed": failed,
            "errors": sorted(a["id"] for a in audits.values()
                             if a.get("scoreDisplayMode") == "error")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median kept)")
    parser.add_argument("--keep", type=Path, default=ROOT / "test-artifacts" / "lighthouse",
                        help="folder for the JSON reports")
    parser.add_argument("--page", action="append", choices=list(PAGES),
                        help="only these page types (repeatable)")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        sys.exit(f"{LIGHTHOUSE} is missing: run `make lighthouse` (npm ci in bench/lighthouse)")
    if not Path(CHROMIUM).exists():
        sys.exit("Debian's chromium is required: make chromium")
    args.keep.mkdir(parents=True, exist_ok=True)
    version = json.loads((LIGHTHOUSE.parent.parent / "package.json").read_text())["version"]

    with served_example("lighthouse-site-") as (base, site):
        tag = sorted(p.name for p in (site / "tags").iterdir() if p.is_dir())[0]
        print(f"Lighthouse {version}, mobile (simulated throttling), Chromium at {CHROMIUM}; "
              f"site served gzipped at {base}; {args.runs} run(s) per page, median shown\n")
        rows = []
        for name in args.page or list(PAGES):
            url = base + PAGES[name].format(tag=tag)
            runs = []
            for i in range(args.runs):
                started = time.monotonic()
                slug = name.split()[0]
                report = lighthouse(url, args.keep / f"{slug}-{i + 1}.json")
                runs.append(summary(report))
                print(f"  {name} run {i + 1}: {runs[-1]['scores']} "
                      f"(benchmarkIndex {runs[-1]['benchmark']}, "
                      f"{time.monotonic() - started:.0f} s)", file=sys.stderr)
            runs.sort(key=lambda r: r["scores"]["performance"] or 0)
            rows.append((name, runs[len(runs) // 2],
                         [r["scores"]["performance"] for r in runs],
                         [(r["tbt_ms"], r["benchmark"]) for r in runs]))

    head = f"| page | {' | '.join(CATEGORIES)} | {' | '.join(METRICS.values())} |"
    print(head)
    print("|" + "---|" * (1 + len(CATEGORIES) + len(METRICS)))
    for name, run, _, _ in rows:
        scores = " | ".join(f"{run['scores'][c]:.2f}" if run["scores"][c] is not None else "-"
                            for c in CATEGORIES)
        print(f"| {name} | {scores} | {' | '.join(run['metrics'].values())} |")
    if args.runs > 1:
        print("\nperformance per run: " + "; ".join(
            f"{name} {', '.join(f'{p:.2f}' for p in perfs)}" for name, _, perfs, _ in rows))
    # The budget is on total blocking time: every run's, with the machine's speed.
    print("total blocking time per run (ms, at benchmarkIndex): " + "; ".join(
        f"{name} " + ", ".join(f"{t} @{b or 0:.0f}" for t, b in runs) for name, _, _, runs in rows))
    failed = [(name, run["failed"]) for name, run, _, _ in rows if run["failed"]]
    print("\nfailed audits (a11y / best practices / SEO): "
          + ("none" if not failed else "; ".join(f"{n}: {', '.join(f)}" for n, f in failed)))
    errored = sorted({e for _, run, _, _ in rows for e in run["errors"]})
    if errored:
        print(f"audits that errored (Lighthouse 12.2.3 with this Chromium): {', '.join(errored)}")
    print(f"reports: {args.keep}")
    if any(statistics.median(p or 0 for p in perfs) < 0.95 for _, _, perfs, _ in rows):
        print("below the 0.95 performance target: see the reports' diagnostics "
              "(mainthread-work-breakdown, bootup-time, largest-contentful-paint-element)")


if __name__ == "__main__":
    main()
