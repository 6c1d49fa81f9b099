"""Line folds in CJK text: YAML joins the lines of folded text with a space, which Chinese and Japanese do not use."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ruamel.yaml.events import ScalarEvent
from ruamel.yaml.scanner import RoundTripScanner

_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff\uffa0-\uffdc]")


def joins_unspaced(before: str, after: str) -> bool:
    """Whether a line break between these two characters folds to nothing rather than a space.

    CSS Text 3's rule for segment breaks: both characters East Asian Wide, Fullwidth or Halfwidth (Han, kana,
    full-width punctuation), neither Hangul (Korean separates words with spaces)."""
    return all(unicodedata.east_asian_width(char) in "WFH" and not _HANGUL.match(char) for char in (before, after))


_SPACE_BETWEEN = re.compile(r"(?<=(.)) (?=(.))", re.DOTALL)
_FOLD_BETWEEN = re.compile("(?<=(.))\a (?=(.))", re.DOTALL)
"""ruamel marks each fold of `>` text with U+0007 before the space it inserts."""


def may_hold_cjk_fold(event: Any) -> bool:
    """Whether a scalar event (from a reader that does not mark folds) may hold a space a fold put between CJK text."""
    return (isinstance(event, ScalarEvent) and event.style != "|" and event.start_mark.line != event.end_mark.line
            and any(joins_unspaced(*match.groups()) for match in _SPACE_BETWEEN.finditer(event.value)))


class FoldingScanner(RoundTripScanner):
    """ruamel's round-trip scanner, folding a line break between CJK characters to nothing, not to a space.

    Only the space a fold inserts goes: spaces typed inside a line, and folds next to Latin text, stay."""

    def scan_plain_spaces(self, indent: Any, start_mark: Any) -> Any:
        before, line = self._before(), self.reader.line
        return self._unspaced(super().scan_plain_spaces(indent, start_mark), before, line)

    def scan_flow_scalar_spaces(self, double: Any, start_mark: Any) -> Any:
        before, line = self._before(), self.reader.line
        return self._unspaced(super().scan_flow_scalar_spaces(double, start_mark), before, line)

    def scan_block_scalar(self, style: Any, rt: bool | None = True) -> Any:
        token = super().scan_block_scalar(style, rt)
        if style == ">" and "\a" in token.value:
            token.value = _FOLD_BETWEEN.sub(
                lambda match: "\a" if joins_unspaced(*match.groups()) else match.group(), token.value)
        return token

    def _before(self) -> str:
        """The character just before the reader's position (the last one of a line about to be folded)."""
        reader = self.reader
        return reader.buffer[reader.pointer - 1] if reader.pointer else ""

    def _unspaced(self, chunks: Any, before: str, line: int) -> Any:
        # A fold is the one space that stands for line breaks the reader has just passed.
        if chunks == [" "] and self.reader.line != line and before and joins_unspaced(before, self.reader.peek()):
            return [""]  # not empty: an empty list ends plain text
        return chunks
