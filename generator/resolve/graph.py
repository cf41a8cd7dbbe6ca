"""The fact graph: what every number rests on and where it is shown, computed once.

One answer to "what does this number rest on" for footnotes, Sources sections, facts.json and
facts.csv, chart source lines and every check:

* a stated fact rests on its own ``sources``;
* a derived fact rests on its own ``sources`` (if it lists any) and then, in formula order and
  transitively, on the sources of the facts its formula uses.

And one answer to "where is it used": a fact is used by an explainer that shows it (prose, the
note, a chart placed on the page) or that shows a derived fact computed from it; a chart counts as
a use even when no page places it yet (its author meant the facts to be shown).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.load.model import Explainer, Project
from generator.resolve import refs
from generator.resolve.facts import formula_inputs


@dataclass(frozen=True)
class FactGraph:
    # fact id -> ids of the facts its formula uses, in formula order (known facts only)
    inputs: dict[str, tuple[str, ...]]
    # fact id -> every fact it is computed from, directly or not, depth first in formula order
    closure: dict[str, tuple[str, ...]]
    # fact id -> the sources it rests on (the rule in the module docstring)
    sources: dict[str, tuple[str, ...]]
    # fact id -> explainer slugs that show it or a fact computed from it (sorted)
    fact_explainers: dict[str, tuple[str, ...]]
    # fact id -> chart ids that plot it or a fact computed from it, placed or not (sorted)
    fact_charts: dict[str, tuple[str, ...]]
    # source id -> explainer slugs that cite it (directly, through a fact, or a chart's data)
    source_explainers: dict[str, tuple[str, ...]]
    # source id -> facts that rest on it (sorted)
    source_facts: dict[str, tuple[str, ...]]
    # source id -> charts that cite it (their data's sources, or what their facts rest on)
    source_charts: dict[str, tuple[str, ...]]
    # explainer slug -> facts it shows directly (prose, note, placed charts), page order
    shown: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # explainer slug -> the explainers it links (prose, go_deeper, follows), page order
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # explainer slug -> the explainers that link it (sorted)
    linked_from: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # explainer slug -> the explainers that follow it up (`follows:` or `followed_by:`), sorted
    follow_ups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # explainer slug -> the earlier explainer it follows up, however declared (follows_map)
    follows: dict[str, str] = field(default_factory=dict)
    # fact id -> explainers whose prose links its permalink (`[[fact:id]]`), sorted: the link
    # shows the fact's statement, not its value, so this is not a use
    fact_links: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # explainer slug -> up to RELATED_MAX related explainers the page does not already link,
    # best first (see related_explainers)
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def rests_on(self, fact_id: str) -> tuple[str, ...]:
        return self.sources.get(fact_id, ())

    def fact_is_used(self, fact_id: str) -> bool:
        return bool(self.fact_explainers.get(fact_id) or self.fact_charts.get(fact_id))

    def source_is_used(self, source_id: str) -> bool:
        return bool(self.source_explainers.get(source_id) or self.source_charts.get(source_id))


def fact_graph(project: Project) -> FactGraph:
    """The project's graph, built on first use. A Project is not changed after loading (values
    aside, which the graph does not read), so the graph is cached on it."""
    cached = project.__dict__.get("_fact_graph")
    if isinstance(cached, FactGraph):
        return cached
    graph = build_graph(project)
    project.__dict__["_fact_graph"] = graph
    return graph


def carry_graph(old: Project, new: Project) -> None:
    """Give ``new`` the graph already built for ``old`` when nothing the graph reads differs
    between them: the same ids; the same explainers and charts (the very records, which the
    loader shares while their files are unchanged); for each fact its formula and sources, for
    each source what it is cited in. That is the case after an edit of a fact's value,
    statement or note, the live preview's commonest, where building the graph again was a
    sixth of a rebuild at 1,000 explainers."""
    graph = old.__dict__.get("_fact_graph")
    if not isinstance(graph, FactGraph) or "_fact_graph" in new.__dict__:
        return
    for table in ("explainers", "charts"):
        before, after = getattr(old, table), getattr(new, table)
        if before.keys() != after.keys() or any(after[k] is not v for k, v in before.items()):
            return
    if old.facts.keys() != new.facts.keys() or old.sources.keys() != new.sources.keys():
        return
    for fid, fact in old.facts.items():
        now = new.facts[fid]
        if now is not fact and (now.sources != fact.sources or (now.derived and now.derived.formula)
                                != (fact.derived and fact.derived.formula)):
            return
    for sid, source in old.sources.items():
        if new.sources[sid].cited_in != source.cited_in:
            return
    new.__dict__["_fact_graph"] = graph


def build_graph(project: Project) -> FactGraph:
    facts = project.facts
    inputs = {fid: tuple(n for n in formula_inputs(f) if n in facts) for fid, f in facts.items()}
    closure = {fid: _closure(fid, inputs) for fid in facts}
    sources: dict[str, tuple[str, ...]] = {}
    for fid, fact in facts.items():
        found = list(fact.sources)
        for child in closure[fid]:
            found += facts[child].sources
        sources[fid] = _unique(s for s in found if s in project.sources)

    chart_facts = {cid: _chart_facts(chart.spec, facts) for cid, chart in project.charts.items()}
    fact_charts: dict[str, set[str]] = {fid: set() for fid in facts}
    for cid, shown_ids in chart_facts.items():
        for fid in shown_ids:
            for each in (fid, *closure[fid]):
                fact_charts[each].add(cid)

    fact_explainers: dict[str, set[str]] = {fid: set() for fid in facts}
    source_explainers: dict[str, set[str]] = {sid: set() for sid in project.sources}
    shown: dict[str, tuple[str, ...]] = {}
    for slug, ex in project.explainers.items():
        direct, cited = _explainer_refs(ex, project, chart_facts)
        shown[slug] = direct
        for sid in cited:
            if sid in source_explainers:
                source_explainers[sid].add(slug)
        for fid in direct:
            for each in (fid, *closure[fid]):
                fact_explainers[each].add(slug)
            for sid in sources[fid]:
                source_explainers[sid].add(slug)
    # A source only reached through another ("as cited in") is used wherever that one is.
    for source in project.sources.values():
        if source.cited_in and source.cited_in in source_explainers:
            source_explainers[source.cited_in] |= source_explainers[source.id]

    source_charts: dict[str, set[str]] = {sid: set() for sid in project.sources}
    for cid, chart in project.charts.items():
        data = chart.spec.get("data")
        cited = [s for s in data.get("sources") or [] if isinstance(s, str)] \
            if isinstance(data, dict) else []
        for fid in chart_facts[cid]:
            cited += sources[fid]
        for sid in cited:
            if sid in source_charts:
                source_charts[sid].add(cid)
    for source in project.sources.values():
        if source.cited_in and source.cited_in in source_charts:
            source_charts[source.cited_in] |= source_charts[source.id]

    source_facts: dict[str, set[str]] = {sid: set() for sid in project.sources}
    for fid, rests in sources.items():
        for sid in rests:
            source_facts[sid].add(fid)
    follows = follows_map(project)
    links = {slug: explainer_links(ex, project, follows.get(slug))
             for slug, ex in project.explainers.items()}
    fact_links: dict[str, set[str]] = {}
    for slug, ex in project.explainers.items():
        for fid in linked_facts(ex, project):
            fact_links.setdefault(fid, set()).add(slug)
    linked_from: dict[str, set[str]] = {slug: set() for slug in project.explainers}
    follow_ups: dict[str, set[str]] = {slug: set() for slug in project.explainers}
    for slug, targets in links.items():
        for target in targets:
            linked_from[target].add(slug)
        earlier = follows.get(slug)
        if earlier is not None:
            follow_ups[earlier].add(slug)
    facts_of = _invert(fact_explainers)
    sources_of = _invert(source_explainers)
    return FactGraph(
        inputs=inputs, closure=closure, sources=sources,
        fact_explainers=_frozen(fact_explainers), fact_charts=_frozen(fact_charts),
        source_explainers=_frozen(source_explainers), source_facts=_frozen(source_facts),
        source_charts=_frozen(source_charts),
        shown=shown, links=links, linked_from=_frozen(linked_from),
        follow_ups=_frozen(follow_ups), follows=follows, fact_links=_frozen(fact_links),
        related=related_explainers(project, facts_of, sources_of, links, linked_from))


RELATED_MAX = 3
# A fact, source or tag shared by more explainers than this is not counted for "related": it
# tells readers nothing (a site-wide tag), and its pairs would grow with the square of the site.
COMMON_MAX = 100


def follows_map(project: Project) -> dict[str, str]:
    """Follow-up slug -> the earlier explainer it follows, declared from either side: the
    follow-up's own ``follows:``, else the explainer that lists it in ``followed_by:``. One
    rule for conflicts: the follow-up's own file decides; when it says nothing and several
    explainers list it, the first by slug is taken (check reports both cases as errors). Known
    explainers only, never itself."""
    known = project.explainers
    out: dict[str, str] = {}
    for slug in sorted(known):
        for later in known[slug].followed_by:
            if later in known and later != slug:
                out.setdefault(later, slug)
    for slug, ex in known.items():
        if ex.follows:
            out.pop(slug, None)
            if ex.follows in known and ex.follows != slug:
                out[slug] = ex.follows
    return out


def explainer_links(ex: Explainer, project: Project,
                    follows: str | None = None) -> tuple[str, ...]:
    """Other explainers ``ex`` links: in prose, in go_deeper and the one it follows up
    (``follows``, from :func:`follows_map`; known ones, never itself), in page order."""
    found: list[str] = []
    if follows:
        found.append(follows)
    for text, _ in ex.texts():
        found += [link.id for link in refs.page_links(text) if link.kind == "explainer"]
    found += [entry.explainer for entry in ex.go_deeper if entry.explainer]
    return _unique(s for s in found if s in project.explainers and s != ex.slug)


def linked_facts(ex: Explainer, project: Project) -> tuple[str, ...]:
    """Known facts whose permalink ``ex`` links in prose (``[[fact:id]]``), in page order."""
    return _unique(link.id for text, _ in ex.texts() for link in refs.page_links(text)
                   if link.kind == "fact" and link.id in project.facts)


def related_explainers(project: Project, facts_of: dict[str, set[str]],
                       sources_of: dict[str, set[str]], links: dict[str, tuple[str, ...]],
                       linked_from: dict[str, set[str]]) -> dict[str, tuple[str, ...]]:
    """For each explainer, the others that share the most with it: first the most facts, then
    sources, then tags; ties go to the newer explainer, then the slug, so the order never
    depends on the order files were read. Explainers the page already links (prose, go_deeper,
    follows) or lists (its follow-ups, what cites it) are left out, so no link is shown twice;
    at most RELATED_MAX. Pairs are found through what they share (an index by fact, source and
    tag), not by comparing every explainer with every other."""
    tables = (facts_of, sources_of, _tags_of(project))
    by_item: list[dict[str, list[str]]] = []
    for table in tables:
        index: dict[str, list[str]] = {}
        for slug in sorted(table):
            for item in table[slug]:
                index.setdefault(item, []).append(slug)
        # Shared by nearly everything: says nothing about what is related.
        by_item.append({k: v for k, v in index.items() if len(v) <= COMMON_MAX})
    newest = {slug: (ex.updated or ex.published).toordinal()
              for slug, ex in project.explainers.items()}
    out: dict[str, tuple[str, ...]] = {}
    for slug, ex in project.explainers.items():
        counts = [Counter[str](), Counter[str](), Counter[str]()]
        for column, table in enumerate(tables):
            for item in table.get(slug, ()):
                counts[column].update(by_item[column].get(item, ()))  # counted in C
        listed = {slug, *links[slug], *linked_from[slug], *(e.explainer for e in ex.go_deeper)}
        candidates = (counts[0].keys() | counts[1].keys() | counts[2].keys()) - listed
        out[slug] = tuple(heapq.nsmallest(
            RELATED_MAX, candidates,
            key=lambda b: (-counts[0][b], -counts[1][b], -counts[2][b], -newest[b], b)))
    return out


def _tags_of(project: Project) -> dict[str, set[str]]:
    return {slug: set(ex.tags) for slug, ex in project.explainers.items()}


def _invert(table: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for key, values in table.items():
        for value in values:
            out.setdefault(value, set()).add(key)
    return out


def _closure(fid: str, inputs: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    out: list[str] = []
    seen = {fid}
    stack = list(reversed(inputs.get(fid, ())))
    while stack:  # iterative: a long chain of derived facts must not hit the recursion limit
        name = stack.pop()
        if name in seen:
            continue  # a cycle (check reports it) or an input met twice
        seen.add(name)
        out.append(name)
        stack.extend(reversed(inputs.get(name, ())))
    return tuple(out)


def _chart_facts(spec: dict[str, Any], facts: dict[str, Any]) -> tuple[str, ...]:
    found = [p["fact"] for p in spec.get("points") or []
             if isinstance(p, dict) and isinstance(p.get("fact"), str)]
    return _unique(f for f in found if f in facts)


def _explainer_refs(ex: Explainer, project: Project,
                    chart_facts: dict[str, tuple[str, ...]]) -> tuple[tuple[str, ...], list[str]]:
    """Facts an explainer shows directly, in page order, and the sources it cites itself."""
    direct: list[str] = []
    cited: list[str] = list(ex.sources)
    for text, _ in ex.texts():
        for ref in refs.references(text):
            if ref.kind == "fact":
                direct.append(ref.id)
            elif ref.kind == "source":
                cited.append(ref.id)
    for section in ex.sections:
        direct += [fid for fid, _ in section.flashback]
        for chart_id in section.chart_ids:
            chart = project.charts.get(chart_id)
            if chart is None:
                continue
            direct += chart_facts.get(chart_id, ())
            data = chart.spec.get("data")
            if isinstance(data, dict):
                cited += [s for s in data.get("sources") or [] if isinstance(s, str)]
    return _unique(f for f in direct if f in project.facts), cited


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _frozen(table: dict[str, set[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(sorted(values)) for key, values in table.items()}
