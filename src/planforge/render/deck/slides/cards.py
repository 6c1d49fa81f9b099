"""Cards: a lead paragraph over a row (or two) of cards, each as tall as its text (an area's initiatives)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import Sequence

from planforge.i18n import _
from planforge.render.deck import draw, measure
from planforge.render.deck.draw import Ink
from planforge.render.deck.measure import Para, TextStyle
from planforge.render.deck.slides.base import Deck, Page, builder, continued_pages, first_location
from planforge.render.deck.slides.rows import RowsLayout, build_groups, centred, item_paras, list_style
from planforge.render.deck.storyline import Cards, Group, Groups, Item, Slide
from planforge.render.deck.theme import Box, Theme
from planforge.text import plain


_CARD_GAP = 16.0


@dataclass(frozen=True)
class CardsFit:
    """Cards laid out at one size: the lead paragraph's rows, and each chunk's columns and row heights."""

    size: float
    lead: RowsLayout
    lead_height: float
    grids: list[tuple[int, list[float]]]

    def height(self, number: int) -> float:
        """The height page `number` takes (the lead is on the first page only)."""
        columns, rows = self.grids[number]
        gap = self.lead.theme.unit * _CARD_GAP
        lead = self.lead_height + gap if number == 0 and self.lead_height else 0.0
        return lead + sum(rows) + gap * max(len(rows) - 1, 0)


def _chunks(content: Cards) -> list:
    return [content.cards[i:i + 6] for i in range(0, len(content.cards), 6)] or [()]


def fit_cards(theme: Theme, content: Cards, box: Box, size: float) -> CardsFit | None:
    """The cards at `size` in `box`, or None when some chunk fits no grid."""
    gap = _CARD_GAP * theme.unit
    lead_rows = [(None, content.lead)] if content.lead else []
    lead = RowsLayout(theme, box, size, False)
    lead_height = lead.height(lead_rows) if lead_rows else 0.0
    area = box.h - lead_height - (gap if lead_rows else 0.0)
    grids = [_grid(chunk, size, box.w, gap, area) for chunk in _chunks(content)]
    if any(grid is None for grid in grids):
        return None
    return CardsFit(size, lead, lead_height, grids)


def cards_height(theme: Theme, content: Cards, width: float, size: float) -> float:
    """The height the cards' first slide takes at `size` (unbounded height)."""
    fit = fit_cards(theme, content, Box(0, 0, width, 1e6), size)
    return fit.height(0)


@builder("cards")
def build_cards(deck: Deck, slide: Slide) -> list[Page]:
    """A lead paragraph over cards (initiatives): one row of up to four, or two rows when the text needs width; the
    cards as tall as their text, the whole centred when short.

    More than six cards continue on the next slide; text that fits no grid falls back to labelled rows.
    """
    content: Cards = slide.content
    theme, box = deck.theme, deck.theme.place.body
    gap = _CARD_GAP * theme.unit
    chunks = _chunks(content)
    lead_rows = [(None, content.lead)] if content.lead else []
    fit = next((f for size in measure.sizes_between(theme.sizes.body, theme.sizes.body_min)
                if (f := fit_cards(theme, content, box, size)) is not None), None)
    if fit is None:
        groups = Groups((Group(None, content.lead), *(Group(c.heading, c.items) for c in content.cards)))
        return build_groups(deck, Slide("groups", slide.title, slide.section, groups, slide.kicker, None, slide.source))

    def body(target, number: int, chunk) -> None:
        columns, heights = fit.grids[number]
        top = centred(box, fit.height(number)).y
        if lead_rows and number == 0:
            replace(fit.lead, box=replace(box, y=top)).draw(target, lead_rows)
            top += fit.lead_height + gap
        rows = [chunk[i:i + columns] for i in range(0, len(chunk), columns)]
        for row, row_height in zip(rows, heights):
            _draw_cards(deck, target, row, fit.size, Box(box.x, top, box.w * len(row) / columns - (
                gap * (columns - len(row)) / columns), row_height), gap)
            top += row_height + gap

    def first(number: int, chunk) -> tuple | None:
        if lead_rows and number == 0:
            return first_location(content.lead)
        return next((card.loc for card in chunk), None)

    return continued_pages(slide, [(partial(body, number=number, chunk=chunk), first(number, chunk))
                                   for number, chunk in enumerate(chunks)])


def _grid(cards, size: float, width: float, gap: float, height: float) -> tuple[int, list[float]] | None:
    """Columns and row heights of the first grid (one row of up to four, then two rows) whose cards fit `height`."""
    if not cards:
        return 1, []
    count = len(cards)
    options = [count] if count <= 4 else []
    options += [c for c in range(min(count, 4), 0, -1) if -(-count // c) == 2]
    for columns in options:
        rows = [cards[i:i + columns] for i in range(0, count, columns)]
        card_width = (width - gap * (columns - 1)) / columns
        heights = [_cards_height(row, size, card_width * len(row) + gap * (len(row) - 1), gap) for row in rows]
        if sum(heights) + gap * (len(rows) - 1) <= height:
            return columns, heights
    return None


_CARD_PAD = 10.0


def _card_styles(size: float, items: Sequence[Item]) -> tuple[TextStyle, TextStyle]:
    return TextStyle(size + 1), list_style(size, items, 0.4)


def _cards_height(cards, size: float, width: float, gap: float) -> float:
    if not cards:
        return 0.0
    card_width = (width - gap * (len(cards) - 1)) / len(cards) - 2 * _CARD_PAD
    heading = max(measure.block_height([Para(c.heading, bold=True)], TextStyle(size + 1), card_width) for c in cards)
    body = max(measure.block_height(item_paras(c.items), _card_styles(size, c.items)[1], card_width) for c in cards)
    return 4 + _CARD_PAD + heading + 8 + body + _CARD_PAD


def _draw_cards(deck: Deck, target, cards, size: float, area: Box, gap: float) -> None:
    theme, palette = deck.theme, deck.theme.palette
    if not cards:
        return
    width = (area.w - gap * (len(cards) - 1)) / len(cards)
    inner = width - 2 * _CARD_PAD
    heading_style = TextStyle(size + 1)
    # Every card's text starts at the same height, below the tallest heading.
    heading_height = max(measure.block_height([Para(c.heading, bold=True)], heading_style, inner) for c in cards)
    for index, card in enumerate(cards):
        x = area.x + index * (width + gap)
        heading_style, body_style = _card_styles(size, card.items)
        draw.rectangle(target, Box(x, area.y, width, area.h), palette.grey_pale, name=f"Card {index + 1}",
                       alt=_("Card {number} of {count}: {heading}").format(number=index + 1, count=len(cards),
                                                                           heading=plain(card.heading)))
        draw.rectangle(target, Box(x, area.y, width, 4), palette.accent, name=f"Card {index + 1} bar")
        heading = [Para(card.heading, bold=True)]
        y = area.y + 4 + _CARD_PAD
        draw.text_box(target, Box(x + _CARD_PAD, y, inner, heading_height), heading, heading_style,
                      Ink(theme.font, palette.navy))
        y += heading_height + 8
        draw.text_box(target, Box(x + _CARD_PAD, y, inner, area.bottom - y - _CARD_PAD), item_paras(card.items),
                      body_style, Ink(theme.font, palette.text, bullet_color=palette.bullets))


