"""Bullet and paragraph rows and statements."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from typing import Sequence

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
    Group,
    Groups,
    Item,
    Slide,
    Statement,
)
from planforge.render.deck.theme import Box, Theme


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


MIN_FILL = 0.6
"""Content that takes less of the body than this, at the largest size its slide sets, is centred in the body."""


def centred(box: Box, height: float, pad_top: float = 0.0, pad_bottom: float = 0.0) -> Box:
    """Where content `height` tall goes in `box`: at the top when what shows of it (inside its top and bottom
    padding) fills most of the box, else with that centred vertically (a short slide reads as a statement, not as
    a list that stopped)."""
    shown = height - pad_top - pad_bottom
    if shown >= box.h * MIN_FILL:
        return box
    return Box(box.x, box.y + (box.h - shown) / 2 - pad_top, box.w, height)


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
    if len(pages) == 1:
        layout = replace(layout, box=centred(box, layout.height(pages[0]), layout.pad, layout.pad))
    return continued_pages(slide, [(partial(layout.draw, rows=rows), rows_first(rows)) for rows in pages])


_STATEMENT_INDENT = 20.0
_STATEMENT_GAP = 28.0


def statement_size(theme: Theme, size: float) -> float:
    """The statement's size when the rows under it are set at `size`: the theme's statement size at its body size,
    scaled down with it (half-point steps)."""
    return min(theme.sizes.statement, round(size * theme.sizes.statement / theme.sizes.body * 2) / 2)


def statement_height(theme: Theme, content: Statement, width: float, size: float) -> float:
    """The height of the statement and the rows under it, with the rows at `size`."""
    height = measure.block_height([Para(content.statement)], TextStyle(statement_size(theme, size)),
                                  width - _STATEMENT_INDENT * theme.unit)
    rows = row_groups(content.groups.groups)
    if rows:
        labelled = any(heading is not None for heading, _ in rows)
        height += _STATEMENT_GAP * theme.unit + RowsLayout(theme, Box(0, 0, width, 0), size, labelled).height(rows)
    return height


@builder("statement")
def build_statement(deck: Deck, slide: Slide) -> list[Page]:
    """A one-sentence message set large beside an accent bar, with supporting rows below: all on one slide at the
    largest size that fits (centred when short), else the statement on top and the rows continued."""
    content: Statement = slide.content
    theme, box = deck.theme, deck.theme.place.body
    para = Para(content.statement, loc=content.loc)
    indent, gap = _STATEMENT_INDENT * theme.unit, _STATEMENT_GAP * theme.unit
    rows = row_groups(content.groups.groups)
    for size in measure.sizes_between(theme.sizes.body, theme.sizes.body_min):
        if statement_height(theme, content, box.w, size) <= box.h:
            big = statement_size(theme, size)
            height = measure.block_height([para], TextStyle(big), box.w - indent)
            layout = None
            total = height
            if rows:
                rest = Box(box.x, box.y + height + gap, box.w, box.h - height - gap)
                layout = RowsLayout(theme, rest, size, any(h is not None for h, _ in rows)).spread(rows)
                total += gap + layout.height(rows)
            top = centred(box, total, 0.0, layout.pad if layout else 0.0).y
            if layout is not None:
                layout = replace(layout, box=replace(layout.box, y=top + height + gap))
            pages = [rows]
            break
    else:
        text_box = Box(box.x + indent, box.y, box.w - indent, box.h * 0.42)
        big = fit_paras([para], text_box, theme.sizes.statement, theme.sizes.body)
        height = measure.block_height([para], TextStyle(big), text_box.w)
        rest = Box(box.x, box.y + height + gap, box.w, box.h - height - gap)
        layout, pages = _fit_rows(deck, rows, rest)
        top = box.y

    def body(target, number: int, page) -> None:
        if number == 0:
            draw.rectangle(target, Box(box.x, top, 4 * theme.unit, height), theme.palette.accent, name="Accent")
            draw.text_box(target, Box(box.x + indent, top, box.w - indent, height), [para], TextStyle(big),
                          Ink(theme.font, theme.palette.navy), name="Statement")
        if layout and page:
            layout.draw(target, page)

    return continued_pages(slide, [(partial(body, number=number, page=page), rows_first(page) if number else para.loc)
                                   for number, page in enumerate(pages)])
