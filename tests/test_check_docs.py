"""`explainer check` judges docs/ (issue 20, round three): each test is an attack or a mistake a
pull request can make in a hand-written page, the payload file, `explainer check --strict` and
what it prints; where the build used to end in an internal error or a quadratic conversion, the
build too, which now fails cleanly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from markdown.inlinepatterns import LinkInlineProcessor

from generator.check import docs as docs_check
from generator.check.mdscan import scan_page
from generator.limits import MAX_DOCS_BRACKET_SCAN, MAX_DOCS_NESTING, MAX_DOCS_PAGE_BYTES
from tests.checkkit import make_project, run_check
from tests.conftest import copy_project, explainer_build_env, run_explainer

# The Markdown extensions of the project's mkdocs.yml, and those MkDocs always adds.
EXTENSIONS = ["footnotes", "tables", "attr_list", "md_in_html", "admonition", "toc",
              "fenced_code"]


def docs_lines(root: Path, capsys) -> tuple[int, list[str]]:
    code, lines, err = run_check(root, capsys, "--strict")
    assert err == ""
    return code, [line for line in lines if line.startswith("docs/")]


def check_page(tmp_path: Path, capsys, text: str, name: str = "about.md",
               **more: str) -> tuple[int, list[str]]:
    root = make_project(tmp_path, {f"docs/{name}": text,
                                   **{f"docs/{k}": v for k, v in more.items()}})
    return docs_lines(root, capsys)


def engine_build(root: Path) -> subprocess.CompletedProcess[str]:
    """A plain engine build (what mike runs), not `explainer build`: the plugin's check."""
    return subprocess.run([sys.executable, "-m", "properdocs", "build", "-d",
                           str(root / "out")], cwd=root, capture_output=True, text=True,
                          timeout=600, env=explainer_build_env())


def assert_clean_failure(result: subprocess.CompletedProcess[str], expected: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "internal error" not in output, output
    assert expected in output, output


# ---- 1. file names ----------------------------------------------------------------------------

def test_a_file_name_that_is_not_utf8(tmp_path, capsys) -> None:
    root = make_project(tmp_path, {})
    (root / "docs").mkdir()
    (root / os.fsdecode(b"docs/caf\xe9.md")).write_text("# Hi\n")
    (root / os.fsdecode(b"docs/old\xff")).mkdir()
    (root / os.fsdecode(b"docs/old\xff/page.md")).write_text("# Hi\n")
    code, lines = docs_lines(root, capsys)
    assert code == 1
    assert lines == [
        "docs/caf\\xe9.md:1:1: error: the file name is not valid UTF-8, so the site cannot "
        "publish it: rename the file with a UTF-8 name (letters, digits, '-' and '_')",
        "docs/old\\xff:1:1: error: the folder name is not valid UTF-8, so the site cannot "
        "publish it: rename the folder with a UTF-8 name (letters, digits, '-' and '_')",
    ]


def test_a_file_name_that_is_not_utf8_fails_every_build_cleanly(tmp_path) -> None:
    """The build used to end in `internal error: UnicodeEncodeError`."""
    root = copy_project(tmp_path / "project")
    (root / os.fsdecode(b"docs/caf\xe9.md")).write_text("# Hi\n")
    expected = "docs/caf\\xe9.md:1:1: error: the file name is not valid UTF-8"
    assert_clean_failure(run_explainer(root, "build"), expected)
    assert_clean_failure(engine_build(root), expected)
    assert not (root / "site").exists() and not (root / "out" / "index.html").exists()


def test_page_content_that_is_not_utf8(tmp_path, capsys) -> None:
    root = make_project(tmp_path, {"docs/about.md": b"# About\n\nCaf\xe9\n"})
    code, lines = docs_lines(root, capsys)
    assert (code, lines) == (1, ["docs/about.md:3:4: error: the page is not valid UTF-8 (byte "
                                 "0xe9): save it as UTF-8"])


# ---- 2. front matter --------------------------------------------------------------------------

def test_front_matter_the_theme_prints(tmp_path, capsys) -> None:
    code, lines = check_page(tmp_path, capsys, """\
        ---
        title: About <img src=x onerror=alert(1)>
        description: "Fish & chips, 'quoted'"
        icon: material/home"><script>alert(1)</script>
        status: new
        template: redirect.html
        colour: red
        ---
        # About
        """, "about.md", **{"other.md": "---\nicon: x\nsubtitle: [a, b]\n---\n# Other\n"})
    assert code == 1
    assert lines == [
        "docs/about.md:2:1: warning: front matter `title:` holds HTML ('About <img src=x "
        "onerror=alert(1)>'): the site shows it as text, never as markup; write plain text",
        "docs/about.md:4:1: error: front matter `icon:` must be an icon name such as "
        "material/home (lower-case letters, digits, - and /)",
        "docs/about.md:6:1: error: front matter `template:` chooses a theme template "
        "(templates are code); remove it",
        "docs/about.md:7:1: warning: front matter key `colour` is not one the site uses: "
        "remove it (or start the page with a blank line or a heading if it is text)",
        "docs/other.md:2:1: error: front matter `icon:` must be an icon name such as "
        "material/home (lower-case letters, digits, - and /)",
        "docs/other.md:3:1: error: front matter `subtitle:` must be text, not a list or "
        "mapping",
    ]


def test_multimarkdown_metadata_lines_are_front_matter_too(tmp_path, capsys) -> None:
    """MkDocs reads `key: value` lines at the top of a page as metadata, with no `---`."""
    code, lines = check_page(tmp_path, capsys, "Title: <b onmouseover=alert(1)>x</b>\n"
                             "Note: this line vanishes from the page\n\n# About\n")
    assert code == 1
    assert lines[0].startswith("docs/about.md:1:1: warning: front matter `title:` holds HTML")
    assert lines[1] == (
        "docs/about.md:2:1: warning: the page's first lines are read as metadata (`key: value` "
        "before the first blank line), and key `note` is not one the site uses: remove it (or "
        "start the page with a blank line or a heading if it is text)")


def test_front_matter_yaml_is_read_with_the_content_limits(tmp_path, capsys) -> None:
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)) + "---\n# Page\n"
    code, lines = check_page(tmp_path, capsys, bomb)
    assert code == 1
    assert lines == ["docs/about.md:2:1: error: front matter: document expands to more than "
                     "200,000 values (aliases nested too deep?): remove the anchors and aliases"]


def test_an_icon_that_is_not_an_icon_fails_the_build_cleanly(tmp_path) -> None:
    """`icon: x` used to end the build in `internal error: TemplateNotFound`."""
    root = copy_project(tmp_path / "project")
    (root / "docs" / "about.md").write_text("---\nicon: x\n---\n# About\n")
    assert_clean_failure(engine_build(root), "docs/about.md:2:1: error: front matter `icon:`")


# ---- 3. raw HTML ------------------------------------------------------------------------------

HOSTILE_HTML = """\
# Hostile

<script>alert(1)</script>

Text <img src=x onerror="alert(2)"> and <a href="javascript:alert(3)">a link</a>.

<img src="https://tracker.example/pixel.png">

<p style="background:url(https://tracker.example/)">styled</p>

<form action="https://phish.example/"><input name=password></form>

<svg><circle onload=alert(4)></circle></svg>

Plain {: onclick="alert(5)" }

[click](javascript:alert(6)) and ![pixel](https://tracker.example/p.png)

Open at the end <img src=x onerror=alert(7)//
"""


def test_raw_html_the_guard_would_remove(tmp_path, capsys) -> None:
    code, lines = check_page(tmp_path, capsys, HOSTILE_HTML)
    assert code == 1
    fix = "remove the element (scripts, styles, frames and forms are not allowed in pages)"
    handler = "(pages run no script and load nothing from elsewhere)"
    link = "(link a file of the site relatively)"
    assert lines == [
        f"docs/about.md:3:1: error: raw HTML <script> element: the site removes it; {fix}",
        "docs/about.md:5:6: error: raw HTML <img onerror>: event handler: the site removes "
        f"it; remove the onerror attribute {handler}",
        "docs/about.md:5:41: error: raw HTML <a href>: link that is not http(s) nor relative: "
        f"the site removes it; remove the href attribute {link}",
        "docs/about.md:7:1: error: raw HTML <img src>: resource from another host: the site "
        f"removes it; remove the src attribute {link}",
        lines[4],  # the style rule's wording is the guard's (checked below)
        f"docs/about.md:11:1: error: raw HTML <form> element: the site removes it; {fix}",
        f"docs/about.md:11:39: error: raw HTML <input> element: the site removes it; {fix}",
        f"docs/about.md:13:1: error: raw HTML <svg> element: the site removes it; {fix}",
        "docs/about.md:13:6: error: raw HTML <circle onload>: event handler: the site removes "
        f"it; remove the onload attribute {handler}",
        "docs/about.md:15:10: error: attribute list sets onclick: event handler, which the site "
        "removes: delete it",
        "docs/about.md:17:1: error: link 'javascript:alert(6)': link that is not http(s) nor "
        "relative, which the site removes: link an http(s) address or a page of this site",
        "docs/about.md:17:34: error: image 'https://tracker.example/p.png': resource from "
        "another host, which the site removes: put the picture in docs/ and link it "
        "relatively",
        "docs/about.md:19:17: error: an HTML tag is left open at the end of the page (no "
        "closing '>' or quote): the site's own markup after the page would complete it; close "
        "the tag with '>' and its quotes, or write '&lt;' for a literal '<'",
    ]
    assert lines[4].startswith("docs/about.md:9:1: error: raw HTML <p style>: ")


def test_an_unclosed_quoted_attribute_at_the_end(tmp_path, capsys) -> None:
    code, lines = check_page(tmp_path, capsys, '# Page\n\n<img src="x.png" alt="never closed\n')
    assert code == 1
    assert lines == [
        "docs/about.md:3:1: error: an HTML tag is left open at the end of the page (no "
        "closing '>' or quote): the site's own markup after the page would complete it; close "
        "the tag with '>' and its quotes, or write '&lt;' for a literal '<'"]


def test_html_shown_as_code_is_not_judged(tmp_path, capsys) -> None:
    code, lines = check_page(tmp_path, capsys, """\
        # Writing HTML

        ```html
        <script>alert(1)</script>
        ```

        Inline `<img src=x onerror=alert(1)>` and ``<a href="javascript:x">``.

            <iframe src="https://example.org"></iframe>

        <!-- <script>alert(2)</script> [old](gone.md) -->

        A literal \\<script> and a < b, and <b class="x">bold</b> and <a href="#top">top</a>.
        """)
    assert (code, lines) == (0, [])


# ---- 4. links ---------------------------------------------------------------------------------

def test_links_to_files_nobody_publishes(tmp_path, capsys) -> None:
    code, lines = check_page(tmp_path, capsys, """\
        # Links

        Fine: [guide](guide/index.md), [home](index.md), [the explainer](housing.md),
        [a tag](tags/housing.md), [facts](facts/index.md), [data](data/facts.json),
        [picture](img/logo.png), [web](https://example.org/), [here](#links), [ref][r].

        Broken: [gone](gone.md), ![pic](img/logo.jpg), [up](../README.md), [abs](/guide/),
        [folder](guide/), [ref2][r2].

        [r]: guide/index.md
        [r2]: missing/page.md
        """, **{"guide/index.md": "# Guide\n", "img/logo.png": "png"})
    assert code == 1
    assert lines == [
        "docs/about.md:7:9: error: link 'gone.md' points to gone.md, which neither docs/ nor "
        "the generator publishes (did you mean 'index.md'?): fix the path or add the file",
        "docs/about.md:7:26: error: image 'img/logo.jpg' points to img/logo.jpg, which neither "
        "docs/ nor the generator publishes (did you mean 'img/logo.png'?): fix the path or add "
        "the file",
        "docs/about.md:7:48: error: link '../README.md' points outside docs/: link a page or "
        "file inside the site",
        "docs/about.md:7:68: error: link '/guide/' is absolute: the site may be served from a "
        "sub-folder and the strict build refuses it; write it relative to this page",
        "docs/about.md:8:1: error: link 'guide/' names a folder or address, which the strict "
        "build refuses: link the file 'guide/index.md'",
        "docs/about.md:11:1: error: link 'missing/page.md' points to missing/page.md, which "
        "neither docs/ nor the generator publishes: fix the path or add the file",
    ]


ANCHOR_PAGE = """\
# Hello *World*

## The `x` flag

## See [the docs](other.md) & more

## Same

## Same

Same
----

### Custom {#mine}

### Ünïcödé heading!

## my_var and _emph_

<a name="old"></a> <div id="box">x</div>

Text[^1] and[^note].

[^1]: One.
[^note]: Two.
"""


def test_anchors_are_the_ones_python_markdown_makes() -> None:
    """The check's anchors of a page are exactly the ids the conversion gives it."""
    html = markdown.markdown(ANCHOR_PAGE, extensions=EXTENSIONS)
    made = set(re.findall(r'(?:id|name)="([^"]+)"', html))
    assert scan_page(ANCHOR_PAGE).ids == made
    assert {"the-x-flag", "same", "same_1", "same_2", "mine", "unicode-heading"} <= made


def test_links_to_anchors_a_page_does_not_have(tmp_path, capsys) -> None:
    code, lines = check_page(tmp_path, capsys, """\
        # About

        [ok](#about), [ok](other.md#same_1), [ok](other.md#fn:1), [generated](index.md#x),
        [bad](#abuot), [bad](other.md#same_3).
        """, **{"other.md": ANCHOR_PAGE})
    assert code == 1
    assert lines == [
        "docs/about.md:4:1: error: link '#abuot': this page has no anchor '#abuot' (did you "
        "mean 'about'?): link a heading that exists (its id is its text in lower case, with "
        "'-' for spaces)",
        "docs/about.md:4:16: error: link 'other.md#same_3': docs/other.md has no anchor "
        "'#same_3' (did you mean 'same_2'?): link a heading that exists (its id is its text "
        "in lower case, with '-' for spaces)",
    ]


# ---- 5. collisions with generated pages -------------------------------------------------------

def test_pages_the_generator_makes(tmp_path, capsys) -> None:
    root = make_project(tmp_path, {
        "docs/index.md": "# Mine\n", "docs/housing/index.md": "# Mine\n",
        "docs/facts/index.md": "# Mine\n", "docs/tags/about.md": "# Mine\n",
        "docs/data/facts.json": "{}", "docs/search.md": "# Mine\n",
        "docs/sub/README.md": "# Fine: sub/ is ours\n", "docs/README.md": "# Mine\n",
    })
    code, lines = docs_lines(root, capsys)
    assert code == 1
    assert lines == [
        "docs/README.md:1:1: error: the generator makes index.md, at the same address: rename "
        "or move this page (it is never overwritten)",
        "docs/data/facts.json:1:1: error: data/ is the generator's and theme's folder on the "
        "site; move or rename it (docs/ holds Markdown pages, images, PDFs, CSS and data "
        "files)",
        "docs/facts/index.md:1:1: error: the generator makes facts/index.md, at the same "
        "address: rename or move this page (it is never overwritten)",
        "docs/housing/index.md:1:1: error: the generator makes housing.md from "
        "content/explainers/housing.yaml, at the same address: rename this page (it is never "
        "overwritten) or change the explainer's slug",
        "docs/index.md:1:1: error: the generator makes index.md, at the same address: rename "
        "or move this page (it is never overwritten)",
        "docs/search.md:1:1: error: search/ is the generator's and theme's folder on the site; "
        "move or rename it (docs/ holds Markdown pages, images, PDFs, CSS and data files)",
        "docs/tags/about.md:1:1: error: the generator makes the pages under tags/ (their names "
        "follow the content): move this file to another folder",
    ]


def test_generated_paths_follow_the_generator(tmp_path) -> None:
    """The check's list of generated paths is the generator's own: every file a generation
    makes is listed or lies in a folder reserved whole, and every listed file is made."""
    from generator.check.run import check_project
    from generator.load.docsfiles import RESERVED_FILES, RESERVED_PREFIXES
    from generator.render.site import generate_site

    for root in (make_project(tmp_path / "kit", {}), copy_project(tmp_path / "repo")):
        project, diagnostics = check_project(root)
        assert diagnostics.errors == []
        made = {f.path for f in generate_site(project, static_charts=False).files}
        listed = docs_check.generated_paths(project)
        folders = (*docs_check.GENERATED_PAGE_FOLDERS, *RESERVED_PREFIXES)
        assert [p for p in made if p not in listed and not p.startswith(folders)
                and p not in RESERVED_FILES] == []
        # feeds need the site's address, charts a chart: the rest is made every time
        optional = {"feed.xml", "feed.json", "changes.xml"}
        assert listed - made - optional == set()


# ---- 6. sizes and nesting ---------------------------------------------------------------------

def test_a_page_over_the_size_limit(tmp_path, capsys) -> None:
    code, lines = check_page(tmp_path, capsys, "# Big\n\n" + "word " * 50_000)
    assert code == 1
    assert lines == [f"docs/about.md:1:1: error: the page is 250,007 bytes; pages in docs/ are "
                     f"limited to {MAX_DOCS_PAGE_BYTES:,}: split it into several pages"]


NESTING_ATTACKS = {
    # 30 KB of `[`: two minutes of Python-Markdown (each `[` scanned to the paragraph's end)
    "brackets": ("# P\n\n" + "[" * 30_000 + "\n", "docs/about.md:3:21: error: brackets nested "
                 f"more than {MAX_DOCS_NESTING} deep"),
    "unclosed": ("# P\n\n" + "x " * 10 + "[" * 3 + "y " * 90_000 + "\n",
                 "docs/about.md:3:23: error: '[' without a matching ']'"),
    "emphasis": ("# P\n\n" + "*a " * 5000 + "b" + "*" * 5000 + "\n",
                 f"docs/about.md:3:61: error: emphasis ('*' or '_') nested more than "
                 f"{MAX_DOCS_NESTING} deep"),
    "lists": ("# P\n\n" + "".join("    " * i + "- a\n" for i in range(300)),
              "docs/about.md:24:1: error: a list, admonition or footnote nested 21 levels deep"),
    "quotes": ("# P\n\n" + ">" * 5000 + " a\n", "docs/about.md:3:1: error: block quotes "
               "nested 5000 deep"),
    "markdown html": ("# P\n\n" + "<div markdown>\n" * 400 + "a\n" + "</div>\n" * 400,
                      "docs/about.md:23:1: error: HTML elements nested more "
                      f"than {MAX_DOCS_NESTING} deep"),
    "headings": ("".join(f"# Same\n\nText [^{i}].\n\n[^{i}]: Note.\n\n" for i in range(300)),
                 "docs/about.md:1501:1: error: more than 500 headings, footnotes and {#id}s"),
}


@pytest.mark.parametrize("name", NESTING_ATTACKS)
def test_markdown_that_would_not_convert_in_linear_time(tmp_path, capsys, name) -> None:
    text, expected = NESTING_ATTACKS[name]
    code, lines = check_page(tmp_path, capsys, text)
    assert code == 1
    assert any(line.startswith(expected) for line in lines), lines
    assert len(lines) <= 2, "each limit is reported once per page"


def test_the_recursion_attacks_are_real() -> None:
    """What the limits refuse does end Python-Markdown in RecursionError."""
    for name in ("emphasis", "lists", "markdown html"):
        with pytest.raises(RecursionError):
            markdown.markdown(NESTING_ATTACKS[name][0], extensions=EXTENSIONS)


@pytest.mark.parametrize("name", ["brackets", "emphasis", "headings"])
def test_a_nesting_attack_fails_the_build_at_the_check(tmp_path, name) -> None:
    """Both builds run the check first: the quadratic conversion (two minutes for 30 KB of
    `[`; equal headings' ids) or the RecursionError of deep emphasis is never reached."""
    root = copy_project(tmp_path / "project")
    text, expected = NESTING_ATTACKS[name]
    (root / "docs" / "about.md").write_text(text)
    assert_clean_failure(run_explainer(root, "build"), expected)
    assert_clean_failure(engine_build(root), expected)


class _Work:
    """Characters Python-Markdown's link patterns scan (getText, getLink), counted."""

    def __init__(self, monkeypatch) -> None:
        self.chars = 0
        text, link = LinkInlineProcessor.getText, LinkInlineProcessor.getLink

        def get_text(proc, data, index):  # type: ignore[no-untyped-def]
            result = text(proc, data, index)
            self.chars += result[1] - index
            return result

        def get_link(proc, data, index):  # type: ignore[no-untyped-def]
            result = link(proc, data, index)
            self.chars += max(result[2] - index, 0)
            return result

        monkeypatch.setattr(LinkInlineProcessor, "getText", get_text)
        monkeypatch.setattr(LinkInlineProcessor, "getLink", get_link)

    def convert(self, text: str) -> int:
        self.chars = 0
        markdown.markdown(text, extensions=EXTENSIONS)
        return self.chars


# Pages that push each limit as far as it lets them, at a size n.
FAMILIES = {
    "unclosed [": lambda n: "[" * 3 + "x " * n,
    "unclosed ](": lambda n: "[a](" * 3 + "x " * n,
    "nested": lambda n: ("[" * MAX_DOCS_NESTING + "a" + "]" * MAX_DOCS_NESTING + " ") * (n // 41),
    "links": lambda n: "[a](b) " * (n // 3),
    "long link text": lambda n: "[" + "x " * n + "](y)",
}


@pytest.mark.parametrize("family", FAMILIES)
def test_accepted_pages_convert_in_linear_work(monkeypatch, family) -> None:
    """Doubling an accepted page at most doubles the scanning Python-Markdown does, and any
    accepted page stays under a fixed bound (counted, not timed)."""
    work = _Work(monkeypatch)
    make = FAMILIES[family]
    counts = []
    for n in (5_000, 10_000, 20_000):
        text = make(n)
        scan = scan_page(text)
        assert scan.problems == [], (family, n)
        counts.append(work.convert(text))
        # Each link pattern scans a bracket at most as far as the check's own count says,
        # and nesting repeats the scan inside once per level.
        assert counts[-1] <= 6 * (MAX_DOCS_NESTING + 1) * (scan.bracket_scan + len(text))
    assert counts[2] <= 2.2 * counts[1] and counts[1] <= 2.2 * counts[0], counts


def test_the_bracket_scan_limit_is_where_the_work_would_grow(monkeypatch) -> None:
    """Past the limit the work grows with the square of the page: refused."""
    work = _Work(monkeypatch)
    small, large = "[" * 200 + "x " * 1_000, "[" * 400 + "x " * 2_000
    assert work.convert(large) > 3.5 * work.convert(small)
    refused = "[" * 15 + "x " * 20_000
    assert scan_page(refused).bracket_scan > MAX_DOCS_BRACKET_SCAN
    assert [p[2].split(":")[0] for p in scan_page(refused).problems] == [
        "'[' without a matching ']' in its paragraph (or brackets nested around long text)"]


# ---- 7. file types ----------------------------------------------------------------------------

def test_files_a_browser_would_run(tmp_path, capsys) -> None:
    root = make_project(tmp_path, {"docs/page.html": "<script>alert(1)</script>",
                                   "docs/img/logo.svg": "<svg onload=alert(1)/>",
                                   "docs/js/app.js": "alert(1)",
                                   "docs/img/photo.png": "png"})
    code, lines = docs_lines(root, capsys)
    assert code == 1
    assert [line.split(": error: ")[0] for line in lines] == [
        "docs/img/logo.svg:1:1", "docs/js/app.js:1:1", "docs/page.html:1:1"]
    assert lines[2] == (
        "docs/page.html:1:1: error: a .html file runs or renders in the reader's browser "
        "outside every check of the site; publish it from Markdown, or as a picture (PNG, "
        "JPEG, WebP)")


# ---- the whole: the repository's docs pass; unchanged pages are not scanned again -------------

def test_the_repository_docs_pass(tmp_path, capsys) -> None:
    root = copy_project(tmp_path / "repo")
    code, lines = docs_lines(root, capsys)
    assert (code, lines) == (0, [])


def test_github_annotations_for_a_docs_page(tmp_path, capsys) -> None:
    root = make_project(tmp_path, {"docs/about.md": "# A\n\n[x](gone.md)\n"})
    code, lines, _ = run_check(root, capsys, "--strict", "--format", "github")
    assert code == 1
    assert ("::error file=docs/about.md,line=3,col=1,title=explainer docs-link::link 'gone.md' "
            "points to gone.md, which neither docs/ nor the generator publishes (did you mean "
            "'index.md'?): fix the path or "
            "add the file") in lines


def test_unchanged_pages_are_not_scanned_again(tmp_path, monkeypatch) -> None:
    from generator.check.run import check_project

    monkeypatch.setattr(docs_check, "RACY_NS", 0)  # files written just now count as settled
    cache = docs_check.DocsCache()
    monkeypatch.setattr(docs_check, "_SHARED", cache)
    root = make_project(tmp_path, {f"docs/p{i}.md": f"# P{i}\n\n[next](p{i + 1}.md)\n"
                                   for i in range(50)})
    _, first = check_project(root)
    assert cache.scanned == 50
    assert [d.format() for d in first.errors] == [
        "docs/p49.md:3:1: error: link 'p50.md' points to p50.md, which neither docs/ nor the "
        "generator publishes (did you mean 'p5.md'?): fix the path or add the file"]
    (root / "docs" / "p50.md").write_text("# P50\n")
    _, second = check_project(root)
    assert cache.scanned == 51, "one new page scanned; the link is resolved again"
    assert second.errors == []
