"""The fast conversion of generated pages (generator/adapters/fastmd.py) gives readers the same
site as Python-Markdown.

Each project is built twice in process, strict, once with ``EXPLAINER_MARKDOWN=python`` (every
page through Python-Markdown, as before) and once as shipped; for every page MkDocs rendered we
compare what it left on the page: the HTML (parsed, so ``&#39;`` and ``'`` are one character and
whitespace between blocks is not content), the table of contents Material renders, the anchor ids
that links are validated against and the links to anchors. The fast path must have converted
every generated page, and no hand-written one.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, NavigableString

from bench import sites
from generator.adapters import fastmd
from generator.adapters.engine import activate
from tests.conftest import copy_project

pytestmark = [pytest.mark.slow]


def _normal(markup: str) -> str:
    soup = BeautifulSoup(markup, "html.parser")
    for text in list(soup.find_all(string=True)):
        if isinstance(text, NavigableString) and not text.strip():
            text.extract()
    return soup.decode(formatter="minimal")


def _toc(items: Any) -> list[Any]:
    return [(html.unescape(t.title), t.id, t.level, _toc(t.children)) for t in items]


def build_pages(root: Path, site: Path, mode: str) -> tuple[dict[str, tuple[Any, ...]], int]:
    """Every rendered page's (normalised HTML, toc, anchor ids, links to anchors), and how many
    pages the fast path converted."""
    activate()
    import mkdocs.commands.build as mk_build
    from mkdocs.config import load_config

    pages: dict[str, tuple[Any, ...]] = {}
    converted = 0
    real_build, real_convert = mk_build._build_page, fastmd.convert

    def build_page(page, config, doc_files, nav, env, dirty=False, **kwargs):  # type: ignore[no-untyped-def]
        links = {f.src_uri: dict(v) for f, v in (page.links_to_anchors or {}).items()}
        pages[page.file.src_uri] = (_normal(page.content), _toc(page.toc),
                                    sorted(page.present_anchor_ids or ()), links)
        return real_build(page, config, doc_files, nav, env, dirty, **kwargs)

    def convert(*args: Any, **kwargs: Any) -> Any:
        nonlocal converted
        result = real_convert(*args, **kwargs)
        converted += result is not None
        return result

    old = os.environ.get("EXPLAINER_MARKDOWN")
    os.environ["EXPLAINER_MARKDOWN"] = mode
    mk_build._build_page, fastmd.convert = build_page, convert
    try:
        mk_build.build(load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site),
                                   strict=True))
    finally:
        mk_build._build_page, fastmd.convert = real_build, real_convert
        if old is None:
            os.environ.pop("EXPLAINER_MARKDOWN", None)
        else:
            os.environ["EXPLAINER_MARKDOWN"] = old
    return pages, converted


def assert_same_site(root: Path, tmp: Path) -> None:
    slow, none = build_pages(root, tmp / "python", "python")
    fast, converted = build_pages(root, tmp / "fast", "fast")
    assert none == 0
    hand_written = {p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*.md")}
    # Two generated pages are laid out in HTML the fast path leaves to Python-Markdown: the
    # front page (cards with <h2> headlines) and the search page (Pagefind's box). One each per
    # site, however large; every explainer and index page takes the fast path.
    laid_out = {"index.md", "search.md"} & set(fast)
    assert converted == len(fast) - len(hand_written) - len(laid_out) > 0
    assert slow.keys() == fast.keys()
    for path in slow:
        assert fast[path] == slow[path], path


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path / "svg"))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    yield


def test_example_site_is_the_same_with_fast_markdown(tmp_path: Path) -> None:
    assert_same_site(copy_project(tmp_path / "project"), tmp_path)


def test_synthetic_site_is_the_same_with_fast_markdown(tmp_path: Path) -> None:
    # 21 explainers: charts (0, 10, 20), tag pages, repeated citations in lists and paragraphs.
    assert_same_site(sites.make_root(tmp_path / "project", 21), tmp_path)


FC = fastmd.FastConfig(permalink="&para;", permalink_title="Permanent link",
                       permalink_class="headerlink", backlink_title="Back to %d",
                       superscript_text="{}", separator=":")


@pytest.mark.parametrize("text", [
    "!!! note\n    an admonition\n",
    "Text\n- a list right after a paragraph line\n",
    "```\ncode\n```\n",
    "A paragraph {: .cls }\n",
    "<section markdown>\n\ntext\n\n</section>\n",
    "![image](x.png)\n",
    "[^1]: a note\n    continued\n\nText[^1]\n",
    "\tindented with a tab\n",
    '<div class="note" markdown>\n\n- a list[^1] in the div\n\n</div>\n\n[^1]: N.\n',
])
def test_markdown_outside_the_generated_shape_falls_back(text: str) -> None:
    assert fastmd.convert(text, FC, lambda url: url) is None


def test_footnotes_numbered_as_python_markdown_numbers_them() -> None:
    text = ("Top[^b] and[^a].\n\n- item[^a]\n- item[^b]\n\n## Sources\n\n///Footnotes Go Here///"
            "\n\n[^a]: First.\n[^b]: Second.\n")
    out = fastmd.convert(text, FC, lambda url: url)
    assert out is not None
    # Numbers follow the definitions; ids follow the inline processor's breadth-first walk.
    assert '<sup id="fnref:b"><a class="footnote-ref" href="#fn:b">2</a></sup>' in out.html
    assert '<sup id="fnref2:a"><a class="footnote-ref" href="#fn:a">1</a></sup>' in out.html
    assert out.html.index('<div class="footnote">') > out.html.index('id="sources"')
    assert out.html.count('class="footnote-backref"') == 4


@pytest.mark.parametrize("extensions", [
    ["toc", "tables", "fenced_code", "pymdownx.smartsymbols"],
    ["tables", "fenced_code"],  # no toc: no heading ids
])
def test_other_markdown_extensions_keep_python_markdown(extensions: list[str]) -> None:
    assert fastmd.fast_config(extensions, {}) is None


EXTENSIONS = [fastmd.LINEAR_FOOTNOTES, "tables", "attr_list", "md_in_html", "toc"]


@pytest.mark.parametrize("text", [
    "More\\\\[^a] and \\[^a] and[^a].\n\n[^a]: A note.\n",  # escaped backslash, escaped ref
    "# Title\n\nText[^a].\n\n- one[^a]\n- two[^b]\n\n| A | B |\n| --- | --- |\n"
    "| x[^b] | y |\n\n///Footnotes Go Here///\n\n[^a]: First.\n[^b]: Second.\n",
    "## Heading one {: #h1 }\n\n## Heading one\n\n## Heading one {: #heading-one }\n",
    'Before[^a].\n\n<div class="note" markdown>\n\n*Changed[^a]:* text.\n\nMore[^a].\n\n</div>\n\n'
    'Body[^a].\n\n[^a]: N.\n',
    "A [link](https://example.org/?a=1&b=2) and `code <a href=\"x\">` and &#39;quotes&#39;.\n",
])
def test_snippets_convert_as_python_markdown_converts_them(text: str) -> None:
    import markdown

    expected = markdown.Markdown(extensions=EXTENSIONS,
                                 extension_configs={"toc": {"permalink": True}}).convert(text)
    config = fastmd.fast_config(EXTENSIONS, {"toc": {"permalink": True}})
    assert config is not None
    got = fastmd.convert(text, config, lambda url: url)
    assert got is not None
    assert _normal(got.html) == _normal(expected)
