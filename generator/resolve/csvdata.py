"""Read a chart's CSV data file strictly, naming the line and column of every bad cell.

The file is plain RFC 4180 CSV in UTF-8 with a header row: one column of categories (or ISO
dates for a line chart) and one column of plain numbers per series (``1234.5``; no thousands
separators, units or percent signs, which belong in the chart spec).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Diagnostics, excerpt
from generator.limits import MAX_CSV_BYTES, MAX_CSV_CELLS, MAX_CSV_ROWS, MAX_MAGNITUDE
from generator.load.model import Chart
from generator.load.paths import TooLarge, UnsafePath, check_name, read_capped, safe_file

# A chart's data table and alt text carry every point, so the limits are what a page can carry
# (5,000 rows x 60 columns once made a 13 MB page): see generator/limits.py.
MAX_BYTES = MAX_CSV_BYTES
MAX_ROWS = MAX_CSV_ROWS


@dataclass
class Table:
    categories: list[str]
    columns: dict[str, list[float | int]]


DATA_DIR = Path("content") / "data"


def csv_path(root: Path, chart: Chart) -> Path:
    return root / DATA_DIR / chart.spec["data"]["csv"]


def read_table(root: Path, chart: Chart, d: Diagnostics) -> Table | None:
    data = chart.spec["data"]
    at = chart.loc.at("data", "csv")
    try:
        name = check_name(str(data["csv"]))
    except UnsafePath as exc:
        d.error(*at, f"chart '{chart.id}': `csv: {excerpt(str(data['csv']))}` {exc.reason}",
                "chart-csv-path")
        return None
    shown = f"content/data/{name}"
    path = root / DATA_DIR / name
    if not path.exists() and not path.is_symlink():
        d.error(*at, f"chart '{chart.id}': data file {shown} does not exist: add it or fix "
                "`csv:`", "chart-csv-missing")
        return None
    try:  # a regular file inside content/data/, never a link out of it or a pipe
        raw = read_capped(safe_file(root / DATA_DIR, path, root=root), MAX_BYTES)
    except UnsafePath as exc:
        d.error(*at, f"chart '{chart.id}': data file {shown} {exc.reason}", "chart-csv-path")
        return None
    except TooLarge:
        d.error(shown, 1, 1, f"data file is larger than {MAX_BYTES // 1024} KiB: a chart needs "
                "far fewer points; aggregate the data first", "chart-csv")
        return None
    except OSError as exc:
        d.error(*at, f"chart '{chart.id}': cannot read {shown}: {exc.strerror}", "io")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        d.error(shown, line, 1, "data file is not valid UTF-8: save it as UTF-8", "chart-csv")
        return None
    lines = text.splitlines()
    rows = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    if not rows:
        d.error(shown, 1, 1, "data file is empty: add a header row and data rows", "chart-empty")
        return None
    header_line, header_text = rows[0]
    header = _cells(header_text)
    names = [h.strip() for h, _ in header]
    x = data.get("x") or names[0]
    ys = list(data.get("y") or [n for n in names if n != x])
    ok = True
    for key, wanted in [("x", [x])] + [("y", ys)]:
        for i, col in enumerate(wanted):
            if col not in names:
                key_path: tuple[str | int, ...] = ("data", key) if key == "x" else \
                    ("data", "y", i)
                where = chart.loc.at(*key_path) if data.get(key) else (shown, header_line, 1)
                d.error(*where, f"chart '{chart.id}': column '{excerpt(col)}' is not in {shown} "
                        f"(columns: {excerpt(', '.join(names))})", "chart-csv-column")
                ok = False
    if len(set(names)) != len(names):
        d.error(shown, header_line, 1, "header has a repeated column name", "chart-csv")
        ok = False
    if not ys:
        d.error(shown, header_line, 1, "data file has no value column", "chart-empty")
        ok = False
    if not ok:
        return None
    if len(rows) == 1:
        d.error(shown, header_line, 1, "data file has a header but no data rows: add at least "
                "one row", "chart-empty")
        return None
    count = (len(rows) - 1) * max(len(names) - 1, 1)
    if len(rows) - 1 <= MAX_ROWS and count > MAX_CSV_CELLS:
        d.error(shown, header_line, 1, f"{len(rows) - 1} rows x {len(names) - 1} value columns "
                f"is {count:,} values; a chart's table is limited to {MAX_CSV_CELLS:,}: "
                "aggregate the data or split it into several charts", "chart-csv")
        return None
    if len(rows) - 1 > MAX_ROWS:
        d.error(shown, rows[MAX_ROWS + 1][0], 1, f"more than {MAX_ROWS} rows: aggregate the "
                "data first", "chart-csv")
        return None
    xi = names.index(x)
    yi = {col: names.index(col) for col in ys}
    categories: list[str] = []
    columns: dict[str, list[float | int]] = {col: [] for col in ys}
    for number, row_text in rows[1:]:
        cells = _cells(row_text)
        if len(cells) != len(names):
            d.error(shown, number, 1, f"row has {len(cells)} cells but the header has "
                    f"{len(names)}: every row needs one cell per column", "chart-csv-row")
            ok = False
            continue
        label, col_at = cells[xi][0].strip(), cells[xi][1]
        if not label:
            d.error(shown, number, col_at, f"empty '{excerpt(x)}' cell: every row needs a category",
                    "chart-csv-cell")
            ok = False
        elif label in categories:
            d.error(shown, number, col_at,
                    f"'{excerpt(label)}' appears twice in column '{excerpt(x)}'",
                    "chart-csv-cell")
            ok = False
        categories.append(label)
        for col, index in yi.items():
            cell, cell_at = cells[index]
            value = _number(cell)
            if value is not None and abs(value) > MAX_MAGNITUDE:
                d.error(shown, number, cell_at,
                        f"'{excerpt(cell.strip())}' in column '{excerpt(col)}' is beyond "
                        f"±{MAX_MAGNITUDE:.0e}: numbers that large cannot be shown to readers",
                        "chart-csv-cell")
                ok = False
                continue
            if value is None:
                d.error(shown, number, cell_at,
                        f"'{excerpt(cell.strip())}' in column '{excerpt(col)}' is not a plain "
                        "number (write 1234.5: no thousands separators, units or % signs)",
                        "chart-csv-cell")
                ok = False
                continue
            columns[col].append(value)
    return Table(categories, columns) if ok else None


def _cells(line: str) -> list[tuple[str, int]]:
    """The cells of one physical line with the 1-based column where each starts."""
    values = next(csv.reader([line]), [])
    out, col = [], 1
    for value in values:
        out.append((value, col))
        col += len(value) + 1  # exact for unquoted cells, close enough for quoted ones
    return out


def _number(cell: str) -> float | int | None:
    text = cell.strip()
    if not text or text.lower() in ("nan", "inf", "-inf", "infinity"):
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() \
        else value
