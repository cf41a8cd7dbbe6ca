"""The code-versus-content boundary, as attacks: a writer's template that reaches for Python
internals, a mkdocs.yml whose site_dir or docs_dir points outside the project, and a build
stopped by a signal. Each runs the real command line on a copy of the example project."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_project, explainer_build_env, run_explainer

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


def _name_in_config(project: Path, key: str, value: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line
             for line in text.splitlines()]
    assert lines != text.splitlines()
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _victim(tmp_path: Path) -> Path:
    """A folder outside the project a build must never empty, e.g. the drawn-pictures cache."""
    victim = tmp_path / "cache" / "svg"
    victim.mkdir(parents=True)
    (victim / "kept.svg").write_text("<svg/>", encoding="utf-8")
    return victim


SITE_DIR_FIX = ("name a folder inside the project (the default is `site_dir: !ENV "
                "[EXPLAINER_SITE_DIR, site]`); to build somewhere else, choose it when you run "
                "the build: `explainer build --site-dir DIR` or EXPLAINER_SITE_DIR=DIR")


def test_a_site_dir_outside_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    _name_in_config(project, "site_dir", str(victim))

    result = run_explainer(project, "build")

    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(
        f"explainer: error: mkdocs.yml: site_dir '{victim}' lies outside the project: "
        f"{SITE_DIR_FIX}\n  hint: nothing was built")
    assert "Traceback" not in result.stderr
    assert [p.name for p in victim.iterdir()] == ["kept.svg"]
    assert not (project / "site").exists()

    # A plain `mkdocs build` (what mike runs) is refused by the plugin before it empties it.
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project,
                           capture_output=True, text=True, timeout=300,
                           env=explainer_build_env())
    assert plain.returncode == 1
    assert f"mkdocs.yml: site_dir '{victim}' lies outside the project" in plain.stderr
    assert [p.name for p in victim.iterdir()] == ["kept.svg"]


@pytest.mark.parametrize("value", ["!ENV [HOME]", "!relative $config_dir/../cache/svg",
                                   "!ENV [EXPLAINER_SITE_DIR, ../cache/svg]"])
def test_a_site_dir_reaching_outside_through_a_tag_is_refused(
        project: Path, tmp_path: Path, value: str) -> None:
    victim = _victim(tmp_path)
    _name_in_config(project, "site_dir", value)

    result = run_explainer(project, "build", HOME=str(victim))

    assert result.returncode == 2, result.stderr
    assert "lies outside the project" in result.stderr.splitlines()[0]
    assert [p.name for p in victim.iterdir()] == ["kept.svg"]


def test_a_site_folder_the_operator_chooses_may_lie_outside(project: Path,
                                                            tmp_path: Path) -> None:
    """EXPLAINER_SITE_DIR (what `explainer deploy` sets to its own temporary folder) and
    `mkdocs build -d` are chosen by whoever runs the build, not by mkdocs.yml."""
    out = tmp_path / "elsewhere"
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project,
                           capture_output=True, text=True, timeout=300,
                           env=explainer_build_env(EXPLAINER_SITE_DIR=str(out)))
    assert plain.returncode == 0, plain.stderr
    assert (out / "index.html").is_file()


@pytest.mark.parametrize("how", ["path", "link"])
def test_a_docs_dir_outside_the_project_is_refused(project: Path, tmp_path: Path,
                                                   how: str) -> None:
    secrets = tmp_path / "home"
    secrets.mkdir()
    (secrets / "index.md").write_text("# private notes\n", encoding="utf-8")
    if how == "path":
        _name_in_config(project, "docs_dir", str(secrets))
        named = str(secrets)
    else:
        shutil.rmtree(project / "docs")
        (project / "docs").symlink_to(secrets)
        named = "docs"

    result = run_explainer(project, "build")

    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(
        f"explainer: error: mkdocs.yml: docs_dir '{named}' lies outside the project: name a "
        "folder inside the project (the default is `docs_dir: docs`), a real folder, not a link "
        "to one elsewhere\n")
    assert not (project / "site").exists()


def test_deploy_refuses_a_site_dir_outside_the_project(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    from generator import cli
    from tests import deploykit

    env = deploykit.use_git_env(monkeypatch, tmp_path / "home")
    root = deploykit.copy_project(tmp_path / "repo")
    victim = _victim(tmp_path)
    _name_in_config(root, "site_dir", str(victim))
    deploykit.init_repo(root, env)
    deploykit.commit_all(root, "project", env)

    code = cli.main(["deploy", "--root", str(root), "1.0"])

    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith(f"explainer: error: mkdocs.yml: site_dir '{victim}' lies outside "
                          "the project")
    assert [p.name for p in victim.iterdir()] == ["kept.svg"]
    assert deploykit.git(root, "branch", "--list", "gh-pages", env=env) == ""
