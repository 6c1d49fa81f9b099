"""Slide builders, one per slide kind, and the chrome every content slide shares (title, tracker, footer)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from typing import Any, Callable, Sequence

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE

from planforge.errors import PlanforgeWarning
from planforge.render.deck import draw, measure
from planforge.render.deck.draw import CellLook, Ink
from planforge.render.deck.measure import Para, TextStyle
from planforge.render.deck.storyline import (
    Agenda, Cards, Cover, Divider, Group, Groups, Item, Outcomes, Roadmap, Slide, Statement, Storyline, Table,
)
from planforge.render.deck.template import TEXT_TYPES, TITLE_TYPES, Base
from planforge.render.deck.theme import Box, Theme
from planforge.text import plain

CONTINUED = " (cont.)"


@dataclass
class Page:
    """One slide of the deck, laid out but not drawn: its title, what it continues, and how to draw its body."""

    slide: Slide
    """The storyline slide it shows (all or part of)."""
    title: str
    """The action title as the slide shows it, with " (cont.)" on a continuation."""
    draw: Callable[[Any], None]
    """Draws the body onto the slide `Deck.add` made for this page."""
    continuation: bool = False
    """The page continues content that did not fit the slide before it."""
    first: tuple | None = None
    """Where the plan writes the first thing the page shows (a model location), when known."""
    role: str = "content"
    chrome: bool = True


def continued_pages(slide: Slide, bodies: Sequence[tuple[Callable[[Any], None], tuple | None]]) -> list[Page]:
    """Pages for one storyline slide whose content took several: (draw, first location) each, the rest continued."""
    return [Page(slide, slide.title + (CONTINUED if number else ""), body, number > 0, first)
            for number, (body, first) in enumerate(bodies)]


def first_location(items: Sequence[Item]) -> tuple | None:
    """Where the plan writes the first of these items that came from it."""
    return next((para.loc for item in items for para in item if para.loc is not None), None)


Builder = Callable[["Deck", Slide], list[Page]]
BUILDERS: dict[str, Builder] = {}
"""Slide kind → the function that lays it out on one or more pages (drawing comes after, page by page)."""


def builder(kind: str) -> Callable[[Builder], Builder]:
    """Register a function as the builder of a slide kind."""
    def register(function: Builder) -> Builder:
        BUILDERS[kind] = function
        return function
    return register


class Deck:
    """A presentation being built: adds slides with the shared chrome and counts them."""

    def __init__(self, base: Base, story: Storyline, ghost: bool = False):
        self.base = base
        self.presentation = base.presentation
        self.theme = base.theme
        self.story = story
        self.ghost = ghost
        self.count = 0
        self._trackers: dict[int, tuple[float, float, list[tuple[str, float, float]]]] = {}

    def build(self) -> None:
        """Lay out and draw every slide of the storyline in order."""
        for slide in self.story.slides:
            for page in self.lay_out(slide):
                page.draw(self.add(page))

    def pages(self) -> list[Page]:
        """Lay out every slide of the storyline without drawing: the pages `build` draws, in order."""
        return [page for slide in self.story.slides for page in self.lay_out(slide)]

    def lay_out(self, slide: Slide) -> list[Page]:
        """The pages one storyline slide takes."""
        kind = slide.kind if not self.ghost or slide.kind in ("cover", "divider") else "ghost"
        return BUILDERS[kind](self, slide)

    def add(self, page: Page):
        """Add a slide for the page with its title, tracker, kicker, source line, page number and notes."""
        slide, role = page.slide, page.role
        target = self.presentation.slides.add_slide(self.base.layout(role))
        if role == "content" or not self.base.layouts.get(role):
            keep_only_title(target)
            number_shapes_quickly(target)
        self.count += 1
        if slide.notes:
            target.notes_slide.notes_text_frame.text = draw.xml_safe(plain(slide.notes))
        if not page.chrome:
            return target
        place = self.theme.place
        set_title(target, page.title, place.title, self.theme, self.theme.palette.navy,
                  self.theme.sizes.title, self.theme.sizes.title_min, 2)
        if place.title_rule_y is not None:
            draw.line(target, place.title.x, place.title_rule_y, place.title.right, place.title_rule_y,
                      self.theme.palette.grey_rule, 0.75)
        tracker_left = self._tracker(target, slide.section)
        if slide.kicker:
            self._kicker(target, slide.kicker, tracker_left)
        if slide.source:
            self._source(target, slide.source)
        self._page_number(target)
        return target

    def _tracker(self, target, current: int | None) -> float:
        """Draw the section labels top-right, the current one highlighted; return where they start."""
        theme, box = self.theme, self.theme.place.tracker
        if current is None:
            return box.right
        if current not in self._trackers:
            self._trackers[current] = self._tracker_layout(current)
        start, line_h, labels = self._trackers[current]
        for index, (label, x, width) in enumerate(labels):
            is_current = index == current
            ink = Ink(theme.font, theme.palette.navy if is_current else theme.palette.grey_mid)
            draw.text_box(target, Box(x, box.y, width + 2, line_h), [Para(label, bold=is_current)],
                          TextStyle(theme.sizes.tracker), ink, name=f"Tracker {index + 1}", wrap=False)
            if is_current:
                draw.rectangle(target, Box(x, box.y + line_h + 1.5, width, 2), theme.palette.accent)
        return start

    def _tracker_layout(self, current: int) -> tuple[float, float, list[tuple[str, float, float]]]:
        """Where the tracker of a slide in section `current` starts, its line height, and each label's text, x and
        width: the same on every slide of the section, so worked out once."""
        theme, box = self.theme, self.theme.place.tracker
        size = theme.sizes.tracker
        gap = 14.0
        labels = list(self.story.sections)
        widths = [measure.text_width(label, size, bold=i == current) for i, label in enumerate(labels)]
        if sum(widths) + gap * (len(labels) - 1) > box.w:
            # Too many sections to name them all: number the others, name the current one.
            labels = [label if i == current else str(i + 1) for i, label in enumerate(labels)]
            widths = [measure.text_width(label, size, bold=i == current) for i, label in enumerate(labels)]
        x = start = box.right - sum(widths) - gap * (len(labels) - 1)
        placed = []
        for label, width in zip(labels, widths):
            placed.append((label, x, width))
            x += width + gap
        return start, measure.line_height(size), placed

    def _kicker(self, target, text: str, tracker_left: float) -> None:
        theme, place = self.theme, self.theme.place
        size = theme.sizes.tracker
        width = tracker_left - place.title.x - 24
        style = TextStyle(size)
        para = Para(text, bold=True)
        if measure.para_lines(para, style, width) > 1:
            return
        draw.text_box(target, Box(place.title.x, place.tracker.y, width, measure.line_height(size)), [para], style,
                      Ink(theme.font, theme.palette.accent), name="Kicker")

    def _source(self, target, text: str) -> None:
        theme, box = self.theme, self.theme.place.source
        para = Para(text)
        for size in measure.sizes_between(theme.sizes.footer, theme.sizes.footer_min, 0.5):
            if measure.block_height([para], TextStyle(size), box.w) <= box.h:
                break
        else:
            warnings.warn(f"source line too long for the footer: {text[:60]}…", PlanforgeWarning, stacklevel=2)
        draw.text_box(target, box, [para], TextStyle(size), Ink(theme.font, theme.palette.grey_dark), anchor="bottom",
                      name="Source")

    def _page_number(self, target) -> None:
        theme = self.theme
        draw.text_box(target, theme.place.page_number, [Para(str(self.count))], TextStyle(theme.sizes.page_number),
                      Ink(theme.font, theme.palette.grey_mid, align="right"), anchor="bottom", name="Page number")


def fit_lines(text: str, width: float, largest: float, smallest: float, max_lines: int,
              bold: bool = False) -> tuple[float, str]:
    """The largest size (half-point steps) at which text fits in `max_lines` lines, and the text.

    Text too long even at `smallest` is cut at a word with an ellipsis, with a warning: a title must never
    run out of its box.
    """
    for size in measure.sizes_between(largest, smallest, 0.5):
        if len(measure.wrap(text, size, width, bold=bold)) <= max_lines:
            return size, text
    warnings.warn(f"text too long for {max_lines} line(s) at {smallest:g} pt, shortened: {plain(text)[:60]}…",
                  PlanforgeWarning, stacklevel=3)
    words = text.split()
    low, high = 0, len(words)
    while low < high:
        middle = (low + high + 1) // 2
        if len(measure.wrap(" ".join(words[:middle]) + " …", smallest, width, bold=bold)) <= max_lines:
            low = middle
        else:
            high = middle - 1
    return smallest, plain(" ".join(words[:low])) + " …"


def set_title(target, text: str, box: Box, theme: Theme, color: str, largest: float, smallest: float,
              max_lines: int, bold: bool = False, anchor: str = "top") -> float:
    """Write the slide title into its placeholder at `box`, at the largest size that fits; return the size."""
    size, text = fit_lines(text, box.w, largest, smallest, max_lines, bold)
    shape = target.shapes.title
    if shape is None:
        shape = target.shapes.add_textbox(draw.emu(box.x), draw.emu(box.y), draw.emu(box.w), draw.emu(box.h))
        shape.name = "Title"
    shape.left, shape.top, shape.width, shape.height = draw.emu(box.x), draw.emu(box.y), draw.emu(box.w), draw.emu(box.h)
    draw.fill_frame(shape.text_frame, [Para(text, bold=bold)], TextStyle(size), Ink(theme.font, color), anchor)
    return size


def number_shapes_quickly(target) -> None:
    """Give shapes added from now on the next id by counting, not by searching the slide's XML for the highest.

    The ids are the same as long as no shape is removed from the slide afterwards (call this again after removing).
    """
    target.shapes.turbo_add_enabled = True


def keep_only_title(target) -> None:
    """Remove the placeholders a layout put on the slide, except its title (empty ones show prompts)."""
    for shape in list(target.placeholders):
        if shape.placeholder_format.type not in TITLE_TYPES:
            shape._element.getparent().remove(shape._element)


# --- bullet and paragraph rows -----------------------------------------------------------------------------


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
                          list_style(self.size, items), Ink(theme.font, theme.palette.text, bullet_color=theme.palette.accent))
            y += height


def _rows(groups: Sequence[Group]) -> list[tuple[str | None, tuple[Item, ...]]]:
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


def _rows_first(rows) -> tuple | None:
    return first_location([item for _, items in rows for item in items])


@builder("groups")
def build_groups(deck: Deck, slide: Slide) -> list[Page]:
    """Labelled rows of bullets (executive summary, phase and week-block slides, vision, references)."""
    content: Groups = slide.content
    box = deck.theme.place.body
    layout, pages = _fit_rows(deck, _rows(content.groups), box)
    return continued_pages(slide, [(partial(layout.draw, rows=rows), _rows_first(rows)) for rows in pages])


@builder("statement")
def build_statement(deck: Deck, slide: Slide) -> list[Page]:
    """A one-sentence message set large beside an accent bar, with supporting rows below."""
    content: Statement = slide.content
    theme, box = deck.theme, deck.theme.place.body
    para = Para(content.statement, loc=content.loc)
    text_box = Box(box.x + 20, box.y, box.w - 20, box.h * 0.42)
    size = _fit_paras([para], text_box, theme.sizes.statement, theme.sizes.body)
    height = measure.block_height([para], TextStyle(size), text_box.w)
    rows = _rows(content.groups.groups)
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

    return continued_pages(slide, [(partial(body, number=number, page=page), _rows_first(page) if number else para.loc)
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
        draw.rectangle(target, Box(x, area.y, width, area.h), palette.grey_pale, name=f"Card {index + 1}")
        draw.rectangle(target, Box(x, area.y, width, 4), palette.accent, name=f"Card {index + 1} bar")
        heading = [Para(card.heading, bold=True)]
        y = area.y + 4 + _CARD_PAD
        draw.text_box(target, Box(x + _CARD_PAD, y, inner, heading_height), heading, heading_style,
                      Ink(theme.font, palette.navy))
        y += heading_height + 8
        draw.text_box(target, Box(x + _CARD_PAD, y, inner, area.bottom - y - _CARD_PAD), item_paras(card.items),
                      body_style, Ink(theme.font, palette.text, bullet_color=palette.accent))


# --- tables --------------------------------------------------------------------------------------------------

_CELL_MARGINS = (6.0, 4.0)
# LibreOffice and PowerPoint round row heights up a little; leave room so rows never grow.
_ROW_SLACK = 1.5


@dataclass
class TableLayout:
    """A table's column widths and measured row heights at one font size."""

    theme: Theme
    table: Table
    width: float
    size: float
    extra: float = 0.0
    """Space added above and below every cell's text to spread a short table over the body."""
    text_heights: dict = field(default_factory=dict, repr=False, compare=False)
    """Measured text height of each (items, column, bold) cell; padding aside, `spread` shares them."""

    def spread(self, rows, height: float) -> TableLayout:
        """Return this layout with cells padded so the table uses more of `height` (a little, not all)."""
        spare = height - self.height(rows)
        extra = max(0.0, min(spare / (2 * (len(rows) + 1)), self.size * 0.4))
        return TableLayout(self.theme, self.table, self.width, self.size, extra, self.text_heights)

    @property
    def margins(self) -> tuple[float, float]:
        return _CELL_MARGINS[0], _CELL_MARGINS[1] + self.extra

    @cached_property
    def widths(self) -> list[float]:
        total = sum(self.table.weights)
        return [self.width * weight / total for weight in self.table.weights]

    def cell_height(self, items: Sequence[Item], column: int, bold: bool = False) -> float:
        horizontal, vertical = self.margins
        # Fitting, paginating and drawing ask for the same cells' heights again and again.
        key = (tuple(items), column, bold)
        text = self.text_heights.get(key)
        if text is None:
            paras = [Para(p.text, p.level, p.marker, p.number, bold or p.bold, p.italic) for p in item_paras(items)]
            text = measure.block_height(paras, list_style(self.size, items, 0.35), self.widths[column] - 2 * horizontal)
            self.text_heights[key] = text
        return text + 2 * vertical + _ROW_SLACK

    def header_height(self) -> float:
        return max(self.cell_height(((Para(text),),), c, bold=True) for c, text in enumerate(self.table.header))

    def row_height(self, row) -> float:
        return max(self.cell_height(cell, c, bold=self.table.label_column and c == 0) for c, cell in enumerate(row))

    def height(self, rows) -> float:
        return self.header_height() + sum(self.row_height(row) for row in rows)

    def split_row(self, row, available: float) -> list[tuple]:
        """Split a row taller than `available` into rows holding consecutive items of every cell."""
        horizontal, vertical = self.margins
        chunks = []
        for column, cell in enumerate(row):
            inner = available - 2 * vertical - _ROW_SLACK
            cell = cut_to_fit(cell, list_style(self.size, cell, 0.35), self.widths[column] - 2 * horizontal, inner)
            heights = [self.cell_height((item,), column) - 2 * vertical - _ROW_SLACK for item in cell]
            gap = self.size * 0.35
            pages = measure.paginate(heights, inner, gap)
            chunks.append([[cell[i] for i in page] for page in pages] or [[]])
        parts = max(len(c) for c in chunks)
        result = []
        for part in range(parts):
            cells = []
            for column, cell_chunks in enumerate(chunks):
                items = cell_chunks[part] if part < len(cell_chunks) else []
                if column == 0 and self.table.label_column and part:
                    items = [(Para(plain(row[0][0][0].text) + CONTINUED),)] if row[0] else []
                cells.append(tuple(items))
            result.append(tuple(cells))
        return result

    def draw(self, target, box: Box, rows) -> None:
        theme = self.theme
        palette = theme.palette
        header = [[Para(text, bold=True)] for text in self.table.header]
        header_look = [CellLook(palette.navy, Ink(theme.font, palette.white)) for _ in self.table.header]
        cells = [header]
        looks = [header_look]
        styles = [[TextStyle(self.size)] * len(header)]
        for row in rows:
            row_cells = []
            row_looks = []
            for column, cell in enumerate(row):
                label = self.table.label_column and column == 0
                paras = [Para(p.text, p.level, p.marker, p.number, p.bold or label, p.italic) for p in item_paras(cell)]
                row_cells.append(paras)
                ink = Ink(theme.font, palette.navy if label else palette.text, bullet_color=palette.accent)
                row_looks.append(CellLook(palette.grey_pale if label else None, ink, palette.grey_rule))
            cells.append(row_cells)
            looks.append(row_looks)
            styles.append([list_style(self.size, cell, 0.35) for cell in row])
        heights = [self.header_height()] + [self.row_height(row) for row in rows]
        draw.table(target, box, self.widths, heights, cells, looks, styles, self.margins)


def _fit_table(deck: Deck, table: Table, box: Box) -> tuple[TableLayout, list[list]]:
    """The largest table size at which the table fits the box, else balanced pages at the minimum size."""
    sizes = deck.theme.sizes
    for size in measure.sizes_between(sizes.table, sizes.table_min):
        layout = TableLayout(deck.theme, table, box.w, size)
        if layout.height(table.rows) <= box.h:
            return layout.spread(table.rows, box.h), [list(table.rows)]
    layout = TableLayout(deck.theme, table, box.w, sizes.table_min)
    available = box.h - layout.header_height()
    rows = []
    for row in table.rows:
        rows.extend([row] if layout.row_height(row) <= available else layout.split_row(row, available))
    pages = measure.balance([layout.row_height(row) for row in rows], available)
    return layout, [[rows[i] for i in page] for page in pages]


def _table_first(rows) -> tuple | None:
    return first_location([item for row in rows for cell in row for item in cell])


@builder("table")
def build_table(deck: Deck, slide: Slide) -> list[Page]:
    """A real table; when it does not fit at the minimum size it continues with its header repeated."""
    box = deck.theme.place.body
    layout, pages = _fit_table(deck, slide.content, box)
    return continued_pages(slide, [(partial(layout.draw, box=box, rows=rows), _table_first(rows)) for rows in pages])


@builder("outcomes")
def build_outcomes(deck: Deck, slide: Slide) -> list[Page]:
    """Outcome paragraphs over a KPI table; the table moves to its own slide when both do not fit."""
    content: Outcomes = slide.content
    theme, box = deck.theme, deck.theme.place.body
    rows = _rows(content.groups.groups)
    gap = 18.0
    table = content.table
    for size in measure.sizes_between(theme.sizes.body, theme.sizes.body_min):
        rows_layout = RowsLayout(theme, box, size, True)
        top = rows_layout.height(rows) if rows else 0.0
        table_layout = TableLayout(theme, table, box.w, min(size, theme.sizes.table)) if table else None
        bottom = table_layout.height(table.rows) + gap if table else 0.0
        if top + bottom <= box.h:
            def body(target, rows_layout=rows_layout, table_layout=table_layout, top=top) -> None:
                rows_layout.draw(target, rows)
                if table_layout:
                    table_layout.draw(target, Box(box.x, box.y + top + gap, box.w, box.h - top - gap), table.rows)

            return [Page(slide, slide.title, body, first=_rows_first(rows) or (table and _table_first(table.rows)))]
    pages = build_groups(deck, Slide("groups", slide.title, slide.section, content.groups, slide.kicker, None,
                                     slide.source))
    if table:
        # The table follows on slides of its own, each a continuation of the outcomes slide.
        pages += [replace(page, continuation=True) for page in build_table(
            deck, Slide("table", slide.title + CONTINUED, slide.section, table, slide.kicker, None, slide.source))]
    return pages


# --- roadmap -------------------------------------------------------------------------------------------------


_ROW_MIN = 30.0
_ROW_MAX = 52.0


@builder("roadmap")
def build_roadmap(deck: Deck, slide: Slide) -> list[Page]:
    """A Gantt chart in native shapes: phases as chevrons over a week scale, one bar per block of weeks.

    More blocks than fit at a readable row height continue on the next slide under the same phases and scale.
    """
    content: Roadmap = slide.content
    box = deck.theme.place.body
    header = 50.0 + 6 + 18 + 4
    per_slide = max(1, int((box.h - header) // _ROW_MIN))
    chunks = [content.blocks[i:i + per_slide] for i in range(0, len(content.blocks), per_slide)] or [()]
    return continued_pages(slide, [
        (partial(_draw_roadmap, deck, content=content, blocks=blocks, first=number * per_slide),
         next((block.loc for block in blocks), None))
        for number, blocks in enumerate(chunks)])


@dataclass(frozen=True)
class _Axis:
    """Where days and weeks fall on the roadmap's time axis."""

    left: float
    span: float
    axis_days: float
    week_days: float

    def x(self, day: float) -> float:
        return self.left + self.span * day / self.axis_days


def _axis(content: Roadmap, left: float, span: float) -> _Axis:
    total_days = max(p.end_day for p in content.phases)
    total_weeks = max((b.last_week for b in content.blocks), default=1)
    # When the weeks cover the phases' days (12 weeks ≈ 90 days), both share the axis end to end.
    week_days = total_days / total_weeks if abs(total_weeks * 7 - total_days) <= 7 else 7.0
    return _Axis(left, span, max(total_days, total_weeks * week_days), week_days)


def _draw_roadmap(deck: Deck, target, content: Roadmap, blocks, first: int) -> None:
    """Draw the phases, the week scale and the rows of `blocks` (`first` counts the blocks on slides before)."""
    theme = deck.theme
    palette = theme.palette
    box = theme.place.body
    label_width = box.w * 0.24
    axis = _axis(content, box.x + label_width + 12, box.w - label_width - 12)
    colours = [palette.navy, palette.accent, palette.grey_dark]
    phase_height = 50.0
    last = len(content.phases) - 1
    for index, phase in enumerate(content.phases):
        x0, x1 = axis.x(phase.start_day - 1), axis.x(phase.end_day)
        point = min(12.0, (x1 - x0) / 3)
        shape = MSO_SHAPE.PENTAGON if index == 0 else MSO_SHAPE.CHEVRON
        bar = draw.rectangle(target, Box(x0, box.y, x1 - x0 + (point if index < last else 0), phase_height),
                             colours[index % len(colours)], shape=shape, name=f"Phase {index + 1}")
        bar.adjustments[0] = point / phase_height
        inner = Box(x0 + (point if index else 0) + 6, box.y + 4, x1 - x0 - point - 12, phase_height - 8)
        paras = _roadmap_label([Para(phase.name, bold=True)] + ([Para(phase.theme)] if phase.theme else []), inner)
        if paras:
            size = _fit_paras(paras, inner, 12, 10)
            draw.text_box(target, inner, paras, TextStyle(size), Ink(theme.font, palette.white), anchor="middle",
                          name=f"Phase {index + 1} label")
    draw.text_box(target, Box(box.x, box.y, label_width, phase_height), [Para("Phase", bold=True)], TextStyle(12),
                  Ink(theme.font, palette.navy), anchor="middle")

    scale_y = box.y + phase_height + 6
    scale_height = 18.0
    total_weeks = round(axis.axis_days / axis.week_days)
    week_width = axis.span * axis.week_days / axis.axis_days
    week_size = 10.0
    widest = measure.text_width(f"Week {total_weeks}", week_size)
    long_names = widest <= week_width - 4
    # With many weeks, label every second, fourth... week so the labels never touch.
    every = 1 if long_names else max(1, -(-int(measure.text_width(f"W{total_weeks}", week_size) + 4) // int(max(week_width, 1))))
    for week in range(1, total_weeks + 1, every):
        x0 = axis.x((week - 1) * axis.week_days)
        text = f"Week {week}" if long_names else f"W{week}"
        draw.text_box(target, Box(x0, scale_y, week_width * every, scale_height), [Para(text)], TextStyle(week_size),
                      Ink(theme.font, palette.grey_dark, align="left" if every > 1 else "center"), anchor="middle",
                      name=f"Week {week}")
    draw.text_box(target, Box(box.x, scale_y, label_width, scale_height), [Para("Block of weeks", bold=True)],
                  TextStyle(12), Ink(theme.font, palette.navy), anchor="middle")

    rows_top = scale_y + scale_height + 4
    row_height = min(_ROW_MAX, (box.bottom - rows_top) / max(len(blocks), 1))
    rows_bottom = rows_top + row_height * len(blocks)
    for index in range(0, len(blocks), 2):
        draw.rectangle(target, Box(box.x, rows_top + index * row_height, box.w, row_height), palette.grey_pale,
                       name=f"Row {index + 1}")
    # Phase boundaries go under the bars, so a bar crossing one stays whole.
    for phase in content.phases[:-1]:
        x = axis.x(phase.end_day)
        draw.line(target, x, scale_y, x, rows_bottom, palette.grey_rule, 0.75, dash="dash")
    for index, block in enumerate(blocks):
        y = rows_top + index * row_height
        label_box = Box(box.x + 6, y + 3, label_width - 12, row_height - 6)
        lines = max(1, int(label_box.h // measure.line_height(10)))
        size, label = fit_lines(block.label, label_box.w, 12, 10, lines, bold=True)
        draw.text_box(target, label_box, [Para(label, bold=True)], TextStyle(size), Ink(theme.font, palette.navy),
                      anchor="middle")
        x0 = axis.x((block.first_week - 1) * axis.week_days)
        x1 = axis.x(block.last_week * axis.week_days)
        phase_index = next((i for i, p in enumerate(content.phases)
                            if p.start_day - 1 <= (block.first_week - 1) * axis.week_days < p.end_day), last)
        bar_box = Box(x0 + 2, y + row_height * 0.22, max(x1 - x0 - 4, 2), row_height * 0.56)
        bar = draw.rectangle(target, bar_box, colours[phase_index % len(colours)], shape=MSO_SHAPE.ROUNDED_RECTANGLE,
                             name=f"Block {first + index + 1}")
        bar.adjustments[0] = 0.15
        fits = measure.text_width(block.detail or "", 10, bold=True) <= (bar_box.w - 8) * measure.WIDTH_SAFETY
        if block.detail and fits and bar_box.h >= measure.line_height(10):
            draw.text_box(target, bar_box, [Para(block.detail, bold=True)], TextStyle(10),
                          Ink(theme.font, palette.white, align="center"), anchor="middle")


def _roadmap_label(paras: list[Para], box: Box) -> list[Para]:
    """A phase label that fits its chevron at 10 pt or more: name and theme, else the name, else nothing."""
    for candidate in (paras, paras[:1]):
        if measure.fit_size([(candidate, box.w, box.h)], TextStyle(12), measure.sizes_between(12, 10, 0.5)):
            return candidate
    return []


def _fit_paras(paras: Sequence[Para], box: Box, largest: float, smallest: float) -> float:
    size = measure.fit_size([(paras, box.w, box.h)], TextStyle(largest), measure.sizes_between(largest, smallest, 0.5))
    if size is None:
        warnings.warn(f"text does not fit its box: {plain(paras[0].text)[:60]}", PlanforgeWarning, stacklevel=2)
        return smallest
    return size


# --- cover, dividers, agenda, ghost --------------------------------------------------------------------------


@builder("cover")
def build_cover(deck: Deck, slide: Slide) -> list[Page]:
    """The title slide: the company's title layout when it has one, else the built-in design."""
    body = _company_cover if deck.base.layouts.get("cover") is not None else _builtin_cover
    return [Page(slide, slide.title, partial(body, deck, slide), role="cover", chrome=False)]


def _builtin_cover(deck: Deck, slide: Slide, target) -> None:
    """The document title on the dark colour, subtitle and who/when lines below."""
    content: Cover = slide.content
    theme = deck.theme
    palette = theme.palette
    target.background.fill.solid()
    target.background.fill.fore_color.rgb = RGBColor.from_string(palette.navy)
    unit = theme.height / 540
    left = theme.margin * 2
    width = theme.width * 0.72
    draw.rectangle(target, Box(left, 150 * unit, 64, 5), palette.accent, name="Accent")
    set_title(target, content.title, Box(left, 172 * unit, width, 150 * unit), theme, palette.white,
              theme.sizes.cover_title, theme.sizes.cover_title_min, 3, bold=True, anchor="bottom")
    below = Box(left, 336 * unit, width, theme.height - 336 * unit - 24)
    paras = ([Para(content.subtitle)] if content.subtitle else []) + [Para(line) for line in content.lines]
    if paras:
        size = _fit_paras(paras, below, theme.sizes.cover_subtitle, 12)
        draw.text_box(target, below, paras, TextStyle(size, space_before=size * 0.4),
                      Ink(theme.font, palette.tint(palette.navy, 0.7)), name="Subtitle")


def _company_cover(deck: Deck, slide: Slide, target) -> None:
    """The company's title layout: the title and the subtitle placeholder, set in the master's own style."""
    content: Cover = slide.content
    title = target.shapes.title
    fill_placeholder(title, [Para(content.title, bold=True)], deck.theme.sizes.cover_title, 20)
    paras = ([Para(content.subtitle)] if content.subtitle else []) + [Para(line) for line in content.lines]
    fill_or_remove(target, paras, deck.theme.sizes.cover_subtitle, 12)


def fill_placeholder(shape, paras: list[Para], largest: float, smallest: float) -> None:
    """Set paragraphs into a company placeholder at the largest size that fits its bounds, in its own style."""
    box = Box(shape.left / 12700, shape.top / 12700, shape.width / 12700, shape.height / 12700)
    # Measured in bold: a master may set its titles bold, and bold is the wider case.
    measured = [Para(p.text, p.level, p.marker, p.number, True, p.italic) for p in paras]
    size = measure.fit_size([(measured, box.w, box.h)], TextStyle(largest),
                            measure.sizes_between(largest, smallest, 0.5))
    if size is None:
        size, text = fit_lines(paras[0].text, box.w, smallest, smallest,
                               max(1, int(box.h // measure.line_height(smallest))), bold=True)
        paras = [Para(text)]
    draw.fill_frame(shape.text_frame, paras, TextStyle(size), Ink(None, None, align=None))


def fill_or_remove(target, paras: list[Para], largest: float, smallest: float) -> None:
    """Fill the slide's first text placeholder, or remove it when there is nothing to say."""
    placeholder = next((ph for ph in target.placeholders if ph.placeholder_format.type in TEXT_TYPES), None)
    for other in list(target.placeholders):
        if other.placeholder_format.type not in TITLE_TYPES and (placeholder is None or other._element is not placeholder._element):
            other._element.getparent().remove(other._element)
    if placeholder is None:
        return
    if paras:
        fill_placeholder(placeholder, paras, largest, smallest)
    else:
        placeholder._element.getparent().remove(placeholder._element)


@builder("divider")
def build_divider(deck: Deck, slide: Slide) -> list[Page]:
    """A section divider: the company's section layout when it has one, else the built-in design."""
    return [Page(slide, slide.title, partial(_divider, deck, slide), role="divider", chrome=False)]


def _divider(deck: Deck, slide: Slide, target) -> None:
    if deck.base.layouts.get("divider") is not None:
        content: Divider = slide.content
        fill_placeholder(target.shapes.title, [Para(slide.title, bold=True)], deck.theme.sizes.divider_action, 20)
        fill_or_remove(target, [Para(content.subtitle)] if content.subtitle else [], 18, 12)
        number_shapes_quickly(target)
    else:
        _builtin_divider(deck, slide, target)
    deck._tracker(target, slide.section)
    deck._page_number(target)


def _builtin_divider(deck: Deck, slide: Slide, target) -> None:
    """Big number on a dark band, section name and an optional line on what the section shows."""
    content: Divider = slide.content
    theme = deck.theme
    palette = theme.palette
    band = theme.width * 0.3
    middle = theme.height / 2
    draw.rectangle(target, Box(0, 0, band, theme.height), palette.navy, name="Band")
    draw.text_box(target, Box(theme.margin, middle - 60, band - 2 * theme.margin, 100), [Para(content.number, bold=True)],
                  TextStyle(72), Ink(theme.font, palette.white, align="right"), anchor="bottom", name="Number")
    left = band + theme.margin
    width = theme.width - left - theme.margin * 1.5
    if slide.title == content.name:
        set_title(target, content.name, Box(left, middle - 120, width, 112), theme, palette.navy,
                  theme.sizes.divider, theme.sizes.divider_min, 2, bold=True, anchor="bottom")
    else:
        # An action title for the section: the section's name becomes a label above it.
        label = Para(content.name, bold=True)
        draw.text_box(target, Box(left, middle - 168, width, measure.line_height(16)), [label], TextStyle(16),
                      Ink(theme.font, palette.accent), name="Section")
        set_title(target, slide.title, Box(left, middle - 144, width, 136), theme, palette.navy,
                  theme.sizes.divider_action, theme.sizes.divider_min, 3, bold=True, anchor="bottom")
    draw.rectangle(target, Box(left, middle, 64, 4), palette.accent, name="Accent")
    if content.subtitle:
        para = Para(content.subtitle)
        box = Box(left, middle + 20, width, theme.height - middle - 70)
        size = _fit_paras([para], box, 18, 12)
        draw.text_box(target, box, [para], TextStyle(size, space_before=6), Ink(theme.font, palette.grey_dark),
                      name="Subtitle")


@builder("agenda")
def build_agenda(deck: Deck, slide: Slide) -> list[Page]:
    """Numbered agenda rows: section name and the message it will make."""
    content: Agenda = slide.content
    per_page = max(1, int(deck.theme.place.body.h // 56))
    starts = range(0, len(content.entries), per_page)
    return continued_pages(slide, [
        (partial(_draw_agenda, deck, entries=content.entries[i:i + per_page], page_number=number, per_page=per_page),
         content.locs[i] if i < len(content.locs) else None)
        for number, i in enumerate(starts)])


def _draw_agenda(deck: Deck, target, entries, page_number: int, per_page: int) -> None:
    """Draw one page of agenda rows."""
    theme = deck.theme
    palette = theme.palette
    box = theme.place.body
    row_height = min(box.h / max(len(entries), 1), 84.0)
    for index, (name, description) in enumerate(entries):
        number = page_number * per_page + index + 1
        y = box.y + index * row_height
        circle = 34.0
        draw.rectangle(target, Box(box.x, y + 8, circle, circle), palette.accent, shape=MSO_SHAPE.OVAL)
        draw.text_box(target, Box(box.x, y + 8, circle, circle), [Para(str(number), bold=True)], TextStyle(14),
                      Ink(theme.font, palette.white, align="center"), anchor="middle")
        text_box = Box(box.x + circle + 16, y + 4, box.w - circle - 16, row_height - 12)
        paras = [Para(name, bold=True)] + ([Para(description)] if description else [])
        style = TextStyle(18, space_before=3)
        size = measure.fit_size([(paras, text_box.w, text_box.h)], style, measure.sizes_between(18, 12))
        draw.text_box(target, text_box, [paras[0]], style.at(size or 12), Ink(theme.font, palette.navy))
        if description:
            title_height = measure.block_height([paras[0]], style.at(size or 12), text_box.w)
            draw.text_box(target, Box(text_box.x, text_box.y + title_height + 3, text_box.w,
                                      text_box.h - title_height - 3),
                          [paras[1]], style.at((size or 12) * 0.85), Ink(theme.font, palette.grey_dark))
        if index:
            draw.line(target, box.x, y, box.right, y, palette.grey_light, 0.75)


@builder("ghost")
def build_ghost(deck: Deck, slide: Slide) -> list[Page]:
    """Storyline review: the slide's chrome and action title, and an empty body."""
    return [Page(slide, slide.title, lambda target: None)]
