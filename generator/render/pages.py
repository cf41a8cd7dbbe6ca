"""Markdown pages from the content model, through Jinja2 templates.

Templates ship in ``generator/render/templates``; a site overrides one by putting a file of the
same name in its own ``templates/`` folder. Templates receive only safe values: Markdown built by
:mod:`generator.render.prose` and :mod:`generator.render.text`, or HTML escaped with markupsafe.
"""

from __future__ import annotations

import datetime as dt
import sys
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn

from babel.lists import format_list
from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)
from jinja2.bccache import Bucket
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from generator.errors import BuildError, printable
from generator.load.model import Explainer, Project
from generator.load.urls import link_target
from generator.render import data
from generator.render.citations import PageCitations, fact_source_ids
from generator.render.dates import dateline_text
from generator.render.front import reading_minutes
from generator.render.indexes import IndexLinks, relative
from generator.render.output import GeneratedFile, PageMeta
from generator.render.prose import plain_prose, render_prose
from generator.render.reuse import Reuse, reuse_or_make
from generator.render.text import html_text, md_text
from generator.resolve.format import LOCALE, ap_date, capitalise, format_fact, format_period
from generator.resolve.graph import fact_graph
from generator.resolve.units import with_unit


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory across environments: a generation makes a new
    environment, and compiling every template again cost a live preview rebuild about a tenth
    of a second. Jinja stores each template's source checksum with its code and compiles a
    changed template again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = CompiledTemplates()  # one set of Environment options below: shared safely


class Templates(SandboxedEnvironment):
    """The writers' ``templates/`` are code a maintainer reviews, but a pull request can add one:
    they render sandboxed, so a template reaches only the values it is given (no
    ``cycler.__init__.__globals__.os``, no underscore attributes, no unsafe callables). A
    template of the project's that fails (the sandbox refused something, a syntax error, an
    undefined name) stops the build with a :class:`BuildError` naming the file and line; the
    package's own templates failing is a bug and is raised as it is."""

    writer_folder: Path | None = None

    def handle_exception(self, source: str | None = None) -> NoReturn:
        error = sys.exc_info()[1]
        if isinstance(error, TemplateError) and self.writer_folder is not None:
            where = _writer_frame(error, self.writer_folder)
            if where is not None:
                raise _template_error(error, *where) from None
        super().handle_exception(source)


def _writer_frame(error: TemplateError, folder: Path) -> tuple[str, int] | None:
    """The innermost place in one of the project's templates where ``error`` arose: (name
    relative to the project, line), or None when it arose in none of them."""
    base = str(folder.resolve())
    places: list[tuple[str | None, int]] = []
    if isinstance(error, TemplateSyntaxError):
        places.append((error.filename, error.lineno))
    tb: TracebackType | None = error.__traceback__
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None:
            places.append((template.filename, template.get_corresponding_lineno(tb.tb_lineno)))
        tb = tb.tb_next
    for filename, line in reversed(places):
        if filename and str(Path(filename).resolve()).startswith(base + "/"):
            name = Path(filename).resolve().relative_to(folder.resolve().parent).as_posix()
            return name, line
    return None


def _template_error(error: TemplateError, name: str, line: int) -> BuildError:
    if isinstance(error, SecurityError):
        what = (f"the template reaches for something templates may not use "
                f"({printable(str(error.message or error)).rstrip('.')})")
        fix = ("templates run sandboxed: use only the values the page is given (no attributes "
               "starting with '_', no Python internals); remove that expression")
    elif isinstance(error, TemplateSyntaxError):
        what = f"the template is not valid Jinja ({printable(error.message or '')})"
        fix = "fix the template's syntax, or delete it to use the built-in one"
    else:
        what = f"the template failed ({printable(str(error.message or error))})"
        fix = "use only the values the page is given, or delete the file to use the built-in one"
    return BuildError(f"{name}:{line}: {what}; nothing was built", hint=fix)


def environment(root: Path | None = None) -> Environment:
    loaders: list[Any] = []
    writer_folder = None
    if root is not None and (root / "templates").is_dir():
        writer_folder = root / "templates"
        loaders.append(FileSystemLoader(str(writer_folder)))
    loaders.append(PackageLoader("generator.render", "templates"))
    # Markdown output: autoescape would corrupt it; every value is made safe before it arrives.
    env = Templates(loader=ChoiceLoader(loaders), autoescape=False, trim_blocks=True,
                    lstrip_blocks=True, keep_trailing_newline=True,
                    undefined=StrictUndefined, bytecode_cache=_COMPILED)
    env.writer_folder = writer_folder
    return env


def _time(day: dt.date) -> str:
    return f'<time datetime="{day.isoformat()}">{html_text(ap_date(day))}</time>'


def meta_html(ex: Explainer, *, minutes: int | None = None, changes: str | None = None) -> str:
    """Byline, dates and reading time: "By A and B · Updated Oct. 9, 2023 (what changed) ·
    Published ... · 3 min read". Escaped HTML, plus a Markdown link to ``changes`` (the page
    holding it must be parsed as Markdown: ``<p markdown>``)."""
    parts = []
    if ex.authors:
        parts.append('<span class="explainer-byline">By '
                     + md_text(format_list(ex.authors, locale=LOCALE)) + "</span>")
    elif ex.unknown.get("authors"):
        # The meta line is parsed as Markdown (its What changed link): md_text escapes both.
        reason = ex.unknown["authors"].strip().rstrip(".")
        parts.append(f'<span class="explainer-byline-unknown">Byline not known: '
                     f"{md_text(reason)}</span>")
    if ex.updated and ex.updated != ex.published:
        updated = f"Updated {_time(ex.updated)}"
        if changes:
            updated += f" ([what changed]({changes}))"
        parts.append(updated)
        parts.append(f"First published {_time(ex.published)}")
    else:
        parts.append(f"Published {_time(ex.published)}")
    if minutes:
        parts.append(f"{minutes} min read")
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
                     chart_blocks: dict[str, str], updates_html: str = "",
                     links: IndexLinks | None = None,
                     what_changed: str | None = "changes.md") -> GeneratedFile:
    """One explainer's page. ``updates_html``: its notes (articlenotes.py), which the dateline's
    "what changed" link leads to; without notes it leads to ``what_changed`` (None: the first
    edition, whose What changed page has nothing to show, gets no link)."""
    path = f"{ex.slug}.md"
    if links is None:  # one page alone (tests, goldens): where the indexes would list facts
        links = IndexLinks.of(data.facts_payload(project))
    index = links
    cites = PageCitations(project, fact_href=lambda fid: index.fact(fid, path))
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
            "href": links.fact(fid, path),
            "statement": md_text(fact.statement),
            "value": md_text(with_unit(fact, format_fact(fact, value)))
            if value is not None else "n/a",
            "as_of": md_text(format_period(fact.as_of)),
            "sources": source_cell,
        })
    citations = cites.definitions()
    link_context = page_links_context(project, ex)
    text = env.get_template("explainer.md.j2").render(
        slug=ex.slug, headline=md_text(ex.headline), tease_html=html_text(ex.tease),
        meta_html=meta_html(ex, minutes=reading_minutes(project, ex),
                            changes="#updates" if updates_html else what_changed),
        lede=lede, sections=sections, note=note,
        tags=[{"name": md_text(t), "path": f"tags/{t}.md"} for t in ex.tags],
        citations=citations, facts=facts, updates_html=updates_html,
        also_cited="".join(f"[^{n}]" for n in cites.unreferenced()), **link_context)
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
                   for s in cited],
        note_labels=cites.labels())
    return GeneratedFile(path, text, page)


def _page_ref(ex: Explainer) -> str:
    """A Markdown link to an explainer page, with its dates (dates.py): "[Headline](slug.md),
    Sept. 20, 2023 · Updated Oct. 9, 2023".
    Written as the page's source file, so MkDocs makes the relative URL for every edition."""
    return f"[{md_text(ex.headline)}]({ex.slug}.md), {md_text(dateline_text(ex))}"


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
    earlier = others.get(graph.follows.get(ex.slug, ""))  # `follows:` or another's `followed_by:`
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
        "date": dateline_text(ex),  # no Markdown syntax in it
        "lede": md_text(plain_prose(ex.lede, project)),
        "path": f"{prefix}{ex.slug}.md",
    }


def tag_index(project: Project) -> dict[str, list[Explainer]]:
    tags: dict[str, list[Explainer]] = {}
    for ex in project.explainers_newest_first():
        for tag in ex.tags:
            tags.setdefault(tag, []).append(ex)
    return dict(sorted(tags.items(), key=lambda kv: (kv[0].casefold(), kv[0])))  # TPS by tps


# Explainers per tag page, newest first: a tag that grows gets more pages, never a longer one.
TAG_PAGE_SIZE = 50


def tag_page_path(tag: str, number: int) -> str:
    """``tags/<tag>.md`` (newest), then ``tags/<tag>/2.md``, ``tags/<tag>/3.md``..."""
    return f"tags/{tag}.md" if number == 1 else f"tags/{tag}/{number}.md"


def render_tags(project: Project, env: Environment,
                reuse: Reuse | None = None) -> list[GeneratedFile]:
    tags = tag_index(project)
    files = [GeneratedFile("tags/index.md", env.get_template("tags.md.j2").render(
        tags=[{"name": md_text(t), "path": f"{t}.md", "count": len(e)} for t, e in tags.items()]),
        PageMeta(title="Tags", description="Explainers by topic."))]
    for tag, explainers in tags.items():
        pages_total = max(1, -(-len(explainers) // TAG_PAGE_SIZE))
        for number in range(1, pages_total + 1):
            path = tag_page_path(tag, number)
            chunk = explainers[(number - 1) * TAG_PAGE_SIZE: number * TAG_PAGE_SIZE]
            prefix = relative(path, "x.md")[:-len("x.md")]  # up to the docs root
            suffix = f", page {number} of {pages_total}" if number > 1 else ""
            text = env.get_template("tag.md.j2").render(
                tag=md_text(tag), title_suffix=suffix,
                explainers=[reuse_or_make(reuse, "listing", (e.slug, prefix), tuple,
                                          partial(_listing, project, e, prefix),
                                          pages=[e.slug]) for e in chunk],
                number=number, pages=pages_total, total=len(explainers),
                all_tags=relative(path, "tags/index.md"),
                newer=relative(path, tag_page_path(tag, number - 1)) if number > 1 else "",
                older=relative(path, tag_page_path(tag, number + 1))
                if number < pages_total else "")
            title = f"Tagged “{tag}”{suffix}"
            files.append(GeneratedFile(path, text, PageMeta(
                title=title, description=f"Explainers tagged {tag}.", tags=[tag])))
    return files
