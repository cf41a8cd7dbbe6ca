"""data/facts.json (an index of parts), facts.csv (the CSV parts listed) and the per-explainer
JSON of the built example site."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import jsonschema
import pytest

from generator.check.run import check_project
from generator.render import data
from tests.datakit import csv_rows, joined

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
SLUG = "venezuela-deportation-flights"


@pytest.fixture(scope="module")
def project():  # type: ignore[no-untyped-def]
    project, diagnostics = check_project(REPO)
    assert not diagnostics.errors
    return project


def load(site: Path, path: str) -> dict:
    return json.loads((site / path).read_text("utf-8"))


def validate(instance: dict, schema: dict) -> None:
    jsonschema.validate(instance, schema, format_checker=jsonschema.FormatChecker())


def test_facts_json_validates_against_published_schema(example_site: Path) -> None:
    schema = load(example_site, "schemas/facts-data.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    index = load(example_site, "data/facts.json")
    validate(index, schema)
    parts = [p["json"] for p in index["fact_parts"] + index["source_parts"]]
    assert parts and all((example_site / "data" / p).is_file() for p in parts)
    for part in parts:
        validate(load(example_site, f"data/{part}"), schema)


def test_explainer_json_validates(example_site: Path) -> None:
    schema = load(example_site, "schemas/explainer-data.schema.json")
    payload = load(example_site, f"data/explainers/{SLUG}.json")
    validate(payload, schema)
    assert payload["headline"].startswith("Biden administration")
    ids = {f["id"] for f in payload["facts"]}
    assert {"darien_crossings_2023", "venezuelan_darien_crossings_2023"} <= ids
    assert {s["id"] for s in payload["sources"]} >= {"seed_article", "panama_darien_statistics"}


def test_facts_json_round_trips_every_fact(example_site: Path, project) -> None:  # type: ignore[no-untyped-def]
    payload = joined(example_site)
    records = {f["id"]: f for f in payload["facts"]}
    assert set(records) == set(project.facts)
    for fid, fact in project.facts.items():
        record = records[fid]
        value = project.values[fid]
        expected = value.isoformat() if isinstance(value, dt.date) else value
        assert record["value"] == expected, fid
        for key in ("statement", "type", "unit", "currency", "qualifier", "as_of", "note"):
            assert record[key] == getattr(fact, key), (fid, key)
        if fact.derived:
            assert record["derived"]["formula"] == fact.derived.formula
            assert record["derived"]["stated"] == fact.derived.stated
            assert record["display"].startswith("about ")
        else:
            assert record["derived"] is None
            assert record["source_ids"] == fact.sources
        for source in record["sources"]:
            original = project.sources[source["id"]]
            assert source["title"] == original.title
            assert source["publisher"] == original.publisher
            assert source["url"] == original.url
            assert source["cited_in"] == original.cited_in
            published = original.published.isoformat() if original.published else None
            assert source["published"] == published
    assert {s["id"] for s in payload["sources"]} == set(project.sources)
    assert records["darien_crossings_2023"]["used_in"] == [SLUG]
    assert records["darien_crossings_2023"]["display"] == "334,000"
    assert records["venezuelan_border_crossings_aug_2023"]["display"] == "more than 31,000"


def test_facts_csv_matches_json(example_site: Path) -> None:
    payload = joined(example_site)
    rows = csv_rows(example_site)
    assert [r["id"] for r in rows] == [f["id"] for f in payload["facts"]]
    by_id = {r["id"]: r for r in rows}
    assert by_id["darien_crossings_2023"]["value"] == "334000"
    assert by_id["darien_crossings_2023"]["source_ids"] == "panama_darien_statistics"


def test_csv_cells_cannot_run_as_formulas() -> None:
    payload = {"facts": [{
        "id": "x", "statement": "=HYPERLINK(\"http://evil\")", "type": "number", "value": -5,
        "display": "-5", "unit": "+1", "currency": None, "qualifier": None, "as_of": None,
        "derived": None, "source_ids": ["s"], "sources": [{"title": "@SUM(A1)"}],
        "used_in": [], "note": "\tcmd"}]}
    row = next(csv.DictReader(io.StringIO(data.facts_csv(payload))))
    assert row["statement"].startswith("'=")
    assert row["display"] == "'-5" and row["unit"] == "'+1"
    assert row["source_titles"] == "'@SUM(A1)" and row["note"].startswith("'\t")
    assert row["value"] == "-5"  # a number is data, not a formula


def test_pages_link_the_downloads(example_site: Path) -> None:
    from bs4 import BeautifulSoup

    facts = BeautifulSoup((example_site / "facts/index.html").read_text("utf-8"), "html.parser")
    hrefs = {a["href"] for a in facts.find_all("a", href=True)}
    assert {"../data/facts.csv", "../data/facts.json"} <= hrefs


def test_facts_shown_only_in_a_chart_count_as_used(project) -> None:  # type: ignore[no-untyped-def]
    fact_used, source_used = data.usage(project)
    chart_facts = {p["fact"] for chart in project.charts.values()
                   for p in chart.spec.get("points") or []}
    placed = {cid for ex in project.explainers.values() for s in ex.sections
              for cid in s.chart_ids}
    assert placed == set(project.charts)
    assert chart_facts
    for fid in chart_facts:
        assert fact_used[fid] == [SLUG], fid
    assert all(source_used[sid] == [SLUG] for sid in project.sources)
