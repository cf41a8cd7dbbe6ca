"""Social cards painted by an earlier build are read back from the cache folder
(generator/charts/cardcache.py): the same bytes as painting them, and a build paints only the
cards whose text changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synth import write_project
from generator.charts import card as card_module
from generator.charts.card import card_layout, card_text, paint, render_cards
from generator.charts.render import chart_datasets
from generator.check.run import check_project

COUNT = 6


@pytest.fixture
def project_root(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path / "cache"))
    return write_project(tmp_path / "project", COUNT)


def cards(root: Path) -> tuple[dict[str, bytes], int]:
    """Every card's bytes, and how many were painted."""
    project, diagnostics = check_project(root)
    assert not diagnostics.errors
    painted = []
    real = card_module.CardCache

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, root: Path) -> None:
            super().__init__(root)
            painted.append(self)

    card_module.CardCache = Counting  # type: ignore[misc]
    try:
        output = render_cards(project, site_name="Explainers")
    finally:
        card_module.CardCache = real  # type: ignore[misc]
    return {f.path: bytes(f.content) for f in output.files}, painted[0].painted


def painted_now(root: Path) -> dict[str, bytes]:
    """Every card painted, no cache."""
    project, _ = check_project(root)
    charts = chart_datasets(project)
    out = {}
    for slug, ex in project.explainers.items():
        text = card_text(project, ex, "Explainers", charts)
        out[f"cards/{slug}.png"] = paint(card_layout(
            text, charts.get(text.chart_id) if text.chart_id else None))
    return out


def test_cards_come_back_from_the_cache_as_painted(project_root, tmp_path):
    first, painted = cards(project_root)
    assert painted == COUNT
    again, painted = cards(project_root)
    assert painted == 0
    assert again == first == painted_now(project_root)
    assert len(list((tmp_path / "cache" / "cards").rglob("*.png"))) == COUNT

    # One headline changed: one card painted, and it is the new one.
    path = project_root / "content/explainers/topic-00002.yaml"
    path.write_text(path.read_text("utf-8").replace("Topic 2 explained", "Topic 2 retold"),
                    "utf-8")
    changed, painted = cards(project_root)
    assert painted == 1
    assert changed == painted_now(project_root)
    assert changed["cards/topic-00002.png"] != first["cards/topic-00002.png"]
    assert {k: v for k, v in changed.items() if k != "cards/topic-00002.png"} == \
        {k: v for k, v in first.items() if k != "cards/topic-00002.png"}


def test_a_cached_file_that_is_not_a_card_is_painted_again(project_root, tmp_path):
    first, _ = cards(project_root)
    for cached in (tmp_path / "cache" / "cards").rglob("*.png"):
        cached.write_bytes(b"<svg onload=alert(1)>")
    again, painted = cards(project_root)
    assert painted == COUNT and again == first
