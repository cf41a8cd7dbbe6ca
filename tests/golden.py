"""Golden Markdown of the seed explainer: template changes show up as reviewable diffs.

Regenerate after an intended change with ``make golden`` (``python -m tests.golden``) and review
``git diff tests/golden``. Chart blocks are replaced by a placeholder so the file covers only the
page rendering (charts have their own tests).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
SLUGS = ("venezuela-deportation-flights",)


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
                                  chart_blocks=blocks, change_note="")
    assert isinstance(page.content, str)
    return page.content


def golden_path(slug: str) -> Path:
    return GOLDEN_DIR / f"{slug}.md"


def main() -> int:
    GOLDEN_DIR.mkdir(exist_ok=True)
    for slug in SLUGS:
        path = golden_path(slug)
        path.write_text(generated_markdown(slug), encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
