"""What a rule sees of one plan: the model, its YAML tree, and exact positions of values and of text inside them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.events import ScalarEvent

from planforge.loading import LoadedPlan

# Keys whose text no output shows, or that hold no prose.
_UNSHOWN_KEYS = {"kind", "lint", "notes"}


@dataclass(frozen=True)
class Hit:
    """One place a rule fires, before the engine adds the rule's code, severity and hint."""

    line: int | None
    column: int | None
    message: str
    value_line: int | None = None
    """For a hit inside a multi-line value, the line the value starts on; a noqa comment there counts too."""
    hint: str | None = None
    """A hint for this place (e.g. naming the key to add); None: the rule's own."""


@dataclass(frozen=True)
class _Span:
    """Where a scalar is written in the file: character offsets and YAML style."""

    start: int
    end: int
    style: str | None


class LintContext:
    """A loaded plan plus helpers to locate values and text within them."""

    def __init__(self, plan: LoadedPlan):
        self.plan = plan
        self.document = plan.document
        self.tree = plan.tree
        self.lines = plan.text.splitlines()
        self._line_starts = _line_starts(plan.text)
        self._spans = _scalar_spans(plan.text)
        self.deck_template = None
        """The company .pptx the deck is drawn in for the rules that check the deck as built (None: planforge's)."""

    def hit(self, loc: tuple, message: str) -> Hit:
        """Return a hit at the value `loc` points to (or the nearest enclosing value in the file)."""
        line, column = self.plan.position(loc)
        return Hit(line, column, message)

    def key_hit(self, loc: tuple, message: str) -> Hit:
        """Return a hit at the key of `loc` (for values the file writes as empty)."""
        parent = self.node(loc[:-1])
        if isinstance(parent, CommentedMap) and loc[-1] in parent:
            line, column = parent.lc.key(loc[-1])
            return Hit(line + 1, column + 1, message)
        return self.hit(loc, message)

    def node(self, loc: tuple) -> Any:
        """Return the YAML node at `loc`, or None when the file does not write it."""
        node: Any = self.tree
        for segment in loc:
            if isinstance(node, CommentedMap) and segment in node:
                node = node[segment]
            elif isinstance(node, CommentedSeq) and isinstance(segment, int) and 0 <= segment < len(node):
                node = node[segment]
            else:
                return None
        return node

    def written(self, loc: tuple) -> bool:
        """Tell whether the file writes a value at `loc` (as opposed to a model default)."""
        return self.node(loc) is not None or self._has_key(loc)

    def _has_key(self, loc: tuple) -> bool:
        parent = self.node(loc[:-1]) if loc else None
        return isinstance(parent, CommentedMap) and loc[-1] in parent

    def texts(self) -> Iterator[tuple[tuple, str]]:
        """Yield (loc, text) for every text value the file writes that some output shows."""
        yield from _texts(self.tree, ())

    def matches(self, loc: tuple, pattern: re.Pattern[str], message: str) -> list[Hit]:
        """Return a hit for each match of `pattern` in the text at `loc`; `message` may name the match as {token}."""
        value_line, _ = self.plan.position(loc)
        return [Hit(line, column, message.format(token=token), value_line)
                for line, column, token in self.occurrences(loc, pattern)]

    def occurrences(self, loc: tuple, pattern: re.Pattern[str]) -> list[tuple[int | None, int | None, str]]:
        """Return (line, column, match) for each match of `pattern` in the text at `loc`, located in the file.

        Matches are found in the parsed value, then in the scalar as written (plain, quoted or block), and
        paired in order; a match that quoting escapes hide in the file points at the scalar's start.
        """
        value = self.node(loc)
        found = [m.group() for m in pattern.finditer(str(value))]
        line, column = self.plan.position(loc)
        if not found or line is None or column is None:
            return [(line, column, token) for token in found]
        span = self._spans.get((line, column))
        if span is not None:
            start = span.start
            if span.style in ("|", ">"):
                # The header line of a block scalar holds indicators and maybe a comment, not text.
                newline = self.plan.text.find("\n", start, span.end)
                start = span.end if newline < 0 else newline + 1
            raw = list(pattern.finditer(self.plan.text, start, span.end))
            located = []
            for token in found:
                # Pair in order; a token an escape hides in the file points at the scalar's start.
                index = next((i for i, m in enumerate(raw) if m.group() == token), None)
                if index is None:
                    located.append((line, column, token))
                else:
                    located.append((*self._position(raw[index].start()), token))
                    raw = raw[index + 1:]
            return located
        return [(line, column, token) for token in found]

    def _position(self, offset: int) -> tuple[int, int]:
        import bisect

        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _scalar_spans(text: str) -> dict[tuple[int, int], _Span]:
    """Map the 1-based (line, column) where each scalar starts to its extent in the text."""
    from planforge.loading import yaml_events

    spans: dict[tuple[int, int], _Span] = {}
    for event in yaml_events(text):
        if isinstance(event, ScalarEvent):
            mark = event.start_mark
            spans[(mark.line + 1, mark.column + 1)] = _Span(mark.index, event.end_mark.index, event.style)
    return spans


def _texts(node: Any, loc: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if loc == () and key in _UNSHOWN_KEYS:
                continue
            yield from _texts(value, (*loc, key))
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            yield from _texts(value, (*loc, index))
    elif isinstance(node, str):
        yield loc, str(node)


def models(obj: Any, loc: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Yield (loc, model) for the document and every model nested in it, in file order."""
    if isinstance(obj, BaseModel):
        yield loc, obj
        for name in type(obj).model_fields:
            yield from models(getattr(obj, name), (*loc, name))
    elif isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from models(item, (*loc, index))
