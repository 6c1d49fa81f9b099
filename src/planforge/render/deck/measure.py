"""Text measurement with real font metrics: wrapping, block heights, fitting and pagination (all in points)."""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Sequence

from PIL import ImageFont

from planforge.render.deck import linebreak
from planforge.text import runs

FONTS_DIR = Path(__file__).parent / "fonts"
FAMILIES = {
    "Liberation Sans": {
        (False, False): "LiberationSans-Regular.ttf",
        (True, False): "LiberationSans-Bold.ttf",
        (False, True): "LiberationSans-Italic.ttf",
        (True, True): "LiberationSans-BoldItalic.ttf",
    },
    "Carlito": {
        (False, False): "Carlito-Regular.ttf",
        (True, False): "Carlito-Bold.ttf",
        (False, True): "Carlito-Italic.ttf",
        (True, True): "Carlito-BoldItalic.ttf",
    },
}
"""Shipped font families by name: (bold, italic) → file."""
DEFAULT_FAMILY = "Liberation Sans"
METRIC_TWINS = {
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "arimo": "Liberation Sans",
    "liberation sans": "Liberation Sans",
    "calibri": "Carlito",
    "carlito": "Carlito",
}
"""Deck font name (lower case) → shipped family with the same advance widths and vertical metrics."""

WIDTH_FACTORS: dict[str, float] = {}
"""Family → factor its advance widths are multiplied by (the wide stand-in for fonts not found)."""
_FACES: dict[str, dict[tuple[bool, bool], tuple[Path, int]]] = {}
"""Families found outside planforge (a template's font on the system): (bold, italic) → file and face index."""

_FAMILY: ContextVar[str] = ContextVar("measuring_family", default=DEFAULT_FAMILY)


def register_family(name: str, faces: dict[tuple[bool, bool], tuple[Path, int]], width_factor: float = 1.0) -> None:
    """Make a font family measurable by name: its four faces (file, index in a collection) and a width factor."""
    if _FACES.get(name) == faces and WIDTH_FACTORS.get(name, 1.0) == width_factor:
        return
    _FACES[name] = dict(faces)
    WIDTH_FACTORS[name] = width_factor
    _font.cache_clear()
    metrics.cache_clear()
    _width_at_units.cache_clear()
    _wrapped.cache_clear()
    _units.cache_clear()
    _set.cache_clear()


def _face(family: str, bold: bool, italic: bool) -> tuple[Path, int]:
    if family in _FACES:
        return _FACES[family][(bold, italic)]
    return FONTS_DIR / FAMILIES[family][(bold, italic)], 0


def twin_family(font: str) -> str | None:
    """The shipped family that measures exactly like `font`, or None when planforge ships none."""
    return METRIC_TWINS.get(font.strip().lower())


@contextmanager
def measuring_with(family: str) -> Iterator[None]:
    """Measure with another shipped family inside the block (one render uses one family throughout)."""
    token = _FAMILY.set(family)
    try:
        yield
    finally:
        _FAMILY.reset(token)


def current_family() -> str:
    """The family text is measured with right now."""
    return _FAMILY.get()


# Fonts are loaded at this size and widths scaled linearly, so fractional point sizes measure exactly.
_UNITS = 1000
# LibreOffice sets lines up to 0.6 % wider than the advance widths add up to (measured on its PDFs); keep 1.5 %.
WIDTH_SAFETY = 0.985
SINGLE_SPACING = 1.2
"""Baseline-to-baseline distance of single-spaced text, in em, as presentation programs set it."""


@dataclass(frozen=True)
class Para:
    """One paragraph of deck text: inline-marked text, its bullet level and marker."""

    text: str
    level: int = 0
    marker: str | None = None
    """None for plain text, "bullet" for a bullet, "number" for an auto-numbered item, "continue" for the rest
    of a bullet too long for one slide (indented like a bullet, without its mark)."""
    number: int = 1
    """The item's number when marker is "number"."""
    bold: bool = False
    italic: bool = False
    loc: tuple | None = field(default=None, compare=False)
    """Where the plan writes the text (a model location, for pointing back at the file); no part of how it looks."""


@dataclass(frozen=True)
class TextStyle:
    """How a block of paragraphs is set: size, line spacing, paragraph spacing and bullet indents (points)."""

    size: float
    line_spacing: float = 1.0
    space_before: float = 0.0
    """Space above each paragraph except the first in a box."""
    sub_space_before: float | None = None
    """Space above sub-bullets (level 1); defaults to space_before."""
    indent: float = 0.0
    """Hanging indent of a level-0 bullet: where its text starts."""
    sub_indent: float = 0.0
    """Where the text of a level-1 bullet starts."""

    def at(self, size: float) -> TextStyle:
        """Return this style scaled to another font size (spacing and indents scale with it)."""
        factor = size / self.size
        sub = None if self.sub_space_before is None else self.sub_space_before * factor
        return TextStyle(size, self.line_spacing, self.space_before * factor, sub,
                         self.indent * factor, self.sub_indent * factor)

    def left(self, para: Para) -> float:
        """Where the text of a paragraph starts, measured from the box's inner left edge."""
        if para.marker is None and para.level == 0:
            return 0.0
        return self.sub_indent if para.level else self.indent

    def gap(self, para: Para) -> float:
        """Space above a paragraph that is not the first in its box."""
        if para.level and self.sub_space_before is not None:
            return self.sub_space_before
        return self.space_before


@dataclass(frozen=True)
class FontMetrics:
    """Vertical metrics of a font file, in font units."""

    units_per_em: int
    ascender: int
    descender: int
    line_gap: int

    def line_height(self, size: float, spacing: float = 1.0) -> float:
        """Distance between baselines for single-spaced text times `spacing`, in points.

        PowerPoint and LibreOffice (measured on its PDFs) set single-spaced Arial at 1.2 em, more than the
        font's own ascent + descent + line gap (1.15 em); a font with taller metrics gets its own figure.
        """
        em = max(SINGLE_SPACING, (self.ascender + self.descender + self.line_gap) / self.units_per_em)
        return size * spacing * em


def read_metrics(path: Path, index: int = 0) -> FontMetrics:
    """Read units per em and the hhea ascender, descender and line gap from a TrueType/OpenType file (or one face
    of a collection)."""
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # its notes on odd header dates are no user's business
    with TTFont(str(path), fontNumber=index, lazy=True) as font:
        hhea = font["hhea"]
        return FontMetrics(font["head"].unitsPerEm, hhea.ascent, -hhea.descent, hhea.lineGap)


@lru_cache(maxsize=None)
def _font(family: str, bold: bool, italic: bool) -> ImageFont.FreeTypeFont:
    path, index = _face(family, bold, italic)
    return ImageFont.truetype(str(path), _UNITS, index=index, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=None)
def metrics(family: str | None = None) -> FontMetrics:
    """Vertical metrics of a family's regular face (all four faces share them)."""
    return read_metrics(*_face(family or current_family(), False, False))


@lru_cache(maxsize=200_000)
def _width_at_units(text: str, bold: bool, italic: bool, family: str) -> float:
    text = text.replace(linebreak.SHY, "").replace(linebreak.ZWSP, "").replace("\n", "")
    font = _font(family, bold, italic)
    if all(linebreak.covered_by_latin_font(char) for char in text):
        return font.getlength(text) * WIDTH_FACTORS.get(family, 1.0)
    # Characters the deck font lacks are set in a fallback font (CJK) or measured as a full em.
    width = 0.0
    for char in text:
        if linebreak.covered_by_latin_font(char) or linebreak._has_glyph(font, char):
            width += font.getlength(char)
        else:
            width += linebreak.fallback_width(char, _UNITS)
    return width * WIDTH_FACTORS.get(family, 1.0)


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Advance width of plain text (no markup) at a font size, in points."""
    return _width_at_units(text, bold, italic, current_family()) * size / _UNITS


def line_height(size: float, spacing: float = 1.0) -> float:
    """Distance between baselines at a font size and line spacing, in points."""
    return metrics(current_family()).line_height(size, spacing)


# A unit is the text between two break opportunities (UAX #14), as styled pieces; spaces after it are kept apart.
_Piece = tuple[str, bool, bool]


@dataclass(frozen=True)
class _Unit:
    """Text up to a break opportunity: pieces, their widths (font units), the space after it and how it ends."""

    pieces: tuple[_Piece, ...]
    widths: tuple[float, ...]
    space: float
    """Width of the spaces after the unit (font units); not counted at the end of a line."""
    hard: bool
    """A line break in the text follows the unit."""
    shy: bool
    """The unit ends at a soft hyphen: a hyphen is drawn when the line breaks there."""
    end: int = 0
    """Offset of the unit's last character in the text with break hints (the soft hyphen, when it ends at one)."""

    @property
    def text(self) -> str:
        return "".join(piece[0] for piece in self.pieces)


def _breakable_runs(text: str, size: float, width: float, bold: bool, italic: bool, family: str) -> list[_Piece]:
    """The text's styled runs with break hints in any word too wide for a line (as drawing adds them)."""
    usable = width * WIDTH_SAFETY
    pieces = []
    for run in runs(text):
        run_bold, run_italic = run.bold or bold, run.italic or italic

        def too_wide(part: str, b=run_bold, i=run_italic) -> bool:
            return _width_at_units(part, b, i, family) * size / _UNITS > usable

        pieces.append((linebreak.breakable(run.text, too_wide), run_bold, run_italic))
    return pieces


def breakable_text(text: str, size: float, width: float, bold: bool = False, italic: bool = False) -> str:
    """Plain run text with the break hints measuring assumes; `draw` writes each run through `breakable_run`."""
    return "".join(piece[0] for piece in _breakable_runs(text, size, width, bold, italic, current_family()))


def breakable_run(text: str, size: float, width: float | None, bold: bool, italic: bool) -> str:
    """One run's text as drawn in a box `width` points wide: the break hints `wrap` measured with."""
    if width is None:
        return linebreak.keep_numbers_whole(text)
    family = current_family()

    def too_wide(part: str) -> bool:
        return _width_at_units(part, bold, italic, family) * size / _UNITS > width * WIDTH_SAFETY

    return linebreak.breakable(text, too_wide)


@lru_cache(maxsize=8_192)
def _units(text: str, size: float, width: float, bold: bool, italic: bool, family: str) -> tuple[_Unit, ...]:
    """The text's break units with their widths in font units."""
    styled = _breakable_runs(text, size, width, bold, italic, family)
    plain_text = "".join(piece[0] for piece in styled)
    # Each character's style, to cut the break units (found on the plain text) back into styled pieces.
    styles = [(piece[1], piece[2]) for piece in styled for _ in piece[0]]
    result = []
    position = 0
    for unit in linebreak.break_units(plain_text):
        core = unit.rstrip(" \n")
        spaces = unit[len(core):]
        pieces: list[_Piece] = []
        for offset, char in enumerate(core):
            style = styles[position + offset]
            if pieces and (pieces[-1][1], pieces[-1][2]) == style:
                pieces[-1] = (pieces[-1][0] + char, *style)
            else:
                pieces.append((char, *style))
        space_style = styles[position + len(core)] if spaces.strip("\n") else (False, False)
        space = _width_at_units(spaces.replace("\n", ""), *space_style, family) if spaces.strip("\n") else 0.0
        widths = tuple(_width_at_units(p[0], p[1], p[2], family) for p in pieces)
        result.append(_Unit(tuple(pieces), widths, space, "\n" in spaces, core.endswith(linebreak.SHY),
                            position + len(core) - 1))
        position += len(unit)
    return tuple(result)


def _split_long(pieces: Sequence[_Piece], size: float, width: float) -> list[list[_Piece]]:
    """Break a unit wider than a line between characters (the last resort; `breakable` leaves few such units)."""
    parts: list[list[_Piece]] = []
    current: list[_Piece] = []
    current_width = 0.0
    for text, bold, italic in pieces:
        for char in text:
            piece_width = text_width(char, size, bold, italic)
            if current and current_width + piece_width > width:
                parts.append(current)
                current, current_width = [], 0.0
            current.append((char, bold, italic))
            current_width += piece_width
    if current:
        parts.append(current)
    return parts


def wrap(text: str, size: float, width: float, bold: bool = False, italic: bool = False) -> list[str]:
    """Break inline-marked text into the lines a renderer sets in a box `width` points wide (plain text; a line
    broken at a soft hyphen ends with "-")."""
    return list(_wrapped(text, size, width, bold, italic, current_family()))


# Fitting measures the same text at the same size and width again and again (every candidate size, every table row
# asked for its height while fitting, paginating and drawing). Bounded, so a long lint or watch session stays small.
@lru_cache(maxsize=32_768)
def _wrapped(text: str, size: float, width: float, bold: bool, italic: bool, family: str) -> tuple[str, ...]:
    """The lines of `wrap`; `family` is the current family, the one `text_width` measures in."""
    return _set(text, size, width, bold, italic, family)[0]


def hyphen_breaks(text: str, size: float, width: float, bold: bool = False, italic: bool = False) -> frozenset[int]:
    """Offsets (in the text with break hints, markup removed) of the soft hyphens where `wrap` breaks a line.

    Presentation programs do not draw a hyphen at a soft hyphen, so `draw` sets a hyphen and a line break there.
    """
    return _set(text, size, width, bold, italic, current_family())[1]


@lru_cache(maxsize=32_768)
def _set(text: str, size: float, width: float, bold: bool, italic: bool,
         family: str) -> tuple[tuple[str, ...], frozenset[int]]:
    usable = width * WIDTH_SAFETY
    scale = size / _UNITS
    lines: list[str] = []
    breaks: set[int] = set()
    current = ""
    current_width = 0.0
    pending_space = 0.0
    last: _Unit | None = None

    def end_line() -> None:
        nonlocal current, current_width, pending_space
        hyphen = last is not None and last.shy and not last.space
        if hyphen:
            breaks.add(last.end)
        lines.append(_clean(current) + ("-" if hyphen else ""))
        current, current_width, pending_space = "", 0.0, 0.0

    for unit in _units(text, size, width, bold, italic, family):
        unit_width = sum(unit.widths) * scale
        # A unit ending at a soft hyphen keeps room for the hyphen drawn if the line breaks after it.
        hyphen = _hyphen_width(unit, family) * scale if unit.shy else 0.0
        if unit_width + hyphen > usable:
            for part in _split_long(unit.pieces, size, usable):
                part_width = sum(text_width(p[0], size, p[1], p[2]) for p in part)
                if current and current_width + pending_space + part_width > usable:
                    end_line()
                current += "".join(p[0] for p in part)
                current_width += pending_space + part_width
                pending_space = 0.0
                last = None
        else:
            if current and current_width + pending_space + unit_width + hyphen > usable:
                end_line()
            current += unit.text
            current_width += pending_space + unit_width
        last = unit
        pending_space = unit.space * scale
        if unit.space:
            current += " "
        if unit.hard:
            end_line()
    if current or not lines:
        lines.append(_clean(current))
    return tuple(lines), frozenset(breaks)


def _ends_shy(text: str) -> bool:
    return text.rstrip(" ").endswith(linebreak.SHY)


def _clean(line: str) -> str:
    return line.replace(linebreak.SHY, "").replace(linebreak.ZWSP, "").rstrip(" ")


def _hyphen_width(unit: _Unit, family: str) -> float:
    bold, italic = unit.pieces[-1][1], unit.pieces[-1][2]
    return _width_at_units("-", bold, italic, family)


def para_lines(para: Para, style: TextStyle, width: float) -> int:
    """Number of lines a paragraph takes in a box `width` points wide."""
    return len(_wrapped(para.text, style.size, width - style.left(para), para.bold, para.italic, current_family()))


def block_height(paras: Sequence[Para], style: TextStyle, width: float) -> float:
    """Height of paragraphs set one after another in a box `width` points wide."""
    leading = line_height(style.size, style.line_spacing)
    height = 0.0
    for index, para in enumerate(paras):
        if index:
            height += style.gap(para)
        height += para_lines(para, style, width) * leading
    return height


def fit_size(
    blocks: Sequence[tuple[Sequence[Para], float, float]], style: TextStyle, sizes: Sequence[float]
) -> float | None:
    """Return the largest size (from `sizes`, largest first) at which every (paras, width, height) block fits."""
    for size in sizes:
        scaled = style.at(size)
        if all(block_height(paras, scaled, width) <= height for paras, width, height in blocks):
            return size
    return None


def sizes_between(largest: float, smallest: float, step: float = 1.0) -> list[float]:
    """Candidate font sizes from largest down to smallest."""
    count = int(round((largest - smallest) / step))
    return [largest - step * index for index in range(count + 1)]


def paginate(heights: Sequence[float], available: float, gap: float = 0.0) -> list[list[int]]:
    """Group consecutive items of the given heights into pages of at most `available` points.

    Items are never split; `gap` is the space between two items on a page. An item taller than a page
    gets a page of its own (callers shrink or split such items before paginating).
    """
    pages: list[list[int]] = [[]]
    used = 0.0
    for index, height in enumerate(heights):
        needed = height + (gap if pages[-1] else 0.0)
        if pages[-1] and used + needed > available:
            pages.append([])
            used, needed = 0.0, height
        pages[-1].append(index)
        used += needed
    return pages if pages[0] else []


def balance(heights: Sequence[float], available: float, gap: float = 0.0) -> list[list[int]]:
    """Paginate like `paginate`, then spread the items so pages are evenly filled (same page count)."""
    pages = paginate(heights, available, gap)
    if len(pages) < 2:
        return pages
    target = (sum(heights) + gap * (len(heights) - len(pages))) / len(pages)
    low, high = target, available
    best = pages
    # Shrink the page height while the page count stays the same: the smallest such height is the most even.
    for _ in range(30):
        middle = (low + high) / 2
        trial = paginate(heights, middle, gap)
        if len(trial) <= len(pages) and all(_page_height(heights, p, gap) <= available for p in trial):
            best, high = trial, middle
        else:
            low = middle
    return best


def _page_height(heights: Sequence[float], page: list[int], gap: float) -> float:
    return sum(heights[i] for i in page) + gap * (len(page) - 1)


def split_para(para: Para, style: TextStyle, width: float, available: float) -> list[Para]:
    """Cut a paragraph taller than `available` into paragraphs that fit, at word boundaries.

    The last resort for a single bullet longer than a whole slide: the parts after the first carry
    the "continue" marker so they stay indented under the bullet.
    """
    leading = line_height(style.size, style.line_spacing)
    lines_per_part = max(1, int(available // leading))
    lines = wrap(para.text, style.size, width - style.left(para), para.bold, para.italic)
    if len(lines) <= lines_per_part:
        return [para]
    parts = [" ".join(lines[i:i + lines_per_part]) for i in range(0, len(lines), lines_per_part)]
    follow = "continue" if para.marker else None
    return [Para(parts[0], para.level, para.marker, para.number, para.bold, para.italic, para.loc)] + [
        Para(part, para.level, follow, para.number, para.bold, para.italic, para.loc) for part in parts[1:]
    ]
