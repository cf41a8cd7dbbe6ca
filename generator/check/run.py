"""Run the whole check: load, validate, evaluate, apply every rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.check.rules import RULES
from generator.errors import Diagnostics
from generator.load.model import Project
from generator.load.project import load_project
from generator.resolve.facts import evaluate


def check_project(root: Path, *, today: dt.date | None = None) -> tuple[Project, Diagnostics]:
    diagnostics = Diagnostics()
    project = load_project(root, diagnostics)
    evaluate(project, diagnostics)
    for rule in RULES:
        rule(project, diagnostics, today or dt.date.today())
    return project, diagnostics
