"""Evaluate derived facts safely, in dependency order.

A formula is one arithmetic expression: numbers, fact ids, parentheses and ``+ - * /``. It is
parsed by Python's own expression parser (``ast.parse(..., mode="eval")``: exactly one
expression, nothing after it) after a character check, and the tree is checked node by node and
evaluated directly: nothing is compiled or ``eval``-ed, so a formula cannot reach Python objects.
Size, nesting, operations and number magnitudes are bounded (:mod:`generator.limits`), so a
formula costs microseconds and can never produce a number the formatters cannot show.

Readers see :func:`formula_display`, the formula written back from the parsed tree, never the
raw text: what is shown is exactly what was computed.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass
from functools import cache
from graphlib import CycleError, TopologicalSorter
from typing import Any

from generator.errors import Diagnostics
from generator.limits import (
    MAX_FORMULA_CHARS,
    MAX_FORMULA_DEPTH,
    MAX_FORMULA_OPERATIONS,
    MAX_MAGNITUDE,
)
from generator.load.model import Fact, Project
from generator.suggest import did_you_mean

_CHARS = re.compile(r"[A-Za-z0-9_.+\-*/() \t\r\n]*")
_OPERATORS: dict[type, tuple[str, int]] = {  # symbol, precedence
    ast.Add: ("+", 1), ast.Sub: ("-", 1), ast.Mult: ("*", 2), ast.Div: ("/", 2)}
_UNARY = {ast.USub: "-", ast.UAdd: "+"}


@dataclass(frozen=True)
class Formula:
    names: frozenset[str]
    order: tuple[str, ...]  # fact ids as they appear, left to right, each once
    tree: ast.expr

    def __call__(self, **values: float) -> float:
        return _evaluate(self.tree, values)

    def display(self) -> str:
        return _write(self.tree, 0)


def _evaluate(node: ast.expr, values: dict[str, float]) -> float:
    if isinstance(node, ast.Constant):
        value = node.value
        assert isinstance(value, (int, float))  # parse_formula admits nothing else
        return value
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        inner = _evaluate(node.operand, values)
        return -inner if isinstance(node.op, ast.USub) else inner
    assert isinstance(node, ast.BinOp)
    left, right = _evaluate(node.left, values), _evaluate(node.right, values)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    return left / right


def _write(node: ast.expr, context: int, right_side: bool = False) -> str:
    """The tree as text with only the parentheses it needs."""
    if isinstance(node, ast.Constant):
        return repr(node.value) if isinstance(node.value, float) else str(node.value)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)] + _write(node.operand, 3)
    assert isinstance(node, ast.BinOp)
    symbol, level = _OPERATORS[type(node.op)]
    text = f"{_write(node.left, level)} {symbol} {_write(node.right, level, True)}"
    # a - (b - c) and a / (b * c) keep theirs: the right side binds first there.
    if level < context or (right_side and level == context):
        return f"({text})"
    return text


def _refuse(found: str) -> ValueError:
    return ValueError(f"formula may only use numbers, fact ids, parentheses and + - * / "
                      f"(found {found}): write it as one arithmetic expression, e.g. "
                      "`a * b / 100`")


@cache
def parse_formula(text: str) -> Formula:
    """Parse ``text``; raise ``ValueError`` with a writer-facing reason when it is not allowed."""
    if len(text) > MAX_FORMULA_CHARS:
        raise ValueError(f"formula is {len(text)} characters long; the limit is "
                         f"{MAX_FORMULA_CHARS}: split it into derived facts")
    stray = _CHARS.fullmatch(text) is None
    if stray:
        bad = next(c for c in text if not _CHARS.fullmatch(c))
        raise _refuse(f"'{bad}'" if bad.isprintable() else repr(bad))
    depth = max_depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        max_depth = max(max_depth, depth)
    if max_depth > MAX_FORMULA_DEPTH:  # the parser recurses per level
        raise ValueError(f"formula nests parentheses more than {MAX_FORMULA_DEPTH} deep: "
                         "simplify it")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ValueError(f"formula is not valid arithmetic ({exc.msg}): write one expression "
                         "such as `a * b / 100`") from None
    except (RecursionError, MemoryError, ValueError):
        raise ValueError("formula is too deeply nested: simplify it") from None
    order: list[str] = []
    operations = 0
    for node in ast.walk(tree):
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            operations += 1
            op = node.op
            if type(op) not in _OPERATORS and type(op) not in _UNARY:
                raise _refuse(type(op).__name__.lower())
        elif isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"formula may only use numbers, not {value!r}")
            if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
                raise ValueError(f"formula uses a number beyond ±{MAX_MAGNITUDE:.0e}: numbers "
                                 "that large cannot be shown to readers")
        elif isinstance(node, ast.Name):
            if not re.fullmatch(r"[a-z][a-z0-9_]*", node.id):
                raise ValueError(f"formula uses '{node.id}', which is not a fact id (fact ids "
                                 "are lower case letters, digits and _)")
        elif not isinstance(node, (ast.operator, ast.unaryop, ast.expr_context)):
            raise _refuse(type(node).__name__.lower())
    if operations > MAX_FORMULA_OPERATIONS:
        raise ValueError(f"formula has {operations} operations; the limit is "
                         f"{MAX_FORMULA_OPERATIONS}: split it into derived facts")
    _names_in_order(tree, order)
    return Formula(names=frozenset(order), order=tuple(dict.fromkeys(order)), tree=tree)


def _names_in_order(node: ast.expr, out: list[str]) -> None:
    if isinstance(node, ast.Name):
        out.append(node.id)
    elif isinstance(node, ast.UnaryOp):
        _names_in_order(node.operand, out)
    elif isinstance(node, ast.BinOp):
        _names_in_order(node.left, out)
        _names_in_order(node.right, out)


def formula_display(fact: Fact) -> str:
    """The formula as readers see it: written back from the parsed tree (so exactly what is
    computed), or empty for a stated fact or a formula that does not parse."""
    if not fact.derived:
        return ""
    try:
        return parse_formula(fact.derived.formula).display()
    except ValueError:
        return ""


def formula_inputs(fact: Fact) -> list[str]:
    """Fact ids a derived fact's formula uses, in the order they appear in it (none for a
    stated fact or a formula that does not parse: check reports that one)."""
    if not fact.derived:
        return []
    try:
        return list(parse_formula(fact.derived.formula).order)
    except ValueError:
        return []


def evaluate(project: Project, diagnostics: Diagnostics) -> dict[str, Any]:
    """Fill ``project.values`` with every fact's value; report formula problems."""
    values: dict[str, Any] = {f.id: f.value for f in project.facts.values() if not f.is_derived}
    formulas: dict[str, Formula] = {}
    graph: dict[str, frozenset[str]] = {}
    for fact in project.facts.values():
        if not fact.derived:
            continue
        try:
            formula = parse_formula(fact.derived.formula)
        except ValueError as exc:
            diagnostics.error(*fact.loc.at("derived", "formula"), f"fact '{fact.id}': {exc}",
                              "formula")
            continue
        unknown = sorted(n for n in formula.names if n not in project.facts)
        for name in unknown:
            if name in project.known_ids["fact"]:
                continue  # that fact has its own error already
            diagnostics.error(*fact.loc.at("derived", "formula"),
                              f"fact '{fact.id}': formula uses unknown fact '{name}'"
                              f"{did_you_mean(name, project.facts)}", "unknown-fact")
        if unknown:
            continue
        formulas[fact.id] = formula
        graph[fact.id] = formula.names

    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        cycle = exc.args[1]
        for fid in set(cycle):
            fact = project.facts[fid]
            diagnostics.error(*fact.loc.at("derived", "formula"),
                              f"derived facts form a cycle: {' -> '.join(cycle)}: "
                              "one of them must be stated, not derived", "cycle")
        order = _safe_order(graph, set(cycle))

    for fid in order:
        if fid not in formulas:
            continue
        fact = project.facts[fid]
        inputs = formulas[fid].names
        if any(not isinstance(values.get(n), (int, float)) for n in inputs):
            bad = [n for n in inputs if n in project.facts and project.facts[n].type == "date"]
            if bad:
                diagnostics.error(*fact.loc.at("derived", "formula"),
                                  f"fact '{fid}': formula uses date fact '{bad[0]}': "
                                  "only numbers can be computed with", "formula")
            continue
        try:
            result = formulas[fid](**{n: values[n] for n in inputs})
        except ZeroDivisionError:
            diagnostics.error(*fact.loc.at("derived", "formula"),
                              f"fact '{fid}': formula divides by zero", "formula")
            continue
        except OverflowError:
            diagnostics.error(*fact.loc.at("derived", "formula"),
                              f"fact '{fid}': formula gives a number beyond "
                              f"±{MAX_MAGNITUDE:.0e}: numbers that large cannot be shown to "
                              "readers", "formula")
            continue
        if not isinstance(result, (int, float)) or isinstance(result, bool) or \
                not math.isfinite(result):
            diagnostics.error(*fact.loc.at("derived", "formula"),
                              f"fact '{fid}': formula does not give a finite number", "formula")
            continue
        if abs(result) > MAX_MAGNITUDE:
            diagnostics.error(*fact.loc.at("derived", "formula"),
                              f"fact '{fid}': formula gives {result:.3g}, beyond "
                              f"±{MAX_MAGNITUDE:.0e}: numbers that large cannot be shown to "
                              "readers", "formula")
            continue
        values[fid] = result
        _compare_stated(fact, result, diagnostics)
    project.values = values
    return values


def _safe_order(graph: dict[str, frozenset[str]], cyclic: set[str]) -> list[str]:
    """An evaluation order for the facts not caught in (or depending on) a cycle."""
    blocked = set(cyclic)
    changed = True
    while changed:
        changed = False
        for fid, deps in graph.items():
            if fid not in blocked and deps & blocked:
                blocked.add(fid)
                changed = True
    rest = {f: d for f, d in graph.items() if f not in blocked}
    return list(TopologicalSorter(rest).static_order())


def _compare_stated(fact: Fact, result: float, diagnostics: Diagnostics) -> None:
    assert fact.derived is not None
    stated = fact.derived.stated
    if stated is None:
        return
    scale = max(abs(stated), abs(result), 1e-12)
    if abs(result - stated) / scale > fact.derived.tolerance:
        diagnostics.error(
            *fact.loc.at("derived", "stated"),
            f"fact '{fact.id}': stated value {stated:g} differs from the formula's {result:g} "
            f"by more than {fact.derived.tolerance:.1%}: fix the formula, the stated value or "
            "`tolerance`", "derived-mismatch")
