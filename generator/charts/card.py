"""Social cards: one 1200x630 PNG per explainer, the picture a shared link shows.

A card carries the site's name, the headline and the explainer's key number (the one the front
page shows: generator/resolve/keyfact.py), with the fact's statement and source; an explainer
that shows no such fact gets its first bar or line chart (one drawn from a CSV table), else its
tease. It is painted with Pillow in DejaVu Sans, which the package ships
(:mod:`generator.charts.cardpaint`): no browser, no service, no font of the machine's, nothing
fetched, a few milliseconds a card; a card painted by an earlier build is read back from the
cache folder (:mod:`generator.charts.cardcache`), so a build paints only the cards that
changed. Writer text is drawn as characters, never read as markup; characters the font lacks
are left out. ``explainer serve`` makes no cards.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import partial

from generator.charts.cardcache import CardCache
from generator.charts.cardchart import can_paint, paint_chart
from generator.charts.cardpaint import (
    ELLIPSIS,
    HEIGHT,
    WIDTH,
    Canvas,
    Text,
    drawable,
    ellipsize,
    font,
    wrap,
)
from generator.charts.render import MAX_STATIC_POINTS, _points, chart_datasets
from generator.load.model import Explainer, Project
from generator.render.output import GeneratedFile
from generator.resolve.chartdata import ChartData
from generator.resolve.format import capitalise, format_fact
from generator.resolve.graph import fact_graph
from generator.resolve.keyfact import key_fact


@dataclass(frozen=True)
class CardText:
    """What a card says, all plain text from YAML (escaped only when drawn)."""

    site_name: str
    headline: str
    number: str | None = None  # the key number in sentence case: "More than 31,000"
    statement: str | None = None  # what that number counts
    source: str | None = None  # who says so
    tease: str = ""
    chart_id: str | None = None  # drawn when there is no number
    chart_title: str = ""

    def alt(self) -> str:
        """The card as one sentence or two, for ``og:image:alt``: what the picture shows."""
        head = self.headline.strip()
        if head and head[-1] not in ".!?":
            head += "."
        if self.number and self.statement:
            return f"{head} {capitalise(self.number)}: {self.statement.strip()}"
        if self.chart_id:
            return f"{head} Chart: {self.chart_title.strip()}"
        return head


@dataclass
class Card:
    path: str  # site path, "cards/<slug>.png"
    alt: str
    version: str  # a hash of the content, for the URL

    @property
    def url(self) -> str:
        """Site-relative URL. The file keeps the slug's name, so every edition's pages can point
        at the latest edition's card (the canonical one) without a dead link when a card
        changed; ``?v=`` changes with the content, so sites that cache pictures by URL fetch
        the new one."""
        return f"{self.path}?v={self.version}"


@dataclass
class CardsOutput:
    cards: dict[str, Card] = field(default_factory=dict)  # slug -> card
    files: list[GeneratedFile] = field(default_factory=list)


def card_text(project: Project, ex: Explainer, site_name: str,
              charts: dict[str, ChartData] | None = None) -> CardText:
    """What ``ex``'s card says. ``charts``: the project's resolved charts, for the fallback."""
    graph = fact_graph(project)
    fact_id = key_fact(project, ex)  # the front page's key number too
    if fact_id is not None:
        fact = project.facts[fact_id]
        value = project.values.get(fact_id, fact.value)
        source = None
        for source_id in graph.rests_on(fact_id):
            found = project.sources.get(source_id)
            if found is not None:
                source = found.publisher or found.title
                break
        # Sentence case as the front page shows it: "About 472,000".
        return CardText(site_name=site_name, headline=ex.headline,
                        number=capitalise(format_fact(fact, value)), statement=fact.statement,
                        source=source, tease=ex.tease)
    for section in ex.sections:
        for chart_id in section.chart_ids:
            data = (charts or {}).get(chart_id)
            # A chart too big for the static picture loads live on the page: no card of it;
            # nor of a donut or timeline (the card shows the tease).
            if data is not None and _points(data) <= MAX_STATIC_POINTS and can_paint(data):
                return CardText(site_name=site_name, headline=ex.headline, tease=ex.tease,
                                chart_id=chart_id, chart_title=data.chart.title)
    return CardText(site_name=site_name, headline=ex.headline, tease=ex.tease)


MARGIN = 60  # left and right
TEXT_WIDTH = WIDTH - 2 * MARGIN
BAND_PX = 70  # the site-name band at the top
FOOT_PX = 8  # the band at the bottom
LINE = 1.25  # line height, in font sizes
# Characters of one field looked at: more than the longest lines can show at the smallest size.
MAX_FIELD_SHOWN = 1_000


@dataclass
class CardLayout:
    """What a card draws and where: lines of text (each fits ``TEXT_WIDTH``) and, when the
    card shows a chart, the chart and the box it is painted in."""

    texts: list[Text]
    chart: ChartData | None = None
    chart_box: tuple[int, int, int, int] | None = None

    def strings(self) -> list[str]:
        return [t.text for t in self.texts]


def _lines(text: str, size: int, bold: bool, max_lines: int,
           width: int = TEXT_WIDTH) -> list[str]:
    shown = drawable(" ".join(text[:MAX_FIELD_SHOWN].split()), bold)
    lines = wrap(shown, font(size, bold), width, max_lines)
    if len(text) > MAX_FIELD_SHOWN and lines and not lines[-1].endswith(ELLIPSIS):
        lines[-1] = ellipsize(lines[-1], font(size, bold), width)
    return lines


def _block(lines: list[str], top: float, size: int, bold: bool, role: str) -> tuple[list[Text],
                                                                                  float]:
    """``lines`` from ``top`` down; returns them and the top of what comes next."""
    ascent = font(size, bold).getmetrics()[0]
    texts = [Text(line, MARGIN, round(top + ascent + i * size * LINE), size, bold, role)
             for i, line in enumerate(lines)]
    return texts, top + len(lines) * size * LINE


def card_layout(text: CardText, chart: ChartData | None = None) -> CardLayout:
    """The card laid out top down in pixels: the site's name in the band, the headline (large
    while it fits in two lines, smaller up to four), then the key number (as large as fits on
    one line), what it counts and its source at the foot; else the chart (``chart``, the data
    of ``text.chart_id``), else the tease."""
    name = _lines(text.site_name, 30, True, 1)
    texts = [Text(line, MARGIN, round(BAND_PX / 2 + 11), 30, True, "white") for line in name]
    chart = chart if chart is not None and not text.number else None
    max_lines = 2 if chart is not None else 3 if text.number else 4
    size = 54
    headline = _lines(text.headline, size, True, 2)
    if headline and headline[-1].endswith(ELLIPSIS) and max_lines > 2:
        size = 44
        headline = _lines(text.headline, size, True, max_lines)
    block, top = _block(headline, BAND_PX + 28, size, True, "ink")
    texts += block
    top += 20
    if text.number:
        number = drawable(" ".join(text.number.split()), True)
        size = next((s for s in (96, 72) if font(s, True).getlength(number) <= TEXT_WIDTH), 52)
        block, top = _block(_lines(number, size, True, 1), top, size, True, "brand")
        texts += block
        if text.statement:
            texts += _block(_lines(text.statement, 26, False, 2), top + 6, 26, False,
                            "muted")[0]
        if text.source and drawable(text.source).strip():
            source = _lines("Source: " + text.source, 22, False, 1)
            texts += [Text(line, MARGIN, HEIGHT - FOOT_PX - 24, 22, False, "muted")
                      for line in source]
    elif chart is not None:
        block, top = _block(_lines(text.chart_title, 26, True, 1), top, 26, True, "muted")
        texts += block
        return CardLayout(texts, chart, (MARGIN, round(top) + 12, WIDTH - MARGIN,
                                         HEIGHT - FOOT_PX - 18))
    elif text.tease:
        texts += _block(_lines(text.tease, 30, False, 2), top + 12, 30, False, "muted")[0]
    return CardLayout(texts)


def paint(layout: CardLayout) -> bytes:
    """The card's PNG."""
    canvas = Canvas()
    canvas.rect((0, 0, WIDTH - 1, BAND_PX - 1), "brand")
    canvas.rect((0, HEIGHT - FOOT_PX, WIDTH - 1, HEIGHT - 1), "brand")
    for item in layout.texts:
        canvas.text(item)
    if layout.chart is not None and layout.chart_box is not None:
        paint_chart(canvas, layout.chart, layout.chart_box)
    return canvas.png()


def render_cards(project: Project, *, site_name: str, draw: bool = True) -> CardsOutput:
    """A card per explainer (``draw=False``, the live preview: none). Each card's URL carries
    a hash of its bytes."""
    output = CardsOutput()
    if not draw or not project.explainers:
        return output
    charts = chart_datasets(project)
    cache = CardCache(project.root)  # a card painted before is read back (cardcache.py)
    for slug in sorted(project.explainers):
        text = card_text(project, project.explainers[slug], site_name, charts)
        layout = card_layout(text, charts.get(text.chart_id) if text.chart_id else None)
        png = paint(layout) if layout.chart is not None else \
            cache.png(layout.texts, partial(paint, layout))
        path = f"cards/{slug}.png"
        output.files.append(GeneratedFile(path, png))
        output.cards[slug] = Card(path=path, alt=text.alt(),
                                  version=hashlib.sha256(png).hexdigest()[:16])
    return output
