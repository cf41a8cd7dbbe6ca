"""Markdown pages from the content model, through Jinja2 templates.

Templates ship in ``generator/render/templates``; a site overrides one by putting a file of the
same name in its own ``templates/`` folder. Templates receive only safe values: Markdown built by
:mod:`generator.render.prose` and :mod:`generator.render.text`, or HTML escaped with markupsafe.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from babel.lists import format_list
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

from generator.load.model import Explainer, Project
from generator.load.urls import link_target
from generator.render.citations import PageCitations, fact_source_ids
from generator.render.output import GeneratedFile, PageMeta
from generator.render.prose import plain_prose, render_prose
from generator.render.text import html_text, md_text
from generator.resolve.facts import formula_display
from generator.resolve.format import LOCALE, ap_date, capitalise, format_fact, format_period
from generator.resolve.graph import fact_graph


def environment(root: Path | None = None) -> Environment:
    loaders: list[Any] = []
    if root is not None and (root / "templates").is_dir():
        loaders.append(FileSystemLoader(str(root / "templates")))
    loaders.append(PackageLoader("generator.render", "templates"))
    # Markdown output: autoescape would corrupt it; every value is made safe before it arrives.
    return Environment(loader=ChoiceLoader(loaders), autoescape=False, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True,
                       undefined=StrictUndefined)


def _time(day: dt.date) -> str:
    return f'<time datetime="{day.isoformat()}">{html_text(ap_date(day))}</time>'


def meta_html(ex: Explainer) -> str:
    """Byline and dates as escaped HTML: "By A and B · Updated Oct. 9, 2023 · Published ..."."""
    parts = []
    if ex.authors:
        parts.append("By " + html_text(format_list(ex.authors, locale=LOCALE)))
    elif ex.unknown.get("authors"):
        reason = ex.unknown["authors"].strip().rstrip(".")
        parts.append(f'<span class="explainer-byline-unknown">Byline not known: '
                     f"{html_text(reason)}</span>")
    if ex.updated and ex.updated != ex.published:
        parts.append(f"Updated {_time(ex.updated)}")
        parts.append(f"First published {_time(ex.published)}")
    else:
        parts.append(f"Published {_time(ex.published)}")
    return " · ".join(parts)


def flashback_items(project: Project, ids: list[tuple[str, tuple[str | int, ...]]],
                    cites: PageCitations) -> list[str]:
    """A section's Flashback: "**Oct. 5, 2023:** statement¹" per date fact, in date order (ties
    as written). Facts that are not dates are left out (check reports them)."""
    dated = [(project.values.get(fid, fact.value), n, fact) for n, (fid, _) in enumerate(ids)
             if (fact := project.facts.get(fid)) is not None and fact.type == "date"
             and isinstance(project.values.get(fid, fact.value), dt.date)]
    return [f"**{md_text(capitalise(format_fact(fact, day)))}:** {md_text(fact.statement)}"
            f"{cites.cite_fact(fact)}" for day, _, fact in sorted(dated, key=lambda x: x[:2])]


def render_explainer(project: Project, ex: Explainer, env: Environment, *,
                     chart_blocks: dict[str, str], change_note: str = "") -> GeneratedFile:
    cites = PageCitations(project)
    lede = render_prose(ex.lede, cites)
    sections = []
    for section in ex.sections:
        sections.append({
            "label": md_text(section.label),
            "text": render_prose(section.text, cites) if section.text else "",
            "bullets": [render_prose(b, cites) for b in section.bullets]
            + flashback_items(project, section.flashback, cites),
            "chart": "\n\n".join(chart_blocks.get(cid, "") for cid in section.chart_ids),
        })
    note = render_prose(ex.note, cites) if ex.note else ""
    for sid in ex.sources:  # sources the whole piece relies on are listed even if not cited
        cites.list_source(sid)
    facts = []
    for fid in cites.all_facts():
        fact = project.facts[fid]
        value = project.values.get(fid, fact.value)
        if fact.is_derived:
            number = cites.notes.get("derived:" + fid)
            source_cell = f"derived [{number.number}](#fn:{number.number})" if number else \
                "derived"
        else:
            source_cell = ", ".join(f"[{n}](#fn:{n})"
                                    for n in cites.source_numbers(fact_source_ids(project, fact)))
        facts.append({
            "id": fid,
            "statement": md_text(fact.statement),
            "value": md_text(format_fact(fact, value)) if value is not None else "n/a",
            "as_of": md_text(format_period(fact.as_of)),
            "sources": source_cell,
        })
    citations = cites.definitions()
    links = page_links_context(project, ex)
    text = env.get_template("explainer.md.j2").render(
        slug=ex.slug, headline=md_text(ex.headline), tease_html=html_text(ex.tease),
        meta_html=meta_html(ex), lede=lede, sections=sections, note=note,
        tags=[{"name": md_text(t), "path": f"tags/{t}.md"} for t in ex.tags],
        citations=citations, facts=facts, change_note=change_note,
        also_cited="".join(f"[^{n}]" for n in cites.unreferenced()), **links)
    cited = [project.sources[n.key.split(":", 1)[1]]
             for n in sorted(cites.notes.values(), key=lambda n: n.number)
             if n.key.startswith("source:")]
    page = PageMeta(
        title=ex.headline, description=plain_prose(ex.lede, project), kind="explainer",
        published=ex.published.isoformat(),
        updated=(ex.updated or ex.published).isoformat(), authors=list(ex.authors),
        tags=list(ex.tags),
        citations=[{"name": s.title, "url": s.url or s.archive_url, "publisher": s.publisher,
                    "datePublished": s.published.isoformat() if s.published else None}
                   for s in cited])
    return GeneratedFile(f"{ex.slug}.md", text, page)


def _page_ref(ex: Explainer) -> str:
    """A Markdown link to an explainer page, with its date: "[Headline](slug.md), Oct. 9, 2023".
    Written as the page's source file, so MkDocs makes the relative URL for every edition."""
    return f"[{md_text(ex.headline)}]({ex.slug}.md), {md_text(ap_date(ex.updated or ex.published))}"


def page_links_context(project: Project, ex: Explainer) -> dict[str, Any]:
    """What the explainer template shows about links between explainers: the explainer this
    one follows, its follow-ups, the Go deeper list (the writer's entries, then related
    explainers) and the explainers that cite it. Empty lists render nothing."""
    graph = fact_graph(project)
    others = project.explainers
    go_deeper = []
    for entry in ex.go_deeper:
        note = f": {md_text(entry.note)}" if entry.note else ""
        if entry.explainer in others and entry.explainer != ex.slug:
            target = others[entry.explainer]
            go_deeper.append(f"[{md_text(target.headline)}]({target.slug}.md){note}")
        elif entry.url and entry.title:
            url = link_target(entry.url)
            title = f"[{md_text(entry.title)}]({url})" if url else md_text(entry.title)
            publisher = f", {md_text(entry.publisher)}" if entry.publisher else ""
            go_deeper.append(f"{title}{publisher}{note}")
    go_deeper += [f"[{md_text(others[s].headline)}]({s}.md)"
                  for s in graph.related.get(ex.slug, ())]
    newest_first = sorted((others[s] for s in graph.follow_ups.get(ex.slug, ())),
                          key=lambda e: (e.updated or e.published, e.published, e.slug),
                          reverse=True)
    follow_ups = [_page_ref(e) for e in newest_first]
    cited_by = [_page_ref(e) for e in sorted(
        (others[s] for s in graph.linked_from.get(ex.slug, ())
         if s not in graph.follow_ups.get(ex.slug, ())),
        key=lambda e: (e.updated or e.published, e.published, e.slug), reverse=True)]
    earlier = others.get(ex.follows or "")
    return {
        "follows": _page_ref(earlier) if earlier and earlier.slug != ex.slug else "",
        "newest_follow_up": follow_ups[0] if follow_ups else "",
        "follow_ups": follow_ups,
        "go_deeper": go_deeper,
        "cited_by": cited_by,
    }


def _listing(project: Project, ex: Explainer, prefix: str) -> dict[str, str]:
    return {
        "headline": md_text(ex.headline),
        "tease": md_text(ex.tease),
        "tease_html": html_text(ex.tease),
        "meta_html": meta_html(ex),
        "date": ap_date(ex.updated or ex.published),
        "lede": md_text(plain_prose(ex.lede, project)),
        "path": f"{prefix}{ex.slug}.md",
    }


def render_home(project: Project, env: Environment) -> GeneratedFile:
    items = [_listing(project, ex, "") for ex in project.explainers_newest_first()]
    text = env.get_template("home.md.j2").render(explainers=items)
    return GeneratedFile("index.md", text, PageMeta(
        title="Latest explainers", kind="index",
        description="Explainers in which every number links to its source."))


def tag_index(project: Project) -> dict[str, list[Explainer]]:
    tags: dict[str, list[Explainer]] = {}
    for ex in project.explainers_newest_first():
        for tag in ex.tags:
            tags.setdefault(tag, []).append(ex)
    return dict(sorted(tags.items()))


def render_tags(project: Project, env: Environment) -> list[GeneratedFile]:
    tags = tag_index(project)
    files = [GeneratedFile("tags/index.md", env.get_template("tags.md.j2").render(
        tags=[{"name": md_text(t), "path": f"{t}.md", "count": len(e)} for t, e in tags.items()]),
        PageMeta(title="Tags", description="Explainers by topic."))]
    for tag, explainers in tags.items():
        text = env.get_template("tag.md.j2").render(
            tag=md_text(tag), explainers=[_listing(project, e, "../") for e in explainers])
        files.append(GeneratedFile(f"tags/{tag}.md", text, PageMeta(
            title=f"Tagged “{tag}”", description=f"Explainers tagged {tag}.", tags=[tag])))
    return files


def _links(items: list[tuple[str, str]]) -> str:
    return ", ".join(f"[{label}]({target})" for label, target in items)


def render_sources(project: Project, payload: dict[str, Any], env: Environment) -> GeneratedFile:
    facts_by_source: dict[str, list[str]] = {}
    for fact in payload["facts"]:
        for sid in fact["source_ids"]:
            facts_by_source.setdefault(sid, []).append(fact["id"])
    items = []
    for record in sorted(payload["sources"],
                         key=lambda s: ((s["publisher"] or "").lower(), s["title"].lower())):
        source = project.sources[record["id"]]
        items.append({
            "id": source.id,
            "heading": md_text(source.title),
            "citation": record["citation"],
            "note": md_text(source.note) if source.note else "",
            "facts": _links([(md_text(project.facts[f].statement.rstrip(".")), f"facts.md#{f}")
                             for f in facts_by_source.get(source.id, [])]),
            "used_in": _links([(md_text(project.explainers[s].headline), f"{s}.md")
                               for s in record["used_in"] if s in project.explainers]),
        })
    return GeneratedFile("sources.md", env.get_template("sources.md.j2").render(sources=items),
                         PageMeta(title="Sources", description="Every source cited on this site."))


def render_facts(project: Project, payload: dict[str, Any], env: Environment) -> GeneratedFile:
    items = []
    for record in payload["facts"]:
        fact = project.facts[record["id"]]
        value = md_text(record["display"] or "n/a")
        if fact.derived:
            # Written back from the parsed tree: only names, numbers and operators, so it
            # cannot close the code span, and it is exactly what was computed.
            value += f" (derived: `{formula_display(fact)}`)"
        items.append({
            "id": fact.id,
            "statement": md_text(fact.statement),
            "note": md_text(fact.note) if fact.note else "",
            "value": value,
            "as_of": md_text(format_period(fact.as_of)),
            "sources": _links([(md_text(s["title"]), f"sources.md#{s['id']}")
                               for s in record["sources"]]),
            "used_in": _links([(md_text(project.explainers[s].headline), f"{s}.md")
                               for s in record["used_in"] if s in project.explainers]),
        })
    return GeneratedFile("facts.md", env.get_template("facts.md.j2").render(facts=items),
                         PageMeta(title="Facts", description="Every fact on this site, with "
                                  "its value, date and sources."))
