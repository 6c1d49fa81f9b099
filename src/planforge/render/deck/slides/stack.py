"""Short parts sharing one slide: the first part over the others, each laid out by its own builder."""

from __future__ import annotations

import copy
from dataclasses import replace

from planforge.render.deck.slides.base import BUILDERS, Deck, Page, builder
from planforge.render.deck.slides.rows import RowsLayout, row_groups
from planforge.render.deck.slides.tables import TableLayout, without_empty_columns
from planforge.render.deck.storyline import Slide, Stack
from planforge.render.deck.theme import Box

_GAP = 18.0
# Parts under the first are measured at this size (or the theme's, if smaller): they are never set smaller.
_PART_SIZE = 14.0
_LEADER_SHARE = 0.4
"""The first part keeps at least this share of the body."""


def in_box(deck: Deck, box: Box) -> Deck:
    """The deck as builders see it with the body at `box` (the same slides, counters and chrome)."""
    view = copy.copy(deck)
    view.theme = deck.theme.with_placements(replace(deck.theme.place, body=box))
    return view


def _height(deck: Deck, part: Slide, width: float) -> float | None:
    """The height a trailing part needs at the part size, or None for a kind that cannot trail."""
    theme = deck.theme
    if part.kind == "groups":
        rows = row_groups(part.content.groups)
        size = min(theme.sizes.body, _PART_SIZE)
        return RowsLayout(theme, Box(0, 0, width, 0), size, any(h is not None for h, _ in rows)).height(rows)
    if part.kind == "table":
        table = without_empty_columns(part.content)
        return TableLayout(theme, table, width, min(theme.sizes.table, _PART_SIZE)).height(table.rows)
    return None


@builder("stack")
def build_stack(deck: Deck, slide: Slide) -> list[Page]:
    """The first part on top and the others below it at their measured heights, when all fit one slide; else
    every part on slides of its own."""
    content: Stack = slide.content
    box = deck.theme.place.body
    leader, *rest = content.parts
    heights = [_height(deck, part, box.w) for part in rest]
    if None not in heights:
        below = sum(heights) + _GAP * len(heights)
        top = Box(box.x, box.y, box.w, box.h - below)
        if top.h >= box.h * _LEADER_SHARE:
            pages = [BUILDERS[leader.kind](in_box(deck, top), leader)]
            y = top.bottom + _GAP
            for part, height in zip(rest, heights):
                pages.append(BUILDERS[part.kind](in_box(deck, Box(box.x, y, box.w, height)), part))
                y += height + _GAP
            if all(len(part_pages) == 1 and not part_pages[0].continuation for part_pages in pages):
                draws = [part_pages[0].draw for part_pages in pages]

                def body(target) -> None:
                    for draw_part in draws:
                        draw_part(target)

                return [Page(slide, slide.title, body, first=pages[0][0].first)]
    return [page for part in content.separate for page in deck.lay_out(part)]


__all__ = ["build_stack", "in_box"]
