"""The code-versus-content boundary, as attacks: a writer's template that reaches for Python
internals, a mkdocs.yml whose site_dir or docs_dir points outside the project, and a build
stopped by a signal. Each runs the real command line on a copy of the example project."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_project, run_explainer

# The classic Jinja escape: from a default global to the os module, then a shell command.
ESCAPE = "{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_a_template_override_cannot_run_a_command(project: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "tag.md.j2").write_text(
        "# {{ tag }}\n\n" + ESCAPE.format(marker=marker) + "\n", encoding="utf-8")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("previous site", encoding="utf-8")

    result = run_explainer(project, "build")

    assert result.returncode == 1, result.stderr
    assert not marker.exists()  # the command never ran
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "explainer: error: templates/tag.md.j2:3: the template reaches for something "
        "templates may not use (access to attribute '__init__' of 'type' object is unsafe); "
        "nothing was built\n")
    assert "hint: templates run sandboxed" in result.stderr
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "previous site"


def test_a_template_with_a_syntax_error_names_its_file_and_line(project: Path) -> None:
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "tags.md.j2").write_text("# Tags\n\n{% if %}\n", encoding="utf-8")

    result = run_explainer(project, "build")

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "explainer: error: templates/tags.md.j2:3: the template is not valid Jinja")
