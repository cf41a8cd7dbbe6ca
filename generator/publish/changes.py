"""The "What changed in this edition" page and the per-explainer "Updated" notes.

Interface used by the page renderer: ``render_changes(project, edition, facts_payload)`` returns
the ``changes.md`` page and, per explainer slug, a short Markdown note for the top of the page.
(First draft: the editions owner replaces the body; the signature stays.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.load.model import Project
from generator.render.output import Edition, GeneratedFile, PageMeta


@dataclass
class ChangesOutput:
    page: GeneratedFile
    notes: dict[str, str] = field(default_factory=dict)  # slug -> Markdown note (escaped)


def render_changes(project: Project, edition: Edition,
                   facts_payload: dict[str, Any]) -> ChangesOutput:
    text = "# What changed in this edition\n\nThis is the first edition.\n"
    return ChangesOutput(page=GeneratedFile("changes.md", text, PageMeta(title="What changed")))
