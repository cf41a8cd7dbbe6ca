"""What one edit affects, from the fact graph: the live preview re-renders only those explainers.

``explainer serve`` regenerates the site after every save. Rendering every explainer again is
most of the generator's share of a preview at 1,000 explainers, though a fact edit changes one
or two pages. :class:`Affected` keeps the last generation's project and explainer pages; on the
next one it compares the two projects (every source, fact, resolved value, chart and explainer,
ignoring where in its file a record sits) and asks the fact graph who shows what changed:

* an explainer whose own file changed;
* the explainers that show a changed fact, or a fact computed from it
  (``FactGraph.fact_explainers``), or that cite a changed source (``source_explainers``);
* an explainer whose chart blocks, change note or links to other explainers (follows,
  follow-ups, Go deeper, related, cited by) differ from last time.

Every other explainer's page is the one generated last time, byte for byte (a page depends on
nothing else; tests/test_preview_incremental.py compares the served site with a clean build).
Index pages and data files are generated as before and MkDocs renders only those whose Markdown
changed (generator/adapters/incremental.py). A change to templates/ or the edition starts over.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from generator.load.model import Explainer, Project
from generator.render import pages
from generator.render.output import GeneratedFile
from generator.resolve.graph import fact_graph


def same(a: Any, b: Any) -> bool:
    """Equal as content: dataclasses field by field, without their position (``loc``)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if is_dataclass(a):
        return all(same(getattr(a, f.name), getattr(b, f.name))
                   for f in fields(a) if f.name != "loc")
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


def _unchanged(a: Any, b: Any) -> bool:
    old, new = getattr(a, "loc", None), getattr(b, "loc", None)
    if old is not None and new is not None and old.doc is new.doc and old.path == new.path:
        return True  # one parsed document, shared by the parse cache: the file did not change
    return same(a, b)


def changed(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    return {key for key in old.keys() | new.keys()
            if key not in old or key not in new or not _unchanged(old[key], new[key])}


def affected_explainers(old: Project, new: Project) -> set[str]:
    """Slugs of the explainers whose page may differ between the two projects (chart blocks and
    change notes aside, which :class:`Affected` compares itself)."""
    graph, old_graph = fact_graph(new), fact_graph(old)
    facts = changed(old.facts, new.facts) | changed(old.values, new.values)
    sources = changed(old.sources, new.sources)
    slugs = changed(old.explainers, new.explainers)
    for g in (graph, old_graph):  # a fact or source that stopped being shown counts too
        for fid in facts:
            slugs.update(g.fact_explainers.get(fid, ()))
        for sid in sources:
            slugs.update(g.source_explainers.get(sid, ()))
    return slugs


class Affected:
    """State kept across preview generations (the plugin lives as long as the server)."""

    def __init__(self) -> None:
        self.project: Project | None = None
        self.key: Any = None
        self.pages: dict[str, tuple[Any, GeneratedFile]] = {}  # slug -> (inputs, page)
        self.affected: set[str] | None = None  # None: render every explainer
        self.rendered = 0  # explainers rendered by the last generation
        self._plan: tuple[Any, int] | None = None  # (IndexLinks, its key) of this generation

    def start(self, project: Project, key: Any) -> None:
        """Before a generation: which explainers it must render again."""
        self.rendered = 0
        if self.project is None or key != self.key:
            self.pages.clear()
            self.affected = None
        else:
            self.affected = affected_explainers(self.project, project)
        self.key = key

    def render_explainer(self, project: Project, ex: Explainer, env: Any, *,
                         chart_blocks: dict[str, str], change_note: str = "",
                         links: Any = None) -> GeneratedFile:
        """``pages.render_explainer``, or the page of last time when nothing it shows changed."""
        # What the page shows of other explainers (follows, follow-ups, related, cited by) is
        # compared as made: a new or retitled explainer changes it on pages the graph does not
        # name as affected.
        inputs = (tuple(chart_blocks.get(cid, "") for s in ex.sections for cid in s.chart_ids),
                  change_note, pages.page_links_context(project, ex), self._plan_key(links))
        kept = self.pages.get(ex.slug)
        if self.affected is not None and ex.slug not in self.affected and kept is not None \
                and kept[0] == inputs:
            return kept[1]
        self.rendered += 1
        page = pages.render_explainer(project, ex, env, chart_blocks=chart_blocks,
                                      change_note=change_note, links=links)
        self.pages[ex.slug] = (inputs, page)
        return page

    def _plan_key(self, links: Any) -> int:
        """Where every fact and source is listed (the split indexes): a page links facts to
        their index pages, so when one moves (a page split) every explainer is made again.
        Computed once per generation, not once per explainer."""
        if links is None:
            return 0
        if self._plan is None or self._plan[0] is not links:
            key = hash((tuple(sorted(links.facts.page_of.items())),
                        tuple(sorted(links.sources.page_of.items()))))
            self._plan = (links, key)
        return self._plan[1]

    def finish(self, project: Project) -> None:
        """After a successful generation."""
        self.project = project
        for slug in set(self.pages) - set(project.explainers):
            del self.pages[slug]

    def reset(self) -> None:
        """Content errors or a failed generation: the next one renders everything."""
        self.project = None
        self.pages.clear()
        self.affected = None
