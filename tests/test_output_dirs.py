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


@pytest.mark.parametrize(("value", "problem"), [
    (".", "is the project folder itself"),
    ("..", "contains the project folder"),
    ("content", "lies inside the project's content/ folder"),
    ("content/x", "lies inside the project's content/ folder"),
    (".git/site", "lies inside the project's .git/ folder"),
])
def test_build_refuses_a_site_dir_from_the_environment(
        project: Path, value: str, problem: str) -> None:
    """`explainer build` reads EXPLAINER_SITE_DIR as mkdocs.yml does (relative to the project),
    and refuses it by name."""
    before = _tree(project)
    result = run_explainer(project, "build", EXPLAINER_SITE_DIR=value)
    assert result.returncode == 2
    assert result.stderr == f"explainer: error: EXPLAINER_SITE_DIR={value} {problem}\n{HINT}"
    assert result.stdout == ""
    assert _tree(project) == before
    assert not (project / "site").exists()


def test_the_project_given_by_its_full_path_is_refused(project: Path) -> None:
    before = _tree(project)
    result = run_explainer(project, "build", "--site-dir", str(project))
    assert result.returncode == 2
    assert result.stderr == (f"explainer: error: --site-dir {project} is the project folder "
                             f"itself\n{HINT}")
    assert _tree(project) == before


def test_a_linked_site_folder_is_refused_with_the_exact_message(project: Path) -> None:
    link = project.parent / "out"
    link.symlink_to(project)
    before = _tree(project)
    result = run_explainer(project, "build", "--site-dir", str(link))
    assert result.returncode == 2
    assert result.stderr == (f"explainer: error: --site-dir {link} is the project folder "
                             f"itself\n{HINT}")
    assert _tree(project) == before


def test_a_parent_repositorys_git_folder_is_refused(project: Path) -> None:
    """The project may be a folder of a bigger repository: its .git is above the project."""
    outer_git = project.parent / ".git"
    outer_git.mkdir()
    (outer_git / "HEAD").write_text("ref: refs/heads/main\n")
    result = run_explainer(project, "build", "--site-dir", "../.git/site")
    assert result.returncode == 2
    assert result.stderr == ("explainer: error: --site-dir ../.git/site lies inside a .git "
                             f"folder\n{HINT}")
    assert (outer_git / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert not (outer_git / "site").exists()


LINK_HINT = "  hint: delete the link site, or pass --site-dir DIR to build somewhere else\n"


@pytest.mark.parametrize("target", ["content", ".", "../elsewhere"])
def test_a_site_folder_committed_as_a_link_is_refused(project: Path, target: str) -> None:
    """A pull request can commit `site` as a link: the build replaces site/ whole, and would
    replace (and delete) whatever it points at."""
    elsewhere = project.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine\n")
    (project / "site").symlink_to(target)
    before = _tree(project)
    result = run_explainer(project, "build")
    assert result.returncode == 2
    assert result.stderr == ("explainer: error: site/ in the project is a link; the build "
                             "replaces site/ whole and will not follow a link to do so\n"
                             + LINK_HINT)
    assert _tree(project) == before
    assert (elsewhere / "keep.txt").read_text() == "mine\n"
    assert (project / "site").is_symlink()


def test_the_rule_itself() -> None:
    from generator.load.paths import output_dir_problem

    root = Path("/work/project")
    assert output_dir_problem(root, root / "site") is None
    assert output_dir_problem(root, Path("/work/published")) is None
    assert output_dir_problem(root, root / "templates" / "x") == \
        "lies inside the project's templates/ folder"
    assert output_dir_problem(root, root / "generator") == \
        "lies inside the project's generator/ folder"
    assert output_dir_problem(root, Path("/")) == "contains the project folder"


@pytest.mark.slow
def test_a_site_dir_from_the_environment_beside_the_project_is_used(project: Path) -> None:
    """...and its name, terminal escape and all, is printed escaped."""
    result = run_explainer(project, "build", EXPLAINER_SITE_DIR="../from\x1b[2Jenv")
    assert result.returncode == 0, result.stderr
    assert (project.parent / "from\x1b[2Jenv" / "index.html").is_file()
    assert not (project / "site").exists()
    assert result.stdout.startswith(f"built {project.parent}/from\\x1b[2Jenv: ")
    assert "\x1b" not in result.stdout + result.stderr
