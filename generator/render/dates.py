"""How an explainer is dated next to its headline, wherever it is listed.

Readers date a story by when it first appeared: "Follows:", "Cited by:", topic lists, tag pages,
the archive and the front page show the first-published date, then "Updated ..." when the
explainer was updated later. The page's own dateline (pages.meta_html) says the same, longer.
"""

from __future__ import annotations

import datetime as dt

from generator.load.model import Explainer
from generator.render.text import html_text
from generator.resolve.format import ap_date


def later_update(ex: Explainer) -> dt.date | None:
    """The update date when there was one after first publication, else None."""
    return ex.updated if ex.updated and ex.updated != ex.published else None


def dateline_text(ex: Explainer) -> str:
    """Plain text (no Markdown or HTML syntax in it): "Sept. 20, 2023" or "Sept. 20, 2023 ·
    Updated Oct. 5, 2023"."""
    updated = later_update(ex)
    first = ap_date(ex.published)
    return f"{first} · Updated {ap_date(updated)}" if updated else first


def _time(day: dt.date) -> str:
    return f'<time datetime="{day.isoformat()}">{html_text(ap_date(day))}</time>'


def dateline_html(ex: Explainer) -> str:
    """The same as escaped HTML, each date a ``<time>``."""
    updated = later_update(ex)
    first = _time(ex.published)
    return f"{first} · Updated {_time(updated)}" if updated else first
