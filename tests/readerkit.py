"""A two-explainer site for the reader-facing findings of issue 22 (items 7, 9, 10, 11, 12, 17,
20): the example project (the seed explainer) plus a test explainer published Sept. 20, 2023
and updated Oct. 6, 2023, which the seed follows up. The test explainer's "By the numbers"
section shows a date first, so the rule for the key number is tested against a date."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.conftest import copy_project

SLUG = "venezuela-deportation-flights"
EARLIER = "protected-status"

SOURCES = """\
sources:
  - id: status_notice
    publisher: Example Register
    title: Notice of extension of protected status
    url: https://example.org/notice
    published: 2023-09-20
    accessed: 2023-09-21
"""

FACTS = """\
facts:
  - id: status_announced
    statement: Day the extension of protected status was announced.
    type: date
    value: 2023-09-20
    as_of: 2023-09-20
    sources: [status_notice]
  - id: status_newly_eligible
    statement: People newly eligible for protected status under the extension.
    type: count
    value: 472000
    qualifier: about
    unit: people
    as_of: 2023-09-20
    sources: [status_notice]
  - id: status_existing
    statement: People who already held protected status before the extension.
    type: count
    value: 242700
    qualifier: about
    unit: people
    as_of: 2023-09-20
    sources: [status_notice]
"""


def explainer(key_fact: str | None = None) -> str:
    key = f"key_fact: {key_fact}\n" if key_fact else ""
    return textwrap.dedent(f"""\
        slug: {EARLIER}
        headline: Administration expands protected status
        tease: Protected status expanded
        lede: >-
          The administration extended protected status, making {{{{status_newly_eligible}}}}
          people newly eligible. [@status_notice]
        published: 2023-09-20
        updated: 2023-10-06
        authors: [A. Writer]
        tags: [immigration, venezuela]
        sources: [status_notice]
        KEY
        sections:
          - label: By the numbers
            text: >-
              It was announced on {{{{status_announced}}}}, and {{{{status_existing}}}} people
              already held the status. [@status_notice]
        """).replace("KEY\n", key)


def reader_project(dest: Path, *, key_fact: str | None = None) -> Path:
    root = copy_project(dest)
    (root / "content/sources/status.yaml").write_text(SOURCES, encoding="utf-8")
    (root / "content/facts/status.yaml").write_text(FACTS, encoding="utf-8")
    (root / f"content/explainers/{EARLIER}.yaml").write_text(explainer(key_fact),
                                                               encoding="utf-8")
    seed = root / f"content/explainers/{SLUG}.yaml"
    seed.write_text(seed.read_text(encoding="utf-8") + f"follows: {EARLIER}\n",
                    encoding="utf-8")
    return root
