"""The code-versus-content boundary, as attacks: a writer's template that reaches for Python
internals, a mkdocs.yml whose site_dir or docs_dir points outside the project, and a build
stopped by a signal. Each runs the real command line on a copy of the example project."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
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


# -- a build stopped by a signal ---------------------------------------------------------------


def _processes() -> dict[int, tuple[int, str]]:
    """Every process: pid -> (parent pid, state), from /proc."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path("/proc", entry, "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            found[int(entry)] = (int(fields[1]), fields[0])
    return found


def _descendants(pid: int) -> set[int]:
    table = _processes()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, (parent, state) in table.items()
                    if parent in frontier and state != "Z"}
        found |= frontier
    return found


def _running(pids: set[int]) -> set[int]:
    table = _processes()
    return {p for p in pids if p in table and table[p][1] != "Z"}


@pytest.fixture(scope="module")
def big_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 explainers: long enough a build that it has a child and a temporary folder."""
    from bench import sites

    root = sites.make_root(tmp_path_factory.mktemp("stopped") / "project", 60)
    sites.cards_off(root)
    return root


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "status", "name"), [(signal.SIGTERM, 143, "SIGTERM"),
                                                        (signal.SIGINT, 130, "SIGINT")])
def test_a_stopped_build_leaves_no_process_and_no_folder(
        big_project: Path, tmp_path: Path, signum: int, status: int, name: str) -> None:
    site = big_project / "site"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    # A cache of its own: the charts are drawn (a browser runs) while the build is stopped.
    env = explainer_build_env(EXPLAINER_CACHE_DIR=str(tmp_path / "cache"))
    build = subprocess.Popen([sys.executable, "-m", "generator", "build", "--root",
                              str(big_project)], cwd=big_project, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Mid-build: the temporary folder exists and the build's child has processes of its
        # own (the process sharing the pages, or the browser drawing the charts).
        seen: set[int] = set()
        while build.poll() is None:
            seen = _descendants(build.pid)
            if len(seen) >= 2 and list(big_project.glob(".site-building-*")):
                break
        assert build.poll() is None, "the build ended before it could be stopped"
        build.send_signal(signum)
        _, err = build.communicate(timeout=120)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()

    assert build.returncode == status, err
    assert err == (f"explainer: build stopped: nothing was published; the previous site is "
                   f"intact ({name})\n")
    # Nothing left: the parent reaps its child and kills the child's group whole (SIGKILL,
    # which the kernel delivers as each process is next scheduled: a moment to let it land).
    deadline = time.monotonic() + 30
    while _running(seen) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _running(seen) == set()
    assert list(big_project.glob(".site-*")) == []
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
