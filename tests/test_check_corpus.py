"""The broken-input corpus: one case per rule of `explainer check`.

Each case changes one file of a small valid project (tests/checkkit.py) and asserts the exit code
and the exact set of diagnostics, so a rule that stops firing, fires twice, cascades into echoes or
moves its line is caught. Warnings-only cases exit 0; with --strict they exit 1.
"""

from __future__ import annotations

import pytest

from tests.checkkit import EXPLAINER, FACTS, SOURCES, make_project, run_check

F = "content/facts/main.yaml"
S = "content/sources/main.yaml"
E = "content/explainers/housing.yaml"
CASES: dict[str, dict[str, str | bytes | None]] = {
    "yaml-syntax": {
        F: FACTS.replace(
            "sources: [city_report]\n  - id: share", "sources: [city_report\n  - id: share"
        )
    },
    "unknown-key": {S: SOURCES.replace("    title:", "    titel:")},
    "missing-required": {E: EXPLAINER.replace("headline: The city built more homes\n", "")},
    "bad-label": {E: EXPLAINER.replace("Why it matters", "Why it maters")},
    "wrong-type": {F: FACTS.replace("value: 1200", "value: lots")},
    "bad-slug": {E: EXPLAINER.replace("slug: housing", "slug: Housing_1")},
    "javascript-url": {S: SOURCES.replace("https://example.org/report", "javascript:alert(1)")},
    "unknown-fact-ref": {E: EXPLAINER.replace("{{homes_built}}", "{{homes_bilt}}")},
    "unknown-fact-source": {
        F: FACTS.replace(
            "sources: [city_report]\n  - id: share", "sources: [city_reprt]\n  - id: share"
        )
    },
    "unknown-prose-source": {E: EXPLAINER.replace("more. [@city_report]", "more. [@city_reprt]")},
    "unknown-chart": {
        E: EXPLAINER.replace("    bullets:\n", "    chart: homes_chart\n    bullets:\n")
    },
    "chart-and-charts": {
        E: EXPLAINER.replace("    bullets:\n", "    chart: a\n    charts: [b]\n    bullets:\n")
    },
    "unknown-chart-in-list": {
        E: EXPLAINER.replace("    bullets:\n", "    charts: [homes_chart]\n    bullets:\n")
    },
    "duplicate-fact": {
        "content/facts/more.yaml": "facts:\n  - id: homes_built\n    statement: Again.\n    type: count\n    value: 1\n    sources: [city_report]\n"
    },
    "duplicate-source": {
        "content/sources/more.yaml": "sources:\n  - id: city_report\n    title: Copy\n    url: https://example.org/x\n"
    },
    "cycle": {
        F: FACTS
        + "  - id: loop_a\n    statement: A.\n    type: number\n    derived:\n      formula: loop_b + 1\n  - id: loop_b\n    statement: B.\n    type: number\n    derived:\n      formula: loop_a * 2\n"
    },
    "derived-mismatch": {F: FACTS.replace("stated: 300", "stated: 350")},
    "percent-range": {F: FACTS.replace("value: 25", "value: 125")},
    "impossible-date": {E: EXPLAINER.replace("published: 2023-03-01", "published: 2023-02-30")},
    "future-date": {E: EXPLAINER.replace("published: 2023-03-01", "published: 2999-03-01")},
    "accessed-before-published": {
        S: SOURCES.replace("accessed: 2023-02-01", "accessed: 2022-12-01")
    },
    "fact-without-source": {
        F: FACTS.replace(
            '    as_of: "2022"\n    sources: [city_report]\n  - id: share',
            '    as_of: "2022"\n  - id: share',
        )
    },
    "fact-empty-sources": {
        F: FACTS.replace("sources: [city_report]\n  - id: share", "sources: []\n  - id: share")
    },
    "formula-syntax": {
        F: FACTS.replace("homes_built * share_affordable / 100", "homes_built.__class__")
    },
    "formula-unknown": {
        F: FACTS.replace(
            "homes_built * share_affordable / 100", "homes_bilt * share_affordable / 100"
        )
    },
    "malformed-ref": {E: EXPLAINER.replace("{{share_affordable}}", "{{ Share }}")},
    "not-utf8": {S: SOURCES.encode() + b"  # caf\xe9\n"},
    "python-tag": {
        S: SOURCES.replace(
            "title: Annual housing report", "title: !!python/object/apply:os.system [ls]"
        )
    },
    "duplicate-key": {S: SOURCES.replace("    accessed:", "    title: Again\n    accessed:")},
    "slug-file-mismatch": {E: EXPLAINER.replace("slug: housing", "slug: homes")},
    "updated-before-published": {
        E: EXPLAINER.replace("published: 2023-03-01", "published: 2023-03-01\nupdated: 2023-02-01")
    },
    "as-of-impossible": {
        F: FACTS.replace(
            'as_of: "2022"\n    sources: [city_report]\n  - id: share',
            "as_of: 2022-13\n    sources: [city_report]\n  - id: share",
        )
    },
    "derived-with-value": {F: FACTS.replace("    derived:\n", "    value: 300\n    derived:\n")},
    "currency-code-missing": {
        F: FACTS.replace(
            "type: count\n    value: 1200\n    unit: homes", "type: currency\n    value: 1200"
        )
    },
    "reserved-slug": {
        E: None,
        "content/explainers/facts.yaml": EXPLAINER.replace("slug: housing", "slug: facts"),
    },
    "docs-collision": {"docs/housing.md": "# Housing\n"},
    "empty-file": {"content/sources/empty.yaml": "# nothing yet\n"},
    "two-documents": {S: SOURCES + "---\nsources: []\n"},
    "section-empty": {E: EXPLAINER + "  - label: The big picture\n"},
    # warnings
    "tease-long": {
        E: EXPLAINER.replace(
            "tease: More homes, few affordable", "tease: The city built many more homes than ever"
        )
    },
    "typed-number": {
        E: EXPLAINER.replace("The council wants more.", "The council wants 500 more.")
    },
    "unused-fact": {
        F: FACTS
        + "  - id: spare\n    statement: Unused.\n    type: number\n    value: 3\n    sources: [city_report]\n"
    },
    "unused-source": {
        S: SOURCES
        + "  - id: spare_source\n    publisher: X\n    title: Unused\n    url: https://example.org/u\n    accessed: 2023-01-01\n"
    },
    "review-due": {
        F: FACTS.replace(
            "sources: [city_report]\n  - id: share",
            "sources: [city_report]\n    review_by: 2001-01-01\n  - id: share",
        )
    },
    "source-without-url": {S: SOURCES.replace("    url: https://example.org/report\n", "")},
}

# (exit code, exact diagnostics in report order)
EXPECTED: dict[str, tuple[int, list[str]]] = {
    "chart-and-charts": (1, [
        "content/explainers/housing.yaml:12:5: error: give `chart` for one chart or `charts` for several, not both"
    ]),
    "unknown-chart-in-list": (1, [
        "content/explainers/housing.yaml:11:14: error: unknown chart 'homes_chart': add charts/homes_chart.yaml or fix the id"
    ]),
    "yaml-syntax": (
        1,
        [
            "content/facts/main.yaml:9:7: error: YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence"
        ],
    ),
    "unknown-key": (
        1,
        [
            "content/sources/main.yaml:2:5: error: source 'city_report': missing required key 'title' (Title of the work. For an untitled work, a short description in square brackets.)",
            "content/sources/main.yaml:4:5: error: unknown key 'titel' (did you mean 'title'?)",
        ],
    ),
    "missing-required": (
        1,
        [
            "content/explainers/housing.yaml:1:1: error: explainer 'housing': missing required key 'headline' (The page title.)"
        ],
    ),
    "bad-label": (
        1,
        [
            "content/explainers/housing.yaml:9:5: error: 'sections[0].label': 'Why it maters' is not allowed (did you mean 'Why it matters'?); use one of: Why it matters, The big picture, Driving the news, Behind the scenes, The intrigue, Between the lines, By the numbers, Yes, but, Zoom in, Zoom out, What's next, What they're saying, State of play, Flashback, Reality check, Go deeper, The bottom line, Catch up quick, Details, Context"
        ],
    ),
    "wrong-type": (
        1,
        [
            "content/facts/main.yaml:5:5: error: fact 'homes_built', key 'value': expected a number, got text"
        ],
    ),
    "bad-slug": (
        1,
        [
            "content/explainers/housing.yaml:1:1: error: 'slug': 'Housing_1' is not valid. The page's URL name: lowercase letters, digits and hyphens. Must match the file name.",
            "content/explainers/housing.yaml:1:1: error: slug 'Housing_1' does not match the file name 'housing.yaml': rename the file to 'Housing_1.yaml' or change the slug",
        ],
    ),
    "javascript-url": (
        1,
        [
            "content/sources/main.yaml:5:5: error: source 'city_report', key 'url': 'javascript:alert(1)' is not a safe link: it must start with http:// or https:// (lowercase)"
        ],
    ),
    "unknown-fact-ref": (
        1,
        [
            "content/explainers/housing.yaml:4:22: error: {{homes_bilt}}: unknown fact 'homes_bilt' (did you mean 'homes_built'?)"
        ],
    ),
    "unknown-fact-source": (
        1,
        [
            "content/facts/main.yaml:8:15: error: fact 'homes_built' cites unknown source 'city_reprt' (did you mean 'city_report'?)"
        ],
    ),
    "unknown-prose-source": (
        1,
        [
            "content/explainers/housing.yaml:12:33: error: [@city_reprt]: unknown source 'city_reprt' (did you mean 'city_report'?)"
        ],
    ),
    "unknown-chart": (
        1,
        [
            "content/explainers/housing.yaml:11:5: error: unknown chart 'homes_chart': add charts/homes_chart.yaml or fix the id"
        ],
    ),
    "duplicate-fact": (
        1,
        [
            "content/facts/more.yaml:2:5: error: duplicate fact id 'homes_built': already defined at content/facts/main.yaml:2; rename one of them"
        ],
    ),
    "duplicate-source": (
        1,
        [
            "content/sources/more.yaml:2:5: error: duplicate source id 'city_report': already defined at content/sources/main.yaml:2; rename one of them"
        ],
    ),
    "cycle": (
        1,
        [
            "content/facts/main.yaml:22:5: warning: fact 'loop_a' is not used by any explainer or chart",
            "content/facts/main.yaml:26:7: error: derived facts form a cycle: loop_a -> loop_b -> loop_a: one of them must be stated, not derived",
            "content/facts/main.yaml:27:5: warning: fact 'loop_b' is not used by any explainer or chart",
            "content/facts/main.yaml:31:7: error: derived facts form a cycle: loop_a -> loop_b -> loop_a: one of them must be stated, not derived",
        ],
    ),
    "derived-mismatch": (
        1,
        [
            "content/facts/main.yaml:21:7: error: fact 'affordable_built': stated value 350 differs from the formula's 300 by more than 0.5%: fix the formula, the stated value or `tolerance`"
        ],
    ),
    "percent-range": (
        1,
        [
            "content/facts/main.yaml:12:5: error: fact 'share_affordable' is a percent but its value is 125: percents are 0-100 (write 60 for 60%)",
            "content/facts/main.yaml:21:7: error: fact 'affordable_built': stated value 300 differs from the formula's 1500 by more than 0.5%: fix the formula, the stated value or `tolerance`",
        ],
    ),
    "impossible-date": (
        1,
        [
            "content/explainers/housing.yaml:5:1: error: 'published': '2023-02-30' is not a real calendar date (YYYY-MM-DD)"
        ],
    ),
    "future-date": (
        1,
        [
            "content/explainers/housing.yaml:5:1: error: explainer 'housing': published date 2999-03-01 is in the future"
        ],
    ),
    "accessed-before-published": (
        1,
        [
            "content/sources/main.yaml:7:5: error: source 'city_report' was accessed (2022-12-01) before it was published (2023-01-10): fix one of the dates"
        ],
    ),
    "fact-without-source": (
        1,
        [
            "content/facts/main.yaml:2:5: error: fact 'homes_built' has no source: add `sources: [source_id]` (or `derived:` with a formula)"
        ],
    ),
    "fact-empty-sources": (
        1,
        [
            "content/facts/main.yaml:8:5: error: fact 'homes_built' has no source: list at least one source id in `sources`"
        ],
    ),
    "formula-syntax": (
        1,
        [
            "content/facts/main.yaml:20:7: error: fact 'affordable_built': formula may only use numbers, fact ids, parentheses and + - * / (found attribute): write it as one arithmetic expression, e.g. `a * b / 100`"
        ],
    ),
    "formula-unknown": (
        1,
        [
            "content/facts/main.yaml:20:7: error: fact 'affordable_built': formula uses unknown fact 'homes_bilt' (did you mean 'homes_built'?)"
        ],
    ),
    "malformed-ref": (
        1,
        [
            "content/explainers/housing.yaml:10:16: error: malformed reference '{{ Share }}': write {{fact_id}} for a fact, [@source_id] for a source (lowercase letters, digits, underscores) or {{\"text\"}} for text shown as typed"
        ],
    ),
    "not-utf8": (
        1,
        [
            "content/sources/main.yaml:8:8: error: file is not valid UTF-8 (byte 0xe9): save it as UTF-8"
        ],
    ),
    "python-tag": (
        1,
        [
            "content/sources/main.yaml:4:12: error: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: plain YAML only"
        ],
    ),
    "duplicate-key": (
        1,
        [
            "content/sources/main.yaml:7:5: error: key 'title' appears twice in this mapping (first on line 4): remove one"
        ],
    ),
    "slug-file-mismatch": (
        1,
        [
            "content/explainers/housing.yaml:1:1: error: slug 'homes' does not match the file name 'housing.yaml': rename the file to 'homes.yaml' or change the slug"
        ],
    ),
    "updated-before-published": (
        1,
        [
            "content/explainers/housing.yaml:6:1: error: explainer 'housing' was updated (2023-02-01) before it was published (2023-03-01)"
        ],
    ),
    "as-of-impossible": (
        1,
        [
            "content/facts/main.yaml:7:5: error: fact 'homes_built': as_of '2022-13' is not a real date or period"
        ],
    ),
    "derived-with-value": (
        1,
        [
            "content/facts/main.yaml:19:5: error: a derived fact takes no `value`: remove it, or put it in `derived.stated`"
        ],
    ),
    "currency-code-missing": (
        1,
        [
            "content/facts/main.yaml:2:5: error: fact 'homes_built' is a currency amount but has no `currency`: add the ISO 4217 code, e.g. `currency: USD`"
        ],
    ),
    "reserved-slug": (
        1,
        [
            "content/explainers/facts.yaml:1:1: error: slug 'facts' is reserved for a page the generator makes: choose another slug"
        ],
    ),
    "docs-collision": (
        1,
        [
            "content/explainers/housing.yaml:1:1: error: slug 'housing' collides with the hand-written page docs/housing.md: choose another slug",
            "docs/housing.md:1:1: error: the generator makes housing.md from content/explainers/housing.yaml, at the same address: rename this page (it is never overwritten) or change the explainer's slug",
        ],
    ),
    "empty-file": (
        1,
        ["content/sources/empty.yaml:1:1: error: file is empty: add content or delete it"],
    ),
    "two-documents": (
        1,
        [
            "content/sources/main.yaml:8:1: error: found a second YAML document ('---'): keep one document per file"
        ],
    ),
    "section-empty": (
        1,
        [
            "content/explainers/housing.yaml:13:5: error: a section needs `text`, `bullets` or `chart`"
        ],
    ),
    "tease-long": (
        0,
        [
            "content/explainers/housing.yaml:3:1: warning: tease has 8 words; house style is 6 or fewer"
        ],
    ),
    "typed-number": (
        0,
        [
            "content/explainers/housing.yaml:12:27: warning: number '500' is typed into prose: make it a fact and write {{fact_id}} so readers can trace it (if it is part of a name, not a quantity, write {{\"... 500\"}} with the whole name)"
        ],
    ),
    "unused-fact": (
        0,
        [
            "content/facts/main.yaml:22:5: warning: fact 'spare' is not used by any explainer or chart"
        ],
    ),
    "unused-source": (
        0,
        [
            "content/sources/main.yaml:8:5: warning: source 'spare_source' is not cited by any fact, explainer or chart"
        ],
    ),
    "review-due": (
        0,
        [
            "content/facts/main.yaml:9:5: warning: fact 'homes_built' was due for review on 2001-01-01: re-check it against its sources and move `review_by` on"
        ],
    ),
    "source-without-url": (
        0,
        [
            "content/sources/main.yaml:2:5: warning: source 'city_report' has no url or archive_url, so readers cannot follow it: add one when it is known, or record why it is not: `unknown: {url: reason}` (never invent one)"
        ],
    ),
}


# Limits and formulas (issues 9, 14): each exceeded limit is one diagnostic at its line.
_FORMULA = "homes_built * share_affordable / 100"
CASES.update({
    # The attack: a Jinja comment carrying markup, and a second output after the first.
    "formula-template-comment": {F: FACTS.replace(
        _FORMULA, "'homes_built * share_affordable / 100) }}{# `<svg onload=alert(1)>` #}{{ (0'")},
    "formula-second-output": {F: FACTS.replace(
        _FORMULA, "homes_built - share_affordable) }}{{ (homes_built * 1000")},
    "formula-result-out-of-range": {F: FACTS.replace(
        _FORMULA, "homes_built * 999999999999999")},
    "formula-too-many-operations": {F: FACTS.replace(
        _FORMULA, "homes_built + " + " + ".join(["1"] * 51))},
    "value-out-of-range": {F: FACTS.replace("value: 1200", "value: 1.0e+50")},
    "field-too-long": {S: SOURCES.replace("publisher: City Council", "publisher: " + "C" * 2_001)},
})
EXPECTED.update({
    "formula-template-comment": (1, [
        f"{F}:20:7: error: fact 'affordable_built': formula may only use numbers, fact ids, "
        "parentheses and + - * / (found '}'): write it as one arithmetic expression, e.g. "
        "`a * b / 100`"]),
    "formula-second-output": (1, [
        f"{F}:20:7: error: fact 'affordable_built': formula may only use numbers, fact ids, "
        "parentheses and + - * / (found '}'): write it as one arithmetic expression, e.g. "
        "`a * b / 100`"]),
    "formula-result-out-of-range": (1, [
        f"{F}:20:7: error: fact 'affordable_built': formula gives 1.2e+18, beyond ±1e+15: "
        "numbers that large cannot be shown to readers"]),
    "formula-too-many-operations": (1, [
        f"{F}:20:7: error: fact 'affordable_built': formula has 51 operations; the limit is 50: "
        "split it into derived facts"]),
    "value-out-of-range": (1, [
        f"{F}:5:5: error: fact 'homes_built', key 'value': 1e+50 is greater than the maximum of "
        "1000000000000000.0"]),
    "field-too-long": (1, [
        f"{S}:3:5: error: `publisher` is 2,001 characters long; the limit is 2,000: shorten it "
        "(longer text belongs in an explainer's prose)"]),
})


def test_corpus_covers_every_case() -> None:
    assert set(CASES) == set(EXPECTED)
    assert len(CASES) >= 25


def test_base_project_is_clean(tmp_path, capsys) -> None:
    code, lines, err = run_check(make_project(tmp_path, {}), capsys, "--strict")
    assert code == 0, lines
    assert lines == ["check ok: 0 errors, 0 warnings in 3 files"]
    assert err == ""


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_input(name: str, tmp_path, capsys) -> None:
    root = make_project(tmp_path, CASES[name])
    code, lines, err = run_check(root, capsys)
    expected_code, expected = EXPECTED[name]
    diagnostics = [line for line in lines if ": error: " in line or ": warning: " in line]
    assert diagnostics == expected
    assert code == expected_code
    assert "Traceback" not in err and "internal error" not in err
    assert lines[-1].startswith("check failed" if expected_code else "check ok")


@pytest.mark.parametrize("name", sorted(n for n, (code, _) in EXPECTED.items() if code == 0))
def test_warnings_are_fatal_with_strict(name: str, tmp_path, capsys) -> None:
    code, lines, _ = run_check(make_project(tmp_path, CASES[name]), capsys, "--strict")
    assert code == 1
    assert lines[-1].endswith("(--strict: warnings are errors)")


# A date in the wrong form (issue 8): one mistake, one error, showing the date as it must be
# written.
CASES.update({
    "date-wrong-form": {F: FACTS + "  - id: report_day\n    statement: Day the report came out.\n"
                        "    type: date\n    value: Oct 18, 2023\n    sources: [city_report]\n"},
    "review-by-wrong-form": {F: FACTS.replace(
        "sources: [city_report]\n  - id: share",
        "sources: [city_report]\n    review_by: Sept. 1, 2024\n  - id: share")},
    "date-unreadable": {F: FACTS + "  - id: report_day\n    statement: Day the report came out.\n"
                        "    type: date\n    value: mid-October\n    sources: [city_report]\n"},
})
EXPECTED.update({
    "date-wrong-form": (1, [
        f"{F}:25:5: error: fact 'report_day', key 'value': 'Oct 18, 2023' is not a date in the "
        "form YYYY-MM-DD: write it as 2023-10-18"]),
    "review-by-wrong-form": (1, [
        f"{F}:9:5: error: fact 'homes_built', key 'review_by': 'Sept. 1, 2024' is not a date in "
        "the form YYYY-MM-DD: write it as 2024-09-01"]),
    "date-unreadable": (1, [
        f"{F}:25:5: error: fact 'report_day', key 'value': 'mid-October' is not a date in the "
        "form YYYY-MM-DD: write dates as YYYY-MM-DD, e.g. 2023-10-18"]),
})
