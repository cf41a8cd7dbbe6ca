"""A small project with one chart of every type, for the chart tests."""

from __future__ import annotations

from pathlib import Path

from generator.check.run import check_project
from generator.errors import Diagnostics
from generator.load.model import Project
from tests.checkkit import SOURCES as CHECK_SOURCES
from tests.checkkit import write_files

SOURCES = CHECK_SOURCES + """\
  - id: stats_office
    publisher: Statistics Office
    title: Monthly permits
    url: https://example.org/permits
    published: 2023-05-01
    accessed: 2023-05-02
"""

FACTS = """\
facts:
  - id: homes_north
    statement: Homes built in the north district in 2022.
    type: count
    value: 1200
    unit: homes
    as_of: "2022"
    sources: [city_report]
  - id: homes_south
    statement: Homes built in the south district in 2022.
    type: count
    value: 800
    unit: homes
    as_of: "2022"
    sources: [city_report]
  - id: homes_total
    statement: Homes built in 2022.
    type: count
    unit: homes
    as_of: "2022"
    derived:
      formula: homes_north + homes_south
  - id: rentals_north
    statement: Rental homes built in the north district in 2022.
    type: count
    value: 700
    unit: homes
    as_of: "2022"
    sources: [stats_office]
  - id: share_affordable
    statement: Share of homes that were affordable.
    type: percent
    value: 25
    as_of: "2022"
    sources: [city_report]
  - id: budget
    statement: Housing budget.
    type: currency
    currency: USD
    value: 1500000
    as_of: "2022"
    sources: [city_report]
  - id: plan_adopted
    statement: The council adopted the housing plan.
    type: date
    value: 2022-03-15
    sources: [city_report]
  - id: permits_opened
    statement: The city began issuing fast-track building permits to developers.
    type: date
    value: 2022-09-01
    sources: [stats_office]
  - id: report_published
    statement: The city published its annual housing report.
    type: date
    value: 2023-01-10
    sources: [city_report]
"""

PERMITS_CSV = """\
month,north,south
2023-01,120,80
2023-02,135,90
2023-03,150,95.5
"""

CHARTS = {
    "bar_chart": """\
        id: bar_chart
        type: bar
        title: North built more
        points:
          - {fact: homes_north, label: North}
          - {fact: homes_south, label: South}
          - {fact: homes_total, label: All}
        """,
    "hbar_chart": """\
        id: hbar_chart
        type: hbar
        title: North built more, sideways
        points:
          - {fact: homes_north, label: North district}
          - {fact: homes_south, label: South district}
        """,
    "stacked_chart": """\
        id: stacked_chart
        type: stacked_bar
        title: Rentals and others
        points:
          - {fact: rentals_north, label: North, series: Rentals}
          - {fact: homes_south, label: South, series: Rentals}
          - {fact: homes_north, label: North, series: All homes}
        """,
    "grouped_chart": """\
        id: grouped_chart
        type: grouped_bar
        title: Permits by district
        x_title: Month
        data:
          csv: permits.csv
          sources: [stats_office]
        """,
    "line_chart": """\
        id: line_chart
        type: line
        title: Permits rise
        number_format: count
        data:
          csv: permits.csv
          sources: [stats_office]
          x: month
          y: [north]
        """,
    "donut_chart": """\
        id: donut_chart
        type: donut
        title: Where homes were built
        points:
          - {fact: homes_north, label: North}
          - {fact: homes_south, label: South}
        """,
    "timeline_chart": """\
        id: timeline_chart
        type: timeline
        title: From plan to report in ten months
        points:
          - {fact: report_published}
          - {fact: plan_adopted, label: Council adopts the plan}
          - {fact: permits_opened}
        """,
}


def explainer(charts: list[str]) -> str:
    sections = "\n".join(
        f"  - label: By the numbers\n    chart: {cid}" for cid in charts)
    return (
        "slug: housing\nheadline: The city built more homes\ntease: More homes\n"
        "lede: The city built {{homes_total}} homes. [@city_report]\npublished: 2023-03-01\n"
        "authors: [A. Writer]\nsources: [city_report]\nsections:\n"
        "  - label: Why it matters\n    text: Only {{share_affordable}} were affordable, with "
        "{{budget}} spent. [@city_report]\n" + sections + "\n")


def make_chart_project(root: Path, charts: dict[str, str] | None = None,
                       files: dict[str, str | None] | None = None) -> Path:
    charts = CHARTS if charts is None else charts
    merged: dict[str, str | None] = {
        "content/sources/main.yaml": SOURCES,
        "content/facts/main.yaml": FACTS,
        "content/data/permits.csv": PERMITS_CSV,
        "content/explainers/housing.yaml": explainer(list(charts)),
        **{f"charts/{cid}.yaml": text for cid, text in charts.items()},
        **(files or {}),
    }
    return write_files(root, merged)


def checked(root: Path) -> tuple[Project, Diagnostics]:
    return check_project(root)
