"""Write a new explainer file from a commented template. Never overwrites a writer's file."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from generator.errors import UsageError

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

TEMPLATE = """\
# yaml-language-server: $schema=../../generator/schemas/explainer.schema.json
# A new explainer. `explainer check` tells you what is missing; `explainer serve` previews it.
#
# Inline syntax in any text:
#   {{{{fact_id}}}}     shows a fact's value with its citation (facts live in content/facts/)
#   [@source_id]    cites a source for the sentence (sources live in content/sources/)
#   [[other-slug]]  links another explainer ([[other-slug|your words]]); [[fact:fact_id]] a fact
# Numbers typed straight into prose are flagged: make them facts so readers can trace them.

slug: {slug}
headline: {headline}
# Six words or fewer.
tease: {tease}
# One sentence that tells the news.
lede: Say what happened, to whom, and why it is news.
published: {today}
# updated: {today}
# authors: [Your Name]
tags: [draft]
# A follow-up? Name the earlier explainer: the two pages then link each other.
# follows: earlier-slug

sections:
  - label: Why it matters
    text: Say why a reader should care.
    bullets:
      - Add evidence here, citing facts and sources with the syntax shown at the top.
  # - label: By the numbers
  #   text: The key figure is {{{{some_fact}}}}.
  #   chart: some_chart_id

# Further reading, shown under "Go deeper" at the end (related explainers are added for you):
# go_deeper:
#   - explainer: earlier-slug
#   - url: https://example.org/report
#     title: The report's title
"""


def scaffold(*, root: Path, slug: str, headline: str | None = None,
             today: dt.date | None = None) -> Path:
    if not SLUG.match(slug):
        raise UsageError(f"'{slug}' is not a valid slug",
                         hint="use lowercase letters, digits and single hyphens, e.g. 'rent-rises'")
    folder = root / "content" / "explainers"
    path = folder / f"{slug}.yaml"
    if path.exists():
        raise UsageError(f"{path} already exists", hint="choose another slug; nothing was changed")
    title = headline or slug.replace("-", " ").capitalize()
    folder.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.format(slug=slug, headline=json.dumps(title, ensure_ascii=False),
                           tease=json.dumps(title.split()[0] + " explained", ensure_ascii=False),
                           today=(today or dt.date.today()).isoformat())
    # "x" mode: a file appearing between the check and the write is never clobbered.
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return path
