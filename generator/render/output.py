"""What generation produces: files in memory, addressed by their path in the site's docs tree.

Nothing here touches disk or MkDocs. The MkDocs adapter turns these into ``File.generated``;
``explainer build --keep-markdown`` writes them out for inspection.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class PageMeta:
    """Head metadata for one generated page; the adapter escapes every value for its context."""

    title: str
    description: str = ""
    kind: str = "page"  # "explainer" | "index" | "page"
    published: str | None = None  # ISO dates
    updated: str | None = None
    authors: list[str] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    image: str | None = None  # site-relative URL of the social card (cards/<slug>.png?v=...)
    image_alt: str = ""
    # What each footnote marker points to, for its accessible name: number -> "Source 1: AP,
    # Oct. 5, 2023" (adapters/page_html.py names the links).
    note_labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteInfo:
    """What the site engine knows about the whole site: feeds and cards need its name, and its
    absolute address (the canonical one: ``<site_url>latest/`` in an edition build)."""

    name: str = "Explainers"
    url: str | None = None  # absolute http(s), ending in "/"; None: no feeds, no og:image
    description: str = ""
    directory_urls: bool = True  # MkDocs' use_directory_urls: /slug/ rather than /slug.html
    # Absolute address of this build's own files (social cards): the edition's folder even when
    # pages name ``latest/`` canonical, since an alias publishes no files. None: ``url``.
    files_url: str | None = None
    # IANA name of the newsroom's time zone (mkdocs.yml `extra.time_zone`): the day a date
    # without a time is shown in by feeds and structured data (format.day_stamp).
    time_zone: str = "UTC"
    # Site path of the site's logo (theme.logo, else the favicon), for structured data.
    logo: str | None = None

    @property
    def files(self) -> str | None:
        return self.files_url or self.url

    @property
    def logo_url(self) -> str | None:
        """The logo's absolute address (in this build's own files), None without one."""
        return self.files + self.logo if self.files and self.logo else None


@dataclass
class GeneratedFile:
    path: str  # posix, relative to docs_dir, e.g. "venezuela-deportation-flights.md"
    content: str | bytes
    page: PageMeta | None = None  # set for Markdown pages

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")


# What mike and URLs accept, and nothing a Markdown or HTML context would need escaped.
VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")


@dataclass
class Edition:
    """Which edition is being built and what the previous one said (for "What changed")."""

    version: str | None = None
    previous_version: str | None = None
    previous_facts: dict[str, Any] | None = None  # the previous edition's data/facts.json
    # The gh-pages commit the previous edition was read from, and a reader of any file that
    # edition published (site-relative path -> bytes, None when absent): the adapter's
    # read_published, so the render layer never touches git. Where it was read from is not what
    # an edition is, so neither takes part in comparing editions.
    previous_ref: str | None = field(default=None, compare=False)
    read_previous: Callable[[str], bytes | None] | None = field(default=None, compare=False,
                                                                 repr=False)
