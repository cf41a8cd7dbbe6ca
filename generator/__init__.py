"""Explainer-site generator: YAML facts, sources and explainers in; cited pages and charts out.

The pipeline, one sub-package per stage:

    load/     read YAML safely, validate against the JSON Schemas, build the content model
    resolve/  evaluate derived facts, format values, expand inline references
    check/    cross-file rules (ids, cycles, dates, uncited numbers)
    render/   explainer Markdown and the site's index pages and data files
    charts/   Plotly figures from chart specs
    adapters/ the only code that imports mkdocs (a plugin), plus mike and git
    publish/  editions and the "what changed" log

Nothing outside ``adapters`` imports mkdocs, so the core survives a change of site engine.
"""

__version__ = "0.1.0"
