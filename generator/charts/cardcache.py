"""Painted social cards kept between builds, so a build paints only the cards that changed.

A card takes a few milliseconds to paint, but a build paints one per explainer: at 10,000
explainers that is most of generating the site, and a one-fact correction changes one card.
A card whose layout (every line of text, where, in which size and colour role) is the one
painted before is read back from the cache folder (``EXPLAINER_CACHE_DIR``, else
``~/.cache/explainer``: ``cards/``), keyed by a hash of that layout and of everything that
paints it (this package's painting code, its fonts, Pillow's version). Painting is
deterministic, so the bytes are those a paint would give (tests/test_card_cache.py). A card
that shows a chart is always painted (a chart's data is not keyed here). What is read back
must be a PNG of at most the card's size limit; anything else is painted again. The cache is
never written inside the project (charts/static.py ``cache_dir``), as for chart pictures.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.charts.static import cache_dir

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_CARD_BYTES = 256 * 1024  # far above a card (tests/test_cards_pillow.py: at most 30 KB)
HERE = Path(__file__).resolve().parent


@functools.cache
def painter_digest() -> str:
    """The code and fonts that paint a card, and Pillow's version."""
    import PIL

    digest = hashlib.sha256(f"pillow={PIL.__version__}\0".encode())
    for name in ("card.py", "cardpaint.py", "cardchart.py", "cardcache.py"):
        digest.update((HERE / name).read_bytes())
    for path in sorted((HERE / "fonts").rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class CardCache:
    """One build's use of the cards' cache folder; ``painted`` counts the cards painted."""

    def __init__(self, root: Path) -> None:
        self.folder = cache_dir(root, "cards")
        self.painted = 0

    def png(self, texts: Any, paint: Callable[[], bytes]) -> bytes:
        """The card whose lines are ``texts`` (a repr-able value): from the cache, or
        ``paint()`` and kept."""
        if self.folder is None:
            self.painted += 1
            return paint()
        key = hashlib.sha256(f"{painter_digest()}\0{texts!r}".encode()).hexdigest()
        path = self.folder / key[:2] / f"{key}.png"
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        if data.startswith(PNG_MAGIC) and len(data) <= MAX_CARD_BYTES:
            return data
        self.painted += 1
        data = paint()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as out:
                out.write(data)
            os.replace(out.name, path)
        except OSError:
            pass  # a cache that cannot be written: the card is painted again next time
        return data
