"""Colour arithmetic for legibility: WCAG 2.x relative luminance and contrast ratios of RRGGBB colours."""

from __future__ import annotations

from typing import Iterable

AA_NORMAL = 4.5
"""WCAG AA contrast for text under 18 pt (14 pt bold)."""
AA_LARGE = 3.0
"""WCAG AA contrast for large text (18 pt and over, or 14 pt bold and over) and for graphics that carry meaning."""


def channels(colour: str) -> tuple[int, int, int]:
    """The red, green and blue of an RRGGBB colour, 0–255."""
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of an RRGGBB colour, 0 (black) to 1 (white)."""
    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two RRGGBB colours, 1 (same) to 21 (black on white)."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def required_contrast(size: float, bold: bool = False) -> float:
    """The AA contrast text of this size (points) needs."""
    return AA_LARGE if size >= 18 or (bold and size >= 14) else AA_NORMAL


def legible(text: str, background: str, size: float, bold: bool = False) -> bool:
    """Whether text in this colour meets WCAG AA on the background at this size."""
    return contrast_ratio(text, background) >= required_contrast(size, bold)


def most_legible(candidates: Iterable[str], background: str) -> str:
    """The candidate colour with the highest contrast against the background."""
    return max(candidates, key=lambda colour: contrast_ratio(colour, background))
