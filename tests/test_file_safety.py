"""A pull request of YAML and CSV cannot make check or build read a file outside the project.

Written as the attack (issue 9): content files and chart data that are links to a file holding a
secret (outside the project, or the checkout's own .git/config, where CI keeps its token), pipes
that would block a reader, and data paths that climb out of content/data/. Each is refused at
path:line:col, the secret appears in no output (text, GitHub annotations, the built site), and
nothing hangs.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from tests.chartkit import CHARTS, make_chart_project
from tests.conftest import copy_project, run_explainer

SECRET = "extraheader = AUTHORIZATION: basic c2VjcmV0LXRva2VuLWZvci10ZXN0cw=="
MARKER = "c2VjcmV0LXRva2VuLWZvci10ZXN0cw"
GROUPED = {"grouped_chart": CHARTS["grouped_chart"]}
CSV_AT = "charts/grouped_chart.yaml:6:"  # the `csv:` key of the grouped chart


def _secret_file(folder: Path, name: str = "config") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    # Looks like CSV and like YAML, so a reader that followed the link would quote it.
    path.write_text(f"month,north\n{SECRET},1\n", encoding="utf-8")
    return path


def _outputs(root: Path) -> list[str]:
    """check in both formats, then build: everything a pull request's author could see."""
    results = [run_explainer(root, "check", timeout=120),
               run_explainer(root, "check", "--format", "github", timeout=120),
               run_explainer(root, "build", timeout=300)]
    for result in results:
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
    return [r.stdout + r.stderr for r in results]


def _assert_secret_kept(root: Path, outputs: list[str]) -> None:
    for text in outputs:
        assert MARKER not in text and "AUTHORIZATION" not in text, text
    site = root / "site"
    if site.exists():
        for path in site.rglob("*"):
            if path.is_file():
                assert MARKER.encode() not in path.read_bytes(), path


def _project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project")
    make_chart_project(root, GROUPED, files={
        "content/explainers/venezuela-deportation-flights.yaml": None})
    return root


@pytest.mark.slow
def test_a_csv_linked_to_a_file_outside_the_project_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path)
    secret = _secret_file(tmp_path / "elsewhere")
    csv = root / "content/data/permits.csv"
    csv.unlink()
    csv.symlink_to(secret)
    outputs = _outputs(root)
    assert (f"{CSV_AT}3: error: chart 'grouped_chart': data file content/data/permits.csv is a "
            "link to a file outside content/data/: content files must be real files in the "
            "project; replace the link with the file itself") in outputs[0]
    _assert_secret_kept(root, outputs)


@pytest.mark.slow
def test_a_csv_linked_to_the_checkouts_git_config_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path)
    secret = _secret_file(root / ".git")  # inside the project, outside content/data/
    csv = root / "content/data/permits.csv"
    csv.unlink()
    csv.symlink_to(os.path.relpath(secret, csv.parent))
    outputs = _outputs(root)
    assert "data file content/data/permits.csv is a link to a file outside content/data/" \
        in outputs[0]
    assert "::error file=charts/grouped_chart.yaml,line=6,col=3," in outputs[1]
    _assert_secret_kept(root, outputs)


@pytest.mark.slow
def test_a_yaml_file_linked_out_of_the_project_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path)
    secret = tmp_path / "elsewhere" / "facts.yaml"
    secret.parent.mkdir()
    secret.write_text(textwrap.dedent(f"""\
        facts:
          - id: leaked
            statement: "{SECRET}"
            type: count
            value: 1
            as_of: "2022"
            sources: [city_report]
        """), encoding="utf-8")
    (root / "content/facts/leak.yaml").symlink_to(secret)
    outputs = _outputs(root)
    assert ("content/facts/leak.yaml:1:1: error: content/facts/leak.yaml is a link to a file "
            "outside content/: content files must be real files in the project; replace the "
            "link with the file itself") in outputs[0]
    _assert_secret_kept(root, outputs)


def test_a_link_inside_its_own_folder_is_followed(tmp_path: Path) -> None:
    root = make_chart_project(tmp_path, GROUPED)
    (root / "content/data/latest.csv").symlink_to("permits.csv")
    chart = root / "charts/grouped_chart.yaml"
    chart.write_text(chart.read_text("utf-8").replace("permits.csv", "latest.csv"), "utf-8")
    result = run_explainer(root, "check", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("where", ["content/facts/pipe.yaml", "content/data/permits.csv"])
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path, where: str) -> None:
    root = make_chart_project(tmp_path, GROUPED)
    pipe = root / where
    if pipe.exists():
        pipe.unlink()
    os.mkfifo(pipe)
    # The timeout only keeps a regression from hanging the suite; it asserts nothing.
    result = run_explainer(root, "check", timeout=60)
    assert result.returncode == 1
    if where.endswith(".yaml"):
        expected = (f"{where}:1:1: error: {where} is not a regular file (a named pipe): "
                    "content files must be plain files")
    else:
        expected = (f"{CSV_AT}3: error: chart 'grouped_chart': data file {where} is not a "
                    "regular file (a named pipe): content files must be plain files")
    assert expected in result.stdout.splitlines()


@pytest.mark.parametrize(("csv", "message"), [
    ("/etc/passwd.csv", "is not valid"),
    ("../facts/main.csv", "is not valid"),
    ("a//b.csv", "is not valid"),
])
def test_data_paths_stay_inside_content_data(tmp_path: Path, csv: str, message: str) -> None:
    root = make_chart_project(tmp_path, GROUPED)
    chart = root / "charts/grouped_chart.yaml"
    chart.write_text(chart.read_text("utf-8").replace("csv: permits.csv", f"csv: {csv}"),
                     "utf-8")
    result = run_explainer(root, "check", timeout=120)
    assert result.returncode == 1
    line = next(x for x in result.stdout.splitlines() if x.startswith(CSV_AT))
    assert message in line, line


def test_the_name_rule_refuses_what_the_schema_might_let_through() -> None:
    from generator.load.paths import UnsafePath, check_name

    for name in ("/etc/x.csv", "../x.csv", "a/../../x.csv", "a//x.csv", "./x.csv", "a\\x.csv",
                 ""):
        with pytest.raises(UnsafePath):
            check_name(name)
    assert str(check_name("prices/2023.csv")) == "prices/2023.csv"


def test_file_names_with_terminal_escapes_are_shown_escaped(tmp_path: Path) -> None:
    root = make_chart_project(tmp_path, GROUPED)
    (root / "content/facts/a\x1b[2Jb.yaml").write_text("facts: [1]\n", encoding="utf-8")
    for args in (("check",), ("check", "--format", "github"), ("build",)):
        result = run_explainer(root, *args, timeout=120)
        assert result.returncode == 1
        shown = result.stdout + result.stderr
        assert "\x1b" not in shown
        assert "content/facts/a\\x1b[2Jb.yaml" in shown, shown
