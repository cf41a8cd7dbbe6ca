"""Hostile input, round three (issue 20): sizes no limit covered, and input that passed check but
ended in an internal error or a silent loss. Each test is the attack: the YAML a pull request
adds, the command run, and what is observed (counts and bytes, never seconds).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from generator import limits
from generator.charts import static
from generator.check.run import check_project
from generator.load.schema import schema
from generator.render.site import generate_site
from generator.resolve.pagesize import page_bytes
from tests.checkkit import EXPLAINER, FACTS, make_project
from tests.conftest import build_project, copy_project, run_explainer

F, E = "content/facts/main.yaml", "content/explainers/housing.yaml"
LEDE = "lede: The city built {{homes_built}} homes last year. [@city_report]"
SECTION_TEXT = "text: Only {{share_affordable}} were affordable, about {{affordable_built}} homes."
# A statement at the field limit, every fifth character one that becomes a 5-byte entity.
LONG_STATEMENT = "It's " * 400
FACTS_LONG = FACTS.replace("statement: Homes built in the city in 2022.",
                           f'statement: "{LONG_STATEMENT}"')


def _bullets(count: int, links: int) -> str:
    line = "      - '" + " ".join(["[[fact:homes_built]]"] * links) + "'\n"
    return line * count


def _errors(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if ": error: " in line]


def site_project(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """The small check project with the example's mkdocs.yml and docs/: a site to build."""
    copy_project(root)
    shutil.rmtree(root / "content")
    shutil.rmtree(root / "charts")
    return make_project(root, files)


# -- 1. links that copy a statement into the page --------------------------------------------

def test_links_copying_a_statement_cannot_make_a_page_past_the_limit(tmp_path: Path) -> None:
    # 108 KB of YAML: 5,000 [[fact:...]] links to a 2,000-character statement would make an
    # 18 MB page (a 115 KB version made 100 MB and a 4.9 GB build).
    files = {F: FACTS_LONG, E: EXPLAINER + _bullets(5, 1_000)}
    root = make_project(tmp_path / "five", files)
    assert sum(p.stat().st_size for p in root.rglob("*.yaml")) < 120_000
    for command in ("check", "build"):
        result = run_explainer(root, command)
        assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert not (root / "site").exists()
    errors = _errors(run_explainer(root, "check").stdout)
    # One error, at the link that takes the page past the limit: the 509th.
    column = len("      - '") + 508 * len("[[fact:homes_built]] ") + 1
    assert errors == [
        f"content/explainers/housing.yaml:13:{column}: error: the page of explainer 'housing' "
        f"reaches about 2,097,973 bytes here; a page is limited to {limits.MAX_PAGE_BYTES:,}: "
        "a [[fact:id]] or [[slug]] link shows the fact's statement or the explainer's headline "
        "in full, each time: link it once, give the link short text ([[fact:id|text]]), or "
        "split the explainer"], errors
    # Twice the payload: still one error, at the same link.
    doubled = make_project(tmp_path / "ten", {F: FACTS_LONG, E: EXPLAINER + _bullets(10, 1_000)})
    assert _errors(run_explainer(doubled, "check").stdout) == errors


def test_a_page_under_the_limit_is_under_it_when_rendered(tmp_path: Path) -> None:
    """The estimate check makes is an upper bound of the real page, and not a loose one."""
    root = make_project(tmp_path, {F: FACTS_LONG, E: EXPLAINER + _bullets(1, 480)})
    project, diagnostics = check_project(root)
    assert not diagnostics.errors, [d.format() for d in diagnostics.errors]
    page = generate_site(project, static_charts=False).by_path()["housing.md"]
    real = len(str(page.content).encode("utf-8"))
    estimate = page_bytes(project, project.explainers["housing"])
    assert real <= estimate <= limits.MAX_PAGE_BYTES
    assert real > 0.8 * limits.MAX_PAGE_BYTES  # the page the limit lets through is that big


def test_charts_count_with_their_tables(tmp_path: Path) -> None:
    """A chart is placed once per page (check says so), but each shows its whole table: five
    charts at the CSV limit, 50,000 values, are past a page's limit, reported at the fifth."""
    header = "month," + ",".join(f"c{i}" for i in range(10))
    csv = "\n".join([header, *(f"r{n}," + ",".join(["1"] * 10) for n in range(1_000))]) + "\n"
    files: dict[str, str | bytes | None] = {}
    for n in range(5):
        files[f"content/data/big{n}.csv"] = csv
        files[f"charts/big{n}.yaml"] = (f"id: big{n}\ntype: grouped_bar\ntitle: Big\ndata:\n"
                                        f"  csv: big{n}.csv\n  sources: [city_report]\n")
    files[E] = EXPLAINER + "  - label: By the numbers\n    charts: [big0, big1, big2, big3, big4]\n"
    errors = _errors(run_explainer(make_project(tmp_path, files), "check").stdout)
    assert len(errors) == 1 and errors[0].startswith(
        "content/explainers/housing.yaml:14:38: error: the page of explainer 'housing' reaches "
        "about "), errors
    assert errors[0].endswith("a chart shows its whole table: chart fewer values, or split "
                              "the explainer"), errors


def test_links_in_a_lede_listed_on_many_pages_are_bounded(tmp_path: Path) -> None:
    """The front page, the archive, tag pages (50 ledes each) and the feeds repeat each lede with
    the text its links copy in: ten links to a long statement are past the lede's limit."""
    lede = "lede: '" + " ".join(["[[fact:homes_built]]"] * 10) + "'"
    root = make_project(tmp_path, {F: FACTS_LONG, E: EXPLAINER.replace(LEDE, lede)})
    errors = _errors(run_explainer(root, "check").stdout)
    column = len("lede: '") + 5 * len("[[fact:homes_built]] ") + 1  # the sixth link
    assert errors == [
        f"content/explainers/housing.yaml:4:{column}: error: the lede's links show about 24,000 "
        "bytes of statements and headlines up to here; a lede's links may show at most "
        f"{limits.MAX_LEDE_BYTES:,}, as the front page, the archive, tag pages and feeds repeat "
        "the lede: give the links short text ([[fact:id|text]]) or move them into a section"], \
        errors
    # The same ten links with text of their own: nothing copied in.
    short = "lede: '" + " ".join(["[[fact:homes_built|homes]]"] * 10) + "'"
    root = make_project(tmp_path / "short", {F: FACTS_LONG, E: EXPLAINER.replace(LEDE, short)})
    assert _errors(run_explainer(root, "check").stdout) == []


# -- 2. tags -----------------------------------------------------------------------------------

def test_twenty_thousand_tags_are_a_check_error_at_the_eleventh(tmp_path: Path) -> None:
    tags = [f"topic-{n}" for n in range(20_000)]  # 154 KB of YAML: 20,008 pages, 561 MB
    root = make_project(tmp_path, {E: EXPLAINER.replace(
        "tags: [housing]", "tags: [" + ", ".join(tags) + "]")})
    for command in ("check", "build"):
        result = run_explainer(root, command)
        assert result.returncode == 1
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    errors = _errors(run_explainer(root, "check").stdout)
    column = len("tags: [") + len(", ".join(tags[:10])) + len(", ") + 1
    assert errors == [
        f"content/explainers/housing.yaml:7:{column}: error: 20,000 tags; an explainer has at "
        "most 10 (each tag is a page of the site): keep the 10 that say most about it"], errors


def test_a_tag_too_long_for_a_file_name_is_a_check_error(tmp_path: Path) -> None:
    tag = "a" * 300  # was "internal error ... File name too long"
    root = make_project(tmp_path, {E: EXPLAINER.replace("tags: [housing]",
                                                        f"tags: [housing, {tag}]")})
    result = run_explainer(root, "build")
    assert result.returncode == 1 and "internal error" not in result.stderr
    errors = _errors(run_explainer(root, "check").stdout)
    assert errors == [
        f"content/explainers/housing.yaml:7:17: error: 'tags[1]': '{'a' * 117}...' is 300 "
        "characters long; a tag is at most 40 characters: shorten it"], errors


def test_the_schema_states_the_tag_limits_for_editors() -> None:
    tags = schema("explainer")["properties"]["tags"]
    assert tags["maxItems"] == limits.MAX_TAGS_PER_EXPLAINER
    assert tags["items"]["maxLength"] == limits.MAX_TAG_CHARS
    assert f"At most {limits.MAX_TAGS_PER_EXPLAINER} tags of at most {limits.MAX_TAG_CHARS} " \
        "characters" in tags["description"]


# -- 3. a word in prose that sent the page to Python-Markdown ---------------------------------

@pytest.mark.parametrize("brackets", [50_000, 100_000])
def test_no_writer_text_sends_a_page_to_python_markdown(tmp_path: Path, brackets: int) -> None:
    """The word data-explainer-raw (and an escaped "{:") in prose sent the page from cmark-gfm
    to Python-Markdown, whose path through 150,000 "[" is quadratic. Doubling the brackets, the
    number of generated pages Python-Markdown converts stays the two laid out in HTML."""
    from tests.test_fastmd import build_pages

    text = ("text: 'data-explainer-raw <a data-explainer-raw href=x> `<a data-explainer-raw x>` "
            "\\{: #x \\} {: .y } {{share_affordable}} {{affordable_built}} " + "[" * brackets + "'")
    root = site_project(tmp_path / "project", {E: EXPLAINER.replace(SECTION_TEXT, text)})
    pages, converted = build_pages(root, tmp_path / "site", "fast")
    hand_written = {p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*.md")}
    laid_out = {"index.md", "search.md"}  # the front page's cards and Pagefind's box
    assert "housing.md" in pages
    assert len(pages) - len(hand_written) - converted == len(laid_out)
    html = pages["housing.md"][0]
    assert "data-explainer-raw &lt;a data-explainer-raw href=x&gt;" in html
    assert "<code>&lt;a data-explainer-raw x&gt;</code>" in html
    assert "data-explainer-raw-" not in html  # the mark never reaches a page


def test_those_texts_make_the_same_site_with_either_converter(tmp_path: Path) -> None:
    """Every text that sent its page to Python-Markdown: the word in prose, an escaped "{:",
    "markdown" in a chart's title (an attribute value) and a source's title; and a chart note's
    blank line, which ended the chart's HTML block for cmark-gfm (the rest was read as Markdown).
    Both converters give the same pages, the strict build has no warning, and cmark-gfm converts
    every generated page but the two laid out in HTML."""
    import re

    from tests.chartkit import CHARTS, make_chart_project
    from tests.test_fastmd import assert_same_site

    chart = re.sub(r"title: .*", "title: 'Permits in markdown form, <div markdown>'\n"
                   "        note: \"A blank line\\\\n\\\\n[x](javascript:alert(1)) ends no block\"",
                   CHARTS["grouped_chart"], count=1)
    root = make_chart_project(tmp_path / "project", {"grouped_chart": chart})
    path = root / E
    path.write_text(re.sub(r"lede: (.*)", lambda m: "lede: 'data-explainer-raw \\{: #x \\} "
                           "{: .y } `<a data-explainer-raw x>` " + m.group(1) + "'",
                           path.read_text("utf-8"), count=1), "utf-8")
    sources = root / "content/sources/main.yaml"
    sources.write_text(re.sub(r"title: (.*)", lambda m: f"title: '{m.group(1)} <x markdown> "
                              "{: #y }'", sources.read_text("utf-8"), count=1), "utf-8")
    shutil.copy2(copy_project(tmp_path / "example") / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(tmp_path / "example" / "docs", root / "docs")
    assert not check_project(root)[1].errors
    assert_same_site(root, tmp_path)


@pytest.mark.parametrize("text", [
    "The data-explainer-raw word, &lt;a data-explainer-raw href=x&gt; and "
    "`<a data-explainer-raw x>`.\n",
    "Escaped \\{: #x \\} and \\\\\\{: .y \\}.\n",
    'A <a href="https://example.org/">raw anchor</a> and `<a href="x">`.\n',
])
def test_those_texts_convert_as_python_markdown_converts_them(text: str) -> None:
    import markdown

    from generator.adapters import fastmd
    from tests.test_fastmd import _normal

    extensions = [fastmd.LINEAR_FOOTNOTES, "tables", "attr_list", "md_in_html", "toc"]
    expected = markdown.Markdown(extensions=extensions).convert(text)
    config = fastmd.fast_config(extensions, {})
    assert config is not None
    got = fastmd.convert(text, config, lambda url: url)
    assert got is not None and _normal(got.html) == _normal(expected)


# -- 4. control characters and noncharacters ---------------------------------------------------

@pytest.mark.parametrize(("file", "old", "new", "where"), [
    (E, "headline: The city built more homes", 'headline: "The city\\0 built more homes"',
     "content/explainers/housing.yaml:2:11: error: text holds a control character, U+0000, at "
     "character 9"),
    (F, "statement: Homes built in the city in 2022.",
     'statement: "Homes built \\uFFFE in the city"',
     "content/facts/main.yaml:3:16: error: text holds a Unicode noncharacter, U+FFFE, at "
     "character 13"),
    (F, "unit: homes", 'unit: "homes\\x85"',
     "content/facts/main.yaml:6:11: error: text holds a control character, U+0085, at "
     "character 6"),
    (E, LEDE, 'lede: "A lede \\U0010FFFF with {{homes_built}}. [@city_report]"',
     "content/explainers/housing.yaml:4:7: error: text holds a Unicode noncharacter, U+10FFFF, "
     "at character 8"),
])
def test_unshowable_characters_are_check_errors(tmp_path: Path, file: str, old: str, new: str,
                                                where: str) -> None:
    text = {E: EXPLAINER, F: FACTS}[file]
    root = make_project(tmp_path, {file: text.replace(old, new)})
    result = run_explainer(root, "check")
    assert result.returncode == 1
    assert _errors(result.stdout) == [
        f"{where}: delete it (pages and pictures cannot show it; tabs and line breaks are "
        "fine)"], result.stdout


def test_a_figure_with_a_nul_and_a_noncharacter_is_still_exported() -> None:
    """Defence in depth: a figure's text reaching Chromium (a CSV cell, a formatted value) with a
    NUL made it refuse the whole export (KaleidoError 525). The export replaces such characters.
    (Social cards are painted with Pillow, which leaves such characters out:
    tests/test_cards_pillow.py.)"""
    figure = {"data": [{"type": "bar", "x": ["Null\x00 and \ufffe here"], "y": [1]}],
              "layout": {"title": {"text": "Homes\x01 built"}}}
    out = static._run_export({"k": (figure, (700, 400))}, "svg")
    assert out["k"].lstrip().startswith(b"<svg")
    assert static.showable({"a": ["x\x00y", {"\ufdd0": "\ud800"}], "n": 1}) == \
        {"a": ["x\ufffdy", {"\ufffd": "\ufffd"}], "n": 1}


# -- 5. a failed export fails the build --------------------------------------------------------

def test_a_build_whose_pictures_cannot_be_drawn_fails_and_keeps_the_site(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    site = build_project(root)  # with Chromium: pictures from the test cache
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
              if p.is_file()}
    assert any(p.startswith("cards/") for p in before)
    result = run_explainer(root, "build", BROWSER_PATH="/nonexistent/chromium",
                           EXPLAINER_CACHE_DIR=str(tmp_path / "empty-cache"))
    assert result.returncode == 1, result.stdout + result.stderr
    reason = ("could not be drawn: BrowserFailedError: The browser seemed to close immediately "
              "after starting.")
    assert ("the static picture of chart 'darien_crossings_by_nationality', chart "
            f"'venezuelan_border_crossings_aug_2023' {reason}") in result.stderr, result.stderr
    assert "social card" not in result.stderr  # cards need no browser
    assert "hint: the previous site was left as it was" in result.stderr
    assert "Traceback" not in result.stderr
    after = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
             if p.is_file()}
    assert after == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []


# -- 6. nesting in content prose ---------------------------------------------------------------

@pytest.mark.parametrize("unit", ["**a ", "*a **b ", "**a *b* c** ",
                                  "[a **b** `c`](https://x.org/) ", "***a", "[", "`*", "\\*"])
def test_prose_nesting_costs_work_in_step_with_its_length(unit: str) -> None:
    """sanitise_prose rebuilds emphasis and links recursively: its calls grow with the text and
    its recursion stays a few levels deep, whatever the nesting typed."""
    from generator.render import text as text_module

    def work(chars: int) -> tuple[int, int]:
        calls = depth = deepest = 0

        def profile(frame, event, arg):  # type: ignore[no-untyped-def]
            nonlocal calls, depth, deepest
            if frame.f_code is text_module._inline.__code__:
                if event == "call":
                    calls, depth = calls + 1, depth + 1
                    deepest = max(deepest, depth)
                elif event == "return":
                    depth -= 1

        sys.setprofile(profile)
        try:
            text_module.sanitise_prose(unit * (chars // len(unit)))
        finally:
            sys.setprofile(None)
        return calls, deepest

    calls, deepest = work(50_000)
    calls2, deepest2 = work(100_000)
    assert calls2 <= 2 * calls + 2
    assert deepest == deepest2 <= 3
