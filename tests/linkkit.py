"""Two explainers that link each other, for the links tests (check, render, browser, deploy).

``FOLLOW_UP`` follows the check-kit's ``housing`` explainer (tests/checkkit.py);
``EXAMPLE_FOLLOW_UP`` follows the example site's explainer, linking it in prose and Go deeper.
"""

from __future__ import annotations

FOLLOW_UP_PATH = "content/explainers/housing-follow-up.yaml"
# Line numbers matter: tests/test_explainer_links.py asserts exact positions in this file.
FOLLOW_UP = """\
slug: housing-follow-up
headline: The city's new homes, a year on
tease: A year of new homes
lede: After [[housing|the first report]], [[fact:homes_built|the count]] stands. [@city_report]
published: 2024-03-01
authors: [B. Writer]
tags: [housing]
follows: housing
sections:
  - label: Catch up quick
    text: Read [[housing]] first. [@city_report]
go_deeper:
  - explainer: housing
    note: the first report
  - url: https://example.org/more
    title: More on housing
    publisher: City Council
"""

EXAMPLE_SLUG = "venezuela-deportation-flights"
EXAMPLE_HEADLINE = "Biden administration to resume deportation flights to Venezuela"
FOLLOW_UP_SLUG = "first-deportation-flight-lands"
FOLLOW_UP_HEADLINE = "First deportation flight to Venezuela lands in Caracas"
EXAMPLE_FOLLOW_UP = f"""\
# yaml-language-server: $schema=../../generator/schemas/explainer.schema.json
slug: {FOLLOW_UP_SLUG}
headline: {FOLLOW_UP_HEADLINE}
tease: First flight lands
lede: >-
  The first deportation flight under the deal in
  [[{EXAMPLE_SLUG}|last week's announcement]] landed in Caracas. [@seed_article]
published: 2023-10-18
authors: [A. Writer]
tags: [venezuela]
follows: {EXAMPLE_SLUG}
sections:
  - label: Catch up quick
    text: >-
      Officials had not said how many flights there would be; see
      [[fact:darien_crossings_2023|the Darién count]] for the crossings. [@seed_article]
go_deeper:
  - explainer: {EXAMPLE_SLUG}
    note: how the deal came about
  - url: https://example.org/report
    title: The full report
    publisher: Example News
"""
