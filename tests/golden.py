"""Golden files: template and data changes show up as reviewable diffs.

* ``tests/golden/<slug>.md``: the seed explainer's Markdown, chart blocks replaced by a
  placeholder (the page rendering alone);
* ``tests/golden/example-site/``: every page and data file the generator makes for the example site
  (pelican-style), charts and all, except the vendored plotly.js, the published JSON Schemas
  (copies of generator/schemas) and static chart pictures (made by Chromium). Built with a fixed
  SOURCE_DATE_EPOCH, so the tree is the same on every machine.

Regenerate after an intended change with ``make golden`` (``python -m tests.golden``) and review
``git diff tests/golden``.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
SITE_DIR = GOLDEN_DIR / "example-site"  # not "site/": .gitignore ignores those
SLUGS = ("venezuela-deportation-flights",)
EPOCH = "1700000000"  # 2023-11-14: any fixed time
SKIPPED = ("schemas/", "charts/plotly-")


def generated_markdown(slug: str, root: Path = REPO) -> str:
    from generator.check.run import check_project
    from generator.render import pages

    project, diagnostics = check_project(root)
    if diagnostics.errors:
        raise SystemExit("\n".join(d.format() for d in diagnostics.errors))
    explainer = project.explainers[slug]
    blocks = {cid: f'<div class="chart-placeholder">{cid}</div>'
              for s in explainer.sections for cid in s.chart_ids}
    page = pages.render_explainer(project, explainer, pages.environment(root),
                                  chart_blocks=blocks, updates_html="")
    assert isinstance(page.content, str)
    return page.content


def golden_path(slug: str) -> Path:
    return GOLDEN_DIR / f"{slug}.md"


def site_files(root: Path = REPO) -> dict[str, str]:
    """Every generated page and text data file of the example site, by site path."""
    import os

    from generator.check.run import check_project
    from generator.render.output import Edition
    from generator.render.site import generate_site

    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        project, diagnostics = check_project(root)
        if diagnostics.errors:
            raise SystemExit("\n".join(d.format() for d in diagnostics.errors))
        output = generate_site(project, edition=Edition(), static_charts=False)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    files = {}
    for generated in output.files:
        if generated.path.startswith(SKIPPED) or generated.path.endswith(".svg"):
            continue
        content = generated.content
        files[generated.path] = content if isinstance(content, str) else content.decode("utf-8")
    return files


def committed_site() -> dict[str, str]:
    return {p.relative_to(SITE_DIR).as_posix(): p.read_text("utf-8")
            for p in sorted(SITE_DIR.rglob("*")) if p.is_file()}


def main() -> int:
    GOLDEN_DIR.mkdir(exist_ok=True)
    for slug in SLUGS:
        path = golden_path(slug)
        path.write_text(generated_markdown(slug), encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")
    import shutil

    shutil.rmtree(SITE_DIR, ignore_errors=True)
    files = site_files()
    for rel, text in files.items():
        target = SITE_DIR / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files under {SITE_DIR.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
