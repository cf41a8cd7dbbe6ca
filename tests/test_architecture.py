"""Stages only look down: load <- resolve <- check <- render (pages, charts, data) <- adapters
<- publish <- commands <- cli (issue 10). Leaf modules (errors, forks, limits, suggest) sit
below all. And only the adapters import the site engine (MkDocs or ProperDocs)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "generator"
LAYERS = {
    # Leaves: the error vocabulary, the limits, did-you-mean, the version, the JSON Schemas.
    "errors": 0, "forks": 0, "limits": 0, "suggest": 0, "__init__": 0, "schemas": 0,
    "load": 1,
    "resolve": 2,
    "check": 3,
    "render": 4, "charts": 4,
    "adapters": 5,
    "publish": 6,
    "scaffold": 7, "commands": 7,
    "cli": 8, "__main__": 8,
}
ENGINES = ("mkdocs", "properdocs", "material", "mike")


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports() -> list[tuple[str, str]]:
    """(importing module, imported module) for every import in the package, function-local
    imports included."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((module, node.module))
                if node.module == "generator":  # `from generator import x`: x if a module
                    found += [(module, f"generator.{a.name}") for a in node.names
                              if (PACKAGE / a.name).is_dir()
                              or (PACKAGE / f"{a.name}.py").is_file()]
            elif isinstance(node, ast.Import):
                found += [(module, a.name) for a in node.names]
    return found


def test_every_stage_is_known() -> None:
    stages = {p.stem if p.parent == PACKAGE else p.parent.name for p in PACKAGE.rglob("*.py")
              if "vendor" not in p.parts}
    assert stages <= set(LAYERS), stages - set(LAYERS)


def test_stages_only_import_downward() -> None:
    upward = []
    for source, target in _imports():
        if not target.startswith("generator."):
            continue
        src, dst = LAYERS[_stage(source)], LAYERS[_stage(target)]
        if dst > src:
            upward.append(f"{source} imports {target}")
    assert upward == []


def test_only_the_adapters_import_the_site_engine() -> None:
    leaks = [f"{source} imports {target}" for source, target in _imports()
             if target.split(".")[0] in ENGINES and _stage(source) != "adapters"]
    assert leaks == []


def test_the_check_catches_an_upward_import(tmp_path: Path, monkeypatch) -> None:
    """The test itself can fail: a load module importing render is reported."""
    fake = tmp_path / "generator" / "load"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("from generator.render.pages import environment\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "generator")
    try:
        test_stages_only_import_downward()
    except AssertionError as exc:
        assert "generator.load.bad imports generator.render.pages" in str(exc)
    else:
        raise AssertionError("an upward import went unnoticed")
