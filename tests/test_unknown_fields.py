"""Honest strict mode (issue 8): a field unknown on purpose is recorded with its reason, `check`
reports it as a note instead of a warning, `--strict` passes, and readers see the reason."""

from __future__ import annotations

from pathlib import Path

from generator.check.run import check_project
from generator.render.citations import source_citation
from generator.render.pages import meta_html
from generator.render.text import md_text
from tests.checkkit import EXPLAINER, SOURCES, make_project, run_check

REPO = Path(__file__).resolve().parents[1]
S = "content/sources/main.yaml"
E = "content/explainers/housing.yaml"
NO_URL = SOURCES.replace("    url: https://example.org/report\n", "").replace(
    "    accessed: 2023-02-01\n", "")


def test_the_shipped_content_passes_strict(capsys) -> None:
    code, lines, _ = run_check(REPO, capsys, "--strict")
    assert code == 0, lines
    assert lines[-1].startswith("check ok: 0 errors, 0 warnings, ")
    assert all(": note: " in line for line in lines[:-1])


def test_a_missing_url_warns_and_says_how_to_record_it(tmp_path, capsys) -> None:
    root = make_project(tmp_path, {S: NO_URL})
    code, lines, _ = run_check(root, capsys, "--strict")
    assert code == 1
    assert lines[0] == (
        f"{S}:2:5: warning: source 'city_report' has no url or archive_url, so readers cannot "
        "follow it: add one when it is known, or record why it is not: "
        "`unknown: {url: reason}` (never invent one)")


def test_unknown_on_purpose_is_a_note_and_strict_passes(tmp_path, capsys) -> None:
    text = NO_URL + "    unknown:\n      url: the report was handed out on paper\n"
    root = make_project(tmp_path, {S: text})
    code, lines, _ = run_check(root, capsys, "--strict")
    assert code == 0
    assert lines == [
        f"{S}:7:7: note: source 'city_report': `url` unknown on purpose: the report was handed "
        "out on paper",
        "check ok: 0 errors, 0 warnings, 1 note in 3 files",
    ]
    code, lines, _ = run_check(root, capsys, "--format", "github")
    assert lines[0].startswith("::notice file=content/sources/main.yaml,line=7,col=7,")


def test_a_byline_unknown_on_purpose(tmp_path, capsys) -> None:
    text = EXPLAINER.replace("authors: [A. Writer]\n",
                             "unknown:\n  authors: the wire copy carried no byline\n")
    root = make_project(tmp_path, {E: text})
    code, lines, _ = run_check(root, capsys, "--strict")
    assert (code, lines[0]) == (0, f"{E}:7:3: note: explainer 'housing': `authors` unknown on "
                                   "purpose: the wire copy carried no byline")
    project, _ = check_project(root)
    assert "Byline not known: the wire copy carried no byline" in meta_html(
        project.explainers["housing"])


def test_known_and_unknown_at_once_is_an_error(tmp_path, capsys) -> None:
    text = SOURCES + "    unknown:\n      publisher: not printed on it\n"
    root = make_project(tmp_path, {S: text})
    code, lines, _ = run_check(root, capsys)
    assert code == 1
    assert lines[0] == (f"{S}:9:7: error: source 'city_report' gives `publisher` and also says "
                        "it is unknown: remove `unknown: publisher` now that it is known")


def test_readers_see_the_reasons_once_each(tmp_path) -> None:
    text = NO_URL.replace("    publisher: City Council\n", "") + (
        "    unknown:\n      url: handed out on paper\n      publisher: handed out on paper\n")
    root = make_project(tmp_path, {S: text})
    project, _ = check_project(root)
    line = source_citation(project.sources["city_report"], project)
    assert line.endswith(md_text("Publisher and link not known: handed out on paper."))
    assert "No link recorded" not in line


def test_an_empty_reason_is_refused(tmp_path, capsys) -> None:
    root = make_project(tmp_path, {S: NO_URL + "    unknown:\n      url: ''\n"})
    code, lines, _ = run_check(root, capsys)
    assert code == 1
    assert lines[0] == (f"{S}:7:7: error: source 'city_report', key 'unknown.url': '' is too "
                        "short")
