"""Inline markup in plan text: `**bold**`, `*italic*` and `[links](https://…)`, parsed once for every renderer."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\*\*\*|\*\*|\*")
# A Markdown link to a web or mail address; any other target (javascript:, file:, a bare word) stays literal text.
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(((?:https?://|mailto:)[^\s()<>]+)\)")


@dataclass(frozen=True)
class Run:
    """A stretch of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    """The web or mail address the text links to."""


def runs(text: str) -> list[Run]:
    """Split text with `**bold**`, `*italic*`, `***both***` and `[label](https://…)` into styled runs.

    A marker without its partner is kept as a literal asterisk, and so is one that does not touch the text it would
    style (as in Markdown, an opening marker is followed by a non-space, a closing one preceded by one), so
    "5 * 3" and "5 * 3 * 2" stay as written. A link shows its label; only http(s) and mailto addresses link.
    """
    shown, links = _take_links(text)
    markers = list(_TOKEN.finditer(shown))
    closing = _pair_markers(shown, markers)
    result: list[Run] = []
    bold = italic = False
    position = 0
    for index, match in enumerate(markers):
        if index not in closing:
            continue
        _append_linked(result, shown, position, match.start(), bold, italic, links)
        token = match.group()
        if token in ("**", "***"):
            bold = not bold
        if token in ("*", "***"):
            italic = not italic
        position = match.end()
    _append_linked(result, shown, position, len(shown), bold, italic, links)
    return result


def _take_links(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The text with each link written as its label, and where each label stands with its address."""
    if "](" not in text:
        return text, []
    pieces: list[str] = []
    links: list[tuple[int, int, str]] = []
    position = length = 0
    for match in _LINK.finditer(text):
        before, label = text[position:match.start()], match.group(1)
        pieces += [before, label]
        length += len(before)
        links.append((length, length + len(label), match.group(2)))
        length += len(label)
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces), links


def _append_linked(result: list[Run], shown: str, start: int, end: int, bold: bool, italic: bool,
                   links: list[tuple[int, int, str]]) -> None:
    """Append shown[start:end] in one style, cut where a link's label begins or ends."""
    cuts = sorted({start, end, *(edge for first, last, _ in links for edge in (first, last) if start < edge < end)})
    for left, right in zip(cuts, cuts[1:]):
        link = next((address for first, last, address in links if first <= left and right <= last), None)
        _append(result, Run(shown[left:right], bold, italic, link))


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
    if not run.text:
        return
    if result and (result[-1].bold, result[-1].italic, result[-1].link) == (run.bold, run.italic, run.link):
        result[-1] = Run(result[-1].text + run.text, run.bold, run.italic, run.link)
    else:
        result.append(run)


def plain(text: str) -> str:
    """Return the text without inline markup."""
    return "".join(run.text for run in runs(text))
