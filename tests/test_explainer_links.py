"""Links between explainers: ``[[slug]]`` and ``[[fact:id]]`` in prose, ``go_deeper`` and
``follows`` in YAML. Check reports every bad link at its place with a suggestion; pages link by
relative URL, escape the link text and list follow-ups and what cites them.

The browser and deployed-edition proofs are in tests/test_explainer_links_browser.py.
"""

from __future__ import annotations

import json
import textwrap
from importlib import resources
from pathlib import Path

import jsonschema
import markdown
import pytest
from bs4 import BeautifulSoup

from generator.check.run import check_project
from generator.render.site import generate_site
from generator.resolve import refs
from generator.resolve.graph import RELATED_MAX, fact_graph
from tests.checkkit import EXPLAINER, make_project, run_check, write_files
from tests.linkkit import FOLLOW_UP, FOLLOW_UP_PATH

E = "content/explainers/housing.yaml"
U = FOLLOW_UP_PATH
SUGGEST = ": write the slug of a file in content/explainers/"

# One change to the two-explainer project each, and the exact diagnostics it must give.
CASES: dict[str, tuple[dict[str, str], int, list[str]]] = {
    "unknown-slug-in-prose": (
        {U: FOLLOW_UP.replace("[[housing|", "[[housin|")}, 1,
        [f"{U}:4:13: error: [[housin]]: unknown explainer 'housin' (did you mean 'housing'?)"
         f"{SUGGEST}"]),
    "unknown-slug-inside-a-multi-line-text": (
        {U: FOLLOW_UP.replace("    text: Read [[housing]] first. [@city_report]",
                              "    text: >-\n      Read the first report,\n"
                              "      [[housin|the one from last year]], first. [@city_report]")},
        1,
        [f"{U}:13:7: error: [[housin]]: unknown explainer 'housin' (did you mean 'housing'?)"
         f"{SUGGEST}"]),
    "unknown-slug-in-bullet-of-other-file": (
        {E: EXPLAINER.replace("The council wants more.", "See [[housing-folow-up]].")}, 1,
        [f"{E}:12:13: error: [[housing-folow-up]]: unknown explainer 'housing-folow-up' "
         f"(did you mean 'housing-follow-up'?){SUGGEST}"]),
    "unknown-slug-in-go-deeper": (
        {U: FOLLOW_UP.replace("  - explainer: housing", "  - explainer: housign")}, 1,
        [f"{U}:13:5: error: go_deeper: unknown explainer 'housign' (did you mean 'housing'?)"
         f"{SUGGEST}"]),
    "unknown-follows": (
        {U: FOLLOW_UP.replace("follows: housing", "follows: hosuing")}, 1,
        [f"{U}:8:1: error: follows: unknown explainer 'hosuing' (did you mean 'housing'?)"
         f"{SUGGEST}"]),
    "unknown-fact-link": (
        {U: FOLLOW_UP.replace("[[fact:homes_built|", "[[fact:homes_bilt|")}, 1,
        [f"{U}:4:43: error: [[fact:homes_bilt]]: unknown fact 'homes_bilt' "
         "(did you mean 'homes_built'?)"]),
    "malformed-link": (
        {U: FOLLOW_UP.replace("Read [[housing]]", "Read [[The Housing Story]]")}, 1,
        [f"{U}:11:16: error: malformed link '[[The Housing Story]]': an explainer slug is "
         "lowercase letters, digits and hyphens; write [[slug]], [[slug|link text]] or "
         "[[fact:fact_id]]"]),
    "reference-inside-link-text": (
        {U: FOLLOW_UP.replace("Read [[housing]]", "Read [[housing|{{homes_built}} homes]]")}, 1,
        [f"{U}:11:16: error: malformed link '[[housing|{{{{homes_built}}}} homes]]': link text "
         "is plain text: put fact references and citations outside it; write [[slug]], "
         "[[slug|link text]] or [[fact:fact_id]]"]),
    "repeated-unknown-slug-reported-once": (
        {U: FOLLOW_UP.replace("Read [[housing]] first.", "Read [[housin]], [[housin]].")}, 1,
        [f"{U}:11:16: error: [[housin]]: unknown explainer 'housin' (did you mean 'housing'?)"
         f"{SUGGEST}"]),
    "too-many-links": (
        {U: FOLLOW_UP.replace("Read [[housing]] first.", "See " + "[[housing]]" * 10_001)}, 1,
        [f"{U}:11:5: error: 10,001 links in one text; the limit is 10,000: split it or list "
         "them in `go_deeper`"]),
    "self-link-in-prose": (
        {U: FOLLOW_UP.replace("Read [[housing]]", "Read [[housing-follow-up]]")}, 0,
        [f"{U}:11:16: warning: [[housing-follow-up]] links this explainer to itself: link "
         "another explainer, or remove the brackets"]),
    "self-in-go-deeper": (
        {U: FOLLOW_UP.replace("  - explainer: housing", "  - explainer: housing-follow-up")}, 1,
        [f"{U}:13:5: error: go_deeper lists this explainer itself ('housing-follow-up'): list "
         "another one"]),
    "follows-itself": (
        {U: FOLLOW_UP.replace("follows: housing", "follows: housing-follow-up")}, 1,
        [f"{U}:8:1: error: explainer 'housing-follow-up' follows itself: name the earlier "
         "explainer it follows up"]),
    "duplicate-go-deeper": (
        {U: FOLLOW_UP + "  - explainer: housing\n"}, 0,
        [f"{U}:18:5: warning: go_deeper lists 'housing' twice (first as entry 1): remove one"]),
    "follows-a-later-explainer": (
        {U: FOLLOW_UP.replace("published: 2024-03-01", "published: 2023-02-01")}, 0,
        [f"{U}:8:1: warning: explainer 'housing-follow-up' (published 2023-02-01) follows "
         "'housing', published later (2023-03-01): swap `follows` to the newer explainer"]),
    "unsafe-go-deeper-url": (
        {U: FOLLOW_UP.replace("https://example.org/more",
                              "https://r.example/?to=javascript:alert(1)")}, 1,
        [f"{U}:15:5: error: go_deeper: 'https://r.example/?to=javascript:alert(1)' is not a "
         "safe link: it embeds a javascript:, vbscript: or data: address"]),
    "go-deeper-url-without-title": (
        {U: FOLLOW_UP.replace("    title: More on housing\n", "")}, 1,
        [f"{U}:15:5: error: go_deeper entry 2: an outside page needs a `title` (the link text "
         "readers see)"]),
    "go-deeper-explainer-and-url": (
        {U: FOLLOW_UP.replace("    note: the first report\n",
                              "    url: https://example.org/x\n")}, 1,
        [f"{U}:13:5: error: go_deeper entry 1: an entry links either another explainer "
         "(`explainer`, with an optional `note`) or an outside page (`url` and `title`): split "
         "it into two entries"]),
    "go-deeper-note-only": (
        {U: FOLLOW_UP.replace("  - explainer: housing\n", "  -\n")}, 1,
        [f"{U}:14:5: error: go_deeper entry 1: give `explainer: slug` for another explainer, "
         "or `url` and `title` for an outside page"]),
    "go-deeper-key-typo": (
        {U: FOLLOW_UP.replace("  - explainer: housing", "  - explaner: housing")}, 1,
        [f"{U}:13:5: error: unknown key 'explaner' (did you mean 'explainer'?)"]),
    "two-go-deeper-blocks": (
        {U: FOLLOW_UP.replace("  - label: Catch up quick", "  - label: Go deeper")}, 0,
        [f"{U}:12:1: warning: both a 'Go deeper' section and `go_deeper:`: the page would show "
         "two Go deeper blocks; move the section's links into `go_deeper`"]),
}


def test_two_linked_explainers_pass_strict_check(tmp_path, capsys) -> None:
    root = make_project(tmp_path, {U: FOLLOW_UP})
    code, lines, err = run_check(root, capsys, "--strict")
    assert (code, lines, err) == (0, ["check ok: 0 errors, 0 warnings in 4 files"], "")


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_link_is_reported_at_its_place(name: str, tmp_path, capsys) -> None:
    files, expected_code, expected = CASES[name]
    root = make_project(tmp_path, {U: FOLLOW_UP, **files})
    code, lines, err = run_check(root, capsys)
    assert [line for line in lines if ": error: " in line or ": warning: " in line] == expected
    assert code == expected_code
    assert "Traceback" not in err




def test_slug_in_a_link_is_not_a_typed_number() -> None:
    text = "See [[budget-2024]] and [[2023-review|the 2023 review]]."
    assert refs.typed_numbers(text) == [("2023", 42)]  # the writer's link text is prose


# -- the fact graph: who links whom, and what is related -------------------------------------


def _project(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    root = make_project(tmp_path, files)
    project, diagnostics = check_project(root)
    assert not diagnostics.errors, [d.format() for d in diagnostics.errors]
    return project


def _explainer(slug: str, *, tags: str = "[]", lede: str = "Text. [@city_report]",
               published: str = "2023-03-01", extra: str = "") -> str:
    return textwrap.dedent(f"""\
        slug: {slug}
        headline: Headline {slug}
        tease: Tease
        lede: {lede}
        published: {published}
        authors: [A. Writer]
        tags: {tags}
        sections:
          - label: Why it matters
            text: Text.
        """) + extra


def test_graph_knows_links_follow_ups_and_citers(tmp_path) -> None:
    graph = fact_graph(_project(tmp_path, {U: FOLLOW_UP}))
    assert graph.links["housing-follow-up"] == ("housing",)
    assert graph.links["housing"] == ()
    assert graph.linked_from["housing"] == ("housing-follow-up",)
    assert graph.follow_ups["housing"] == ("housing-follow-up",)
    # Already linked both ways: never offered again as "related".
    assert graph.related["housing"] == () and graph.related["housing-follow-up"] == ()


def test_related_ranked_by_shared_facts_then_sources_then_tags(tmp_path) -> None:
    files = {
        # shares two facts with "base"
        "content/explainers/two-facts.yaml": _explainer(
            "two-facts", lede="Both {{homes_built}} and {{share_affordable}}. [@city_report]"),
        # shares one fact and its tag
        "content/explainers/one-fact.yaml": _explainer(
            "one-fact", tags="[housing]", lede="Built {{homes_built}}. [@city_report]"),
        # shares the source and the tag, no fact; two of them, the newer first
        "content/explainers/tag-old.yaml": _explainer("tag-old", tags="[housing]"),
        "content/explainers/tag-new.yaml": _explainer("tag-new", tags="[housing]",
                                                      published="2023-03-02"),
        # shares nothing
        "content/explainers/nothing.yaml": _explainer("nothing", lede="Nothing.").replace(
            "authors:", "sources: []\nauthors:"),
    }
    project = _project(tmp_path, files)
    graph = fact_graph(project)
    # "housing" (the kit's explainer) shows homes_built, share_affordable, affordable_built.
    assert graph.related["housing"] == ("two-facts", "one-fact", "tag-new")[:RELATED_MAX]
    assert "nothing" not in {s for related in graph.related.values() for s in related}


def test_related_leaves_out_what_go_deeper_lists(tmp_path) -> None:
    files = {
        "content/explainers/two-facts.yaml": _explainer(
            "two-facts", lede="Both {{homes_built}} and {{share_affordable}}. [@city_report]"),
        "content/explainers/tag-old.yaml": _explainer("tag-old", tags="[housing]"),
        E: EXPLAINER + "go_deeper:\n  - explainer: two-facts\n",
    }
    graph = fact_graph(_project(tmp_path, files))
    assert graph.related["housing"] == ("tag-old",)


# -- rendering ----------------------------------------------------------------------------


def _page(project, slug: str) -> str:  # type: ignore[no-untyped-def]
    out = generate_site(project, static_charts=False)
    content = out.by_path()[f"{slug}.md"].content
    assert isinstance(content, str)
    return content


def _html(md: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(md, extensions=["footnotes", "md_in_html"]),
                         "html.parser")


# A Smart Brevity label: bold to the eye, a heading to assistive technology.
LABEL = '<strong class="explainer-label" role="heading" aria-level="2">'


def test_links_are_relative_to_our_own_pages(tmp_path) -> None:
    project = _project(tmp_path, {U: FOLLOW_UP})
    text = _page(project, "housing-follow-up")
    assert "[the first report](housing.md)" in text
    assert "[the count](facts/index.md#homes_built)" in text
    assert "Read [The city built more homes](housing.md) first." in text
    assert f"{LABEL}Follows:</strong> [The city built more homes](housing.md), March 1, 2023" \
        in text
    assert f"{LABEL}Go deeper:</strong>\n\n" \
           "- [The city built more homes](housing.md): the first report\n" \
           "- [More on housing](https://example.org/more), City Council\n" in text
    # The meta description reads the link text as plain words.
    meta = generate_site(project, static_charts=False).by_path()["housing-follow-up.md"].page
    assert meta is not None
    assert meta.description.startswith("After the first report, the count stands.")


def test_linked_page_lists_its_follow_up(tmp_path) -> None:
    project = _project(tmp_path, {U: FOLLOW_UP})
    text = _page(project, "housing")
    link = "[The city&#39;s new homes, a year on](housing-follow-up.md), March 1, 2024"
    assert f"{LABEL}Follow-up:</strong> {link}" in text  # at the top, for readers of the old story
    assert f"{LABEL}Follow-ups:</strong>\n\n- {link}\n" in text
    assert "Cited by" not in text  # the follow-up is listed once, as a follow-up


def test_citing_explainer_that_is_no_follow_up_is_cited_by(tmp_path) -> None:
    project = _project(tmp_path, {U: FOLLOW_UP.replace("follows: housing\n", "")})
    text = _page(project, "housing")
    assert (f"{LABEL}Cited by:</strong>\n\n"
            "- [The city&#39;s new homes, a year on](housing-follow-up.md)") in text
    assert "Follow-up" not in text


def test_no_links_render_no_empty_headings(tmp_path) -> None:
    text = _page(_project(tmp_path, {}), "housing")
    for heading in ("Go deeper", "Follows", "Follow-up", "Cited by"):
        assert heading not in text


def test_link_text_and_headlines_are_plain_text(tmp_path) -> None:
    """The attack: markup in a headline and in link text. Both are shown as typed."""
    hostile = FOLLOW_UP.replace(
        "[[housing|the first report]]",
        "[[housing|<img src=x onerror=alert(1)> *x* &amp; `c` \\]]").replace(
        "headline: The city's new homes, a year on",
        'headline: "<script>alert(3)</script> [a](javascript:alert(4))"').replace(
        "    title: More on housing", '    title: "<b>More</b> ](javascript:alert(5))"')
    project = _project(tmp_path, {U: hostile})
    for slug in ("housing-follow-up", "housing"):
        soup = _html(_page(project, slug))
        assert soup.find("script") is None and soup.find("img") is None
        assert soup.find("b") is None
        assert "c" not in [code.get_text() for code in soup.find_all("code")]
        assert soup.find("em") is None or "x" not in [e.get_text() for e in soup.find_all("em")]
        for a in soup.find_all("a"):
            assert not a["href"].lower().startswith("javascript"), a
    soup = _html(_page(project, "housing-follow-up"))
    texts = [a.get_text() for a in soup.find_all("a", href="housing.md")]
    assert "<img src=x onerror=alert(1)> *x* &amp; `c` \\" in texts  # the lede's link
    outside = soup.find("a", href="https://example.org/more")
    assert outside.get_text() == "<b>More</b> ](javascript:alert(5))"
    soup = _html(_page(project, "housing"))
    link = soup.find("a", href="housing-follow-up.md")
    assert link.get_text() == "<script>alert(3)</script> [a](javascript:alert(4))"


def test_writer_guide_mentions_the_syntax() -> None:
    guide = (Path(__file__).resolve().parents[1] / "docs" / "guide.md").read_text("utf-8")
    for needle in ("[[slug]]", "[[slug|", "[[fact:", "go_deeper:", "follows:"):
        assert needle in guide, needle


def test_write_files_keeps_the_follow_up_verbatim(tmp_path) -> None:
    path = write_files(tmp_path, {U: FOLLOW_UP}) / U
    assert path.read_text("utf-8") == FOLLOW_UP


def test_explainer_data_carries_the_links_and_matches_its_schema(tmp_path) -> None:
    project = _project(tmp_path, {U: FOLLOW_UP})
    files = generate_site(project, static_charts=False).by_path()
    schema = json.loads(resources.files("generator.render")
                        .joinpath("explainer-data.schema.json").read_text("utf-8"))
    payloads = {slug: json.loads(files[f"data/explainers/{slug}.json"].content)
                for slug in ("housing", "housing-follow-up")}
    for payload in payloads.values():
        jsonschema.validate(payload, schema, format_checker=jsonschema.FormatChecker())
    assert payloads["housing"]["links"] == {
        "follows": None, "follow_ups": ["housing-follow-up"], "cited_by": [], "go_deeper": [],
        "related": []}
    assert payloads["housing-follow-up"]["links"] == {
        "follows": "housing", "follow_ups": [], "cited_by": [], "related": [],
        "go_deeper": [
            {"explainer": "housing", "url": None, "title": None, "publisher": None,
             "note": "the first report"},
            {"explainer": None, "url": "https://example.org/more", "title": "More on housing",
             "publisher": "City Council", "note": None}]}
