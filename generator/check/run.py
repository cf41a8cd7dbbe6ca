"""Run the whole check: load, validate, evaluate, apply every rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.check.rules import RULES
from generator.errors import Diagnostics
from generator.load.model import Project
from generator.load.project import ParseCache, load_project
from generator.resolve.facts import evaluate


def check_project(root: Path, *, today: dt.date | None = None,
                  cache: ParseCache | None = None) -> tuple[Project, Diagnostics]:
    """Load, evaluate and check everything. Pass a long-lived ``cache`` (live preview) to
    re-read only the files that changed since the last call."""
    diagnostics = Diagnostics()
    project = load_project(root, diagnostics, cache=cache)
    evaluate(project, diagnostics)
    for rule in RULES:
        rule(project, diagnostics, today or dt.date.today())
    return project, diagnostics
