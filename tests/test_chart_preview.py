"""A chart edit in ``explainer serve`` costs one rebuild and writes nothing into the project
(issue 8).

The static chart export used to write SVGs into ``charts/.svg-cache/``, inside a watched folder:
every chart edit was a long rebuild, then a second one. The preview now draws charts live only
(no export at all); this test edits a fact that two of the example's charts plot and counts
MkDocs' "Documentation built" lines and the files under ``content/`` and ``charts/``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import copy_project, explainer_build_env, stop_process_group

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SLUG = "venezuela-deportation-flights"
BUILT = re.compile(r"Documentation built in [\d.]+ seconds")
SERVING = re.compile(r"Serving on (http://127\.0\.0\.1:\d+/)")


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every path under content/ and charts/ (folders included) with its mtime and size."""
    out = {}
    for folder in ("content", "charts"):
        for path in sorted((root / folder).rglob("*")):
            info = path.lstat()
            out[path.relative_to(root).as_posix()] = (info.st_mtime_ns, info.st_size)
    return out


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait(predicate, what: str, log: Path, timeout: float = 120):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what}; serve log:\n{log.read_text('utf-8', 'replace')}")


def test_a_chart_fact_edit_is_one_rebuild_and_writes_nothing(tmp_path: Path, browser) -> None:
    root = copy_project(tmp_path / "project")
    cache = tmp_path / "cache"
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--root", str(root), "--addr",
             "127.0.0.1:0"], stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env=explainer_build_env(EXPLAINER_CACHE_DIR=str(cache)))
    try:
        base = _wait(lambda: (m := SERVING.search(log.read_text("utf-8"))) and m.group(1),
                     "serve never said where it serves", log)
        url = base + f"{SLUG}/"
        page = _wait(lambda: _get(url), "the page was never served", log)
        assert "200,000" in page and "data-static=\"0\"" in page and "<picture" not in page
        time.sleep(2)  # the first build's own file events, if any, have been handled
        builds = len(BUILT.findall(log.read_text("utf-8")))
        before = snapshot(root)

        facts = root / "content" / "facts" / "venezuela-deportations.yaml"
        text = facts.read_text("utf-8")
        assert "value: 334000" in text
        facts.write_text(text.replace("value: 334000", "value: 335000"), "utf-8")
        edited = facts.relative_to(root).as_posix()
        before.pop(edited)

        # The charted value (60% of the total) reaches the chart's data table and its figure.
        _wait(lambda: "201,000" in (_get(url) or ""), "the edit never reached the page", log)
        figure = _get(base + "charts/darien_crossings_by_nationality.json") or ""
        assert "201000" in figure
        time.sleep(3)  # long enough for a rebuild triggered by the first one to have started
        assert len(BUILT.findall(log.read_text("utf-8"))) == builds + 1
        after = snapshot(root)
        after.pop(edited)
        assert after == before  # nothing written, created or removed in the watched folders
        assert not cache.exists()  # the preview exports no static pictures at all

        # Without static paint the live chart is the preview: it draws when scrolled near.
        view = browser.new_page(viewport={"width": 1100, "height": 900})
        view.goto(url)
        chart = view.locator("#chart-darien-crossings-by-nationality")
        chart.scroll_into_view_if_needed()
        view.wait_for_function(
            "document.querySelector('#chart-darien-crossings-by-nationality')"
            ".dataset.state === 'ready'", timeout=30000)
        drawn = chart.locator(".explainer-chart__canvas").inner_text()
        view.close()
        assert "201,000" in drawn
    finally:
        stop_process_group(process)
