"""Untrusted YAML stays text; hand-written pages are safe; a failed build keeps the old site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import build_project, copy_project, run_explainer

pytestmark = pytest.mark.slow
SLUG = "venezuela-deportation-flights"
HEADLINE = 'Flights </script><script>alert("h")</script> & <b>more</b>'
TEASE = '"><img src=x onerror=alert("t")>'
TITLE = "</script><svg onload=alert('s')> [x](javascript:alert('s'))"


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def yaml_str(text: str) -> str:
    return json.dumps(text)  # JSON strings are YAML strings


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    explainer = root / "content" / "explainers" / f"{SLUG}.yaml"
    replace(explainer, "headline: Biden administration to resume deportation flights to "
            "Venezuela", f"headline: {yaml_str(HEADLINE)}")
    replace(explainer, "tease: Venezuela deportation flights to resume",
            f"tease: {yaml_str(TEASE)}")
    # (A javascript: link is a check error; tests/test_render.py shows it renders as text too.)
    replace(explainer, "  The Biden administration plans",
            "  <iframe src=//evil.example></iframe> [go](https://ok.example/) "
            "![i](https://evil.example/p.png) {: onclick=\"alert('a')\" } The Biden "
            "administration plans")
    sources = root / "content" / "sources" / "venezuela-deportations.yaml"
    replace(sources, 'title: "[Panamanian statistics on migrants crossing the Darién Gap]"',
            f"title: {yaml_str(TITLE)}")
    return build_project(root)


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_markup_from_content_reaches_any_page(hostile_site: Path) -> None:
    for path in pages(hostile_site):
        doc = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for tag in doc.find_all(True):
            handlers = [a for a in tag.attrs if a.lower().startswith("on")]
            assert not handlers, f"{path}: <{tag.name} {handlers}>"
            for attr in ("href", "src"):
                assert not str(tag.get(attr, "")).lower().startswith("javascript:"), \
                    f"{path}: {tag}"
        for script in doc.find_all("script"):
            assert "alert(" not in (script.string or "") or \
                script.get("type") == "application/ld+json", f"{path}: {script}"
        assert not doc.find_all(["iframe", "svg"], src=True)
        assert not doc.find_all("img", src=re.compile("evil"))
        assert not doc.find_all("b", string="more")


def test_hostile_text_is_shown_as_written(hostile_site: Path) -> None:
    doc = BeautifulSoup((hostile_site / SLUG / "index.html").read_text("utf-8"), "html.parser")
    assert doc.find("article").find("h1").get_text().startswith(HEADLINE)
    assert doc.find("p", class_="explainer-tease").get_text() == TEASE
    assert doc.head.title.get_text() == f"{HEADLINE} - Explainers"
    og = doc.head.find("meta", property="og:title")["content"]
    assert og == HEADLINE
    ld = doc.head.find("script", type="application/ld+json")
    assert "</script" not in ld.string
    data = json.loads(ld.string)
    assert data["headline"] == HEADLINE
    assert any(c["name"] == TITLE for c in data["citation"])
    # Explainers are listed on the front page (cards), not in the navigation (issue 12).
    home = BeautifulSoup((hostile_site / "index.html").read_text("utf-8"), "html.parser")
    cards = [a.get_text(" ", strip=True) for a in home.select("article.explainer-card h2 a")]
    assert any(HEADLINE in t for t in cards)
    assert TITLE.split(" [")[0] in doc.find("div", class_="footnote").get_text()


def test_failed_build_leaves_previous_site_and_names_the_problem(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    site = build_project(root)
    marker = site / "index.html"
    before = marker.read_text("utf-8")
    replace(root / "content" / "explainers" / f"{SLUG}.yaml", "{{darien_crossings_2023}}",
            "{{darien_crossings_2032}}")
    result = run_explainer(root, "build")
    assert result.returncode == 1
    assert "content/explainers/venezuela-deportation-flights.yaml:" in result.stderr
    assert "darien_crossings_2032" in result.stderr and "Traceback" not in result.stderr
    assert marker.read_text("utf-8") == before
    # A hand-written page taking a generated page's name stops the build, site intact.
    replace(root / "content" / "explainers" / f"{SLUG}.yaml", "{{darien_crossings_2032}}",
            "{{darien_crossings_2023}}")
    (root / "docs" / "sources").mkdir()
    (root / "docs" / "sources" / "index.md").write_text("# My sources\n", "utf-8")
    result = run_explainer(root, "build")
    assert result.returncode == 1
    assert ("docs/sources/index.md:1:1: error: the generator makes sources/index.md, at the "
            "same address") in result.stderr
    assert "Traceback" not in result.stderr
    assert marker.read_text("utf-8") == before
    assert (root / "docs" / "sources" / "index.md").read_text("utf-8") == "# My sources\n"
    assert not [p for p in tmp_path.joinpath("project").iterdir()
                if p.name.startswith(".site-")], "staging folders left behind"


def test_slug_colliding_with_hand_written_page_is_a_check_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "docs" / f"{SLUG}.md").write_text("# Mine\n", "utf-8")
    result = run_explainer(root, "check")
    assert result.returncode == 1
    assert "collides with the hand-written page" in result.stdout


def test_keep_markdown_writes_generated_files(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    build_project(root, "--keep-markdown", str(tmp_path / "md"))
    page = (tmp_path / "md" / f"{SLUG}.md").read_text("utf-8")
    assert page.startswith('<p class="explainer-tease">')
    assert (tmp_path / "md" / "data" / "facts.json").is_file()
    assert not (root / "docs" / f"{SLUG}.md").exists(), "nothing generated lands in docs/"


def test_plain_mkdocs_build_uses_the_plugin(tmp_path: Path) -> None:
    """mike runs a plain `mkdocs build`: the plugin must regenerate from content there too."""
    import subprocess
    import sys

    from tests.conftest import explainer_build_env

    root = copy_project(tmp_path / "project")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "out")],
                            cwd=root, capture_output=True, text=True, timeout=300,
                            env=explainer_build_env())
    assert result.returncode == 0, result.stderr
    assert "334,000" in (tmp_path / "out" / SLUG / "index.html").read_text("utf-8")
