"""Update and correction notes on the article (generator/render/articlenotes.py): the note's
words from the fact diff, its markup, how notes accumulate through the explainer's data file,
the writer's own `updates:` (checked with positions), and the corrections feed's links.

The whole flow through real deploys and a browser: tests/test_article_notes_browser.py.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup

from generator.check.run import check_project
from generator.render.articlenotes import article_notes, notes_html
from generator.render.data import facts_payload
from generator.render.feeds import note_url
from generator.render.output import Edition, SiteInfo
from generator.render.site import generate_site
from tests.checkkit import EXPLAINER, make_project, run_check
from tests.conftest import copy_project

REPO = Path(__file__).resolve().parent.parent
SLUG = "venezuela-deportation-flights"
COUNT = "darien_crossings_2023"  # count, unit "migrants", shown "334,000"
SHARE = "venezuelan_share_darien_2023"  # percent, shown "60%"
BUILT = "2026-12-08T09:30:00Z"


@pytest.fixture
def project():
    project, diagnostics = check_project(REPO)
    assert not diagnostics.errors
    return project


def current(project) -> dict:
    payload = facts_payload(project, Edition("1.1"))
    payload["generated"] = BUILT
    return payload


def earlier(payload: dict, **changes: dict) -> dict:
    """The previous edition's payload: ``payload`` with some facts' fields as they were."""
    old = copy.deepcopy(payload)
    for record in old["facts"]:
        record.update(changes.get(record["id"], {}))
    return old


def notes_for(project, edition: Edition) -> list:
    return article_notes(project, edition, current(project)).get(SLUG, [])


def test_changed_value_with_correction_says_old_new_with_units_and_the_correction(
        project, monkeypatch):
    monkeypatch.setattr(project.facts[COUNT], "correction", "Panama revised its count.")
    new = current(project)
    old = earlier(new, **{COUNT: {"value": 320000, "display": "320,000", "correction": None}})
    [note] = article_notes(project, Edition("1.1", "1.0", old), new)[SLUG]
    assert note.text == ("An earlier version said 320,000 migrants; it now says 334,000 "
                         "migrants.", "Panama revised its count.")
    assert (note.id, note.date.isoformat(), note.edition, note.earlier) == \
        ("update-1.1", "2026-12-08", "1.1", "1.0")


def test_changed_value_without_correction_text_still_gets_its_note(project):
    new = current(project)
    old = earlier(new, **{COUNT: {"value": 320000, "display": "320,000"}})
    [note] = article_notes(project, Edition("1.1", "1.0", old), new)[SLUG]
    assert note.text == ("An earlier version said 320,000 migrants; it now says 334,000 "
                         "migrants.",)


def test_a_correction_already_published_is_not_repeated(project, monkeypatch):
    monkeypatch.setattr(project.facts[COUNT], "correction", "Panama revised its count.")
    new = current(project)
    old = earlier(new, **{COUNT: {"value": 320000, "display": "320,000"}})  # same correction
    [note] = article_notes(project, Edition("1.1", "1.0", old), new)[SLUG]
    assert "Panama revised its count." not in note.text


def test_units_as_the_page_shows_them_and_several_facts_in_one_note(project):
    new = current(project)
    old = earlier(new, **{COUNT: {"value": 320000, "display": "320,000"},
                          SHARE: {"value": 58, "display": "58%"}})
    [note] = article_notes(project, Edition("1.1", "1.0", old), new)[SLUG]
    # The percent's display names its unit; the bare count gets "migrants" from the fact.
    assert "An earlier version said 58%; it now says 60%." in note.text
    assert "An earlier version said 320,000 migrants; it now says 334,000 migrants." in note.text
    assert len(note.text) == 2


def test_source_and_period_changes_are_told_in_words(project):
    new = current(project)
    record = next(f for f in new["facts"] if f["id"] == COUNT)
    old = earlier(new, **{COUNT: {"as_of": "2023-01/2023-09-30",
                                  "as_of_display": "Jan. 1 to Sept. 30, 2023",
                                  "sources": [{"id": "old", "title": "An older count"}]}})
    [note] = article_notes(project, Edition("1.1", "1.0", old), new)[SLUG]
    shown = record["display"] + " migrants"
    assert f"For {shown}, an earlier version gave it as of Jan. 1 to Sept. 30, 2023; " \
        f"this version, as of {record['as_of_display']}." in note.text
    assert any(t.startswith("An earlier version cited An older count; this version cites ")
               for t in note.text)


def test_no_previous_edition_or_no_change_means_no_note(project):
    assert notes_for(project, Edition("1.0")) == []
    new = current(project)
    assert article_notes(project, Edition("1.1", "1.0", copy.deepcopy(new)), new) == {}


def data_file(notes: list[dict]) -> bytes:
    return json.dumps({"slug": SLUG, "updates": notes}).encode()


def test_notes_accumulate_from_the_previous_editions_data_file(project):
    new = current(project)
    old = earlier(new, **{SHARE: {"value": 58, "display": "58%"}})
    carried = {"id": "update-1.1", "date": "2023-10-07", "kind": "edition",
               "text": ["An earlier version said about 130 passengers; AP later reported 126."],
               "edition": "1.1", "earlier": "1.0"}
    stale_self = {**carried, "id": "update-1.2", "edition": "1.2", "earlier": "1.1",
                  "date": "2023-10-08",
                  "text": ["made by an earlier deploy of this same edition"]}
    writer = {**carried, "id": "update-on-2023-10-06", "kind": "writer", "text": ["old words"]}
    odd = [{"kind": "edition", "date": "soon"}, "text", {**carried, "edition": "<b>"}]
    reads: list[str] = []

    def read(path: str) -> bytes:
        reads.append(path)
        return data_file([stale_self, carried, writer, *odd])  # newest first, as written

    notes = article_notes(project, Edition("1.2", "1.1", old, read_previous=read), new)[SLUG]
    assert f"data/explainers/{SLUG}.json" in reads
    assert [n.id for n in notes] == ["update-1.2", "update-1.1"]  # newest first
    assert list(notes[1].text) == carried["text"] and notes[1].earlier == "1.0"
    # Carried on even in an edition that changed nothing on the article.
    same = article_notes(project, Edition("1.3", "1.2", copy.deepcopy(new), read_previous=read),
                         new)[SLUG]
    assert [n.id for n in same] == ["update-1.2", "update-1.1"]

    html = BeautifulSoup(notes_html(notes, SLUG), "html.parser")
    links = [a["href"] for a in html.select(".explainer-update a")]
    assert links == [f"../../1.1/{SLUG}/", f"../../1.0/{SLUG}/"]


def test_unreadable_previous_data_gives_no_carried_notes(project):
    new = current(project)
    for raw in (None, b"\xff", b"[]", b'{"updates": {"a": 1}}'):
        edition = Edition("1.2", "1.1", copy.deepcopy(new), read_previous=lambda _p, r=raw: r)
        assert article_notes(project, edition, new) == {}


def test_note_markup_is_a_labelled_aside_with_dates_ids_links_and_escaped_text(
        project, monkeypatch):
    monkeypatch.setattr(project.facts[COUNT], "correction", "Fixed <b>not bold</b> & more.")
    new = current(project)
    old = earlier(new, **{COUNT: {"value": 320000, "display": "320,000", "correction": None}})
    files = generate_site(project, edition=Edition("1.1", "1.0", old),
                          static_charts=False).by_path()
    text = files[f"{SLUG}.md"].content
    block = next(line for line in text.splitlines() if line.startswith("<aside"))
    assert text.index("explainer-meta") < text.index(block) < text.index("The Biden")
    aside = BeautifulSoup(block, "html.parser").aside
    assert aside["aria-label"] == "Updates and corrections" and aside["id"] == "updates"
    note = aside.find(id="update-1.1")
    assert note.strong.get_text() == "Updated Dec. 8, 2026:"
    assert note.time["datetime"] == new["generated"][:10]
    assert note.find("b") is None and "Fixed <b>not bold</b> & more." in note.get_text()
    assert note.a["href"] == f"../../1.0/{SLUG}/"
    assert "Read this explainer as edition 1.0 published it" in note.a.get_text()
    data = json.loads(files[f"data/explainers/{SLUG}.json"].content)
    assert data["updates"][0]["id"] == "update-1.1"
    schema = json.loads((REPO / "generator/render/explainer-data.schema.json").read_text())
    jsonschema.validate(data, schema)


def test_a_preview_note_links_to_no_edition_folder(project):
    new = current(project)
    old = earlier(new, **{COUNT: {"value": 320000, "display": "320,000"}})
    [note] = article_notes(project, Edition(None, "1.0", old), new)[SLUG]
    assert note.id == "update-preview"
    assert "<a " not in notes_html([note], SLUG)


def writer_project(tmp_path: Path, updates: str, updated: str = "2023-10-09") -> Path:
    root = copy_project(tmp_path / "project")
    path = root / "content/explainers" / f"{SLUG}.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("published: 2023-10-05\n",
                                 f"published: 2023-10-05\nupdated: {updated}\n{updates}", 1),
                    "utf-8")
    return root


UPDATES = ("updates:\n"
           "  - date: 2023-10-07\n"
           "    text: An earlier version misstated the day of the first flight.\n"
           "  - date: 2023-10-09\n"
           "    text: Adds the State Department's comment.\n")


def test_writer_updates_show_and_cannot_replace_the_generated_note(tmp_path):
    root = writer_project(tmp_path, UPDATES)
    project, diagnostics = check_project(root)
    assert not diagnostics.errors, [d.format() for d in diagnostics.errors]
    new = current(project)
    old = earlier(new, **{COUNT: {"value": 320000, "display": "320,000"}})
    notes = article_notes(project, Edition("1.1", "1.0", old), new)[SLUG]
    assert [(n.id, n.kind) for n in notes] == [
        ("update-1.1", "edition"), ("update-on-2023-10-09", "writer"),
        ("update-on-2023-10-07", "writer")]
    html = BeautifulSoup(notes_html(notes, SLUG), "html.parser")
    assert "Adds the State Department's comment." in html.get_text()
    assert "320,000 migrants" in html.get_text()
    # Without a previous edition the writer's notes stand alone, and the dateline's
    # "what changed" leads to them rather than to a What changed page with nothing on it.
    files = generate_site(project, edition=Edition("1.0"), static_charts=False).by_path()
    text = files[f"{SLUG}.md"].content
    assert 'id="update-on-2023-10-07"' in text and "([what changed](#updates))" in text


def test_check_reports_update_dates_with_positions(tmp_path, capsys):
    late = EXPLAINER.replace("published: 2023-03-01\n", "published: 2023-03-01\n"
                             "updated: 2023-03-05\nupdates:\n  - date: 2023-02-01\n"
                             "    text: Too early.\n  - date: 2023-03-09\n"
                             "    text: After updated.\n")
    root = make_project(tmp_path, {"content/explainers/housing.yaml": late})
    code, lines, _ = run_check(root, capsys)
    assert code == 1
    path = "content/explainers/housing.yaml"
    assert any(line.startswith(f"{path}:8:") and "before the explainer was published" in line
               for line in lines), lines
    assert any(line.startswith(f"{path}:10:") and "set `updated: 2023-03-09`" in line
               for line in lines), lines


def test_check_refuses_an_update_without_text(tmp_path, capsys):
    bad = EXPLAINER.replace("published: 2023-03-01\n", "published: 2023-03-01\n"
                            "updated: 2023-03-05\nupdates:\n  - date: 2023-03-05\n"
                            "    wording: misspelt key\n")
    root = make_project(tmp_path, {"content/explainers/housing.yaml": bad})
    code, lines, _ = run_check(root, capsys)
    assert code == 1
    assert any(line.startswith("content/explainers/housing.yaml:") and "text" in line
               for line in lines), lines


def test_corrections_feed_links_to_the_permanent_note():
    site = SiteInfo(url="https://news.example.org/latest/")
    assert note_url(site, "1.1", SLUG) == \
        f"https://news.example.org/1.1/{SLUG}/#update-1.1"
    assert note_url(SiteInfo(url="https://news.example.org/dev/"), "dev", SLUG) == \
        f"https://news.example.org/dev/{SLUG}/#update-dev"
    assert note_url(SiteInfo(url="https://x.example/", directory_urls=False), "2.0", SLUG) == \
        f"https://x.example/2.0/{SLUG}.html#update-2.0"
    assert note_url(SiteInfo(url="https://x.example/"), None, SLUG) == \
        f"https://x.example/{SLUG}/#update-preview"


def test_example_site_has_no_notes(project):
    # The example has no previous edition and no `updates:`: its pages (and goldens) are as
    # before.
    assert article_notes(project, Edition(), current(project)) == {}


def test_a_qualified_count_keeps_its_qualifier_and_gets_its_unit():
    from generator.render.articlenotes import shown

    fact = {"display": "about 130", "value": 130, "qualifier": "about", "unit": "people"}
    assert shown(fact) == "about 130 people"
    assert shown({**fact, "display": "Oct. 5, 2023", "qualifier": None}) == "Oct. 5, 2023"
    assert shown({**fact, "display": "$1.2 million", "qualifier": None}) == "$1.2 million"


def test_the_previous_editions_data_file_is_read_through_read_published(tmp_path, monkeypatch):
    """current_edition gives the render layer a reader of the previous edition's files, bound
    to edition.read_published (the one function that knows where an edition keeps a file)."""
    from generator.adapters import edition as ed
    from tests.deploykit import commit_all, commit_branch, init_repo, pages_files, use_git_env

    env = use_git_env(monkeypatch, tmp_path / "home")
    root = init_repo(tmp_path / "project", env)
    (root / "x.txt").write_text("x\n")
    commit_all(root, "content", env)
    files = pages_files({"1.0": {"facts": []}}, latest="1.0")
    files[f"1.0/data/explainers/{SLUG}.json"] = data_file([])
    commit_branch(root, "gh-pages", files, env)
    seen: list[tuple[str, str]] = []
    real = ed.read_published

    def spy(root_: Path, ref: str, version: str, path: str) -> bytes | None:
        seen.append((version, path))
        return real(root_, ref, version, path)

    monkeypatch.setattr(ed, "read_published", spy)
    monkeypatch.setenv("EXPLAINER_EDITION", "1.1")
    edition = ed.current_edition(root)
    assert edition.previous_version == "1.0" and edition.read_previous is not None
    assert edition.read_previous(f"data/explainers/{SLUG}.json") == data_file([])
    assert edition.read_previous("data/explainers/nope.json") is None
    # The facts download first (read_facts reads through it too), then the two asked for.
    assert seen == [("1.0", "data/facts.json"), ("1.0", f"data/explainers/{SLUG}.json"),
                    ("1.0", "data/explainers/nope.json")]


def test_writer_text_is_shown_as_text_whatever_it_holds(tmp_path):
    hostile = ('    text: "<script>alert(1)</script> ///Footnotes Go Here/// *x* [a](b) '
               '{{darien_crossings_2023}}"\n')
    root = writer_project(tmp_path, "updates:\n  - date: 2023-10-09\n" + hostile)
    project, diagnostics = check_project(root)
    assert not diagnostics.errors, [d.format() for d in diagnostics.errors]
    files = generate_site(project, edition=Edition("1.0"), static_charts=False).by_path()
    line = next(x for x in files[f"{SLUG}.md"].content.splitlines() if x.startswith("<aside"))
    assert "<script" not in line and "///" not in line
    text = BeautifulSoup(line, "html.parser").get_text()
    # A reader sees exactly what the writer typed.
    assert "<script>alert(1)</script> ///Footnotes Go Here/// *x* [a](b) " \
        "{{darien_crossings_2023}}" in text


def test_both_markdown_converters_give_the_notes_block_the_same_html(project, monkeypatch):
    """The block is one line of raw HTML: cmark-gfm (the fast path) and Python-Markdown pass it
    through alike, links included."""
    import markdown

    from generator.adapters import fastmd
    from tests.test_fastmd import EXTENSIONS, _normal

    monkeypatch.setattr(project.facts[COUNT], "correction", "Fixed <b>this</b> & that.")
    new = current(project)
    old = earlier(new, **{COUNT: {"value": 320000, "display": "320,000", "correction": None}})
    block = notes_html(article_notes(project, Edition("1.1", "1.0", old), new)[SLUG], SLUG)
    text = f"# Headline\n\n{block}\n\nThe lede[^1].\n\n[^1]: A source.\n"
    expected = markdown.Markdown(extensions=EXTENSIONS,
                                 extension_configs={"toc": {"permalink": True}}).convert(text)
    config = fastmd.fast_config(EXTENSIONS, {"toc": {"permalink": True}})
    assert config is not None
    got = fastmd.convert(text, config, lambda url: url)
    assert got is not None
    assert _normal(got.html) == _normal(expected)
    assert f'href="../../1.0/{SLUG}/"' in got.html


def test_editions_of_one_day_list_the_later_first(project):
    new = current(project)
    old = earlier(new, **{SHARE: {"value": 58, "display": "58%"}})
    same_day = [{"id": f"update-1.{n}", "date": BUILT[:10], "kind": "edition", "text": [f"{n}"],
                 "edition": f"1.{n}", "earlier": f"1.{n - 1}"} for n in (2, 1)]  # as stored
    edition = Edition("1.3", "1.2", old, read_previous=lambda _p: data_file(same_day))
    notes = article_notes(project, edition, new)[SLUG]
    assert [n.id for n in notes] == ["update-1.3", "update-1.2", "update-1.1"]
    # And the data file stores them in that order, for the next edition to read back.
    again = article_notes(project, Edition("1.4", "1.3", copy.deepcopy(new),
                                           read_previous=lambda _p: data_file(
                                               [n.record() for n in notes])), new)[SLUG]
    assert [n.id for n in again] == ["update-1.3", "update-1.2", "update-1.1"]


def test_an_update_date_with_nothing_to_show_links_nowhere_in_a_first_edition(tmp_path):
    """Issue 22 item 8: "Updated ..." once led to a What changed page saying "This is the first
    edition". Now it leads to the notes, to What changed when there is an earlier edition to
    compare with, and otherwise nowhere."""
    project, diagnostics = check_project(writer_project(tmp_path, ""))
    assert not diagnostics.errors
    first = generate_site(project, edition=Edition("1.0"), static_charts=False).by_path()
    meta = first[f"{SLUG}.md"].content
    assert 'Updated <time datetime="2023-10-09">' in meta and "what changed" not in meta
    payload = current(project)
    later = generate_site(project, edition=Edition("1.1", "1.0", copy.deepcopy(payload)),
                          static_charts=False).by_path()
    assert "([what changed](changes.md))" in later[f"{SLUG}.md"].content
