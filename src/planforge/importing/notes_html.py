"""An HTML block of a note (a table pasted as HTML, a `<div>` of text) → note blocks; comments are dropped."""

from __future__ import annotations

from html.parser import HTMLParser

from planforge.importing.notes import _BREAK, Block, Paragraph, Table, bare, cell_items, tidy


class _HtmlText(HTMLParser):
    """Collects an HTML block's text, and its table rows and cells when it has any."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.header: list[str] = []
        self.text: list[str] = []
        self.cell: list[str] | None = None
        self.head = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
            self.head = tag == "th" and len(self.rows) <= 1
        elif tag == "br" and self.cell is not None:
            self.cell.append("<br/>")
        elif tag in ("p", "div", "li", "br"):
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.rows:
            self.rows[-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data: str) -> None:
        (self.cell if self.cell is not None else self.text).append(data)


def html_blocks(html: str, line: int) -> list[Block]:
    """Return an HTML block's text: a table as a Table, other text as one paragraph; comments are dropped."""
    reader = _HtmlText()
    reader.feed(html)
    reader.close()
    rows = [row for row in reader.rows if any(cell.strip() for cell in row)]
    blocks: list[Block] = []
    if rows:
        header = [bare(_BREAK.sub(" ", cell)).strip() for cell in rows[0]]
        body = [[cell_items(cell, line) for cell in row] for row in rows[1:]]
        blocks.append(Table(header, body, line, [line] * len(body)))
    text = tidy("".join(reader.text))
    if text:
        blocks.append(Paragraph(text, line))
    return blocks
