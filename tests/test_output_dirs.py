"""An output folder can never hold the project (issue 14): ``explainer build --site-dir .``
once swapped the project folder for the site and deleted content/ and .git/."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import copy_project, explainer_build_env, run_explainer

HINT = ("  hint: choose a folder outside content, charts, docs, templates, generator and .git, "
        "and not above the project (the default is site/)\n")


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "work" / "project")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return root


@pytest.mark.parametrize(("arg", "problem"), [
    (".", "is the project folder itself"),
    ("..", "contains the project folder"),
    ("content", "lies inside the project's content/ folder"),
    ("content/x", "lies inside the project's content/ folder"),
    ("charts", "lies inside the project's charts/ folder"),
    ("docs/site", "lies inside the project's docs/ folder"),
    (".git", "lies inside the project's .git/ folder"),
])
@pytest.mark.parametrize("option", ["--site-dir", "--keep-markdown"])
def test_build_refuses_an_output_folder_that_holds_the_project(
        project: Path, option: str, arg: str, problem: str) -> None:
    before = _tree(project)
    result = run_explainer(project, "build", option, arg)
    assert result.returncode == 2
    assert result.stderr == f"explainer: error: {option} {arg} {problem}\n{HINT}"
    assert result.stdout == ""
    assert _tree(project) == before  # nothing written, nothing deleted
    assert not (project / "site").exists()


def test_a_linked_site_folder_pointing_into_the_project_is_refused(project: Path) -> None:
    (project.parent / "out").symlink_to(project / "content")
    before = _tree(project)
    result = run_explainer(project, "build", "--site-dir", str(project.parent / "out"))
    assert result.returncode == 2
    assert "lies inside the project's content/ folder" in result.stderr
    assert _tree(project) == before


def test_mkdocs_build_refuses_a_site_dir_from_the_environment(project: Path) -> None:
    """mkdocs.yml reads EXPLAINER_SITE_DIR; a plain `mkdocs build` (or mike) would empty it."""
    before = _tree(project)
    env = explainer_build_env(EXPLAINER_SITE_DIR=str(project / "content"))
    result = subprocess.run([str(Path(os.sys.executable).parent / "mkdocs"), "build"],
                            cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "lies inside the project's content/ folder" in result.stdout + result.stderr
    assert _tree(project) == before


@pytest.mark.slow
def test_an_output_folder_beside_the_project_is_fine(project: Path) -> None:
    out = project.parent / "published"
    result = run_explainer(project, "build", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file()
    assert (project / "content").is_dir() and (project / ".git" / "HEAD").is_file()
