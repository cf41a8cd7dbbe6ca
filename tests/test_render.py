"""Page rendering units: reader formatting, prose safety, citation numbering, derived notes."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from generator.check.run import check_project
from generator.load.model import Derived, Fact
from generator.render import pages
from generator.render.citations import PageCitations
from generator.render.prose import plain_prose, render_prose
from generator.render.text import md_text, sanitise_prose
from generator.resolve import format as fmt


def fact(type_: str, **kw) -> Fact:  # type: ignore[no-untyped-def]
    return Fact(id="x", statement="s", type=type_, loc=None, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("type_", "kw", "value", "shown"), [
    ("count", {}, 334000, "334,000"),
    ("count", {"qualifier": "more than"}, 31000, "more than 31,000"),
    ("count", {}, 1_200_000, "1.2 million"),
    ("count", {}, 1_234_567, "1,234,567"),
    ("number", {}, 3.25, "3.25"),
    ("percent", {}, 60, "60%"),
    ("percent", {}, 60.5, "60.5%"),
    ("currency", {"currency": "USD"}, 1.2e9, "$1.2 billion"),
    ("currency", {"currency": "USD"}, 1850, "$1,850"),
    ("currency", {"currency": "USD"}, 12.5, "$12.50"),
    ("currency", {"currency": "EUR"}, 40, "€40"),
    ("date", {}, dt.date(2023, 10, 5), "Oct. 5, 2023"),
    ("date", {}, dt.date(2023, 9, 5), "Sept. 5, 2023"),
    ("date", {}, dt.date(2023, 5, 1), "May 1, 2023"),
    ("count", {"derived": Derived("a * b")}, 200400, "about 200,000"),
    ("count", {"derived": Derived("a * b")}, 21700, "about 21,700"),
    ("percent", {"derived": Derived("a / b")}, 33.3333, "about 33.3%"),
    ("count", {"derived": Derived("a * b"), "precision": 2}, 21700, "about 22,000"),
    ("count", {"qualifier": "exactly"}, 12, "12"),
])
def test_reader_formatting(type_: str, kw: dict, value: object, shown: str) -> None:
    assert fmt.format_fact(fact(type_, **kw), value) == shown


def test_periods() -> None:
    assert fmt.format_period("2023-01/2023-10-05") == "January 2023 to Oct. 5, 2023"
    assert fmt.format_period("2023-08") == "August 2023"
    assert fmt.format_period("2023") == "2023"
    assert fmt.format_period(None) == ""


def render(md_source: str) -> str:
    return markdown.markdown(md_source, extensions=["attr_list", "md_in_html", "footnotes"])


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "![x](https://evil.example/x.png)",
    "[x](javascript:alert(1))",
    "text {: onclick=\"alert(1)\" }",
    "[^1]",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "# heading",
])
def test_md_text_shows_text_exactly(hostile: str) -> None:
    doc = BeautifulSoup(render(md_text(hostile)), "html.parser")
    assert [tag.name for tag in doc.find_all(True)] == ["p"]
    assert not doc.p.attrs
    assert doc.get_text() == " ".join(hostile.split())


def unsafe(html: str) -> list[str]:
    """Elements or attributes that could run code, load a resource or leave the http(s) web."""
    doc = BeautifulSoup(html, "html.parser")
    found = [t.name for t in doc.find_all(["script", "img", "iframe", "object", "style"])]
    for tag in doc.find_all(True):
        found += [f"{tag.name}[{a}]" for a in tag.attrs if a.startswith("on") or a == "style"]
        href = tag.get("href")
        if href is not None and not href.startswith(("https://", "http://")):
            found.append(f"href={href}")
    return found


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script> ok",
    '<img src=x onerror="alert(1)">',
    "![pic](https://evil.example/x.png)",
    "[click](javascript:alert(1))",
    "para {: onclick=\"alert(1)\" }",
    "see [x][r] and [^1]",
])
def test_prose_allows_no_html_images_or_unsafe_links(hostile: str) -> None:
    assert unsafe(render(sanitise_prose(hostile))) == []


def test_prose_keeps_emphasis_and_http_links() -> None:
    html = render(sanitise_prose("*every* county, see [the table](https://www.census.gov/)"))
    assert "<em>every</em>" in html
    assert '<a href="https://www.census.gov/">the table</a>' in html


@pytest.fixture(scope="module")
def project():  # type: ignore[no-untyped-def]
    root = Path(__file__).resolve().parents[1]
    project, diagnostics = check_project(root)
    assert not diagnostics.errors
    return project


def test_fact_reference_capitalised_at_sentence_start(project) -> None:  # type: ignore[no-untyped-def]
    cites = PageCitations(project)
    out = render_prose("{{venezuelan_border_crossings_aug_2023}} crossed. Then "
                       "{{venezuelan_border_crossings_aug_2023}} did. "
                       "{{venezuelan_border_crossings_aug_2023}} again.", cites)
    # The sentences do not name the fact's unit, so it follows the value (issue 22, item 1);
    # the markers end the clause.
    num = '<span class="explainer-num">{}</span> Venezuelans'.format
    assert out.startswith(f"{num('More than 31,000')} crossed.[^1] Then "
                          f"{num('more than 31,000')} did.[^1] {num('More than 31,000')} "
                          "again.[^1]")


def test_markers_numbered_in_order_once_per_source(project) -> None:  # type: ignore[no-untyped-def]
    cites = PageCitations(project)
    out = render_prose("A [@ap_announcement_2023_10_05] b {{darien_crossings_2023}} c "
                       "[@seed_article] d [@ap_announcement_2023_10_05]", cites)
    # One sentence: one marker per source, the last; the fact's at the end of its clause.
    assert out == 'A b <span class="explainer-num">334,000</span> migrants c[^1] d[^2][^3]'
    numbers = [n for n, _ in cites.definitions()]
    assert numbers == [1, 2, 3]


def test_derived_reference_cites_inputs_sources(project) -> None:  # type: ignore[no-untyped-def]
    cites = PageCitations(project)
    out = render_prose("That is {{venezuelan_darien_crossings_2023}} Venezuelans.", cites)
    assert out == 'That is <span class="explainer-num">about 200,000</span> Venezuelans.[^1]'
    notes = dict(cites.definitions())
    assert notes[1].startswith("Derived by the editors")
    assert "334,000" in notes[1] and "60%" in notes[1]
    # The inputs' source (Panamanian statistics) is numbered and linked from the note.
    assert "[2](#fn:2)" in notes[1]
    assert "Panamanian statistics" in notes[2] and "As cited in" in notes[2]
    assert cites.all_facts() == ["venezuelan_darien_crossings_2023", "darien_crossings_2023",
                                 "venezuelan_share_darien_2023"]


def test_sources_render_only_what_is_known_consistently(project) -> None:  # type: ignore[no-untyped-def]
    from generator.render.citations import source_citation

    seed = source_citation(project.sources["seed_article"], project)
    from generator.render.text import md_text

    # Unknown on purpose: readers are told what is not known and why, each reason once.
    assert seed == ("“\\[News explainer on the planned resumption of deportation flights to "
                    "Venezuela\\].” Oct. 5, 2023. " + md_text(
                        "Publisher and link not known: the article was received as text, "
                        "without where it ran.") + " " + md_text(
                        "Byline not known: the article was received as text, without a byline."))
    ap = source_citation(project.sources["ap_announcement_2023_10_05"], project)
    assert ap.startswith("The Associated Press. “")


def test_the_articles_source_list_gives_each_sources_note(project) -> None:  # type: ignore[no-untyped-def]
    # Issue 22, item 6: the note a writer gives a source (shown on the Sources page) is in the
    # article's own source list too, after the citation; a source without one has no "Note:".
    from generator.render.citations import source_citation

    cites = PageCitations(project)
    render_prose("A [@ap_announcement_2023_10_05] b [@seed_article]", cites)
    notes = dict(cites.definitions())
    for number, sid in ((1, "ap_announcement_2023_10_05"), (2, "seed_article")):
        source = project.sources[sid]
        assert source.note
        assert notes[number] == (source_citation(source, project) + " Note: "
                                 + md_text(source.note.strip()))
    assert "Note:" not in source_citation(project.sources["seed_article"], project)


def test_full_source_record_order(project) -> None:  # type: ignore[no-untyped-def]
    from generator.load.model import Source
    from generator.render.citations import source_citation

    source = Source(id="s", title="Rent report", loc=None, publisher="City Office",  # type: ignore[arg-type]
                    authors=["Ann Lee", "Bo Chan"], url="https://example.org/r",
                    archive_url="https://web.archive.org/x", published=dt.date(2024, 2, 1),
                    accessed=dt.date(2024, 3, 4), locator="Table 2")
    assert source_citation(source, project) == (
        "City Office. “Rent report.” By Ann Lee and Bo Chan. Feb. 1, 2024. "
        "[example\\.org](https://example.org/r). Accessed March 4, 2024. "
        "[Archived copy](https://web.archive.org/x). Table 2.")


def test_plain_prose_for_descriptions(project) -> None:  # type: ignore[no-untyped-def]
    text = plain_prose("{{darien_crossings_2023}} crossed, *see* [AP](https://ap.org) "
                       "[@seed_article].", project)
    assert text == "334,000 migrants crossed, see AP."


def test_site_templates_override_package_templates(tmp_path: Path, project) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "tag.md.j2").write_text("# Custom {{ tag }}\n")
    env = pages.environment(tmp_path)
    assert env.get_template("tag.md.j2").render(tag="x") == "# Custom x\n"
    assert "Latest explainers" in env.get_template("home.md.j2").render(
        lead=[], cards=[], topics=[], more=False, total=0)


def test_updated_and_authors_in_meta_line(project) -> None:  # type: ignore[no-untyped-def]
    ex = project.explainers["venezuela-deportation-flights"]
    original = (ex.updated, ex.authors)
    try:
        ex.updated, ex.authors = dt.date(2023, 10, 19), ["A <b>", "B"]
        line = pages.meta_html(ex, minutes=3, changes="changes.md")
    finally:
        ex.updated, ex.authors = original
    # Names are escaped for Markdown and HTML (the line is parsed as Markdown: the link).
    assert line == textwrap.dedent("""\
        <span class="explainer-byline">By A &lt;b&gt; and B</span> · Updated \
<time datetime="2023-10-19">Oct. 19, 2023</time> ([what changed](changes.md)) · \
First published <time datetime="2023-10-05">Oct. 5, 2023</time> · 3 min read""")


def test_no_byline_when_no_author(project) -> None:  # type: ignore[no-untyped-def]
    ex = project.explainers["venezuela-deportation-flights"]
    assert not ex.authors  # the seed's byline is unknown on purpose
    line = pages.meta_html(ex, minutes=2)
    assert "By " not in line and 'class="explainer-byline"' not in line
    assert line.endswith("· 2 min read")


def test_check_reports_non_http_links_in_prose(tmp_path: Path) -> None:
    import shutil

    root = Path(__file__).resolve().parents[1]
    for part in ("content", "charts"):
        shutil.copytree(root / part, tmp_path / part)
    path = tmp_path / "content" / "explainers" / "venezuela-deportation-flights.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "  The Biden administration plans", "  [x](javascript:alert(1)) The Biden administration "
        "plans", 1), "utf-8")
    _, diagnostics = check_project(tmp_path)
    messages = [d.format() for d in diagnostics.errors]
    assert any("javascript:alert" in m and "http(s)" in m for m in messages), messages
