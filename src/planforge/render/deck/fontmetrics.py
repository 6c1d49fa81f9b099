"""Font metrics: the families text is measured in, their faces, advance widths and line heights (in points)."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from PIL import ImageFont

from planforge.render.deck import linebreak

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

_DERIVED: list[Callable[[], None]] = []
"""Cache clearers of what is computed from the widths (line setting), run when a family gets new faces."""


def register_family(name: str, faces: dict[tuple[bool, bool], tuple[Path, int]], width_factor: float = 1.0) -> None:
    """Make a font family measurable by name: its four faces (file, index in a collection) and a width factor."""
    if _FACES.get(name) == faces and WIDTH_FACTORS.get(name, 1.0) == width_factor:
        return
    _FACES[name] = dict(faces)
    WIDTH_FACTORS[name] = width_factor
    _font.cache_clear()
    metrics.cache_clear()
    _width_at_units.cache_clear()
    for clear in _DERIVED:
        clear()


def clears_with_faces(*clearers: Callable[[], None]) -> None:
    """Run `clearers` whenever a family is registered with other faces (caches keyed by family name go stale)."""
    _DERIVED.extend(clearers)


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
SINGLE_SPACING = 1.2
"""Baseline-to-baseline distance of single-spaced text, in em, as presentation programs set it."""



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
    gaps = linebreak.script_changes(text) * linebreak.AUTOSPACE_EM * _UNITS  # before RTL text is taken out
    # Hebrew and Arabic are set in the font that covers them (runs name it as their `a:cs` font), at its widths.
    covered = 0.0
    if linebreak.has_rtl_text(text):
        rest = []
        position = 0
        for match in linebreak.RTL_TEXT.finditer(text):
            width = linebreak.rtl_width(match.group(), bold, _UNITS)
            if width is not None:
                covered += width
                rest.append(text[position:match.start()])
                position = match.end()
        text = "".join(rest) + text[position:]
    # Characters the deck font lacks are set in a fallback font (CJK) or measured as a full em.
    width = 0.0
    for char in text:
        if linebreak.covered_by_latin_font(char) or linebreak._has_glyph(font, char):
            width += font.getlength(char)
        else:
            width += linebreak.fallback_width(char, _UNITS)
    return width * WIDTH_FACTORS.get(family, 1.0) + covered + gaps


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Advance width of plain text (no markup) at a font size, in points."""
    return _width_at_units(text, bold, italic, current_family()) * size / _UNITS


def line_height(size: float, spacing: float = 1.0) -> float:
    """Distance between baselines at a font size and line spacing, in points."""
    return metrics(current_family()).line_height(size, spacing)
