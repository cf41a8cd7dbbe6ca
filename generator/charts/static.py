"""Static SVG paint of each chart, exported by plotly itself (kaleido driving Chromium).

A chart near the top of a page is painted at once from these SVGs and becomes interactive on the
reader's first touch, hover or focus, so plotly.js never competes with the page's first paint.

Nothing about these pictures is taken from the repository: a pull request could commit a cached
SVG with a script or fake numbers. The build exports them itself and keeps a cache **outside the
project** (``EXPLAINER_CACHE_DIR``, else ``$XDG_CACHE_HOME/explainer/svg`` or
``~/.cache/explainer/svg``), keyed by a hash of the themed figure JSON, the size and the plotly
and kaleido versions. Every SVG, fresh or cached, passes an allow-list (:mod:`svgsafe`) before it
is published; a cached file that fails it is exported again.

The export runs offline: Chromium is started through a wrapper that sends every request to a
closed local proxy (loopback included), MathJax is off, and plotly.js is the local copy. An
export that fails (no Chromium, a picture Chromium refuses, an SVG the allow-list refuses) is
recorded in ``failures`` with the chart and the reason, and the build stops on it (see
:func:`generator.render.site.generate_site`): a site without its pictures is never shipped
silently. Text sent to Chromium has the characters no picture can show replaced
(:func:`showable`). ``explainer serve`` does not export at all.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import os
import shutil
import stat
import tempfile
import threading
from pathlib import Path
from typing import Any

import orjson

from generator.charts.figure import SIZES, THEMES, themed
from generator.charts.svgsafe import UnsafeSvg, sanitise_svg
from generator.load.paths import PROTECTED, is_inside
from generator.load.yamlio import UNSHOWABLE

log = logging.getLogger("generator.charts")

CACHE_ENV = "EXPLAINER_CACHE_DIR"
# The export's bound grows with its work: Chromium's start, then so long per picture (a chart
# takes 0.3-0.6 s here). One bound for the whole session timed out every first build of
# more than a few hundred new pictures, and kept none of them.
EXPORT_START_S = 60.0
EXPORT_PER_FIGURE_S = 10.0
MAX_SVG_BYTES = 4 * 1024 * 1024
# Every request of the export's Chromium goes to this proxy, where nothing listens; the bypass
# rule "<-loopback>" removes Chromium's implicit exception for 127.0.0.1 and localhost.
OFFLINE_FLAGS = ("--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                 "--host-resolver-rules=MAP * ~NOTFOUND", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-pings")


def cache_dir(root: Path, kind: str = "svg") -> Path | None:
    """The cache folder for ``kind`` (``svg``: chart pictures), or None when it would be unsafe
    to use: inside the project (where a pull request could supply entries) or around it, reached
    through a link, or a folder that another user owns or may write to (a shared temp folder)."""
    configured = os.environ.get(CACHE_ENV)
    try:
        if configured:
            base = Path(configured)
        else:
            xdg = os.environ.get("XDG_CACHE_HOME")
            base = (Path(xdg) if xdg else Path.home() / ".cache") / "explainer"
    except RuntimeError:  # no home folder: build without a cache
        return None
    folder = (base / kind).absolute()
    project = root.resolve()
    if any(p.is_symlink() for p in (folder.parent, folder)):
        log.warning("chart cache %s is a link; not used", folder)
        return None
    resolved = folder.resolve()
    if is_inside(resolved, project) or is_inside(project, resolved) or any(
            is_inside(resolved, project / name) for name in PROTECTED):
        log.warning("chart cache %s lies inside the project; not used", folder)
        return None
    if not _private(folder.parent) or not _private(folder):
        log.warning("chart cache %s is writable by other users; not used", folder)
        return None
    return folder


def _private(folder: Path) -> bool:
    """A folder that does not exist yet (we create it), or ours and not writable by others."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


@functools.cache  # installed versions do not change while a process runs (reading them is 1 ms)
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


class ExportFailed(Exception):
    """The export stopped; ``key`` is the picture it was drawing (None: Chromium never
    started)."""

    def __init__(self, key: str | None, reason: BaseException) -> None:
        super().__init__(f"{type(reason).__name__}: {reason}")
        self.key = key
        self.reason = reason


def failure_reason(exc: BaseException) -> str:
    """One line saying why an export failed: the exception's name and its first message (some
    of kaleido's carry a tuple of advice lines; the first says what happened)."""
    first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    text = f"{type(exc).__name__}: {' '.join(first.split())}".rstrip(": ")
    return text if len(text) <= 300 else text[:299] + "…"


def export_svgs(root: Path, jobs: dict[str, tuple[dict[str, Any], tuple[int, int]]],
                warnings: list[str], failures: list[str] | None = None,
                names: dict[str, str] | None = None) -> dict[str, bytes]:
    """Sanitised SVG bytes for each cache key in ``jobs`` (key -> (figure, (width, height))).

    Cached keys are read from the cache (outside the project); the rest are exported in one
    kaleido session and cached. Keys that could not be exported are missing from the result,
    with a warning recorded, and a line in ``failures`` naming the chart (``names``: key ->
    chart id) and the reason: a build stops on those.
    """
    failures = [] if failures is None else failures
    names = names or {}
    cache = cache_dir(root)
    found: dict[str, bytes] = {}
    missing: dict[str, tuple[dict[str, Any], tuple[int, int]]] = {}
    for key, job in jobs.items():
        cached = _read_cached(cache, key) if cache else None
        if cached is not None:
            found[key] = cached
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
        failures.append(failure_line("the static picture", missing, names, exc))
        return found
    for key, raw in exported.items():
        try:
            svg = sanitise_svg(raw)
        except UnsafeSvg as exc:
            warnings.append(f"static picture {key} refused ({exc}); the chart loads "
                            "interactively instead")
            failures.append(f"the static picture of {_named(names, key)} could not be "
                            f"published: the SVG Chromium drew was refused ({exc})")
            continue
        found[key] = svg
        if cache is not None:
            _write_cached(cache, key, svg)
    return found


def _named(names: dict[str, str], key: str) -> str:
    return names.get(key, f"picture {key}")


def failure_line(what: str, missing: dict[str, Any], names: dict[str, str],
                 exc: BaseException) -> str:
    """A line naming what could not be drawn and why: the picture being drawn when the export
    stopped, else every picture that was to be drawn (Chromium never started)."""
    key = exc.key if isinstance(exc, ExportFailed) else None
    reason = failure_reason(exc.reason if isinstance(exc, ExportFailed) else exc)
    if key is not None:
        return f"{what} of {_named(names, key)} could not be drawn: {reason}"
    listed = sorted({_named(names, k) for k in missing})
    shown = ", ".join(listed[:5]) + (f" and {len(listed) - 5} more" if len(listed) > 5 else "")
    return f"{what} of {shown} could not be drawn: {reason}"


def showable(value: Any) -> Any:
    """``value`` (a figure, or part of one) with every character no picture can show replaced
    by U+FFFD: check refuses such text in YAML, but a figure holds CSV cells and formatted
    values too, and one NUL once made Chromium refuse the whole export."""
    if isinstance(value, str):
        return UNSHOWABLE.sub("\ufffd", value) if UNSHOWABLE.search(value) else value
    if isinstance(value, dict):
        return {showable(k): showable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [showable(v) for v in value]
    return value


def read_cached(cache: Path, key: str, suffix: str, max_bytes: int) -> bytes | None:
    """A cache entry's bytes if it is a regular file (not a link) of at most ``max_bytes``;
    None when missing or unreadable (export it again). Callers check the content itself."""
    path = cache / f"{key}{suffix}"
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        return path.read_bytes()
    except OSError:
        return None


def _read_cached(cache: Path, key: str) -> bytes | None:
    data = read_cached(cache, key, ".svg", MAX_SVG_BYTES)
    try:
        return sanitise_svg(data) if data is not None else None
    except UnsafeSvg:
        return None  # not what we would have written: export it again


def _write_cached(cache: Path, key: str, svg: bytes, suffix: str = ".svg") -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        cache.mkdir(exist_ok=True, mode=0o700)
        if cache.is_symlink():  # swapped for a link since cache_dir() looked
            return
        tmp = cache / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp.write_bytes(svg)
        os.replace(tmp, cache / f"{key}{suffix}")  # atomic: parallel builds may export the same key
    except OSError as exc:  # a read-only home: the build still has its pictures
        log.warning("chart cache not written (%s)", exc.strerror)


def _offline_browser(folder: Path) -> Path:
    """A launcher that starts Chromium with :data:`OFFLINE_FLAGS` (kaleido passes no flags of
    ours through)."""
    chromium = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or \
        shutil.which("chromium-browser")
    if chromium is None:
        raise RuntimeError("no chromium found on PATH")
    script = folder / "chromium-offline"
    flags = " ".join(f"'{flag}'" for flag in OFFLINE_FLAGS)
    script.write_text(f'#!/bin/sh\nexec \'{chromium}\' {flags} "$@"\n', encoding="utf-8")
    script.chmod(0o700)
    return script


def _local_plotly() -> Path:
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise RuntimeError("plotly's bundled plotly.min.js is missing; reinstall plotly")
    return path


def _run_export(jobs: dict[str, tuple[dict[str, Any], tuple[int, int]]],
                fmt: str = "svg") -> dict[str, bytes]:
    with tempfile.TemporaryDirectory(prefix="explainer-export-") as tmp:
        return _export_offline(jobs, _offline_browser(Path(tmp)), fmt)


# What each export format starts with (kaleido answers with an error text otherwise).
_SIGNATURES = {"svg": b"<svg", "png": b"\x89PNG\r\n\x1a\n"}


def export_bound(pictures: int) -> float:
    """Seconds an export of ``pictures`` may take in all: bounded, and in step with its work."""
    return EXPORT_START_S + EXPORT_PER_FIGURE_S * pictures


def _export_offline(jobs: dict[str, tuple[dict[str, Any], tuple[int, int]]],
                    browser: Path, fmt: str = "svg") -> dict[str, bytes]:
    import kaleido

    plotlyjs = _local_plotly()

    async def run() -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        async with kaleido.Kaleido(n=1, path=str(browser), plotlyjs=plotlyjs,
                                   mathjax=False) as k:
            for key, (fig, (width, height)) in jobs.items():
                try:
                    data = await asyncio.wait_for(
                        k.calc_fig(showable(fig),
                                   opts={"format": fmt, "width": width, "height": height}),
                        EXPORT_PER_FIGURE_S)
                except Exception as exc:
                    raise ExportFailed(key, exc) from exc
                out[key] = data if isinstance(data, bytes) else bytes(data)
        return out

    result: dict[str, Any] = {}
    bound = export_bound(len(jobs))

    def worker() -> None:  # a thread of its own: the caller may already run an event loop
        try:
            result["svgs"] = asyncio.run(asyncio.wait_for(run(), bound))
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=worker, name="kaleido-export", daemon=True)
    thread.start()
    thread.join(bound + 10)
    if "error" in result:
        raise result["error"]
    if "svgs" not in result:
        raise TimeoutError(f"export of {len(jobs)} picture(s) took longer than {bound:.0f} s")
    svgs: dict[str, bytes] = result["svgs"]
    for key, data in svgs.items():
        if not data.lstrip().startswith(_SIGNATURES[fmt]):
            raise ExportFailed(key, RuntimeError(f"kaleido returned something that is not "
                                                 f"{fmt.upper()}"))
    return svgs
