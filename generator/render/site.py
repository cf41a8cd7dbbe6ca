"""Generate every page and data file of the site, in memory, from a checked project.

``generate_site`` is the one entry point the MkDocs adapter (and ``explainer build
--keep-markdown``) calls. It imports no MkDocs and writes nothing into the project; the one
side effect is the static chart export (Chromium, offline) and its cache outside the project.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from typing import Any

from generator.charts.card import CardsOutput, render_cards
from generator.charts.render import ChartsOutput, chart_datasets, render_charts
from generator.errors import BuildError
from generator.load.model import Explainer, Project
from generator.render import data, datafiles, feeds, front, indexes, pages
from generator.render.articlenotes import Note, article_notes, notes_html
from generator.render.changes import render_changes
from generator.render.output import Edition, GeneratedFile, SiteInfo
from generator.render.reuse import Reuse, reuse_or_make
from generator.resolve.graph import fact_graph

# JSON Schemas published with the site (writers' editors and data users can fetch them).
_CONTENT_SCHEMAS = ("sources", "facts", "explainer", "chart")
_DATA_SCHEMAS = ("facts-data", "explainer-data")
PICTURES_HINT = ("the previous site was left as it was; a chart's static picture is drawn by "
                 "Chromium: install it (make chromium), or fix the data named above")


class DeferredFile(GeneratedFile):
    """A generated data file made when its content is read, and not kept: a build writes it
    once into the site and drops it, so 10,000 explainers' data files (about 13 KB each) are
    never all in memory at once. Reading ``content`` twice makes it twice (the same text)."""

    def __init__(self, path: str, make: Callable[[], str]) -> None:
        self.path, self.page, self._make = path, None, make

    @property
    def content(self) -> str:
        return self._make()

    @content.setter
    def content(self, value: str | bytes) -> None:  # GeneratedFile's __init__ is not called
        raise AttributeError("a deferred file's content is made, not set")

    def release(self) -> None:
        """Once written: let go of what making it needs (the project, the facts payload)."""
        self._make = str


def _explainer_page(project: Project, ex: Explainer, env: Any, blocks: dict[str, str],
                    note: str, links: indexes.IndexLinks, reuse: Reuse | None,
                    what_changed: str | None) -> GeneratedFile:
    """One explainer's page. Besides what the page shows (its facts, sources and fields), it is
    made from its chart blocks, its change note, what it shows of other explainers (follows,
    follow-ups, Go deeper, related, cited by: a new or retitled explainer changes those on
    pages the fact graph does not name) and where the indexes list each fact."""
    return reuse_or_make(
        reuse, "page", ex.slug,
        lambda: (tuple(blocks.get(cid, "") for s in ex.sections for cid in s.chart_ids), note,
                 pages.page_links_context(project, ex), links.key, what_changed),
        partial(pages.render_explainer, project, ex, env, chart_blocks=blocks,
                updates_html=note, links=links, what_changed=what_changed), pages=[ex.slug])


def _explainer_json(ex: Explainer, payload: dict[str, Any], used: list[str],
                    index: data.PayloadIndex, project: Project, notes: list[Note]) -> str:
    return data.compact_json(data.explainer_payload(ex, payload, used, index=index,
                                                    links=data.links_payload(project, ex),
                                                    updates=[n.record() for n in notes]))


@dataclass
class SiteOutput:
    files: list[GeneratedFile] = field(default_factory=list)
    facts_payload: dict[str, Any] = field(default_factory=dict)

    def by_path(self) -> dict[str, GeneratedFile]:
        return {f.path: f for f in self.files}

    def pages(self) -> list[GeneratedFile]:
        return [f for f in self.files if f.is_page]


def published_schemas() -> list[GeneratedFile]:
    files = []
    for kind in _CONTENT_SCHEMAS:
        text = resources.files("generator.schemas").joinpath(f"{kind}.schema.json")
        if text.is_file():
            files.append(GeneratedFile(f"schemas/{kind}.schema.json", text.read_text("utf-8")))
    for kind in _DATA_SCHEMAS:
        text = resources.files("generator.render").joinpath(f"{kind}.schema.json")
        files.append(GeneratedFile(f"schemas/{kind}.schema.json", text.read_text("utf-8")))
    return files


def _pictures(project: Project, static_charts: bool, site: SiteInfo | None,
              cards: bool) -> tuple[ChartsOutput, CardsOutput | None]:
    """The charts (with their static pictures) and the social cards (with a site URL). The
    cards are painted in a second thread while the chart pictures are exported, which is mostly
    Chromium's work in processes of its own: on a first build the two overlap on two cores."""
    if not (site and site.url):
        return render_charts(project, static=static_charts), None
    if not (static_charts and cards):
        return (render_charts(project, static=static_charts),
                render_cards(project, site_name=site.name, draw=False))
    fact_graph(project)  # what both read, made once before they run side by side
    chart_datasets(project)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="social-cards") as pool:
        social = pool.submit(render_cards, project, site_name=site.name)
        return render_charts(project, static=True), social.result()


def generate_site(project: Project, *, edition: Edition | None = None,
                  static_charts: bool = True, site: SiteInfo | None = None,
                  cards: bool = True,
                  reuse: Reuse | None = None, defer_data: bool = False) -> SiteOutput:
    """Every generated page and file. ``static_charts=False`` (the live preview) skips the
    static chart pictures and social cards: the live chart is enough while editing, and an edit
    then costs one rebuild, not an export. ``site`` (name and absolute URL, from the site
    engine) adds the feeds and social cards (``cards=False``: feeds only); without an absolute
    URL there are neither. ``reuse`` (the live preview's, kept across rebuilds) takes every
    page and record an edit did not affect from the last generation (generator/render/reuse.py).
    ``defer_data``: each explainer's data file is a :class:`DeferredFile`, made when read (a
    build writes each once; the same bytes either way)."""
    env = pages.environment(project.root)
    edition = edition or Edition()
    payload, fact_pages = data.payload_and_plan(project, edition, reuse=reuse)
    charts, social = _pictures(project, static_charts, site, cards)
    changes = render_changes(project, edition, payload)
    notes = article_notes(project, edition, payload)
    if charts.failures:  # a site without its pictures is not shipped silently
        raise BuildError("\n".join(charts.failures), hint=PICTURES_HINT)
    out = SiteOutput(facts_payload=payload)
    add = out.files.append
    links = indexes.IndexLinks(facts=fact_pages, sources=indexes.source_plan(payload))

    add(front.render_home(project, env, reuse))
    out.files.extend(front.render_archive(project, env, reuse))
    for ex in project.explainers_newest_first():
        page = _explainer_page(project, ex, env, charts.blocks,
                               notes_html(notes.get(ex.slug, []), ex.slug), links, reuse,
                               "changes.md" if edition.previous_version else None)
        card = social.cards.get(ex.slug) if social else None
        if card is not None and page.page is not None:
            page.page.image, page.page.image_alt = card.url, card.alt
        add(page)
    out.files.extend(pages.render_tags(project, env, reuse))
    out.files.extend(indexes.render_sources(project, payload, env, links, reuse))
    out.files.extend(indexes.render_facts(project, payload, env, links, reuse))
    add(changes.page)
    add(indexes.render_search(env))

    out.files.extend(GeneratedFile(path, text) for path, text in datafiles.published_files(
        payload, indexes.part_plan(payload["facts"]), links.sources, reuse))
    index = data.PayloadIndex(payload)
    for ex in project.explainers.values():
        used = index.used_by.get(ex.slug, [])
        make = partial(_explainer_json, ex, payload, used, index, project,
                       notes.get(ex.slug, []))
        path = f"data/explainers/{ex.slug}.json"
        if defer_data:
            add(DeferredFile(path, make))
            continue
        # What other explainers it links is compared as made, like the page's. The build
        # stamp is not compared: a file taken from the last generation keeps the time it was
        # made, so one edit does not rewrite every explainer's data file.
        add(GeneratedFile(path, reuse_or_make(
            reuse, "data", ex.slug,
            partial(lambda ex, used: (payload["edition"], tuple(index.facts[f] for f in used),
                                      data.links_payload(project, ex),
                                      tuple(notes.get(ex.slug, []))), ex, used),
            make, pages=[ex.slug])))
    out.files.extend(published_schemas())
    out.files.extend(charts.files)
    if site is not None and site.url and social is not None:
        out.files.extend(social.files)
        files_at = site.files or site.url
        images = {slug: files_at + card.url for slug, card in social.cards.items()}
        out.files.extend(feeds.render_feeds(project, site, edition, payload, images))
    return out
