"""Every limit, exceeded at its largest: seconds and peak memory of `explainer check`, and the
first diagnostic (issue 9: each limit exceeded is a path:line error in well under a second,
never a hang, a traceback or gigabytes of memory).

Each case runs the real CLI in a subprocess of its own (so peak memory is that check's alone) on
a small valid project with one file replaced. Then a few builds at the largest the newer limits
let through (issue 20): seconds, peak memory, pages per Markdown converter, bytes of the page.
Run: ``make bench`` or ``.venv/bin/python bench/limits.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.sites import copy_example  # noqa: E402
from generator import limits  # noqa: E402
from tests.checkkit import EXPLAINER, FACTS, SOURCES, make_project  # noqa: E402

F, S, E = "content/facts/main.yaml", "content/sources/main.yaml", \
    "content/explainers/housing.yaml"
MIB = 1024 * 1024
CHART = ("id: big\ntype: grouped_bar\ntitle: Big\ndata:\n  csv: big.csv\n"
         "  sources: [city_report]\n")
SECTION = "text: Only {{share_affordable}} were affordable, about {{affordable_built}} homes."
WITH_CHART = EXPLAINER + "  - label: By the numbers\n    chart: big\n"


def _csv(rows: int, columns: int) -> str:
    header = "month," + ",".join(f"c{i}" for i in range(columns))
    return "\n".join([header, *(f"r{n}," + ",".join("1" for _ in range(columns))
                                for n in range(rows))]) + "\n"


FACTS_LONG = FACTS.replace("statement: Homes built in the city in 2022.",
                           'statement: "' + "It's " * 400 + '"')


def _links(bullets: int, links: int) -> str:
    return ("      - '" + " ".join(["[[fact:homes_built]]"] * links) + "'\n") * bullets


def _laughs() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10)
                     + "]")
    return "\n".join(lines) + "\n"


CASES: dict[str, dict[str, str]] = {
    "YAML file over 2 MiB": {F: FACTS + "# " + "x" * (limits.MAX_YAML_BYTES) + "\n"},
    "30,000 nested [ (2 MiB of them)": {F: "facts: " + "[" * (2 * MIB - 100) + "\n"},
    "1,900 indented levels": {F: "".join(" " * i + f"k{i}:\n" for i in range(1_900))},
    "billion laughs (10^10 values)": {F: _laughs()},
    "a 5,001-digit integer": {F: FACTS.replace("value: 1200", "value: " + "9" * 5_001)},
    "value 1.0e+50": {F: FACTS.replace("value: 1200", "value: 1.0e+50")},
    "formula of 500 characters": {F: FACTS.replace(
        "homes_built * share_affordable / 100",
        "(" * 20 + "homes_built" + ")" * 20 + " + 1" * 115)},
    "formula result 1.2e18": {F: FACTS.replace(
        "homes_built * share_affordable / 100", "homes_built * 999999999999999")},
    "10,001 references in one lede": {E: EXPLAINER.replace(
        "lede: The city built {{homes_built}} homes last year. [@city_report]",
        "lede: '" + " ".join(["{{homes_built}}"] * 10_001) + "'")},
    "a 1.9 MiB string": {E: EXPLAINER.replace(
        "lede: The city built {{homes_built}} homes last year. [@city_report]",
        "lede: " + "word " * (19 * MIB // 50))},
    # Prose at the length limit shaped to make a backtracking scan quadratic (unclosed
    # openers, each once read to the end of the text): now read once each.
    "199,998 chars of unclosed '{{'": {E: EXPLAINER.replace(
        "lede: The city built {{homes_built}} homes last year. [@city_report]",
        "lede: '" + "{{" * 99_999 + "'")},
    "199,998 chars of unclosed '[@'": {E: EXPLAINER.replace(
        "lede: The city built {{homes_built}} homes last year. [@city_report]",
        "lede: '" + "[@" * 99_999 + "'")},
    "199,998 chars of unclosed '](' ": {E: EXPLAINER.replace(
        "lede: The city built {{homes_built}} homes last year. [@city_report]",
        "lede: '" + "](" * 99_999 + "'")},
    "a 2,001-character title": {S: SOURCES.replace("title: Annual housing report",
                                                   "title: " + "T" * 2_001)},
    "CSV over 1 MiB": {"content/data/big.csv": _csv(60_000, 10), "charts/big.yaml": CHART,
                       E: WITH_CHART},
    "CSV 1,000 x 60 values": {"content/data/big.csv": _csv(1_000, 60),
                              "charts/big.yaml": CHART, E: WITH_CHART},
    "CSV 20,000 rows": {"content/data/big.csv": _csv(20_000, 1), "charts/big.yaml": CHART,
                        E: WITH_CHART},
    # Issue 20. A page past MAX_PAGE_BYTES: 5,000 links to a 2,000-character statement would
    # make an 18 MB page (the first such payload made 100 MB and a 4.9 GB build).
    "5,000 [[fact:]] links (page limit)": {F: FACTS_LONG, E: EXPLAINER + _links(5, 1_000)},
    "10,000 [[fact:]] links (page limit)": {F: FACTS_LONG, E: EXPLAINER + _links(10, 1_000)},
    "10 links in a lede (lede limit)": {F: FACTS_LONG, E: EXPLAINER.replace(
        "lede: The city built {{homes_built}} homes last year. [@city_report]",
        "lede: '" + " ".join(["[[fact:homes_built]]"] * 10) + "'")},
    "20,000 tags": {E: EXPLAINER.replace("tags: [housing]", "tags: [" + ", ".join(
        f"topic-{n}" for n in range(20_000)) + "]")},
    "a 300-character tag": {E: EXPLAINER.replace("tags: [housing]", "tags: [" + "a" * 300 + "]")},
    "NUL and U+FFFE in a headline": {E: EXPLAINER.replace(
        "headline: The city built more homes", 'headline: "The city\\0 built \\uFFFE"')},
}

PROGRAM = """
import resource, sys, time
from generator.cli import main
start = time.perf_counter()
try:
    code = main(["check", "--root", sys.argv[1]])
except SystemExit as exc:
    code = exc.code
print(f"@@ {time.perf_counter() - start:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}"
      f" {code}")
"""


def measure(files: dict[str, str]) -> tuple[float, float, int, str]:
    """Seconds, peak MiB, exit code and the first error in one of ``files`` (or any)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp), dict(files))
        result = subprocess.run([sys.executable, "-c", PROGRAM, str(root)], capture_output=True,
                                text=True, check=False, cwd=REPO, timeout=600)
    stats = [line for line in result.stdout.splitlines() if line.startswith("@@ ")]
    if not stats:
        raise SystemExit(result.stdout[-2000:] + result.stderr[-2000:])
    seconds, rss_kib, code = stats[0].split()[1:]
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    first = next((e for e in errors if e.split(":", 1)[0] in files), errors[0] if errors else "-")
    return float(seconds), int(rss_kib) / 1024, int(code), first


# Builds at the largest each new limit lets through (issue 20): the biggest page check passes,
# a section of 100,000 "[" holding the word that once sent its page to Python-Markdown, and a
# build whose pictures cannot be drawn (it must fail, naming them). Peak memory is the largest
# of the process and its children (the build runs in a child: generator/forks.py).
BUILD_PROGRAM = """
import os, resource, sys, time
from generator.adapters import fastmd
real = fastmd.convert
def counting(*args, **kwargs):  # the build converts in a child process: counted in a file
    out = real(*args, **kwargs)
    with open(sys.argv[2], "a") as tally:
        tally.write("fast\\n" if out is not None else "python\\n")
    return out
fastmd.convert = counting
from generator.cli import main
start = time.perf_counter()
try:
    code = main(["build", "--root", sys.argv[1]])
except SystemExit as exc:
    code = exc.code
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
tally = open(sys.argv[2]).read().split() if os.path.exists(sys.argv[2]) else []
print(f"@@ {time.perf_counter() - start:.3f} {peak} {code} {tally.count('fast')} "
      f"{tally.count('python')}")
"""
BUILDS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "largest page check passes (480 links)": ({F: FACTS_LONG, E: EXPLAINER + _links(1, 480)},
                                              {}),
    "100,000 '[' and data-explainer-raw": ({E: EXPLAINER.replace(SECTION, (
        "text: 'data-explainer-raw {{share_affordable}} {{affordable_built}} " + "[" * 100_000
        + "'"))}, {}),
    "no browser for the pictures": ({}, {"BROWSER_PATH": "/nonexistent/chromium"}),
}


def measure_build(files: dict[str, str], env: dict[str, str]) -> str:
    """One build of the small project with the example's mkdocs.yml and docs/: seconds, peak
    MiB, exit code, pages converted by cmark-gfm and by Python-Markdown, bytes of the largest
    generated explainer page."""
    import os
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp) / "project", dict(files))
        shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(REPO / "docs", root / "docs")
        environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
                       "EXPLAINER_CACHE_DIR": str(Path(tmp) / "cache"), **env}
        result = subprocess.run([sys.executable, "-c", BUILD_PROGRAM, str(root),
                                 str(Path(tmp) / "tally")],
                                capture_output=True, text=True, check=False, cwd=REPO,
                                timeout=1200, env=environment)
        page = root / "site" / "housing" / "index.html"
        size = page.stat().st_size if page.exists() else 0
    stats = [line for line in result.stdout.splitlines() if line.startswith("@@ ")]
    if not stats:
        raise SystemExit(result.stdout[-2000:] + result.stderr[-2000:])
    seconds, rss_kib, code, fast, slow = stats[0].split()[1:]
    error = next((line for line in result.stderr.splitlines() if "could not be drawn" in line),
                 "")
    return (f"{float(seconds):>8.2f}{int(rss_kib) / 1024:>10.0f}{code:>6}{fast:>6}{slow:>6}"
            f"{size:>11,}  {error[:100]}")


def main() -> None:
    baseline, base_rss, _, _ = measure({})
    print(f"check of the valid project: {baseline:.2f} s, peak {base_rss:.0f} MiB")
    print(f"{'case':<38}{'check s':>8}{'peak MiB':>10}{'exit':>6}  first diagnostic")
    for name, files in CASES.items():
        seconds, rss, code, first = measure(files)
        shown = first if len(first) < 110 else first[:107] + "..."
        print(f"{name:<38}{seconds:>8.2f}{rss:>10.0f}{code:>6}  {shown}")
    print(f"\n{'build':<38}{'build s':>8}{'peak MiB':>10}{'exit':>6}{'cmark':>6}{'py-md':>6}"
          f"{'page HTML':>11}")
    print(f"{'the valid project':<38}{measure_build({}, {})}")
    for name, (files, env) in BUILDS.items():
        print(f"{name:<38}{measure_build(files, env)}")


if __name__ == "__main__":
    main()


# ---- Hand-written pages in docs/ (generator/check/mdscan.py) ----------------------------------
# The worst pages the docs limits let through, each as large as they allow: `explainer check`
# and `explainer build` of the repository's project with that page added (the build converts
# it with Python-Markdown). And pages just past a limit: refused by the check in how long.

def _docs_cases() -> dict[str, str]:
    page, depth, scan = limits.MAX_DOCS_PAGE_BYTES, limits.MAX_DOCS_NESTING, \
        limits.MAX_DOCS_BRACKET_SCAN
    nest = "[" * depth + "a" + "]" * depth + " "
    nest_cost = sum(2 * k + 1 for k in range(depth)) + 2 * depth  # its brackets' scan, bound
    return {
        "200 KB of prose": "# P\n\n" + "word " * (page // 5 - 10) + "\n",
        "200 KB of links": "# P\n\n" + "[a](#p) " * (page // 8 - 10) + "\n",
        "unclosed '[' up to the scan limit": "# P\n\n" + "[" * 2 + "x " * (page // 2 - 20)
                                             + "\n",
        f"brackets {depth} deep, to the limit": "# P\n\n" + nest * (scan // nest_cost - 1)
                                                + "\n",
        f"emphasis {depth} deep, 200 KB": "# P\n\n" + ("*a " * depth + "b" + "*" * depth
                                                       + "\n\n") * (page // (5 * depth)),
        f"lists {depth} deep, 200 KB": "# P\n\n" + ("".join("    " * i + "- a\n"
                                                          for i in range(depth + 1)) + "\n")
        * (page // (3 * depth * depth)),
        f"quotes {depth} deep, 200 KB": "# P\n\n" + (">" * depth + " a\n\n")
        * (page // (depth + 4)),
        f"{limits.MAX_DOCS_HEADINGS} equal headings": "# Same\n\n" * limits.MAX_DOCS_HEADINGS,
        f"{limits.MAX_DOCS_HEADINGS} footnotes": "".join(
            f"Text[^{i}]\n\n[^{i}]: Note.\n\n" for i in range(limits.MAX_DOCS_HEADINGS)),
        "nested HTML to the limit, 200 KB": ("<div>" * depth + "x" + "</div>" * depth + "\n")
        * (page // (11 * depth + 2)),
    }


REFUSED_DOCS = {
    "50,000 equal headings (275 s to convert)": "# h\n" * 50_000,
    "30 KB of '['": "# P\n\n" + "[" * 30_000 + "\n",
    "'*a ' x 5,000 (RecursionError)": "# P\n\n" + "*a " * 5_000 + "b" + "*" * 5_000 + "\n",
    "300 nested lists (RecursionError)": "# P\n\n" + "".join("    " * i + "- a\n"
                                                             for i in range(300)),
}


def _docs_project(tmp: str, page: str | None) -> Path:
    root = copy_example(Path(tmp) / "project")
    if page is not None:
        (root / "docs" / "bench.md").write_text(page, "utf-8")
    return root


def _docs_run(page: str | None, command: str) -> tuple[float, int, str]:
    import os
    import time

    with tempfile.TemporaryDirectory() as tmp:
        root = _docs_project(tmp, page)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "generator", command, "--root",
                                 str(root)], capture_output=True, text=True, check=False,
                                cwd=root, timeout=1800,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        seconds = time.perf_counter() - start
    out = result.stdout + result.stderr
    first = next((line for line in out.splitlines() if "docs/bench.md" in line), "")
    return seconds, result.returncode, first


def docs_main() -> None:
    print(f"\n{'docs page':<38}{'bytes':>9}{'check s':>9}{'build s':>9}{'exit':>6}")
    base_build = _docs_run(None, "build")[0]
    print(f"{'(none: the repository as it is)':<38}{0:>9}{_docs_run(None, 'check')[0]:>9.2f}"
          f"{base_build:>9.2f}")
    for name, page in _docs_cases().items():
        check_s, _, first = _docs_run(page, "check")
        build_s, code, _ = _docs_run(page, "build")
        print(f"{name:<38}{len(page.encode()):>9,}{check_s:>9.2f}{build_s:>9.2f}{code:>6}"
              f"  {first[:90]}")
    for name, page in REFUSED_DOCS.items():
        check_s, code, first = _docs_run(page, "check")
        print(f"{name:<38}{len(page.encode()):>9,}{check_s:>9.2f}{'-':>9}{code:>6}"
              f"  {first[:90]}")


if __name__ == "__main__":
    docs_main()
