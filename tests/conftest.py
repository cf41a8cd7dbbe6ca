"""Shared helpers: build the example site with real MkDocs in a temp dir, once per module.

``copy_project(dest)`` copies the repo's content/, charts/, docs/, templates/ and mkdocs.yml;
``build_project(root)`` runs ``explainer build`` on it in a subprocess (the real CLI, the real
plugin, a strict MkDocs build) and returns the site folder. ``example_site`` is a module-scoped
fixture doing both; ``explainer_build_env`` is the environment for such subprocesses.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.adapters.engine import activate

# Static chart pictures are cached outside any project (generator/charts/static.py), never in
# the repository (a test builds the repository's own root, where a cache would be refused): one
# cache for every test build by this user, kept across runs, so each chart is exported once, not
# once per build. Per user: the build refuses a cache folder that someone else owns.
os.environ.setdefault("EXPLAINER_CACHE_DIR",
                      os.path.join(tempfile.gettempdir(), f"explainer-test-cache-{os.getuid()}"))

# Tests import the plugin and engine modules directly: the engine the environment names
# (EXPLAINER_ENGINE, ProperDocs by default) must answer `mkdocs` imports before any of them.
activate()

REPO = Path(__file__).resolve().parents[1]
# Debian's chromium, driven by Playwright without `playwright install` (which cannot run here).
# A missing browser fails the browser tests; it never skips them.
CHROMIUM = "/usr/bin/chromium"
PROJECT_PARTS = ("content", "charts", "docs", "templates", "mkdocs.yml")


def explainer_build_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(extra)
    return env


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy2(src, dest / part)
    return dest


def run_explainer(root: Path, *args: str, timeout: float = 300,
                  **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(root)],
                          capture_output=True, text=True, timeout=timeout,
                          env=explainer_build_env(**env), cwd=root)


def build_project(root: Path, *extra_args: str, **env: str) -> Path:
    """``explainer build`` in ``root``; fails the test with MkDocs' output when it fails.

    ``env`` adds environment variables, e.g. ``EXPLAINER_SITE_URL`` (the site's address).
    """
    result = run_explainer(root, "build", *extra_args, **env)
    if result.returncode != 0:
        pytest.fail(f"explainer build failed ({result.returncode}):\n{result.stdout}\n"
                    f"{result.stderr}")
    return root / "site"


def build_without_docs_check(root: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The engine's build with `explainer check`'s judgement of docs/ switched off: for tests
    of the build's own defences (the HTML guard, the docs-file rules), which the check refuses
    to reach otherwise."""
    program = ("import sys, generator.check.run as run; run.check_docs = lambda *a, **k: None; "
               "from mkdocs.__main__ import cli; sys.exit(cli())")
    return subprocess.run([sys.executable, "-c", program, "build", *args, "-d", str(out)],
                          cwd=root, capture_output=True, text=True, timeout=300,
                          env=explainer_build_env())


@pytest.fixture(scope="module")
def example_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("example") / "project")


@pytest.fixture(scope="module")
def example_site(example_project: Path) -> Path:
    return build_project(example_project)


def launch_chromium(playwright):  # type: ignore[no-untyped-def]
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: run `make chromium`"
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    """One headless Chromium per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_server(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on a port the server binds itself (port 0: no race with
    other processes); yields the base URL. The folder may be (re)built while it is served."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


SERVING = re.compile(r"Serving on (http://127\.0\.0\.1:\d+/)")


def serving_url(process: subprocess.Popen, timeout: float = 120) -> str:
    """The address ``explainer serve --addr 127.0.0.1:0`` bound and reported, once it serves."""
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            raise AssertionError("explainer serve exited:\n" + "".join(lines))
        lines.append(line)
        found = SERVING.search(line)
        if found:
            # Keep draining the log so the server never blocks on a full pipe.
            threading.Thread(target=process.stdout.read, daemon=True).start()
            return found.group(1)
    raise AssertionError("explainer serve never said where it serves:\n" + "".join(lines))


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def stop_process_group(process: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """End a process started with ``start_new_session=True`` and everything it started."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def serving(root: Path, path: str = "", **env: str) -> Iterator[str]:
    """``explainer serve --addr 127.0.0.1:0`` on ``root``: yields the base URL it reported,
    once ``path`` answers; stops the server (and its children) afterwards."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--root", str(root), "--addr",
         "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=explainer_build_env(**env), start_new_session=True)
    try:
        base = serving_url(process)
        wait_for(base + path)
        yield base
    finally:
        stop_process_group(process)
