"""Issues 14 and 9: the serve error page escapes file names; what check accepts builds (every
footnote is referenced); CSV downloads never hand a spreadsheet a formula."""

from __future__ import annotations

import csv
import io
import urllib.request
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from tests.checkkit import EXPLAINER, FACTS, SOURCES, make_project
from tests.conftest import copy_project, run_explainer, serving
from tests.test_html_guard import mkdocs_extensions

HOSTILE_NAMES = [
    "x<img src=x onerror=alert(1)>.yaml",
    "x`<img src=x onerror=alert(2)>`.yaml",
    "x*<b>bold</b>*[a](javascript:alert(3)).yaml",
]
BROKEN_FACTS = "facts:\n  - id: broken\n    statement: Broken.\n    type: count\n"


def render_page(text: str) -> BeautifulSoup:
    names, configs = mkdocs_extensions()
    return BeautifulSoup(markdown.markdown(text, extensions=names, extension_configs=configs),
                         "html.parser")


def test_error_page_shows_hostile_file_names_as_text(tmp_path: Path) -> None:
    from generator.adapters.preview import error_site as _error_site
    from generator.check.run import check_project

    root = make_project(tmp_path, {f"content/facts/{n}": BROKEN_FACTS for n in HOSTILE_NAMES})
    project, diagnostics = check_project(root)
    assert len(diagnostics.errors) >= len(HOSTILE_NAMES)
    index = _error_site(project, diagnostics).files[0]
    assert isinstance(index.content, str)
    doc = render_page(index.content)
    assert not doc.find_all(["img", "b", "script"]), doc
    assert not [a for a in doc.find_all("a") if not a["href"].startswith("#")], doc
    text = doc.get_text()
    for name in HOSTILE_NAMES:
        assert f"content/facts/{name}:" in text


@pytest.mark.slow
def test_serve_error_page_runs_no_markup_from_a_file_name(tmp_path: Path) -> None:
    """The real preview: a content error in a file named with markup."""
    root = copy_project(tmp_path / "project")
    name = HOSTILE_NAMES[1]
    (root / "content" / "facts" / name).write_text(BROKEN_FACTS, "utf-8")
    with serving(root) as base, urllib.request.urlopen(base, timeout=10) as response:
        page = response.read().decode("utf-8")
    soup = BeautifulSoup(page, "html.parser")
    article = soup.find("article")
    assert article.find("h1").get_text().startswith("Content has errors")
    # One navigation entry for the error list, however many explainers show it.
    tabs = [a.get_text(strip=True) for a in soup.select(".md-tabs__link")]
    assert tabs == ["Content has errors"], tabs
    assert not article.find_all("img"), article
    assert f"content/facts/{name}:" in article.get_text()


OTHER_SOURCE = """\
  - id: other
    publisher: Other Office
    title: Other report
    url: https://example.org/other
    published: 2023-01-10
    accessed: 2023-02-01
"""
BULLET = "- The council wants more. [@city_report]"

# Each once passed check and failed the strict build: a footnote with no marker on the page.
AGREEMENT = {
    "citation-in-code-span": {"bullet": "- The council wants `more [@other]` now."},
    "citation-after-backslash": {"bullet": '- "The council wants more\\\\[@other]"'},
    "listed-source-never-cited": {"extra": "sources: [other]\n"},
    "derived-input-source-cited-nowhere-else": {
        "bullet": "- About {{other_share}} of them.",
        "facts": """\
  - id: other_count
    statement: Homes counted by the other office.
    type: count
    value: 10
    as_of: "2022"
    sources: [other]
  - id: other_share
    statement: Homes per hundred built.
    type: number
    as_of: "2022"
    derived:
      formula: other_count / homes_built * 100
""",
    },
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(AGREEMENT))
def test_what_check_accepts_builds(name: str, tmp_path: Path) -> None:
    case = AGREEMENT[name]
    explainer = EXPLAINER.replace(BULLET, case.get("bullet", BULLET)) + case.get("extra", "")
    root = make_project(tmp_path, {
        "content/sources/main.yaml": SOURCES + OTHER_SOURCE,
        "content/facts/main.yaml": FACTS + case.get("facts", ""),
        "content/explainers/housing.yaml": explainer,
        "mkdocs.yml": (Path(__file__).resolve().parents[1] / "mkdocs.yml").read_text("utf-8"),
        "docs/.keep": "",
    })
    checked = run_explainer(root, "check")
    assert checked.returncode == 0, checked.stdout
    built = run_explainer(root, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    doc = BeautifulSoup((root / "site" / "housing" / "index.html").read_text("utf-8"),
                        "html.parser")
    notes = doc.find("div", class_="footnote").find_all("li")
    refs = {a["href"] for a in doc.find_all("a", class_="footnote-ref")}
    assert {f"#{li['id']}" for li in notes} <= refs, "every note has a marker on the page"
    assert "Other report" in doc.find("div", class_="footnote").get_text()


def test_csv_cells_never_start_a_formula_and_numbers_stay_numbers() -> None:
    from generator.render.data import csv_text, facts_csv

    for text in ("=HYPERLINK(\"https://evil.example\")", "+1", "-1+1", "@SUM(A1)", "\tx", "\rx",
                 "  =1+1"):
        assert csv_text(text).startswith("'"), text
    assert csv_text("Plain text") == "Plain text"
    fact = {"id": "f", "statement": "=cmd|' /C calc'!A0", "type": "number", "value": -5,
            "display": "-5", "unit": "@unit", "currency": None, "qualifier": "+about",
            "as_of": "2022", "derived": None, "source_ids": ["s"],
            "sources": [{"title": "-Report"}], "used_in": [], "note": "\t=1"}
    rows = list(csv.DictReader(io.StringIO(facts_csv({"facts": [fact]}))))
    row = rows[0]
    assert row["value"] == "-5", "a number in a numeric column stays a number"
    for key in ("statement", "display", "unit", "qualifier", "source_titles", "note"):
        assert row[key].startswith("'"), (key, row[key])


def test_chart_csv_uses_the_same_rule() -> None:
    from generator.charts.cite import cell

    assert cell("=1+1") == "'=1+1" and cell(" @x") == "' @x" and cell("Venezuela") == "Venezuela"
