"""The seed explainer's generated Markdown equals the committed golden file."""

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
