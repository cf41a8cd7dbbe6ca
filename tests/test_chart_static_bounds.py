"""Static chart pictures never clip text (issue 8): every text element of every exported SVG lies
inside the picture and inside any clip region around it, at phone and desktop sizes, for long
labels, long value texts and every chart type.

Each picture is exported by the real export (kaleido driving Debian's Chromium) and measured in
real Chromium: ``getBoundingClientRect`` of each ``<text>`` against the SVG's own size and the
clip paths of its ancestors (where a cut like "at least 7.3 million" drawn as "at lea" hides).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from generator.charts import figure as fig
from generator.charts.render import chart_datasets
from generator.charts.static import CACHE_ENV, export_svgs, variants
from tests.chartkit import CHARTS, FACTS, checked, make_chart_project

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("chart-bounds")]

LONG_FACTS = FACTS + """\
  - id: displaced_total
    statement: People displaced by the floods, according to the agency's count.
    type: count
    value: 7300000
    qualifier: at least
    unit: people
    sources: [city_report]
  - id: displaced_camps
    statement: People living in camps after the floods.
    type: count
    value: 5450000
    qualifier: more than
    unit: people
    sources: [city_report]
  - id: displaced_abroad
    statement: People who left the country after the floods.
    type: count
    value: 1250000
    qualifier: about
    unit: people
    sources: [city_report]
  - id: flood_began
    statement: Heavy rain began in the northern provinces after weeks of warnings that went unheard.
    type: date
    value: 2023-08-02
    sources: [city_report]
  - id: dam_failed
    statement: The Wadi Derna dam failed overnight, sending a wall of water through the city.
    type: date
    value: 2023-09-11
    sources: [city_report]
  - id: appeal_launched
    statement: >-
      The United Nations launched an emergency appeal for international humanitarian assistance.
    type: date
    value: 2023-09-14
    sources: [stats_office]
  - id: rebuild_began
    statement: Reconstruction began.
    type: date
    value: 2024-02-01
    sources: [stats_office]
"""

LONG = "The largest group by far, displaced within the country"
LONG_CHARTS = {
    "long_bar": f"""\
        id: long_bar
        type: bar
        title: Most stayed in the country
        points:
          - {{fact: displaced_total, label: "{LONG}"}}
          - {{fact: displaced_camps, label: In camps}}
          - {{fact: displaced_abroad, label: Abroad}}
        """,
    "long_hbar": f"""\
        id: long_hbar
        type: hbar
        title: Most stayed in the country
        x_title: Where displaced people went after the floods of September
        points:
          - {{fact: displaced_total, label: "{LONG}"}}
          - {{fact: displaced_camps, label: In camps run by the national relief agency}}
          - {{fact: displaced_abroad, label: Abroad}}
        """,
    "long_grouped": """\
        id: long_grouped
        type: grouped_bar
        title: Permits by district
        x_title: Month in which the permit was issued by the city
        y_title: Permits issued to developers and households
        data:
          csv: long.csv
          sources: [stats_office]
        """,
    "long_line": """\
        id: long_line
        type: line
        title: Permits rise
        y_title: Permits issued to developers and households
        data:
          csv: long.csv
          sources: [stats_office]
          y: ["North district, including the new harbour quarter"]
        """,
    "long_donut": """\
        id: long_donut
        type: donut
        title: Where they went
        points:
          - {fact: displaced_camps, label: In camps run by the national relief agency}
          - {fact: displaced_abroad, label: Abroad}
        """,
    "long_timeline": """\
        id: long_timeline
        type: timeline
        title: How the floods unfolded
        points:
          - {fact: appeal_launched}
          - {fact: flood_began}
          - {fact: dam_failed}
          - {fact: rebuild_began}
        """,
}
LONG_CSV = """\
month,"North district, including the new harbour quarter",South district and its villages
2023-01-31,120000,80000
2023-02-28,135000,90000
2023-03-31,150000,95500
2023-04-30,160000,99000
2023-05-31,171000,102000
2023-06-30,190000,100000
"""

MEASURE = """() => {
  const root = document.querySelector('svg');
  const width = +root.getAttribute('width'), height = +root.getAttribute('height');
  const origin = root.getBoundingClientRect();
  const out = [];
  for (const text of root.querySelectorAll('text')) {
    if (!text.textContent.trim()) continue;
    const style = getComputedStyle(text);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const b = text.getBoundingClientRect();
    let box = {left: 0, top: 0, right: width, bottom: height};
    for (let el = text; el && el !== root; el = el.parentElement) {
      const ref = el.getAttribute('clip-path');
      const id = ref && ref.match(/url\\(['"]?#([^'")]+)/);
      if (!id) continue;
      const rect = document.getElementById(id[1]).querySelector('rect');
      const m = el.getScreenCTM();
      const x = +rect.getAttribute('x') || 0, y = +rect.getAttribute('y') || 0;
      const a = new DOMPoint(x, y).matrixTransform(m);
      const c = new DOMPoint(x + +rect.getAttribute('width'),
                             y + +rect.getAttribute('height')).matrixTransform(m);
      box = {left: Math.max(box.left, Math.min(a.x, c.x) - origin.left),
             top: Math.max(box.top, Math.min(a.y, c.y) - origin.top),
             right: Math.min(box.right, Math.max(a.x, c.x) - origin.left),
             bottom: Math.min(box.bottom, Math.max(a.y, c.y) - origin.top)};
    }
    out.push({text: text.textContent, left: b.left - origin.left, top: b.top - origin.top,
              right: b.right - origin.left, bottom: b.bottom - origin.top, box: box});
  }
  return {width: width, height: height, texts: out};
}"""


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> dict[tuple[str, str], bytes]:
    """(chart id, size) -> the light SVG, exported for real. Into a cache of its own (other
    tests expect the shared one without these charts), kept across runs like the shared one: an
    entry is keyed by the exact figure, size and plotly and kaleido versions, so a cached picture
    is the one the export gives."""
    cache = os.path.join(tempfile.gettempdir(), f"explainer-bounds-cache-{os.getuid()}")
    with pytest.MonkeyPatch.context() as env:
        env.setenv(CACHE_ENV, cache)
        return _export(tmp_path_factory)


def _export(tmp_path_factory) -> dict[tuple[str, str], bytes]:
    root = make_chart_project(tmp_path_factory.mktemp("bounds"), {**CHARTS, **LONG_CHARTS},
                              {"content/facts/main.yaml": LONG_FACTS,
                               "content/data/long.csv": LONG_CSV})
    project, diagnostics = checked(Path(root))
    assert not diagnostics.errors, [d.format() for d in diagnostics.errors]
    jobs, names = {}, {}
    for cid, data in chart_datasets(project).items():
        for (theme, size), (key, themed) in variants(fig.figure(data)).items():
            if theme == "light":
                jobs[key] = (themed, fig.SIZES[size])
                names[key] = (cid, size)
    warnings: list[str] = []
    svgs = export_svgs(project.root, jobs, warnings)
    assert warnings == [] and set(svgs) == set(jobs), warnings
    return {names[key]: svg for key, svg in svgs.items()}


def test_every_chart_type_and_size_is_exported(pictures):
    kinds = {cid for cid, _ in pictures}
    assert kinds == set(CHARTS) | set(LONG_CHARTS)
    assert {size for _, size in pictures} == set(fig.SIZES)


def test_every_text_lies_inside_the_picture_and_its_clip(pictures, browser):
    page = browser.new_page()
    outside = []
    measured = 0
    for (cid, size), svg in sorted(pictures.items()):
        page.set_content("<!doctype html><body style='margin:0'>" + svg.decode() + "</body>")
        found = page.evaluate(MEASURE)
        assert (found["width"], found["height"]) == fig.SIZES[size]
        assert found["texts"], f"{cid} {size}: no text at all"
        for t in found["texts"]:
            measured += 1
            box = t["box"]
            if (t["left"] < box["left"] - 1 or t["top"] < box["top"] - 1
                    or t["right"] > box["right"] + 1 or t["bottom"] > box["bottom"] + 1):
                outside.append((cid, size, t["text"], {k: round(t[k]) for k in
                                                       ("left", "top", "right", "bottom")},
                                {k: round(v) for k, v in box.items()}))
    page.close()
    assert measured > 100  # not vacuous: every label, tick and value text was measured
    assert outside == [], "\n".join(map(str, outside))


def test_long_value_text_is_drawn_whole(pictures):
    # The case from the issue: the qualifier and the number, not "at lea".
    for size in fig.SIZES:
        for cid in ("long_bar", "long_hbar"):
            assert "at least 7.3 million" in pictures[(cid, size)].decode(), (cid, size)
