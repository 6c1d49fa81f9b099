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
    "calibri light": "Carlito",  # Light is a little narrower than Carlito's regular: text fits with room to spare
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
    _measured_words.cache_clear()


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
_BREAK_AFTER = re.compile(r"(?<=[-/–—])")


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
    return _font(family, bold, italic).getlength(text) * WIDTH_FACTORS.get(family, 1.0)


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Advance width of plain text (no markup) at a font size, in points."""
    return _width_at_units(text, bold, italic, current_family()) * size / _UNITS


def line_height(size: float, spacing: float = 1.0) -> float:
    """Distance between baselines at a font size and line spacing, in points."""
    return metrics(current_family()).line_height(size, spacing)


# A word is a list of styled pieces with no space inside; words are separated by single spaces.
_Piece = tuple[str, bool, bool]


def _words(text: str, bold: bool, italic: bool) -> list[list[_Piece]]:
    words: list[list[_Piece]] = [[]]
    for run in runs(text):
        style_bold, style_italic = run.bold or bold, run.italic or italic
        for index, chunk in enumerate(run.text.split(" ")):
            if index:
                words.append([])
            if chunk:
                words[-1].append((chunk, style_bold, style_italic))
    return [word for word in words if word]


def _piece_width(piece: _Piece, size: float) -> float:
    return text_width(piece[0], size, piece[1], piece[2])


def _word_width(word: list[_Piece], size: float) -> float:
    return sum(_piece_width(piece, size) for piece in word)


def _split_long(word: list[_Piece], size: float, width: float) -> list[list[_Piece]]:
    """Break a word wider than a line after hyphens and slashes, then between characters."""
    parts: list[list[_Piece]] = []
    current: list[_Piece] = []
    current_width = 0.0
    for text, bold, italic in word:
        for fragment in [f for f in _BREAK_AFTER.split(text) if f]:
            for char in _chars_if_needed(fragment, size, width, bold, italic):
                piece_width = text_width(char, size, bold, italic)
                if current and current_width + piece_width > width:
                    parts.append(current)
                    current, current_width = [], 0.0
                current.append((char, bold, italic))
                current_width += piece_width
    if current:
        parts.append(current)
    return parts


def _chars_if_needed(fragment: str, size: float, width: float, bold: bool, italic: bool) -> list[str]:
    return list(fragment) if text_width(fragment, size, bold, italic) > width else [fragment]


def wrap(text: str, size: float, width: float, bold: bool = False, italic: bool = False) -> list[str]:
    """Break inline-marked text into the lines a renderer sets in a box `width` points wide."""
    return list(_wrapped(text, size, width, bold, italic, current_family()))


# Fitting measures the same text at the same size and width again and again (every candidate size, every table row
# asked for its height while fitting, paginating and drawing). Bounded, so a long lint or watch session stays small.
@lru_cache(maxsize=32_768)
def _wrapped(text: str, size: float, width: float, bold: bool, italic: bool, family: str) -> tuple[str, ...]:
    """The lines of `wrap`; `family` is the current family, the one `text_width` measures in."""
    usable = width * WIDTH_SAFETY
    lines: list[str] = []
    current = ""
    current_width = 0.0
    for word, word_text, units, space_units in _measured_words(text, bold, italic, family):
        # Widths in points exactly as text_width gives them: units * size / _UNITS, summed piece by piece.
        word_width = units[0] * size / _UNITS if len(units) == 1 else sum(unit * size / _UNITS for unit in units)
        # The space before a word is set in the style of the word's first piece.
        if word_width <= usable:
            space = space_units * size / _UNITS if current else 0.0
            if current and current_width + space + word_width > usable:
                lines.append(current)
                current, current_width, space = "", 0.0, 0.0
            current += (" " if space else "") + word_text
            current_width += space + word_width
            continue
        pieces = _split_long(list(word), size, usable)
        for index, piece in enumerate(pieces):
            piece_text = "".join(p[0] for p in piece)
            piece_width = word_width if len(pieces) == 1 else _word_width(piece, size)
            space = space_units * size / _UNITS if current and index == 0 else 0.0
            if current and current_width + space + piece_width > usable:
                lines.append(current)
                current, current_width, space = "", 0.0, 0.0
            current += (" " if space else "") + piece_text
            current_width += space + piece_width
    if current or not lines:
        lines.append(current)
    return tuple(lines)


# A word measured: its pieces, its plain text, each piece's width and the width of a space before it (font units).
_MeasuredWord = tuple[tuple[_Piece, ...], str, tuple[float, ...], float]


@lru_cache(maxsize=8_192)
def _measured_words(text: str, bold: bool, italic: bool, family: str) -> tuple[_MeasuredWord, ...]:
    """The words of a text (pieces and plain text) with the width of each piece and of a space before the word,
    in font units.

    Units do not depend on the size, so fitting a text at several sizes parses its markup and looks up its widths once.
    """
    measured = []
    for word in _words(text, bold, italic):
        units = tuple(_width_at_units(piece, piece_bold, piece_italic, family)
                      for piece, piece_bold, piece_italic in word)
        measured.append((tuple(word), "".join(piece[0] for piece in word), units,
                         _width_at_units(" ", word[0][1], word[0][2], family)))
    return tuple(measured)


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
