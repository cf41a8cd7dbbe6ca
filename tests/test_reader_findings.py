"""What readers of a built site see, for issue 22's reader findings: dates beside headlines
(item 7), one key number on the front page and the social card (9), one citation marker per
source per sentence (11), every timeline event labelled (12) and the theme's HTML errors (20).
The browser-level findings (front page layout, the accessibility tree) are in
tests/test_reader_findings_browser.py."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.charts import card
from generator.check.run import check_project
from tests.chartkit import CHARTS, make_chart_project
from tests.conftest import build_project, run_explainer
from tests.readerkit import EARLIER, SLUG, reader_project

SITE_URL = "https://news.example.org/"
BOTH_DATES = "Sept. 20, 2023 · Updated Oct. 6, 2023"


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", node.get_text(" ", strip=True)).replace(" ,", ",")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_project(reader_project(tmp_path_factory.mktemp("readers") / "project"),
                         EXPLAINER_SITE_URL=SITE_URL)


@pytest.fixture(scope="module")
def keyed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = reader_project(tmp_path_factory.mktemp("keyed") / "project",
                          key_fact="status_newly_eligible")
    return build_project(root, EXPLAINER_SITE_URL=SITE_URL)


# ------------------------------------------------------------------ 7. dates beside headlines

def test_follows_dates_the_earlier_piece_by_first_publication(site: Path) -> None:
    follows = text(soup(site, f"{SLUG}/index.html").select_one(".explainer-follows"))
    assert follows == f"Follows: Administration expands protected status, {BOTH_DATES}"


def test_tag_pages_front_page_and_archive_show_first_published_then_updated(site: Path) -> None:
    tag = [text(li) for li in soup(site, "tags/immigration/index.html").select("article li")]
    assert any(line.endswith(BOTH_DATES) for line in tag), tag
    assert any(line.endswith("· Oct. 5, 2023") for line in tag), tag  # never updated: one date
    cards = soup(site, "index.html").select("article.explainer-card")
    earlier = next(c for c in cards if c.select_one(f"a[href='{EARLIER}/']"))
    meta = earlier.select_one(".explainer-card__meta")
    assert text(meta).startswith(BOTH_DATES)
    assert [t["datetime"] for t in meta.select("time")] == ["2023-09-20", "2023-10-06"]
    archive = [text(li) for li in soup(site, "archive/index.html").select("article li")]
    assert any(BOTH_DATES in line for line in archive), archive


# --------------------------------------------------------------------------- 9. key number

def front_value(site: Path, slug: str) -> str:
    cards = soup(site, "index.html").select("article.explainer-card")
    found = next(c for c in cards if c.select_one(f"a[href='{slug}/']"))
    return text(found.select_one(".explainer-card__value"))


def card_alt(site: Path, slug: str) -> str:
    return str(soup(site, f"{slug}/index.html").select_one(
        "meta[property='og:image:alt']")["content"])


def test_without_key_fact_one_rule_never_picks_a_date(site: Path) -> None:
    # "By the numbers" shows the announcement date first: the rule passes over it.
    assert front_value(site, EARLIER) == "About 242,700"
    assert "About 242,700: People who already held" in card_alt(site, EARLIER)
    assert "Sept. 20, 2023:" not in card_alt(site, EARLIER)
    # The seed keeps its first figure of "By the numbers", on the card too.
    assert front_value(site, SLUG) == "60%"
    assert "60%: Share of the migrants" in card_alt(site, SLUG)


def test_key_fact_chooses_the_number_on_front_page_and_card_alike(keyed_site: Path) -> None:
    assert front_value(keyed_site, EARLIER) == "About 472,000"  # sentence case in both
    assert "About 472,000: People newly eligible" in card_alt(keyed_site, EARLIER)
    # The card picture itself: the published PNG is the card painted with that number.
    project, _ = check_project(keyed_site.parent)
    text_ = card.card_text(project, project.explainers[EARLIER], "Explainers")
    assert text_.number == "About 472,000"
    assert text_.statement and text_.statement.startswith("People newly eligible")
    layout = card.card_layout(text_)
    assert "About 472,000" in layout.strings()
    published = (keyed_site / f"cards/{EARLIER}.png").read_bytes()
    assert published == card.paint(layout)


def test_key_fact_must_name_a_fact_the_page_shows(tmp_path: Path) -> None:
    root = reader_project(tmp_path / "unknown", key_fact="status_newly_elegible")
    result = run_explainer(root, "check")
    assert result.returncode == 1
    assert re.search(rf"content/explainers/{EARLIER}\.yaml:\d+:\d+: error: key_fact: unknown "
                     r"fact 'status_newly_elegible' \(did you mean 'status_newly_eligible'\?\)",
                     result.stdout + result.stderr), result.stdout + result.stderr
    root = reader_project(tmp_path / "unshown", key_fact="darien_crossings_2023")
    result = run_explainer(root, "check")
    assert result.returncode == 1
    assert "key_fact: fact 'darien_crossings_2023' is not shown on this explainer's page" in \
        result.stdout + result.stderr


# ---------------------------------------------------------------------- 11. citation markers

_SENTENCE_END = re.compile(r"[.!?][”’\"')]*((?:\[\d+\])*)(?=\s+[A-Z“\"]|$)")


def sentences_with_markers(node) -> list[str]:  # type: ignore[no-untyped-def]
    """The node's text with each citation marker as "[n]", cut into sentences."""
    node = BeautifulSoup(str(node), "html.parser")
    for sup in node.select("sup[id^='fnref']"):
        sup.replace_with(f"[{sup.get_text(strip=True)}]")
    whole = re.sub(r"\s+", " ", node.get_text()).strip()
    out, start = [], 0
    for match in _SENTENCE_END.finditer(whole):
        out.append(whole[start:match.end()].strip())
        start = match.end()
    if whole[start:].strip():
        out.append(whole[start:].strip())
    return out


def test_one_marker_per_source_per_sentence_at_the_end_of_its_clause(site: Path) -> None:
    article = soup(site, f"{SLUG}/index.html").select_one("article")
    checked = 0
    for block in article.select("p, li"):
        if block.find_parent(class_="footnote") or block.find_parent("figure"):
            continue
        for sentence in sentences_with_markers(block):
            markers = re.findall(r"\[(\d+)\]", sentence)
            assert len(markers) == len(set(markers)), sentence
            checked += 1
    assert checked > 20
    # The Darién bullet: its two Panamanian figures share one marker, after their clause, and
    # the sentence's own citation of the seed article closes it; no marker sits on a number.
    bullet = next(li for li in article.select("li") if "Darién Gap" not in text(li)
                  and "made the trek" in text(li))
    [line] = sentences_with_markers(bullet)
    assert re.search(r"have been Venezuelan,\[\d+\] according", line), line
    assert not re.search(r"\d%?\[\d+\]", line.split(" people.")[0]), line
    assert re.search(r"people\.\[1\]\[\d+\]$", line), line


# ----------------------------------------------------------------------- 12. timeline chart

def test_timeline_picture_labels_every_event_with_its_date(tmp_path: Path) -> None:
    root = make_chart_project(tmp_path / "timeline", {"timeline_chart": CHARTS["timeline_chart"]})
    facts = root / "content/facts/main.yaml"
    # Three events, two of them two days apart: the case a date axis cannot label alone.
    facts.write_text(facts.read_text(encoding="utf-8").replace("2022-03-15", "2023-09-20")
                     .replace("2022-09-01", "2023-10-03").replace("2023-01-10", "2023-10-05"),
                     encoding="utf-8")
    for part in ("docs", "mkdocs.yml"):
        src = Path(__file__).resolve().parents[1] / part
        target = root / part
        if src.is_dir():
            shutil.copytree(src, target)
        else:
            target.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    site = build_project(root)
    figure = soup(site, "housing/index.html").select_one("figure[data-type='timeline']")
    pictures = [img["src"] for img in figure.select(".explainer-chart__static img")]
    assert len(pictures) >= 2  # light and dark, phone and desktop
    for src in pictures:
        svg = (site / "housing" / src).resolve().read_text(encoding="utf-8")
        # The date written beside each event's marker (plotly's text points), in date order.
        beside = [re.sub(r"<[^>]+>", "", t) for t in re.findall(
            r'<g class="textpoint"[^>]*><text[^>]*>(.*?)</text>', svg)]
        assert beside == ["Sept. 20, 2023", "Oct. 3, 2023", "Oct. 5, 2023"], (src, beside)


# ------------------------------------------------------------------ 20. the theme's HTML errors

# Material's two toggles carry autocomplete="off" in base.html, outside any block a theme can
# override: the one Nu Html Checker error left, listed in bench/README.md.
MATERIAL_TOGGLES = {"__drawer", "__search"}


def test_every_label_names_a_control_on_its_page(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        ids = {node["id"] for node in html.select("[id]")}
        for label in html.select("label[for]"):
            assert label["for"] in ids, (page.relative_to(site), str(label)[:120])
        stray = {node.get("id") for node in html.select("input[autocomplete]")
                 if node.get("type") == "checkbox"} - MATERIAL_TOGGLES
        assert not stray, (page.relative_to(site), stray)
