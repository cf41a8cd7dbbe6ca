"""The key number of an explainer: the one figure the front page and the social card show.

One rule for both. The writer chooses it with ``key_fact: <fact id>`` (check makes sure the page
shows that fact). Without it: the first fact the "By the numbers" section shows, else the first
fact the page shows anywhere (the fact graph's page order), leaving out dates (a date is when
something happened, not a figure to remember) and facts with no value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.load.model import Explainer, Project
from generator.resolve import refs
from generator.resolve.graph import fact_graph

_BY_THE_NUMBERS = re.compile(r"^\s*by the numbers\s*$", re.IGNORECASE)


def _by_the_numbers(project: Project, ex: Explainer) -> Iterator[str]:
    for section in ex.sections:
        if _BY_THE_NUMBERS.match(section.label):
            for text in [section.text or "", *section.bullets]:
                for ref in sorted(refs.references(text), key=lambda r: r.start):
                    if ref.kind == "fact":
                        yield ref.id


def _has_value(project: Project, fact_id: str) -> bool:
    fact = project.facts.get(fact_id)
    return fact is not None and project.values.get(fact_id, fact.value) is not None


def key_fact(project: Project, ex: Explainer) -> str | None:
    """The id of ``ex``'s key number (see the module docstring), or None: the page shows no
    fact that is not a date."""
    if ex.key_fact and _has_value(project, ex.key_fact):
        return ex.key_fact
    shown = fact_graph(project).shown.get(ex.slug, ())
    for fact_id in (*_by_the_numbers(project, ex), *shown):
        fact = project.facts.get(fact_id)
        if fact is not None and fact.type != "date" and _has_value(project, fact_id):
            return fact_id
    return None
