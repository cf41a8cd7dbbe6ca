"""A fact edit in the live preview costs the same work at any archive size: counted, not timed.

Two synthetic projects, one ten times the other, each served by MkDocs' serve builder in process
(as ``explainer serve`` runs it, tests/test_preview_incremental.py's ``Preview``); after one fact
value edit each counts the files parsed again, the files the check judged again, the explainers
the generator rendered, the items it made again and the pages MkDocs rendered. The counts must
be equal: the explainer that shows the fact and the index pages that list it, nothing that grows
with the archive.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import preview as pv
from bench import sites
from tests.test_preview_incremental import Preview

pytestmark = [pytest.mark.slow]


def explainer_plugin(preview: Preview):  # type: ignore[no-untyped-def]
    from generator.adapters.mkdocs_plugin import ExplainerPlugin

    found = [p for p in preview.plugin_cache.values() if isinstance(p, ExplainerPlugin)]
    assert len(found) == 1
    return found[0]


def fact_edit_work(tmp: Path, count: int) -> dict[str, object]:
    root = sites.make_root(tmp / f"project-{count}", count)
    preview = Preview(root, tmp / f"site-{count}", dirty=True)
    first = preview.build()
    plugin = explainer_plugin(preview)
    parsed = plugin.cache.parsed
    assert plugin.check_state.rechecked > 3 * count  # the first check judges every file
    pv.edit_one_fact(root, count)
    pages = preview.build()
    assert pv.NEW_DISPLAY in (preview.site / pv.edited_slug(count) / "index.html").read_text(
        "utf-8")
    return {
        "pages in the site": len(first),
        "files parsed": plugin.cache.parsed - parsed,
        "files checked": plugin.check_state.rechecked,
        "explainers rendered": preview.explainers,
        "pages rendered": sorted(pages),
        "items made": dict(plugin.reuse.made),
    }


def test_fact_edit_work_does_not_grow_with_the_archive(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    small, large = (fact_edit_work(tmp_path, n) for n in (4, 40))
    assert large["pages in the site"] > 3 * small["pages in the site"]  # type: ignore[operator]
    for work, count in ((small, 4), (large, 40)):
        slug = pv.edited_slug(count)
        assert work["files parsed"] == 1
        assert work["files checked"] == 1
        assert work["explainers rendered"] == [slug]
        # The explainer showing the fact and the Facts index page listing it.
        assert work["pages rendered"] == sorted([f"{slug}.md", "facts/index.md"])
        # What the generator made again (generator/render/reuse.py); all else was taken from
        # the last generation. The edited file's fact records (its parsed document is new);
        # the CSV rows of the fact and of the fact computed from it; the explainer's page,
        # data file, cards (the archive, the front page's latest and topics) and its listings
        # on its two tag pages; the Facts and Sources pages that list the fact.
        made: dict[str, int] = work["items made"]  # type: ignore[assignment]
        facts_file = tmp_path / f"project-{count}/content/facts/f{count // 2:05d}.yaml"
        assert made == {
            "fact record": facts_file.read_text("utf-8").count("  - id: "), "csv row": 2,
            "page": 1, "data": 1, "card": made["card"], "listing": 2,
            "facts page": 1, "sources page": 1}
        assert 1 <= made["card"] <= 4
