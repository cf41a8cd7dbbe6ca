"""Social cards painted with Pillow (issue 21): at most 30 KB, 1200x630 palette PNGs, the same
bytes for the same text, lines measured to fit, the headline and key number on the card, any
script drawn as far as the shipped font can, and a build that publishes them."""

from __future__ import annotations

import hashlib
import io
import threading
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from generator.charts import card, cardpaint
from generator.check.run import check_project
from generator.render.output import SiteInfo
from generator.render.site import generate_site
from tests.chartkit import CHARTS, make_chart_project
from tests.conftest import build_project, copy_project

MAX_BYTES = 30 * 1024
SLUG = "venezuela-deportation-flights"
SITE = SiteInfo(name="Explainers", url="https://news.example.org/")
LONG = ("Ministry says talks on a trade deal will resume after the holidays, officials tell "
        "reporters, though nobody is sure when exactly or why it matters for the region ") * 12
WORST = card.CardText(
    site_name="The Very Long Name of a Newsroom That Goes On and On " * 4,
    headline="北京 talks 🚀 " + LONG + "Antidisestablishmentarianism" * 20,
    number="more than 1,234,567,890,123,456 people in 2023, 2024, 2025 and after that",
    statement="Homes built in Москва, القاهرة, 東京 and Αθήνα since 2020 😀🎉 " * 20,
    source="Statistics Office of a very long name " * 30, tease="unused")
NO_GLYPHS = card.CardText(site_name="新闻", headline="東京の住宅 🏠🏠", number="百万",
                          statement="統計", source="局")


def checked(root: Path):  # type: ignore[no-untyped-def]
    project, diagnostics = check_project(root)
    assert not diagnostics.errors, [d.format() for d in diagnostics.errors]
    return project


def picture(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def assert_small_card(png: bytes) -> None:
    assert len(png) <= MAX_BYTES, len(png)
    image = picture(png)
    assert (image.format, image.size, image.mode) == ("PNG", (1200, 630), "P")


def assert_fits(layout: card.CardLayout) -> None:
    for text in layout.texts:
        right = text.x if text.right else text.x + text.width
        left = text.x - text.width if text.right else text.x
        assert left >= card.MARGIN and right <= card.WIDTH - card.MARGIN, text
        face = cardpaint.font(text.size, text.bold)
        ascent, descent = face.getmetrics()
        assert text.y - ascent >= 0 and text.y + descent <= card.HEIGHT, text


@pytest.fixture(scope="module")
def example():  # type: ignore[no-untyped-def]
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        project = checked(copy_project(Path(tmp) / "project"))
        yield project, card.render_cards(project, site_name="Explainers")


def test_the_example_sites_card_is_small_and_says_the_headline_and_key_number(example) -> None:  # type: ignore[no-untyped-def]
    project, out = example
    [file] = out.files
    assert file.path == f"cards/{SLUG}.png"
    assert_small_card(file.content)
    text = card.card_text(project, project.explainers[SLUG], "Explainers")
    layout = card.card_layout(text)
    assert_fits(layout)
    assert layout.strings() == [
        "Explainers",
        "Biden administration to resume", "deportation flights to Venezuela",
        "60%",
        "Share of the migrants crossing the Darién Gap since January 2023 who were",
        "Venezuelan.",
        "Source: [Panamanian statistics on migrants crossing the Darién Gap]"]
    big = next(t for t in layout.texts if t.text == "60%")
    assert (big.size, big.role) == (96, "brand")  # the key number, large, in the site's indigo
    # Named by slug, versioned by a hash of the bytes.
    assert out.cards[SLUG].url == \
        f"cards/{SLUG}.png?v={hashlib.sha256(file.content).hexdigest()[:16]}"


def test_the_same_card_is_the_same_bytes(example) -> None:  # type: ignore[no-untyped-def]
    project, out = example
    again = card.render_cards(project, site_name="Explainers")
    assert [(f.path, f.content) for f in again.files] == \
        [(f.path, f.content) for f in out.files]
    assert card.paint(card.card_layout(WORST)) == card.paint(card.card_layout(WORST))


def test_the_worst_case_stays_small_and_fits() -> None:
    layout = card.card_layout(WORST)
    assert_fits(layout)
    png = card.paint(layout)
    assert_small_card(png)
    lines = layout.strings()
    # Every field cut where it stops fitting, with an ellipsis; nothing overflows the width.
    assert lines[0].startswith("The Very Long Name") and lines[0].endswith("…")
    headline = [t for t in layout.texts if t.role == "ink"]
    assert len(headline) == 3 and headline[0].size == 44 and headline[-1].text.endswith("…")
    # What the font lacks is left out (CJK, most emoji); the rest is drawn.
    assert headline[0].text.startswith("talks Ministry says")
    number = [t for t in layout.texts if t.role == "brand"]
    assert len(number) == 1 and number[0].text.startswith("more than 1,234,567")
    assert number[0].text.endswith("…")
    statement = [t.text for t in layout.texts if t.size == 26]
    assert len(statement) == 2 and "Москва" in statement[0] and "القاهرة" in statement[0]
    assert "東京" not in statement[0] and "Αθήνα" in statement[0]
    assert lines[-1].startswith("Source: Statistics Office") and lines[-1].endswith("…")


def test_a_card_of_only_characters_the_font_lacks_is_still_a_card() -> None:
    layout = card.card_layout(NO_GLYPHS)
    assert layout.strings() == []  # the font has none of it: the bands alone, no "Source:"
    assert_small_card(card.paint(layout))
    # The alt text (og:image:alt) still says it all.
    assert NO_GLYPHS.alt() == "東京の住宅 🏠🏠. 百万: 統計"


def test_a_nul_and_noncharacters_are_left_out() -> None:
    text = card.CardText(site_name="Explainers", headline="Null\x00 and \ufffe here",
                         number="1,200", statement="Homes\x01 built", source="City\x9f")
    layout = card.card_layout(text)
    assert layout.strings() == ["Explainers", "Null and here", "1,200", "Homes built",
                                "Source: City"]
    assert_small_card(card.paint(layout))


def test_markup_in_writer_text_is_drawn_as_characters() -> None:
    hostile = '<a href="http://127.0.0.1:9/">x</a> <b>z</b> &amp;'
    layout = card.card_layout(card.CardText(site_name="S", headline=hostile))
    assert " ".join(layout.strings()[1:]) == hostile


@pytest.mark.parametrize("size", [22, 30, 54])
def test_wrap_measures_pixels(size: int) -> None:
    face = cardpaint.font(size, True)
    width = 400
    lines = cardpaint.wrap(LONG, face, width, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(face.getlength(line) <= width for line in lines)
    # Greedy: the next word would not have fitted on a full line.
    words = LONG.split()
    assert face.getlength(f"{lines[0]} {words[len(lines[0].split())]}") > width
    # A word wider than a line is cut into pieces that fit.
    pieces = cardpaint.wrap("W" * 200, face, width, 40)
    assert len(pieces) > 1 and "".join(pieces) == "W" * 200
    assert all(face.getlength(p) <= width for p in pieces)


def test_wrap_keeps_short_text_whole_and_wide_letters_narrower() -> None:
    face = cardpaint.font(30)
    assert cardpaint.wrap("  spaced\n\tout  ", face, 1000, 1) == ["spaced out"]
    # Measured, not counted: forty i's fit where forty W's do not.
    assert cardpaint.wrap("i" * 40, face, 400, 1) == ["i" * 40]
    assert cardpaint.wrap("W" * 40, face, 400, 1) != ["W" * 40]


def test_an_explainer_without_a_number_shows_its_tease() -> None:
    layout = card.card_layout(card.CardText(site_name="S", headline="Why?",
                                            tease="Short answer"))
    assert layout.strings() == ["S", "Why?", "Short answer"] and layout.chart is None
    assert_small_card(card.paint(layout))


NO_FACTS = """\
slug: housing
headline: Permits keep rising
tease: More permits
lede: Permits rose every month this year. [@stats_office]
published: 2023-03-01
sections:
  - label: By the numbers
    chart: {chart}
"""


@pytest.mark.parametrize("chart", ["grouped_chart", "line_chart", "bar_chart", "hbar_chart",
                                   "stacked_chart"])
def test_an_explainer_without_facts_shows_its_first_chart(tmp_path: Path, chart: str) -> None:
    root = make_chart_project(tmp_path / "project", {chart: CHARTS[chart]},
                              files={"content/explainers/housing.yaml":
                                     NO_FACTS.format(chart=chart)})
    project = checked(root)
    charts = card.chart_datasets(project)
    text = card.card_text(project, project.explainers["housing"], "Explainers", charts)
    if chart in ("grouped_chart", "line_chart"):  # from a CSV table: the page shows no fact
        assert (text.number, text.chart_id) == (None, chart)
    else:  # drawn from facts: the card shows the first fact; the chart is painted all the same
        assert text.number is not None
        text = card.CardText(site_name="Explainers", headline="Permits keep rising",
                             chart_id=chart, chart_title=charts[chart].chart.title)
    layout = card.card_layout(text, charts[chart])
    assert layout.chart is charts[chart] and layout.chart_box is not None
    assert_fits(layout)
    title = charts[chart].chart.title
    assert layout.strings() == ["Explainers", "Permits keep rising", title]
    labels = card.paint_chart(None, charts[chart], layout.chart_box)
    left, top, right, bottom = layout.chart_box
    for label in labels:
        x0 = label.x - label.width if label.right else label.x
        assert left <= x0 and x0 + label.width <= right and top < label.y <= bottom, label
    if chart == "grouped_chart":  # two series: a legend of both
        assert [t.text for t in labels[:2]] == [s.name for s in charts[chart].series]
    png = card.paint(layout)
    assert_small_card(png)
    assert png == card.paint(card.card_layout(text, charts[chart]))
    if text.chart_id == chart and chart in ("grouped_chart", "line_chart"):
        out = card.render_cards(project, site_name="Explainers")
        assert out.files[0].content == png
        assert out.cards["housing"].alt == f"Permits keep rising. Chart: {title}"


DONUT = """\
id: donut_chart
type: donut
title: Permits by month
data:
  csv: permits.csv
  sources: [stats_office]
  x: month
  y: [north]
"""


def test_a_donut_gives_the_tease_and_a_timeline_is_not_painted(tmp_path: Path) -> None:
    root = make_chart_project(tmp_path / "project", {"donut_chart": DONUT},
                              files={"content/explainers/housing.yaml":
                                     NO_FACTS.format(chart="donut_chart")})
    project = checked(root)
    text = card.card_text(project, project.explainers["housing"], "Explainers",
                          card.chart_datasets(project))
    assert (text.number, text.chart_id) == (None, None)
    assert card.card_layout(text).strings() == ["Explainers", "Permits keep rising",
                                                "More permits"]
    timeline = card.chart_datasets(checked(make_chart_project(
        tmp_path / "timeline", {"timeline_chart": CHARTS["timeline_chart"]})))
    assert not card.can_paint(timeline["timeline_chart"])


def test_the_fonts_and_their_licence_are_package_data() -> None:
    """An installed package paints with the fonts it ships (a wheel built from this pyproject
    holds them), and their licence travels with them."""
    config = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["generator.charts"]
    folder = Path(card.__file__).parent
    shipped = {p.relative_to(folder).as_posix() for pattern in patterns
               for p in folder.glob(pattern)}
    assert shipped == {"fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf", "fonts/LICENSE.txt"}
    assert set(cardpaint.FONT_FILES.values()) == {Path(p).name for p in shipped
                                                  if p.endswith(".ttf")}
    assert "Bitstream Vera" in (folder / "fonts" / "LICENSE.txt").read_text("utf-8")


def test_cards_need_no_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the chart pictures need Chromium: without it, every card is still drawn."""
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    project = checked(copy_project(tmp_path / "project"))
    out = card.render_cards(project, site_name="Explainers")
    assert [f.path for f in out.files] == [f"cards/{SLUG}.png"]


def test_generation_names_each_card_on_its_page(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # The cards are painted in a thread of their own, beside the chart pictures' export (an
    # empty cache folder: a card painted before would be read back, not painted).
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path / "cache"))
    threads: list[str] = []
    real = card.paint

    def painting(layout: card.CardLayout) -> bytes:
        threads.append(threading.current_thread().name)
        return real(layout)

    monkeypatch.setattr(card, "paint", painting)
    files = generate_site(checked(copy_project(tmp_path / "project")), site=SITE).by_path()
    assert len(threads) == 1 and threads[0].startswith("social-cards")
    page = files[f"{SLUG}.md"].page
    assert page is not None and page.image is not None
    assert page.image.startswith(f"cards/{SLUG}.png?v=")
    assert_small_card(files[f"cards/{SLUG}.png"].content)


@pytest.mark.slow
def test_a_built_site_publishes_its_cards(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    site = build_project(root, EXPLAINER_SITE_URL="https://news.example.org/")
    head = BeautifulSoup((site / SLUG / "index.html").read_text("utf-8"), "html.parser").head
    image = head.find("meta", property="og:image")["content"]
    url = urlsplit(image)
    assert (url.scheme, url.netloc) == ("https", "news.example.org")
    published = site / url.path.lstrip("/")
    assert published == site / "cards" / f"{SLUG}.png" and published.is_file()
    png = published.read_bytes()
    assert_small_card(png)
    assert url.query == f"v={hashlib.sha256(png).hexdigest()[:16]}"
    assert head.find("meta", property="og:image:alt")["content"].startswith(
        "Biden administration to resume deportation flights to Venezuela. 60%")
