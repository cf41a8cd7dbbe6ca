"""The site's navigation and page titles, from the generated files.

Material prints nav titles and front-matter titles raw, so every title is HTML-escaped here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import escape

from generator.render.output import GeneratedFile, PageMeta


def build_nav(files: list[GeneratedFile], docs: Path, *, latest: int,
              max_tags: int) -> list[Any]:
    """Home, the latest explainers, tags, Sources, Facts, What changed, then hand-written pages
    (with their own titles); entries whose page does not exist are left out."""
    explainers = [{nav_title(f.page): f.path} for f in files
                  if f.page is not None and f.page.kind == "explainer"]
    nav: list[Any] = [{"Home": "index.md"}]
    if explainers:  # generation lists them newest first
        nav.append({"Latest explainers": explainers[: latest]})
    tags = [{nav_title(f.page): f.path} for f in files
            if f.path.startswith("tags/") and f.path.count("/") == 1  # first pages only
            and f.path != "tags/index.md"]
    if len(tags) > max_tags:
        tags = []  # the tags index lists them all
    nav += [{"Tags": [{"All tags": "tags/index.md"}, *tags]}, {"Sources": "sources/index.md"},
            {"Facts": "facts/index.md"},
            {"What changed": "changes.md"}]
    paths = {f.path for f in files}
    nav = [item for item in nav if all(
        v in paths if isinstance(v, str) else bool(v) for v in item.values())]
    for page in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        rel = page.relative_to(docs).as_posix()
        if rel not in paths:
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
    return f"---\ntitle: {title}\n---\n\n{generated.content}"
