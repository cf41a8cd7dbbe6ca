"""A clean build lets go of each generated file once MkDocs has it (generator/adapters/release.py)
and publishes the same site as a build that holds everything to the end.

The example project is built twice with ``explainer build`` and a fixed ``SOURCE_DATE_EPOCH``:
as shipped, and with ``EXPLAINER_RELEASE=off`` (everything kept, as MkDocs alone does). Every
file of the two sites must have the same bytes. A third, in-process build looks at what MkDocs
still holds when the build ends: no generated page's Markdown or HTML, and every generated
data file already in the site folder, written once, before MkDocs' copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.adapters.engine import activate
from tests.conftest import build_project, copy_project

pytestmark = [pytest.mark.slow]
EPOCH = "1767225600"  # 2026-01-01: data files carry the build time


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_released_build_publishes_the_same_site(tmp_path: Path) -> None:
    released = build_project(copy_project(tmp_path / "a"), SOURCE_DATE_EPOCH=EPOCH)
    kept = build_project(copy_project(tmp_path / "b"), SOURCE_DATE_EPOCH=EPOCH,
                         EXPLAINER_RELEASE="off")
    a, b = _tree(released), _tree(kept)
    assert sorted(a) == sorted(b)
    assert any(p.startswith("data/explainers/") for p in a)  # the deferred data files
    assert any(p.startswith("pagefind/") for p in a)
    different = [path for path in a if a[path] != b[path]]
    assert different == []


def test_a_clean_build_holds_no_page_markdown_or_html_at_the_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    activate()
    from generator.adapters import mkdocs_plugin as mp
    from generator.adapters.mkdocs_run import run_build

    root = copy_project(tmp_path / "project")
    seen: dict[str, Any] = {}
    real = mp.ExplainerPlugin.on_post_build

    def on_post_build(self: Any, *, config: Any) -> None:
        # What MkDocs still holds after writing every page, before the search index.
        pages = [f.page for f in config._explainer_files if f.page is not None]
        seen["generated"] = [p for p in pages if p.file.src_uri in self.meta]
        seen["held_html"] = [p.file.src_uri for p in seen["generated"] if p.content is not None]
        seen["held_markdown"] = [p.file.src_uri for p in seen["generated"] if p.markdown]
        seen["held_source"] = [p.file.src_uri for p in seen["generated"]
                               if p.file.content_string]
        seen["statics"] = [f for f in config._explainer_files
                           if f.generated_by and not f.is_documentation_page()
                           and not f.src_uri.startswith(mp.ASSET_PREFIX)]
        real(self, config=config)

    real_files = mp.ExplainerPlugin.on_files

    def on_files(self: Any, files: Any, *, config: Any) -> Any:
        files = real_files(self, files, config=config)
        config._explainer_files = files
        return files

    site = tmp_path / "site"
    try:
        mp.ExplainerPlugin.on_post_build = on_post_build  # type: ignore[method-assign]
        mp.ExplainerPlugin.on_files = on_files  # type: ignore[method-assign]
        output = run_build(root=root, site_dir=site)
    finally:
        mp.ExplainerPlugin.on_post_build = real  # type: ignore[method-assign]
        mp.ExplainerPlugin.on_files = real_files  # type: ignore[method-assign]
    assert len(seen["generated"]) == len(output.pages()) > 10
    assert seen["held_html"] == []
    assert seen["held_markdown"] == []
    assert seen["held_source"] == []
    statics = seen["statics"]
    assert any(f.src_uri.startswith("data/explainers/") for f in statics)
    # Written into the site when MkDocs was handed them: MkDocs holds a path, not the bytes.
    assert all(f.abs_src_path == str(site / f.src_uri) for f in statics), statics[:3]
    # MkDocs keeps plugin instances across builds in one process: a second build must not
    # reuse the output the first one gave away (it once published empty pages).
    again = run_build(root=root, site_dir=tmp_path / "again")
    assert len(again.pages()) == len(output.pages())
    assert _tree(tmp_path / "again") == _tree(site)
    # The returned files kept no content (only --keep-markdown keeps it).
    assert all(f.content == "" for f in output.files
               if f.is_page or f.path.startswith("data/facts"))
