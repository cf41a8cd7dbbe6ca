"""The site's navigation and page titles, from the generated files.

Material prints nav titles and front-matter titles raw, so every title is HTML-escaped here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import escape

from generator.render.output import GeneratedFile, PageMeta

# Hand-written pages for writers, not readers: built, left out of the readers' navigation.
WRITERS_PAGES = frozenset({"guide.md"})
# Sidebars each kind of page hides (Material's ``hide`` front matter): an explainer and the
# front page read as news, without a docs menu or a table of contents. The Facts and Sources
# index pages have none either: theirs repeated every statement and title, a third of a page,
# stored again in each edition that changes the page. Other pages keep their table of contents
# but not the menu. The menu is in the header.
HIDE = {"explainer": ["navigation", "toc"], "front": ["navigation", "toc"],
        "archive": ["navigation", "toc"], "index": ["navigation", "toc"]}
HIDE_DEFAULT = ["navigation"]


def build_nav(files: list[GeneratedFile], docs: Path, *, latest: int = 0,
              max_tags: int = 0) -> list[Any]:
    """The readers' sections, as a newsroom's header has them: Home, Topics, Archive, Sources,
    Facts. Explainers are reached from the front page, topics and the archive (a list of
    thousands of headlines in every page's menu is neither navigation nor cheap to build); What
    changed and the data downloads are in the footer. Hand-written pages follow, except the
    writer's guide (``not_in_nav`` in mkdocs.yml: it is for writers, linked from the README).
    ``latest`` and ``max_tags`` are kept for configurations that still set them."""
    nav: list[Any] = [{"Home": "index.md"}, {"Topics": "tags/index.md"},
                      {"Archive": "archive/index.md"}, {"Sources": "sources/index.md"},
                      {"Facts": "facts/index.md"}]
    paths = {f.path for f in files}
    nav = [item for item in nav if all(v in paths for v in item.values())]
    for page in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        rel = page.relative_to(docs).as_posix()
        if rel not in paths and rel not in WRITERS_PAGES:
            nav.append(rel)  # hand-written pages keep their own titles
    return nav


def nav_paths(items: Any) -> list[str]:
    if isinstance(items, str):
        return [items]
    if isinstance(items, dict):
        return [p for v in items.values() for p in nav_paths(v)]
    return [p for v in items for p in nav_paths(v)]


def plain_title(value: Any) -> str:
    """A title MkDocs may hold HTML-escaped (we escape nav titles) as plain text."""
    from html import unescape

    return unescape(str(value)) if value else ""


def nav_title(meta: PageMeta | None) -> str:
    # Material prints nav titles raw: escape them here.
    return str(escape(meta.title if meta else ""))


def with_title(generated: GeneratedFile) -> str | bytes:
    """Markdown pages get a front-matter title (HTML-escaped: Material prints it raw)."""
    if not generated.is_page or generated.page is None or isinstance(generated.content, bytes):
        return generated.content
    import json

    title = json.dumps(str(escape(generated.page.title)), ensure_ascii=False)
    kind = generated.page.kind
    hide = json.dumps(HIDE.get(kind, HIDE_DEFAULT))
    # `kind` lets the theme override style each kind of page (a class on the content).
    return f"---\ntitle: {title}\nhide: {hide}\nkind: {json.dumps(kind)}\n---\n\n" \
        f"{generated.content}"
