"""A pull request of YAML and CSV cannot make check or build read a file outside the project.

Written as the attack (issue 9): content files and chart data that are links to a file holding a
secret (outside the project, or the checkout's own .git/config, where CI keeps its token), pipes
that would block a reader, and data paths that climb out of content/data/. Each is refused at
path:line:col, the secret appears in no output (text, GitHub annotations, the built site), and
nothing hangs.
"""

from __future__ import annotations

import os
import shutil
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


@pytest.mark.slow
def test_a_data_folder_linked_out_of_the_project_is_refused(tmp_path: Path) -> None:
    """Not the file but its folder is the link: content/data -> a folder of secrets."""
    root = _project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    _secret_file(elsewhere, "permits.csv")
    shutil.rmtree(root / "content/data")
    (root / "content/data").symlink_to(elsewhere)
    outputs = _outputs(root)
    lines = outputs[0].splitlines()
    assert ("content/data:1:1: error: content/data/ is a link to another folder: the folders "
            "the site is built from must be real folders in the project; replace the link with "
            "the folder itself") in lines
    assert (f"{CSV_AT}3: error: chart 'grouped_chart': data file content/data/permits.csv is in "
            "content/data/, which is a link to another folder: content folders must be real "
            "folders in the project; replace the link with the folder itself") in lines
    _assert_secret_kept(root, outputs)


@pytest.mark.slow
def test_a_facts_folder_linked_out_of_the_project_is_not_read(tmp_path: Path) -> None:
    root = _project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "leak.yaml").write_text(f'facts: "{SECRET}"\n', encoding="utf-8")
    shutil.rmtree(root / "content/facts")
    (root / "content/facts").symlink_to(elsewhere)
    outputs = _outputs(root)
    assert ("content/facts:1:1: error: content/facts/ is a link to another folder: the folders "
            "the site is built from must be real folders in the project; replace the link with "
            "the folder itself") in outputs[0].splitlines()
    _assert_secret_kept(root, outputs)


@pytest.mark.slow
def test_a_hand_written_page_linked_to_the_git_config_is_refused(tmp_path: Path) -> None:
    """MkDocs copies what docs/ links to into the site: check refuses the link, so build does."""
    root = copy_project(tmp_path / "project")
    secret = _secret_file(root / ".git")
    (root / "docs/notes.md").symlink_to(os.path.relpath(secret, root / "docs"))
    (root / "docs/more").symlink_to(secret.parent)  # a folder link out of docs/
    outputs = _outputs(root)
    lines = outputs[0].splitlines()
    for name in ("docs/more", "docs/notes.md"):
        assert (f"{name}:1:1: error: {name} is a link to a file outside docs/: files the site "
                "is built from must be real files in the project; replace the link with the "
                "file itself") in lines
    assert ("::error file=docs/notes.md,line=1,col=1,title=explainer unsafe-file::docs/notes.md "
            "is a link to a file outside docs/: files the site is built from must be real files "
            "in the project; replace the link with the file itself") in outputs[1].splitlines()
    _assert_secret_kept(root, outputs)


def test_a_link_between_hand_written_pages_is_followed(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "docs/guide-again.md").symlink_to("guide.md")
    result = run_explainer(root, "check", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_named_pipe_among_the_hand_written_pages_is_refused(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    os.mkfifo(root / "docs/pipe.md")
    result = run_explainer(root, "check", timeout=60)  # a safety net, not a speed assertion
    assert result.returncode == 1
    assert ("docs/pipe.md:1:1: error: docs/pipe.md is not a regular file (a named pipe): files "
            "the site is built from must be plain files") in result.stdout.splitlines()


ODD = "a%,:\x1b[2J\rb.yaml"  # every character GitHub annotations or terminals care about


def test_an_odd_file_name_is_escaped_in_both_formats_exactly(tmp_path: Path) -> None:
    root = make_chart_project(tmp_path, GROUPED)
    os.mkfifo(root / "content/facts" / ODD)  # a refusal whose message is ours, name and all
    shown = "content/facts/a%,:\\x1b[2J\\rb.yaml"
    text = run_explainer(root, "check", timeout=60)
    assert text.returncode == 1
    assert (f"{shown}:1:1: error: {shown} is not a regular file (a named pipe): content files "
            "must be plain files") in text.stdout.splitlines()
    github = run_explainer(root, "check", "--format", "github", timeout=60)
    assert github.returncode == 1
    assert ("::error file=content/facts/a%25%2C%3A\\x1b[2J\\rb.yaml,line=1,col=1,"
            "title=explainer unsafe-file::content/facts/a%25,:\\x1b[2J\\rb.yaml is not a regular "
            "file (a named pipe): content files must be plain files") in github.stdout.splitlines()
    for result in (text, github):
        assert "\x1b" not in result.stdout + result.stderr
        assert "\r" not in result.stdout + result.stderr


def test_github_annotations_escape_properties_and_messages() -> None:
    from generator.errors import Diagnostic, Severity

    d = Diagnostic("content/a,b:c%d\n.yaml", 3, 7, Severity.WARNING, "50% off, x: y", "x,y:z")
    assert d.format_github() == ("::warning file=content/a%2Cb%3Ac%25d\\n.yaml,line=3,col=7,"
                                 "title=explainer x%2Cy%3Az::50%25 off, x: y")
    assert d.format() == "content/a,b:c%d\\n.yaml:3:7: warning: 50% off, x: y"


def test_a_long_hostile_cell_is_quoted_as_a_short_escaped_excerpt(tmp_path: Path) -> None:
    root = make_chart_project(tmp_path, GROUPED)
    csv = root / "content/data/permits.csv"
    lines = csv.read_text("utf-8").splitlines()
    cell = "\x1b]0;pwned\x07" + "x" * 500
    first = lines[1].split(",")
    lines[1] = ",".join([first[0], cell, *first[2:]])
    csv.write_text("\n".join(lines) + "\n", "utf-8")
    result = run_explainer(root, "check", timeout=120)
    assert result.returncode == 1
    quoted = "\\x1b]0;pwned\\x07" + "x" * 43 + "…"  # 60 characters in all
    assert len(quoted) == 60
    line = next(x for x in result.stdout.splitlines() if "is not a plain number" in x)
    assert line == (f"content/data/permits.csv:2:{len(first[0]) + 2}: error: '{quoted}' in column "
                    f"'{lines[0].split(',')[1]}' is not a plain number (write 1234.5: no thousands "
                    "separators, units or % signs)")
    assert "x" * 61 not in result.stdout + result.stderr


def test_no_message_carries_more_than_the_cap() -> None:
    from generator.errors import MAX_MESSAGE_CHARS, Diagnostics

    found = Diagnostics()
    found.error("content/facts/x.yaml", 1, 1, "unknown fact '" + "s" * 5000 + "'")
    (message,) = [d.message for d in found]
    assert len(message) == MAX_MESSAGE_CHARS and message.endswith("s…")


def test_contained_path_refuses_links_and_escapes(tmp_path: Path) -> None:
    """The helper for files the build writes inside the project (caches): every part of the
    way down must be a real folder."""
    from generator.load.paths import UnsafePath, contained_path

    root = tmp_path / "project"
    (root / ".cache" / "svg").mkdir(parents=True)
    assert contained_path(root, Path(".cache/svg/a.svg")) == root.resolve() / ".cache/svg/a.svg"
    assert contained_path(root, root / ".cache") == root.resolve() / ".cache"
    (root / "linked").symlink_to(tmp_path)
    cases = {
        Path("linked/a.svg"): "goes through a link (linked): remove the link",
        Path("../elsewhere"): "contains '..': name it relative to the project, without '..'",
        tmp_path / "elsewhere": "lies outside the project: keep it inside the project folder",
    }
    for path, reason in cases.items():
        with pytest.raises(UnsafePath) as caught:
            contained_path(root, path)
        assert caught.value.reason == reason
    (root / ".cache" / "svg" / "x.svg").symlink_to(tmp_path / "target.svg")
    with pytest.raises(UnsafePath, match="goes through a link"):
        contained_path(root, Path(".cache/svg/x.svg"))


def test_safe_file_with_root_refuses_a_linked_folder(tmp_path: Path) -> None:
    from generator.load.paths import UnsafePath, safe_file

    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.csv").write_text("x,y\n")
    (root / "content" / "data").symlink_to(outside)
    folder = root / "content" / "data"
    assert safe_file(folder, folder / "a.csv") == outside.resolve() / "a.csv"  # without root
    with pytest.raises(UnsafePath, match="which is a link to another folder"):
        safe_file(folder, folder / "a.csv", root=root)
