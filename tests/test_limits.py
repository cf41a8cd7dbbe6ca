"""Every limit is a path:line:col error, never a crash, a hang or an internal error (issues 9, 14).

Written as the findings: 30,000 nested brackets crashed LibYAML (SIGSEGV); `value: 1.0e+50`
passed check and failed the build as an internal error; so did a 5,001-digit integer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checkkit import FACTS, make_project
from tests.conftest import run_explainer

DEEP = "lists and mappings nest more than 50 levels deep here: flatten the structure"


@pytest.mark.parametrize(("text", "expected"), [
    ("facts: " + "[" * 30_000 + "]" * 30_000 + "\n",
     f"content/facts/main.yaml:1:57: error: {DEEP}"),
    ("facts:\n" + "- " * 30_000 + "a\n", f"content/facts/main.yaml:2:99: error: {DEEP}"),
    ("facts: " + "{a: " * 30_000 + "1" + "}" * 30_000 + "\n",
     "content/facts/main.yaml:1:"),
], ids=["flow-lists", "block-lists", "flow-mappings"])  # the texts are too long for test ids
def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path, text: str, expected: str) -> None:
    root = make_project(tmp_path, {"content/facts/main.yaml": text})
    result = run_explainer(root, "check", timeout=60)
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    assert any(line.startswith(expected) and line.endswith(DEEP)
               for line in result.stdout.splitlines()), result.stdout[-2000:]


@pytest.mark.parametrize(("value", "message"), [
    ("1.0e+50", "content/facts/main.yaml:5:5: error: fact 'homes_built', key 'value': 1e+50 is "
                "greater than the maximum of 1000000000000000.0"),
    ("-2.0e+15", "content/facts/main.yaml:5:5: error: fact 'homes_built', key 'value': "
                 "-2000000000000000.0 is less than the minimum of -1000000000000000.0"),
    ("9" * 5001, "content/facts/main.yaml:5:12: error: number has too many digits: numbers are "
                 "limited to ±1e15"),
    (".nan", "content/facts/main.yaml:5:12: error: '.nan' is not a number readers can be shown: "
             "write a finite number"),
    (".inf", "content/facts/main.yaml:5:12: error: '.inf' is not a number readers can be shown: "
             "write a finite number"),
])
def test_numbers_out_of_range_are_check_errors(tmp_path: Path, value: str, message: str) -> None:
    root = make_project(tmp_path, {"content/facts/main.yaml":
                                   FACTS.replace("value: 1200", f"value: {value}")})
    for command in ("check", "build"):
        result = run_explainer(root, command, timeout=120)
        assert result.returncode == 1
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    check = run_explainer(root, "check")
    assert message in check.stdout.splitlines(), check.stdout


def test_a_formula_of_huge_numbers_is_a_check_error(tmp_path: Path) -> None:
    facts = FACTS.replace("formula: homes_built * share_affordable / 100",
                          "formula: homes_built * " + "9" * 240 + " * " + "9" * 240)
    root = make_project(tmp_path, {"content/facts/main.yaml": facts})
    result = run_explainer(root, "check")
    assert result.returncode == 1
    assert ("content/facts/main.yaml:20:7: error: fact 'affordable_built': formula uses a "
            "number beyond ±1e+15: numbers that large cannot be shown to readers"
            ) in result.stdout.splitlines(), result.stdout


def test_a_csv_too_big_for_a_page_is_refused(tmp_path: Path) -> None:
    from tests.chartkit import CHARTS, make_chart_project

    header = "month," + ",".join(f"c{i}" for i in range(60))
    rows = [f"r{n}," + ",".join("1" for _ in range(60)) for n in range(500)]
    root = make_chart_project(tmp_path, {"grouped_chart": CHARTS["grouped_chart"]},
                              files={"content/data/permits.csv": "\n".join([header, *rows])})
    result = run_explainer(root, "check")
    assert result.returncode == 1
    assert ("content/data/permits.csv:1:1: error: 500 rows x 60 value columns is 30,000 values; "
            "a chart's table is limited to 10,000: aggregate the data or split it into several "
            "charts") in result.stdout.splitlines(), result.stdout
    rows = [f"r{n},1" for n in range(1_001)]
    root = make_chart_project(tmp_path / "rows", {"grouped_chart": CHARTS["grouped_chart"]},
                              files={"content/data/permits.csv": "\n".join(["month,a", *rows])})
    result = run_explainer(root, "check")
    assert "content/data/permits.csv:1002:1: error: more than 1000 rows" in result.stdout


def test_references_in_the_note_are_checked_and_texts_are_bounded(tmp_path: Path) -> None:
    from tests.checkkit import EXPLAINER

    explainer = EXPLAINER + "note: Counted {{homes_bilt}} homes.\n"
    root = make_project(tmp_path / "note", {"content/explainers/housing.yaml": explainer})
    result = run_explainer(root, "check")
    assert ("content/explainers/housing.yaml:13:15: error: {{homes_bilt}}: unknown fact "
            "'homes_bilt' (did you mean 'homes_built'?)") in result.stdout.splitlines(), \
        result.stdout
    many = EXPLAINER.replace("lede: The city built {{homes_built}} homes last year. "
                             "[@city_report]",
                             "lede: '" + " ".join(["{{homes_built}}"] * 10_001) + "'")
    root = make_project(tmp_path / "many", {"content/explainers/housing.yaml": many})
    result = run_explainer(root, "check")
    assert ("content/explainers/housing.yaml:4:1: error: 10,001 references in one text; the "
            "limit is 10,000: split it or chart the numbers") in result.stdout.splitlines(), \
        result.stdout


def test_deep_indentation_is_refused_before_the_composer_even_in_a_small_stack() -> None:
    """1,900 indented levels fit in 2 MiB; LibYAML's composer recursed through all of them and
    crashed (SIGSEGV) with a stack smaller than a Linux main thread's (a thread's, here 256 KiB,
    or another platform's default)."""
    import subprocess
    import sys

    program = """
import threading
from pathlib import Path
from generator.errors import Diagnostics
from generator.load.yamlio import parse_yaml_text

text = "".join(" " * i + f"k{i}:\\n" for i in range(1_900))
d = Diagnostics()
def parse():
    parse_yaml_text(text, Path("x.yaml"), "content/facts/deep.yaml", d)
threading.stack_size(256 * 1024)
worker = threading.Thread(target=parse)
worker.start()
worker.join()
print("\\n".join(item.format() for item in d.sorted()))
"""
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, (result.returncode, result.stderr[-500:])
    assert result.stdout.splitlines() == [f"content/facts/deep.yaml:51:51: error: {DEEP}"]


def test_a_csv_number_beyond_range_is_a_check_error_not_an_internal_error(
        tmp_path: Path) -> None:
    """`1e300` in a chart's CSV stopped check itself with "internal error: InvalidOperation"."""
    from tests.chartkit import CHARTS, make_chart_project

    root = make_chart_project(tmp_path, {"grouped_chart": CHARTS["grouped_chart"]},
                              files={"content/data/permits.csv":
                                     "month,north,south\nJan,1e300,2\nFeb,3," + "9" * 300 + "\n"})
    result = run_explainer(root, "check")
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert ("content/data/permits.csv:2:5: error: '1e300' in column 'north' is beyond ±1e+15: "
            "numbers that large cannot be shown to readers") in lines, result.stdout
    assert any(line.startswith("content/data/permits.csv:3:7: error: '999") and
               line.endswith("' in column 'south' is beyond ±1e+15: numbers that large cannot "
                             "be shown to readers") for line in lines), result.stdout


def test_long_fields_and_strings_are_check_errors(tmp_path: Path) -> None:
    from tests.checkkit import EXPLAINER, SOURCES

    sources = SOURCES.replace("title: Annual housing report", "title: " + "T" * 2_001)
    explainer = EXPLAINER.replace("lede: The city built {{homes_built}} homes last year. "
                                  "[@city_report]", "lede: " + "word " * 40_001)
    root = make_project(tmp_path, {"content/sources/main.yaml": sources,
                                   "content/explainers/housing.yaml": explainer})
    result = run_explainer(root, "check")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert ("content/sources/main.yaml:4:5: error: `title` is 2,001 characters long; the limit "
            "is 2,000: shorten it (longer text belongs in an explainer's prose)") in lines, \
        result.stdout
    assert ("content/explainers/housing.yaml:4:7: error: text is 200,004 characters long; the "
            "limit is 200,000: split it") in lines, result.stdout


def test_the_writers_guide_states_every_limit() -> None:
    """Every constant in generator/limits.py is in the guide's Limits table, with its value."""
    import re

    from generator import limits
    from tests.conftest import REPO

    guide = (REPO / "docs" / "guide.md").read_text("utf-8")
    section = guide.split("## Limits\n", 1)[1].split("\n## ", 1)[0]
    shown = {
        "MAX_MAGNITUDE": f"±{limits.MAX_MAGNITUDE:.0e}".replace("e+", "e"),
        "MAX_FORMULA_CHARS": f"{limits.MAX_FORMULA_CHARS} characters",
        "MAX_FORMULA_DEPTH": f"parentheses {limits.MAX_FORMULA_DEPTH} deep",
        "MAX_FORMULA_OPERATIONS": f"{limits.MAX_FORMULA_OPERATIONS} operations",
        "MAX_REFERENCES_PER_TEXT": f"| {limits.MAX_REFERENCES_PER_TEXT:,} (",
        "MAX_TEXT_CHARS": f"| {limits.MAX_TEXT_CHARS:,} characters (lede",
        "MAX_FIELD_CHARS": f"| {limits.MAX_FIELD_CHARS:,} characters |",
        "MAX_PAGE_BYTES": f"| {limits.MAX_PAGE_BYTES:,} bytes (2 MiB) of generated Markdown",
        "MAX_LEDE_BYTES": f"| {limits.MAX_LEDE_BYTES:,} bytes of the statements and headlines",
        "MAX_TAGS_PER_EXPLAINER": f"| {limits.MAX_TAGS_PER_EXPLAINER} per explainer",
        "MAX_TAG_CHARS": f"each at most {limits.MAX_TAG_CHARS} characters |",
        "MAX_YAML_BYTES": f"| {limits.MAX_YAML_BYTES // 1024 // 1024} MiB; ",
        "MAX_YAML_NODES": f"{limits.MAX_YAML_NODES:,} values",
        "MAX_YAML_DEPTH": f"nested {limits.MAX_YAML_DEPTH} levels deep",
        "MAX_CSV_BYTES": f"| {limits.MAX_CSV_BYTES // 1024 // 1024} MiB; {limits.MAX_CSV_ROWS:,}",
        "MAX_CSV_ROWS": f"{limits.MAX_CSV_ROWS:,} data rows",
        "MAX_CSV_CELLS": f"{limits.MAX_CSV_CELLS:,} values (data rows x value columns)",
        "MAX_DOCS_PAGE_BYTES": f"`docs/` | {limits.MAX_DOCS_PAGE_BYTES:,} bytes;",
        "MAX_DOCS_HEADINGS": f"{limits.MAX_DOCS_HEADINGS} headings, footnotes",
        "MAX_DOCS_NESTING": f"| {limits.MAX_DOCS_NESTING} levels each:",
        "MAX_DOCS_BRACKET_SCAN": f"| {limits.MAX_DOCS_BRACKET_SCAN:,} characters in all",
    }
    constants = {name for name in vars(limits) if re.fullmatch(r"MAX_[A-Z_]+", name)}
    assert constants == set(shown), "document the new limit in docs/guide.md (## Limits)"
    missing = {name: text for name, text in shown.items() if text not in section}
    assert not missing, missing


def _laughs() -> str:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        levels.append(f"{chr(97 + i)}: &{chr(97 + i)} ["
                      + ", ".join([f"*{chr(96 + i)}"] * 10) + "]")
    return "\n".join(levels) + "\n"


def test_aliases_are_counted_before_any_value_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """A billion laughs (10^10 values) is refused from the node graph (each node counted once),
    without building the 200,000 values it used to build before stopping."""
    from generator.errors import Diagnostics
    from generator.load import yamlio

    built = 0
    original = yamlio._Builder.build

    def counting(self: yamlio._Builder, node: object, path: tuple) -> object:  # type: ignore[type-arg]
        nonlocal built
        built += 1
        return original(self, node, path)  # type: ignore[arg-type]

    monkeypatch.setattr(yamlio._Builder, "build", counting)
    d = Diagnostics()
    assert yamlio.parse_yaml_text(_laughs(), Path("x.yaml"), "content/facts/x.yaml", d) is None
    assert built == 0
    assert [item.format() for item in d.sorted()] == [
        "content/facts/x.yaml:1:1: error: document expands to more than 200,000 values (aliases "
        "nested too deep?): remove the anchors and aliases"]
    d = Diagnostics()
    ok = "a: &a [1, 2]\nb: [*a, *a, *a]\n"
    assert yamlio.parse_yaml_text(ok, Path("x.yaml"), "content/facts/x.yaml", d) is not None
    assert built == 14 and not d.sorted()  # the mapping, a (3), b's list and 3 copies of a


def test_an_alias_inside_what_it_names_is_an_error() -> None:
    from generator.errors import Diagnostics
    from generator.load.yamlio import parse_yaml_text

    d = Diagnostics()
    assert parse_yaml_text("a: &a [1, *a]\n", Path("x.yaml"), "content/facts/x.yaml", d) is None
    assert [item.format() for item in d.sorted()] == [
        "content/facts/x.yaml:1:4: error: an alias refers to the list or mapping that contains "
        "it: write the values out"]


def test_a_stray_opener_repeated_is_one_diagnostic(tmp_path: Path) -> None:
    """100,000 unclosed "{{" in a lede printed 100,000 identical errors (and each one scanned
    to the end of the text): one diagnostic per distinct fragment per text."""
    from tests.checkkit import EXPLAINER

    explainer = EXPLAINER.replace("lede: The city built {{homes_built}} homes last year. "
                                  "[@city_report]", "lede: '" + "{{" * 99_990 + " 7 7 7'")
    root = make_project(tmp_path, {"content/explainers/housing.yaml": explainer})
    result = run_explainer(root, "check")
    assert result.returncode == 1
    diagnostics = [line for line in result.stdout.splitlines() if ": error: " in line or
                   ": warning: " in line]
    assert diagnostics == [
        "content/explainers/housing.yaml:4:8: error: malformed reference '{{': write {{fact_id}} "
        "for a fact, [@source_id] for a source (lowercase letters, digits, underscores) or "
        '{{"text"}} for text shown as typed',
        "content/explainers/housing.yaml:4:199989: warning: number '7' is typed into prose: make "
        "it a fact and write {{fact_id}} so readers can trace it (if it is part of a name, not a "
        'quantity, write {{"... 7"}} with the whole name)'], diagnostics


@pytest.mark.parametrize("value", ["9" * 4_000, "0x" + "f" * 100, "-" + "1" * 17])
def test_a_long_integer_is_one_short_diagnostic(value: str) -> None:
    """A 4,000-digit integer converts (Python's limit is 4,300) and was reported with all its
    digits in the message; any integer of 17 or more digits is refused as it is read."""
    from generator.errors import Diagnostics
    from generator.load.yamlio import parse_yaml_text

    d = Diagnostics()
    assert parse_yaml_text(f"value: {value}\n", Path("x.yaml"), "content/facts/x.yaml", d) is None
    assert [item.format() for item in d.sorted()] == [
        "content/facts/x.yaml:1:8: error: number has too many digits: numbers are limited to ±1e15"]


def test_a_broken_file_of_blank_lines_is_read_once(tmp_path: Path) -> None:
    """Ids are salvaged from a file that does not parse; the scan once ran across line breaks
    (quadratic: 10,000 blank lines took 7 s). The timeout only keeps a regression from hanging
    the suite."""
    root = make_project(tmp_path, {"content/facts/blank.yaml": " \n" * 200_000 + "[\n"})
    result = run_explainer(root, "check", timeout=60)
    assert result.returncode == 1
    assert any(line.startswith("content/facts/blank.yaml:") and "YAML syntax error" in line
               for line in result.stdout.splitlines()), result.stdout[-500:]
