"""What a clean build lets go of as it goes, so its memory does not grow with the archive.

MkDocs reads and converts every page before it renders the first template, and keeps each
page's Markdown, its front-matter copy and its HTML until the build ends; the generator's data
files stay in memory until MkDocs copies them after that. At 10,000 explainers that was the
site held whole three times over (bench/README.md, "Figures: issue 11"). For a clean build
(not ``serve``, whose incremental rebuilds compare this build's files with the next one's):

* a generated data file is written into the site folder when MkDocs is handed the files, and
  MkDocs gets a ``File`` pointing at what was written (its copy finds the same file and skips
  it, as MkDocs lets plugins do); the explainers' data files are made only then
  (``generate_site(defer_data=True)``), one at a time;
* a generated page's Markdown is dropped once converted (the title lives in its metadata), and
  its HTML once the page is written. The anchors MkDocs checks at the end are kept;
* before the search index (Pagefind, a separate process as large as the site) runs, the
  project, the facts payload and the pages' metadata go, and the freed memory is given back to
  the system (glibc keeps it otherwise), so the two do not add their peaks.

The output is byte-identical: tests/test_release.py builds a site both ways and compares.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File

from generator.render.output import GeneratedFile
from generator.render.site import DeferredFile, SiteOutput


def written_static(config: Any, generated: GeneratedFile, inclusion: Any) -> File:
    """Write a generated non-page file into the site folder now; MkDocs' copy then skips it."""
    target = Path(config.site_dir, generated.path)
    target.parent.mkdir(parents=True, exist_ok=True)
    content = generated.content
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        with open(target, "w", encoding="utf-8") as out:  # MkDocs writes text the same way
            out.write(content)
    return File.generated(config, generated.path, abs_src_path=str(target), inclusion=inclusion)


def drop_source(page: Any) -> None:
    """After conversion: the page's Markdown and its file's text. The title stays (front
    matter, already in ``page.meta``); an empty string, not None, keeps MkDocs' title lookup
    from falling back to the file name."""
    page.markdown = ""
    page.file.content_string = ""


def drop_html(page: Any) -> None:
    """After the page is written: its HTML (the nav of other pages reads titles, not HTML)."""
    page.content = None


def before_search(output: SiteOutput) -> None:
    """Let go of what the written site no longer needs, and give the memory back."""
    output.facts_payload = {}
    for generated in output.files:
        if isinstance(generated, DeferredFile):
            generated.release()
    gc.collect()
    # glibc only; elsewhere the memory stays with the process, as before.
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).malloc_trim(0)
