"""The Facts and Sources indexes: pages that stay small however large the site grows.

Each index is a prefix tree of pages (generator/render/buckets.py): ``facts/`` lists every fact
while they fit, and is split into ``facts/<prefix>/`` pages once they do not. Every page is
addressed by a prefix of the ids it lists, so a fact's page moves only when its own page
overflows. Other pages link to a fact or source through :class:`IndexLinks`, which knows where
each one is; the old ``facts/#id`` and ``sources/#id`` addresses still land (see buckets.py).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from itertools import chain
from typing import Any

from jinja2 import Environment

from generator.load.model import Project
from generator.render.buckets import Plan, plan
from generator.render.output import GeneratedFile, PageMeta
from generator.render.reuse import Reuse, reuse_or_make
from generator.render.text import md_text
from generator.resolve.facts import formula_display
from generator.resolve.format import format_period
from generator.resolve.units import with_unit

# Estimated Markdown characters per page before it is split. The Markdown renders to about
# twice as much HTML, which gzip shrinks about tenfold: far below the 150 KB gzip budget per
# page, with room for the theme's navigation around it (tests/test_index_budget.py measures).
PAGE_WEIGHT = 120_000
# Links listed per fact or source ("used in", "facts citing it"); the rest are counted. This
# bounds any one item's weight, so a page of one item stays small too. Every link is in
# data/facts.json.
LIST_CAP = 20
_LINK_WEIGHT = 40  # a link's Markdown besides its label (the relative path, brackets)
_ITEM_WEIGHT = 60  # an item's heading and separators


def docs_path(index: str, key: str) -> str:
    """The generated Markdown file of one index page: ``facts/index.md``, ``facts/m/index.md``."""
    return f"{index}/{key}/index.md" if key else f"{index}/index.md"


@lru_cache(maxsize=1 << 16)
def relative(from_page: str, to_page: str) -> str:
    """A Markdown link from one generated page to another (both relative to the docs root).
    Remembered: an index page links the same few pages hundreds of times, and ``relpath``
    normalises both paths each time."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def fact_weight(record: dict[str, Any]) -> int:
    """About the length of the fact's Markdown on its index page."""
    return (_ITEM_WEIGHT + len(record["id"]) + len(record["statement"])
            + len(record["note"] or "") + len(record["display"] or "")
            + sum(len(s["title"]) + _LINK_WEIGHT for s in record["sources"][:LIST_CAP])
            + sum(len(slug) + _LINK_WEIGHT for slug in record["used_in"][:LIST_CAP]))


def source_weight(record: dict[str, Any], citing: list[str]) -> int:
    """About the length of the source's Markdown on its index page."""
    return (_ITEM_WEIGHT + len(record["id"]) + len(record["title"]) + len(record["citation"])
            + len(record["note"] or "")
            + sum(2 * len(fid) + _LINK_WEIGHT for fid in citing[:LIST_CAP])
            + sum(len(slug) + _LINK_WEIGHT for slug in record["used_in"][:LIST_CAP]))


def fact_plan(fact_records: list[dict[str, Any]]) -> Plan:
    return plan({f["id"]: fact_weight(f) for f in fact_records}, PAGE_WEIGHT)


# The facts download's parts (generator/render/datafiles.py) are cut finer than the pages: a
# correction publishes its part again in the new edition, while every other part is named in
# that edition's index, one line each. A part's weight is at most PART_WEIGHT (about one
# explainer's facts), or a PART_SHARE-th of all facts when that is more (never more than a
# page), so the index, which every edition publishes, stays at a few hundred to a thousand
# lines as the archive grows, and the parts grow instead. Pages are not cut as fine: each page
# costs every edition a redirect, a sitemap line and the engine's time to build it, and a page
# of one explainer's facts would be mostly the theme around it.
PART_WEIGHT = 16_000
PART_SHARE = 500


def part_plan(fact_records: list[dict[str, Any]]) -> Plan:
    weights = {f["id"]: fact_weight(f) for f in fact_records}
    share = sum(weights.values()) // PART_SHARE
    return plan(weights, min(PAGE_WEIGHT, max(PART_WEIGHT, share)))


def facts_by_source(payload: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for fact in payload["facts"]:
        for sid in fact["source_ids"]:
            found.setdefault(sid, []).append(fact["id"])
    return found


def source_plan(payload: dict[str, Any]) -> Plan:
    citing = facts_by_source(payload)
    return plan({s["id"]: source_weight(s, citing.get(s["id"], []))
                 for s in payload["sources"]}, PAGE_WEIGHT)


@dataclass
class IndexLinks:
    """Where every fact and source is listed, for links from any generated page."""

    facts: Plan
    sources: Plan

    @classmethod
    def of(cls, payload: dict[str, Any]) -> IndexLinks:
        return cls(facts=fact_plan(payload["facts"]), sources=source_plan(payload))

    def fact(self, fact_id: str, from_page: str) -> str:
        page = docs_path("facts", self.facts.page_of[fact_id])
        return f"{relative(from_page, page)}#{fact_id}"

    def source(self, source_id: str, from_page: str) -> str:
        page = docs_path("sources", self.sources.page_of[source_id])
        return f"{relative(from_page, page)}#{source_id}"

    @cached_property
    def key(self) -> int:
        """Where every fact and source is listed, in one number: pages that link facts and
        sources, and the indexes' own parts, are made again when it changes (a page split)."""
        return hash((tuple(sorted(self.facts.page_of.items())),
                     tuple(sorted(self.sources.page_of.items()))))


def _links(items: list[tuple[str, str]], *, more_where: str = "data/facts.json") -> str:
    shown = ", ".join(f"[{label}]({target})" for label, target in items[:LIST_CAP])
    rest = len(items) - LIST_CAP
    if rest > 0:
        shown += f" and {rest:,} more (all listed in {more_where})"
    return shown


def _explainer_links(project: Project, slugs: list[str], page: str) -> str:
    return _links([(md_text(project.explainers[s].headline), relative(page, f"{s}.md"))
                   for s in slugs if s in project.explainers])


ABOUT_NAMES = 2  # names in a page's "about" line before "and N more"


def subtree_items(tree: Plan, key: str) -> list[str]:
    """Every id listed on the page ``key`` or on any of its parts, at any depth."""
    found, stack = [], [key]
    while stack:
        node = tree.nodes[stack.pop()]
        found += node.items
        stack += reversed(node.children)  # in id order
    return found


def _about(keys: list[str], name: Callable[[str], str]) -> str:
    """What a page's items are most about (the keys met most often first, then in the order
    met), named as readers read them: "A, B and 3 more". Only the names shown are made."""
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts, key=lambda k: -counts[k])
    shown = ", ".join(dict.fromkeys(name(k) for k in ranked[:ABOUT_NAMES]))
    rest = len(ranked) - ABOUT_NAMES
    return f"{shown} and {rest:,} more" if rest > 0 else shown


def facts_about(project: Project, records: dict[str, dict[str, Any]], ids: list[str]) -> str:
    """The explainers that cite these facts, by headline: what readers know them by."""
    slugs = [slug for fid in ids for slug in records[fid]["used_in"]
             if slug in project.explainers]
    return _about(slugs, lambda slug: md_text(project.explainers[slug].headline))


def sources_about(records: dict[str, dict[str, Any]], ids: list[str]) -> str:
    """The publishers of these sources (or their titles, where no publisher is known)."""
    return _about([records[sid]["publisher"] or records[sid]["title"] for sid in ids], md_text)


def _parts(index: str, tree: Plan, key: str, page: str,
           about: Callable[[list[str]], str]) -> list[dict[str, Any]]:
    """Links to the parts of a split page; ``prefix`` lets old ``#id`` links find their way.

    A part that only leads to one further part (ids sharing a long prefix) is skipped over in
    the links, so readers do not click through a chain of one-link pages; the skipped pages
    still exist and forward old links."""
    children = tree.nodes[key].children
    # A page whose one part is only a list of parts (all ids start "f_") lists those instead.
    while len(children) == 1 and not tree.nodes[children[0]].items:
        children = tree.nodes[children[0]].children
    parts = []
    for child in children:
        node = tree.nodes[child]
        while not node.items and len(node.children) == 1:
            node = tree.nodes[node.children[0]]
        parts.append({"label": md_text(node.key), "prefix": node.key, "count": node.count,
                      "about": about(subtree_items(tree, node.key)),
                      "path": relative(page, docs_path(index, node.key))})
    return parts


# How a page of each index names what its items are about (see facts_about, sources_about).
ABOUT_TITLE = {"facts": "Facts cited in {about}", "sources": "Sources from {about}"}


def _page_meta(index: str, key: str, count: int, about: str) -> PageMeta:
    noun = index.capitalize()
    if not key:
        return PageMeta(title=noun, kind="index",
                        description=f"Every {index[:-1]} on this site, with its details.")
    title = ABOUT_TITLE[index].format(about=about) if about else f"{noun}: ids starting “{key}”"
    return PageMeta(title=title, kind="index",
                    description=f"{count:,} {index} whose ids start with “{key}”.")


def _context(index: str, tree: Plan, key: str, page: str,
             about: Callable[[list[str]], str]) -> dict[str, Any]:
    parent = key[:-1] if key else None
    while parent and parent not in tree.nodes:  # cannot happen with buckets.plan; be safe
        parent = parent[:-1]
    return {
        "key": md_text(key),
        "count": tree.nodes[key].count,
        "parts": _parts(index, tree, key, page, about),
        "about": about(subtree_items(tree, key)) if key else "",
        "topics": relative(page, "tags/index.md"),
        "archive": relative(page, "archive/index.md"),
        "up": relative(page, docs_path(index, parent)) if parent is not None else "",
        "up_label": md_text(parent) if parent else "",
        "data_csv": relative(page, "data/facts.csv"),
        "data_json": relative(page, "data/facts.json"),
    }


def render_facts(project: Project, payload: dict[str, Any], env: Environment,
                 links: IndexLinks, reuse: Reuse | None = None) -> list[GeneratedFile]:
    records = {f["id"]: f for f in payload["facts"]}
    files = []
    for key, node in links.facts.nodes.items():
        listed = [records[fid] for fid in node.items]
        # A page names its parts, and itself, by the explainers citing the facts under it
        # (gathered only for the preview's reuse, which compares them).
        under = ([records[fid] for fid in subtree_items(links.facts, key)]
                 if reuse is not None else [])
        files.append(reuse_or_make(
            reuse, "facts page", key,
            partial(_shape, links, listed, lambda r: (), tuple(tuple(r["used_in"])
                                                                 for r in under)),
            partial(_facts_page, project, records, env, links, key),
            explainers=chain.from_iterable(r["used_in"] for r in under)))
    return files


def _shape(links: IndexLinks, listed: list[dict[str, Any]],
           lists: Callable[[dict[str, Any]], tuple[Any, ...]],
           about: tuple[Any, ...] = ()) -> tuple[Any, ...]:
    """An index page is made from where every item is listed, its items' payload records in
    order (the same objects while unchanged, so compared by identity first; a record made
    again is compared as content: its value, title, citation, sources and where it is used)
    and what else each item lists (``lists``). The records' own fields cover everything an
    item shows but the headlines of the explainers using it and the statements of the facts
    citing a source, which are compared as changes."""
    return links.key, tuple(listed), tuple(lists(r) for r in listed), about


def _facts_page(project: Project, records: dict[str, dict[str, Any]], env: Environment,
                links: IndexLinks, key: str) -> GeneratedFile:
    node = links.facts.nodes[key]
    page = docs_path("facts", key)
    items = []
    for fid in node.items:
        record = records[fid]
        fact = project.facts[fid]
        value = md_text(with_unit(fact, record["display"]) if record["display"] else "n/a")
        if fact.derived:
            # Written back from the parsed tree: only names, numbers and operators, so it
            # cannot close the code span, and it is exactly what was computed.
            value += f" (derived: `{formula_display(fact)}`)"
        items.append({
            "id": fid,
            "statement": md_text(fact.statement),
            "note": md_text(fact.note) if fact.note else "",
            "value": value,
            "as_of": md_text(format_period(fact.as_of)),
            "sources": _links([(md_text(s["title"]), links.source(s["id"], page))
                               for s in record["sources"]]),
            "used_in": _explainer_links(project, record["used_in"], page),
        })
    about = partial(facts_about, project, records)
    context = _context("facts", links.facts, key, page, about)
    text = env.get_template("facts.md.j2").render(facts=items, **context)
    return GeneratedFile(page, text, _page_meta("facts", key, node.count, context["about"]))


def render_sources(project: Project, payload: dict[str, Any], env: Environment,
                   links: IndexLinks, reuse: Reuse | None = None) -> list[GeneratedFile]:
    records = {s["id"]: s for s in payload["sources"]}
    citing = facts_by_source(payload)
    files = []
    for key, node in links.sources.nodes.items():
        listed = [records[sid] for sid in node.items]
        under = (tuple(records[sid] for sid in subtree_items(links.sources, key))
                 if reuse is not None else ())
        files.append(reuse_or_make(
            reuse, "sources page", key,
            partial(_shape, links, listed, lambda r: tuple(citing.get(r["id"], ())), under),
            partial(_sources_page, project, records, citing, env, links, key),
            facts=chain.from_iterable(citing.get(r["id"], ()) for r in listed),
            explainers=chain.from_iterable(r["used_in"] for r in listed)))
    return files


def _sources_page(project: Project, records: dict[str, dict[str, Any]],
                  citing: dict[str, list[str]], env: Environment, links: IndexLinks,
                  key: str) -> GeneratedFile:
    node = links.sources.nodes[key]
    page = docs_path("sources", key)
    items = []
    # Within a page, in reading order (publisher, then title), as the index always was.
    for sid in sorted(node.items, key=lambda s: ((records[s]["publisher"] or "").lower(),
                                                  records[s]["title"].lower())):
        record, source = records[sid], project.sources[sid]
        items.append({
            "id": sid,
            "heading": md_text(source.title),
            "citation": record["citation"],
            "note": md_text(source.note) if source.note else "",
            "facts": _links([(md_text(project.facts[f].statement.rstrip(".")),
                              links.fact(f, page)) for f in citing.get(sid, [])]),
            "used_in": _explainer_links(project, record["used_in"], page),
        })
    about = partial(sources_about, records)
    context = _context("sources", links.sources, key, page, about)
    text = env.get_template("sources.md.j2").render(sources=items, **context)
    return GeneratedFile(page, text, _page_meta("sources", key, node.count, context["about"]))


def render_search(env: Environment) -> GeneratedFile:
    """The search page: Pagefind's search box is mounted on it in the browser."""
    return GeneratedFile("search.md", env.get_template("search.md.j2").render(),
                         PageMeta(title="Search", description="Search the explainers, facts "
                                  "and sources of this site."))
