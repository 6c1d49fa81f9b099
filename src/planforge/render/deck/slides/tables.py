"""Tables and KPI outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from typing import Sequence

from planforge.i18n import ngettext
from planforge.render.deck import draw, measure
from planforge.render.deck.draw import CellLook, Ink
from planforge.render.deck.measure import Para, TextStyle
from planforge.render.deck.slides.base import (
    continued_suffix,
    Deck,
    Page,
    builder,
    continued_pages,
    first_location,
)
from planforge.render.deck.slides.rows import (
    RowsLayout,
    build_groups,
    centred,
    cut_to_fit,
    item_paras,
    list_style,
    row_groups,
    rows_first,
)
from planforge.render.deck.storyline import (
    Item,
    Outcomes,
    Slide,
    Table,
)
from planforge.render.deck.theme import Box, Theme
from planforge.text import plain

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
        return _CELL_MARGINS[0] * self.theme.unit, _CELL_MARGINS[1] * self.theme.unit + self.extra

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
                    items = [(Para(plain(row[0][0][0].text) + continued_suffix()),)] if row[0] else []
                cells.append(tuple(items))
            result.append(tuple(cells))
        return result

    def draw(self, target, box: Box, rows) -> None:
        theme = self.theme
        palette = theme.palette
        header = [[Para(text, bold=True)] for text in self.table.header]
        header_look = [CellLook(palette.navy, Ink(theme.font, palette.on_navy)) for _ in self.table.header]
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
                ink = Ink(theme.font, palette.navy if label else palette.text, bullet_color=palette.bullets)
                row_looks.append(CellLook(palette.grey_pale if label else None, ink, palette.grey_rule))
            cells.append(row_cells)
            looks.append(row_looks)
            styles.append([list_style(self.size, cell, 0.35) for cell in row])
        heights = [self.header_height()] + [self.row_height(row) for row in rows]
        columns = ", ".join(plain(text) for text in self.table.header)
        draw.table(target, box, self.widths, heights, cells, looks, styles, self.margins,
                   alt=ngettext("Table of {n} row: {columns}", "Table of {n} rows: {columns}",
                                len(rows)).format(n=len(rows), columns=columns))


def _fit_table(deck: Deck, table: Table, box: Box) -> tuple[TableLayout, list[list]]:
    """The largest table size at which the table fits the box, else pages at the minimum size."""
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
    # A page breaks only where the next row does not fit.
    pages = measure.paginate([layout.row_height(row) for row in rows], available)
    return layout, [[rows[i] for i in page] for page in pages]


def without_empty_columns(table: Table) -> Table:
    """The table without the columns (after the first) that are empty in every row."""
    keep = [c for c in range(len(table.header)) if c == 0 or any(row[c] for row in table.rows)]
    if len(keep) == len(table.header):
        return table
    return replace(table, header=tuple(table.header[c] for c in keep),
                   rows=tuple(tuple(row[c] for c in keep) for row in table.rows),
                   weights=tuple(table.weights[c] for c in keep))


def _table_first(rows) -> tuple | None:
    return first_location([item for row in rows for cell in row for item in cell])


@builder("table")
def build_table(deck: Deck, slide: Slide) -> list[Page]:
    """A real table; when it does not fit at the minimum size it continues with its header repeated."""
    box = deck.theme.place.body
    layout, pages = _fit_table(deck, without_empty_columns(slide.content), box)
    if len(pages) == 1:
        box = centred(box, layout.height(pages[0]))
    return continued_pages(slide, [(partial(layout.draw, box=box, rows=rows), _table_first(rows)) for rows in pages])


@builder("outcomes")
def build_outcomes(deck: Deck, slide: Slide) -> list[Page]:
    """Outcome paragraphs over a KPI table; the table moves to its own slide when both do not fit."""
    content: Outcomes = slide.content
    theme, box = deck.theme, deck.theme.place.body
    rows = row_groups(content.groups.groups)
    gap = 18.0
    table = content.table
    for size in measure.sizes_between(theme.sizes.body, theme.sizes.body_min):
        rows_layout = RowsLayout(theme, box, size, True)
        top = rows_layout.height(rows) if rows else 0.0
        table_layout = TableLayout(theme, table, box.w, min(size, theme.sizes.table)) if table else None
        bottom = table_layout.height(table.rows) + gap if table else 0.0
        if top + bottom <= box.h:
            y = centred(box, top + bottom - (gap if not rows else 0.0), rows_layout.pad if rows else 0.0).y
            rows_layout = replace(rows_layout, box=replace(box, y=y))
            under = y + (top + gap if rows else 0.0)

            def body(target, rows_layout=rows_layout, table_layout=table_layout, under=under) -> None:
                rows_layout.draw(target, rows)
                if table_layout:
                    table_layout.draw(target, Box(box.x, under, box.w, box.bottom - under), table.rows)

            return [Page(slide, slide.title, body, first=rows_first(rows) or (table and _table_first(table.rows)))]
    pages = build_groups(deck, Slide("groups", slide.title, slide.section, content.groups, slide.kicker, None,
                                     slide.source))
    if table:
        # The table follows on slides of its own, each a continuation of the outcomes slide.
        pages += [replace(page, continuation=True) for page in build_table(
            deck, Slide("table", slide.title + continued_suffix(), slide.section, table, slide.kicker, None, slide.source))]
    return pages


