"""A section's blocks as plan bullets and texts: lists, lead-in paragraphs with their lists, table rows, sub-sections."""

from __future__ import annotations

import re
from typing import Any

from planforge.importing.draft import bullet
from planforge.importing.notes import Block, Item, ItemList, Label, Labelled, Paragraph, Table, bare
from planforge.importing.outline import Section


def row_text(header: list[str], row: list[list[Item]]) -> str:
    """Return a table row as one line: its cells joined with ' — ', a bare number in front named by its column."""
    cells = [" • ".join(t for item in cell for t in item.flat()) for cell in row]
    parts = []
    for index, text in enumerate(cells):
        if not text:
            continue
        name = header[index] if index < len(header) else ""
        if index == 0 and re.fullmatch(r"\d+(?:\s*[-–]\s*\d+)?", bare(text)) and name:
            text = f"{name} {text}"
        parts.append(text)
    return " — ".join(parts)


def block_bullets(blocks: list[Block]) -> list[Any]:
    """Return blocks as bullets: list items (sub-items kept), a paragraph leading into the list after it, rows."""
    bullets: list[Any] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(block, (Paragraph, Labelled)) and isinstance(following, ItemList) and _leads_in(block):
            items = [text for item in following.items for text in item.flat()]
            bullets.append({"text": block.text, "items": items})
            index += 2
            continue
        bullets.extend(block_bullets_one(block))
        index += 1
    return bullets


def _leads_in(block: Paragraph | Labelled) -> bool:
    """Tell whether a paragraph introduces the list after it: it ends with a colon or opens with bold words."""
    return block.text.rstrip("* ").endswith(":") or isinstance(block, Labelled) or bool(
        isinstance(block, Paragraph) and block.lead)


def block_bullets_one(block: Block) -> list[Any]:
    if isinstance(block, ItemList):
        return [bullet(item) for item in block.items]
    if isinstance(block, (Paragraph, Labelled)):
        return [block.text]
    if isinstance(block, Table):
        return [text for row in block.rows if (text := row_text(block.header, row))]
    if isinstance(block, Label):
        return [f"**{block.text}**"]
    return []


def flat_texts(section: Section) -> list[str]:
    """Return every text under a section (not its own title), one per paragraph, item or row, in order."""
    texts: list[str] = []
    for value in block_bullets(section.blocks):
        texts.extend(_bullet_texts(value))
    for child in section.children:
        texts.append(child.title)
        texts.extend(flat_texts(child))
    return texts


def _bullet_texts(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [value["text"], *value["items"]]


def section_bullets(section: Section) -> list[Any]:
    """Return a section's content as bullets; each sub-section becomes one bullet, its title over its texts."""
    bullets = block_bullets(section.blocks)
    for child in section.children:
        texts = flat_texts(child)
        bullets.append({"text": f"**{child.title}**", "items": texts} if texts else child.title)
    return bullets


def prose(blocks: list[Block]) -> list[str]:
    """Return the paragraphs among blocks."""
    return [b.text for b in blocks if isinstance(b, (Paragraph, Labelled))]
