"""``explainer serve``: a YAML edit reaches the page open in a real browser."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import explainer_build_env, launch_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SLUG = "venezuela-deportation-flights"
HEADLINE = "Biden administration to resume deportation flights to Venezuela"


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


@pytest.fixture()
def served(example_project: Path) -> Iterator[tuple[str, Path]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--root", str(example_project),
         "--addr", "127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=explainer_build_env(), start_new_session=True)
    try:
        base = serving_url(process)
        wait_for(base + f"{SLUG}/")
        yield base, example_project
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_yaml_edits_reach_the_open_page(served: tuple[str, Path]) -> None:
    base, root = served
    explainer = root / "content" / "explainers" / f"{SLUG}.yaml"
    facts = root / "content" / "facts" / "venezuela-deportations.yaml"
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page()
            page.goto(base + f"{SLUG}/")
            assert page.locator("article h1").inner_text().startswith(HEADLINE)

            # An explainer edit: the open page reloads by itself with the new headline.
            edit(explainer, f"headline: {HEADLINE}", "headline: Deportation flights to resume")
            page.wait_for_function(
                "() => (document.querySelector('article h1')?.textContent ?? '')"
                ".startsWith('Deportation flights to resume')", timeout=30_000)

            # A fact edit changes the number shown in the prose.
            edit(facts, "value: 334000", "value: 335000")
            page.wait_for_function(
                "() => (document.querySelector('article')?.textContent ?? '').includes('335,000')",
                timeout=30_000)

            # A broken reference shows the error on the page instead of stopping the preview...
            edit(explainer, "{{darien_crossings_2023}}", "{{darien_crossings_2032}}")
            page.wait_for_function(
                "() => (document.querySelector('article h1')?.textContent ?? '')"
                ".startsWith('Content has errors')", timeout=30_000)
            assert "darien_crossings_2032" in page.locator("article").inner_text()

            # ...and fixing it brings the page back.
            edit(explainer, "{{darien_crossings_2032}}", "{{darien_crossings_2023}}")
            page.wait_for_function(
                "() => (document.querySelector('article h1')?.textContent ?? '')"
                ".startsWith('Deportation flights to resume')", timeout=30_000)
        finally:
            browser.close()
