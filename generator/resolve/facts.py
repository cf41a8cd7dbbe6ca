"""Evaluate derived facts safely, in dependency order.

Formulas are parsed by Jinja's sandboxed environment's parser (never Python ``eval``); the syntax
tree is checked so only numbers, fact ids, parentheses and ``+ - * /`` appear (no attribute
access, calls, filters or powers), and then that tree is evaluated directly. Nothing is compiled,
so a formula cannot reach Python objects or run for ever, and a thousand formulas cost
milliseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from graphlib import CycleError, TopologicalSorter
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from generator.check.suggest import did_you_mean
from generator.errors import Diagnostics
from generator.load.model import Fact, Project

_ENV = SandboxedEnvironment()
_ALLOWED = (nodes.Template, nodes.Output, nodes.Name, nodes.Const, nodes.Add, nodes.Sub,
            nodes.Mul, nodes.Div, nodes.Neg, nodes.Pos)


@dataclass(frozen=True)
class Formula:
    names: frozenset[str]
    tree: nodes.Expr

    def __call__(self, **values: float) -> float:
        return _evaluate(self.tree, values)


_BINARY = {
    nodes.Add: lambda a, b: a + b,
    nodes.Sub: lambda a, b: a - b,
    nodes.Mul: lambda a, b: a * b,
    nodes.Div: lambda a, b: a / b,
}


def _evaluate(node: nodes.Node, values: dict[str, float]) -> float:
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, nodes.Name):
        return values[node.name]
    if isinstance(node, nodes.Neg):
        return -_evaluate(node.node, values)
    if isinstance(node, nodes.Pos):
        return _evaluate(node.node, values)
    operation = _BINARY[type(node)]
    return operation(_evaluate(node.left, values), _evaluate(node.right, values))  # type: ignore[attr-defined]


@cache
def parse_formula(text: str) -> Formula:
    """Parse ``text``; raise ``ValueError`` with a writer-facing reason when it is not allowed."""
    depth = max_depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        max_depth = max(max_depth, depth)
    if max_depth > 20:  # the parser recurses per level; real formulas need a handful
        raise ValueError("formula nests parentheses more than 20 deep: simplify it")
    try:
        tree = _ENV.parse("{{ (" + text + ") }}")
    except TemplateSyntaxError as exc:
        raise ValueError(f"formula is not valid arithmetic ({exc.message})") from None
    except RecursionError:
        raise ValueError("formula is too deeply nested: simplify it") from None
    names: set[str] = set()
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED):
            raise ValueError(
                f"formula may only use numbers, fact ids, parentheses and + - * / "
                f"(found {type(node).__name__.lower()})")
        if isinstance(node, nodes.Name):
            names.add(node.name)
        if isinstance(node, nodes.Const) and (
                isinstance(node.value, bool) or not isinstance(node.value, (int, float))):
            raise ValueError(f"formula may only use numbers, not {node.value!r}")
    expression = tree.body[0].nodes[0]  # type: ignore[attr-defined]
    return Formula(names=frozenset(names), tree=expression)


def formula_inputs(fact: Fact) -> list[str]:
    """Fact ids a derived fact's formula uses, in the order they appear in it (none for a
    stated fact or a formula that does not parse: check reports that one)."""
    if not fact.derived:
        return []
    try:
        names = parse_formula(fact.derived.formula).names
    except ValueError:
        return []
    formula = fact.derived.formula
    return sorted(names, key=lambda n: (formula.find(n), n))


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
        if not isinstance(result, (int, float)) or isinstance(result, bool) or \
                not math.isfinite(result):
            diagnostics.error(*fact.loc.at("derived", "formula"),
                              f"fact '{fid}': formula does not give a finite number", "formula")
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
