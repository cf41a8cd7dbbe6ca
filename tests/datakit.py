"""Reading a built site's facts download as its readers do: data/facts.json lists the parts,
data/facts.csv lists the CSV parts (generator/render/datafiles.py)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from generator.render import datafiles


def load(site: Path, path: str) -> Any:
    return json.loads((site / path).read_text("utf-8"))


def joined(site: Path) -> dict[str, Any]:
    """Every fact (with its sources' records) and every source as one payload: the index, then
    each part it lists (paths relative to data/)."""
    payload = datafiles.join(load(site, "data/facts.json"), lambda p: load(site, f"data/{p}"))
    assert payload is not None
    return payload


def csv_rows(site: Path) -> list[dict[str, str]]:
    """The CSV parts that data/facts.csv lists, in its order, as one table."""
    rows: list[dict[str, str]] = []
    index = csv.DictReader(io.StringIO((site / "data/facts.csv").read_text("utf-8")))
    for part in index:
        text = (site / "data" / part["csv"]).read_text("utf-8")
        part_rows = list(csv.DictReader(io.StringIO(text)))
        assert len(part_rows) == int(part["facts"]) and part_rows[0]["id"] == part["first_id"]
        rows += part_rows
    return rows
