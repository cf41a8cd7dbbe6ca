"""``key_fact``: the fact an explainer's front-page card and social card show must exist and be
shown on its page (the cards show only what the page shows)."""

from __future__ import annotations

import datetime as dt

from generator.errors import Diagnostics
from generator.load.model import Project
from generator.resolve.graph import fact_graph
from generator.suggest import did_you_mean


def check_key_fact(project: Project, d: Diagnostics, today: dt.date) -> None:
    graph = fact_graph(project)
    for ex in project.explainers.values():
        if not ex.key_fact:
            continue
        shown = graph.shown.get(ex.slug, ())
        where = ex.loc.at("key_fact")
        if ex.key_fact not in project.facts:
            d.error(*where, f"key_fact: unknown fact '{ex.key_fact}'"
                    f"{did_you_mean(ex.key_fact, list(shown) or project.known_ids['fact'])}: "
                    "write the id of a fact this explainer shows", "unknown-fact")
        elif ex.key_fact not in shown:
            d.error(*where, f"key_fact: fact '{ex.key_fact}' is not shown on this explainer's "
                    f"page, so its cards may not show it: show it in the prose with "
                    f"{{{{{ex.key_fact}}}}}, or choose a fact the page shows", "key-fact-unshown")
