"""The writer's guide's YAML examples pass `explainer check --strict` and build."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.conftest import REPO, run_explainer

BLOCK = re.compile(r"```(yaml|csv)\n(# file: (\S+)\n(.*?))```", re.S)


def guide_examples() -> dict[str, str]:
    """Path -> text of each `# file:` block (a CSV file without its `# file:` line)."""
    return {path: body if kind == "csv" else whole
            for kind, whole, path, body in BLOCK.findall(
                (REPO / "docs" / "guide.md").read_text())}


def test_guide_has_examples_of_every_kind() -> None:
    paths = guide_examples()
    assert any(p.startswith("content/sources/") for p in paths)
    assert any(p.startswith("content/facts/") for p in paths)
    assert any(p.startswith("content/explainers/") for p in paths)


def test_guide_has_an_example_of_every_chart_type() -> None:
    from generator.load.schema import schema

    kinds = {re.search(r"^type: (\S+)$", body, re.M).group(1)  # type: ignore[union-attr]
             for path, body in guide_examples().items() if path.startswith("charts/")}
    assert kinds == set(schema("chart")["properties"]["type"]["enum"])
    assert any("flashback:" in body for body in guide_examples().values())


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
    # Read as the reader does: entity-encoded or not (the two Markdown converters differ).
    page = html.unescape(
        (tmp_path / "site" / "guide-example-rents" / "index.html").read_text("utf-8"))
    for shown in ("62%", "about 744,000", "$1,850", "Oct. 2, 2024", "union's Rent 2024 leaflet",
                  "Publisher not known: the leaflet does not say who printed it"):
        assert shown in page, shown
    charts = (tmp_path / "site" / "guide-example-charts" / "index.html").read_text("utf-8")
    types = set(re.findall(r'<figure class="explainer-chart"[^>]* data-type="([a-z_]+)"', charts))
    assert types == {re.search(r"^type: (\S+)$", body, re.M).group(1)  # type: ignore[union-attr]
                     for path, body in guide_examples().items() if path.startswith("charts/")}
    # The Flashback, in date order with AP dates; the timeline's alt text lists the same events.
    assert charts.index("<strong>March 12, 2024:</strong>") < charts.index(
        "<strong>July 1, 2024:</strong>")
    assert ("Timeline: From the vote to the report in seven months. March 12, 2024: Council votes "
            "to cap rent rises; July 1, 2024: The rent cap took effect; Oct. 2, 2024: The city "
            "reports on rents.") in charts
    # The linking example: relative links both ways, whatever the site's address.
    page = (tmp_path / "site" / "guide-example-rents-follow-up" / "index.html").read_text("utf-8")
    assert 'href="../guide-example-rents/"' in page
    assert 'href="../facts/#median_rent_2024"' in page
    earlier = (tmp_path / "site" / "guide-example-rents" / "index.html").read_text("utf-8")
    assert 'href="../guide-example-rents-follow-up/"' in earlier
