"""Theme files no reader's browser fetches, left out of the published site.

Material ships its own search (lunr, its language packs and a web worker: about 1.2 MB) and
the source maps of its scripts (about 1.2 MB). This site's search is Pagefind's
(generator/adapters/search_index.py), and Material starts its search worker only on a page with
its search form, which our header replaces; a source map is read only by a developer's tools.
So an edition carries 2.4 MB that nobody loads. They stay when a writer turns Material's
``search`` plugin on in mkdocs.yml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

UNUSED_FOLDERS = ("assets/javascripts/lunr/", "assets/javascripts/workers/")


def unused(uri: str) -> bool:
    """A theme file that no page of a site without Material's search loads."""
    return uri.startswith(UNUSED_FOLDERS) or (uri.startswith("assets/") and uri.endswith(".map"))


def drop_unused(files: Any, material_search: bool, docs_dir: str) -> None:
    """Remove those theme files from MkDocs' list (nothing when Material's search is on; a
    writer's own file in docs/ always stays)."""
    if material_search:
        return
    docs = Path(docs_dir).resolve()
    for file in [f for f in files if unused(f.src_uri) and not f.generated_by
                 and f.abs_src_path and not Path(f.abs_src_path).resolve().is_relative_to(docs)]:
        files.remove(file)
