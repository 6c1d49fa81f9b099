"""Plan files → validated models: bytes checks, round-trip YAML, Pydantic, every problem located."""

from __future__ import annotations

import datetime
import difflib
import functools
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
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

MAX_BYTES = 1024 * 1024
"""Real plans are tens of kilobytes; a megabyte with a mistake in it takes seconds to report (the reference reader
is pure Python), and a plan that size is beyond any deck."""
MAX_DEPTH = 40
MAX_PROBLEMS = 50
MAX_ALIAS_USES = 1_000
KIND_LINE = "`kind: strategy` or `kind: 30-60-90`"
START_HINT = f"write a plan whose first line is {KIND_LINE}"

# Tags that only restate what plain YAML already means; anything else (e.g. !!python/object) is refused.
_CORE_TAG = "tag:yaml.org,2002:"
_SAFE_TAGS = {_CORE_TAG + name for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")} | {"!"}


@dataclass(frozen=True)
class LoadedPlan:
    """A validated plan with the YAML tree it came from, for locating things later."""

    path: Path
    document: Any
    tree: CommentedMap
    text: str

    def position(self, loc: Iterable[str | int]) -> tuple[int | None, int | None]:
        """Return the 1-based (line, column) of the value at `loc` in the plan file."""
        line, column, _ = locate(self.tree, tuple(loc))
        return line, column


def load_plan(path: Path | str) -> LoadedPlan:
    """Read, parse and validate one plan file; raise PlanError listing every problem."""
    path = Path(path)
    text = read_text(path)
    tree = parse_yaml(path, text)
    document = validate(path, tree)
    return LoadedPlan(path=path, document=document, tree=tree, text=text)


# ---------------------------------------------------------------------------------------------------------------
# Bytes → text


def read_text(path: Path) -> str:
    """Return the file's text, refusing what is missing, too big, binary, not UTF-8 or empty."""
    try:
        if not path.is_file():
            what = "is a folder, not a file" if path.is_dir() else "is not a regular file"
            if not path.exists():
                what = "no such file"
            raise PlanError([Problem(path, None, None, what, "give the path of a .yaml plan file")])
        # Checked before reading so a huge file costs nothing.
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise PlanError([Problem(
                path, None, None, f"file is {size:,} bytes; a plan may be at most {MAX_BYTES:,} bytes",
                "split the plan into several files; a plan this large would not fit in a deck anyway",
            )])
        data = path.read_bytes()
    except PermissionError:
        raise PlanError([Problem(path, None, None, "cannot read the file: permission denied",
                                 "make the file readable (e.g. `chmod u+r`)")]) from None
    except OSError as exc:
        raise PlanError([Problem(path, None, None, f"cannot read the file: {exc.strerror or exc}",
                                 "check the path and that the file is readable")]) from None
    if (encoding := _wide_encoding(data)) is not None:
        raise PlanError([Problem(path, 1, 1, f"file is {encoding} text, not UTF-8",
                                 "re-save the file with UTF-8 encoding (e.g. Notepad: Save As → Encoding: UTF-8)")])
    if b"\x00" in data:
        line, column = _byte_position(data, data.index(b"\x00"))
        raise PlanError([Problem(path, line, column, "file contains a NUL byte, so it is binary, not a YAML plan",
                                 "save the plan as plain UTF-8 text (or remove the NUL byte)")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        raise PlanError([Problem(
            path, line, column, f"file is not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
            "re-save the file with UTF-8 encoding (it was probably saved as Latin-1 or Windows-1252)",
        )]) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise PlanError([Problem(path, 1, 1, "file is empty", START_HINT)])
    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise PlanError([Problem(path, 1, 1, "file holds only comments, no plan", START_HINT)])
    return text


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
              (b"\xfe\xff", "UTF-16"))


def _wide_encoding(data: bytes) -> str | None:
    """Return "UTF-16" or "UTF-32" when the bytes are text in that encoding (by its byte order mark, or by a
    first character, plain ASCII in every plan, spread over several bytes with NUL bytes), else None."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    head = data[:4]
    if len(head) == 4 and (head[0] and not any(head[1:]) or head[3] and not any(head[:3])):
        return "UTF-32"
    if len(head) >= 2 and 0 < max(head[:2]) < 0x80 and not all(head[:2]):
        return "UTF-16"
    return None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """Return the 1-based (line, column) of a byte offset; the column counts bytes."""
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


# ---------------------------------------------------------------------------------------------------------------
# Text → YAML tree


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
    checks = _EventChecks(path)
    try:
        parser = CParser(text)
        while parser.check_event():
            if not checks.see(parser.get_event()) or checks.problems:
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
    checks = _EventChecks(path)
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
        held = "a list" if isinstance(tree, list) else f"a single value ({_describe_value(tree)})"
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

    def __init__(self, path: Path):
        self.path = path
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
            _check_node(event, is_key, stack, self.aliases_seen, self.report)
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
            self.problems.append(_syntax_problem(self.path, text, exc))
        elif isinstance(exc, ReaderError):
            line, column = _text_position(text, exc.position)
            code = exc.character if isinstance(exc.character, int) else ord(exc.character)
            self.problems.append(Problem(
                self.path, line, column, f"invisible control character U+{code:04X} is not allowed in YAML",
                "delete it (it often comes from pasting out of another program)",
            ))
        else:
            self.problems.append(Problem(self.path, None, None, f"cannot read the YAML: {exc}",
                                         "check the YAML syntax of the file"))


def _check_node(event: Any, is_key: bool, stack: list[_Collection], aliases_seen: set[str], report: Any) -> None:
    """Report an alias, anchor, tag, merge key, duplicate key or impossible date at one node of the stream."""
    mark = event.start_mark
    if isinstance(event, AliasEvent):
        # One report per alias name: an alias bomb repeats a few names thousands of times.
        if event.anchor not in aliases_seen:
            aliases_seen.add(event.anchor)
            report(mark, f"YAML alias `*{event.anchor}` is not allowed",
                   f"write the value out in full here and wherever else `*{event.anchor}` is used")
        return
    if event.anchor is not None:
        report(mark, f"YAML anchor `&{event.anchor}` is not allowed",
               f"delete `&{event.anchor}`; plans do not use anchors and aliases")
    tag = _tag_text(event.tag)
    if tag is not None and tag not in _SAFE_TAGS:
        shown = "!!" + tag.removeprefix(_CORE_TAG) if tag.startswith(_CORE_TAG) else tag
        report(mark, f"YAML tag `{shown}` is not allowed",
               "delete the tag; a plan holds only plain text, numbers, dates, lists and mappings")
    if not isinstance(event, ScalarEvent):
        return
    # Only double-quoted text has escapes; the reader has already refused such characters written raw (and ruamel
    # marks the folds of `>` text with U+0007 inside the value, which must not count).
    if event.style == '"' and (bad := _UNPRINTABLE.search(event.value)) is not None:
        report(mark, *_unprintable_problem(bad.group()))
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


def _unprintable_problem(char: str) -> tuple[str, str]:
    """Return (message, hint) for a character a plan cannot hold, which only an escape such as `\\0` can write."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return (f"text holds half of a surrogate pair (`\\u{code:04X}`), which is not a character",
                "write the character itself, or one escape of its code point such as `\\U0001F600`, "
                "not `\\u` escapes of its two halves")
    return (f"text holds the invisible control character U+{code:04X}, written as an escape",
            "delete the escape; a plan holds printable text only (decks and web pages cannot show it)")


def _tag_text(tag: Any) -> str | None:
    if tag is None:
        return None
    return tag if isinstance(tag, str) else str(getattr(tag, "value", tag))


def _text_position(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based (line, column) of a character offset in `text`."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


_SYNTAX_HINT = "check the YAML near this point: indentation, a missing `: `, an unclosed quote or bracket"
_TOKEN_WORDS = {"<stream end>": "the end of the file", "<block end>": "the end of the block",
                "<block mapping start>": "`key: value`", "<block sequence start>": "`- ` list",
                "<scalar>": "text", "-": "`- ` list item", "?": "`key: value`"}


def _syntax_problem(path: Path, text: str, exc: MarkedYAMLError) -> Problem:
    """Turn one of ruamel's syntax errors into a located problem in plain words, with a hint."""
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    context = (exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    opened = exc.context_mark
    lines = text.splitlines()

    def at(m: Any, message: str, hint: str) -> Problem:
        return Problem(path, m.line + 1 if m else None, m.column + 1 if m else None, message, hint)

    if "duplicate key" in problem:
        key = problem.split('"')[1] if problem.count('"') >= 2 else "?"
        return at(mark, f"duplicate key `{key}`", "a key may appear once in a mapping; merge the two entries or rename one")
    if problem.startswith("found character '\\t'"):
        return at(mark, "tab character used for indentation", "indent with spaces; YAML does not allow tabs there")
    if "that cannot start any token" in problem:
        char = problem.split("'")[1] if problem.count("'") >= 2 else "?"
        return at(mark, f"a value cannot start with `{char}`", f'put the value in quotes, e.g. "{char}…"')
    if context == "while scanning a quoted scalar" and opened is not None:
        quote = _char_at(lines, opened) or '"'
        return at(opened, "quoted text starting here is never closed", f"add the closing {quote} at the end of the text")
    if "unknown escape character" in problem:
        char = problem.split("'")[1] if problem.count("'") >= 2 else "?"
        return at(mark, f"`\\{char}` is not a valid escape in double-quoted text",
                  "write `\\\\` for a backslash, or use single quotes, which have no escapes")
    if context in ("while parsing a flow sequence", "while parsing a flow mapping") and opened is not None:
        close = "]" if "sequence" in context else "}"
        bracket = "[" if close == "]" else "{"
        if "<stream end>" in problem:
            return at(opened, f"`{bracket}` opened here is never closed", f"add the closing `{close}` after the last entry")
        return at(mark, f"expected `,` or `{close}` inside the `{bracket}` opened at line {opened.line + 1}",
                  f"separate entries with `, `, close with `{close}`, and quote entries that contain `: ` or `,`")
    if context == "while scanning a simple key" and opened is not None:
        return at(opened, "this line is neither `key: value` nor a `- ` list item",
                  "add `: ` after the key, or indent the line if it continues the text above")
    if problem == "mapping values are not allowed here" and mark is not None:
        line = lines[mark.line] if mark.line < len(lines) else ""
        if ": " in line[:mark.column]:
            return at(mark, "a second `: ` on this line starts a mapping inside a value",
                      "put the whole value in quotes, e.g. key: \"text: with a colon\"")
        indent = len(line) - len(line.lstrip())
        return Problem(path, mark.line + 1, indent + 1,
                       "this `key: value` line is indented more than the lines it belongs with",
                       "indent keys of the same mapping by the same number of spaces")
    if problem.startswith("expected <block end>, but found") and mark is not None:
        found = problem.removeprefix("expected <block end>, but found").strip().strip("'")
        before = lines[mark.line][:mark.column].rstrip() if mark.line < len(lines) else ""
        if found == "<scalar>" and before.endswith(('"', "'")):
            return at(mark, "text follows the closing quote of a value",
                      "put the whole value inside the quotes, or remove the quotes")
        return at(mark, f"unexpected {_TOKEN_WORDS.get(found, f'`{found}`')} here: its indentation does not match "
                        "the lines above", "indent entries of the same mapping or list by the same number of spaces")
    if problem.startswith("expected the node content, but found"):
        found = problem.rsplit(" ", 1)[-1].strip("'")
        return at(mark, f"a value cannot start with `{found}`", f'put the value in quotes, e.g. "{found}…"')
    for token, words in _TOKEN_WORDS.items():
        problem = problem.replace(f"'{token}'", words)
    return at(mark, problem, _SYNTAX_HINT)


def _char_at(lines: list[str], mark: Any) -> str | None:
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return None


# ---------------------------------------------------------------------------------------------------------------
# YAML tree → model


def validate(path: Path, tree: CommentedMap) -> Any:
    """Validate a YAML tree against the plan models; raise PlanError with every problem located."""
    from pydantic import ValidationError

    from planforge.model import KINDS

    if "kind" not in tree:
        raise PlanError([Problem(path, *_start(tree), "missing key `kind`, so the type of plan is unknown",
                                 f"add {KIND_LINE} as the first line")])
    kind = tree["kind"]
    if not isinstance(kind, str) or kind not in KINDS:
        line, column, _ = locate(tree, ("kind",))
        choices = " or ".join(f"`{k}`" for k in KINDS)
        message = f"unknown kind `{kind}`" if isinstance(kind, str) else f"kind is {_describe_value(kind)}"
        suggestion = _did_you_mean(kind, KINDS) if isinstance(kind, str) else ""
        raise PlanError([Problem(path, line, column, f"{message}; expected {choices}",
                                 suggestion or "write `kind: strategy` for a strategy vision or "
                                               "`kind: 30-60-90` for a 30-60-90 day plan")])
    model = KINDS[kind]
    try:
        return model.model_validate(to_plain(tree))
    except ValidationError as exc:
        raise PlanError(_problems_from_validation(path, tree, model, exc.errors())) from None


def to_plain(node: Any) -> Any:
    """Return a copy of a round-trip YAML tree made of plain dicts (with text keys), lists, scalars and dates."""
    if isinstance(node, dict):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, (datetime.date, datetime.datetime)):
        return node
    return str(node)


def _start(node: Any) -> tuple[int | None, int | None]:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return None, None
    return lc.line + 1, lc.col + 1


def _key_in(mapping: CommentedMap, segment: Any) -> Any:
    """Return the key of `mapping` that `segment` names (keys such as `2026:` arrive as text), or None."""
    if segment in mapping:
        return segment
    return next((k for k in mapping if str(k) == segment), None)


def locate(tree: Any, loc: tuple) -> tuple[int | None, int | None, tuple]:
    """Follow a `loc` of keys and list indexes through the YAML tree; return (line, column, loc actually found).

    The position is that of the deepest value found; an empty value (`key:` alone) is located at its key.
    Segments that match nothing (e.g. a missing key) are skipped.
    """
    node = tree
    line, column = _start(tree)
    found: list[str | int] = []
    for segment in loc:
        if isinstance(node, CommentedMap) and (key := _key_in(node, segment)) is not None:
            value_line, value_col = node.lc.key(key) if node[key] is None else node.lc.value(key)
            line, column = value_line + 1, value_col + 1
            node = node[key]
            found.append(segment)
        elif isinstance(node, CommentedSeq) and isinstance(segment, int) and 0 <= segment < len(node):
            item_line, item_col = node.lc.item(segment)
            line, column = item_line + 1, item_col + 1
            node = node[segment]
            found.append(segment)
    return line, column, tuple(found)


def _node_at(tree: Any, found: tuple) -> Any:
    node = tree
    for segment in found:
        node = node[_key_in(node, segment) if isinstance(node, CommentedMap) else segment]
    return node


def _key_position(tree: Any, loc: tuple) -> tuple[int | None, int | None]:
    """Return the position of the key `loc[-1]` itself in its mapping."""
    _, _, found = locate(tree, loc[:-1])
    parent = _node_at(tree, found)
    if isinstance(parent, CommentedMap) and (key := _key_in(parent, loc[-1])) is not None:
        line, column = parent.lc.key(key)
        return line + 1, column + 1
    line, column, _ = locate(tree, loc[:-1])
    return line, column


def _dotted(loc: tuple) -> str:
    text = ""
    for segment in loc:
        text += f"[{segment}]" if isinstance(segment, int) else (f".{segment}" if text else str(segment))
    return text or "the plan"


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (a true/false value)"
    if isinstance(value, (int, float)):
        return f"the number `{value}`"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"the date `{value}`"
    text = str(value)
    return f'the text "{text if len(text) <= 40 else text[:37] + "..."}"'


def _as_written(value: Any) -> str:
    """Return a scalar roughly as YAML shows it, for hints."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else ""


def _models_in(annotation: Any) -> list[type]:
    """Return the Pydantic model classes an annotation can hold (through Annotated, Optional, list, unions)."""
    from pydantic import BaseModel

    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _field_at(model: type, keys: tuple) -> tuple[list[type], Any]:
    """Return (models that may own the last key of `keys`, that key's FieldInfo or None), following annotations."""
    candidates, info = [model], None
    for segment in keys:
        if isinstance(segment, int):
            continue
        owner = next((c for c in candidates if segment in c.model_fields), None)
        if owner is None:
            return candidates, None
        info = owner.model_fields[segment]
        candidates = _models_in(info.annotation)
    return candidates, info


def _allowed_keys(model: type, keys: tuple) -> list[str]:
    """Return the keys allowed in the mapping at `keys`."""
    candidates = [model] if not keys else _field_at(model, keys)[0]
    allowed: list[str] = []
    for candidate in candidates:
        allowed.extend(f for f in candidate.model_fields if f not in allowed)
    return allowed


def _branch_index(model: type, loc: tuple, error_type: str) -> int | None:
    """Return the index in `loc` of the first union-branch tag (e.g. 'constrained-str', 'Bullet'), if any.

    Pydantic puts the name of each union member it tried into `loc`; a segment is such a tag when it is not a
    field of the models that can sit at that place (the last segment of an unknown-key error is the key).
    """
    # List indexes never matter here, and a plan with thousands of errors repeats a few shapes of `loc`.
    return _branch_index_in_shape(model, tuple(0 if isinstance(s, int) else s for s in loc), error_type)


@functools.lru_cache(maxsize=4096)
def _branch_index_in_shape(model: type, loc: tuple, error_type: str) -> int | None:
    candidates = [model]
    for index, segment in enumerate(loc):
        if isinstance(segment, int):
            continue
        if error_type == "extra_forbidden" and index == len(loc) - 1:
            return None
        owner = next((c for c in candidates if segment in c.model_fields), None)
        if owner is None:
            return index
        candidates = _models_in(owner.model_fields[segment].annotation)
    return None


_SHALLOW = ("string_type", "int_type", "float_type", "bool_type", "date_type", "list_type", "dict_type",
            "model_type", "model_attributes_type", "is_instance_of")
_BRANCH_WORDS = {"str": "text", "constrained-str": "text", "Bullet": "a mapping with `text` and `items`",
                 "date": "a date", "int": "a whole number"}


@dataclass(frozen=True)
class _Error:
    """One Pydantic error with its loc split into keys (what the file has or lacks) and the union branch tried."""

    keys: tuple
    place: tuple
    branch: str | None
    depth: int
    raw: dict


def _split(model: type, raw: dict) -> _Error:
    loc = tuple(raw["loc"])
    index = _branch_index(model, loc, raw["type"])
    if index is None:
        return _Error(loc, loc, None, 0, raw)
    # How far into the branch's own structure validation got; a plain type mismatch means "not this branch".
    after = len(loc) - index - 1
    depth = -1 if after == 0 and raw["type"] in _SHALLOW else after
    return _Error(_strip_branches(model, loc, raw["type"]), loc[:index], loc[index], depth, raw)


def _strip_branches(model: type, loc: tuple, error_type: str) -> tuple:
    """Return `loc` without its union-branch tags."""
    while (index := _branch_index(model, loc, error_type)) is not None:
        loc = loc[:index] + loc[index + 1:]
    return loc


def _problems_from_validation(path: Path, tree: CommentedMap, model: type, raw_errors: list[dict]) -> list[Problem]:
    """Turn Pydantic errors into one located problem per place in the file, in file order."""
    errors = _drop_union_noise([_split(model, raw) for raw in raw_errors])
    by_place: dict[tuple, list[_Error]] = {}
    for error in errors:
        by_place.setdefault(error.keys, []).append(error)
    # Wording a problem costs far more than locating it: word only the first ones in the file.
    places = sorted(by_place, key=lambda keys: tuple(n or 0 for n in locate(tree, keys)[:2]))
    problems = [_problem_for(path, tree, model, keys, by_place[keys]) for keys in places[:MAX_PROBLEMS]]
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    if len(places) > MAX_PROBLEMS:
        problems.append(Problem(path, None, None, f"stopped after {MAX_PROBLEMS} problems",
                                "fix these and run again to see the rest"))
    return problems


def _drop_union_noise(errors: list[_Error]) -> list[_Error]:
    """Keep only the union branches that got furthest at each place, and drop a `missing` key that an
    unknown key in the same mapping is evidently a misspelling of."""
    best: dict[tuple, int] = {}
    for error in errors:
        if error.branch is not None:
            best[error.place] = max(best.get(error.place, -1), error.depth)
    kept = [e for e in errors if e.branch is None or e.depth == best[e.place]]
    missing: dict[tuple, list[str]] = {}
    for error in kept:
        if error.raw["type"] == "missing":
            missing.setdefault(error.keys[:-1], []).append(str(error.keys[-1]))
    misspelt = set()
    for error in kept:
        if error.raw["type"] == "extra_forbidden":
            parent = error.keys[:-1]
            for match in difflib.get_close_matches(str(error.keys[-1]), missing.get(parent, []), n=1, cutoff=0.6):
                misspelt.add(parent + (match,))
    return [e for e in kept if not (e.raw["type"] == "missing" and e.keys in misspelt)]


def _first_sentence(text: str) -> str:
    """Return a description's first sentence, starting lower case, to go inside a hint."""
    first = re.split(r"(?<=\.)\s+(?=[A-Z])", text.strip())[0].rstrip(".")
    return first[:1].lower() + first[1:] if first[1:2].islower() else first


def _problem_for(path: Path, tree: CommentedMap, model: type, keys: tuple, group: list[_Error]) -> Problem:
    """Word the problem at one place from the errors Pydantic reported there."""
    error = group[0].raw
    kind = error["type"]
    where = _dotted(keys)
    line, column, found = locate(tree, keys)
    value = error.get("input")
    _, info = _field_at(model, keys)
    name = next((s for s in reversed(keys) if isinstance(s, str)), "value")
    optional = info is not None and not info.is_required()
    remove = ", or remove the entry" if isinstance(keys[-1] if keys else None, int) else (
        ", or remove the key" if optional else "")

    if kind == "missing":
        line, column = _start(_node_at(tree, found))
        about = f" ({_first_sentence(info.description)})" if info is not None and info.description else ""
        return Problem(path, line, column, f"missing required key `{name}` in {_dotted(keys[:-1])}",
                       f"add `{name}: …`{about}")
    if kind == "extra_forbidden":
        line, column = _key_position(tree, keys)
        allowed = _allowed_keys(model, keys[:-1])
        return Problem(path, line, column, f"unknown key `{name}` in {_dotted(keys[:-1])}",
                       _did_you_mean(name, allowed) or f"allowed keys here: {', '.join(allowed)}")
    if value is None and kind in _SHALLOW:
        after = "the `- `" if isinstance(keys[-1], int) else f"`{name}:`"
        hint = {"list_type": f"list the entries under `{name}:`, each on its own line starting with `- `",
                "model_type": f"write its `key: value` lines under `{name}:`, indented"}.get(
            kind, f"write {_expected_word(kind) or 'a value'} after {after}")
        return Problem(path, line, column, f"{where} is empty", hint + remove)
    expected = []
    for e in group:
        word = _BRANCH_WORDS.get(e.branch or "", _expected_word(e.raw["type"]))
        if word and word not in expected:
            expected.append(word)
    if len(group) > 1 and len(expected) > 1:
        if isinstance(value, (bool, int, float, datetime.date)) and "text" in expected:
            hint = _quote_hint(keys, value)
        elif any(e.branch == "Bullet" for e in group):
            hint = "write the bullet as text, or as a mapping with `text:` and a list of `items:`"
        else:
            hint = "check the value's type against the plan schema"
        return Problem(path, line, column, f"{where}: expected {' or '.join(expected)}, got {_describe_value(value)}",
                       hint)
    if kind == "string_type":
        if isinstance(value, dict) and "items" in keys:
            return Problem(path, line, column, f"{where}: a sub-bullet cannot have its own sub-bullets",
                           "bullets nest one level only; write this sub-bullet as text or move its items up a level")
        if isinstance(value, list):
            hint = "join the entries into one text; use `|` on the key's line for several lines or paragraphs"
        elif isinstance(value, dict):
            hint = "write the text right after the colon; put it in quotes if it contains `: `"
        else:
            hint = _quote_hint(keys, value)
        return Problem(path, line, column, f"{where}: expected text, got {_describe_value(value)}", hint)
    if kind == "string_too_short":
        return Problem(path, line, column, f"{where} is empty", f"write some text{remove}")
    if kind == "string_too_long":
        limit = error["ctx"]["max_length"]
        return Problem(path, line, column, f"{where} is {len(value):,} characters long; at most {limit:,} are allowed",
                       "shorten it, or split it into several bullets")
    if kind == "too_short":
        minimum = error["ctx"]["min_length"]
        items, _ = _field_at(model, keys)
        first = next((f for m in items for f, i in m.model_fields.items() if i.is_required()), None)
        start = f"`- {first}: …`" if first and not _holds_text(info) else "`- `"
        return Problem(path, line, column,
                       f"{where} needs at least {minimum} entr{'y' if minimum == 1 else 'ies'}, but has {len(value)}",
                       f"add an entry on its own line starting with {start}")
    if kind == "too_long":
        ctx = error["ctx"]
        return Problem(path, line, column,
                       f"{where} has {ctx.get('actual_length', len(value))} entries; at most {ctx['max_length']} are allowed",
                       "merge or remove entries, or split the plan into several files")
    if kind == "list_type":
        return Problem(path, line, column, f"{where}: expected a list, got {_describe_value(value)}",
                       f"put each entry on its own line under `{name}:`, starting with `- `")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return Problem(path, line, column,
                       f"{where}: expected a mapping of `key: value` lines, got {_describe_value(value)}",
                       f"write keys indented under `{name}:`; allowed keys: {', '.join(_allowed_keys(model, keys))}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            hint = f"remove the quotes: `{name}: {value.strip()}`"
        else:
            hint = f"write a whole number, e.g. `{name}: {_example_number(info)}`"
        return Problem(path, line, column, f"{where}: expected a whole number, got {_describe_value(value)}", hint)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(error["ctx"].values()))
        words = {"greater_than_equal": "at least", "less_than_equal": "at most",
                 "greater_than": "more than", "less_than": "less than"}[kind]
        low, high = _bounds(info)
        hint = f"use a whole number from {low} to {high}" if low is not None and high is not None else \
            f"use a number {words} {bound}"
        return Problem(path, line, column, f"{where} is {value}, but must be {words} {bound}", hint)
    if kind == "string_pattern_mismatch":
        if "lint" in keys:
            return Problem(path, line, column, f"{where}: `{value}` is not a lint rule code",
                           "a rule code is two capital letters and three digits, e.g. PF101")
        return Problem(path, line, column, f"{where}: `{value}` does not have the expected form",
                       f"match the pattern `{error['ctx']['pattern']}`")
    if kind == "value_error":
        return _rule_problem(path, tree, model, keys, str(error.get("ctx", {}).get("error", error["msg"])))
    return Problem(path, line, column, f"{where}: {error['msg']}", "check this value against the plan schema")


def _rule_problem(path: Path, tree: CommentedMap, model: type, keys: tuple, message: str) -> Problem:
    """Word a broken model rule (e.g. "end_day 1 is before start_day 30") at the field it names first."""
    line, column, found = locate(tree, keys)
    mentions = {}
    for key in _allowed_keys(model, keys):
        if match := re.search(rf"\b{re.escape(key)}\b", message):
            mentions[key] = match.start()
    named = sorted(mentions, key=mentions.get)
    hint = f"change {' or '.join(f'`{k}`' for k in named) or 'the values'} so that the rule holds"
    node = _node_at(tree, found)
    if named and message.startswith(named[0]) and isinstance(node, CommentedMap) and _key_in(node, named[0]):
        # A rule whose message starts with a field's name is about that field: point at it, not at the mapping.
        line, column, _ = locate(tree, keys + (named[0],))
        return Problem(path, line, column, f"{_dotted(keys + (named[0],))} {message[len(named[0]):].strip()}", hint)
    return Problem(path, line, column, f"{_dotted(keys)}: {message}", hint)


def _quote_hint(keys: tuple, value: Any) -> str:
    """Return the hint that turns a number, date or true/false into text by quoting it."""
    shown = f'"{_as_written(value)}"'
    written = f"- {shown}" if isinstance(keys[-1], int) else f"{keys[-1]}: {shown}"
    return f"put it in quotes to keep it as text: `{written}`"


def _holds_text(info: Any) -> bool:
    """Return whether a field takes plain text (alone, in a union or as list items, e.g. bullets)."""

    def reaches_str(annotation: Any) -> bool:
        if annotation is str:
            return True
        return any(reaches_str(arg) for arg in typing.get_args(annotation))

    return reaches_str(getattr(info, "annotation", None))


def _expected_word(error_type: str) -> str:
    return {"string_type": "text", "int_type": "a whole number", "date_type": "a date", "list_type": "a list",
            "model_type": "a mapping", "dict_type": "a mapping", "bool_type": "true or false"}.get(error_type, "")


def _bounds(info: Any) -> tuple[Any, Any]:
    """Return the (lowest, highest) number a field allows, from its ge/le constraints."""
    low = high = None
    for constraint in getattr(info, "metadata", []):
        low = getattr(constraint, "ge", low)
        high = getattr(constraint, "le", high)
    return low, high


def _example_number(info: Any) -> int:
    low, _ = _bounds(info)
    return 30 if low is None or low <= 30 else low


# ---------------------------------------------------------------------------------------------------------------
# Finding plan files


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """Return the plan files named by `paths`, as `planforge build` finds them (see `planforge.paths.plan_files`)."""
    # Imported here: loading a plan does not need it, and the content hash of builds covers what loading imports.
    from planforge.paths import discover as find_plans

    return find_plans(paths)
