"""The front page and the archive: what a reader sees first, bounded at any number of explainers.

* the front page shows the latest ``LATEST`` explainers as cards (tease, headline, one key
  number, dates, first tag), then up to ``TOPICS`` topic sections (the tags with most
  explainers), each with its ``PER_TOPIC`` newest headlines not already on the page, a line of
  links to those topics, then a link to the archive;
* the archive lists every explainer, newest first, ``ARCHIVE_PAGE`` to a page
  (``archive/index.md``, ``archive/2.md``, ...), so no page grows with the site.

The key number of an explainer is the one the social card shows too: the writer's ``key_fact``,
else one shared rule that never picks a date (generator/resolve/keyfact.py).
"""

from __future__ import annotations

import math

from jinja2 import Environment

from generator.load.model import Explainer, Project
from generator.render.dates import dateline_html, later_update
from generator.render.output import GeneratedFile, PageMeta
from generator.render.prose import plain_prose
from generator.render.reuse import Reuse, reuse_or_make
from generator.render.text import html_text, md_text
from generator.resolve.format import ap_date, capitalise, format_fact
from generator.resolve.keyfact import key_fact

LATEST = 12  # cards on the front page
TOPICS = 6  # topic sections on the front page
PER_TOPIC = 4  # headlines per topic section
ARCHIVE_PAGE = 50  # explainers per archive page
WORDS_PER_MINUTE = 230  # an adult's silent reading speed for news prose


def key_number(project: Project, ex: Explainer) -> dict[str, str] | None:
    """The key number as shown to readers: its formatted value and the fact's statement."""
    fid = key_fact(project, ex)
    if fid is None:
        return None
    fact = project.facts[fid]
    value = project.values.get(fid, fact.value)
    if value is None:
        return None
    return {"value": md_text(capitalise(format_fact(fact, value))),
            "statement": md_text(fact.statement), "id": fid}


def word_count(project: Project, ex: Explainer) -> int:
    """Words a reader reads in the story: the lede, section labels, texts and bullets."""
    texts = [ex.lede, *(s.label for s in ex.sections),
             *(t for s in ex.sections for t in [s.text or "", *s.bullets])]
    return sum(len(plain_prose(t, project).split()) for t in texts if t)


def reading_minutes(project: Project, ex: Explainer) -> int:
    """Counted once per explainer and project: the page, its cards and its feed entry show it
    (a Project is not changed after checking, like its fact graph)."""
    memo: dict[str, int] = project.__dict__.setdefault("_reading_minutes", {})
    if ex.slug not in memo:
        memo[ex.slug] = max(1, math.ceil(word_count(project, ex) / WORDS_PER_MINUTE))
    return memo[ex.slug]


def _card(project: Project, ex: Explainer, prefix: str) -> dict[str, object]:
    day = ex.published
    return {
        "headline": md_text(ex.headline),
        "tease": html_text(ex.tease),  # for raw HTML
        "tease_md": md_text(ex.tease),  # for Markdown
        "path": f"{prefix}{ex.slug}.md",
        "date": html_text(ap_date(day)),
        "iso": day.isoformat(),
        "updated": bool(later_update(ex)),
        "dateline": dateline_html(ex),  # first published, then "Updated ..." (dates.py)
        "lede": html_text(plain_prose(ex.lede, project)),  # raw HTML
        "number": key_number(project, ex),
        "tag": {"name": md_text(ex.tags[0]), "path": f"{prefix}tags/{ex.tags[0]}.md"}
        if ex.tags else None,
        "minutes": reading_minutes(project, ex),
    }


def topic_sections(project: Project, shown: set[str]) -> tuple[list[tuple[str, list[Explainer]]],
                                                                list[tuple[str, int]]]:
    """What the front page's Topics part shows below the cards: the ``TOPICS`` biggest tags,
    each with its newest ``PER_TOPIC`` headlines that no card above and no topic before it
    shows (a headline is on the front page once); and every one of those tags with its count,
    for the line of topic links (the whole part when no headline is left to show)."""
    found: dict[str, list[Explainer]] = {}
    for ex in project.explainers_newest_first():
        for tag in ex.tags:
            found.setdefault(tag, []).append(ex)
    ranked = sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOPICS]
    used = set(shown)
    sections = []
    for tag, items in ranked:
        fresh: list[Explainer] = []
        for ex in items:
            if ex.slug not in used:
                fresh.append(ex)
                used.add(ex.slug)
                if len(fresh) == PER_TOPIC:
                    break
        if fresh:
            sections.append((tag, fresh))
    return sections, [(tag, len(items)) for tag, items in ranked]


def archive_path(page: int) -> str:
    return "archive/index.md" if page == 1 else f"archive/{page}.md"


def card(project: Project, ex: Explainer, prefix: str, reuse: Reuse | None) -> dict[str, object]:
    """An explainer's card: it shows only what the explainer's page shows."""
    return reuse_or_make(reuse, "card", (ex.slug, prefix), tuple,
                         lambda: _card(project, ex, prefix), pages=[ex.slug])


def render_home(project: Project, env: Environment, reuse: Reuse | None = None) -> GeneratedFile:
    """The front page, laid out as news front pages are (explainer-news.css): the lead story
    across two columns with the next two in a rail beside it, the rest of the ``LATEST`` in a
    grid, then topics with headlines not shown above."""
    newest = project.explainers_newest_first()
    cards = [card(project, ex, "", reuse) for ex in newest[:LATEST]]
    sections, tags = topic_sections(project, {ex.slug for ex in newest[:LATEST]})
    text = env.get_template("home.md.j2").render(
        lead=cards[:1], cards=cards[1:],
        topics=[{"name": md_text(tag), "path": f"tags/{tag}.md",
                 "items": [card(project, ex, "", reuse) for ex in items]}
                for tag, items in sections],
        topic_links=[{"name": md_text(tag), "path": f"tags/{tag}.md", "count": count}
                     for tag, count in tags] if len(newest) > 1 else [],
        more=len(newest) > LATEST, total=len(newest))
    return GeneratedFile("index.md", text, PageMeta(
        title="Latest explainers", kind="front",
        description="Explainers in which every number links to its source."))


def render_archive(project: Project, env: Environment,
                   reuse: Reuse | None = None) -> list[GeneratedFile]:
    newest = project.explainers_newest_first()
    pages = max(1, math.ceil(len(newest) / ARCHIVE_PAGE))
    files = []
    for number in range(1, pages + 1):
        # archive/index.md sits one folder down, archive/2.md too (archive/2/ on the site).
        chunk = newest[(number - 1) * ARCHIVE_PAGE: number * ARCHIVE_PAGE]
        items = [card(project, ex, "../", reuse) for ex in chunk]
        months: list[dict[str, object]] = []
        for item, ex in zip(items, chunk, strict=True):
            day = ex.updated or ex.published
            label = f"{day:%B %Y}"
            if not months or months[-1]["label"] != label:
                months.append({"label": label, "items": []})
            months[-1]["items"].append(item)  # type: ignore[attr-defined]

        def link(n: int) -> str:
            return ("index.md" if n == 1 else f"{n}.md")

        text = env.get_template("archive.md.j2").render(
            months=months, page=number, pages=pages,
            newer=link(number - 1) if number > 1 else None,
            older=link(number + 1) if number < pages else None,
            first=(number - 1) * ARCHIVE_PAGE + 1, last=(number - 1) * ARCHIVE_PAGE + len(chunk),
            total=len(newest))
        title = "Archive" if number == 1 else f"Archive, page {number}"
        files.append(GeneratedFile(archive_path(number), text, PageMeta(
            title=title, kind="archive", description="Every explainer, newest first.")))
    return files
