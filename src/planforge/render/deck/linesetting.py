"""Line setting: where inline-marked text breaks into lines in a box of a given width, with real font widths."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from planforge.render.deck import linebreak
from planforge.render.deck.fontmetrics import (
    _UNITS,
    _width_at_units,
    clears_with_faces,
    current_family,
    text_width,
)
from planforge.text import runs

# LibreOffice sets lines up to 0.6 % wider than the advance widths add up to (measured on its PDFs); keep 1.5 %.
WIDTH_SAFETY = 0.985

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


def _breakable_runs(text: str, size: float, width: float, bold: bool, italic: bool, family: str,
                    language: str) -> list[_Piece]:
    """The text's styled runs with break hints in any word too wide for a line (as drawing adds them)."""
    usable = width * WIDTH_SAFETY
    pieces = []
    for run in runs(text):
        run_bold, run_italic = run.bold or bold, run.italic or italic

        def too_wide(part: str, b=run_bold, i=run_italic) -> bool:
            return _width_at_units(part, b, i, family) * size / _UNITS > usable

        pieces.append((linebreak.breakable(run.text, too_wide, language), run_bold, run_italic))
    return pieces


def breakable_text(text: str, size: float, width: float, bold: bool = False, italic: bool = False) -> str:
    """Plain run text with the break hints measuring assumes; `draw` writes each run through `breakable_run`."""
    return "".join(piece[0] for piece in _breakable_runs(text, size, width, bold, italic, current_family(),
                                                          linebreak.hyphenation_language()))


def breakable_run(text: str, size: float, width: float | None, bold: bool, italic: bool) -> str:
    """One run's text as drawn in a box `width` points wide: the break hints `wrap` measured with."""
    if width is None:
        return linebreak.keep_numbers_whole(text)
    family = current_family()

    def too_wide(part: str) -> bool:
        return _width_at_units(part, bold, italic, family) * size / _UNITS > width * WIDTH_SAFETY

    return linebreak.breakable(text, too_wide)


# Every cache below is keyed by the hyphenation language too: one process lays out plans in several languages.
@lru_cache(maxsize=8_192)
def _units(text: str, size: float, width: float, bold: bool, italic: bool, family: str,
           language: str) -> tuple[_Unit, ...]:
    """The text's break units with their widths in font units."""
    styled = _breakable_runs(text, size, width, bold, italic, family, language)
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
        if space and linebreak.ends_in_rtl_text(core):
            # A space after Hebrew or Arabic is set in their font.
            space = linebreak.rtl_width(spaces.replace("\n", ""), space_style[0], _UNITS) or space
        widths = tuple(_width_at_units(p[0], p[1], p[2], family) for p in pieces)
        # Where two pieces meet, a change of script is spaced as inside one (each piece measures only its own).
        joins = linebreak.script_changes(core) - sum(linebreak.script_changes(p[0]) for p in pieces)
        widths += (joins * linebreak.AUTOSPACE_EM * _UNITS,) if joins else ()
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
            previous = current[-1][0] if current else (parts[-1][-1][0] if parts else "")
            piece_width = text_width(char, size, bold, italic)
            piece_width += linebreak.script_changes(char, previous) * linebreak.AUTOSPACE_EM * size if current else 0.0
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
    return list(_wrapped(text, size, width, bold, italic, current_family(), linebreak.hyphenation_language()))


# Fitting measures the same text at the same size and width again and again (every candidate size, every table row
# asked for its height while fitting, paginating and drawing). Bounded, so a long lint or watch session stays small.
@lru_cache(maxsize=32_768)
def _wrapped(text: str, size: float, width: float, bold: bool, italic: bool, family: str,
             language: str) -> tuple[str, ...]:
    """The lines of `wrap`; `family` is the current family, the one `text_width` measures in."""
    return _set(text, size, width, bold, italic, family, language)[0]


def line_count(text: str, size: float, width: float, bold: bool = False, italic: bool = False) -> int:
    """Number of lines `wrap` sets the text in (without copying them)."""
    return len(_wrapped(text, size, width, bold, italic, current_family(), linebreak.hyphenation_language()))


def hyphen_breaks(text: str, size: float, width: float, bold: bool = False, italic: bool = False) -> frozenset[int]:
    """Offsets (in the text with break hints, markup removed) of the soft hyphens where `wrap` breaks a line.

    Presentation programs do not draw a hyphen at a soft hyphen, so `draw` sets a hyphen and a line break there.
    """
    return _set(text, size, width, bold, italic, current_family(), linebreak.hyphenation_language())[1]


@lru_cache(maxsize=32_768)
def _set(text: str, size: float, width: float, bold: bool, italic: bool, family: str,
         language: str) -> tuple[tuple[str, ...], frozenset[int]]:
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

    for unit in _units(text, size, width, bold, italic, family, language):
        unit_width = sum(unit.widths) * scale
        # LibreOffice spaces a change of script where this unit meets the line so far (gone if the line breaks here).
        join = linebreak.script_changes(unit.text, current[-8:]) * linebreak.AUTOSPACE_EM * size if current else 0.0
        # A unit ending at a soft hyphen keeps room for the hyphen drawn if the line breaks after it.
        hyphen = _hyphen_width(unit, family) * scale if unit.shy else 0.0
        if unit_width + hyphen > usable:
            for part in _split_long(unit.pieces, size, usable):
                part_text = "".join(p[0] for p in part)
                part_width = sum(text_width(p[0], size, p[1], p[2]) for p in part) + linebreak.script_changes(
                    part_text, current[-8:]) * linebreak.AUTOSPACE_EM * size
                if current and current_width + pending_space + part_width > usable:
                    end_line()
                current += "".join(p[0] for p in part)
                current_width += pending_space + part_width
                pending_space = 0.0
                last = None
        else:
            if current and current_width + pending_space + join + unit_width + hyphen > usable:
                end_line()
                join = 0.0
            current += unit.text
            current_width += pending_space + join + unit_width
        last = unit
        pending_space = unit.space * scale
        if unit.space:
            current += " "
        if unit.hard:
            end_line()
    if current or not lines:
        lines.append(_clean(current))
    return tuple(lines), frozenset(breaks)


def _clean(line: str) -> str:
    return line.replace(linebreak.SHY, "").replace(linebreak.ZWSP, "").rstrip(" ")


def _hyphen_width(unit: _Unit, family: str) -> float:
    bold, italic = unit.pieces[-1][1], unit.pieces[-1][2]
    return _width_at_units("-", bold, italic, family)


clears_with_faces(_units.cache_clear, _set.cache_clear, _wrapped.cache_clear)
