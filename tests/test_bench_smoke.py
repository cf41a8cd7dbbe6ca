"""The build benchmark's code paths work (bench/build.py, sites.py, preview.py), at 3 explainers.

Counts only: pages built, files re-parsed after one edit, what the edit changed. Never time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench import preview as pv
from bench import sites
from generator.check.run import check_project
from generator.load.project import content_files
from generator.publish.build import build_site

pytestmark = pytest.mark.slow
COUNT = 3


@pytest.fixture(autouse=True)
def _quiet_banner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def test_plain_and_hugo_projects_hold_the_same_pages(tmp_path: Path) -> None:
    root = sites.make_root(tmp_path / "project", COUNT)
    # The synthetic project's own chart (every tenth explainer: topic-00000), not the repo's.
    assert [p.name for p in (root / "charts").iterdir()] == ["chart_00000.yaml"]
    project, diagnostics = check_project(root)
    assert not diagnostics.errors
    view = sites.explainer_view(root, project, tmp_path / "scratch")
    pages = view.pages()
    # 3 explainers, home, sources, facts, what changed, search, tags index, 4 tags (tag-0..2,
    # all) and one archive page.
    assert len([p for p in pages if p.startswith("topic-")]) == COUNT
    assert len(pages) == COUNT + 5 + 1 + 4 + 1

    result = build_site(root=root, site_dir=tmp_path / "site")
    assert result.pages == len(pages)
    config = sites.write_plain_mkdocs(view, root, tmp_path / "plain")
    plugins = yaml.safe_load(config.read_text("utf-8"))["plugins"]
    assert "explainer" not in plugins
    sites.plain_build(config, tmp_path / "plain-site")
    # The plain build renders the very same pages (plus the same hand-written guide and 404).
    assert _pages(tmp_path / "plain-site") == _pages(tmp_path / "site")
    full_page = (tmp_path / "site/topic-00001/index.html").read_text("utf-8")
    plain_page = (tmp_path / "plain-site/topic-00001/index.html").read_text("utf-8")
    # The same menu (the primary sidebar; our theme does not write the table of contents an
    # explainer hides, which stock Material writes hidden).
    def menu(page: str) -> str:
        return page.split("md-sidebar--primary", 1)[1].split("md-sidebar--secondary", 1)[0] \
            .split('data-md-component="content"', 1)[0]

    assert menu(full_page).count("md-nav__link") == menu(plain_page).count("md-nav__link") > 0

    assert sites.write_hugo(view, tmp_path / "hugo") == len(pages)
    assert (tmp_path / "hugo/content/_index.md").is_file()
    assert (tmp_path / "hugo/content/tags/_index.md").is_file()
    assert (tmp_path / "hugo/static/data/facts.json").is_file()


def test_preview_after_one_edit_counts(tmp_path: Path) -> None:
    root = sites.make_root(tmp_path / "project", COUNT)
    files = len(content_files(root))
    result = pv.preview_in_process(root, COUNT)
    assert result.content_files == files == 3 * COUNT + 1  # and a chart
    assert result.reparsed == 1  # only the edited facts file is read again
    assert result.checked == 1  # and judged again by the check
    assert result.steps["check"] > 0 and result.steps["generate"] > 0
    # Then a new explainer (three new files): the navigation changes, everything is rendered.
    assert len(content_files(root)) == files + 3
    assert result.nav_explainers_rendered == COUNT + 1
    assert result.nav_pages_built == result.pages_total + 2  # its page and its tag's page
    slug = pv.edited_slug(COUNT)
    assert result.page_shows_edit
    # What the edit affects: its explainer's page and data, the facts page and the part of the
    # download holding the fact; not the download's index (data/facts.json, facts.csv).
    assert {f"{slug}.md", f"data/explainers/{slug}.json", "facts/index.md",
            "data/facts/all.json", "data/facts/all.csv"} <= set(result.generated_changed)
    assert not {"data/facts.json", "data/facts.csv"} & set(result.generated_changed)
    assert not any(p.startswith("topic-") and p != f"{slug}.md" for p in result.generated_changed)
    assert result.pages_total == COUNT + 5 + 1 + 4 + 1 + 1  # generated, archive, the guide
    assert 1 <= result.pages_built <= result.pages_total
    assert 1 <= result.explainers_rendered <= COUNT
    assert 0 < result.site_changed < result.site_files
