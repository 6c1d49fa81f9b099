"""Plan files → validated models: bytes checks, round-trip YAML, Pydantic, every problem located."""

from __future__ import annotations

import datetime
import difflib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingEndEvent,
    NodeEvent,
    SequenceEndEvent,
)

from planforge.errors import PlanError, Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
PLAN_SUFFIXES = (".yaml", ".yml")

# Tags that only restate what plain YAML already means; anything else (e.g. !!python/object) is refused.
_SAFE_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}


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


def read_text(path: Path) -> str:
    """Return the file's text, refusing what is too big, binary or not UTF-8."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise PlanError([Problem(path, None, None, "is not a file", "give a .yaml plan file or a folder of them")])
        if size > MAX_BYTES:
            raise PlanError([Problem(
                path, None, None, f"file is {size:,} bytes; plans are limited to {MAX_BYTES:,} bytes",
                "split the plan into several files",
            )])
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanError([Problem(path, None, None, "no such file", "check the path")]) from None
    except PermissionError:
        raise PlanError([Problem(path, None, None, "cannot read the file: permission denied", "check its permissions")]) from None
    except IsADirectoryError:
        raise PlanError([Problem(path, None, None, "is a folder, not a file", "give a .yaml plan file")]) from None
    except OSError as exc:
        raise PlanError([Problem(path, None, None, f"cannot read the file: {exc.strerror}", "check the path")]) from None
    if b"\x00" in data:
        line, column = _byte_position(data, data.index(b"\x00"))
        raise PlanError([Problem(path, line, column, "file contains a NUL byte; it looks binary", "save the plan as UTF-8 text")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        raise PlanError([Problem(
            path, line, column, f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file with UTF-8 encoding",
        )]) from None
    text = text.removeprefix("\ufeff")
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise PlanError([Problem(path, 1, 1, "file is empty", "start from `planforge new strategy|30-60-90 NAME`")])
    return text


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    return yaml


def parse_yaml(path: Path, text: str) -> CommentedMap:
    """Parse YAML text into a round-trip tree; refuse aliases, custom tags, deep nesting, non-mappings."""
    _check_events(path, text)
    try:
        tree = _yaml().load(text)
    except MarkedYAMLError as exc:
        raise PlanError([_yaml_problem(path, exc)]) from None
    except (YAMLError, RecursionError, ValueError) as exc:
        raise PlanError([Problem(path, None, None, f"cannot parse YAML: {exc}", "check the YAML syntax")]) from None
    if not isinstance(tree, CommentedMap):
        kind = "a list" if isinstance(tree, list) else "a single value"
        raise PlanError([Problem(
            path, 1, 1, f"a plan must be a mapping of keys to values, but the file holds {kind}",
            "start the file with `kind: strategy` or `kind: 30-60-90` and the plan's keys",
        )])
    return tree


def _check_events(path: Path, text: str) -> None:
    """Walk the YAML event stream (cheap, nothing expanded) for what the plan format refuses."""
    problems: list[Problem] = []
    depth = 0
    documents = 0
    try:
        for event in _yaml().parse(text):
            mark = event.start_mark
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents == 2:
                    problems.append(Problem(
                        path, mark.line + 1, mark.column + 1, "file holds more than one YAML document",
                        "keep one plan per file; remove the `---` separator",
                    ))
            if isinstance(event, AliasEvent):
                problems.append(Problem(
                    path, mark.line + 1, mark.column + 1, f"YAML alias `*{event.anchor}` is not allowed",
                    "write the value out in full; plans refuse anchors and aliases",
                ))
            elif isinstance(event, NodeEvent) and event.anchor is not None:
                problems.append(Problem(
                    path, mark.line + 1, mark.column + 1, f"YAML anchor `&{event.anchor}` is not allowed",
                    "remove the anchor; plans refuse anchors and aliases",
                ))
            tag = getattr(event, "tag", None)
            if tag is not None and not isinstance(event, AliasEvent):
                tag_text = str(getattr(tag, "value", tag) if not isinstance(tag, str) else tag)
                if tag_text not in _SAFE_TAGS and tag_text != "!":
                    problems.append(Problem(
                        path, mark.line + 1, mark.column + 1, f"YAML tag `{tag_text}` is not allowed",
                        "remove the tag; plans hold plain text, numbers, lists and mappings",
                    ))
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise PlanError(problems + [Problem(
                        path, mark.line + 1, mark.column + 1, f"nesting is deeper than {MAX_DEPTH} levels",
                        "flatten the structure; plans nest only a few levels",
                    )])
            elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                depth -= 1
            if len(problems) >= 50:
                break
    except MarkedYAMLError as exc:
        problems.append(_yaml_problem(path, exc))
    except YAMLError as exc:
        problems.append(Problem(path, None, None, f"cannot parse YAML: {exc}", "check the YAML syntax"))
    if problems:
        raise PlanError(problems)


def _yaml_problem(path: Path, exc: MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    hint = "check the YAML syntax near this point (indentation, a missing colon, an unclosed quote or bracket)"
    if "duplicate key" in problem:
        quoted = problem.split('"')
        problem = f"duplicate key `{quoted[1]}`" if len(quoted) >= 3 else "duplicate key"
        hint = "each key may appear once in a mapping; merge or rename the repeated one"
    elif "tab" in problem:
        hint = "indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem:
        hint = "a value containing `: ` must be quoted"
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return Problem(path, line, column, problem, hint)


# ---------------------------------------------------------------------------------------------------------------
# Validation


def validate(path: Path, tree: CommentedMap) -> Any:
    """Validate a YAML tree against the plan models; raise PlanError with every problem located."""
    from pydantic import ValidationError

    from planforge.model import KINDS

    kind = tree.get("kind")
    if "kind" not in tree:
        raise PlanError([Problem(
            path, *_start(tree), "missing key `kind`",
            "add `kind: strategy` or `kind: 30-60-90` as the first line of the plan",
        )])
    if not isinstance(kind, str) or kind not in KINDS:
        line, column, _ = locate(tree, ("kind",))
        raise PlanError([Problem(
            path, line, column, f"unknown kind `{kind}`",
            "use `kind: strategy` or `kind: 30-60-90`" + _did_you_mean(str(kind), KINDS),
        )])
    model = KINDS[kind]
    try:
        return model.model_validate(to_plain(tree))
    except ValidationError as exc:
        raise PlanError(_problems_from_validation(path, tree, model, exc.errors())) from None


def to_plain(node: Any) -> Any:
    """Return a copy of a round-trip YAML tree made of plain dicts, lists, str, int, float, bool and dates."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, (int, float, bool)) else k: to_plain(v) for k, v in node.items()}
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


def locate(tree: Any, loc: tuple) -> tuple[int | None, int | None, tuple]:
    """Follow a Pydantic `loc` through the YAML tree; return (line, column, loc of keys actually found).

    Segments that name a union branch rather than a key (e.g. 'str', 'Bullet') are skipped.
    """
    node = tree
    line, column = _start(tree)
    found: list[str | int] = []
    for segment in loc:
        if isinstance(node, CommentedMap) and segment in node:
            value_line, value_col = node.lc.value(segment)
            line, column = value_line + 1, value_col + 1
            node = node[segment]
            found.append(segment)
        elif isinstance(node, CommentedSeq) and isinstance(segment, int) and 0 <= segment < len(node):
            item_line, item_col = node.lc.item(segment)
            line, column = item_line + 1, item_col + 1
            node = node[segment]
            found.append(segment)
    return line, column, tuple(found)


def _key_position(tree: Any, loc: tuple) -> tuple[int | None, int | None]:
    parent_loc, key = loc[:-1], loc[-1]
    _, _, found = locate(tree, parent_loc)
    parent = tree
    for segment in found:
        parent = parent[segment]
    if isinstance(parent, CommentedMap) and key in parent:
        line, column = parent.lc.key(key)
        return line + 1, column + 1
    line, column, _ = locate(tree, parent_loc)
    return line, column


def _dotted(loc: tuple) -> str:
    text = ""
    for segment in loc:
        text += f"[{segment}]" if isinstance(segment, int) else (f".{segment}" if text else str(segment))
    return text or "plan"


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
        return "nothing (null)"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"the date `{value}`"
    return f"`{value}`"


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


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


def _field_at(model: type, loc: tuple) -> tuple[type | None, Any]:
    """Return (model that owns the last key of `loc`, its FieldInfo or None), following field annotations."""
    candidates = [model]
    owner, info = None, None
    for segment in loc:
        if isinstance(segment, int):
            continue
        for candidate in candidates:
            if segment in candidate.model_fields:
                owner, info = candidate, candidate.model_fields[segment]
                candidates = _models_in(info.annotation)
                break
        else:
            continue
    return owner, info


def _owner_fields(model: type, loc: tuple) -> list[str]:
    """Return the keys allowed in the mapping at `loc`."""
    if not any(isinstance(s, str) for s in loc):
        return list(model.model_fields)
    _, info = _field_at(model, loc)
    if info is None:
        return list(model.model_fields)
    fields: list[str] = []
    for m in _models_in(info.annotation):
        fields.extend(f for f in m.model_fields if f not in fields)
    return fields


_BRANCH_WORDS = {"str": "text", "constrained-str": "text", "Bullet": "a mapping with `text` and `items`", "date": "a date"}


def _problems_from_validation(path: Path, tree: CommentedMap, model: type, errors: list[dict]) -> list[Problem]:
    """Turn Pydantic errors into one located problem per place in the file."""
    by_place: dict[tuple, list[dict]] = {}
    errors = _drop_union_noise(errors)
    for error in errors:
        loc = tuple(error["loc"])
        _, _, found = locate(tree, loc)
        keys = _keys_only(loc, found)
        by_place.setdefault(keys, []).append(error)
    problems = []
    for keys, group in by_place.items():
        problems.append(_problem_for(path, tree, model, keys, group))
    # A problem deeper in the file should not hide behind its parent's union noise; report in file order.
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


def _is_branch(segment: Any) -> bool:
    return isinstance(segment, str) and (segment in _BRANCH_WORDS or "[" in segment)


def _drop_union_noise(errors: list[dict]) -> list[dict]:
    """Keep only the union branch that got furthest at each place, and drop a `missing` key that an
    unknown key in the same mapping is evidently a misspelling of."""

    def branch_of(error: dict) -> tuple[tuple, str] | None:
        loc = tuple(error["loc"])
        for index, segment in enumerate(loc):
            if _is_branch(segment) and not (segment == "date" and index == 0):
                return loc[:index], segment
        return None

    shallow = ("_type", "model_type", "is_instance_of")
    deep_branches: dict[tuple, str] = {}
    for error in errors:
        found = branch_of(error)
        if found and not error["type"].endswith(shallow):
            deep_branches.setdefault(found[0], found[1])
    kept = []
    for error in errors:
        found = branch_of(error)
        if found and found[0] in deep_branches and deep_branches[found[0]] != found[1]:
            continue
        kept.append(error)
    misspelt = set()
    for error in kept:
        if error["type"] == "extra_forbidden":
            loc = tuple(error["loc"])
            siblings = [tuple(e["loc"])[-1] for e in kept if e["type"] == "missing" and tuple(e["loc"])[:-1] == loc[:-1]]
            for match in difflib.get_close_matches(str(loc[-1]), [str(s) for s in siblings], n=1, cutoff=0.6):
                misspelt.add(loc[:-1] + (match,))
    return [e for e in kept if not (e["type"] == "missing" and tuple(e["loc"]) in misspelt)]


def _keys_only(loc: tuple, found: tuple) -> tuple:
    """Return the keys of `loc` without union-branch names: what exists in the file, then what is missing."""
    index = 0
    for segment in found:
        index = loc.index(segment, index) + 1
    tail = [s for s in loc[index:] if not _is_branch(s)]
    return tuple(found) + tuple(tail)


def _problem_for(path: Path, tree: CommentedMap, model: type, keys: tuple, group: list[dict]) -> Problem:
    # With several union branches failing at one place, prefer errors that went deeper than a type mismatch.
    deep = [e for e in group if not e["type"].endswith("_type") and e["type"] not in ("is_instance_of", "model_type")]
    errors = deep or group
    error = errors[0]
    kind = error["type"]
    where = _dotted(keys)
    line, column, found = locate(tree, keys)
    value = error.get("input")
    if kind == "missing":
        field = keys[-1]
        parent = tree
        for segment in found:
            parent = parent[segment]
        line, column = _start(parent)
        _, info = _field_at(model, keys)
        description = f" ({info.description.rstrip('.')})" if info is not None and info.description else ""
        return Problem(path, line, column, f"missing required key `{field}` in {_dotted(keys[:-1])}",
                       f"add `{field}:`{description}")
    if kind == "extra_forbidden":
        field = str(keys[-1])
        line, column = _key_position(tree, keys)
        allowed = _owner_fields(model, keys[:-1])
        suggestion = _did_you_mean(field, allowed)
        hint = (f"did you mean `{difflib.get_close_matches(field, allowed, n=1, cutoff=0.6)[0]}`?"
                if suggestion else f"allowed keys here: {', '.join(allowed)}")
        return Problem(path, line, column, f"unknown key `{field}` in {_dotted(keys[:-1])}", hint)
    if len({e["type"] for e in errors}) > 1 or len(errors) > 1 and all(e["type"].endswith("_type") or e["type"] == "model_type" for e in errors):
        expected = []
        for e in errors:
            branch = next((s for s in e["loc"][::-1] if isinstance(s, str) and s in _BRANCH_WORDS), None)
            word = _BRANCH_WORDS.get(branch, e["msg"].removeprefix("Input should be ").removeprefix("a valid "))
            if word not in expected:
                expected.append(word)
        return Problem(path, line, column, f"{where}: expected {' or '.join(expected)}, got {_describe_value(value)}",
                       "write a bullet as text, or as a mapping with `text:` and a list of `items:`"
                       if "text" in expected else "check the value's type")
    if kind in ("string_type", "str_type"):
        return Problem(path, line, column, f"{where}: expected text, got {_describe_value(value)}",
                       "write text here; put quotes around it if it looks like a number, date or true/false")
    if kind == "string_too_short":
        return Problem(path, line, column, f"{where} is empty", "write some text, or remove the key")
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return Problem(path, line, column, f"{where} is longer than {limit:,} characters",
                       "shorten it; a slide cannot show that much text")
    if kind == "too_short":
        minimum = error.get("ctx", {}).get("min_length", 1)
        return Problem(path, line, column, f"{where} needs at least {minimum} item{'s' if minimum != 1 else ''}",
                       "add the missing entries")
    if kind == "too_long":
        maximum = error.get("ctx", {}).get("max_length")
        return Problem(path, line, column, f"{where} has more than {maximum} items",
                       "split it; planforge limits lists to keep decks readable")
    if kind in ("list_type",):
        return Problem(path, line, column, f"{where}: expected a list, got {_describe_value(value)}",
                       "start each entry on its own line with `- `")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return Problem(path, line, column, f"{where}: expected a mapping of keys to values, got {_describe_value(value)}",
                       f"write `key: value` lines here; allowed keys: {', '.join(_owner_fields(model, keys))}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return Problem(path, line, column, f"{where}: expected a whole number, got {_describe_value(value)}",
                       "write a number without quotes, e.g. 30")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return Problem(path, line, column, f"{where}: {error['msg'].lower()}, got {value}", "use a number in range")
    if kind == "string_pattern_mismatch":
        return Problem(path, line, column, f"{where}: `{value}` is not a rule code", "use a code such as PF101")
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        return Problem(path, line, column, f"{where}: {message}", "fix the values so they are consistent")
    return Problem(path, line, column, f"{where}: {error['msg']}", "check this value against the plan schema")


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """Return the plan files named by `paths` (files as given, folders searched for *.yaml/*.yml), sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in PLAN_SUFFIXES and p.is_file()))
        else:
            found.append(path)
    unique: dict[Path, None] = {}
    for p in found:
        unique.setdefault(p, None)
    return list(unique)
