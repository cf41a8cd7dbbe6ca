"""Run the whole check: load, validate, evaluate, apply every rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.check.docs import check_docs
from generator.check.incremental import CheckState, run_record_rules
from generator.check.rules import RECORD_RULES, WHOLE_RULES
from generator.errors import Diagnostics
from generator.load.model import Project
from generator.load.project import ParseCache, load_project
from generator.resolve.facts import evaluate
from generator.resolve.graph import carry_graph


def check_project(root: Path, *, today: dt.date | None = None,
                  cache: ParseCache | None = None,
                  state: CheckState | None = None) -> tuple[Project, Diagnostics]:
    """Load, evaluate and check everything. Pass a long-lived ``cache`` (live preview) to
    re-read only the files that changed since the last call, and a long-lived ``state`` with it
    to run the per-record rules only over those files (generator/check/incremental.py): the
    diagnostics are the same as a full check's."""
    diagnostics = Diagnostics()
    today = today or dt.date.today()
    project = load_project(root, diagnostics, cache=cache)
    evaluate(project, diagnostics)
    previous = state.project if state is not None else None
    run_record_rules(project, diagnostics, today, RECORD_RULES, state)
    if previous is not None:
        carry_graph(previous, project)
    for rule in WHOLE_RULES:
        rule(project, diagnostics, today)
    check_docs(project, diagnostics)  # docs/: its own cache of unchanged pages
    return project, diagnostics
