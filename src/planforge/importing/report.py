"""`planforge import --report`: how much of a note was placed, in which part of the plan, and what went to `notes:`."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from planforge.importing.notes import ItemList, Labelled, Notes, Paragraph, Table
from planforge.text import plain

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"(*])")


@dataclass(frozen=True)
class Placement:
    """Where a note's text went: fragments counted per part of the plan, and the notes' unplaced entries."""

    total: int
    parts: list[tuple[str, int]]
    """(part of the plan, fragments placed there), in the plan's order; 'notes:' last."""
    unplaced: list[str]
    lost: list[str]
    """Fragments found nowhere in the plan (a bug, or markup the comparison does not see through)."""

    @property
    def placed(self) -> int:
        """How many fragments went into the plan's own fields."""
        return sum(count for part, count in self.parts if part != "notes:")


def _words(text: str) -> str:
    text = re.sub(r"\(?https?://[^\s)]+\)?", " ", plain(text).replace("*", ""))
    text = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def fragments(notes: Notes) -> list[str]:
    """Return the note's text as fragments: each list item, table cell and sentence of prose."""
    found: list[str] = []
    for block in notes.blocks:
        if isinstance(block, ItemList):
            stack = list(reversed(block.items))
            while stack:
                item = stack.pop()
                if not re.fullmatch(r"\*\*[^*]+\*\*:?", item.text):  # an all-bold item is a label, not text
                    found.append(item.text)
                stack.extend(reversed(item.children))
        elif isinstance(block, Table):
            found += [text for row in block.rows for cell in row for item in cell for text in item.flat()
                      if not re.fullmatch(r"\*\*[^*]+\*\*:?", text)]
        elif isinstance(block, Labelled):
            found += _SENTENCE.split(block.rest)
        elif isinstance(block, Paragraph):
            # A plain label line counts like a bold one: "Privacy: …" is its rest, "Initiatives:" alone nothing.
            label, colon, rest = block.text.partition(":")
            if colon and 0 < len(label.split()) <= 3 and "**" not in label and "](" not in label \
                    and not rest.startswith("//"):
                found += _SENTENCE.split(rest.strip()) if rest.strip() else []
            else:
                found += _SENTENCE.split(block.text)
    return [text for text in found if _words(text) and not _words(text).isdigit()]


def _part_texts(data: dict) -> list[tuple[str, str]]:
    """Return (part name, its text) for each part of the plan: each phase, week block and area on its own."""
    parts: list[tuple[str, str]] = []
    for key, value in data.items():
        if key in ("kind", "notes"):
            continue
        if key == "phases":
            parts += [(f"phase “{plain(p['name'])}”", _flatten(p)) for p in value]
        elif key == "week_blocks":
            parts += [(_weeks(b["weeks"][0]["week"], b["weeks"][-1]["week"]), _flatten(b)) for b in value]
        elif key == "areas":
            parts += [(f"area “{plain(a['name'])}”", _flatten(a)) for a in value]
        else:
            parts.append((key.replace("_", " "), _flatten(value)))
    return parts


def _weeks(first: int, last: int) -> str:
    return f"week {first}" if first == last else f"weeks {first}–{last}"


def _flatten(value: Any) -> str:
    return f" {' '.join(_strings(value))} "


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for v in value.values() for text in _strings(v)]
    if isinstance(value, list):
        return [text for v in value for text in _strings(v)]
    words = _words(str(value))
    return [words] if words else []


def placement(notes: Notes, data: dict, unplaced: list[str]) -> Placement:
    """Count where each fragment of the note went in the imported plan."""
    parts = _part_texts(data)
    counts = {name: 0 for name, _ in parts}
    counts["notes:"] = 0
    kept = f" {' '.join(_words(t) for t in unplaced)} "
    lost: list[str] = []
    items = fragments(notes)
    for fragment in items:
        words = f" {_words(fragment)} "
        home = next((name for name, text in parts if words in text), None)
        if home is None and words in kept:
            home = "notes:"
        if home is None:
            # A fragment the plan split into fields ("**Name**: description" → name, description) is placed where
            # all its words are.
            bag = {w for w in words.split() if not w.isdigit()}
            home = next((name for name, text in parts if bag <= set(text.split())), None)
        if home is None:
            lost.append(fragment)
        else:
            counts[home] += 1
    return Placement(len(items), [(name, count) for name, count in counts.items() if count], unplaced, lost)


def report_lines(placement: Placement, kind: str) -> list[str]:
    """Return the report as lines of text."""
    share = placement.placed / placement.total if placement.total else 1.0
    lines = [f"{kind} plan: {placement.placed} of {placement.total} text fragments placed in the plan ({share:.0%})"]
    width = max((len(name) for name, _ in placement.parts), default=0)
    lines += [f"  {name:<{width}}  {count:>4}" for name, count in placement.parts]
    if placement.lost:
        lines.append(f"  {'not found':<{width}}  {len(placement.lost):>4}")
    if placement.unplaced:
        lines.append(f"kept under `notes:` ({len(placement.unplaced)} entries), in the notes' order:")
        lines += [f"  - {plain(text)[:110]}{'…' if len(plain(text)) > 110 else ''}" for text in placement.unplaced]
    return lines
