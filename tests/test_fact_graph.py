"""The fact graph (generator/resolve/graph.py): one answer to what a number rests on and where
it is used."""

from __future__ import annotations

from pathlib import Path

from generator.check.run import check_project
from generator.resolve.graph import fact_graph
from tests.checkkit import make_project
from tests.datakit import csv_rows, joined

SOURCES = """\
sources:
  - id: city_report
    publisher: City Council
    title: Annual housing report
    url: https://example.org/report
  - id: survey
    publisher: Housing Institute
    title: Affordability survey
    url: https://example.org/survey
  - id: desk_note
    publisher: The Desk
    title: Editors' method note
    url: https://example.org/method
    cited_in: survey
"""

FACTS = """\
facts:
  - id: homes_built
    statement: Homes built in the city in 2022.
    type: count
    value: 1200
    as_of: "2022"
    sources: [city_report]
  - id: share_affordable
    statement: Share of the homes built in 2022 that were affordable.
    type: percent
    value: 25
    as_of: "2022"
    sources: [survey]
  - id: affordable_built
    statement: Affordable homes built in 2022.
    type: count
    as_of: "2022"
    sources: [desk_note]
    derived:
      formula: share_affordable * homes_built / 100
  - id: per_thousand
    statement: Affordable homes per thousand built.
    type: count
    as_of: "2022"
    derived:
      formula: affordable_built / homes_built * 1000
  - id: in_chart_only
    statement: Homes planned for 2023.
    type: count
    value: 1500
    as_of: "2023"
    sources: [city_report]
  - id: unused
    statement: Homes demolished in 2022.
    type: count
    value: 80
    as_of: "2022"
    sources: [city_report]
"""

EXPLAINER = """\
slug: housing
headline: The city built more homes
tease: More homes, few affordable
lede: About {{per_thousand}} of every thousand homes were affordable.
published: 2023-03-01
authors: [A. Writer]
tags: [housing]
sections:
  - label: Why it matters
    text: Affordable homes remain scarce. [@city_report]
note: The council counted {{homes_built}} homes.
"""

CHART = """\
id: plans
type: bar
title: Homes planned
points:
  - label: "2023"
    fact: in_chart_only
"""


def _graph(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = make_project(tmp_path, {"content/sources/main.yaml": SOURCES,
                                   "content/facts/main.yaml": FACTS,
                                   "content/explainers/housing.yaml": EXPLAINER,
                                   "charts/plans.yaml": CHART})
    project, diagnostics = check_project(root)
    assert not diagnostics.errors, [d.format() for d in diagnostics.errors]
    return fact_graph(project), project


def test_a_derived_fact_rests_on_its_own_sources_then_its_inputs(tmp_path: Path) -> None:
    graph, _ = _graph(tmp_path)
    assert graph.inputs["affordable_built"] == ("share_affordable", "homes_built")
    assert graph.rests_on("affordable_built") == ("desk_note", "survey", "city_report")
    # Transitively, depth first in formula order, each source once.
    assert graph.closure["per_thousand"] == ("affordable_built", "share_affordable",
                                             "homes_built")
    assert graph.rests_on("per_thousand") == ("desk_note", "survey", "city_report")
    assert graph.rests_on("homes_built") == ("city_report",)


def test_where_facts_and_sources_are_used(tmp_path: Path) -> None:
    graph, _ = _graph(tmp_path)
    # Shown in the lede, the note, or computed into a shown fact: used by the explainer.
    for fid in ("per_thousand", "affordable_built", "share_affordable", "homes_built"):
        assert graph.fact_explainers[fid] == ("housing",), fid
    assert graph.shown["housing"] == ("per_thousand", "homes_built")
    # A chart no page places yet still counts as a use, but not as an explainer's.
    assert graph.fact_explainers["in_chart_only"] == ()
    assert graph.fact_charts["in_chart_only"] == ("plans",)
    assert graph.fact_is_used("in_chart_only")
    assert not graph.fact_is_used("unused")
    assert graph.source_explainers["desk_note"] == ("housing",)
    assert graph.source_facts["city_report"] == ("affordable_built", "homes_built",
                                                 "in_chart_only", "per_thousand", "unused")


def test_the_graph_is_built_once_per_project(tmp_path: Path) -> None:
    graph, project = _graph(tmp_path)
    assert fact_graph(project) is graph


CHART_OF_DERIVED = """\
id: affordable
type: bar
title: Affordable homes
points:
  - {fact: affordable_built, label: Affordable}
"""


def test_every_output_names_the_same_sources_for_a_derived_fact(tmp_path: Path) -> None:
    """Issue 10: a derived fact that lists its own source was counted by check and facts.json
    and cited in the chart's source line, but left out of the page's footnotes."""

    from bs4 import BeautifulSoup

    from tests.conftest import build_project, copy_project

    root = copy_project(tmp_path / "project")
    explainer = EXPLAINER.replace("lede: About {{per_thousand}} of every thousand homes were "
                                  "affordable.", "lede: About {{affordable_built}} affordable "
                                  "homes were built.")
    explainer += "  - label: By the numbers\n    chart: affordable\n"
    explainer = explainer.replace("note: The council counted {{homes_built}} homes.\n", "")
    make_project(root, {"content/sources/main.yaml": SOURCES, "content/facts/main.yaml": FACTS,
                        "content/explainers/housing.yaml": explainer,
                        "charts/affordable.yaml": CHART_OF_DERIVED})
    project, diagnostics = check_project(root)
    assert not diagnostics.errors, [d.format() for d in diagnostics.errors]
    titles = {"desk_note": "Editors' method note", "survey": "Affordability survey",
              "city_report": "Annual housing report"}
    expected = set(titles.values())
    assert {titles[s] for s in fact_graph(project).rests_on("affordable_built")} == expected
    # check's usage: none of the three is reported unused
    assert not [d for d in diagnostics.warnings if d.code == "unused-source"]

    site = build_project(root)
    page = BeautifulSoup((site / "housing" / "index.html").read_text("utf-8"), "html.parser")
    footnotes = page.select_one(".footnote")
    assert footnotes is not None
    shown = {t for t in expected if t in footnotes.get_text()}
    assert shown == expected, shown
    sources_section = page.get_text()
    assert all(t in sources_section for t in expected)
    chart_line = page.select_one("figure.explainer-chart .explainer-chart__source")
    assert chart_line is not None
    assert {t for t in expected if t in chart_line.get_text()} == expected

    facts = joined(site)
    record = next(f for f in facts["facts"] if f["id"] == "affordable_built")
    assert record["source_ids"] == ["desk_note", "survey", "city_report"]
    row = next(r for r in csv_rows(site) if r["id"] == "affordable_built")
    assert row["source_ids"].split() == ["desk_note", "survey", "city_report"]


def test_the_preview_carries_the_graph_only_over_edits_it_does_not_read(tmp_path: Path) -> None:
    """After a fact's value or statement changes the graph is the last one, the same object;
    after a change to what a fact rests on it is built again, and equals a fresh build."""
    import time

    from generator.check.incremental import CheckState
    from generator.load.project import ParseCache
    from generator.resolve.graph import build_graph

    bench_root = tmp_path / "synth"
    from bench.synth import write_project
    root = write_project(bench_root, 3)
    cache, state = ParseCache(), CheckState()

    def check():  # type: ignore[no-untyped-def]
        project, diagnostics = check_project(root, cache=cache, state=state)
        assert not diagnostics.errors
        return project

    def edit(old: str, new: str) -> None:
        path = root / "content/facts/f00001.yaml"
        time.sleep(0.01)
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")

    first = check()
    graph = fact_graph(first)
    edit("value: 1007", "value: 1008")  # f_1_0's value, and the derived f_1_d's
    edit("statement: Measure 1 of topic 1.", "statement: Measure one.")
    second = check()
    assert fact_graph(second) is graph
    edit("sources: [src_1_b]", "sources: [src_1_a]")  # what f_1_4 rests on
    third = check()
    assert fact_graph(third) is not graph
    assert fact_graph(third).rests_on("f_1_4") == ("src_1_a",)
    assert fact_graph(third) == build_graph(third)
    edit("formula: f_1_0 * f_1_1 / 100", "formula: f_1_2 * f_1_1 / 100")
    fourth = check()
    assert fact_graph(fourth) is not fact_graph(third)
    assert fact_graph(fourth).inputs["f_1_d"] == ("f_1_2", "f_1_1")
