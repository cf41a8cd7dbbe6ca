"""Derived-fact formulas: arithmetic only, evaluated from a checked syntax tree, never eval."""

from __future__ import annotations

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
    ("a.__class__", "getattr"),
    ("a['x']", "getitem"),
    ("range(10)", "call"),
    ("a | length", "filter"),
    ("a if b else c", "condexpr"),
    ("a // 2", "floordiv"),
    ("a % 2", "mod"),
    ("[a]", "list"),
    ("a ~ b", "concat"),
    ("a and b", "and"),
    ("a > b", "compare"),
])
def test_everything_but_arithmetic_is_refused(text: str, found: str) -> None:
    with pytest.raises(ValueError, match=rf"\(found {found}\)"):
        parse_formula(text)


@pytest.mark.parametrize("text,message", [
    ("'text'", "formula may only use numbers, not 'text'"),
    ("true", "formula may only use numbers, not True"),
    ("a *", "formula is not valid arithmetic"),
    ("(" * 21 + "a" + ")" * 21, "nests parentheses more than 20 deep"),
])
def test_bad_formulas_explain_themselves(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("*", r"\*")):
        parse_formula(text)
