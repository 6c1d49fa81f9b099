"""A plan being assembled from notes: its fields, the text it could not place, and warnings pointing at the notes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planforge.errors import Problem
from planforge.importing.notes import Block, Heading, Item, ItemList, Label, Labelled, Paragraph, Separator, Table, bare, unwrap

FILL_IN = "TBD"
"""What the importer writes where the plan format needs text the notes do not give (lint reports it)."""

ACTION_TITLE = re.compile(r"^action title\b", re.I)
_DASHES = r"(?:–|—|-|to|through)"
DAY_RANGE = re.compile(rf"\bDays?\s+(\d+)\s*{_DASHES}\s*(\d+)\b", re.I)
MONTH = re.compile(r"\bMonth\s+(\d+)\b", re.I)
FIRST_DAYS = re.compile(r"\bFirst\s+(\d+)\s+Days\b", re.I)
WEEK_RANGE = re.compile(rf"\bWeeks?\s+(\d+)(?:\s*{_DASHES}\s*(\d+))?", re.I)
SLIDE = re.compile(r"^Slide\s+(\d+)\s*[:.–—-]\s*(.*)$", re.I)
_QUOTED = re.compile(r"[“\"](.+?)[”\"]")


@dataclass
class Draft:
    """The fields of a plan being imported, what could not be placed, and warnings located in the notes."""

    source: Path
    notes: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    comments: dict[tuple, str] = field(default_factory=dict)
    """End-of-line comments for the YAML, by the path of the key they explain."""
    filled: int = 0
    """How many fields were written as `TBD`."""
    groups: list[int] = field(default_factory=list)
    """Where each heading's group of `notes` starts, so a long list can be merged heading by heading."""

    def warn(self, line: int | None, message: str, hint: str = "") -> None:
        """Record a warning about a line of the notes."""
        self.warnings.append(Problem(self.source, line, None, message, hint))

    def unplaced(self, block: Block | Item, why: str) -> None:
        """Keep a block's text under `notes:` and warn that it could not be placed."""
        texts = block_texts(block)
        if not texts:
            return
        self.notes.extend(texts)
        self.warn(block.line, f"{why}; kept under `notes:`", "move the text to where it belongs in the plan")

    def unplaced_section(self, section: Any, why: str) -> None:
        """Keep a section under `notes:` as its heading (in bold) followed by its texts, and warn once."""
        from planforge.importing.gather import flat_texts

        self.groups.append(len(self.notes))
        self.notes.append(f"**{' › '.join(section.path()) or section.title}**")
        self.notes.extend(flat_texts(section))
        self.warn(section.line, f"{why}; kept under `notes:`", "move the text to where it belongs in the plan")

    def fill_in(self, path: tuple, line: int | None, what: str) -> str:
        """Return the fill-in text for a required field the notes lack, with a comment and a warning."""
        self.filled += 1
        if path:
            self.comments[path] = f"planforge import: the notes give no {what}; write it here"
        self.warn(line, f"the notes give no {what}; wrote `{FILL_IN}` for you to fill in", "replace TBD; `planforge lint` lists each")
        return FILL_IN


def block_texts(block: Block | Item) -> list[str]:
    """Return a block's text as note entries: one per paragraph, bullet or table row."""
    if isinstance(block, (Paragraph, Heading, Label, Labelled)):
        return [block.text]
    if isinstance(block, Item):
        return [" • ".join(block.flat())]
    if isinstance(block, ItemList):
        return [" • ".join(item.flat()) for item in block.items]
    if isinstance(block, Table):
        rows = []
        for row in block.rows:
            cells = []
            for header, cell in zip(block.header + [""] * len(row), row):
                text = " • ".join(t for item in cell for t in item.flat())
                if text:
                    cells.append(f"{header}: {text}" if header else text)
            if cells:
                rows.append(" | ".join(cells))
        return rows
    if isinstance(block, Separator):
        return []
    raise TypeError(block)


def bullet(item: Item) -> Any:
    """Return a list item as a plan bullet: its text, with sub-bullets (deeper levels flattened into them)."""
    if not item.children:
        return item.text
    return {"text": item.text, "items": [text for child in item.children for text in child.flat()]}


def is_label(item: Item) -> bool:
    """Tell whether a list item is a section label (all bold, e.g. `**Key Actions:**`) rather than content."""
    text = item.text.strip()
    all_bold = re.fullmatch(r"\*\*[^*]+\*\*:?", text) is not None
    return all_bold and (bool(item.children) or text.rstrip("*").endswith(":") or text.endswith(":"))


def label_text(item: Item) -> str:
    """Return a label item's words without markup or trailing colon."""
    return bare(item.text).rstrip(":").strip()


# The plan format's limits on day and week numbers; a range outside them is not read as one.
MAX_DAY = 1000
MAX_WEEK = 200


def _in_order(first: int, last: int, limit: int) -> tuple[int, int] | None:
    first, last = min(first, last), max(first, last)
    return (first, last) if 1 <= first and last <= limit else None


def day_range(text: str) -> tuple[int, int] | None:
    """Return the (first, last) day a timeframe such as 'Days 31–60', 'Month 2' or 'First 30 days' names."""
    text = bare(text)
    if match := DAY_RANGE.search(text):
        return _in_order(int(match[1]), int(match[2]), MAX_DAY)
    if match := MONTH.search(text):
        month = int(match[1])
        return _in_order((month - 1) * 30 + 1, month * 30, MAX_DAY)
    if match := FIRST_DAYS.search(text):
        return _in_order(1, int(match[1]), MAX_DAY)
    return None


def week_range(text: str) -> tuple[int, int] | None:
    """Return the (first, last) week a text such as 'Weeks 1–2' or 'Week 3' names."""
    match = WEEK_RANGE.search(bare(text))
    if not match:
        return None
    first = int(match[1])
    return _in_order(first, int(match[2] or first), MAX_WEEK)


def name_after(text: str, pattern: re.Pattern[str]) -> str:
    """Return the name that follows a range in a heading: 'Week 1–2: Establish Foundations' → 'Establish Foundations'."""
    text = bare(text)
    quoted = _QUOTED.search(text)
    if quoted:
        return quoted[1].strip()
    match = pattern.search(text)
    rest = text[match.end():] if match else text
    return rest.strip(" :–—-.\"“”").strip()


def action_title(block: Labelled) -> str:
    """Return the title of an `**Action Title …:** **…**` line, without the bold around it."""
    return unwrap(block.rest)


def classify(words: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """Return the first key of `table` whose keywords occur in `words` (case-insensitive), or None."""
    lowered = bare(words).lower()
    for key, keywords in table.items():
        if any(keyword in lowered for keyword in keywords):
            return key
    return None


def join_sentences(parts: list[str]) -> str:
    """Join paragraphs or bullets into one text, adding '; ' only between parts that lack an ending."""
    text = ""
    for part in parts:
        if not text:
            text = part
        elif re.search(r"[.!?:;…”\"]\**$", text):
            text += " " + part
        else:
            text += "; " + part
    return text
