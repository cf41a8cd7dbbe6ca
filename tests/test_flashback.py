"""A section's Flashback (issue 8): "how we got here" as a dated list pulled from date facts, in
date order, each date in AP style with its citation; check names a wrong id at its line."""

from __future__ import annotations

from pathlib import Path

from generator.check.run import check_project
from generator.render import pages
from generator.render.text import md_text
from tests.checkkit import EXPLAINER, FACTS, make_project, run_check

DATES = FACTS + """\
  - id: plan_adopted
    statement: The council adopted the housing plan.
    type: date
    value: 2022-03-15
    sources: [city_report]
  - id: report_out
    statement: The city published its "annual" housing <report>.
    type: date
    value: 2023-01-10
    sources: [city_report]
  - id: permits_opened
    statement: Fast-track permits began.
    type: date
    value: 2022-09-01
    sources: [city_report]
"""
FLASHBACK = EXPLAINER + """\
  - label: Flashback
    flashback: [report_out, plan_adopted, permits_opened]
"""


def project_with(tmp_path: Path, explainer: str = FLASHBACK):  # type: ignore[no-untyped-def]
    root = make_project(tmp_path, {"content/facts/main.yaml": DATES,
                                   "content/explainers/housing.yaml": explainer})
    return check_project(root)


def test_flashback_lists_dates_in_order_with_citations(tmp_path: Path) -> None:
    project, d = project_with(tmp_path)
    assert not d.errors and not d.warnings, [x.format() for x in d]
    page = pages.render_explainer(project, project.explainers["housing"],
                                  pages.environment(tmp_path), chart_blocks={}).content
    block = page.split('aria-level="2">Flashback:</strong>', 1)[1].split("## Sources", 1)[0]
    items = [line for line in block.splitlines() if line.startswith("- ")]
    # Dates and statements as safe Markdown (statements are plain text: markup shows as typed).
    assert items == [f"- **{md_text(day)}:** {md_text(statement)}[^1]" for day, statement in [
        ("March 15, 2022", "The council adopted the housing plan."),
        ("Sept. 1, 2022", "Fast-track permits began."),
        ("Jan. 10, 2023", 'The city published its "annual" housing <report>.'),
    ]]
    assert "&lt;report&gt;" in items[2]
    # The facts count as shown on the page: listed in its facts table.
    assert "(facts/index.md#plan_adopted)" in page


def test_a_flashback_fact_counts_as_used(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = make_project(tmp_path, {"content/facts/main.yaml": DATES,
                                   "content/explainers/housing.yaml": FLASHBACK})
    code, lines, _ = run_check(root, capsys, "--strict")
    assert code == 0, lines


def test_unknown_and_non_date_facts_named_at_their_lines(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = FLASHBACK.replace("[report_out, plan_adopted, permits_opened]",
                            "[report_out, plan_adoptd, homes_built, permits_opened]")
    root = make_project(tmp_path, {"content/facts/main.yaml": DATES,
                                   "content/explainers/housing.yaml": bad})
    code, lines, _ = run_check(root, capsys)
    assert code == 1
    assert [line for line in lines if ": error: " in line] == [
        "content/explainers/housing.yaml:14:29: error: flashback: unknown fact 'plan_adoptd' "
        "(did you mean 'plan_adopted'?)",
        "content/explainers/housing.yaml:14:42: error: flashback: fact 'homes_built' is a "
        "count, not a date: a Flashback lists dated events (facts with `type: date`); show this "
        "one in the text with {{homes_built}}",
    ]
