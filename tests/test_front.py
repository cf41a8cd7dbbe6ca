"""The front page and the archive (generator/render/front.py): key numbers, reading time, and
bounds that hold at any number of explainers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synth import write_project
from generator.check.run import check_project
from generator.render import front, pages

REPO = Path(__file__).resolve().parents[1]
SLUG = "venezuela-deportation-flights"


@pytest.fixture(scope="module")
def seed():  # type: ignore[no-untyped-def]
    project, diagnostics = check_project(REPO)
    assert not diagnostics.errors
    return project


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    # 130 explainers: three archive pages of 50, more than the front page's cards.
    root = write_project(tmp_path_factory.mktemp("many"), 130)
    project, diagnostics = check_project(root)
    assert not diagnostics.errors, [d.format() for d in diagnostics.errors[:3]]
    return project


def test_key_number_is_the_first_fact_of_by_the_numbers(seed) -> None:  # type: ignore[no-untyped-def]
    ex = seed.explainers[SLUG]
    assert front.key_fact(seed, ex) == "venezuelan_share_darien_2023"
    number = front.key_number(seed, ex)
    assert number is not None and number["value"] == "60%"
    assert number["statement"].startswith("Share of the migrants crossing the Dari")


def test_key_number_falls_back_to_the_first_fact_shown(seed) -> None:  # type: ignore[no-untyped-def]
    ex = seed.explainers[SLUG]
    saved = [s.label for s in ex.sections]
    try:
        for section in ex.sections:
            section.label = "Context"
        shown = front.key_fact(seed, ex)
    finally:
        for section, label in zip(ex.sections, saved, strict=True):
            section.label = label
    assert shown is not None and shown in seed.facts


def test_reading_time_from_the_words_of_the_story(seed) -> None:  # type: ignore[no-untyped-def]
    ex = seed.explainers[SLUG]
    words = front.word_count(seed, ex)
    assert 400 < words < 700  # the seed's prose, values shown, citations dropped
    assert front.reading_minutes(seed, ex) == -(-words // front.WORDS_PER_MINUTE)


def test_front_page_shows_card_with_key_number(seed) -> None:  # type: ignore[no-untyped-def]
    home = front.render_home(seed, pages.environment(REPO))
    assert home.path == "index.md"
    text = str(home.content)
    assert f"]({SLUG}.md)" in text
    assert '<strong class="explainer-card__value">60%</strong>' in text
    assert '<time datetime="2023-10-05">Oct. 5, 2023</time>' in text
    assert "[immigration](tags/immigration.md)" in text
    assert "(archive/index.md)" in text


def test_front_page_is_bounded_and_archive_pages(many) -> None:  # type: ignore[no-untyped-def]
    env = pages.environment(REPO)
    text = str(front.render_home(many, env).content)
    assert text.count('<article class="explainer-card') == front.LATEST
    assert text.count('class="explainer-topic"') == front.TOPICS
    newest = many.explainers_newest_first()
    assert f"]({newest[0].slug}.md)" in text and f"]({newest[-1].slug}.md)" not in text
    archive = front.render_archive(many, env)
    assert [f.path for f in archive] == ["archive/index.md", "archive/2.md", "archive/3.md"]
    listed = [line for f in archive for line in str(f.content).splitlines()
              if line.startswith("- ")]
    assert len(listed) == len(newest)  # every explainer once, over all pages
    first, second, last = (str(f.content) for f in archive)
    assert f"](../{newest[0].slug}.md)" in first
    assert "[Older →](2.md)" in first and "Newer" not in first
    assert "[← Newer](index.md)" in second and "[Older →](3.md)" in second
    assert "Older" not in last and "Explainers 101–130 of 130" in last
