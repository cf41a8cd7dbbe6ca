"""Reference scanning is linear: 10,000 references in one lede cost about what 10 ledes of
1,000 references cost (issue 14: it once took 396 s to build, quadratic).

Prints check, generation and full-build seconds for both shapes. Run: ``make bench`` or
``.venv/bin/python bench/refs.py``.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SOURCES = """\
sources:
  - id: city_report
    publisher: City Council
    title: Annual report
    url: https://example.org/report
"""


def write_project(root: Path, explainers: int, refs_each: int) -> Path:
    """``explainers`` ledes of ``refs_each`` references each, every reference to a fact of its
    own (so both shapes of the same total have the same facts file)."""
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "content" / "sources").mkdir(parents=True)
    (root / "content" / "facts").mkdir()
    (root / "content" / "explainers").mkdir()
    (root / "content" / "sources" / "main.yaml").write_text(SOURCES, "utf-8")
    facts = ["facts:"]
    for i in range(explainers * refs_each):
        facts += [f"  - id: f{i}", f"    statement: Count number {i}.", "    type: count",
                  f"    value: {1000 + i}", '    as_of: "2023"', "    sources: [city_report]"]
    (root / "content" / "facts" / "main.yaml").write_text("\n".join(facts) + "\n", "utf-8")
    for n in range(explainers):
        lede = ", ".join(f"{{{{f{n * refs_each + i}}}}}" for i in range(refs_each))
        (root / "content" / "explainers" / f"e{n}.yaml").write_text(
            f"slug: e{n}\nheadline: Explainer {n}\ntease: Many numbers\n"
            f"lede: 'Counts: {lede}.'\npublished: 2023-03-01\nauthors: [A. Writer]\n"
            "sections:\n  - label: Why it matters\n    text: Numbers. [@city_report]\n",
            "utf-8")
    return root


def measure(explainers: int, refs_each: int) -> tuple[float, float, float]:
    from generator.check.run import check_project
    from generator.render.site import generate_site

    with tempfile.TemporaryDirectory() as tmp:
        root = write_project(Path(tmp) / "p", explainers, refs_each)
        t0 = time.perf_counter()
        project, diagnostics = check_project(root, today=dt.date(2026, 1, 1))
        check = time.perf_counter() - t0
        assert not diagnostics.errors, [d.format() for d in diagnostics.errors[:3]]
        t0 = time.perf_counter()
        generate_site(project, static_charts=False)
        generate = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(root)],
                                capture_output=True, text=True, check=False)
        build = time.perf_counter() - t0
        if result.returncode != 0:
            raise SystemExit(result.stdout + result.stderr)
    return check, generate, build


SHAPES = (("1 lede x 1,000 refs", 1, 1_000), ("10 ledes x 1,000 refs", 10, 1_000),
          ("1 lede x 10,000 refs", 1, 10_000))


def main(repeat: int = 3) -> None:
    """The fastest of ``repeat`` runs of each phase: the shapes take turns, so other work on a
    shared machine slows them alike, and the minimum is the least disturbed figure."""
    print(f"reference scanning (one fact reference each, distinct facts; best of {repeat})")
    best: dict[str, list[float]] = {}
    for _ in range(repeat):
        for label, explainers, refs_each in SHAPES:
            figures = measure(explainers, refs_each)
            best[label] = [min(a, b) for a, b in zip(best.get(label, figures), figures,
                                                     strict=True)]
    print(f"{'shape':<28}{'check s':>9}{'generate s':>12}{'full build s':>14}")
    for label, _, _ in SHAPES:
        check, generate, build = best[label]
        print(f"{label:<28}{check:>9.2f}{generate:>12.2f}{build:>14.2f}")


if __name__ == "__main__":
    main()
