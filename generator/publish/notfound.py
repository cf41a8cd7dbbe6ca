"""The site's root ``404.html``: the page GitHub Pages serves for every missing address.

GitHub Pages answers any missing path of a site, at any depth, with the ``404.html`` at the root
of the published branch. Editions live in folders (``<site>/<version>/``), so an edition's own
``404.html`` is not at the root, and copied there as it is it would load its stylesheets and
scripts from ``<site>/latest/`` (the address the edition was built for), which may hold only
redirect stubs. :func:`root_not_found` makes the root page from a built edition's 404 page:

- every address the page names from the edition's base (Material's ``__config`` ``base``, which
  the site engine makes the absolute path of ``site_url`` for an error page) now points into
  ``<site path><version>/``, the folder that holds the edition in full, so the page is styled and
  its links work from any depth;
- the edition banner goes (the page belongs to no edition);
- it says the address is not on the site and links to the site's front door, ``<site path>``,
  which redirects readers to the latest edition.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html import escape
from pathlib import Path
from urllib.parse import quote

from generator.errors import DeployError
from generator.render.output import VERSION_RE

NOT_FOUND = "404.html"
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
# Material's base.html: the banner container and its <aside> (theme/main.html fills it).
_BANNER = re.compile(r'<div[^>]*data-md-component="outdated"[^>]*>.*?</aside>\s*</div>', re.S)
_ARTICLE = '<article class="md-content__inner md-typeset">'
NOTE = ('<p>There is no page at this address in any edition of this site. It may have been '
        'mistyped, or the link that led here may be broken.</p>\n'
        '<p><a href="{home}"><strong>Go to the front page of the latest edition</strong></a>'
        '</p>\n')


def root_not_found(edition_site_dir: Path, version: str,
                   moved: Mapping[str, str] | None = None) -> bytes:
    """The root ``404.html`` made of the 404 page of the edition built in ``edition_site_dir``,
    which is published at ``<site path><version>/``. ``moved``: files the edition leaves to an
    earlier one (path -> that edition, generator/publish/record.py), named there instead."""
    if not VERSION_RE.match(version):
        raise DeployError(f"'{version}' is not an edition name",
                          hint="pass the version the edition was deployed as, e.g. 1.3")
    page = edition_site_dir / NOT_FOUND
    try:
        text = page.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DeployError(f"{page}: the edition's 404 page could not be read: {err}",
                          hint="make it from a complete edition build") from err
    base = _base(text)
    if base is None or not base.startswith("/"):
        raise DeployError(f"{page}: the page names no absolute site path (Material's "
                          f"__config base is {base!r})",
                          hint="set site_url in mkdocs.yml (or EXPLAINER_SITE_URL) to the "
                          "published address and deploy the edition again")
    # "<site path><name>/": the edition's folder as it was built (its version or an alias).
    site_path = base.rstrip("/").rsplit("/", 1)[0] + "/"
    folder = f"{site_path}{quote(version)}/"
    text = text.replace(f'"{base}', f'"{folder}')
    for path, home in (moved or {}).items():
        text = text.replace(f'"{folder}{quote(path)}', f'"{site_path}{quote(home)}/{quote(path)}')
    text = _BANNER.sub("", text, count=1)
    if _ARTICLE not in text:
        raise DeployError(f"{page}: no article element to put the note in",
                          hint="the theme's 404 page changed; build the edition with the "
                          "project's theme overrides")
    head, _, tail = text.partition(_ARTICLE)
    heading = tail.find("</h1>")
    at = heading + len("</h1>") if heading != -1 else 0
    note = NOTE.format(home=escape(site_path))
    text = head + _ARTICLE + tail[:at] + "\n" + note + tail[at:]
    return text.encode("utf-8")


def _base(text: str) -> str | None:
    found = _CONFIG.search(text)
    if found is None:
        return None
    try:
        config = json.loads(found.group(1))
    except json.JSONDecodeError:
        return None
    base = config.get("base") if isinstance(config, dict) else None
    if not isinstance(base, str):
        return None
    return base if base.endswith("/") else base + "/"
