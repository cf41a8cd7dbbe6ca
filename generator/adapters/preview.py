"""The live preview's helpers: what a generation depends on, and the page shown instead of
the site while content has errors."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from generator.errors import Diagnostics
from generator.load.model import Project
from generator.render.output import GeneratedFile, PageMeta
from generator.render.site import SiteOutput


def content_signature(root: Path) -> tuple[Any, ...]:
    """What a generation depends on, for skipping it on a serve rebuild with nothing changed."""
    items: list[Any] = []
    # Every file under content/ and charts/ counts: CSV data changes charts too.
    for folder in ("content", "charts", "templates", "docs"):
        base = root / folder
        if base.is_dir():
            items += sorted(_files(str(base)))
    items.append(os.environ.get("SOURCE_DATE_EPOCH"))
    return tuple(items)


def _files(folder: str) -> list[tuple[str, int, int]]:
    """Every file below ``folder`` with its mtime and size: one ``stat`` each (os.scandir), not
    three (pathlib). Hidden files and folders (editor swap files, caches) are not content; links
    to folders are not walked into (the loader refuses what they hold)."""
    found: list[tuple[str, int, int]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                found += _files(entry.path)
            elif entry.is_file():
                st = entry.stat()
                found.append((entry.path, st.st_mtime_ns, st.st_size))
        except OSError:
            continue
    return found


def not_strict_this_build(engine_logger: str) -> None:
    """Preview with content errors: hand-written pages link to pages that are missing now, and
    those warnings must not abort the preview (MkDocs counts them with a CountHandler)."""
    from mkdocs.utils import CountHandler

    logger = logging.getLogger(engine_logger)
    for handler in list(logger.handlers):
        if isinstance(handler, CountHandler):
            logger.removeHandler(handler)


def error_site(project: Project, diagnostics: Diagnostics) -> SiteOutput:
    """Preview with content errors: every page says what to fix, escaped, instead of a crash."""
    from generator.render.text import md_text

    # File names are writer-controlled too (content/facts/x<img onerror=...>.yaml): escaped
    # like the messages, inside an HTML <code> rather than a Markdown code span.
    lines = "\n".join(f"- <code>{md_text(f'{d.path}:{d.line}:{d.col}')}</code> "
                      f"{md_text(d.message)}" for d in diagnostics.errors)
    body = ("# Content has errors\n\nFix these and save; this page reloads by itself.\n\n"
            f"{lines}\n")
    meta = PageMeta(title="Content has errors")
    files = [GeneratedFile("index.md", body, meta)]
    for slug in sorted(project.known_ids["explainer"]):
        if slug:
            files.append(GeneratedFile(f"{slug}.md", body, meta))
    return SiteOutput(files=files)
