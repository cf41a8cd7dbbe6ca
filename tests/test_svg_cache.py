"""The static chart pictures are never taken from the repository (issue 14).

Written as the attack: a pull request commits ``charts/.svg-cache/<key>.svg`` (the old cache
layout) holding a script and fake numbers, under the very keys the build uses; a cache folder is
a link to somewhere else; a cached picture has been tampered with. The built site publishes only
pictures the build exported itself and that passed the allow-list, and nothing is written through
a link.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.charts import static
from tests.chartkit import CHARTS, make_chart_project
from tests.conftest import copy_project, run_explainer

pytestmark = [pytest.mark.slow]

POISON = (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
          b'<text>999,999 homes</text></svg>')
FAKE_ONLY = b'<svg xmlns="http://www.w3.org/2000/svg"><text>999,999 homes</text></svg>'


def bar_project(tmp_path: Path) -> Path:
    """A buildable project whose only chart is ``bar_chart`` (4 pictures to export)."""
    root = copy_project(tmp_path / "project")
    for path in [*(root / "charts").glob("*.yaml"), *(root / "content/explainers").glob("*")]:
        path.unlink()
    return make_chart_project(root, {"bar_chart": CHARTS["bar_chart"]})


def chart_keys(root: Path, chart_id: str = "bar_chart") -> list[str]:
    """The cache keys the build will use for a chart's pictures (same code, same versions)."""
    from generator.charts.figure import figure
    from generator.charts.render import chart_datasets
    from generator.check.run import check_project

    project, diagnostics = check_project(root)
    assert not diagnostics.errors
    data = chart_datasets(project)[chart_id]
    return sorted(key for key, _ in static.variants(figure(data)).values())


def published_svgs(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.svg")}


def assert_real_pictures(site: Path, keys: list[str]) -> None:
    """Every key is published, drawn by plotly (the chart's own labels), with nothing of the
    poison in it."""
    svgs = published_svgs(site)
    for key in keys:
        svg = svgs[f"charts/{key}.svg"]
        assert b"<script" not in svg and b"999,999" not in svg
        text = "".join(ET.fromstring(svg).itertext())
        assert "North" in text and "South" in text  # the bar chart's categories
    for svg in svgs.values():
        assert b"<script" not in svg and b"999,999" not in svg
    page = (site / "housing" / "index.html").read_text("utf-8")
    assert page.count('data-static="1"') == 1


def test_a_poisoned_cache_in_the_repository_is_never_published(tmp_path: Path) -> None:
    root = bar_project(tmp_path)
    keys = chart_keys(root)
    assert len(keys) == 4  # light and dark, wide and narrow
    committed = root / "charts" / ".svg-cache"
    committed.mkdir()
    for key in keys:
        (committed / f"{key}.svg").write_bytes(POISON)
    # The same keys in the build's own cache: a tampered entry is refused and exported again.
    cache = tmp_path / "cache"
    (cache / "svg").mkdir(parents=True)
    for key in keys:
        (cache / "svg" / f"{key}.svg").write_bytes(POISON)

    result = run_explainer(root, "build", EXPLAINER_CACHE_DIR=str(cache))
    assert result.returncode == 0, result.stderr
    assert_real_pictures(root / "site", keys)
    for key in keys:  # the cache now holds the real pictures; the repository is untouched
        assert b"<script" not in (cache / "svg" / f"{key}.svg").read_bytes()
        assert (committed / f"{key}.svg").read_bytes() == POISON


def test_linked_cache_folders_are_neither_read_nor_written_through(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = bar_project(tmp_path)
    keys = chart_keys(root)
    # The old in-project cache folder, linked out of the project (the build once wrote through).
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "charts" / ".svg-cache").symlink_to(outside)
    # The build's cache folder is itself a link, to a folder holding fake pictures.
    target = tmp_path / "elsewhere"
    target.mkdir()
    for key in keys:
        (target / f"{key}.svg").write_bytes(FAKE_ONLY)
    base = tmp_path / "cache"
    base.mkdir()
    (base / "svg").symlink_to(target)

    result = run_explainer(root, "build", EXPLAINER_CACHE_DIR=str(base))
    assert result.returncode == 0, result.stderr
    assert "is a link; not used" in result.stderr
    assert_real_pictures(root / "site", keys)
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in target.iterdir()) == sorted(f"{k}.svg" for k in keys)
    assert all(p.read_bytes() == FAKE_ONLY for p in target.iterdir())

    # The cache root given as a link is refused the same way.
    linked_base = tmp_path / "linked-cache"
    linked_base.symlink_to(base)
    monkeypatch.setenv(static.CACHE_ENV, str(linked_base))
    assert static.cache_dir(root) is None


def test_a_linked_cache_entry_is_replaced_not_followed(tmp_path: Path) -> None:
    root = bar_project(tmp_path)
    keys = chart_keys(root)
    elsewhere = tmp_path / "elsewhere.svg"
    elsewhere.write_bytes(FAKE_ONLY)  # passes the allow-list: only the link gives it away
    cache = tmp_path / "cache"
    (cache / "svg").mkdir(parents=True)
    for key in keys:
        (cache / "svg" / f"{key}.svg").symlink_to(elsewhere)

    result = run_explainer(root, "build", EXPLAINER_CACHE_DIR=str(cache))
    assert result.returncode == 0, result.stderr
    assert_real_pictures(root / "site", keys)
    assert elsewhere.read_bytes() == FAKE_ONLY  # not written through
    for key in keys:  # the links were replaced by the real pictures
        entry = cache / "svg" / f"{key}.svg"
        assert not entry.is_symlink() and b"North" in entry.read_bytes()


@pytest.mark.parametrize("where", ["project", "charts", "content", "site"])
def test_a_cache_inside_or_around_the_project_is_refused(tmp_path: Path, where: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_chart_project(tmp_path / "project", {"bar_chart": CHARTS["bar_chart"]})
    folder = {"project": root, "charts": root / "charts", "content": root / "content",
              "site": root / "site"}[where]
    monkeypatch.setenv(static.CACHE_ENV, str(folder))
    assert static.cache_dir(root) is None
    monkeypatch.setenv(static.CACHE_ENV, str(tmp_path / "cache"))
    assert static.cache_dir(root) == tmp_path / "cache" / "svg"


def test_a_cache_holding_the_project_is_refused(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_chart_project(tmp_path / "outer" / "svg" / "project",
                              {"bar_chart": CHARTS["bar_chart"]})
    monkeypatch.setenv(static.CACHE_ENV, str(tmp_path / "outer"))
    assert static.cache_dir(root) is None


def test_a_cache_others_may_write_to_is_refused(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_chart_project(tmp_path / "project", {"bar_chart": CHARTS["bar_chart"]})
    shared = tmp_path / "shared"
    (shared / "svg").mkdir(parents=True)
    monkeypatch.setenv(static.CACHE_ENV, str(shared))
    assert static.cache_dir(root) == shared / "svg"
    (shared / "svg").chmod(0o777)  # like a folder in /tmp that anyone could fill
    assert static.cache_dir(root) is None


def test_the_default_cache_is_the_users_cache_folder(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_chart_project(tmp_path / "project", {"bar_chart": CHARTS["bar_chart"]})
    monkeypatch.delenv(static.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert static.cache_dir(root) == tmp_path / "xdg" / "explainer" / "svg"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert static.cache_dir(root) == tmp_path / "home" / ".cache" / "explainer" / "svg"
