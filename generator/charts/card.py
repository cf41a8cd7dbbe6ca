"""Social cards: one 1200x630 PNG per explainer, the picture a shared link shows.

A card carries the site's name, the headline and the explainer's first key number (the first
fact the page shows, with the fact's statement and source); an explainer that shows no fact gets
its first chart (one drawn from a CSV table), else its tease. It is a plotly figure of text
annotations exported by kaleido, through the same offline Chromium as the static chart pictures
(:mod:`generator.charts.static`): no service, no font beyond what Chromium already renders
charts with, nothing fetched.

Every text comes from YAML and passes :func:`~generator.charts.figure.plotly_text`, so a
headline's ``<a href>`` or ``<span style>`` is drawn as characters, never read as plotly's
pseudo-HTML. Cards are cached outside the project like the chart SVGs
(``$EXPLAINER_CACHE_DIR/cards``), keyed by a hash of the card figure and the plotly and kaleido
versions: an unchanged explainer is never exported again. A cached file is used only when it is
a PNG of exactly the card's size. ``explainer serve`` makes no cards (``export=False``).
"""

from __future__ import annotations

import copy
import hashlib
import logging
import struct
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from generator.charts import static
from generator.charts.figure import FONT, figure, plotly_text
from generator.charts.render import MAX_STATIC_POINTS, _points, chart_datasets
from generator.load.model import Explainer, Project
from generator.render.output import GeneratedFile
from generator.resolve.chartdata import ChartData
from generator.resolve.format import capitalise, format_fact
from generator.resolve.graph import fact_graph

log = logging.getLogger("generator.charts")

WIDTH, HEIGHT = 1200, 630
MAX_PNG_BYTES = 2 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Material's indigo (the site's primary colour) and text greys, light scheme.
BRAND, INK, MUTED = "#4051b5", "#1a1a1a", "#5f6368"


@dataclass(frozen=True)
class CardText:
    """What a card says, all plain text from YAML (escaped only when drawn)."""

    site_name: str
    headline: str
    number: str | None = None  # the first key number as prose shows it: "more than 31,000"
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
    warnings: list[str] = field(default_factory=list)
    # Cards that could not be drawn, each naming the explainer and the reason: a build stops
    # on them (generator/render/site.py) rather than ship a site without its cards.
    failures: list[str] = field(default_factory=list)
    exported: int = 0  # how many cards Chromium drew this time (the rest came from the cache)


def card_text(project: Project, ex: Explainer, site_name: str,
              charts: dict[str, ChartData] | None = None) -> CardText:
    """What ``ex``'s card says. ``charts``: the project's resolved charts, for the fallback."""
    graph = fact_graph(project)
    for fact_id in graph.shown.get(ex.slug, ()):
        fact = project.facts.get(fact_id)
        value = project.values.get(fact_id, fact.value if fact else None)
        if fact is None or value is None:
            continue
        source = None
        for source_id in graph.rests_on(fact_id):
            found = project.sources.get(source_id)
            if found is not None:
                source = found.publisher or found.title
                break
        return CardText(site_name=site_name, headline=ex.headline,
                        number=format_fact(fact, value), statement=fact.statement,
                        source=source, tease=ex.tease)
    for section in ex.sections:
        for chart_id in section.chart_ids:
            data = (charts or {}).get(chart_id)
            # A chart too big for the static export loads live on the page: no card of it.
            if data is not None and _points(data) <= MAX_STATIC_POINTS:
                return CardText(site_name=site_name, headline=ex.headline, tease=ex.tease,
                                chart_id=chart_id, chart_title=data.chart.title)
    return CardText(site_name=site_name, headline=ex.headline, tease=ex.tease)


def _width(text: str) -> int:
    """Display width in narrow-character units: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _chunks(word: str, width: int) -> list[str]:
    """``word`` cut into pieces of at most ``width`` units (a word wider than the card)."""
    pieces, piece = [], ""
    for ch in word:
        if piece and _width(piece + ch) > width:
            pieces.append(piece)
            piece = ""
        piece += ch
    return [*pieces, piece] if piece else pieces


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Lines of at most ``width`` units, words kept whole unless longer than a line; text past
    ``max_lines`` ends the last line with an ellipsis."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        for piece in _chunks(word, width):
            candidate = f"{line} {piece}" if line else piece
            if _width(candidate) <= width:
                line = candidate
            else:
                lines.append(line)
                line = piece
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and _width(last) > width - 1:
            last = last[:-1]
        lines = [*lines[:max_lines - 1], last.rstrip() + "…"]
    return lines


def _lines(text: str, width: int, max_lines: int) -> str:
    # Escaped line by line; the <br> joining them is ours.
    return "<br>".join(plotly_text(line) for line in wrap(text, width, max_lines))


def _note(text: str, top_px: float, size: int, color: str, *, bold: bool = False,
          x: float = 0.05, anchor: str = "top", xanchor: str = "left") -> dict[str, Any]:
    """A text block whose ``anchor`` edge sits ``top_px`` pixels below the card's top."""
    return {"text": f"<b>{text}</b>" if bold else text, "x": x, "y": 1 - top_px / HEIGHT,
            "xref": "paper", "yref": "paper", "xanchor": xanchor, "yanchor": anchor,
            "align": xanchor, "showarrow": False,
            "font": {"family": FONT, "size": size, "color": color}}


LINE = 1.3  # plotly's line height, in font sizes
BAND_PX = 70  # the site-name band at the top


def card_figure(text: CardText, chart: dict[str, Any] | None = None) -> dict[str, Any]:
    """The card as a plotly figure: text annotations on a blank, axis-free canvas, laid out
    top down in pixels (the headline may take one to four lines); ``chart`` (the figure of
    ``text.chart_id``) is drawn below the headline when there is no number."""
    notes = [_note(_lines(text.site_name, 60, 1), BAND_PX / 2, 30, "#ffffff", bold=True,
                   anchor="middle")]
    top: float = BAND_PX + 30
    # Headline: large while it fits in two lines, smaller for longer ones.
    chart = chart if chart is not None and not text.number else None
    max_lines = 2 if chart is not None else 3 if text.number else 4
    size, width = (54, 36) if len(wrap(text.headline, 36, 3)) <= 2 else (44, 45)
    lines = wrap(text.headline, width, max_lines)
    notes.append(_note("<br>".join(plotly_text(line) for line in lines), top, size, INK,
                       bold=True))
    top += len(lines) * size * LINE + 24
    if text.number:
        number = text.number
        size = 96 if _width(number) <= 16 else 72 if _width(number) <= 24 else 52
        notes.append(_note(_lines(number, 40, 1), top, size, BRAND, bold=True))
        top += size * LINE + 4
        if text.statement:
            notes.append(_note(_lines(text.statement, 76, 2), top, 26, MUTED))
        if text.source:
            notes.append(_note("Source: " + _lines(text.source, 80, 1), HEIGHT - 32, 22,
                               MUTED, anchor="bottom"))
    elif chart is not None:
        notes.append(_note(_lines(text.chart_title, 70, 1), top, 26, MUTED, bold=True))
        return _with_chart(notes, chart, top + 26 * LINE + 16)
    elif text.tease:
        notes.append(_note(_lines(text.tease, 60, 2), top + 12, 30, MUTED))
    return _card(notes)


def _card(notes: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "data": [],
        "layout": {
            "width": WIDTH, "height": HEIGHT,
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0, "pad": 0},
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
            "xaxis": {"visible": False, "range": [0, 1], "fixedrange": True},
            "yaxis": {"visible": False, "range": [0, 1], "fixedrange": True},
            "showlegend": False,
            "shapes": [
                {"type": "rect", "xref": "paper", "yref": "paper", "x0": 0, "x1": 1,
                 "y0": 1 - BAND_PX / HEIGHT, "y1": 1, "fillcolor": BRAND,
                 "line": {"width": 0}},
                {"type": "rect", "xref": "paper", "yref": "paper", "x0": 0, "x1": 1,
                 "y0": 0, "y1": 8 / HEIGHT, "fillcolor": BRAND, "line": {"width": 0}},
            ],
            "annotations": notes,
        },
    }


def _with_chart(notes: list[dict[str, Any]], chart: dict[str, Any],
                top_px: float) -> dict[str, Any]:
    """The card with ``chart``'s traces in the space from ``top_px`` down. Margins stay zero
    and automatic margins off, so paper coordinates (where the text sits) stay the card."""
    out = _card(notes)
    layout = out["layout"]
    area_y = [72 / HEIGHT, 1 - top_px / HEIGHT]
    traces = copy.deepcopy(chart["data"])
    source = chart["layout"]
    for key in ("template", "separators", "barmode"):
        if key in source:
            layout[key] = source[key]
    layout["font"] = {"family": FONT, "size": 18, "color": INK}
    if any(t.get("type") == "pie" for t in traces):
        for trace in traces:
            trace["domain"] = {"x": [0.05, 0.6], "y": area_y}
        layout["showlegend"] = True
        layout["legend"] = {"x": 0.62, "y": area_y[1], "yanchor": "top", "font": {"size": 20}}
    else:
        horizontal = source.get("yaxis", {}).get("autorange") == "reversed"
        for name, domain in (("xaxis", [0.22 if horizontal else 0.12, 0.95]),
                             ("yaxis", area_y)):
            axis = {k: v for k, v in source.get(name, {}).items() if k != "title"}
            layout[name] = {**axis, "domain": domain, "automargin": False, "visible": True,
                            "gridcolor": "rgba(0,0,0,0.1)", "tickfont": {"size": 18}}
        multi = len(traces) > 1
        layout["showlegend"] = multi
        if multi:  # on the chart title's line, right-aligned: inside the card, no margin
            layout["legend"] = {"orientation": "h", "x": 0.95, "xanchor": "right",
                                "y": area_y[1] + 4 / HEIGHT, "yanchor": "bottom",
                                "font": {"size": 18}}
    out["data"] = traces
    return out


def card_key(figure: dict[str, Any]) -> str:
    body = orjson.dumps(figure, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(body + f"|{WIDTH}x{HEIGHT}|{static._versions()}".encode()) \
        .hexdigest()[:32]


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's header, or None when ``data`` is not a PNG."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _read_cached(cache: Path, key: str) -> bytes | None:
    data = static.read_cached(cache, key, ".png", MAX_PNG_BYTES)
    if data is None or png_size(data) != (WIDTH, HEIGHT):
        return None  # missing, or not what we would have written: export it again
    return data


def _chart_figure(charts: dict[str, ChartData], chart_id: str | None) -> dict[str, Any] | None:
    data = charts.get(chart_id) if chart_id else None
    return figure(data) if data is not None else None


def render_cards(project: Project, *, site_name: str, export: bool = True) -> CardsOutput:
    """A card per explainer: from the cache when its figure was drawn before, else exported in
    one Chromium session. A card that cannot be drawn (no Chromium, a figure Chromium refuses)
    is in ``failures``, naming the explainer and the reason."""
    output = CardsOutput()
    if not export or not project.explainers:
        return output
    charts = chart_datasets(project)
    texts = {slug: card_text(project, ex, site_name, charts)
             for slug, ex in project.explainers.items()}
    figures = {slug: card_figure(text, _chart_figure(charts, text.chart_id))
               for slug, text in texts.items()}
    keys = {slug: card_key(figure) for slug, figure in figures.items()}
    cache = static.cache_dir(project.root, "cards")
    pngs: dict[str, bytes] = {}
    missing: dict[str, tuple[dict[str, Any], tuple[int, int]]] = {}
    for slug, key in keys.items():
        cached = _read_cached(cache, key) if cache else None
        if cached is not None:
            pngs[key] = cached
        elif key not in missing:
            missing[key] = (figures[slug], (WIDTH, HEIGHT))
    if missing:
        names = {key: f"explainer '{slug}'" for slug, key in sorted(keys.items(), reverse=True)}
        try:
            exported = static._run_export(missing, "png")
        except Exception as exc:
            message = (f"social cards unavailable ({type(exc).__name__}: {exc}); "
                       f"{len(missing)} explainer(s) have no og:image. Install chromium "
                       "(make chromium) to restore them.")
            log.warning(message)
            output.warnings.append(message)
            output.failures.append(static.failure_line("the social card", missing, names, exc))
            exported = {}
        for key, data in exported.items():
            if png_size(data) != (WIDTH, HEIGHT) or len(data) > MAX_PNG_BYTES:
                output.warnings.append(f"social card {key} is not a {WIDTH}x{HEIGHT} PNG; "
                                       "not published")
                output.failures.append(f"the social card of {names[key]} is not a "
                                       f"{WIDTH}x{HEIGHT} PNG of at most {MAX_PNG_BYTES:,} "
                                       "bytes")
                continue
            pngs[key] = data
            output.exported += 1
            if cache is not None:
                static._write_cached(cache, key, data, ".png")
    for slug in sorted(keys):
        key = keys[slug]
        if key not in pngs:
            continue
        path = f"cards/{slug}.png"
        output.files.append(GeneratedFile(path, pngs[key]))
        output.cards[slug] = Card(path=path, alt=texts[slug].alt(), version=key[:16])
    return output
