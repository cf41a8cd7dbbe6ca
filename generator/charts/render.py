"""Charts for the pages: one HTML block per chart id, plus the files the blocks load.

Interface used by the page renderer (generator.render): ``render_charts(project)`` returns the
block to insert after a section's bullets for each chart id, and the extra site files:

- ``charts/<id>.json``: the plotly figure (template expanded once per build, see figure.py);
- ``charts/<key>.svg``: static paint per colour scheme and width (see static.py);
- ``charts/plotly-basic-4.1.1.min.js``: plotly.js, served by the site itself, loaded by
  ``explainer-charts.js`` only on pages with charts, only when a chart is about to be used;
- ``data/charts/<id>.csv``: the plotted values with their sources.

Blocks use URLs relative to an explainer page (``/<slug>/``). The project must have been
evaluated (``project.values``); charts whose data has errors get no block (``check`` reports
them).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from importlib import resources

from generator.charts import figure as fig
from generator.charts.cite import data_csv
from generator.charts.html import chart_block, csv_path
from generator.charts.static import export_svgs, variants
from generator.load.model import Project
from generator.render.output import GeneratedFile
from generator.resolve.chartdata import ChartData, resolved_charts

log = logging.getLogger("generator.charts")

PLOTLY_VERSION = "4.1.1"
BASIC_BUNDLE = f"plotly-basic-{PLOTLY_VERSION}.min.js"
# The basic bundle draws bar, pie and scatter traces: every chart type we offer.
BASIC_SHA256 = "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba"


@dataclass
class ChartsOutput:
    blocks: dict[str, str] = field(default_factory=dict)  # chart id -> HTML block (raw, safe)
    files: list[GeneratedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. static export unavailable
    failures: list[str] = field(default_factory=list)  # pictures not drawn: a build stops


def plotly_bundle() -> tuple[str, bytes]:
    """(site path, bytes) of plotly.js: the vendored basic bundle, else plotly's full one."""
    vendored = resources.files("generator.charts.vendor").joinpath(BASIC_BUNDLE)
    if vendored.is_file():
        data = vendored.read_bytes()
        if hashlib.sha256(data).hexdigest() == BASIC_SHA256:
            return f"charts/{BASIC_BUNDLE}", data
    from plotly.offline import get_plotlyjs

    log.warning("vendored plotly.js basic bundle missing or altered; serving the full bundle")
    return f"charts/plotly-{PLOTLY_VERSION}.min.js", get_plotlyjs().encode()


def chart_datasets(project: Project) -> dict[str, ChartData]:
    """The charts check validated, as it resolved them (never resolved or read twice)."""
    return {cid: data for cid, (data, _) in resolved_charts(project).items() if data is not None}


# Static pictures of more points than this cost tens of seconds each to export (a CSV at the
# limit, 10,000 values, hit the export's 120 s timeout); such charts load live when scrolled near.
MAX_STATIC_POINTS = 300


def _points(data: ChartData) -> int:
    return sum(v is not None for series in data.series for v in series.values)


def render_charts(project: Project, *, static: bool = True) -> ChartsOutput:
    output = ChartsOutput()
    datasets = chart_datasets(project)
    if not datasets:
        return output
    plotly_path, plotly_js = plotly_bundle()
    output.files.append(GeneratedFile(plotly_path, plotly_js))
    figures = {cid: fig.figure(data) for cid, data in datasets.items()}
    keys: dict[str, dict[tuple[str, str], str]] = {}
    jobs = {}
    for cid, figure in figures.items():
        keys[cid] = {}
        if not static or _points(datasets[cid]) > MAX_STATIC_POINTS:
            continue  # the preview draws none; a big chart would take minutes: it loads live
        for (theme, size), (key, themed_fig) in variants(figure).items():
            keys[cid][(theme, size)] = key
            jobs[key] = (themed_fig, fig.SIZES[size])
    names = {key: f"chart '{cid}'" for cid, by in keys.items() for key in by.values()}
    svgs = export_svgs(project.root, jobs, output.warnings, output.failures,
                       names) if static else {}
    for key, svg in svgs.items():
        output.files.append(GeneratedFile(f"charts/{key}.svg", svg))
    for cid, data in datasets.items():
        figure_path = f"charts/{cid}.json"
        output.files.append(GeneratedFile(figure_path, fig.figure_json(data)))
        output.files.append(GeneratedFile(csv_path(cid), data_csv(data, project)))
        paths = {tv: f"charts/{key}.svg" for tv, key in keys[cid].items() if key in svgs}
        output.blocks[cid] = chart_block(data, project, figure_path, plotly_path, paths)
    return output
