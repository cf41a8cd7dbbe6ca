"""The live preview re-renders only what an edit affects, and serves what a clean build would.

MkDocs' serve builder runs in process, as ``explainer serve`` runs it (dirty builds, plugins with
``on_startup`` kept across rebuilds); each rebuild records which pages MkDocs actually rendered
and the site folder is compared, byte for byte (search index included), with a clean build of
the same content.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import preview as pv
from bench import sites
from bench.synth import _write_one
from generator.adapters.engine import activate

pytestmark = [pytest.mark.slow]
SERVE_URL = "http://127.0.0.1:8000/"
COUNT = 4


def all_pages(count: int) -> int:
    """Every page of a synthetic project of ``count`` (< 20) explainers: explainers, home,
    sources, facts, changes, search, the tags index, a page per tag (one each, and "all"), the
    guide, the archive (one page below 50 explainers)."""
    return count + 5 + 1 + count + 1 + 1 + 1


class Preview:
    """One ``explainer serve`` session: its own plugin instances and site folder."""

    def __init__(self, root: Path, site: Path, *, dirty: bool) -> None:
        self.root, self.site, self.dirty = root, site, dirty
        self.plugin_cache: dict = {}
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=dirty)
        self._first = config

    def _config(self):  # type: ignore[no-untyped-def]
        activate()
        from mkdocs.config import load_config
        from mkdocs.config.defaults import MkDocsConfig

        option = MkDocsConfig.plugins  # plugin instances are cached per process: keep ours apart
        saved, option.plugin_cache = option.plugin_cache, self.plugin_cache
        try:
            config = load_config(config_file=str(self.root / "mkdocs.yml"),
                                 site_dir=str(self.site))
        finally:
            option.plugin_cache = saved
        config.site_url = SERVE_URL
        return config

    def build(self) -> list[str]:
        """One rebuild; returns the pages MkDocs rendered."""
        activate()
        import mkdocs.commands.build as mk_build

        from generator.render import pages

        config, self._first = self._first or self._config(), None
        built: list[str] = []
        real = mk_build._build_page
        real_render = pages.render_explainer
        self.explainers: list[str] = []  # explainers the generator rendered in this rebuild

        def render_explainer(project, ex, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.explainers.append(ex.slug)
            return real_render(project, ex, *args, **kwargs)

        def build_page(page, config, doc_files, nav, env, dirty=False, **kwargs):  # type: ignore[no-untyped-def]
            if not dirty or page.file.is_modified():
                built.append(page.file.src_uri)
            return real(page, config, doc_files, nav, env, dirty, **kwargs)

        mk_build._build_page, pages.render_explainer = build_page, render_explainer
        try:
            mk_build.build(config, serve_url=SERVE_URL, dirty=self.dirty)
        finally:
            mk_build._build_page, pages.render_explainer = real, real_render
        return built


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_as_clean(root: Path, site: Path, tmp: Path) -> None:
    clean_site = tmp / f"clean-{len(list(tmp.iterdir()))}"
    Preview(root, clean_site, dirty=False).build()
    served, clean = digests(site), digests(clean_site)
    assert served.keys() == clean.keys()
    differ = [path for path in clean if served[path] != clean[path]]
    assert differ == []


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Preview, Path, Path]]:
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"  # the same stamp in every build compared
    tmp = tmp_path_factory.mktemp("preview")
    root = sites.make_root(tmp / "project", COUNT)
    (tmp / "builds").mkdir()
    preview = Preview(root, tmp / "site", dirty=True)
    try:
        yield preview, root, tmp / "builds"
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def test_incremental_preview(session: tuple[Preview, Path, Path]) -> None:
    preview, root, builds = session
    site = preview.site
    first = preview.build()
    assert len(first) == len(set(first)) == all_pages(COUNT)
    assert_same_as_clean(root, site, builds)

    assert len(preview.explainers) == COUNT

    # Nothing changed: nothing is rendered again.
    assert preview.build() == []

    # One fact: the generator renders the one explainer that shows it, MkDocs that explainer
    # and the index page that lists the fact (Facts), nothing else; the data files are rewritten.
    slug = pv.edited_slug(COUNT)
    explainer_mtime = (site / "topic-00000/index.html").stat().st_mtime_ns
    static_mtimes = [(site / name).stat().st_mtime_ns for name in ("404.html", "sitemap.xml")]
    pv.edit_one_fact(root, COUNT)
    assert sorted(preview.build()) == sorted([f"{slug}.md", "facts/index.md"])
    assert preview.explainers == [slug]
    assert pv.NEW_DISPLAY in (site / slug / "index.html").read_text("utf-8")
    assert (site / "topic-00000/index.html").stat().st_mtime_ns == explainer_mtime
    # The theme's 404 page and the sitemap depend on the navigation only: kept as they were.
    assert [(site / name).stat().st_mtime_ns for name in ("404.html", "sitemap.xml")] == \
        static_mtimes
    assert_same_as_clean(root, site, builds)

    # A source's title: the explainers citing it (one here), the Sources page and the Facts
    # page (which names each fact's sources); Home and the tag pages do not show it.
    sources = root / "content/sources/s00001.yaml"
    sources.write_text(sources.read_text("utf-8").replace("title: Report 1\n",
                                                          "title: Report one\n"), "utf-8")
    assert sorted(preview.build()) == ["facts/index.md", "sources/index.md", "topic-00001.md"]
    assert preview.explainers == ["topic-00001"]
    assert_same_as_clean(root, site, builds)

    # An input of the derived fact (f_2_1, a percent): the one explainer showing both.
    facts = root / "content/facts/f00002.yaml"
    facts.write_text(facts.read_text("utf-8").replace("value: 11\n", "value: 12\n"), "utf-8")
    preview.build()
    assert preview.explainers == ["topic-00002"]
    assert_same_as_clean(root, site, builds)

    # A new explainer changes the navigation of every page: everything is rendered again by
    # MkDocs; the generator renders the new one and those whose links to other explainers now
    # name it (here all: they share the tag "all", so it is related to each of them).
    _write_one(root, COUNT)
    rebuilt = preview.build()
    assert len(rebuilt) == all_pages(COUNT + 1)
    assert sorted(preview.explainers) == [f"topic-{n:05d}" for n in range(COUNT + 1)]
    assert_same_as_clean(root, site, builds)

    # A content error shows on the pages; fixing it brings back every page as a clean build.
    explainer = root / "content/explainers/topic-00001.yaml"
    good = explainer.read_text("utf-8")
    explainer.write_text(good.replace("{{f_1_0}}", "{{f_1_missing}}"), "utf-8")
    preview.build()
    assert "Content has errors" in (site / "topic-00001/index.html").read_text("utf-8")
    explainer.write_text(good, "utf-8")
    assert len(preview.build()) == all_pages(COUNT + 1)
    assert len(preview.explainers) == COUNT + 1  # after the error pages: all of them
    assert_same_as_clean(root, site, builds)


def test_hand_written_page_edit_rebuilds_everything(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = sites.make_root(tmp_path / "project", 2)
    preview = Preview(root, tmp_path / "site", dirty=True)
    pages = len(preview.build())
    guide = root / "docs/guide.md"
    guide.write_text(guide.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    assert len(preview.build()) == pages
    (tmp_path / "builds").mkdir()
    assert_same_as_clean(root, tmp_path / "site", tmp_path / "builds")


def test_fact_edit_with_charts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import copy_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = copy_project(tmp_path / "project")
    preview = Preview(root, tmp_path / "site", dirty=True)
    preview.build()
    facts = root / "content/facts/venezuela-deportations.yaml"
    facts.write_text(facts.read_text("utf-8").replace("value: 334000", "value: 335000"), "utf-8")
    # The charts citing the fact are redrawn (new, content-named SVGs); no page but these two
    # changed, and the old SVGs are gone from the preview as from a clean build.
    assert sorted(preview.build()) == ["facts/index.md", "venezuela-deportation-flights.md"]
    assert preview.explainers == ["venezuela-deportation-flights"]
    (tmp_path / "builds").mkdir()
    assert_same_as_clean(root, tmp_path / "site", tmp_path / "builds")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{path.name} changed shape"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_edits_across_records_serve_what_a_clean_build_would(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each edit changes what other pages show (a headline in a prose link, on the Facts page
    and in the cards; a fact's statement behind a fact link; which explainers use a fact; a
    chart's title; a tag): the pages and records the preview takes from the last rebuild must
    still be exactly a clean build's."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = sites.make_root(tmp_path / "project", COUNT)
    (tmp_path / "builds").mkdir()
    preview = Preview(root, tmp_path / "site", dirty=True)
    explainers = root / "content/explainers"
    one, two = explainers / "topic-00001.yaml", explainers / "topic-00002.yaml"
    _replace(one, "lede: The numbers moved again", "lede: After [[topic-00000]] and "
             "[[fact:f_0_1]], the numbers moved again")
    preview.build()
    edits = [
        # A headline: the page linking it in prose, its cards, the Facts and Sources pages.
        (explainers / "topic-00000.yaml", "headline: Topic 0 explained",
         "headline: Topic zero explained"),
        # A fact's statement: shown by the fact link on topic-00001 (not a use of the fact).
        (root / "content/facts/f00000.yaml", "statement: Measure 1 of topic 0.",
         "statement: Measure one of topic 0."),
        # A fact used by one more explainer: its used-in list on the Facts page.
        (two, "with {{f_2_5}} affected", "with {{f_0_2}} affected"),
        # A chart's title: the page placing it, and nothing in the fact graph.
        (root / "charts/chart_00000.yaml", "title: Two measures of group 0",
         "title: Two measures of group zero"),
        # A tag: tag pages, cards and the front page's topics.
        (one, "tags: [tag-1, all]", "tags: [tag-new, all]"),
        # A source's publisher: the order of the Sources page and every citation of it.
        (root / "content/sources/s00000.yaml", "publisher: Bureau 0", "publisher: A Bureau"),
        # A source known through another, then that other's title: "As cited in" it.
        (root / "content/sources/s00000.yaml", "    title: Survey 0\n",
         "    title: Survey 0\n    cited_in: src_1_a\n"),
        (root / "content/sources/s00001.yaml", "title: Report 1\n", "title: Report one\n"),
        # And back: the fact is used by one explainer again.
        (two, "with {{f_0_2}} affected", "with {{f_2_5}} affected"),
        # A fact's period (the Facts page, the explainer's facts table) and a derived fact's
        # formula (its value, its sources, the graph's edges).
        (root / "content/facts/f00003.yaml", 'as_of: "2023"', 'as_of: "2022"'),
        (root / "content/facts/f00003.yaml", "formula: f_3_0 * f_3_1 / 100",
         "formula: f_3_2 * f_3_1 / 100"),
        # A publication date: the order of the archive, the front page and the tag pages.
        (one, "published: 2023-02-02", "published: 2024-06-30"),
    ]
    for path, old, new in edits:
        _replace(path, old, new)
        preview.build()
        assert_same_as_clean(root, tmp_path / "site", tmp_path / "builds")
