"""Social cards: what they say, a new URL when the content changes, and builds for the live
preview, without a site URL or with cards off (how a card is painted:
tests/test_cards_pillow.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.charts import card, static
from generator.check.run import check_project
from generator.render.output import SiteInfo
from generator.render.site import generate_site
from generator.resolve.graph import fact_graph
from tests.conftest import copy_project

SLUG = "venezuela-deportation-flights"
SITE = SiteInfo(name="Explainers", url="https://news.example.org/")


@pytest.fixture()
def project_root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def checked(root: Path):  # type: ignore[no-untyped-def]
    project, diagnostics = check_project(root)
    assert not diagnostics.errors, [d.format() for d in diagnostics.errors]
    return project


@pytest.fixture()
def export_count(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many pictures each Chromium export session drew (the real exporter, only counted):
    cards need none."""
    counts: list[int] = []
    real = static._run_export

    def counting(jobs, fmt="svg"):  # type: ignore[no-untyped-def]
        counts.append(len(jobs))
        return real(jobs, fmt)

    monkeypatch.setattr(static, "_run_export", counting)
    return counts


@pytest.fixture()
def painted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many cards were painted (the real painter, only counted)."""
    counts: list[int] = []
    real = card.paint

    def counting(layout):  # type: ignore[no-untyped-def]
        counts.append(1)
        return real(layout)

    monkeypatch.setattr(card, "paint", counting)
    return counts


def test_card_text_is_the_headline_and_first_key_number(project_root: Path) -> None:
    project = checked(project_root)
    text = card.card_text(project, project.explainers[SLUG], "Explainers")
    assert text.headline == "Biden administration to resume deportation flights to Venezuela"
    first = fact_graph(project).shown[SLUG][0]
    assert text.statement == project.facts[first].statement and text.number
    assert text.alt() == f"{text.headline}. {text.number[0].upper()}{text.number[1:]}: " \
        f"{text.statement}"


def test_an_explainer_without_facts_gets_its_tease() -> None:
    text = card.CardText(site_name="S", headline="Why? ", tease="Short answer")
    assert text.alt() == "Why?"
    assert "Short answer" in card.card_layout(text).strings()


def test_a_card_changes_its_url_only_when_its_content_changes(project_root: Path) -> None:
    first = card.render_cards(checked(project_root), site_name="Explainers")
    [png] = first.files
    # The same content again, in a new load of the project: the same bytes, the same URL.
    again = card.render_cards(checked(project_root), site_name="Explainers")
    assert [(f.path, f.content) for f in again.files] == [(png.path, png.content)]
    assert again.cards[SLUG].url == first.cards[SLUG].url
    # A new headline is a new card, under a new URL (social sites cache by URL).
    explainer = project_root / "content" / "explainers" / f"{SLUG}.yaml"
    explainer.write_text(explainer.read_text("utf-8").replace(
        "headline: Biden administration", "headline: The Biden administration", 1), "utf-8")
    changed = card.render_cards(checked(project_root), site_name="Explainers")
    assert changed.files[0].path == png.path == f"cards/{SLUG}.png"
    assert changed.files[0].content != png.content
    assert changed.cards[SLUG].url != first.cards[SLUG].url


def test_the_live_preview_makes_no_cards_but_keeps_the_feeds(
        project_root: Path, export_count: list[int], painted: list[int]) -> None:
    output = generate_site(checked(project_root), static_charts=False, site=SITE)
    files = output.by_path()
    assert export_count == [] and painted == []
    assert not [p for p in files if p.startswith("cards/")]
    assert {"feed.xml", "feed.json", "changes.xml"} <= files.keys()


def test_without_an_absolute_site_url_there_are_no_feeds_or_cards(
        project_root: Path, painted: list[int]) -> None:
    for site in (None, SiteInfo(name="Explainers", url=None)):
        files = generate_site(checked(project_root), static_charts=True, site=site).by_path()
        assert not [p for p in files if p.startswith("cards/") or p.startswith("feed")]
        assert "changes.xml" not in files
    assert painted == []


def test_cards_can_be_turned_off_and_the_feeds_stay(
        project_root: Path, painted: list[int]) -> None:
    files = generate_site(checked(project_root), site=SITE, cards=False).by_path()
    assert painted == [] and not [p for p in files if p.startswith("cards/")]
    assert files[f"{SLUG}.md"].page.image is None
    assert {"feed.xml", "feed.json", "changes.xml"} <= files.keys()


@pytest.mark.slow
def test_social_cards_false_in_mkdocs_yml_builds_without_cards(project_root: Path) -> None:
    from bs4 import BeautifulSoup

    from tests.conftest import build_project

    config = project_root / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "\n  - explainer\n" in text
    config.write_text(text.replace("\n  - explainer\n",
                                   "\n  - explainer:\n      social_cards: false\n"), "utf-8")
    site = build_project(project_root)
    assert not (site / "cards").exists() and (site / "feed.xml").is_file()
    head = BeautifulSoup((site / SLUG / "index.html").read_text("utf-8"), "html.parser").head
    assert head.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
    assert head.find("meta", property="og:image") is None


def test_the_export_bound_grows_with_the_pictures_to_draw() -> None:
    """One bound for a whole export cut off every first build of a few hundred new chart
    pictures (each takes 0.3-0.6 s) and kept none: the bound is per picture, on top of
    Chromium's start."""
    assert static.export_bound(0) == static.EXPORT_START_S
    assert static.export_bound(1_000) - static.export_bound(999) == static.EXPORT_PER_FIGURE_S
    assert static.export_bound(1_000) > 1_000 * 0.6 * 5  # five times the slowest measured
