"""Charts for the pages: one HTML block per chart id, plus the files the blocks load.

Interface used by the page renderer (generator.render): ``render_charts(project)`` returns the
block to insert after a section's bullets for each chart id, and the extra site files.
(First draft: the charts owner replaces the body; the signature stays.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.load.model import Project
from generator.render.output import GeneratedFile


@dataclass
class ChartsOutput:
    blocks: dict[str, str] = field(default_factory=dict)  # chart id -> HTML block (raw, safe)
    files: list[GeneratedFile] = field(default_factory=list)


def render_charts(project: Project) -> ChartsOutput:
    return ChartsOutput()
