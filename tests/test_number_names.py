"""Digits that name a thing are not quantities (issue 8): "a Boeing 737", "COVID-19", "Route 66"
pass the typed-number rule, and `{{"..."}}` is the one escape for any other such text."""

from __future__ import annotations

import pytest

from generator.check.run import check_project
from generator.render.citations import PageCitations
from generator.render.prose import plain_prose, render_prose
from generator.render.text import md_text
from generator.resolve import refs
from tests.checkkit import EXPLAINER, make_project, run_check

E = "content/explainers/housing.yaml"
BULLET = "      - The council wants more. [@city_report]\n"


@pytest.mark.parametrize("text", [
    "The council flew on a Boeing 737 last year.",
    "The COVID-19 pandemic slowed building.",
    "Homes along Route 66 and the F-35 base, and an Airbus A320.",
    "Under Title 42 and Section 8 rules.",
])
def test_names_with_digits_are_not_numbers(text: str) -> None:
    assert refs.typed_numbers(text) == []


@pytest.mark.parametrize(("text", "numbers"), [
    ("Nearly 500 homes were built.", ["500"]),  # a capital at the start of a sentence
    ("It was built in October 2023.", ["2023"]),  # a date, not a name
    ("Costs rose 7% to $12 on Route 9.", ["7%", "$12"]),
    ("Boeing 737 jets landed.", ["737"]),  # a sentence's first word may be a name or not
])
def test_quantities_are_still_numbers(text: str, numbers: list[str]) -> None:
    assert [n for n, _ in refs.typed_numbers(text)] == numbers


def test_the_escape_keeps_a_name_as_text(tmp_path, capsys) -> None:
    text = EXPLAINER.replace(
        BULLET, '      - >-\n        {{"Boeing 737"}} jets and one 747 flew. [@city_report]\n')
    root = make_project(tmp_path, {E: text})
    _, lines, _ = run_check(root, capsys)
    warned = [line for line in lines if "typed into prose" in line]
    assert warned == [
        f"{E}:13:39: warning: number '747' is typed into prose: make it a fact and write "
        "{{fact_id}} so readers can trace it (if it is part of a name, not a quantity, write "
        '{{"... 747"}} with the whole name)']
    project, _ = check_project(root)
    bullet = project.explainers["housing"].sections[0].bullets[0]
    assert render_prose(bullet, PageCitations(project)).startswith("Boeing 737 jets")
    assert plain_prose(bullet, project) == "Boeing 737 jets and one 747 flew."


def test_the_escape_is_text_not_markup(tmp_path) -> None:
    root = make_project(tmp_path, {E: EXPLAINER.replace(
        BULLET, '      - \'{{"<b>*737*</b>"}} flew. [@city_report]\'\n')})
    project, _ = check_project(root)
    bullet = project.explainers["housing"].sections[0].bullets[0]
    shown = render_prose(bullet, PageCitations(project))
    assert shown.startswith(md_text("<b>*737*</b>") + " flew.")
