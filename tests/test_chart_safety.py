"""Chart text is text, and nothing a chart says makes anyone fetch anything (issues 9 and 14).

Written as the attack: chart labels, axis titles, CSV headers and cells carry Plotly's
pseudo-HTML pointing at a listener on 127.0.0.1 (``<span style="background-image:url(...)">``,
``<img src>``, ``<a href>``). ``check``, ``build`` (with the real static export), ``serve`` and
``deploy`` run, and the live chart is drawn in Chromium: the listener receives no request, no
dialog opens, and the markup is shown as the text it is. The static pictures are never taken
from the repository and pass an allow-list.
"""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from generator.charts import static
from generator.charts.svgsafe import UnsafeSvg, sanitise_svg
from tests.chartkit import explainer, make_chart_project
from tests.conftest import (
    copy_project,
    run_explainer,
    serving,
    static_server,
)
from tests.deploykit import commit_all, git, git_env, init_repo
from tests.test_chart_browser import activate_all

pytestmark = [pytest.mark.slow]


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    handler = type("Handler", (_Counting,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def _payloads(url: str) -> dict[str, str]:
    span = f'<span style="background-image:url({url}/span.png)">north</span>'
    csv = (f'month,"{span.replace(chr(34), chr(34) * 2)}",south\n'
           f'"<img src={url}/cell.png>",120,80\n'
           f'<a href="{url}/a">2023-02</a>,135,90\n')
    hostile_csv = f"""\
        id: hostile_csv
        type: grouped_bar
        title: 'Permits <img src="{url}/title.png">'
        subtitle: '<span style="background:url({url}/subtitle.png)">sub</span>'
        note: '<img src="{url}/note.png">'
        x_title: '<span style="background-image:url({url}/xtitle.png)">Month</span>'
        y_title: '<img src="{url}/ytitle.png">'
        alt: 'Permits <img src="{url}/alt.png">'
        data:
          csv: hostile.csv
          sources: [stats_office]
        """
    hostile_points = f"""\
        id: hostile_points
        type: bar
        title: Homes
        points:
          - {{fact: homes_north, label: '<span style="background:url({url}/label.png)">N</span>'}}
          - {{fact: homes_south, label: '<b>S</b><br><img src={url}/label2.png>'}}
        """
    return {"content/data/hostile.csv": csv, "charts/hostile_csv.yaml": hostile_csv,
            "charts/hostile_points.yaml": hostile_points,
            "content/explainers/housing.yaml": explainer(["hostile_csv", "hostile_points"])}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory,
            listener: tuple[str, list[str]]) -> Path:
    url, _ = listener
    root = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    make_chart_project(root, {}, files=_payloads(url))
    return root


def test_figures_carry_no_markup(project: Path) -> None:
    from generator.charts.figure import figure
    from generator.charts.render import chart_datasets
    from generator.check.run import check_project

    checked, diagnostics = check_project(project)
    assert not diagnostics.errors, [d.format() for d in diagnostics.errors]
    datasets = chart_datasets(checked)
    for cid in ("hostile_csv", "hostile_points"):
        text = orjson.dumps(figure(datasets[cid])).decode()
        for tag in ("<span", "<img", "<a ", "<b>", "<br><img"):
            assert tag not in text, (cid, tag)
        assert "&lt;span style=" in text


def test_check_build_serve_and_deploy_make_no_request(project: Path,
                                                      listener: tuple[str, list[str]]) -> None:
    _, hits = listener
    assert run_explainer(project, "check").returncode == 0
    built = run_explainer(project, "build")
    assert built.returncode == 0, built.stderr
    assert "static chart export unavailable" not in built.stdout + built.stderr
    assert list((project / "site" / "charts").glob("*.svg")), "the static export ran"

    # serve: the preview answers over HTTP
    with serving(project, "housing/") as base, \
            urllib.request.urlopen(base + "housing/", timeout=10) as response:
        assert b"hostile_csv" in response.read()

    # deploy: mike builds the edition into gh-pages and pushes it to a bare remote
    env = git_env(project.parent / "home")
    init_repo(project, env)
    commit_all(project, "site", env)
    remote = project.parent / "remote.git"
    git(project.parent, "init", "--quiet", "--bare", str(remote), env=env)
    git(project, "remote", "add", "origin", str(remote), env=env)
    result = subprocess.run([sys.executable, "-m", "generator", "deploy", "1.0", "--push",
                             "--root", str(project), "--allow-dirty"],
                            env={**env, "NO_MKDOCS_2_WARNING": "1"},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "hostile_csv" in git(remote, "show", "gh-pages:1.0/housing/index.html", env=env)
    time.sleep(0.5)  # a request in flight would have arrived by now
    assert hits == []


def test_the_static_pictures_carry_none_of_the_payload(project: Path,
                                                      listener: tuple[str, list[str]]) -> None:
    import re
    import xml.etree.ElementTree as ET

    url, _ = listener
    site = project / "site"
    if not (site / "housing" / "index.html").exists():
        assert run_explainer(project, "build").returncode == 0
    page = (site / "housing" / "index.html").read_text("utf-8")
    for cid in ("hostile-csv", "hostile-points"):
        block = page[page.index(f'id="chart-{cid}"'):]
        block = block[:block.index("</figure>")]
        assert 'data-static="1"' in block  # drawn, and every picture passed the allow-list
        paths = set(re.findall(r'(?:src|srcset)="\.\./(charts/[0-9a-f]{32}\.svg)"', block))
        assert len(paths) == 4
        for path in paths:
            root = ET.fromstring((site / path).read_bytes())
            for element in root.iter():
                assert element.tag.rpartition("}")[2] not in ("a", "image", "foreignObject")
                for value in element.attrib.values():
                    assert url not in value and "background" not in value, (path, value)
            text = " ".join("".join(t.itertext()) for t in root.iter(
                "{http://www.w3.org/2000/svg}text"))
            assert f"url({url}/" in text  # the payload is there, as text


def test_the_live_chart_fetches_nothing_and_shows_text(project: Path, browser,
                                                       listener: tuple[str, list[str]]) -> None:
    url, hits = listener
    site = project / "site"
    if not (site / "housing" / "index.html").exists():
        assert run_explainer(project, "build").returncode == 0
    with static_server(site) as base:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        requests: list[str] = []
        dialogs: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(base + "housing/")
        activate_all(page, timeout=20000)
        page.wait_for_timeout(500)
        drawn = page.locator("figure.explainer-chart .explainer-chart__canvas").all_text_contents()
        page.close()
    assert not [r for r in requests if r.startswith(url)], requests
    assert hits == [] and dialogs == []
    joined = " ".join(drawn)
    assert '<span style="background' in joined  # the markup is drawn as the text it is


def test_the_export_itself_is_offline(tmp_path: Path, listener: tuple[str, list[str]]) -> None:
    """Defence in depth: even markup that reached a figure could not fetch during export."""
    url, hits = listener
    before = len(hits)
    figure = {"data": [{"type": "bar", "x": ["a"], "y": [1]}],
              "layout": {"title": {"text": f'<span style="background:url({url}/x.png)">t</span>'},
                         "images": [{"source": f"{url}/image.png", "xref": "paper",
                                     "yref": "paper", "x": 0, "y": 1, "sizex": 1, "sizey": 1}]}}
    out = static._run_export({"k": (figure, (300, 200))})
    assert out["k"].lstrip().startswith(b"<svg")
    time.sleep(0.5)
    assert len(hits) == before


@pytest.mark.parametrize("svg", [
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
    b'<use x:href="http://evil.example/a.svg#x"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(http://evil.example/)"/>'
    b'</svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "http://evil.example/x.css";'
    b'</style></svg>',
    b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://evil.example/p.png"/></svg>',
    b'<html><body>not svg</body></html>',
])
def test_the_svg_allow_list_refuses(svg: bytes) -> None:
    with pytest.raises(UnsafeSvg):
        sanitise_svg(svg)


def test_the_svg_allow_list_keeps_clip_paths() -> None:
    ok = (b'<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="c"><rect/></clipPath>'
          b'</defs><g style="clip-path: url(\'#c\');"><text>1,200</text></g></svg>')
    assert sanitise_svg(ok) == ok
