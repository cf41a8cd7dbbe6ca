"""Write a synthetic project of N explainers, each with its own facts, for scale measurements.

Every explainer has five sections, eight fact references, one derived fact and two sources, so
the pages look like real ones to MkDocs (footnotes, tables, lists), not like stubs. Every tenth
explainer (0, 10, 20, ...) has a bar chart of two facts of its own in "By the numbers". The
charts cycle through ten distinct pictures (same title, labels and values every tenth chart), so
the static export (kaleido, about 0.5 s a picture: bench/charts.py) is paid for ten charts once
per cache folder, while every chart's figure, data table and page markup are made per chart.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CHART_EVERY = 10  # one explainer in ten has a chart
CHART_VARIANTS = 10  # distinct chart pictures
LABELS = ["Why it matters", "The big picture", "By the numbers", "Yes, but", "What's next"]


def write_project(root: Path, count: int, *, with_docs_from: Path | None = None) -> Path:
    for sub in ("content/sources", "content/facts", "content/explainers"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    if with_docs_from is not None:
        for name in ("docs", "mkdocs.yml", "charts"):
            src = with_docs_from / name
            if src.is_dir():
                shutil.copytree(src, root / name, dirs_exist_ok=True)
            elif src.is_file():
                shutil.copy2(src, root / name)
    for i in range(count):
        _write_one(root, i)
    return root


def _write_one(root: Path, i: int) -> None:
    s1, s2 = f"src_{i}_a", f"src_{i}_b"
    (root / f"content/sources/s{i:05d}.yaml").write_text(
        "sources:\n"
        f"  - id: {s1}\n    publisher: Bureau {i}\n    title: Report {i}\n"
        f"    url: https://example.org/{i}/a\n    published: 2023-01-10\n    accessed: 2023-02-01\n"
        f"  - id: {s2}\n    publisher: Agency {i}\n    title: Survey {i}\n"
        f"    url: https://example.org/{i}/b\n    published: 2023-03-10\n"
        "    accessed: 2023-04-01\n",
        encoding="utf-8")
    facts = ["facts:"]
    for k in range(7):
        facts += [f"  - id: f_{i}_{k}", f"    statement: Measure {k} of topic {i}.",
                  "    type: count" if k % 2 == 0 else "    type: percent",
                  f"    value: {1000 + i * 7 + k}" if k % 2 == 0 else f"    value: {10 + k}",
                  "    unit: people", '    as_of: "2023"', f"    sources: [{s1 if k < 4 else s2}]"]
    facts += [f"  - id: f_{i}_d", "    statement: Derived measure.", "    type: count",
              "    unit: people", '    as_of: "2023"', "    derived:",
              f"      formula: f_{i}_0 * f_{i}_1 / 100"]
    charted = i % CHART_EVERY == 0
    if charted:
        variant = (i // CHART_EVERY) % CHART_VARIANTS
        for k, value in (("c1", 100 + variant), ("c2", 50 + 3 * variant)):
            facts += [f"  - id: f_{i}_{k}",
                      f"    statement: Charted measure {k} of group {variant}.",
                      "    type: count", f"    value: {value}", "    unit: people",
                      '    as_of: "2023"', f"    sources: [{s1}]"]
        (root / "charts").mkdir(exist_ok=True)
        (root / f"charts/chart_{i:05d}.yaml").write_text(
            f"id: chart_{i:05d}\ntype: bar\ntitle: Two measures of group {variant}\n"
            f"subtitle: Synthetic chart {variant}\nunit: people\nx_title: Measure\n"
            f"y_title: People\npoints:\n  - fact: f_{i}_c1\n    label: First\n"
            f"  - fact: f_{i}_c2\n    label: Second\n", encoding="utf-8")
    (root / f"content/facts/f{i:05d}.yaml").write_text("\n".join(facts) + "\n", encoding="utf-8")
    sections = []
    for k, label in enumerate(LABELS):
        refs = f"{{{{f_{i}_{k}}}}}" if k < 5 else ""
        chart = f"    chart: chart_{i:05d}\n" if charted and k == 2 else ""
        sections.append(
            f"  - label: {label}\n" + chart +
            f"    text: Topic {'x' * 0}moves because of {refs} changes. [@{s1}]\n"
            "    bullets:\n"
            f"      - Officials said the trend continues, with {{{{f_{i}_{(k + 5) % 7}}}}} "
            f"affected. [@{s2}]\n"
            f"      - In all, {{{{f_{i}_d}}}} people.\n")
    slug = f"topic-{i:05d}"
    (root / f"content/explainers/{slug}.yaml").write_text(
        f"slug: {slug}\nheadline: Topic {i} explained\ntease: What changed in topic\n"
        f"lede: The numbers moved again this year, officials said. [@{s1}]\n"
        f"published: 2023-{1 + i % 12:02d}-{1 + i % 28:02d}\nauthors: [Staff]\n"
        f"tags: [tag-{i % 20}, all]\nsections:\n" + "".join(sections),
        encoding="utf-8")
