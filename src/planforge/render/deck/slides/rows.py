"""Bullet and paragraph rows, statements and cards."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Sequence

from planforge.i18n import _
from planforge.render.deck import draw, measure
from planforge.render.deck.draw import Ink
from planforge.render.deck.measure import Para, TextStyle
from planforge.render.deck.slides.base import (
    Deck,
    Page,
    builder,
    continued_pages,
    first_location,
)
from planforge.render.deck.slides.fitting import fit_paras
from planforge.render.deck.storyline import (
    Cards,
    Group,
    Groups,
    Item,
    Slide,
    Statement,
)
from planforge.render.deck.theme import Box, Theme
from planforge.text import plain


def list_style(size: float, items: Sequence[Item], space: float = 0.5) -> TextStyle:
    """Text style for a list of items: numbered lists need a wider hanging indent than bullets."""
    numbered = any(p.marker == "number" for item in items for p in item)
    indent = size * (1.5 if numbered else 1.1)
    return TextStyle(size, 1.0, size * space, size * space * 0.4, indent, indent + size * 1.1)


def item_paras(items: Sequence[Item]) -> list[Para]:
    """All paragraphs of the items, in order."""
    return [para for item in items for para in item]


@dataclass
class RowsLayout:
    """Labelled rows: a label column on the left, bullets or paragraphs on the right, rules between rows."""

    theme: Theme
    box: Box
    size: float
    labelled: bool
    extra: float = 0.0
    """Space added above and below every row's text to spread short content over the body."""
    text_heights: dict = field(default_factory=dict, repr=False, compare=False)
    """Measured text height of each (heading, items) row; padding aside, `spread` shares them."""

    def spread(self, rows) -> RowsLayout:
        """Return this layout with rows padded so they use more of the box (at most one line more each)."""
        spare = self.box.h - self.height(rows)
        extra = max(0.0, min(spare / (2 * max(len(rows), 1)), self.size * 0.5))
        return RowsLayout(self.theme, self.box, self.size, self.labelled, extra, self.text_heights)

    @property
    def label_width(self) -> float:
        return self.box.w * 0.21 if self.labelled else 0.0

    @property
    def gap(self) -> float:
        return 18.0 if self.labelled else 0.0

    @property
    def pad(self) -> float:
        return self.size * 0.6 + self.extra

    def content_box(self, heading: str | None) -> tuple[float, float]:
        """x and width of a row's content."""
        if heading is None:
            return self.box.x, self.box.w
        offset = self.label_width + self.gap
        return self.box.x + offset, self.box.w - offset

    def label_style(self) -> TextStyle:
        return TextStyle(self.size)

    def row_height(self, heading: str | None, items: Sequence[Item]) -> float:
        # Paginating asks for the same rows' heights again and again (every trial page).
        key = (heading, tuple(items))
        height = self.text_heights.get(key)
        if height is None:
            _, width = self.content_box(heading)
            height = measure.block_height(item_paras(items), list_style(self.size, items), width)
            if heading is not None:
                label = measure.block_height([Para(heading, bold=True)], self.label_style(), self.label_width)
                height = max(height, label)
            self.text_heights[key] = height
        return height + 2 * self.pad

    def height(self, rows: Sequence[tuple[str | None, Sequence[Item]]]) -> float:
        return sum(self.row_height(heading, items) for heading, items in rows)

    def draw(self, target, rows: Sequence[tuple[str | None, Sequence[Item]]]) -> None:
        theme = self.theme
        y = self.box.y
        for index, (heading, items) in enumerate(rows):
            height = self.row_height(heading, items)
            if index:
                draw.line(target, self.box.x, y, self.box.right, y, theme.palette.grey_light, 0.75)
            if heading is not None:
                draw.text_box(target, Box(self.box.x, y + self.pad, self.label_width, height - 2 * self.pad),
                              [Para(heading, bold=True)], self.label_style(), Ink(theme.font, theme.palette.navy))
            x, width = self.content_box(heading)
            draw.text_box(target, Box(x, y + self.pad, width, height - 2 * self.pad), item_paras(items),
                          list_style(self.size, items), Ink(theme.font, theme.palette.text, bullet_color=theme.palette.bullets))
            y += height


def row_groups(groups: Sequence[Group]) -> list[tuple[str | None, tuple[Item, ...]]]:
    return [(group.heading, group.items) for group in groups if group.items]


def cut_to_fit(items: Sequence[Item], style: TextStyle, width: float, available: float) -> list[Item]:
    """The items, with any item taller than `available` cut into smaller items that fit (the last resort)."""
    result: list[Item] = []
    for item in items:
        if measure.block_height(item, style, width) <= available:
            result.append(item)
            continue
        for para in item:
            result.extend((part,) for part in measure.split_para(para, style, width, available))
    return result


def _paginate_rows(layout: RowsLayout, rows, available: float) -> list[list[tuple[str | None, list[Item]]]]:
    """Split rows into pages at item boundaries, each page at most `available` high."""
    pages: list[list[tuple[str | None, list[Item]]]] = [[]]
    for row_index, (heading, items) in enumerate(rows):
        _, width = layout.content_box(heading)
        for item in cut_to_fit(items, list_style(layout.size, items), width, available - 2 * layout.pad):
            page = pages[-1]
            same_row = page and page[-1][2] == row_index
            trial = [r[:2] for r in page]
            if same_row:
                trial[-1] = (heading, [*trial[-1][1], item])
            else:
                trial.append((heading, [item]))
            if page and layout.height(trial) > available:
                pages.append([(heading, [item], row_index)])
            elif same_row:
                page[-1][1].append(item)
            else:
                page.append((heading, [item], row_index))
    return [[(heading, items) for heading, items, _ in page] for page in pages if page]


def _fit_rows(deck: Deck, rows, box: Box) -> tuple[RowsLayout, list]:
    """The largest body size at which all rows fit the box, or pages of rows at the minimum size."""
    theme = deck.theme
    labelled = any(heading is not None for heading, _ in rows)
    for size in measure.sizes_between(theme.sizes.body, theme.sizes.body_min):
        layout = RowsLayout(theme, box, size, labelled)
        if layout.height(rows) <= box.h:
            return layout.spread(rows), [rows]
    layout = RowsLayout(theme, box, theme.sizes.body_min, labelled)
    return layout, _paginate_rows(layout, rows, box.h)


def rows_first(rows) -> tuple | None:
    return first_location([item for _, items in rows for item in items])


@builder("groups")
def build_groups(deck: Deck, slide: Slide) -> list[Page]:
    """Labelled rows of bullets (executive summary, phase and week-block slides, vision, references)."""
    content: Groups = slide.content
    box = deck.theme.place.body
    layout, pages = _fit_rows(deck, row_groups(content.groups), box)
    return continued_pages(slide, [(partial(layout.draw, rows=rows), rows_first(rows)) for rows in pages])


@builder("statement")
def build_statement(deck: Deck, slide: Slide) -> list[Page]:
    """A one-sentence message set large beside an accent bar, with supporting rows below."""
    content: Statement = slide.content
    theme, box = deck.theme, deck.theme.place.body
    para = Para(content.statement, loc=content.loc)
    text_box = Box(box.x + 20, box.y, box.w - 20, box.h * 0.42)
    size = fit_paras([para], text_box, theme.sizes.statement, theme.sizes.body)
    height = measure.block_height([para], TextStyle(size), text_box.w)
    rows = row_groups(content.groups.groups)
    pages: list = [[]]
    layout = None
    if rows:
        rest = Box(box.x, box.y + height + 28, box.w, box.h - height - 28)
        layout, pages = _fit_rows(deck, rows, rest)

    def body(target, number: int, page) -> None:
        if number == 0:
            draw.rectangle(target, Box(box.x, box.y, 4, height), theme.palette.accent, name="Accent")
            draw.text_box(target, Box(text_box.x, box.y, text_box.w, height), [para], TextStyle(size),
                          Ink(theme.font, theme.palette.navy), name="Statement")
        if layout and page:
            layout.draw(target, page)

    return continued_pages(slide, [(partial(body, number=number, page=page), rows_first(page) if number else para.loc)
                                   for number, page in enumerate(pages)])


@builder("cards")
def build_cards(deck: Deck, slide: Slide) -> list[Page]:
    """A lead paragraph over cards (initiatives): one row of up to four, or two rows when the text needs width.

    More than six cards continue on the next slide; text that fits no grid falls back to labelled rows.
    """
    content: Cards = slide.content
    theme, box = deck.theme, deck.theme.place.body
    gap = 16.0
    chunks = [content.cards[i:i + 6] for i in range(0, len(content.cards), 6)] or [()]
    lead_rows = [(None, content.lead)] if content.lead else []
    chosen = None
    for size in measure.sizes_between(theme.sizes.body, theme.sizes.body_min):
        lead = RowsLayout(theme, box, size, False)
        lead_height = lead.height(lead_rows) if lead_rows else 0.0
        area = box.h - lead_height - (gap if lead_rows else 0.0)
        grids = [_grid(chunk, size, box.w, gap, area) for chunk in chunks]
        if all(grid is not None for grid in grids):
            chosen = size, lead, lead_height, grids
            break
    if chosen is None:
        groups = Groups((Group(None, content.lead), *(Group(c.heading, c.items) for c in content.cards)))
        return build_groups(deck, Slide("groups", slide.title, slide.section, groups, slide.kicker, None, slide.source))
    size, lead, lead_height, grids = chosen

    def body(target, number: int, chunk, columns: int) -> None:
        top = box.y
        if lead_rows and number == 0:
            lead.draw(target, lead_rows)
            top += lead_height + gap
        rows = [chunk[i:i + columns] for i in range(0, len(chunk), columns)]
        if not rows:
            return
        row_height = (box.bottom - top - gap * (len(rows) - 1)) / len(rows)
        for index, row in enumerate(rows):
            y = top + index * (row_height + gap)
            _draw_cards(deck, target, row, size, Box(box.x, y, box.w * len(row) / columns - (
                gap * (columns - len(row)) / columns), row_height), gap)

    def first(number: int, chunk) -> tuple | None:
        if lead_rows and number == 0:
            return first_location(content.lead)
        return next((card.loc for card in chunk), None)

    return continued_pages(slide, [(partial(body, number=number, chunk=chunk, columns=columns), first(number, chunk))
                                   for number, (chunk, columns) in enumerate(zip(chunks, grids))])


def _grid(cards, size: float, width: float, gap: float, height: float) -> int | None:
    """Columns of the first grid (one row of up to four, then two rows) whose cards fit `height`, if any."""
    if not cards:
        return 1
    count = len(cards)
    options = [count] if count <= 4 else []
    options += [c for c in range(min(count, 4), 0, -1) if -(-count // c) == 2]
    for columns in options:
        rows = [cards[i:i + columns] for i in range(0, count, columns)]
        card_width = (width - gap * (columns - 1)) / columns
        needed = sum(_cards_height(row, size, card_width * len(row) + gap * (len(row) - 1), gap) for row in rows)
        if needed + gap * (len(rows) - 1) <= height:
            return columns
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


