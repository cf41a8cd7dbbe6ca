"""Painting a social card with Pillow: the fonts it ships, text measured in pixels, a palette
picture and its PNG bytes.

The card is painted straight into palette indices: a handful of solid colours (background,
the site's indigo, the chart colours) and, for each pair of text colour and background, a
ramp of :data:`LEVELS` blends for antialiased edges. Each line of text is drawn alone as a
coverage mask, mapped onto its ramp and pasted, so no colour quantisation of the whole picture
is needed and a card stays a small PNG (tens of colours, mostly flat rows): the same text gives
the same bytes. Characters the fonts have no glyph for are left out (:func:`drawable`).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from PIL import Image, ImageDraw, ImageFont, features

WIDTH, HEIGHT = 1200, 630
# Material's indigo (the site's primary colour) and text greys, light scheme.
WHITE, BRAND, INK, MUTED = "#ffffff", "#4051b5", "#1a1a1a", "#5f6368"
GRID = "#e3e5ea"
# The chart colours of generator/charts/figure.py, in order.
SERIES = ("#4051b5", "#e8710a", "#1a9e77", "#c2185b", "#7b5ea7", "#5f6b7a")
LEVELS = 12  # blends per text ramp, background to text colour
# Text colours, each on the background it is drawn on.
RAMPS = {"ink": (WHITE, INK), "muted": (WHITE, MUTED), "brand": (WHITE, BRAND),
         "white": (BRAND, WHITE)}
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
ELLIPSIS = "…"


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _palette() -> tuple[list[int], dict[str, int], dict[str, int]]:
    """Flat RGB palette, the index of each solid colour, the first index of each ramp."""
    colours = [_rgb(c) for c in (WHITE, BRAND, GRID, *SERIES)]
    solid = {"white": 0, "brand": 1, "grid": 2}
    solid.update({f"series{i}": 3 + i for i in range(len(SERIES))})
    ramps: dict[str, int] = {}
    for role, (back, fore) in RAMPS.items():
        ramps[role] = len(colours)
        b, f = _rgb(back), _rgb(fore)
        for level in range(1, LEVELS + 1):
            t = level / LEVELS
            r, g, bl = (round(b[k] + (f[k] - b[k]) * t) for k in range(3))
            colours.append((r, g, bl))
    return [v for c in colours for v in c], solid, ramps


PALETTE, SOLID, RAMP_START = _palette()


# Shaping and right-to-left text (Arabic, Hebrew) through raqm, which Pillow's wheels bundle and
# which needs the system's FriBiDi (Chromium's dependencies bring it); without it, the basic
# layout draws every script left to right, unjoined.
LAYOUT = ImageFont.Layout.RAQM if features.check_feature("raqm") else ImageFont.Layout.BASIC


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (bold) at ``size`` pixels, from the package's own files."""
    data = resources.files("generator.charts").joinpath("fonts", FONT_FILES[bold]).read_bytes()
    return ImageFont.truetype(io.BytesIO(data), size, layout_engine=LAYOUT)


def _glyph(face: ImageFont.FreeTypeFont, ch: str) -> bytes:
    mask = Image.new("L", (64, 64))
    ImageDraw.Draw(mask).text((8, 8), ch, font=face, fill=255)
    return mask.tobytes()


@cache
def _has_glyph(bold: bool, ch: str) -> bool:
    face = font(32, bold)
    # A character the font lacks is drawn as its "missing" box, the same as a noncharacter.
    return ch.isspace() or _glyph(face, ch) != _glyph(face, "\uffff")


def drawable(text: str, bold: bool = False) -> str:
    """``text`` without the characters the font has no glyph for (CJK, emoji, controls): a
    card draws what it can rather than boxes."""
    return "".join(ch for ch in text if _has_glyph(bold, ch))


def _prefix_that_fits(text: str, face: ImageFont.FreeTypeFont, width: float,
                      suffix: str = "") -> int:
    """The longest prefix length of ``text`` (at least 1 when ``suffix`` is empty) whose width
    with ``suffix`` is at most ``width``: a binary search over lengths."""
    lo, hi = (1 if not suffix else 0), len(text)
    if face.getlength(text + suffix) <= width:
        return hi
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if face.getlength(text[:mid] + suffix) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _pieces(word: str, face: ImageFont.FreeTypeFont, width: float) -> Iterator[str]:
    """``word`` as is, or cut into pieces no wider than ``width`` (a word wider than a line)."""
    while word:
        cut = _prefix_that_fits(word, face, width)
        yield word[:cut]
        word = word[cut:]


def ellipsize(line: str, face: ImageFont.FreeTypeFont, width: float) -> str:
    """``line`` cut so that it and an ellipsis fit in ``width`` pixels."""
    line = line.rstrip()
    return line[:_prefix_that_fits(line, face, width, ELLIPSIS)].rstrip() + ELLIPSIS


def wrap(text: str, face: ImageFont.FreeTypeFont, width: float, max_lines: int) -> list[str]:
    """Lines no wider than ``width`` pixels as ``face`` draws them, words kept whole unless
    wider than a line; text past ``max_lines`` ends the last line with an ellipsis. Stops
    measuring at the last line, so a 2,000-character headline costs what four lines cost."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        for piece in _pieces(word, face, width):
            candidate = f"{line} {piece}" if line else piece
            if face.getlength(candidate) <= width:
                line = candidate
                continue
            lines.append(line)
            if len(lines) == max_lines:
                lines[-1] = ellipsize(lines[-1], face, width)
                return lines
            line = piece
    return [*lines, line] if line else lines


@dataclass(frozen=True)
class Text:
    """One line of text on the card: ``y`` is its baseline, ``x`` its left edge (its right
    edge when ``right``)."""

    text: str
    x: int
    y: int
    size: int
    bold: bool
    role: str  # a key of RAMPS
    right: bool = False

    @property
    def width(self) -> float:
        return font(self.size, self.bold).getlength(self.text)


@cache
def _levels(role: str) -> list[int]:
    """Coverage 0-255 to the palette index of ``role``'s ramp (0: left as it was)."""
    start = RAMP_START[role]
    return [0] + [start + min(LEVELS, max(1, round(v * LEVELS / 255))) - 1
                  for v in range(1, 256)]


_COVERED = [0] + [255] * 255  # where a text's mask is pasted: every pixel it covers at all


class Canvas:
    """The card being painted, as palette indices."""

    def __init__(self) -> None:
        self.image = Image.new("L", (WIDTH, HEIGHT), SOLID["white"])
        self.draw = ImageDraw.Draw(self.image)

    def rect(self, box: tuple[float, float, float, float], colour: str) -> None:
        self.draw.rectangle(box, fill=SOLID[colour])

    def line(self, points: list[tuple[float, float]], colour: str, width: int) -> None:
        self.draw.line(points, fill=SOLID[colour], width=width, joint="curve")

    def dot(self, x: float, y: float, radius: float, colour: str) -> None:
        self.draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=SOLID[colour])

    def text(self, item: Text) -> None:
        if not item.text:
            return
        face = font(item.size, item.bold)
        anchor = "rs" if item.right else "ls"
        left, top, right, bottom = (int(v) for v in face.getbbox(item.text, anchor=anchor))
        if right <= left or bottom <= top:
            return  # nothing visible (spaces only)
        mask = Image.new("L", (right - left, bottom - top), 0)
        ImageDraw.Draw(mask).text((-left, -top), item.text, font=face, fill=255, anchor=anchor)
        self.image.paste(mask.point(_levels(item.role)), (item.x + left, item.y + top),
                         mask.point(_COVERED))

    def png(self) -> bytes:
        """The card as a palette PNG: deterministic bytes for the same painting."""
        picture = Image.frombytes("P", (WIDTH, HEIGHT), self.image.tobytes())
        picture.putpalette(PALETTE, "RGB")
        out = io.BytesIO()
        picture.save(out, "PNG", compress_level=COMPRESS_LEVEL)
        return out.getvalue()


# zlib level: 6 makes a card in a few milliseconds; 9 saves about a tenth of the bytes for
# several times the time.
COMPRESS_LEVEL = 6
