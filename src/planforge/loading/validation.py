"""YAML tree → model: Pydantic errors mapped to YAML positions, with hints."""

from __future__ import annotations

import datetime
import difflib
import functools
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml.comments import CommentedMap

from planforge.errors import PlanError, Problem
from planforge.loading.limits import KIND_LINE, MAX_PROBLEMS, describe_value
from planforge.loading.positions import key_in, key_position, locate, node_at, start_of, to_plain
from planforge.loading.traps import as_written, tree_traps


def validate(path: Path, tree: CommentedMap, text: str | None = None) -> Any:
    """Validate a YAML tree against the plan models; raise PlanError with every problem located (with the file's
    `text`, the YAML traps too: text that YAML read as a mapping, signs kept on `+31`)."""
    from pydantic import ValidationError

    from planforge.model import KINDS

    if "kind" not in tree:
        raise PlanError([Problem(path, *start_of(tree), "missing key `kind`, so the type of plan is unknown",
                                 f"add {KIND_LINE} as the first line")])
    kind = tree["kind"]
    if not isinstance(kind, str) or kind not in KINDS:
        line, column, _ = locate(tree, ("kind",))
        choices = " or ".join(f"`{k}`" for k in KINDS)
        message = f"unknown kind `{kind}`" if isinstance(kind, str) else f"kind is {describe_value(kind)}"
        suggestion = _did_you_mean(kind, KINDS) if isinstance(kind, str) else ""
        raise PlanError([Problem(path, line, column, f"{message}; expected {choices}",
                                 suggestion or "write `kind: strategy` for a strategy vision or "
                                               "`kind: 30-60-90` for a 30-60-90 day plan")])
    model = KINDS[kind]
    trapped = tree_traps(path, tree, text.splitlines()) if text is not None else []
    try:
        document = model.model_validate(to_plain(tree))
    except ValidationError as exc:
        # What validation says about a line already reported as a trap (a missing `text`, an unknown key made of
        # the words before the colon) only repeats it in other words.
        lines = {problem.line for problem in trapped}
        problems = [p for p in _problems_from_validation(path, tree, model, exc.errors()) if p.line not in lines]
        if text is not None:
            problems = [as_written(problem, text.splitlines()) for problem in problems]
        if trapped:  # in file order; a problem without a line (e.g. "stopped after …") stays last
            problems = sorted(trapped + problems, key=lambda p: (p.line is None, p.line or 0, p.column or 0))
        raise PlanError(problems) from None
    if trapped:
        raise PlanError(trapped)
    return document


def _dotted(loc: tuple) -> str:
    text = ""
    for segment in loc:
        text += f"[{segment}]" if isinstance(segment, int) else (f".{segment}" if text else str(segment))
    return text or "the plan"


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
        line, column = start_of(node_at(tree, found))
        about = f" ({_first_sentence(info.description)})" if info is not None and info.description else ""
        return Problem(path, line, column, f"missing required key `{name}` in {_dotted(keys[:-1])}",
                       f"add `{name}: …`{about}")
    if kind == "extra_forbidden":
        line, column = key_position(tree, keys)
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
        return Problem(path, line, column, f"{where}: expected {' or '.join(expected)}, got {describe_value(value)}",
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
        return Problem(path, line, column, f"{where}: expected text, got {describe_value(value)}", hint)
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
        return Problem(path, line, column, f"{where}: expected a list, got {describe_value(value)}",
                       f"put each entry on its own line under `{name}:`, starting with `- `")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return Problem(path, line, column,
                       f"{where}: expected a mapping of `key: value` lines, got {describe_value(value)}",
                       f"write keys indented under `{name}:`; allowed keys: {', '.join(_allowed_keys(model, keys))}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            hint = f"remove the quotes: `{name}: {value.strip()}`"
        else:
            hint = f"write a whole number, e.g. `{name}: {_example_number(info)}`"
        return Problem(path, line, column, f"{where}: expected a whole number, got {describe_value(value)}", hint)
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
    """Word a broken model rule (e.g. "end_day 1 is before start_day 30") at the field it names first.

    A rule may bring its own hint after a line "hint: ..." in its message.
    """
    message, _, own_hint = message.partition("\nhint: ")
    line, column, found = locate(tree, keys)
    mentions = {}
    for key in _allowed_keys(model, keys):
        if match := re.search(rf"\b{re.escape(key)}\b", message):
            mentions[key] = match.start()
    named = sorted(mentions, key=mentions.get)
    hint = own_hint or f"change {' or '.join(f'`{k}`' for k in named) or 'the values'} so that the rule holds"
    node = node_at(tree, found)
    if named and message.startswith(named[0]) and isinstance(node, CommentedMap) and key_in(node, named[0]):
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
