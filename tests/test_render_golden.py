"""The seed explainer's Markdown, and every generated file of the example site, equal the
committed golden files (tests/golden.py says what is covered)."""

from __future__ import annotations

import difflib

import pytest

from tests import golden


@pytest.mark.parametrize("slug", golden.SLUGS)
def test_generated_markdown_matches_golden(slug: str) -> None:
    expected = golden.golden_path(slug).read_text("utf-8")
    actual = golden.generated_markdown(slug)
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(True), actual.splitlines(True),
            f"tests/golden/{slug}.md (committed)", "generated now"))
        pytest.fail("generated Markdown differs from the golden file; if the change is "
                    f"intended, run `make golden` and review the diff:\n{diff}")


def test_the_whole_generated_site_matches_golden() -> None:
    expected = golden.committed_site()
    actual = golden.site_files()
    assert sorted(actual) == sorted(expected), "files added or removed: run `make golden`"
    changed = [path for path in expected if actual[path] != expected[path]]
    if changed:
        diff = "".join("".join(difflib.unified_diff(
            expected[p].splitlines(True), actual[p].splitlines(True),
            f"tests/golden/example-site/{p} (committed)", "generated now")) for p in changed[:3])
        pytest.fail(f"{len(changed)} generated file(s) differ from the golden tree ({changed}); "
                    f"if intended, run `make golden` and review the diff:\n{diff}")
