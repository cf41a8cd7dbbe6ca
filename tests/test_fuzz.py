"""Property tests (Hypothesis, fixed seed and budget): any input gives a model or path:line
diagnostics, never another exception (issue 9).

Covered: the YAML loader, the inline-reference parser, the formula parser and evaluator, the CSV
reader, the formatters, and the whole ``check`` on generated files.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check.run import check_project
from generator.errors import Diagnostics
from generator.limits import MAX_MAGNITUDE
from generator.load.model import Chart, Fact, Loc
from generator.load.yamlio import YamlDocument, parse_yaml_bytes, parse_yaml_text
from generator.resolve import refs
from generator.resolve.csvdata import read_table
from generator.resolve.facts import parse_formula
from generator.resolve.format import format_fact, format_period
from tests.checkkit import BASE, write_files

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
SMALL = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
POSITION = re.compile(r"^[^:]+:\d+:\d+: (error|warning): .+")

# Text that looks like what writers type, with the syntax that matters close at hand.
SYNTAX = st.sampled_from(["{{", "}}", "[@", "]", "[", "(", ")", "\\", "`", "*", "-", ":", "#",
                          "\n", " ", "  - ", "'", '"', "{", "}", "&", "<", ">", "a_b", "x1",
                          "1,000", "2023", "https://", "|", ">-\n  ", "!", "%"])
WRITERISH = st.lists(st.one_of(SYNTAX, st.text(max_size=6)), max_size=40).map("".join)


def _diagnostics_are_positions(d: Diagnostics) -> None:
    for item in d.sorted():
        assert POSITION.match(item.format()), item.format()


@FUZZ
@given(WRITERISH)
def test_yaml_text_gives_a_document_or_diagnostics(text: str) -> None:
    d = Diagnostics()
    doc = parse_yaml_text(text, Path("x.yaml"), "content/facts/x.yaml", d)
    assert doc is not None or len(d) > 0
    _diagnostics_are_positions(d)


@FUZZ
@given(st.binary(max_size=200))
def test_yaml_bytes_give_a_document_or_diagnostics(raw: bytes) -> None:
    d = Diagnostics()
    doc = parse_yaml_bytes(raw, Path("x.yaml"), "content/facts/x.yaml", d)
    assert doc is not None or len(d) > 0
    _diagnostics_are_positions(d)


@FUZZ
@given(WRITERISH)
def test_references_are_found_in_order_without_overlap(text: str) -> None:
    found = refs.references(text)
    spans = sorted((r.start, r.end) for r in found)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))
    for ref in found:
        assert text[ref.start:ref.end].find(ref.id) >= 0
    refs.malformed(text)
    refs.typed_numbers(text)


FORMULA_TEXT = st.lists(st.sampled_from(["a", "b", "c_1", "1", "2.5", "1e3", "+", "-", "*",
                                         "/", "(", ")", " ", "**", "}", "{", "#", ";", ".",
                                         "\n", "0", "99999999999999999"]),
                        max_size=25).map("".join)


@FUZZ
@given(FORMULA_TEXT, st.lists(st.floats(-1e6, 1e6), min_size=3, max_size=3))
def test_formulas_parse_or_explain_and_display_what_they_compute(
        text: str, values: list[float]) -> None:
    try:
        formula = parse_formula(text)
    except ValueError as exc:
        assert str(exc).startswith("formula")
        return
    env = dict(zip(("a", "b", "c_1"), values, strict=True))
    if not formula.names <= set(env):
        return
    # Readers see it in a code span: nothing in it can close the span or start markup.
    assert not set(formula.display()) & set("`{}#<>&\\\n")
    shown = parse_formula(formula.display())
    assert shown.names == formula.names
    try:
        result = formula(**env)
    except (ZeroDivisionError, OverflowError):
        return
    again = shown(**env)
    assert (math.isnan(result) and math.isnan(again)) or result == again


@FUZZ
@given(st.binary(max_size=400))
def test_csv_data_gives_a_table_or_diagnostics(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content" / "data").mkdir(parents=True)
        (root / "content" / "data" / "d.csv").write_bytes(raw)
        doc = YamlDocument(path=root / "charts" / "c.yaml", display="charts/c.yaml", data={})
        chart = Chart(id="c", type="bar", title="C", loc=Loc(doc, ()),
                      spec={"data": {"csv": "d.csv", "sources": ["s"]}})
        d = Diagnostics()
        table = read_table(root, chart, d)
        assert table is not None or len(d) > 0
        _diagnostics_are_positions(d)


NUMBERS = st.one_of(st.integers(-int(MAX_MAGNITUDE), int(MAX_MAGNITUDE)),
                    st.floats(-MAX_MAGNITUDE, MAX_MAGNITUDE, allow_nan=False))
PERIOD = st.one_of(st.dates().map(dt.date.isoformat),
                   st.integers(1, 9999).map(lambda y: f"{y:04d}"),
                   st.tuples(st.integers(1, 9999), st.integers(1, 12)).map(
                       lambda p: f"{p[0]:04d}-{p[1]:02d}"))


@FUZZ
@given(NUMBERS, st.sampled_from(["count", "number", "percent", "currency"]),
       st.one_of(st.none(), st.integers(1, 15)), st.booleans(),
       st.one_of(st.none(), st.sampled_from(["about", "at least", "more than"])))
def test_every_number_in_range_formats(value: float, kind: str, precision: int | None,
                                       derived: bool, qualifier: str | None) -> None:
    doc = YamlDocument(path=Path("f.yaml"), display="f.yaml", data={})
    fact = Fact(id="f", statement="S.", type=kind, loc=Loc(doc, ()), value=value,
                currency="USD" if kind == "currency" else None, precision=precision,
                qualifier=qualifier)
    if derived:
        from generator.load.model import Derived

        fact.derived = Derived(formula="a")
    shown = format_fact(fact, value)
    assert shown and "nan" not in shown.lower()


@FUZZ
@given(st.lists(PERIOD, min_size=1, max_size=2).map("/".join))
def test_every_valid_period_formats(text: str) -> None:
    assert format_period(text)


# What check refuses still formats (a preview of content with errors shows it): numbers of any
# size, NaN, infinities, wrong types, unknown currencies, any precision, any as_of text.
ANY_VALUE = st.one_of(st.floats(), st.integers(), st.integers(10**15, 10**5000),
                      st.integers(-10**5000, -10**15), st.text(max_size=8), st.none(),
                      st.booleans(), st.dates())


@FUZZ
@given(ANY_VALUE, st.sampled_from(["count", "number", "percent", "currency", "date"]),
       st.one_of(st.none(), st.integers(-20, 10**6)), st.booleans(),
       st.one_of(st.none(), st.sampled_from(["USD", "EUR", "ZZZ", "usd", ""])))
def test_formatting_never_raises(value: object, kind: str, precision: int | None,
                                 derived: bool, currency: str | None) -> None:
    doc = YamlDocument(path=Path("f.yaml"), display="f.yaml", data={})
    fact = Fact(id="f", statement="S.", type=kind, loc=Loc(doc, ()), value=value,
                currency=currency, precision=precision)
    if derived:
        from generator.load.model import Derived

        fact.derived = Derived(formula="a")
    assert isinstance(format_fact(fact, value), str)


@FUZZ
@given(st.text(alphabet="0123456789-/ x", max_size=24))
def test_any_period_text_formats(text: str) -> None:
    assert isinstance(format_period(text), str)


# Mostly plain numbers, so that whole tables are valid often enough to test what they hold.
CELL = st.one_of(NUMBERS.map(str), NUMBERS.map(str), st.sampled_from(
    ["1e300", "-1e300", "9" * 300, "9" * 400, "1e16", "-0", "1.5e3", "nan", "inf", "1,000",
     "60%", "", " ", '"1"', '"a,b"', "0x10", "1_000", "١٢"]), st.text(max_size=4))
TABLE = st.integers(1, 4).flatmap(
    lambda n: st.lists(st.lists(CELL, min_size=n, max_size=n).map(tuple), max_size=6))


@FUZZ
@given(TABLE, st.integers(0, 1))
def test_csv_values_give_a_table_in_range_or_diagnostics(rows: list[tuple[str, ...]],
                                                        ragged: int) -> None:
    columns = len(rows[0]) + ragged if rows else 1
    header = "month," + ",".join(f"s{i}" for i in range(columns))
    lines = [header, *(f"r{n}," + ",".join(row) for n, row in enumerate(rows))]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content" / "data").mkdir(parents=True)
        (root / "content" / "data" / "d.csv").write_text("\n".join(lines), "utf-8")
        doc = YamlDocument(path=root / "charts" / "c.yaml", display="charts/c.yaml", data={})
        chart = Chart(id="c", type="bar", title="C", loc=Loc(doc, ()),
                      spec={"data": {"csv": "d.csv", "sources": ["s"]}})
        d = Diagnostics()
        table = read_table(root, chart, d)
        assert (table is None) == bool(d.errors)
        _diagnostics_are_positions(d)
        if table is not None:
            values = [v for column in table.columns.values() for v in column]
            assert all(abs(v) <= MAX_MAGNITUDE and math.isfinite(v) for v in values)


FIELD_VALUES = st.one_of(WRITERISH, NUMBERS.map(str), st.sampled_from(
    ["", "~", "[]", "{}", "1.0e+50", "-", "2023-02-30", "2023-13", ".nan", "!!str x", "*a",
     "&a x", "<<: *a", "'''", "|", ">-"]))


@SMALL
@given(st.sampled_from(["value", "statement", "as_of", "unit", "sources", "precision",
                        "qualifier", "type"]), FIELD_VALUES)
def test_check_on_generated_facts_reports_positions(tmp_path_factory, key: str,
                                                    value: str) -> None:
    root = write_files(tmp_path_factory.mktemp("fuzz"), dict(BASE))
    facts = root / "content" / "facts" / "main.yaml"
    lines = facts.read_text("utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(f"{key}:"):
            indent = line[: len(line) - len(line.lstrip())]
            lines[i] = f"{indent}{key}: {value}"
            break
    facts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, d = check_project(root, today=dt.date(2026, 1, 1))
    _diagnostics_are_positions(d)


# Prose as writers type it, with real and broken references among the syntax.
PROSE = st.lists(st.one_of(SYNTAX, st.sampled_from(
    ["{{homes_built}}", "{{share_affordable}}", "{{affordable_built}}", "[@city_report]",
     "{{nope}}", "[@nope]", "{{ homes_built }}", ". ", "[x](https://example.org/a)",
     "[x](javascript:alert(1))", "![i](https://example.org/i.png)"]), st.text(max_size=4)),
    max_size=30).map("".join)


@SMALL
@given(st.sampled_from(["lede", "text", "headline", "tease"]), PROSE)
def test_check_and_render_on_generated_prose(tmp_path_factory, key: str, prose: str) -> None:
    """Any prose gives positioned diagnostics, and prose that passes check renders."""
    import json

    from generator.render import pages

    root = write_files(tmp_path_factory.mktemp("fuzz"), dict(BASE))
    explainer = root / "content" / "explainers" / "housing.yaml"
    lines = explainer.read_text("utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(f"{key}:"):
            indent = line[: len(line) - len(line.lstrip())]
            lines[i] = f"{indent}{key}: {json.dumps(prose)}"  # a double-quoted YAML scalar
            break
    explainer.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project, d = check_project(root, today=dt.date(2026, 1, 1))
    _diagnostics_are_positions(d)
    if not d.errors:
        env = pages.environment(root)
        for ex in project.explainers.values():
            page = pages.render_explainer(project, ex, env, chart_blocks={})
            assert isinstance(page.content, str) and page.content
