"""Text measurement for the slides: font metrics and line setting (re-exported here), block heights, fitting and
pagination (all in points)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from planforge.render.deck.fontmetrics import (  # noqa: F401  (the measuring API the slides use)
    DEFAULT_FAMILY,
    FAMILIES,
    FONTS_DIR,
    METRIC_TWINS,
    SINGLE_SPACING,
    WIDTH_FACTORS,
    FontMetrics,
    current_family,
    line_height,
    measuring_with,
    metrics,
    read_metrics,
    register_family,
    text_width,
    twin_family,
)
from planforge.render.deck.linesetting import (  # noqa: F401
    WIDTH_SAFETY,
    breakable_run,
    breakable_text,
    hyphen_breaks,
    line_count,
    wrap,
)


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


def para_lines(para: Para, style: TextStyle, width: float) -> int:
    """Number of lines a paragraph takes in a box `width` points wide."""
    return line_count(para.text, style.size, width - style.left(para), para.bold, para.italic)


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
