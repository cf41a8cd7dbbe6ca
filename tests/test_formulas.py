"""Derived-fact formulas: arithmetic only, evaluated from a checked syntax tree, never eval."""

from __future__ import annotations

import re

import pytest

from generator.resolve.facts import parse_formula


@pytest.mark.parametrize("text,values,expected", [
    ("a * b / 100", {"a": 334000, "b": 60}, 200400),
    ("a * (b - 2) / -c + 1.5", {"a": 2, "b": 5, "c": 3}, -0.5),
    ("a - b - c", {"a": 10, "b": 3, "c": 2}, 5),  # left-associative
    ("+a", {"a": 7}, 7),
    ("a / 4", {"a": 1}, 0.25),
])
def test_arithmetic(text: str, values: dict[str, float], expected: float) -> None:
    formula = parse_formula(text)
    assert formula.names == frozenset(values)
    assert formula(**values) == pytest.approx(expected)


@pytest.mark.parametrize("text,found", [
    ("a ** 2", "pow"),
    ("a.__class__", "attribute"),
    ("a['x']", "'['"),
    ("range(10)", "call"),
    ("a | length", "'|'"),
    ("a if b else c", "ifexp"),
    ("a // 2", "floordiv"),
    ("a % 2", "'%'"),
    ("[a]", "'['"),
    ("a ~ b", "'~'"),
    ("a and b", "boolop"),
    ("a > b", "'>'"),
    ("a # a comment", "'#'"),
    ("a; b", "';'"),
    # The attack of issue 14: a second output and a comment carrying markup.
    ("a * b / 100) }}{# `<svg onload=alert(1)>` #}{{ (0", "'}'"),
    ("a - b) }}{{ (a * 1000", "'}'"),
])
def test_everything_but_arithmetic_is_refused(text: str, found: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"(found {found})")):
        parse_formula(text)


@pytest.mark.parametrize("text,message", [
    ("True", "formula may only use numbers, not True"),
    ("2j * a", "formula may only use numbers, not 2j"),
    ("a *", "formula is not valid arithmetic"),
    ("a - b\na * 1000", "formula is not valid arithmetic"),
    ("(" * 21 + "a" + ")" * 21, "nests parentheses more than 20 deep"),
    ("a * 1e16", "beyond ±1e+15"),
    ("a * 10000000000000000", "beyond ±1e+15"),
    ("a + " * 200 + "a", "the limit is 500"),
    (" + ".join(["a"] * 60), "59 operations; the limit is 50"),
    ("A + b", "'A', which is not a fact id"),
])
def test_bad_formulas_explain_themselves(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_formula(text)


@pytest.mark.parametrize("text,shown", [
    ("a*b/100", "a * b / 100"),
    ("(a - b) - c", "a - b - c"),
    ("a - (b - c)", "a - (b - c)"),
    ("((a))", "a"),
    ("-(a + b)", "-(a + b)"),
    ("a / (b * c)", "a / (b * c)"),
    ("(a * b) / c", "a * b / c"),
    ("1.50 * a", "1.5 * a"),
    ("a + b * c", "a + b * c"),
    ("(a + b) * c", "(a + b) * c"),
])
def test_readers_see_the_formula_as_parsed(text: str, shown: str) -> None:
    formula = parse_formula(text)
    assert formula.display() == shown
    # What is shown computes exactly what was parsed.
    values = {"a": 7.0, "b": 3.0, "c": 2.0}
    assert parse_formula(shown)(**values) == formula(**values)


def test_inputs_are_listed_in_formula_order() -> None:
    assert parse_formula("share * homes / 100 + homes").order == ("share", "homes")


def test_the_built_site_shows_the_formula_as_computed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: readers saw the raw formula text, which could differ from what was computed
    (and close its code span). Both places that show it write it back from the parsed tree."""
    import shutil

    from tests.checkkit import FACTS, make_project
    from tests.conftest import build_project, copy_project

    written = "homes_built*share_affordable/(100)"
    root = copy_project(tmp_path / "project")
    shutil.rmtree(root / "content")
    shutil.rmtree(root / "charts", ignore_errors=True)
    make_project(root, {"content/facts/main.yaml": FACTS.replace(
        "homes_built * share_affordable / 100", f"'{written}'")})
    site = build_project(root)
    shown = "<code>homes_built * share_affordable / 100</code>"
    facts_page = (site / "facts" / "index.html").read_text("utf-8")
    explainer = (site / "housing" / "index.html").read_text("utf-8")
    assert f"(derived: {shown})" in facts_page
    assert f"as {shown} = 300" in explainer
    assert written not in facts_page and written not in explainer
