"""Text → round-trip YAML tree: libyaml when it reads like the reference reader, aliases, tags and merge keys refused."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
)
from ruamel.yaml.reader import Reader, ReaderError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.util import create_timestamp, timestamp_regexp

try:  # ruamel.yaml.clib: libyaml's reader, several times as fast as ruamel's pure-Python one
    from _ruamel_yaml import CParser
except ImportError:  # not installed (or no wheel for this platform): every file takes the reference reader
    CParser = None

from planforge.errors import PlanError, Problem
from planforge.loading import traps
from planforge.loading.folds import FoldingScanner, may_hold_cjk_fold
from planforge.loading.syntax import syntax_problem, text_position
from planforge.loading.limits import (
    KIND_LINE,
    MAX_ALIAS_USES,
    MAX_DEPTH,
    MAX_PROBLEMS,
    START_HINT,
    describe_value,
)

# Tags that only restate what plain YAML already means; anything else (e.g. !!python/object) is refused.
_CORE_TAG = "tag:yaml.org,2002:"
_SAFE_TAGS = {_CORE_TAG + name for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")} | {"!"}



def round_trip_yaml() -> YAML:
    """Return the round-trip YAML reader plans are read with (positions kept, duplicate keys refused)."""
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    return yaml


def parse_yaml(path: Path, text: str) -> CommentedMap:
    """Parse YAML text into a round-trip tree; refuse aliases, tags, merge keys, deep nesting, non-mappings."""
    tree = _fast_tree(path, text)
    return tree if tree is not None else _reference_tree(path, text)


def yaml_events(text: str) -> list:
    """The YAML events of a well-formed text, read by libyaml where it reads like the reference reader.

    A plain scalar's style is None from either reader. Raises YAMLError for text that is not well-formed YAML.
    """
    if _libyaml_reads_alike(text):
        try:
            parser, events = CParser(text), []
            while parser.check_event():
                event = parser.get_event()
                if isinstance(event, ScalarEvent) and not event.style:
                    event.style = None
                events.append(event)
            return events
        except Exception:  # refused by libyaml: the reference reader says why
            pass
    return list(round_trip_yaml().parse(text))


def _fast_tree(path: Path, text: str) -> CommentedMap | None:
    """The tree of a plain, well-formed plan read with libyaml; None for anything else (or without libyaml).

    Only files that pass every check come back from here, as the same tree the reference reader makes (values,
    types and positions; tests/test_loading.py compares them). A file with anything to report goes to the reference
    reader, which says what is wrong in its own words: the two never disagree about a message.
    """
    if not _libyaml_reads_alike(text):
        return None
    checks = _EventChecks(path, text)
    try:
        parser = CParser(text)
        while parser.check_event():
            event = parser.get_event()
            # libyaml does not mark folds: text where a fold may join CJK lines takes the reference reader.
            if not checks.see(event) or checks.problems or may_hold_cjk_fold(event):
                return None
        tree = _LibyamlRoundTripLoader(text).get_single_data()
    except Exception:  # refused by libyaml: the reference reader reports it
        return None
    return tree if isinstance(tree, CommentedMap) else None


def _libyaml_reads_alike(text: str) -> bool:
    """Whether libyaml is installed and reads `text` as the reference reader does (when both accept it)."""
    return (CParser is not None and not Reader.NON_PRINTABLE.search(text)
            and not _READ_ALIKE_ONLY_BY_REFERENCE.search(text))


# Where libyaml (YAML 1.1) and ruamel (YAML 1.2) read text differently, the file takes the reference reader: a
# `%YAML` or `%TAG` directive changes how values are read, and NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR and a
# byte order mark are line breaks or spaces to one and text to the other.
_READ_ALIKE_ONLY_BY_REFERENCE = re.compile("^%|[\x85\u2028\u2029\ufeff]", re.MULTILINE)


if CParser is not None:
    class _LibyamlRoundTripLoader(CParser, RoundTripConstructor, VersionedResolver):
        """libyaml composes the nodes (with their positions); ruamel's round-trip constructor builds the tree."""

        comment_handling = None  # comments are not read: nothing downstream of loading uses them

        def __init__(self, text: str):
            CParser.__init__(self, text)
            self._parser = self._composer = self
            RoundTripConstructor.__init__(self, loader=self)
            VersionedResolver.__init__(self, None, loader=self)


def _reference_tree(path: Path, text: str) -> CommentedMap:
    """Parse with ruamel's pure-Python round-trip reader, checking every event; raise PlanError for each problem."""
    # One pass: every event is checked as the composer takes it, before the composer acts on it. At the first thing
    # refused (an anchor or alias, a tag, nesting too deep...) the rest is only read for more problems and composing
    # stops, so nothing refused is ever composed, let alone turned into Python objects.
    checks = _EventChecks(path, text)
    tree = None
    try:
        tree = _checked_yaml(checks).load(text)
    except _Refused:
        pass
    except (YAMLError, ValueError) as exc:
        checks.read_error(text, exc)
    if checks.problems:
        raise PlanError(checks.problems)
    if not isinstance(tree, CommentedMap):
        if tree is None:
            raise PlanError([Problem(path, 1, 1, "file holds no plan", START_HINT)])
        held = "a list" if isinstance(tree, list) else f"a single value ({describe_value(tree)})"
        raise PlanError([Problem(
            path, *_first_content(text), f"a plan must be a mapping of `key: value` lines, but the file holds {held}",
            f"start the file with {KIND_LINE}, then the plan's other keys (`title: …`, …)",
        )])
    return tree


def _first_content(text: str) -> tuple[int, int]:
    """Return the 1-based (line, column) where the file's first YAML content starts."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "---", "%")):
            return number, len(line) - len(line.lstrip()) + 1
    return 1, 1


@dataclass
class _Collection:
    """A mapping or list open in the event stream; for mappings, the keys seen so far."""

    is_mapping: bool
    expecting_key: bool = True
    keys: dict[str, int] = field(default_factory=dict)


class _Refused(Exception):
    """Raised from the event stream once a file shows what the plan format refuses, to stop composing it."""


def _checked_yaml(checks: _EventChecks) -> YAML:
    """A round-trip loader whose parser hands every event to `checks` before the composer sees it."""
    yaml = round_trip_yaml()
    yaml.Scanner = FoldingScanner

    class CheckedParser(yaml.Parser):
        def get_event(self) -> Any:
            event = super().get_event()
            if checks.see(event) and checks.problems:
                # Refused: read the rest only to report everything wrong in one run.
                while self.check_event() and checks.see(super().get_event()):
                    pass
            if checks.problems:
                raise _Refused
            return event

    yaml.Parser = CheckedParser
    return yaml


class _EventChecks:
    """What the plan format refuses, checked one YAML event at a time (cheap: nothing expanded, nothing recursed)."""

    def __init__(self, path: Path, text: str = ""):
        self.path = path
        self.lines = text.splitlines()
        self.trapped: set[int] = set()
        """Lines reported as a YAML trap: the syntax error the trap then causes on them says nothing more."""
        self.problems: list[Problem] = []
        self.stack: list[_Collection] = []
        self.documents = 0
        self.aliases_seen: set[str] = set()
        self.alias_uses = 0

    def report(self, mark: Any, message: str, hint: str) -> None:
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, message, hint))

    def see(self, event: Any) -> bool:
        """Check one event; return False when reading should stop here."""
        stack, mark = self.stack, event.start_mark
        if isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents == 2:
                self.report(mark, "file holds a second YAML document", "keep one plan per file; remove the `---` line")
        if isinstance(event, NodeEvent):
            is_key = bool(stack) and stack[-1].is_mapping and stack[-1].expecting_key
            if stack and stack[-1].is_mapping:
                stack[-1].expecting_key = not stack[-1].expecting_key
            _check_node(event, is_key, stack, self.aliases_seen, self.report, self.lines, self.trapped)
            self.alias_uses += isinstance(event, AliasEvent)
            if self.alias_uses > MAX_ALIAS_USES:
                # An alias bomb is mostly aliases: reading the rest of it would only take time.
                self.report(mark, f"stopped reading here: the file uses YAML aliases more than {MAX_ALIAS_USES:,} "
                            "times", "plans do not use anchors and aliases; write each value out in full")
                return False
        if isinstance(event, CollectionStartEvent):
            stack.append(_Collection(is_mapping=isinstance(event, MappingStartEvent)))
            if len(stack) > MAX_DEPTH:
                self.report(mark, f"nesting is deeper than {MAX_DEPTH} levels",
                            "flatten the structure; a plan nests only a few levels")
                return False
        elif isinstance(event, CollectionEndEvent):
            stack.pop()
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(Problem(self.path, None, None, f"stopped after {MAX_PROBLEMS} problems",
                                         "fix these and run again to see the rest"))
            return False
        return True

    def read_error(self, text: str, exc: YAMLError | ValueError) -> None:
        """Add the problem YAML's reader, scanner, parser or composer raised."""
        if isinstance(exc, MarkedYAMLError):
            mark = exc.problem_mark or exc.context_mark
            if mark is not None and mark.line in self.trapped:
                return
            self.problems.append(syntax_problem(self.path, text, exc))
        elif isinstance(exc, ReaderError):
            line, column = text_position(text, exc.position)
            code = exc.character if isinstance(exc.character, int) else ord(exc.character)
            self.problems.append(Problem(
                self.path, line, column, f"invisible control character U+{code:04X} is not allowed in YAML",
                "delete it (it often comes from pasting out of another program)",
            ))
        else:
            self.problems.append(Problem(self.path, None, None, f"cannot read the YAML: {exc}",
                                         "check the YAML syntax of the file"))


def _check_node(event: Any, is_key: bool, stack: list[_Collection], aliases_seen: set[str], report: Any,
                lines: list[str], trapped: set[int]) -> None:
    """Report an alias, anchor, tag, merge key, duplicate key or impossible date at one node of the stream (text
    that only YAML reads as an alias, anchor, tag or comment is reported as the trap it is)."""
    mark = event.start_mark

    def trap(found: tuple[str, str] | None) -> bool:
        if found:
            report(mark, *found)
            trapped.add(mark.line)
        return bool(found)

    if isinstance(event, AliasEvent) and trap(traps.star_text(lines, mark, event.anchor)):
        return
    if isinstance(event, ScalarEvent) and not event.style and (
            found := traps.comment_in_text(lines, event.end_mark)) is not None:
        column, message, hint = found
        report(_Mark(event.end_mark.line, column), message, hint)
    if isinstance(event, AliasEvent):
        # One report per alias name: an alias bomb repeats a few names thousands of times.
        if event.anchor not in aliases_seen:
            aliases_seen.add(event.anchor)
            report(mark, f"YAML alias `*{event.anchor}` is not allowed",
                   f"write the value out in full here and wherever else `*{event.anchor}` is used")
        return
    if event.anchor is not None:
        as_text = traps.anchor_text(lines, mark, event.anchor)
        report(mark, f"YAML anchor `&{event.anchor}` is not allowed",
               f"delete `&{event.anchor}`; plans do not use anchors and aliases"
               + (f" (if `&` begins the text, put the text in quotes: {as_text})" if as_text else ""))
    tag = _tag_text(event.tag)
    if tag is not None and tag not in _SAFE_TAGS:
        shown = "!!" + tag.removeprefix(_CORE_TAG) if tag.startswith(_CORE_TAG) else tag
        as_text = traps.tag_text(lines, mark, tag)
        report(mark, f"YAML tag `{shown}` is not allowed",
               "delete the tag; a plan holds only plain text, numbers, dates, lists and mappings"
               + (f" (if `!` begins the text, put the text in quotes: {as_text})" if as_text else ""))
    if not isinstance(event, ScalarEvent):
        return
    # Only double-quoted text has escapes; the reader has already refused such characters written raw (and ruamel
    # marks the folds of `>` text with U+0007 inside the value, which must not count).
    if event.style == '"' and (bad := _UNPRINTABLE.search(event.value)) is not None:
        report(mark, *_unprintable_problem(bad.group()))
    if (override := _BIDI_OVERRIDE.search(event.value)) is not None:
        report(mark, f"text holds the bidirectional override U+{ord(override.group()):04X}, which makes text show in "
               "another order than it is written", "delete it; right-to-left text shows correctly without it")
    if is_key:
        if event.value == "<<" and not event.style:  # plain: None, or "" from libyaml
            report(mark, "YAML merge key `<<` is not allowed", "write the merged keys out in full in this mapping")
        elif event.value in stack[-1].keys:
            report(mark, f"duplicate key `{event.value}` (first at line {stack[-1].keys[event.value]})",
                   "a key may appear once in a mapping; merge the two entries or rename one")
        else:
            stack[-1].keys[event.value] = mark.line + 1
    if not event.style and (match := timestamp_regexp.match(event.value)):
        try:
            create_timestamp(**match.groupdict())
        except ValueError as exc:
            report(mark, f"`{event.value}` is not a real date ({exc})",
                   "write a real date as YYYY-MM-DD, or put the value in quotes to keep it as text")


# What YAML refuses when written raw (ruamel's Reader.NON_PRINTABLE) is refused when written as an escape too:
# XML (decks) cannot hold it, and no reader of a document or slide can see it.
_UNPRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


_BIDI_OVERRIDE = re.compile("[\u202a-\u202e]")
"""Embeddings and overrides (LRE, RLE, PDF, LRO, RLO): they make every output, and a terminal, show text in another
order than it is written (as in "Trojan Source" attacks). Arabic or Hebrew text never needs them."""


def _unprintable_problem(char: str) -> tuple[str, str]:
    """Return (message, hint) for a character a plan cannot hold, which only an escape such as `\\0` can write."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return (f"text holds half of a surrogate pair (`\\u{code:04X}`), which is not a character",
                "write the character itself, or one escape of its code point such as `\\U0001F600`, "
                "not `\\u` escapes of its two halves")
    return (f"text holds the invisible control character U+{code:04X}, written as an escape",
            "delete the escape; a plan holds printable text only (decks and web pages cannot show it)")


@dataclass(frozen=True)
class _Mark:
    """A place in the text, as YAML's marks give it (0-based)."""

    line: int
    column: int


def _tag_text(tag: Any) -> str | None:
    if tag is None:
        return None
    return tag if isinstance(tag, str) else str(getattr(tag, "value", tag))
