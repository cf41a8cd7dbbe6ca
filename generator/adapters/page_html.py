"""What the plugin does to each page's HTML: one "jump back" arrow per footnote, then the
allow-list backstop (generator/check/html_guard.py); and the check of the finished page, after
the theme's template (generator/check/page_guard.py)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from generator.adapters.a11y_names import name_links
from generator.check.html_guard import guard_html
from generator.check.page_guard import page_problems
from generator.load.urls import is_http_url

_BACKREFS = re.compile(r'(<a class="footnote-backref" href="#fnref:[^"]*"[^>]*>[^<]*</a>)'
                       r'(?:<a class="footnote-backref" href="#fnref\d+:[^"]*"[^>]*>[^<]*</a>)+')


def rewrite_page_html(html: str, note_labels: dict[str, str] | None = None
                      ) -> tuple[str, list[str]]:
    """The page content to publish, and what the guard removed (empty on a healthy page).
    ``note_labels``: what each footnote marker points to (a11y_names.py)."""
    # A source cited twenty times would list twenty "jump back" arrows; keep the first.
    html = name_links(_BACKREFS.sub(r"\1", html), note_labels)
    # What escaping upstream missed is cut out of the page content (never theme templates).
    guarded = guard_html(html)
    return guarded.html, list(guarded.removed)


def finished_page_problems(html: str, allowed_hosts: frozenset[str]) -> list[str]:
    """What in the page as published (template and content) could run script or load from
    another host: empty on every page the theme makes of guarded content."""
    return page_problems(html, allowed_hosts)


FONT_HOSTS = frozenset({"fonts.googleapis.com", "fonts.gstatic.com"})  # Material's theme.font


def configured_hosts(config: Any) -> frozenset[str]:
    """The other hosts the site's configuration (code, not content) loads from: Material's
    fonts when ``theme.font`` is set, and absolute ``extra_css``/``extra_javascript``."""
    hosts: set[str] = set()
    if config.theme.get("font") not in (False, None):
        hosts |= FONT_HOSTS
    for entry in [*config.extra_css, *config.extra_javascript]:
        host = urlsplit(str(entry)).hostname if is_http_url(str(entry)) else None
        if host:
            hosts.add(host.lower())
    return frozenset(hosts)
