"""Short parts sharing one slide: as many as fit, top to bottom at one size, each drawn by its own builder."""

from __future__ import annotations

import copy
from dataclasses import replace

from planforge.render.deck import measure
from planforge.render.deck.slides.base import BUILDERS, Deck, Page, builder
from planforge.render.deck.slides.cards import cards_height
from planforge.render.deck.slides.rows import (
    RowsLayout,
    centred,
    row_groups,
    statement_height,
    statement_size,
)
from planforge.render.deck.slides.tables import TableLayout, without_empty_columns
from planforge.render.deck.storyline import Slide, Stack
from planforge.render.deck.theme import Box, Theme

_GAP = 18.0
_GAP_MAX = 36.0
"""Spare height widens the gaps between parts up to this."""
_PART_FLOOR = 14.0 / 18.0
"""Parts sharing a slide are never set below this share of the theme's body size."""


def in_box(deck: Deck, box: Box, size: float | None = None) -> Deck:
    """The deck as builders see it with the body at `box` and, if given, the body size capped at `size` (the same
    slides, counters and chrome)."""
    view = copy.copy(deck)
    theme = deck.theme.with_placements(replace(deck.theme.place, body=box))
    if size is not None:
        sizes = theme.sizes
        theme = replace(theme, sizes=replace(sizes, body=size, table=min(sizes.table, size),
                                             statement=statement_size(theme, size)))
    view.theme = theme
    return view


def part_height(theme: Theme, part: Slide, width: float, size: float) -> float | None:
    """The height a part takes at body size `size`, or None for a kind that cannot share a slide."""
    if part.kind == "groups":
        rows = row_groups(part.content.groups)
        return RowsLayout(theme, Box(0, 0, width, 0), size, any(h is not None for h, _ in rows)).height(rows)
    if part.kind == "table":
        table = without_empty_columns(part.content)
        return TableLayout(theme, table, width, min(theme.sizes.table, size)).height(table.rows)
    if part.kind == "statement":
        return statement_height(theme, part.content, width, size)
    if part.kind == "cards":
        return cards_height(theme, part.content, width, size)
    return None


def _fit(deck: Deck, parts: list[Slide], box: Box) -> tuple[float, list[float]] | None:
    """The largest body size at which all parts fit the box, and their heights; None when they do not."""
    theme = deck.theme
    gap = _GAP * theme.unit
    floor = max(theme.sizes.body_min, theme.sizes.body * _PART_FLOOR)
    for size in measure.sizes_between(theme.sizes.body, floor, 0.5):
        heights = [part_height(theme, part, box.w, size) for part in parts]
        if None in heights:
            return None
        if sum(heights) + gap * (len(parts) - 1) <= box.h:
            return size, heights
    return None


def _shared_page(deck: Deck, slide: Slide, parts: list[Slide], size: float, heights: list[float]) -> Page | None:
    """One page with the parts top to bottom at `size` (the gaps widened by spare height, the whole centred when
    short); None if a part's builder still needs more than one page."""
    theme, box = deck.theme, deck.theme.place.body
    spare = box.h - sum(heights) - _GAP * theme.unit * (len(parts) - 1)
    gap = _GAP * theme.unit + (min(spare / (len(parts) - 1), (_GAP_MAX - _GAP) * theme.unit) if len(parts) > 1
                               else 0.0)
    total = sum(heights) + gap * (len(parts) - 1)
    y = centred(box, total).y
    draws = []
    for part, height in zip(parts, heights):
        pages = BUILDERS[part.kind](in_box(deck, Box(box.x, y, box.w, height + 0.01), size), part)
        if len(pages) != 1 or pages[0].continuation:
            return None
        draws.append((pages[0].draw, pages[0].first))
        y += height + gap

    def body(target) -> None:
        for draw_part, _ in draws:
            draw_part(target)

    return Page(slide, slide.title, body, first=draws[0][1])


@builder("stack")
def build_stack(deck: Deck, slide: Slide) -> list[Page]:
    """The parts on one slide when they all fit; else as many leading parts as fit share the first slide under the
    first part's title, and the rest go on as a stack of their own (a part that fits with no other, alone)."""
    content: Stack = slide.content
    box = deck.theme.place.body
    for count in range(len(content.parts), 1, -1):
        parts = [shared for group in content.parts[:count] for shared in group]
        fitted = _fit(deck, parts, box)
        if fitted is None:
            continue
        shown = slide if count == len(content.parts) else content.separate[0]
        page = _shared_page(deck, shown, parts, *fitted)
        if page is None:
            continue
        return [page] + _rest(deck, content, count)
    return deck.lay_out(content.separate[0]) + _rest(deck, content, 1)


def _rest(deck: Deck, content: Stack, count: int) -> list[Page]:
    """The pages of the parts after the first `count`: a stack again when several are left."""
    parts, separate = content.parts[count:], content.separate[count:]
    if not parts:
        return []
    if len(parts) == 1:
        return deck.lay_out(separate[0])
    first = separate[0]
    return deck.lay_out(replace(first, kind="stack", content=Stack(parts, separate)))


__all__ = ["build_stack", "in_box", "part_height"]
