"""Static SVG paint of each chart, exported by plotly itself (kaleido driving Chromium).

A chart near the top of a page is painted at once from these SVGs and becomes interactive on the
reader's first touch, hover or focus, so plotly.js never competes with the page's first paint.

Exports cost about 0.5 s each, so they are cached by content: the key hashes the themed figure
JSON, the size and the plotly and kaleido versions. The cache lives in ``charts/.svg-cache/`` and
is committed: CI and fresh clones then reuse it and need no browser to reproduce a known chart
(a missing entry is simply exported again). Nothing but exact figure content is trusted, so a
stale entry can never be shown for a changed chart. When kaleido or Chromium is unavailable the
build goes on without static paint (charts then load lazily near the viewport) and says so.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import orjson

from generator.charts.figure import SIZES, THEMES, themed

log = logging.getLogger("generator.charts")

CACHE_DIR = Path("charts") / ".svg-cache"
EXPORT_TIMEOUT_S = 120.0


def _versions() -> str:
    import plotly

    try:
        from importlib.metadata import version

        kaleido = version("kaleido")
    except Exception:
        kaleido = "?"
    return f"plotly={plotly.__version__};kaleido={kaleido}"


def variants(fig: dict[str, Any]) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """(theme, size) -> (cache key, figure to export)."""
    out = {}
    versions = _versions()
    for theme in THEMES:
        themed_fig = themed(fig, theme)
        body = orjson.dumps(themed_fig, option=orjson.OPT_SORT_KEYS)
        for size, (width, height) in SIZES.items():
            key = hashlib.sha256(body + f"|{width}x{height}|{versions}".encode()).hexdigest()
            out[(theme, size)] = (key[:32], themed_fig)
    return out


def export_svgs(root: Path, jobs: dict[str, tuple[dict[str, Any], tuple[int, int]]],
                warnings: list[str]) -> dict[str, bytes]:
    """SVG bytes for each cache key in ``jobs`` (key -> (figure, (width, height))).

    Cached keys are read from disk; the rest are exported in one kaleido session and cached.
    Keys that could not be exported are missing from the result, with a warning recorded.
    """
    cache = root / CACHE_DIR
    found: dict[str, bytes] = {}
    missing: dict[str, tuple[dict[str, Any], tuple[int, int]]] = {}
    for key, job in jobs.items():
        path = cache / f"{key}.svg"
        if path.is_file():
            found[key] = path.read_bytes()
        else:
            missing[key] = job
    if not missing:
        return found
    try:
        exported = _run_export(missing)
    except Exception as exc:
        message = (f"static chart export unavailable ({type(exc).__name__}: {exc}); "
                   f"{len(missing)} chart image(s) skipped: those charts load interactively "
                   "when scrolled near. Install chromium (make chromium) to restore static paint.")
        log.warning(message)
        warnings.append(message)
        return found
    cache.mkdir(parents=True, exist_ok=True)
    for key, svg in exported.items():
        tmp = cache / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp.write_bytes(svg)
        os.replace(tmp, cache / f"{key}.svg")  # atomic: parallel builds may export the same key
        found[key] = svg
    return found


def _run_export(jobs: dict[str, tuple[dict[str, Any], tuple[int, int]]]) -> dict[str, bytes]:
    if not os.environ.get("BROWSER_PATH"):
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if chromium is None:
            raise RuntimeError("no chromium found on PATH")
        os.environ["BROWSER_PATH"] = chromium
    import kaleido

    async def run() -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        async with kaleido.Kaleido(n=1) as k:
            for key, (fig, (width, height)) in jobs.items():
                data = await k.calc_fig(fig, opts={"format": "svg", "width": width,
                                                   "height": height})
                out[key] = data if isinstance(data, bytes) else bytes(data)
        return out

    result: dict[str, Any] = {}

    def worker() -> None:  # a thread of its own: the caller may already run an event loop
        try:
            result["svgs"] = asyncio.run(asyncio.wait_for(run(), EXPORT_TIMEOUT_S))
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=worker, name="kaleido-export", daemon=True)
    thread.start()
    thread.join(EXPORT_TIMEOUT_S + 10)
    if "error" in result:
        raise result["error"]
    if "svgs" not in result:
        raise TimeoutError(f"export took longer than {EXPORT_TIMEOUT_S:.0f} s")
    svgs: dict[str, bytes] = result["svgs"]
    for key, svg in svgs.items():
        if not svg.lstrip().startswith(b"<svg"):
            raise RuntimeError(f"kaleido returned something that is not SVG for {key}")
    return svgs
