"""A minimal valid project that check-tests change one file of."""

from __future__ import annotations

import textwrap
from pathlib import Path

from generator.cli import main

SOURCES = """\
sources:
  - id: city_report
    publisher: City Council
    title: Annual housing report
    url: https://example.org/report
    published: 2023-01-10
    accessed: 2023-02-01
"""

FACTS = """\
facts:
  - id: homes_built
    statement: Homes built in the city in 2022.
    type: count
    value: 1200
    unit: homes
    as_of: "2022"
    sources: [city_report]
  - id: share_affordable
    statement: Share of the homes built in 2022 that were affordable.
    type: percent
    value: 25
    as_of: "2022"
    sources: [city_report]
  - id: affordable_built
    statement: Affordable homes built in 2022.
    type: count
    as_of: "2022"
    derived:
      formula: homes_built * share_affordable / 100
      stated: 300
"""

EXPLAINER = """\
slug: housing
headline: The city built more homes
tease: More homes, few affordable
lede: The city built {{homes_built}} homes last year. [@city_report]
published: 2023-03-01
authors: [A. Writer]
tags: [housing]
sections:
  - label: Why it matters
    text: Only {{share_affordable}} were affordable, about {{affordable_built}} homes.
    bullets:
      - The council wants more. [@city_report]
"""

BASE = {
    "content/sources/main.yaml": SOURCES,
    "content/facts/main.yaml": FACTS,
    "content/explainers/housing.yaml": EXPLAINER,
}


def make_project(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write the base project with ``files`` replacing (or, with None, removing) some of it."""
    return write_files(root, {**BASE, **files})


def write_files(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write files under ``root`` (None: leave that file out); text is dedented."""
    for rel, text in files.items():
        if text is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def run_check(root: Path, capsys, *args: str) -> tuple[int, list[str], str]:
    code = main(["check", "--root", str(root), *args])
    out = capsys.readouterr()
    lines = out.out.splitlines()
    return code, lines, out.err
