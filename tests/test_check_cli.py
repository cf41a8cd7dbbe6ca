"""`explainer check` and `new` end to end: exit codes, formats, limits and the console script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.checkkit import EXPLAINER, FACTS, SOURCES, make_project, run_check

REPO = Path(__file__).resolve().parent.parent
EXPLAINER_BIN = Path(sys.executable).parent / "explainer"


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(EXPLAINER_BIN), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env, check=False)


def test_all_problems_reported_in_one_run(tmp_path, capsys) -> None:
    root = make_project(tmp_path, {
        # YAML syntax error
        "content/sources/broken.yaml": "sources:\n  - id: other\n    title: [unclosed\n",
        # schema error
        "content/facts/main.yaml": FACTS.replace("type: percent", "type: percentage"),
        # unknown reference
        "content/explainers/housing.yaml": EXPLAINER.replace("{{homes_built}}", "{{homes_bilt}}"),
        # duplicate id
        "content/facts/dup.yaml": "facts:\n  - id: homes_built\n    statement: Dup.\n"
                                  "    type: count\n    value: 1\n    sources: [city_report]\n",
    })
    code, lines, err = run_check(root, capsys)
    assert code == 1
    text = "\n".join(lines)
    assert "content/sources/broken.yaml:4:1: error: YAML syntax error" in text
    assert ("content/facts/main.yaml:11:5: error: fact 'share_affordable', key 'type': "
            "'percentage' is not allowed (did you mean 'percent'?)") in text
    assert ("content/explainers/housing.yaml:4:22: error: {{homes_bilt}}: unknown fact "
            "'homes_bilt' (did you mean 'homes_built'?)") in text
    assert ("content/facts/main.yaml:2:5: error: duplicate fact id 'homes_built': already "
            "defined at content/facts/dup.yaml:2; rename one of them") in text
    # sorted by file, then line
    diagnostics = [line for line in lines if ": error: " in line or ": warning: " in line]
    keys = [(d.split(":")[0], int(d.split(":")[1])) for d in diagnostics]
    assert keys == sorted(keys)
    assert lines[-1].startswith("check failed: 4 errors")
    assert err == ""


def test_github_annotations(tmp_path, capsys) -> None:
    root = make_project(tmp_path, {
        "content/explainers/housing.yaml": EXPLAINER.replace("{{homes_built}}", "{{homes_bilt}}")
        .replace("tease: More homes, few affordable", "tease: One two three four five six seven"),
    })
    code, lines, _ = run_check(root, capsys, "--format", "github")
    assert code == 1
    assert lines[:2] == [
        "::warning file=content/explainers/housing.yaml,line=3,col=1,"
        "title=explainer tease-length::tease has 7 words; house style is 6 or fewer",
        "::error file=content/explainers/housing.yaml,line=4,col=22,"
        "title=explainer unknown-fact::{{homes_bilt}}: unknown fact 'homes_bilt' "
        "(did you mean 'homes_built'?)",
    ]


def test_billion_laughs_is_an_error_not_a_hang(tmp_path) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        levels.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    root = make_project(tmp_path, {"content/sources/laughs.yaml": "\n".join(levels) + "\n"})
    result = run_cli("check", "--root", str(root), timeout=30)
    assert result.returncode == 1
    assert ("content/sources/laughs.yaml:1:1: error: document expands to more than 200,000 "
            "values (aliases nested too deep?): remove the anchors and aliases") in result.stdout
    assert "Traceback" not in result.stderr


def test_huge_file_is_refused_before_parsing(tmp_path) -> None:
    root = make_project(tmp_path, {})
    big = root / "content/facts/huge.yaml"
    with big.open("w") as handle:
        handle.write("facts:\n")
        line = "  - {id: x, statement: padding, type: count, value: 1, sources: [city_report]}\n"
        handle.write(line * (50 * 1024 * 1024 // len(line)))
    assert big.stat().st_size >= 49 * 1024 * 1024
    result = run_cli("check", "--root", str(root), timeout=30)
    assert result.returncode == 1
    assert ("content/facts/huge.yaml:1:1: error: file is 50.0 MiB; content files are limited "
            "to 2 MiB: split it or move data into a CSV file") in result.stdout


def test_new_then_check_passes(tmp_path) -> None:
    root = make_project(tmp_path, {})
    result = run_cli("new", "demo", "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert "content/explainers/demo.yaml" in result.stdout
    check = run_cli("check", "--root", str(root))
    assert check.returncode == 0, check.stdout
    assert ": error:" not in check.stdout


def test_new_in_the_repository_passes_check(tmp_path) -> None:
    import shutil

    for folder in ("content", "charts", "docs"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, tmp_path / folder)
    assert run_cli("new", "demo", "--root", str(tmp_path)).returncode == 0
    check = run_cli("check", "--root", str(tmp_path))
    assert check.returncode == 0, check.stdout


def test_new_refuses_to_overwrite(tmp_path) -> None:
    root = make_project(tmp_path, {})
    before = (root / "content/explainers/housing.yaml").read_bytes()
    result = run_cli("new", "housing", "--root", str(root))
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert "Traceback" not in result.stderr
    assert (root / "content/explainers/housing.yaml").read_bytes() == before


@pytest.mark.parametrize("slug", ["Bad_Slug", "x-", "a--b", "ünï"])
def test_new_rejects_bad_slugs(tmp_path, slug) -> None:
    result = run_cli("new", slug, "--root", str(make_project(tmp_path, {})))
    assert result.returncode == 2
    assert f"explainer: error: '{slug}' is not a valid slug" in result.stderr


@pytest.mark.parametrize("command", ["check", "build", "serve", "new", "deploy"])
def test_every_command_has_help(command) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: explainer {command}")


def test_usage_errors_exit_2() -> None:
    assert run_cli("frobnicate").returncode == 2
    assert run_cli("check", "--format", "xml").returncode == 2


def test_missing_project_is_a_usage_error(tmp_path) -> None:
    result = run_cli("check", "--root", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"explainer: error: no content/ folder in {tmp_path}")
    assert "Traceback" not in result.stderr


def test_repository_content_passes_check() -> None:
    result = run_cli("check", cwd=REPO)
    assert result.returncode == 0, result.stdout
    assert ": error:" not in result.stdout


def test_sources_and_facts_constants_are_valid_yaml() -> None:
    import yaml

    assert yaml.safe_load(SOURCES)["sources"][0]["id"] == "city_report"


def test_control_characters_in_content_cannot_forge_report_lines(tmp_path, capsys) -> None:
    hostile = SOURCES.replace("    title:", '    "ti\\e[2J\\ntle\\r": x\n    title:')
    code, lines, _ = run_check(make_project(tmp_path, {"content/sources/main.yaml": hostile}),
                               capsys)
    assert code == 1
    assert lines[0] == ("content/sources/main.yaml:4:5: error: unknown key 'ti\\x1b[2J\\ntle\\r' "
                        "(did you mean 'title'?)")


def test_every_command_and_option_is_documented_in_the_writers_guide() -> None:
    import argparse

    from generator.cli import build_parser

    guide = (REPO / "docs" / "guide.md").read_text("utf-8")
    parser = build_parser()
    options = [o for a in parser._actions for o in a.option_strings if o.startswith("--")]
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        assert f"`explainer {name}" in guide, name
        options += [o for a in sub._actions for o in a.option_strings if o.startswith("--")]
    undocumented = sorted({o for o in options if o != "--help" and o not in guide})
    assert undocumented == []
