"""The "What changed in this edition" page (the notes on each article: articlenotes.py).

Interface used by the page renderer: ``render_changes(project, edition, facts_payload)`` returns
the ``changes.md`` page.

The entries are HTML blocks inside the Markdown page: every value, statement, title and
correction note comes from YAML (this edition's or an older one's), and HTML escaping with
markupsafe is exact, whereas Markdown escaping depends on which extensions are on. Headings stay
Markdown so they reach the table of contents. Links inside the HTML follow the fixed site URLs
(use_directory_urls): this page is ``/changes/``, an explainer ``/<slug>/``, a fact its
``permalink`` in the facts payload (``/facts/<prefix>/#<fact_id>``, generator/render/indexes.py),
and another edition ``/<version>/...`` one level up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from generator.load.model import Project
from generator.render.factdiff import FactChange, FactDiff, FieldChange, diff_facts, value_text
from generator.render.output import VERSION_RE, Edition, GeneratedFile, PageMeta

TITLE = "What changed in this edition"


@dataclass
class ChangesOutput:
    page: GeneratedFile


def render_changes(project: Project, edition: Edition,
                   facts_payload: dict[str, Any]) -> ChangesOutput:
    version = _safe_version(edition.version)
    previous = _safe_version(edition.previous_version)
    if previous is None:
        return _page(_first_edition(version), "The first edition of this site.")
    if edition.previous_facts is None:
        text = (f"{_edition_line(version, previous)}\n\n"
                f"<p>Edition {escape(previous)} published no readable fact list "
                "(<code>data/facts.json</code>), so the changes since then cannot be listed "
                "fact by fact.</p>\n")
        return _page(text, f"Changes since edition {previous} cannot be listed.")
    diff = diff_facts(edition.previous_facts, facts_payload)
    page = _changes_page(project, diff, version, previous)
    return ChangesOutput(page=page)


_PERMALINK = re.compile(r"^facts/(?:[a-z0-9_]+/)?#[a-z][a-z0-9_]*$")


def _permalink(record: dict[str, Any], fact_id: str) -> Markup:
    """This edition's address of a fact (data.py sets it; checked again since it lands in
    an href unescaped by Markdown)."""
    link = str(record.get("permalink") or "")
    return escape(link if _PERMALINK.match(link) else f"facts/#{fact_id}")


def _safe_version(version: str | None) -> str | None:
    # Versions come from the command line or the environment, never from YAML; still, only
    # names that are safe in any context reach a page.
    return version if version is not None and VERSION_RE.match(version) else None


def _page(body: str, description: str) -> ChangesOutput:
    text = f"# {TITLE}\n\n{body}"
    meta = PageMeta(title="What changed", description=description)
    return ChangesOutput(page=GeneratedFile("changes.md", text, meta))


def _first_edition(version: str | None) -> str:
    which = f"Edition {escape(version)} is" if version else "This is"
    return (f"<p>{which} the first edition of this site. Later editions list here every fact "
            "that was added, removed or changed, with its old and new value and source.</p>\n")


def _edition_line(version: str | None, previous: str) -> str:
    if version:
        return (f"<p class=\"explainer-changes-summary\">Edition <strong>{escape(version)}"
                f"</strong> compared with edition <strong>{escape(previous)}</strong>.")
    return ("<p class=\"explainer-changes-summary\">This preview compared with the published "
            f"edition <strong>{escape(previous)}</strong>.")


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _counts(diff: FactDiff) -> str:
    parts = [f"{_plural(len(diff.changed), 'fact')} changed", f"{len(diff.added)} added",
             f"{len(diff.removed)} removed"]
    return ", ".join(parts)


def _changes_page(project: Project, diff: FactDiff, version: str | None,
                  previous: str) -> GeneratedFile:
    lines = [f"{_edition_line(version, previous)} {_counts(diff)}.</p>", ""]
    if diff.empty:
        lines += [f"<p>No fact changed since edition {escape(previous)}.</p>", ""]
    sections = (("Changed facts", diff.changed, "changed"),
                ("Added facts", diff.added, "added"),
                ("Removed facts", diff.removed, "removed"))
    for heading, items, kind in sections:
        if not items:
            continue
        lines += [f"## {heading}", ""]
        for item in items:
            lines += [_entry(project, item, kind, version, previous), ""]
    affected = _affected_pages(project, diff)
    if affected:
        lines += ["## Pages updated", "", *affected, ""]
    description = (f"Facts changed, added and removed in edition {version} since edition "
                   f"{previous}." if version else f"Facts changed since edition {previous}.")
    meta = PageMeta(title="What changed", description=description)
    return GeneratedFile("changes.md", f"# {TITLE}\n\n" + "\n".join(lines), meta)


def _entry(project: Project, item: FactChange | dict[str, Any], kind: str,
           version: str | None, previous: str) -> str:
    record = item.new if isinstance(item, FactChange) else item
    if isinstance(item, FactChange):
        fact_id = item.id
        rows = [_field_row(f) for f in item.fields]
        used_in = item.used_in
    else:
        fact_id = str(item.get("id"))
        verb = "was" if kind == "removed" else "is"
        rows = [_row("Value", Markup(f"{verb} <strong>{escape(value_text(item))}</strong>")),
                _row("Source", _source_list(item.get("sources")))]
        used_in = [str(s) for s in item.get("used_in") or []]
    correction = correction_note(project, fact_id, item) if kind != "removed" else None
    if correction:
        rows.append(_row("Correction", escape(correction), cls="explainer-change-correction"))
    label = "Appeared in" if kind == "removed" else "Appears in"
    rows.append(_row(label, _explainer_links(project, used_in)))
    links = []
    if kind != "removed":
        links.append(f'<a href="../{_permalink(record, fact_id)}">This fact in the facts '
                     "index</a>")
    if version and kind != "added":
        # The older edition's own facts/#id: its Facts index has that anchor, or (when it is
        # split) sends it on to the page holding the fact.
        links.append(f'<a href="../../{escape(previous)}/facts/#{escape(fact_id)}">'
                     f"As it stood in edition {escape(previous)}</a>")
    statement = escape(str(record.get("statement") or fact_id))
    return (f'<div class="explainer-change explainer-change-{kind}" '
            f'id="change-{escape(fact_id)}">\n'
            f"<h3>{statement}</h3>\n"
            f"<dl>\n{''.join(rows)}</dl>\n"
            f"<p class=\"explainer-change-meta\">Fact <code>{escape(fact_id)}</code>"
            f"{' · ' if links else ''}{' · '.join(links)}</p>\n</div>")


def _row(label: str, value: Markup | str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<dt>{escape(label)}</dt><dd{attr}>{value}</dd>\n"


def _field_row(change: FieldChange) -> str:
    if change.kind == "sources":
        old, new = _source_list(change.old_sources), _source_list(change.new_sources)
    else:
        old, new = escape(change.old or "(none)"), escape(change.new or "(none)")
    # Words, not only strike-through styling, say which is which (screen readers, print).
    return _row(change.label, Markup(f"was <del>{old}</del>, now <ins>{new}</ins>"))


def _source_list(sources: Any) -> Markup:
    items = [s if isinstance(s, dict) else {"id": str(s)} for s in sources or []]
    if not items:
        return Markup("(none)")
    return Markup("; ").join(_source(s) for s in items)


def _source(source: dict[str, Any]) -> Markup:
    title = str(source.get("title") or source.get("id") or "untitled source")
    publisher = source.get("publisher")
    url = str(source.get("url") or "")
    label = escape(title)
    if url.startswith(("https://", "http://")):
        label = Markup(f'<a href="{escape(url)}">{label}</a>')
    if publisher:
        label = Markup(f"{escape(str(publisher))}, {label}")
    return label


def _explainer_links(project: Project, slugs: list[str]) -> Markup:
    if not slugs:
        return Markup("no explainer")
    links = []
    for slug in slugs:
        explainer = project.explainers.get(slug)
        if explainer is None:
            links.append(Markup(f"{escape(slug)} (no longer published)"))
        else:
            links.append(Markup(f'<a href="../{escape(slug)}/">{escape(explainer.headline)}</a>'))
    return Markup("; ").join(links)


def correction_note(project: Project, fact_id: str,
                    item: FactChange | dict[str, Any]) -> str | None:
    """The writer's ``correction:`` text to show beside this change, if any (also in the
    corrections feed)."""
    fact = project.facts.get(fact_id)
    note = fact.correction if fact else None
    if not note:
        return None
    # A note already published beside an earlier change is not about this one.
    if isinstance(item, FactChange) and str(item.old.get("correction") or "") == note:
        return None
    return note


def _affected_pages(project: Project, diff: FactDiff) -> list[str]:
    out = []
    for slug, fact_ids in diff.affected().items():
        explainer = project.explainers.get(slug)
        if explainer is None:
            continue
        links = ", ".join(f'<a href="#change-{escape(i)}"><code>{escape(i)}</code></a>'
                          for i in dict.fromkeys(fact_ids))
        out.append(f'<p id="in-{escape(slug)}"><a href="../{escape(slug)}/">'
                   f"{escape(explainer.headline)}</a>: {links}</p>")
    return out
