"""Inline markup in plan text: `**bold**` and `*italic*`, parsed once for every renderer."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\*\*\*|\*\*|\*")


@dataclass(frozen=True)
class Run:
    """A stretch of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False


def runs(text: str) -> list[Run]:
    """Split text with `**bold**`, `*italic*` and `***both***` into styled runs.

    A marker without its partner is kept as a literal asterisk, and so is one that does not touch the text it would
    style (as in Markdown, an opening marker is followed by a non-space, a closing one preceded by one), so
    "5 * 3" and "5 * 3 * 2" stay as written.
    """
    markers = list(_TOKEN.finditer(text))
    closing = _pair_markers(text, markers)
    result: list[Run] = []
    bold = italic = False
    position = 0
    for index, match in enumerate(markers):
        if index not in closing:
            continue
        if match.start() > position:
            _append(result, Run(text[position:match.start()], bold, italic))
        token = match.group()
        if token in ("**", "***"):
            bold = not bold
        if token in ("*", "***"):
            italic = not italic
        position = match.end()
    if position < len(text):
        _append(result, Run(text[position:], bold, italic))
    return result


def _pair_markers(text: str, markers: list[re.Match]) -> set[int]:
    """Return the indexes of markers that open or close a style; the others are literal text."""
    used: set[int] = set()
    open_stack: list[int] = []
    for index, match in enumerate(markers):
        token = match.group()
        touches_before = match.start() > 0 and not text[match.start() - 1].isspace()
        touches_after = match.end() < len(text) and not text[match.end()].isspace()
        partner = None
        if touches_before:
            partner = next((i for i in reversed(open_stack) if markers[i].group() == token), None)
        if partner is not None:
            # Close the partner and anything opened after it that never closed stays literal.
            while open_stack and open_stack[-1] != partner:
                open_stack.pop()
            open_stack.pop()
            used.update((partner, index))
        elif touches_after:
            open_stack.append(index)
    return used


def _append(result: list[Run], run: Run) -> None:
    if result and (result[-1].bold, result[-1].italic) == (run.bold, run.italic):
        result[-1] = Run(result[-1].text + run.text, run.bold, run.italic)
    else:
        result.append(run)


def plain(text: str) -> str:
    """Return the text without inline markup."""
    return "".join(run.text for run in runs(text))
