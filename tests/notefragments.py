"""The text fragments of a Markdown note, and whether a rendered text contains them — written apart from the importer.

A *fragment* is one piece of what the author wrote, read with a CommonMark/GFM parser:
- each list item's own text (its sub-items are fragments of their own; a task box `[ ]` is no text),
- each cell of a table's body (header cells name columns; they are structure, not text), split at `<br>`,
- each sentence of a paragraph, of a quote or of a heading-less line of prose.
Headings and paragraphs that are all bold (`**Key Goals:**`) are labels: structure the plan keeps as its own fields,
so they are not fragments. Front matter, HTML comments and code are not fragments either.

Fragments and rendered text are compared *normalised*: inline markup and web addresses dropped (an address is
where a link points, not words of the note; `test_links_keep_their_addresses` checks them), case folded, every run
of non-letters and non-digits made one space. A fragment is found when its normalised words occur, in order and
together, in the normalised rendered text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

_FRONT_MATTER = re.compile(r"\A(?:\s*<!--.*?-->)*\s*---\n.*?\n(?:---|\.\.\.)\n", re.S)
_URL = re.compile(r"\(?\s*https?://[^\s)]+\)?")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"(])")
_TASK = re.compile(r"^\s*\[[ xX]\]\s*")
_BR = re.compile(r"<br\s*/?>", re.I)


@dataclass(frozen=True)
class Fragment:
    """A piece of a note's text and the line it starts on."""

    text: str
    line: int
    kind: str
    """'item', 'cell' or 'sentence'."""


def normalise(text: str) -> str:
    """Return text as comparable words: no markup or web addresses, accents and case folded, punctuation as spaces."""
    text = _URL.sub(" ", text)
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _lines(token) -> list[tuple[str, bool]]:
    """Return an inline token's lines as (visible text, all bold), a leading `**Label:**` left out as structure."""
    lines: list[list] = [[]]
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            lines.append([])
        else:
            lines[-1].append(child)
    result = []
    for children in lines:
        parts: list[str] = []
        bold_depth = 0
        outside_bold = False
        for index, child in enumerate(children):
            if child.type == "strong_open":
                bold_depth += 1
            elif child.type == "strong_close":
                bold_depth -= 1
                label = "".join(parts).strip()
                after = children[index + 1].content if index + 1 < len(children) and children[index + 1].type == "text" else ""
                if bold_depth == 0 and not outside_bold and (label.endswith(":") or after.startswith(":")):
                    parts = [] if after.strip(" :") or index + 1 < len(children) - 1 else parts
                    if not parts and after.startswith(":"):
                        children[index + 1].content = after[1:]
            elif child.type in ("text", "code_inline"):
                if child.content.strip(" :*") and bold_depth == 0:
                    outside_bold = True
                parts.append(child.content)
            elif child.type == "html_inline" and _BR.fullmatch(child.content.strip()):
                parts.append("\n")
        result.append(("".join(parts), not outside_bold))
    return result


def fragments(path: Path) -> list[Fragment]:
    """Return the note's fragments in order."""
    source = path.read_text(encoding="utf-8")
    match = _FRONT_MATTER.match(source)
    if match:
        source = "\n" * match.group().count("\n") + source[match.end():]
    # Notes apps write bullets as "•" (not CommonMark); read them as the list items they are.
    source = re.sub(r"^[ \t]*•[ \t]+", "- ", source, flags=re.M)
    tokens = _parser().parse(source)
    found: list[Fragment] = []
    context: list[str] = []
    in_head = False
    for token in tokens:
        if token.type.endswith("_open") and token.nesting == 1:
            context.append(token.type)
            in_head = in_head or token.type == "thead_open"
        elif token.type.endswith("_close") and token.nesting == -1:
            if context:
                context.pop()
            if token.type == "thead_close":
                in_head = False
        if token.type != "inline":
            continue
        line = (token.map[0] + 1) if token.map else 0
        parent = context[-1] if context else ""
        if parent == "heading_open" or in_head:
            continue
        lines = _lines(token)
        if parent in ("td_open", "th_open"):
            for part in "\n".join(text for text, _ in lines).split("\n"):
                part = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", part)
                _add(found, _TASK.sub("", part), line, "cell")
            continue
        # An all-bold line is a label ("**Key Goals:**"), unless it is a sentence ("**We make paying effortless.**").
        prose = " ".join(text for text, all_bold in lines if not all_bold or _sentence(text))
        if "list_item_open" in context:
            _add(found, _TASK.sub("", prose), line, "item")
            continue
        for sentence in _SENTENCE.split(" ".join(prose.split())):
            _add(found, sentence, line, "sentence")
    return found


def _sentence(text: str) -> bool:
    words = text.strip(" *")
    return len(words.split()) > 12 or bool(re.search(r"[.!?]$", words))


def _add(found: list[Fragment], text: str, line: int, kind: str) -> None:
    text = " ".join(text.split())
    words = normalise(text)
    if words and not words.isdigit():
        found.append(Fragment(text, line, kind))


def share_found(items: list[Fragment], rendered: str) -> tuple[float, list[Fragment]]:
    """Return the share of fragments whose words occur in the rendered text, and the fragments that do not."""
    haystack = f" {normalise(rendered)} "
    missing = [f for f in items if f" {normalise(f.text)} " not in haystack]
    return (1 - len(missing) / len(items)) if items else 1.0, missing
