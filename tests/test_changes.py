"""The fact diff and the "What changed" page, on synthetic payloads (the end-to-end test in
test_deploy_e2e.py uses real builds)."""

from __future__ import annotations

import copy
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from generator.check.run import check_project
from generator.render.changes import render_changes
from generator.render.factdiff import diff_facts
from generator.render.output import Edition

REPO = Path(__file__).resolve().parent.parent
SLUG = "venezuela-deportation-flights"
EVIL = '<script>alert(1)</script> "quoted" & **bold** {{x}} [@y] <img src=x onerror=alert(2)>'


def source(sid: str, title: str, url: str | None = "https://example.org/a") -> dict:
    return {"id": sid, "title": title, "publisher": "Example News", "url": url,
            "accessed": "2024-01-01"}


def fact(fid: str, value, display: str, *, sources=None, used_in=(SLUG,), **extra) -> dict:
    return {"id": fid, "statement": f"Statement of {fid}.", "type": "count", "value": value,
            "display": display, "unit": "people", "qualifier": None, "as_of": "2023",
            "derived": None, "sources": sources if sources is not None else [source("s1", "S1")],
            "used_in": list(used_in), "correction": None, **extra}


def payload(*facts: dict) -> dict:
    return {"format": 1, "edition": None, "facts": list(facts), "sources": []}


@pytest.fixture(scope="module")
def project():
    project, _ = check_project(REPO)
    assert SLUG in project.explainers
    return project


def html_of(page_text: str) -> BeautifulSoup:
    html = markdown.markdown(page_text, extensions=["md_in_html", "toc", "attr_list"])
    return BeautifulSoup(html, "html.parser")


# -- the diff ------------------------------------------------------------------------------


def test_diff_finds_changed_added_removed_in_edition_order():
    old = payload(fact("a", 1, "1"), fact("b", 2, "2"), fact("c", 3, "3"))
    new = payload(fact("a", 1, "1"), fact("c", 30, "30"), fact("d", 4, "4"))
    diff = diff_facts(old, new)
    assert [c.id for c in diff.changed] == ["c"]
    assert [(f.label, f.old, f.new) for f in diff.changed[0].fields] == [("Value", "3", "30")]
    assert [f["id"] for f in diff.added] == ["d"]
    assert [f["id"] for f in diff.removed] == ["b"]
    assert diff.affected() == {SLUG: ["c", "d", "b"]}


def test_unchanged_payloads_give_an_empty_diff_even_when_access_dates_move():
    old = payload(fact("a", 1, "1"))
    new = copy.deepcopy(old)
    new["facts"][0]["sources"][0]["accessed"] = "2025-02-02"
    new["generated"] = "another time"
    assert diff_facts(old, new).empty


def test_derived_fact_compares_what_readers_see_not_float_noise():
    old = payload(fact("d", 200400.0, "about 200,000", derived={"formula": "a * b"}))
    new = payload(fact("d", 200460.0, "about 200,000", derived={"formula": "a * b"}))
    assert diff_facts(old, new).empty
    new["facts"][0]["display"] = "about 201,000"
    assert [f.label for f in diff_facts(old, new).changed[0].fields] == ["Value"]


def test_stated_value_change_with_same_display_still_shows_raw_numbers():
    diff = diff_facts(payload(fact("a", 1.04, "1")), payload(fact("a", 1.4, "1")))
    assert [(f.old, f.new) for f in diff.changed[0].fields] == [("1.04", "1.4")]


def test_source_and_as_of_and_statement_changes_are_reported():
    old = payload(fact("a", 1, "1"))
    new = payload(fact("a", 1, "1", sources=[source("s2", "S2")], as_of="2024",
                       statement="Reworded."))
    fields = {f.label: f for f in diff_facts(old, new).changed[0].fields}
    assert set(fields) == {"Source", "As of", "Statement"}
    assert fields["Source"].old_sources[0]["id"] == "s1"
    assert fields["Source"].new_sources[0]["id"] == "s2"
    assert (fields["As of"].old, fields["As of"].new) == ("2023", "2024")


def test_diff_tolerates_missing_and_odd_fields():
    old = {"facts": [{"id": "a", "value": 1}, "junk", {"no": "id"}]}
    new = {"facts": [{"id": "a", "value": 2, "sources": ["s1"]}]}
    diff = diff_facts(old, new)
    assert [c.id for c in diff.changed] == ["a"]
    assert diff_facts(None, new).added[0]["id"] == "a"


# -- the page ------------------------------------------------------------------------------


def test_first_edition_says_so(project):
    out = render_changes(project, Edition(version="1.0"), payload(fact("a", 1, "1")))
    assert out.page.path == "changes.md"
    text = out.page.content
    assert "Edition 1.0 is the first edition" in text
    preview = render_changes(project, Edition(), payload()).page.content
    assert "This is the first edition" in preview


def test_previous_edition_without_facts_json_is_explained(project):
    out = render_changes(project, Edition("1.1", "1.0", None), payload(fact("a", 1, "1")))
    assert "Edition 1.0 published no readable fact list" in out.page.content


def test_changes_page_lists_old_and_new_values_sources_and_explainers(project):
    old = payload(fact("kept", 5, "5"), fact("moved", 31000, "more than 31,000"),
                  fact("gone", 7, "7"))
    new = payload(fact("kept", 5, "5"),
                  fact("moved", 32500, "more than 32,500",
                       sources=[source("s2", "Border statistics", "https://cbp.example/x")]),
                  fact("fresh", 9, "9"))
    out = render_changes(project, Edition("1.1", "1.0", old), new)
    soup = html_of(out.page.content)
    assert soup.h1.get_text() == "What changed in this edition"
    summary = soup.find(class_="explainer-changes-summary").get_text(" ", strip=True)
    assert "Edition 1.1 compared with edition 1.0" in summary
    assert "1 fact changed, 1 added, 1 removed" in summary

    changed = soup.find(id="change-moved")
    assert "explainer-change-changed" in changed["class"]
    value = changed.find("dt", string="Value").find_next_sibling("dd")
    assert value.find("del").get_text() == "more than 31,000"
    assert value.find("ins").get_text() == "more than 32,500"
    src = changed.find("dt", string="Source").find_next_sibling("dd")
    assert src.find("del").get_text() == "Example News, S1"
    assert src.find("ins").a["href"] == "https://cbp.example/x"
    appears = changed.find("dt", string="Appears in").find_next_sibling("dd")
    assert appears.a["href"] == f"../{SLUG}/"
    assert appears.a.get_text() == project.explainers[SLUG].headline
    hrefs = [a["href"] for a in changed.find(class_="explainer-change-meta").find_all("a")]
    assert hrefs == ["../facts/#moved", "../../1.0/facts/#moved"]

    assert soup.find(id="change-fresh").find("dt", string="Value").find_next("dd").strong \
        .get_text() == "9"
    gone = soup.find(id="change-gone")
    assert "was 7" in gone.get_text(" ", strip=True)
    assert [a["href"] for a in gone.find(class_="explainer-change-meta").find_all("a")] == \
        ["../../1.0/facts/#gone"]
    assert soup.find(id="change-kept") is None
    assert [h.get_text() for h in soup.find_all("h2")] == [
        "Changed facts", "Added facts", "Removed facts", "Pages updated"]

    assert soup.find(id=f"in-{SLUG}") is not None


def test_nothing_changed_says_so(project):
    same = payload(fact("a", 1, "1"))
    out = render_changes(project, Edition("1.1", "1.0", same), copy.deepcopy(same))
    assert "No fact changed since edition 1.0." in out.page.content


def test_preview_build_compares_with_published_edition(project):
    out = render_changes(project, Edition(None, "1.0", payload(fact("a", 1, "1"))),
                         payload(fact("a", 2, "2")))
    assert "This preview compared with the published edition" in out.page.content
    assert "../../1.0/" not in out.page.content  # no edition folders in a local preview


def test_correction_note_appears_beside_the_change_and_is_escaped(project, monkeypatch):
    target = next(iter(project.facts))
    monkeypatch.setattr(project.facts[target], "correction", EVIL)
    old = payload(fact(target, 1, "1"))
    new = payload(fact(target, 2, "2", correction=EVIL))
    soup = html_of(render_changes(project, Edition("1.1", "1.0", old), new).page.content)
    entry = soup.find(id=f"change-{target}")
    dd = entry.find("dd", class_="explainer-change-correction")
    assert dd.get_text() == EVIL
    assert soup.find("script") is None and soup.find("img") is None


def test_stale_correction_is_not_shown_again(project, monkeypatch):
    target = next(iter(project.facts))
    monkeypatch.setattr(project.facts[target], "correction", "Revised in March.")
    old = payload(fact(target, 1, "1", correction="Revised in March."))
    new = payload(fact(target, 2, "2", correction="Revised in March."))
    text = render_changes(project, Edition("1.2", "1.1", old), new).page.content
    assert "Revised in March." not in text


def test_everything_from_yaml_is_escaped(project):
    evil_source = source("s9", EVIL, "javascript:alert(3)")
    evil_source["publisher"] = EVIL
    old = payload(fact("a", 1, EVIL, statement=EVIL, used_in=["<b>x</b>"]))
    new = payload(fact("a", 2, EVIL + "2", statement=EVIL, sources=[evil_source]),
                  fact("b", 1, EVIL, statement=EVIL))
    text = render_changes(project, Edition("1.1", "1.0", old), new).page.content
    soup = html_of(text)
    assert soup.find("script") is None and soup.find("img") is None and soup.find("b") is None
    assert all(a["href"].startswith(("../", "#", "https://")) for a in soup.find_all("a"))
    assert EVIL in soup.find(id="change-a").h3.get_text()
    assert "<b>x</b> (no longer published)" in soup.get_text()


def test_odd_versions_never_reach_the_page(project):
    out = render_changes(project, Edition("<x>", "1.0", payload()), payload())
    assert "<x>" not in out.page.content
