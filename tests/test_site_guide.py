"""The writer's guide's YAML examples pass `explainer check --strict` and build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO, run_explainer

BLOCK = re.compile(r"```yaml\n(# file: (\S+)\n.*?)```", re.S)


def guide_examples() -> dict[str, str]:
    return {path: body for body, path in BLOCK.findall((REPO / "docs" / "guide.md").read_text())}


def test_guide_has_examples_of_every_kind() -> None:
    paths = guide_examples()
    assert any(p.startswith("content/sources/") for p in paths)
    assert any(p.startswith("content/facts/") for p in paths)
    assert any(p.startswith("content/explainers/") for p in paths)


@pytest.mark.slow
def test_guide_examples_pass_check_and_build(tmp_path: Path) -> None:
    for path, body in guide_examples().items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, "utf-8")
    result = run_explainer(tmp_path, "check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    (tmp_path / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text())
    (tmp_path / "docs").mkdir()
    result = run_explainer(tmp_path, "build")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "guide-example-rents" / "index.html").read_text("utf-8")
    for shown in ("62%", "about 744,000", "$1,850", "Oct. 2, 2024", "union's Rent 2024 leaflet",
                  "Publisher not known&#58; the leaflet does not say who printed it"):
        assert shown in page, shown
    # The linking example: relative links both ways, whatever the site's address.
    page = (tmp_path / "site" / "guide-example-rents-follow-up" / "index.html").read_text("utf-8")
    assert 'href="../guide-example-rents/"' in page
    assert 'href="../facts/#median_rent_2024"' in page
    earlier = (tmp_path / "site" / "guide-example-rents" / "index.html").read_text("utf-8")
    assert 'href="../guide-example-rents-follow-up/"' in earlier
