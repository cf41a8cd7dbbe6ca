"""The hostile corpus (issue 9): what a pull request of YAML and CSV can try, across every file
kind and field. Each case is either refused by ``check`` at the line that carries it, or accepted
and then shown inert: built into a real site and opened in Chromium with no dialog, no request to
another host, and the text shown as typed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.check.run import check_project
from tests.chartkit import CHARTS, PERMITS_CSV, make_chart_project
from tests.checkkit import BASE, write_files
from tests.conftest import build_project, copy_project, static_server

S, F, E = "content/sources/main.yaml", "content/facts/main.yaml", "content/explainers/housing.yaml"
URL = "url: https://example.org/report"
FORMULA = "formula: homes_built * share_affordable / 100"
LEDE = "lede: The city built {{homes_built}} homes last year. [@city_report]"

# (name, file, text to replace, replacement): refused at the line of the replacement.
REFUSED = [
    *[(f"url-{i}", S, URL, f"url: {bad}") for i, bad in enumerate([
        "'https://apnews.example/)<img/src=x/onerror=alert(101)>'",
        "'https://a.example/x\"onmouseover=\"alert(1)'",
        "'https://a.example/ x'",
        "'https://a.example/`x`'",
        "'https://a.example/](javascript:alert(1))'",
        "javascript:alert(1)",
        "' javascript:alert(1)'",
        "JaVaScRiPt:alert(1)",
        "'&#106;avascript:alert(1)'",
        "data:text/html,<script>alert(1)</script>",
        "'https://user:pass@a.example/'",
        "'https://a.example/\\\\evil'",
        "'https://a.example/?r=javascript:alert(1)'",
        "ftp://a.example/x",
        "'//evil.example/x'",
        "'https://a.example/<script>'",
        "'https://a.example/\\u0000'",
    ])],
    ("archive-url-js", S, URL, URL + "\n    archive_url: javascript:alert(1)"),
    ("archive-url-break", S, URL, URL + "\n    archive_url: 'https://a.example/)<svg/onload=alert(1)>'"),
    ("source-id-markup", S, "id: city_report", "id: '<img src=x>'"),
    ("source-cited-in", S, URL, URL + "\n    cited_in: '<b>x</b>'"),
    ("source-date", S, "published: 2023-01-10", "published: 'Jan 10, 2023'"),
    ("fact-id-markup", F, "id: homes_built", "id: 'homes<script>'"),
    ("fact-value-huge", F, "value: 1200", "value: 1.0e+50"),
    ("fact-value-nan", F, "value: 1200", "value: .nan"),
    ("fact-value-digits", F, "value: 1200", "value: " + "9" * 5001),
    ("fact-value-text", F, "value: 1200", "value: '<img src=x onerror=alert(1)>'"),
    ("fact-as-of", F, 'as_of: "2022"\n    sources: [city_report]\n  - id: share',
     'as_of: "<b>2022</b>"\n    sources: [city_report]\n  - id: share'),
    ("fact-source-markup", F, "sources: [city_report]", "sources: ['<script>']"),
    ("fact-type", F, "type: count", "type: '<svg onload=alert(1)>'"),
    ("fact-precision", F, "type: percent", "type: percent\n    precision: 1000"),
    ("formula-comment", F, FORMULA,
     "formula: 'a * b / 100) }}{# `<svg onload=alert(1)>` #}{{ (0'"),
    ("formula-second-output", F, FORMULA, "formula: 'homes_built - 1) }}{{ (homes_built * 1000'"),
    ("formula-attribute", F, FORMULA, "formula: homes_built.__class__"),
    ("formula-call", F, FORMULA, "formula: __import__('os')"),
    ("formula-power", F, FORMULA, "formula: homes_built ** 99999"),
    ("formula-huge", F, FORMULA, "formula: homes_built * " + "9" * 240),
    ("formula-backtick", F, FORMULA, "formula: 'homes_built ` <img src=x>'"),
    ("explainer-slug", E, "slug: housing", "slug: '../etc'"),
    ("lede-js-link", E, LEDE, "lede: '[here](javascript:alert(1))'"),
    ("lede-backslash-link", E, LEDE, "lede: '\\[here\\]( javascript:alert(1))'"),
    ("lede-data-link", E, LEDE, "lede: '[x](data:text/html,<script>alert(1)</script>)'"),
    ("lede-unknown-fact", E, LEDE, "lede: 'The city built {{homes_bilt}} homes.'"),
    ("lede-malformed", E, LEDE, "lede: 'The city built {{ <script> }} homes.'"),
    ("lede-source-markup", E, LEDE, "lede: 'Said so. [@<img src=x>]'"),
    ("lede-many-refs", E, LEDE, "lede: '" + " ".join(["{{homes_built}}"] * 10_001) + "'"),
    ("explainer-date", E, "published: 2023-03-01", "published: '2023-03-01<script>'"),
    ("explainer-unknown-source", E, "authors: [A. Writer]",
     "authors: [A. Writer]\nsources: ['<b>x</b>']"),
    ("explainer-chart", E, "      - The council wants more. [@city_report]",
     "      - The council wants more. [@city_report]\n    chart: '<svg/onload=alert(1)>'"),
    ("section-label", E, "label: Why it matters", "label: '<img src=x onerror=alert(1)>'"),
    ("yaml-python-tag", F, "value: 1200", "value: !!python/object/apply:os.system ['id']"),
    ("yaml-duplicate", F, "value: 1200", "value: 1200\n    value: 1300"),
    ("yaml-deep", F, "value: 1200", "value: " + "[" * 30_000 + "]" * 30_000),
]

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcde", "bcdef", strict=True))
# (name, file, whole content, line): refused at that line.
REFUSED_FILES = [
    ("yaml-billion-laughs", "content/facts/laughs.yaml", LAUGHS, 1),
    ("yaml-not-utf8", "content/facts/latin1.yaml", b"facts:\n  - id: caf\xe9\n", 2),
    ("yaml-merge-key", "content/facts/merge.yaml",
     "base: &b {type: count}\nfacts:\n  - <<: *b\n", 3),
    ("yaml-two-documents", "content/facts/two.yaml", "facts: []\n---\nfacts: []\n", 2),
    ("chart-csv-absolute", "charts/evil.yaml",
     "id: evil\ntype: bar\ntitle: T\ndata:\n  csv: /etc/passwd.csv\n  sources: [city_report]\n", 5),
    ("chart-csv-parent", "charts/evil.yaml",
     "id: evil\ntype: bar\ntitle: T\ndata:\n  csv: ../../x.csv\n  sources: [city_report]\n", 5),
    ("chart-unknown-fact", "charts/evil.yaml",
     "id: evil\ntype: bar\ntitle: T\npoints:\n  - {fact: '<img src=x>', label: a}\n", 5),
]

CASES = [(n, f, o, r, None) for n, f, o, r in REFUSED] + \
        [(n, f, None, c, line) for n, f, c, line in REFUSED_FILES]


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(("name", "path", "old", "new", "line"), CASES, ids=[c[0] for c in CASES])
def test_refused_at_the_line_that_carries_it(tmp_path: Path, name: str, path: str,
                                             old: str | None, new: str | bytes,
                                             line: int | None) -> None:
    files: dict[str, str | bytes | None] = dict(BASE)
    if old is not None:
        text = str(files[path])
        assert old in text, name
        files[path] = text.replace(old, str(new), 1)
        first = _line_of(str(files[path]), str(new))
        carried = set(range(first, first + str(new).count("\n") + 1))
    else:
        files[path] = new
        carried = {line or 1}
    root = write_files(tmp_path, files)
    _, diagnostics = check_project(root, today=dt.date(2026, 1, 1))
    errors = [d for d in diagnostics.errors if d.path == path]
    assert errors, f"{name}: no error in {path}"
    lines = {d.line for d in errors}
    # The key that holds a value is reported, so a value on its own line may be one above.
    assert lines & (carried | {min(carried) - 1}), (name, carried, [d.format() for d in errors])


def test_the_corpus_is_at_least_sixty_cases() -> None:
    assert len(CASES) + len(ACCEPTED) >= 60


# Accepted (they are plain text), shown as typed and inert: one site holds them all.
PAYLOAD = '<img src=x onerror=alert(1)>"><svg onload=alert(2)>`*[x](javascript:alert(3))*`'
ACCEPTED = {
    "source title": ("content/sources/main.yaml", "title: Annual housing report",
                     f"title: '{PAYLOAD}'"),
    "source publisher": ("content/sources/main.yaml", "publisher: City Council",
                         f"publisher: '{PAYLOAD}'"),
    "source locator": ("content/sources/main.yaml", "accessed: 2023-02-01",
                       f"accessed: 2023-02-01\n    locator: '{PAYLOAD}'"),
    "source note": ("content/sources/main.yaml", "published: 2023-01-10",
                    f"published: 2023-01-10\n    note: '{PAYLOAD}'"),
    "fact statement": ("content/facts/main.yaml", "statement: Homes built in 2022.",
                       f"statement: '{PAYLOAD}'"),
    "fact unit": ("content/facts/main.yaml", "unit: homes\n    as_of: \"2022\"\n    sources:",
                  f"unit: '{PAYLOAD}'\n    as_of: \"2022\"\n    sources:"),
    "fact note": ("content/facts/main.yaml", "statement: Rental homes",
                  f"note: '{PAYLOAD}'\n    statement: Rental homes"),
    "headline": (E, "headline: The city built more homes", f"headline: '{PAYLOAD}'"),
    "tease": (E, "tease: More homes", f"tease: '{PAYLOAD}'"),
    "author": (E, "authors: [A. Writer]", f"authors: ['{PAYLOAD}']"),
    "section text": (E, "text: Only",
                     "text: <svg onload=alert(4)> \\<img src=x onerror=alert(5)> Only"),
    "chart title": ("charts/grouped_chart.yaml", "title: Permits by district",
                    f"title: '{PAYLOAD}'"),
    "chart x title": ("charts/grouped_chart.yaml", "x_title: Month", f"x_title: '{PAYLOAD}'"),
    "csv header": ("content/data/permits.csv", "month,north,south",
                   'month,"<img src=x onerror=alert(6)>",south'),
}


@pytest.fixture(scope="module")
def inert_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("inert") / "project")
    from tests.chartkit import FACTS as CHART_FACTS
    from tests.chartkit import SOURCES as CHART_SOURCES
    from tests.chartkit import explainer

    files = {"content/sources/main.yaml": CHART_SOURCES, "content/facts/main.yaml": CHART_FACTS,
             "content/data/permits.csv": PERMITS_CSV,
             "content/explainers/housing.yaml": explainer(["grouped_chart"]),
             "charts/grouped_chart.yaml": CHARTS["grouped_chart"]}
    from textwrap import dedent

    files = {k: dedent(v) for k, v in files.items()}
    for label, (path, old, new) in ACCEPTED.items():
        if old not in files[path]:  # a fixture line this corpus expects
            raise AssertionError(f"{label}: '{old}' not in {path}")
        files[path] = files[path].replace(old, new, 1)
    make_chart_project(root, {}, files=files)
    return build_project(root)


@pytest.mark.browser
@pytest.mark.slow
def test_accepted_text_is_shown_inert(inert_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    with static_server(inert_site) as base:
        for page_path in ("housing/", "sources/", "facts/", ""):
            page = browser.new_page()
            dialogs: list[str] = []
            foreign: list[str] = []
            page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
            page.on("request", lambda r, seen=foreign: None if r.url.startswith(base)
                    or r.url.startswith("data:") else seen.append(r.url))
            page.goto(base + page_path)
            page.mouse.wheel(0, 4000)
            page.wait_for_timeout(300)
            text = page.locator("body").inner_text()
            page.close()
            assert dialogs == [] and foreign == [], (page_path, dialogs, foreign)
            if page_path == "housing/":
                assert "<img src=x onerror=alert(1)>" in text
