"""Social cards: what they say, that writer text stays text, the content-keyed cache (counted
exports, not time), and builds without a browser or for the live preview."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.charts import card, static
from generator.check.run import check_project
from generator.errors import BuildError
from generator.render.output import SiteInfo
from generator.render.site import generate_site
from generator.resolve.graph import fact_graph
from tests.conftest import copy_project

SLUG = "venezuela-deportation-flights"
HOSTILE = ('<a href="http://127.0.0.1:9/">x</a> <span style="background:url(http://127.0.0.1:9/'
           'p)">y</span> <b>z</b> <br> &amp;')
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
    """How many cards each real export session drew (the real exporter, only counted)."""
    counts: list[int] = []
    real = static._run_export

    def counting(jobs, fmt="svg"):  # type: ignore[no-untyped-def]
        if fmt == "png":
            counts.append(len(jobs))
        return real(jobs, fmt)

    monkeypatch.setattr(static, "_run_export", counting)
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
    notes = card.card_figure(text)["layout"]["annotations"]
    assert any("Short answer" in n["text"] for n in notes)


def test_writer_text_is_drawn_as_characters_not_plotly_markup() -> None:
    text = card.CardText(site_name=HOSTILE, headline=HOSTILE, number=HOSTILE,
                         statement=HOSTILE, source=HOSTILE, tease=HOSTILE)
    for note in card.card_figure(text)["layout"]["annotations"]:
        # Only our own tags remain: bold and line breaks. Everything else is entities.
        tags = set(re.findall(r"</?([a-zA-Z]+)", note["text"]))
        assert tags <= {"b", "br"}, note["text"]
        assert "<a " not in note["text"] and "<span" not in note["text"]
        assert "&lt;a href" in note["text"] or "&lt;" in note["text"]


@pytest.mark.parametrize(("text", "width", "lines", "expected"), [
    ("one two three four", 9, 3, ["one two", "three", "four"]),
    ("one two three four", 9, 2, ["one two", "three…"]),
    ("x" * 25, 10, 3, ["x" * 10, "x" * 10, "x" * 5]),
    ("漢字" * 6, 10, 3, ["漢字漢字漢", "字漢字漢字", "漢字"]),  # wide characters count twice
    ("  spaced\n\tout  ", 20, 1, ["spaced out"]),
])
def test_wrap(text: str, width: int, lines: int, expected: list[str]) -> None:
    assert card.wrap(text, width, lines) == expected


def test_png_size_reads_the_header_and_refuses_other_files() -> None:
    header = card.PNG_SIGNATURE + b"\x00\x00\x00\rIHDR" + (1200).to_bytes(4, "big") + \
        (630).to_bytes(4, "big")
    assert card.png_size(header) == (1200, 630)
    assert card.png_size(b"<svg/>" + header) is None
    assert card.png_size(header[:20]) is None


@pytest.mark.slow
def test_a_card_is_exported_once_and_again_only_when_its_content_changes(
        project_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        export_count: list[int]) -> None:
    monkeypatch.setenv(static.CACHE_ENV, str(tmp_path / "cache"))
    project = checked(project_root)
    first = card.render_cards(project, site_name="Explainers")
    assert (export_count, first.exported, first.warnings) == ([1], 1, [])
    [png] = first.files
    assert card.png_size(png.content) == (1200, 630)
    cached = list((tmp_path / "cache" / "cards").glob("*.png"))
    assert len(cached) == 1 and cached[0].read_bytes() == png.content

    # The same content again, in a new load of the project: nothing is drawn.
    again = card.render_cards(checked(project_root), site_name="Explainers")
    assert (export_count, again.exported) == ([1], 0)
    assert [(f.path, f.content) for f in again.files] == [(png.path, png.content)]

    # A new headline is a new card, under a new URL (social sites cache by URL).
    explainer = project_root / "content" / "explainers" / f"{SLUG}.yaml"
    explainer.write_text(explainer.read_text("utf-8").replace(
        "headline: Biden administration", "headline: The Biden administration", 1), "utf-8")
    changed = card.render_cards(checked(project_root), site_name="Explainers")
    assert (export_count, changed.exported) == ([1, 1], 1)
    assert changed.files[0].path == png.path == f"cards/{SLUG}.png"
    assert changed.files[0].content != png.content
    assert changed.cards[SLUG].url != first.cards[SLUG].url


def test_a_cached_file_that_is_not_the_card_is_drawn_again(
        project_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        export_count: list[int]) -> None:
    monkeypatch.setenv(static.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")  # the export then fails
    project = checked(project_root)
    key = card.card_key(card.card_figure(card.card_text(project, project.explainers[SLUG],
                                                        "Explainers")))
    folder = tmp_path / "cache" / "cards"
    folder.mkdir(parents=True)
    (folder / f"{key}.png").write_bytes(b"<svg onload=alert(1)>")  # planted, not a PNG
    out = card.render_cards(project, site_name="Explainers")
    assert export_count == [1] and out.files == [] and out.cards == {}
    assert out.warnings and "social cards unavailable" in out.warnings[0]


def test_without_a_browser_the_site_is_not_generated_without_its_cards(
        project_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 20: a site without its cards (and its chart pictures) was shipped with "0 warnings".
    monkeypatch.setenv(static.CACHE_ENV, str(tmp_path / "empty-cache"))
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(BuildError) as raised:
        generate_site(checked(project_root), site=SITE)
    assert f"the social card of explainer '{SLUG}' could not be drawn: BrowserFailedError" \
        in raised.value.message


def test_the_live_preview_makes_no_cards_but_keeps_the_feeds(
        project_root: Path, export_count: list[int]) -> None:
    output = generate_site(checked(project_root), static_charts=False, site=SITE)
    files = output.by_path()
    assert export_count == []
    assert not [p for p in files if p.startswith("cards/")]
    assert {"feed.xml", "feed.json", "changes.xml"} <= files.keys()


def test_without_an_absolute_site_url_there_are_no_feeds_or_cards(
        project_root: Path, export_count: list[int]) -> None:
    for site in (None, SiteInfo(name="Explainers", url=None)):
        files = generate_site(checked(project_root), static_charts=True, site=site).by_path()
        assert not [p for p in files if p.startswith("cards/") or p.startswith("feed")]
        assert "changes.xml" not in files
    assert export_count == []


NO_FACTS = """\
slug: housing
headline: Permits keep rising
tease: More permits
lede: Permits rose every month this year. [@stats_office]
published: 2023-03-01
sections:
  - label: By the numbers
    chart: grouped_chart
"""


@pytest.mark.slow
def test_an_explainer_without_facts_gets_its_first_chart(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, export_count: list[int]) -> None:
    from tests.chartkit import CHARTS, make_chart_project

    monkeypatch.setenv(static.CACHE_ENV, str(tmp_path / "cache"))
    root = make_chart_project(tmp_path / "project", {"grouped_chart": CHARTS["grouped_chart"]},
                              files={"content/explainers/housing.yaml": NO_FACTS})
    project = checked(root)
    text = card.card_text(project, project.explainers["housing"], "Explainers",
                          card.chart_datasets(project))
    assert (text.number, text.chart_id) == (None, "grouped_chart")
    assert text.alt() == "Permits keep rising. Chart: Permits by district"
    figure = card.card_figure(text, card.figure(card.chart_datasets(project)["grouped_chart"]))
    assert [t["type"] for t in figure["data"]] == ["bar", "bar"]
    # Text stays where it was put: no automatic margins move the paper coordinates.
    assert figure["layout"]["margin"]["l"] == 0 and not figure["layout"]["xaxis"]["automargin"]
    out = card.render_cards(project, site_name="Explainers")
    assert export_count == [1] and out.warnings == []
    assert card.png_size(out.files[0].content) == (1200, 630)
    assert out.cards["housing"].alt == text.alt()


def test_cards_can_be_turned_off_and_the_feeds_stay(
        project_root: Path, export_count: list[int]) -> None:
    files = generate_site(checked(project_root), site=SITE, cards=False).by_path()
    assert export_count == [] and not [p for p in files if p.startswith("cards/")]
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
    """One bound for a whole export cut off every first build of a few hundred new cards (each
    takes 0.3-0.6 s) and kept none: the bound is per picture, on top of Chromium's start."""
    assert static.export_bound(0) == static.EXPORT_START_S
    assert static.export_bound(1_000) - static.export_bound(999) == static.EXPORT_PER_FIGURE_S
    assert static.export_bound(1_000) > 1_000 * 0.6 * 5  # five times the slowest measured card
