"""Markdown notes as exported from a notes app → a flat list of located blocks (labels, paragraphs, lists, tables)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FRONT_MATTER = re.compile(r"\A---\n(?P<body>.*?)\n---\n", re.S)
_SEPARATOR = re.compile(r"^[\-—–_*=\s]{3,}$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*$")
_LABEL = re.compile(r"^\*\*(?P<text>[^*]+?)\*\*+$")
_LABELLED = re.compile(r"^\*\*(?P<label>[^*]+?)(?::\*\*|\*\*:)\s*(?P<rest>\S.*)$")
_ITEM = re.compile(r"^(?P<indent>[\t ]*)(?P<marker>[-*+•]|\d+[.)])[\t ]+(?P<text>\S.*)$")
_BREAK = re.compile(r"<br\s*/?>", re.I)
_CELL_BULLET = re.compile(r"^(?:[-*+](?=\s)|•)\s*")
_CELL_NUMBER = re.compile(r"^\d+[.)]\s+")
_TABLE_RULE = re.compile(r"^\|?[\s:|-]+\|[\s:|-]*$")


@dataclass
class Item:
    """A bullet (of a list or a table cell) with its sub-bullets; text keeps inline markup."""

    text: str
    line: int
    children: list[Item] = field(default_factory=list)
    numbered: bool = False

    def flat(self) -> list[str]:
        """Return the bullet's text and all its sub-bullets', in order."""
        return [self.text, *(text for child in self.children for text in child.flat())]


@dataclass
class Heading:
    """A `#` heading."""

    text: str
    level: int
    line: int


@dataclass
class Label:
    """A line that is all bold, used as a section heading (e.g. `**Week 1–2: Establish Foundations**`)."""

    text: str
    line: int


@dataclass
class Labelled:
    """A line opening with a bold label: `**Action Title (McKinsey Style):** **Deliver …**`."""

    label: str
    rest: str
    line: int

    @property
    def text(self) -> str:
        """The line as plan text, its label kept bold: `**Label:** rest`."""
        return f"**{self.label}:** {self.rest}"


@dataclass
class Paragraph:
    """One line of prose."""

    text: str
    line: int


@dataclass
class ItemList:
    """A bulleted or numbered list; nesting follows the indentation."""

    items: list[Item]
    line: int


@dataclass
class Table:
    """A GFM table: header texts, then rows of cells, each cell a list of bullets split at `<br/>`."""

    header: list[str]
    rows: list[list[list[Item]]]
    line: int
    row_lines: list[int]


@dataclass
class Separator:
    """A line of dashes separating parts of the note."""

    line: int


Block = Heading | Label | Labelled | Paragraph | ItemList | Table | Separator


@dataclass
class Notes:
    """A parsed note: its export front matter and its blocks in order."""

    front_matter: dict[str, str]
    blocks: list[Block]


def tidy(text: str) -> str:
    """Return text with whitespace collapsed and stray closing bold markers (export debris) removed."""
    text = " ".join(text.replace("\u00a0", " ").split())
    if text.count("**") % 2 and text.endswith("**"):
        text = text[:-2].rstrip()
    while text.endswith("****"):
        text = text[:-4].rstrip()
    return text


def bare(text: str) -> str:
    """Return text without markup characters (`*`, `_` italics), for labels and matching."""
    text = re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"\1", text.replace("*", ""))
    return " ".join(text.split())


def unwrap(text: str) -> str:
    """Return text without bold or italic markers wrapping all of it ('**Deliver x**' → 'Deliver x')."""
    match = re.fullmatch(r"(\*{1,3})([^*]+)\1", text.strip())
    return match[2].strip() if match else text.strip()


def parse(text: str) -> Notes:
    """Split note text into front matter and located blocks."""
    front: dict[str, str] = {}
    match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    text = text.replace("\r\n", "\n")
    if match:
        for line in match["body"].splitlines():
            key, _, value = line.partition(":")
            if key.strip() and value.strip():
                front[key.strip()] = value.strip()
        text = "\n" * match.group().count("\n") + text[match.end():]
    lines = text.split("\n")
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        raw = lines[index]
        number = index + 1
        stripped = raw.strip()
        if not stripped or stripped == "**":
            index += 1  # a lone `**` is what the exporter leaves after a bold heading's line break
            continue
        if stripped.startswith("|"):
            end = index
            while end < len(lines) and lines[end].strip().startswith("|"):
                end += 1
            blocks.append(_table(lines[index:end], number))
            index = end
            continue
        if _ITEM.match(raw) and not _LABEL.match(stripped):
            items, index = _list(lines, index)
            blocks.append(ItemList(items, number))
            continue
        blocks.append(_line_block(stripped, number))
        index += 1
    return Notes(front, blocks)


def _line_block(stripped: str, number: int) -> Block:
    if _SEPARATOR.match(stripped) and not stripped.startswith("**"):
        return Separator(number)
    heading = _HEADING.match(stripped)
    if heading:
        return Heading(tidy(heading["text"]), len(heading["hashes"]), number)
    label = _LABEL.match(stripped)
    if label:
        return Label(bare(label["text"]).rstrip(":").strip(), number)
    labelled = _LABELLED.match(stripped)
    if labelled:
        return Labelled(bare(labelled["label"]).strip(), tidy(labelled["rest"]), number)
    return Paragraph(tidy(stripped), number)


def _indent(text: str) -> int:
    width = 0
    for char in text:
        width += 4 if char == "\t" else 1
    return width


def _list(lines: list[str], index: int) -> tuple[list[Item], int]:
    """Read list items from `index` (blank lines between items allowed); return them and the next index."""
    roots: list[Item] = []
    stack: list[tuple[int, Item]] = []
    while index < len(lines):
        raw = lines[index]
        if not raw.strip():
            following = next((ln for ln in lines[index + 1:] if ln.strip()), "")
            if not _ITEM.match(following) or _LABEL.match(following.strip()):
                break
            index += 1
            continue
        match = _ITEM.match(raw)
        if not match or _LABEL.match(raw.strip()):
            break
        item = Item(tidy(match["text"]), index + 1, numbered=match["marker"][0].isdigit())
        width = _indent(match["indent"])
        while stack and stack[-1][0] >= width:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(item)
        stack.append((width, item))
        index += 1
    return roots, index


def _cells(row: str) -> list[str]:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [cell.replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", row)]


def cell_items(cell: str, line: int) -> list[Item]:
    """Split a table cell at `<br/>` into bullets; '•' parts become sub-bullets of the bullet before them."""
    items: list[Item] = []
    for part in _BREAK.split(cell):
        text = part.strip()
        if not text:
            continue
        if text.startswith("•") and items:
            items[-1].children.append(Item(tidy(_CELL_BULLET.sub("", text)), line))
            continue
        numbered = bool(_CELL_NUMBER.match(text))
        text = _CELL_NUMBER.sub("", _CELL_BULLET.sub("", text))
        if text:
            items.append(Item(tidy(text), line, numbered=numbered))
    return items


def _table(rows: list[str], number: int) -> Table:
    header = [bare(_BREAK.sub(" ", cell)).rstrip(":") for cell in _cells(rows[0])]
    body: list[list[list[Item]]] = []
    row_lines: list[int] = []
    for offset, row in enumerate(rows[1:], start=1):
        if _TABLE_RULE.match(row.strip()):
            continue
        body.append([cell_items(cell, number + offset) for cell in _cells(row)])
        row_lines.append(number + offset)
    return Table(header, body, number, row_lines)
