"""Both site engines: ProperDocs (the default) and MkDocs 1.6.1 build the same site.

Each engine runs in its own subprocess (the choice is per process, see
generator/adapters/engine.py): ``explainer build``, ``explainer --version`` and a mike deploy.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import copy_project, run_explainer
from tests.deploykit import commit_all, explainer_cli, git, git_env, init_repo
from tests.deploykit import copy_project as copy_repo

pytestmark = [pytest.mark.slow]

GENERATOR = re.compile(r'<meta name="generator" content="([^"]*)">')
STAMP = re.compile(rb'"generated": ?"[^"]*"')
LABELS = {"properdocs": "mkdocs-ProperDocs 1.6.7", "mkdocs": "mkdocs-1.6.1"}


def _build(tmp: Path, engine: str) -> Path:
    root = copy_project(tmp / engine)
    result = run_explainer(root, "build", EXPLAINER_ENGINE=engine)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def _normalised(site: Path) -> dict[str, bytes]:
    """Every file, with the two things that may differ (engine stamp, build time) blanked."""
    out = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        data = re.sub(rb'<meta name="generator" content="[^"]*">', b"", data)
        out[str(path.relative_to(site))] = STAMP.sub(b"", data)
    return out


def test_both_engines_build_the_same_site(tmp_path: Path) -> None:
    sites = {engine: _build(tmp_path, engine) for engine in LABELS}
    for engine, site in sites.items():
        stamp = GENERATOR.search((site / "index.html").read_text("utf-8"))
        assert stamp and stamp.group(1).startswith(LABELS[engine] + ","), stamp
    proper, mkdocs = (_normalised(sites[e]) for e in LABELS)
    assert proper.keys() == mkdocs.keys()
    differing = [name for name in proper if proper[name] != mkdocs[name]]
    assert differing == []


@pytest.mark.parametrize(("engine", "shown"), [
    (None, "engine ProperDocs 1.6.7 (EXPLAINER_ENGINE=properdocs)"),
    ("properdocs", "engine ProperDocs 1.6.7 (EXPLAINER_ENGINE=properdocs)"),
    ("mkdocs", "engine MkDocs 1.6.1 (EXPLAINER_ENGINE=mkdocs)"),
])
def test_version_names_the_engine_and_theme(tmp_path: Path, engine: str | None,
                                            shown: str) -> None:
    env = git_env(tmp_path)
    env.pop("EXPLAINER_ENGINE", None)
    if engine:
        env["EXPLAINER_ENGINE"] = engine
    result = explainer_cli(tmp_path, "--version", env=env)
    assert result.returncode == 0
    assert result.stdout == (f"explainer 0.1.0\n{shown}, mkdocs-material 9.8.1, "
                             "mike 2.2.0\n")


def test_an_unknown_engine_is_a_usage_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    result = run_explainer(root, "build", EXPLAINER_ENGINE="hugo")
    assert result.returncode == 2
    assert result.stderr == ("explainer: error: EXPLAINER_ENGINE='hugo' is not a site engine\n"
                             "  hint: set EXPLAINER_ENGINE to one of: properdocs, mkdocs "
                             "(or leave it unset for properdocs)\n")
    assert not (root / "site").exists()


@pytest.mark.xdist_group("deploy_engines")
def test_deploy_builds_with_the_chosen_engine(tmp_path: Path) -> None:
    env = git_env(tmp_path / "home")
    root = copy_repo(tmp_path / "project")
    init_repo(root, env)
    commit_all(root, "site", env)
    for version, engine in (("1.0", "properdocs"), ("dev", "mkdocs")):
        result = explainer_cli(root, "deploy", version, env={**env, "EXPLAINER_ENGINE": engine})
        assert result.returncode == 0, result.stderr
        # The search page is always the edition's own (dev's other pages, unchanged since 1.0,
        # are redirects to 1.0's: generator/publish/record.py).
        page = git(root, "show", f"gh-pages:{version}/search/index.html", env=env)
        stamp = GENERATOR.search(page)
        assert stamp and stamp.group(1).startswith(LABELS[engine] + ","), stamp
        log = git(root, "log", "--format=%s", "gh-pages", env=env).splitlines()
        deployed = next(line for line in log if line.startswith("Deployed"))
        brand = {"properdocs": "ProperDocs 1.6.7", "mkdocs": "MkDocs 1.6.1"}[engine]
        assert f"to {version} with {brand} and explainer deploy" in deployed, deployed
