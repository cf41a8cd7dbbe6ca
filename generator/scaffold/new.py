"""Write a new explainer file from a commented template. Never overwrites a writer's file."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from generator.errors import UsageError
from generator.load.model import PLACEHOLDER

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Every text a writer must still write starts with PLACEHOLDER: `check` warns about each one
# left (generator/check/rules.py), so `check --strict`, which CI runs, fails until none is left.
TEMPLATE = """\
# yaml-language-server: $schema=../../generator/schemas/explainer.schema.json
# A new explainer. Each key says what it is for; every "TODO:" is yours to write, and
# `explainer check` warns about each one left. `explainer serve` previews the page.
# The writer's guide (docs/guide.md) explains every key.
#
# Inline syntax in any text:
#   {{{{fact_id}}}}     shows a fact's value with its unit and citation (facts: content/facts/)
#   [@source_id]    cites a source for the sentence (sources: content/sources/)
#   [[other-slug]]  links another explainer ([[other-slug|your words]]); [[fact:fact_id]] a fact
# Numbers typed straight into prose are flagged: make them facts so readers can trace them.

# The page's address, /{slug}/; it must match the file name.
slug: {slug}
# What readers see as the title: the news in one line, sentence case.
headline: {headline}
# A few words above the headline that name the story: six words or fewer.
tease: "TODO: the tease"
# One sentence that tells the news: what happened, to whom, and why it is news.
lede: "TODO: the lede, then the citation of its source"
# The day it is first published (YYYY-MM-DD). Today's date for now: set it when you publish.
published: {today}
# The day of the last change readers should know about; add it when you update the piece.
# updated: {today}
# The byline. Not known (a wire story without one, a text received unsigned)? Never guess:
# leave `authors` out and say why, and readers see "Byline not known: <reason>":
# unknown:
#   authors: the wire story carries no byline
# authors: [Your Name]
# Topics, each a page: letters, digits and hyphens, capitals kept as written (TPS, DACA).
# tags: [immigration]
# A follow-up? Name the earlier explainer here (or list later ones in `followed_by:` there).
# follows: earlier-slug

# The Smart Brevity blocks, in reading order; each needs a house label (see the guide).
sections:
  - label: Why it matters
    text: "TODO: why a reader should care"
    bullets:
      - "TODO: evidence, citing facts and sources with the syntax shown at the top"
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
    # Nothing is made up from the slug: a headline or tease guessed from it reads as finished.
    title = headline or f"{PLACEHOLDER} the headline"
    folder.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.format(slug=slug, headline=json.dumps(title, ensure_ascii=False),
                           today=(today or dt.date.today()).isoformat())
    # "x" mode: a file appearing between the check and the write is never clobbered.
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return path
