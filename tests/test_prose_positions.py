"""Diagnostics about a token inside prose point at the token itself, not at its key's line, in
every way YAML lets a writer spread text over lines: folded (``>-``), literal (``|``), plain
and quoted multi-line values (issue 8)."""

from __future__ import annotations

import pytest

from tests.checkkit import EXPLAINER, make_project, run_check

E = "content/explainers/housing.yaml"
LEDE = "lede: The city built {{homes_built}} homes last year. [@city_report]\n"


def _with_lede(block: str) -> dict[str, str]:
    assert LEDE in EXPLAINER
    return {E: EXPLAINER.replace(LEDE, block)}


FOLDED = """\
lede: >-
  The city built {{homes_built}} homes last year,
  the council said; see {{homes_bilt}} and
    more-indented {{sharre}} here. [@city_report]
"""
LITERAL = """\
lede: |
  The city built {{homes_built}} homes last year.
  It was {{homes_bilt}} again. [@city_report]
"""
PLAIN = """\
lede: The city built {{homes_built}} homes
  last year and {{homes_bilt}} more. [@city_report]
"""
DOUBLE = """\
lede: "The \\"city\\" built {{homes_built}} homes
  last year and {{homes_bilt}} more. [@city_report]"
"""
SINGLE = """\
lede: 'The ''city'' built {{homes_built}} homes
  last year and {{homes_bilt}} more. [@city_report]'
"""
SUGGEST = "did you mean 'homes_built'?"


@pytest.mark.parametrize(("block", "expected"), [
    (FOLDED, [f"{E}:6:25: error: {{{{homes_bilt}}}}: unknown fact 'homes_bilt' ({SUGGEST})",
              f"{E}:7:19: error: {{{{sharre}}}}: unknown fact 'sharre'"]),
    (LITERAL, [f"{E}:6:10: error: {{{{homes_bilt}}}}: unknown fact 'homes_bilt' ({SUGGEST})"]),
    (PLAIN, [f"{E}:5:17: error: {{{{homes_bilt}}}}: unknown fact 'homes_bilt' ({SUGGEST})"]),
    (DOUBLE, [f"{E}:5:17: error: {{{{homes_bilt}}}}: unknown fact 'homes_bilt' ({SUGGEST})"]),
    (SINGLE, [f"{E}:5:17: error: {{{{homes_bilt}}}}: unknown fact 'homes_bilt' ({SUGGEST})"]),
], ids=["folded", "literal", "plain", "double-quoted", "single-quoted"])
def test_unknown_fact_points_at_the_token(block, expected, tmp_path, capsys) -> None:
    root = make_project(tmp_path, _with_lede(block))
    code, lines, _ = run_check(root, capsys)
    assert code == 1
    assert [line for line in lines if "unknown fact" in line] == expected


def test_every_prose_diagnostic_points_inside_a_block(tmp_path, capsys) -> None:
    block = """\
lede: >-
  The city built {{homes_built}} homes,
  about 7,000 fewer {{ bad-ref }} than planned.
  Read [the plan](ftp://example.org/plan) now. [@city_report]
"""
    root = make_project(tmp_path, _with_lede(block))
    _, lines, _ = run_check(root, capsys)
    positions = {line.split(": ", 2)[2].split(" ")[0] + " " + line.split(": ")[0]
                 for line in lines if line.startswith(E)}
    assert f"number {E}:6:9" in positions  # the "7" of 7,000
    assert f"malformed {E}:6:21" in positions  # the "{{" of {{ bad-ref }}
    assert f"link {E}:7:19" in positions  # the target inside the brackets


def test_references_in_bullets_and_notes(tmp_path, capsys) -> None:
    text = EXPLAINER.replace(
        "      - The council wants more. [@city_report]\n",
        "      - >-\n        The council wants more\n        of {{homes_bilt}}. [@city_report]\n",
    ) + "note: |\n  Checked\n  by [@city_reprt].\n"
    root = make_project(tmp_path, {E: text})
    _, lines, _ = run_check(root, capsys)
    assert [line.split(": error")[0] for line in lines if ": error:" in line] == [
        f"{E}:14:12", f"{E}:17:6"]
