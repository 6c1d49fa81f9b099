"""Markdown notes → a flat list of located blocks (headings, labels, paragraphs, lists, tables), read by markdown-it-py.

CommonMark with GFM tables does the reading; what the blocks carry is plan text: `**bold**` and `*italic*` kept,
links kept as plan links `[text](address)`, task boxes, quote markers, code ticks and HTML removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_FRONT_MATTER = re.compile(r"\A(?P<lead>(?:\s*<!--.*?-->)*\s*)---\n(?P<body>.*?)\n(?:---|\.\.\.)\n", re.S)
_BREAK = re.compile(r"<br\s*/?>", re.I)
_CELL_BULLET = re.compile(r"^(?:[-*+](?=\s)|•)\s*")
_CELL_NUMBER = re.compile(r"^\d+[.)]\s+")
_SEPARATOR = re.compile(r"^[\-—–_*=\s]{3,}$")
_TASK_BOX = re.compile(r"^\[[ xX]\]\s+")
# Apple Notes exports write bullets as "\t•\t" and leave stray bold markers after a bold line.
_DOT_BULLET = re.compile(r"^(?P<indent>[ \t]*)•[ \t]+", re.M)
MAX_INDENT = 64
"""Deeper indentation is read as this deep, so lists nested past the parser's limit keep their text."""
_DEEP = re.compile(rf"^ {{{MAX_INDENT + 1},}}(?=\S)", re.M)
_LABEL_WORDS = 12
"""A bold line of more words than this is a bold sentence, not a section label."""
MAX_QUOTES = 20
_DEEP_QUOTE = re.compile(rf"^[ \t]*(?:>[ \t]*){{{MAX_QUOTES + 1},}}", re.M)
_LONE_BOLD = re.compile(r"^[ \t]*\*\*[ \t]*$", re.M)
_EXTRA_BOLD = re.compile(r"^(?P<line>[ \t]*\*\*[^*\n]+?\*\*)\*\*+[ \t]*$", re.M)
MAX_BRACKET_SCAN = 10_000_000
"""How many characters markdown-it may scan for link labels in one note (under a second; real notes scan < 1,000)."""
_INLINE_RUN = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")
_BRACKET = re.compile(r"\\.|[\[\]]", re.S)


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
    """A paragraph of prose (its lines joined)."""

    text: str
    line: int
    lead: str | None = None
    """The bold words the paragraph opens with, when it opens with some (`**Socialise!** I've made …`)."""
    quote: bool = False
    """Whether the paragraph is quoted (`> …`): someone else's words the note cites."""


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
    """A thematic break (`---`) separating parts of the note."""

    line: int


Block = Heading | Label | Labelled | Paragraph | ItemList | Table | Separator


@dataclass
class Notes:
    """A parsed note: its front matter and its blocks in order."""

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


def _parser():
    from markdown_it import MarkdownIt

    # markdown-it stops reading blocks nested past maxNesting and drops their text; MAX_INDENT keeps notes within it.
    return MarkdownIt("commonmark", {"html": True, "maxNesting": 200}).enable(["table", "strikethrough"])


def parse(text: str, source: Path | str = "notes") -> Notes:
    """Split note text into front matter and located blocks (line numbers are the note's own).

    Notes whose brackets markdown-it could not read in reasonable time are refused (a PlanforgeError at `source`).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        front = _front_matter(match["body"])
        text = "\n" * match.group().count("\n") + text[match.end():]
    text = _EXTRA_BOLD.sub(r"\g<line>", _LONE_BOLD.sub("", _DOT_BULLET.sub(_dash_bullet, text)))
    text = _DEEP.sub(lambda m: " " * MAX_INDENT, text.expandtabs(4) if "\t" in text else text)
    text = _DEEP_QUOTE.sub("> " * MAX_QUOTES, text)
    _refuse_tangled_brackets(text, source)
    tokens = _parser().parse(text)
    blocks: list[Block] = []
    _blocks(tokens, 0, len(tokens), blocks)
    return Notes(front, blocks)


def _refuse_tangled_brackets(text: str, source: Path | str) -> None:
    """Refuse text whose `[` would make markdown-it's link scanning quadratic (a 200 KB run of `[` took 22 s).

    markdown-it reads each `[` as a possible link label and scans to its `]`, or, when it has none, to the end of
    the paragraph, again for every `[`. Each bracket's scan is counted here, per run of lines without a blank line
    (no paragraph or cell reaches past one); `\\[` is not a bracket.
    """
    if text.count("[") * len(text) <= MAX_BRACKET_SCAN:
        return  # no run can cost more: the common case, decided without a scan
    total, worst = 0, (0, 0, 0)
    for run in _INLINE_RUN.finditer(text):
        chunk = run.group()
        if "[" not in chunk:
            continue
        opened: list[int] = []
        cost = 0
        for bracket in _BRACKET.finditer(chunk):
            if bracket.group() == "[":
                opened.append(bracket.start())
            elif bracket.group() == "]" and opened:
                cost += bracket.start() - opened.pop()
        cost += sum(len(chunk) - start for start in opened)
        total += cost
        if cost > worst[0]:
            worst = (cost, run.start() + (opened[0] if opened else chunk.index("[")), chunk.count("["))
    if total <= MAX_BRACKET_SCAN:
        return
    from planforge.errors import PlanforgeError, Problem

    _, offset, count = worst
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    raise PlanforgeError([Problem(
        source, line, column,
        f"{count:,} “[” in one paragraph are more than a Markdown reader can match in reasonable time "
        "(it scans from each “[” to its “]”, or to the paragraph's end when there is none)",
        "close each “[” with “]”, write a bracket that opens no link as “\\[”, or put blank lines between paragraphs",
    )])


def _dash_bullet(match: re.Match) -> str:
    """Return a `•` bullet as a `-` item; its first tab is the exporter's, not nesting (which would make it code)."""
    depth = max(0, len(match["indent"].expandtabs(4)) // 4 - 1)
    return "  " * depth + "- "


def _front_matter(body: str) -> dict[str, str]:
    """Read the `key: value` lines of YAML front matter (nested values are ignored)."""
    front: dict[str, str] = {}
    for line in body.splitlines():
        if line[:1].isspace():
            continue
        key, _, value = line.partition(":")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if key.strip() and value:
            front[key.strip()] = value
    return front


def _closing(tokens: list, start: int) -> int:
    """Return the index of the token that closes the one opened at `start`."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _blocks(tokens: list, start: int, end: int, out: list[Block]) -> None:
    index = start
    while index < end:
        token = tokens[index]
        line = (token.map[0] + 1) if token.map else 1
        kind = token.type
        if kind == "heading_open":
            text = tidy(inline_text(tokens[index + 1].children or []))
            if text:
                out.append(Heading(text, int(token.tag[1]), line))
            index = _closing(tokens, index) + 1
        elif kind == "paragraph_open":
            out.extend(_paragraph(tokens[index + 1].children or [], line))
            index = _closing(tokens, index) + 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            close = _closing(tokens, index)
            items = _items(tokens, index, close)
            if items:
                out.append(ItemList(items, line))
            index = close + 1
        elif kind == "table_open":
            close = _closing(tokens, index)
            out.append(_table(tokens, index, close, line))
            index = close + 1
        elif kind == "blockquote_open":
            close = _closing(tokens, index)
            quoted: list[Block] = []
            _blocks(tokens, index + 1, close, quoted)  # a quote's text is the note's text; its `>` markers are not
            for block in quoted:
                if isinstance(block, Paragraph):
                    block.quote = True
            out.extend(quoted)
            index = close + 1
        elif kind == "hr":
            out.append(Separator(line))
            index += 1
        elif kind == "html_block":
            from planforge.importing.notes_html import html_blocks

            out.extend(html_blocks(token.content, line))
            index += 1
        elif kind in ("fence", "code_block"):
            out.extend(Paragraph(tidy(part), line + offset)
                       for offset, part in enumerate(token.content.split("\n")) if part.strip())
            index += 1
        else:
            index += 1


def inline_text(children: list, breaks: str = " ") -> str:
    """Return inline tokens as plan text: bold and italic as `**`/`*`, web and mail links as `[text](address)`."""
    parts: list[str] = []
    links: list[str | None] = []
    for child in children:
        kind = child.type
        if kind == "text":
            parts.append(child.content)
        elif kind in ("strong_open", "strong_close"):
            parts.append("**")
        elif kind in ("em_open", "em_close"):
            parts.append("*")
        elif kind == "code_inline":
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif kind == "link_open":
            links.append(child.attrs.get("href"))
            parts.append("\x00")
        elif kind == "link_close":
            href = links.pop() if links else None
            _close_link(parts, href)
        elif kind == "image":
            parts.append(child.content or "")
        elif kind == "html_inline":
            parts.append(breaks if _BREAK.fullmatch(child.content.strip()) else "")
    return "".join(parts).replace("\x00", "")


def _close_link(parts: list[str], href: str | None) -> None:
    """Write a link as plan text does, `[text](address)`, when it goes to a web or mail address the text does not
    already show; else as its text (a bare address links by itself)."""
    start = max(i for i, part in enumerate(parts) if part == "\x00")
    label = "".join(parts[start + 1:]).strip().replace("[", "(").replace("]", ")")
    del parts[start:]
    if href and re.match(r"(?i)(https?://|mailto:)[^\s()<>]+$", href) and bare(label).rstrip("/") != href.rstrip("/"):
        parts.append(f"[{label}]({href})" if label else href)
    else:
        parts.append(label or href or "")


def _paragraph(children: list, line: int) -> list[Block]:
    """Return a paragraph as blocks: each line opening with bold words starts a new one (labels, `**Key:** value`)."""
    groups: list[tuple[int, list]] = [(line, [])]
    offset = 0
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            offset += 1
            groups.append((line + offset, []))
            continue
        groups[-1][1].append(child)
    merged: list[tuple[int, list]] = []
    for number, group in groups:
        if merged and not _opens_bold(group) and not isinstance(_line_block(merged[-1][1], 0), Label):
            merged[-1][1].extend([_space(), *group])
        else:
            merged.append((number, group))
    return [block for number, group in merged if (block := _line_block(group, number)) is not None]


class _space:
    type = "text"
    content = " "


def _opens_bold(group: list) -> bool:
    first = next((c for c in group if not (c.type == "text" and not c.content.strip())), None)
    return first is not None and first.type == "strong_open"


def _line_block(group: list, line: int) -> Block | None:
    text = tidy(inline_text(group))
    if not text:
        return None
    if _SEPARATOR.match(text):
        return Separator(line)  # "——-" and the like: a separator typed with dashes CommonMark does not take
    significant = [c for c in group if not (c.type == "text" and not c.content.strip())]
    if significant and significant[0].type == "strong_open":
        close = next(i for i, c in enumerate(significant) if c.type == "strong_close") if any(
            c.type == "strong_close" for c in significant) else len(significant) - 1
        label = tidy(inline_text(significant[1:close]))
        rest = tidy(inline_text(significant[close + 1:]))
        if not rest.strip(" :*"):
            words = bare(label).strip()
            if not words:
                return None
            if len(words.split()) > _LABEL_WORDS or re.search(r"[.!?]$", words):
                return Paragraph(text, line)  # a bold sentence ("**We make paying effortless.**") is prose, not a label
            return Label(words.rstrip(":").strip(), line)
        if label.endswith(":") or rest.startswith(":"):
            return Labelled(bare(label).rstrip(":").strip(), rest.lstrip(":").strip(), line)
        return Paragraph(text, line, lead=bare(label))
    return Paragraph(text, line)


def _items(tokens: list, start: int, end: int) -> list[Item]:
    """Return the items of the list between `start` and `end`, with nested lists as children."""
    numbered = tokens[start].type == "ordered_list_open"
    items: list[Item] = []
    index = start + 1
    while index < end:
        token = tokens[index]
        if token.type != "list_item_open":
            index += 1
            continue
        close = _closing(tokens, index)
        line = token.map[0] + 1 if token.map else 1
        texts: list[str] = []
        children: list[Item] = []
        inner = index + 1
        while inner < close:
            child = tokens[inner]
            if child.type == "inline":
                texts.append(inline_text(child.children or []))
            elif child.type in ("bullet_list_open", "ordered_list_open"):
                child_close = _closing(tokens, inner)
                children.extend(_items(tokens, inner, child_close))
                inner = child_close
            elif child.type == "table_open":
                child_close = _closing(tokens, inner)
                table = _table(tokens, inner, child_close, line)
                children.extend(Item(" — ".join(t for cell in row for item in cell for t in item.flat()), line)
                                for row in table.rows)
                inner = child_close
            elif child.type in ("fence", "code_block", "html_block"):
                texts.extend(part for part in child.content.split("\n") if part.strip())
            inner += 1
        text = _TASK_BOX.sub("", tidy(" ".join(texts)))
        if text:
            items.append(Item(text, line, children, numbered))
        elif children:
            items.extend(children)
        index = close + 1
    return items


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
        text = _TASK_BOX.sub("", _CELL_NUMBER.sub("", _CELL_BULLET.sub("", text)))
        if text:
            items.append(Item(tidy(text), line, numbered=numbered))
    return items


def _table(tokens: list, start: int, end: int, line: int) -> Table:
    header: list[str] = []
    rows: list[list[list[Item]]] = []
    row_lines: list[int] = []
    in_head = False
    for index in range(start, end):
        token = tokens[index]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open" and not in_head:
            rows.append([])
            row_lines.append(token.map[0] + 1 if token.map else line)
        elif token.type == "inline":
            cell = inline_text(token.children or [], breaks="<br/>")
            if in_head:
                header.append(bare(_BREAK.sub(" ", cell)).rstrip(":"))
            elif rows:
                rows[-1].append(cell_items(cell, row_lines[-1]))
    return Table(header, rows, line, row_lines)
