"""Chart text appears exactly as written, in the static pictures and in the live chart (issue 9).

Plotly reads its own pseudo-HTML (``<b>``, ``<br>``, ``<span style>``, ``<a href>``) in every text
it draws and decodes entities (``&amp;``, ``&lt;``, ``&#60;``, ``&#x3C;``, ``&nbsp;``) once.
Writers' text reaches plotly with ``&``, ``<`` and ``>`` as entities, so each label, axis title,
series name, CSV cell and hover line shows the very characters typed: markup stays visible,
entity-looking text is not decoded.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.chartkit import explainer, make_chart_project
from tests.conftest import copy_project, run_explainer, static_server
from tests.test_chart_browser import activate_all

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Each is a category (point label or CSV cell), an axis title or a series name below.
LABELS = ["AT&T", "&amp; &lt;b&gt; as typed", "<b>bold?</b> <br> x", "&#60;i&#62; a < b > c"]
X_TITLE = "Area &amp; <em>zone</em>"
Y_TITLE = "<sup>2</sup> homes&nbsp;"
SERIES = ['<i>north</i> &amp;', "south &nbsp; <br>"]
CELLS = ["2023-01 <b>", "Q&A &#x3C;"]


def _yaml(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _csv(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


FILES = {
    "charts/texts_bar.yaml": f"""\
        id: texts_bar
        type: bar
        title: Text as written
        x_title: {_yaml(X_TITLE)}
        y_title: {_yaml(Y_TITLE)}
        points:
          - {{fact: homes_north, label: {_yaml(LABELS[0])}}}
          - {{fact: homes_south, label: {_yaml(LABELS[1])}}}
          - {{fact: homes_total, label: {_yaml(LABELS[2])}}}
          - {{fact: rentals_north, label: {_yaml(LABELS[3])}}}
        """,
    "charts/texts_csv.yaml": """\
        id: texts_csv
        type: grouped_bar
        title: CSV text as written
        data:
          csv: texts.csv
          sources: [stats_office]
        """,
    "content/data/texts.csv": (f"month,{_csv(SERIES[0])},{_csv(SERIES[1])}\n"
                               f"{_csv(CELLS[0])},120,80\n{_csv(CELLS[1])},135,90\n"),
    "content/explainers/housing.yaml": explainer(["texts_bar", "texts_csv"]),
}
EXPECTED = {"texts-bar": [*LABELS, X_TITLE, Y_TITLE], "texts-csv": [*SERIES, *CELLS]}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("texts") / "project")
    make_chart_project(root, {}, files=FILES)
    result = run_explainer(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def _svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_static_pictures_show_the_text_as_written(site: Path) -> None:
    import re

    page = (site / "housing" / "index.html").read_text("utf-8")
    for cid, expected in EXPECTED.items():
        block = page[page.index(f'id="chart-{cid}"'):]
        block = block[:block.index("</figure>")]
        assert 'data-static="1"' in block  # all four pictures passed the allow-list
        pictures = re.findall(r'(?:src|srcset)="\.\./(charts/[0-9a-f]{32}\.svg)"', block)
        assert len(set(pictures)) == 4
        for path in set(pictures):
            svg = (site / path).read_bytes()
            texts = _svg_texts(svg)
            for text in expected:
                assert text in texts, (cid, path, text, texts)
            # No markup of the writer's became SVG: no styled or linked runs of text.
            for element in ET.fromstring(svg).iter():
                tag = element.tag.rpartition("}")[2]
                assert tag not in ("a", "image", "foreignObject"), (path, tag)
                if tag == "tspan":
                    assert "font-weight" not in element.get("style", ""), path
                    assert "font-style" not in element.get("style", ""), path


def test_the_live_chart_shows_the_text_as_written(site: Path, browser) -> None:
    with static_server(site) as base:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(base + "housing/")
        activate_all(page, timeout=20000)
        drawn = {cid: page.eval_on_selector_all(
            f"#chart-{cid} .explainer-chart__canvas text", "ts => ts.map(t => t.textContent)")
            for cid in EXPECTED}
        markup = page.eval_on_selector_all(
            ".explainer-chart__canvas tspan[style*='font-'], .explainer-chart__canvas a",
            "els => els.map(e => e.outerHTML)")
        # Hover the bar of the third label: the hover label repeats the category as written.
        bars = page.locator("#chart-texts-bar .explainer-chart__canvas .point")
        bars.nth(2).hover(force=True)
        page.wait_for_selector("#chart-texts-bar .hoverlayer .hovertext", timeout=10000)
        hover = page.eval_on_selector_all("#chart-texts-bar .hoverlayer .hovertext text",
                                          "ts => ts.map(t => t.textContent)")
        page.close()
    for cid, expected in EXPECTED.items():
        for text in expected:
            assert text in drawn[cid], (cid, text, drawn[cid])
    assert markup == []
    assert any(t.startswith(LABELS[2]) for t in hover), hover
    assert all(r.startswith(base) for r in requests), requests
