"""`planforge import`: Markdown notes in the seeds' style → a commented plan YAML, nothing dropped silently."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from planforge.errors import PlanError, PlanforgeError, Problem
from planforge.importing.draft import Draft
from planforge.model.common import MAX_ITEMS, MAX_TEXT
from planforge.importing.notes import Heading, Label, Labelled, Notes, Table, bare, parse

KIND_NAMES = ("strategy", "30-60-90")
_STRATEGY_SIGNS = re.compile(r"\b(?:product vision|vision and objectives|key initiatives|privacy and compliance|"
                             r"long-term goals|expected outcomes and long)", re.I)
_PLAN_SIGNS = re.compile(r"\b(?:days?\s+\d+\s*[–-]\s*\d+|weeks?\s+\d+|30-60-90|60-90|first\s+\d+\s+days|"
                         r"week-by-week|timeframe|month\s+\d)", re.I)


@dataclass(frozen=True)
class Imported:
    """The result of importing notes: the plan's YAML text, its kind, and warnings located in the notes."""

    text: str
    kind: str
    warnings: list[Problem]
    notes: list[str]
    """Text that could not be placed, as written under the plan's `notes:`."""


def import_notes(path: Path, kind: str | None = None, schema: str | None = None) -> Imported:
    """Convert a Markdown notes file into plan YAML; `kind` forces 'strategy' or '30-60-90' instead of guessing."""
    from planforge.importing.day_plan import DayPlanImport
    from planforge.importing.emit import dump
    from planforge.importing.strategy import StrategyImport
    notes = parse(read_notes(path))
    kind = kind or guess_kind(path, notes)
    draft = Draft(path)
    importer = StrategyImport if kind == "strategy" else DayPlanImport
    data = importer(notes, draft).run()
    if not data.get("title"):
        data["title"] = _fallback_title(path, notes)
        draft.warn(None, f"the notes have no `# heading`; titled the plan “{data['title']}”", "check `title:`")
    data = _within_limits(data, draft)
    if draft.notes:
        data["notes"] = _chunks(draft.notes)
    ordered = _in_model_order(data)
    yaml_text = dump(ordered, _header(path, notes, schema), _section_comments(ordered, draft), draft.comments)
    _check_round_trip(path, yaml_text, ordered)
    return Imported(yaml_text, kind, draft.warnings, draft.notes)


MAX_NOTES_BYTES = 2 * 1024 * 1024


def read_notes(path: Path) -> str:
    """Return the text of a notes file, refusing what is missing, too big or not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanforgeError([Problem(path, None, None, "no such file", "give the path of a Markdown notes file")]) from None
    except IsADirectoryError:
        raise PlanforgeError([Problem(path, None, None, "is a folder", "give the path of a Markdown notes file")]) from None
    except OSError as exc:
        raise PlanforgeError([Problem(path, None, None, f"cannot read the file: {exc.strerror}", "check the path")]) from None
    if len(data) > MAX_NOTES_BYTES:
        raise PlanforgeError([Problem(path, None, None, f"file is {len(data):,} bytes; notes are limited to "
                                      f"{MAX_NOTES_BYTES:,}", "split the notes into several files")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PlanforgeError([Problem(path, line, None, "file is not valid UTF-8", "save the notes as UTF-8 text")]) from None


def _within_limits(value: object, draft: Draft) -> object:
    """Return the fields with over-long text cut and over-long lists shortened; what is cut goes to `notes:`."""
    if isinstance(value, dict):
        return {key: _within_limits(child, draft) for key, child in value.items()}
    if isinstance(value, list):
        kept = [_within_limits(item, draft) for item in value[:MAX_ITEMS]]
        for extra in value[MAX_ITEMS:]:
            draft.notes.extend(_chunks([_as_text(extra)]))
        if len(value) > MAX_ITEMS:
            draft.warn(None, f"a list of {len(value)} entries is longer than a plan allows ({MAX_ITEMS}); "
                             "the rest is kept under `notes:`", "split the list")
        return kept
    if isinstance(value, str) and len(value) > MAX_TEXT:
        cut = value.rfind(" ", 0, MAX_TEXT) if " " in value[:MAX_TEXT] else MAX_TEXT
        draft.notes.extend(_chunks([value[cut:].strip()]))
        draft.warn(None, f"a text of {len(value):,} characters is longer than a plan allows ({MAX_TEXT:,}); "
                         "the rest is kept under `notes:`", "shorten it or split it")
        return value[:cut].strip()
    return value


def _as_text(value: object) -> str:
    if isinstance(value, dict):
        return " • ".join(_as_text(v) for v in value.values() if v)
    if isinstance(value, list):
        return " • ".join(_as_text(v) for v in value)
    return str(value)


def _chunks(texts: list[str]) -> list[str]:
    """Return the texts with each longer than a plan allows split at spaces into pieces that fit."""
    pieces: list[str] = []
    for text in texts:
        while len(text) > MAX_TEXT:
            cut = text.rfind(" ", 0, MAX_TEXT)
            cut = cut if cut > 0 else MAX_TEXT
            pieces.append(text[:cut].strip())
            text = text[cut:].strip()
        if text:
            pieces.append(text)
    return pieces


def guess_kind(path: Path, notes: Notes) -> str:
    """Return 'strategy' or '30-60-90' from what the notes talk about; refuse notes that are neither."""
    words = [b.text for b in notes.blocks if isinstance(b, (Heading, Label))]
    words += [b.label for b in notes.blocks if isinstance(b, Labelled)]
    words += [h for b in notes.blocks if isinstance(b, Table) for h in b.header]
    strategy = sum(bool(_STRATEGY_SIGNS.search(w)) for w in words)
    plan = sum(bool(_PLAN_SIGNS.search(w)) for w in words)
    if strategy == plan == 0:
        raise PlanError([Problem(
            path, None, None, "cannot tell whether the notes are a strategy or a 30-60-90 day plan",
            "pass --kind strategy or --kind 30-60-90",
        )])
    return "strategy" if strategy > plan else "30-60-90"


def _fallback_title(path: Path, notes: Notes) -> str:
    original = notes.front_matter.get("original_path")
    return Path(original).stem if original else path.stem.replace("-", " ").replace("_", " ")


def _header(path: Path, notes: Notes, schema: str | None) -> list[str]:
    from planforge.schema import SCHEMA_ID

    front = notes.front_matter
    source = f"Imported by `planforge import` from {path.name}"
    if front.get("source"):
        source += f" ({front['source']}"
        source += f", {front['migrated'][:10]})" if front.get("migrated") else ")"
    lines = [f"yaml-language-server: $schema={schema or SCHEMA_ID}", source + "."]
    if front.get("original_path"):
        lines.append(f"Original note: {front['original_path']}")
    lines.append("Check the structure, write the action titles the notes lack, then run `planforge lint`.")
    return lines


def _section_comments(data: dict, draft: Draft) -> dict[str, str]:
    """Return the comment above each top-level section: what it holds and how the notes' parts map to it."""
    weeks = "week_breakdown_intro" if "week_breakdown_intro" in data else "week_blocks"
    return {
        "phases": "Phases of the plan; `slide` holds the deck wording of the phase slides.",
        weeks: "Week-by-week tables; `slide` holds the deck wording of the block slides.",
        "pitfalls": "`brief` holds the pitfall slide's wording where it differs from the table.",
        "areas": "One area per set of vision / initiatives / outcomes sections; KPIs restate targets the prose names.",
        "storyline": "Action titles of the notes' slide outline.",
        "notes": f"Text planforge import could not place ({len(draft.notes)}): move each where it belongs, "
                 "then delete it here.",
    }


def _in_model_order(data: dict) -> dict:
    """Return the plan's fields, at every level, in the order the model declares them (empty ones left out)."""
    from planforge.model import KINDS

    ordered = _ordered(data, KINDS[data["kind"]])
    # A plan opens with its kind and ends with what is left to place; the week intro reads before the tables
    # it introduces, though the model declares it after them.
    keys = ["kind", *(k for k in ordered if k not in ("kind", "notes", "week_breakdown_intro"))]
    if "week_breakdown_intro" in ordered:
        keys.insert(keys.index("week_blocks") if "week_blocks" in keys else len(keys), "week_breakdown_intro")
    keys += ["notes"] if "notes" in ordered else []
    return {key: ordered[key] for key in keys}


def _ordered(value: object, model: type | None) -> object:
    if isinstance(value, list):
        return [_ordered(item, model) for item in value]
    if not isinstance(value, dict) or model is None:
        return value
    fields = list(model.model_fields)
    keys = sorted(value, key=lambda k: fields.index(k) if k in fields else len(fields))
    return {
        key: _ordered(value[key], _model_in(model.model_fields[key].annotation) if key in fields else None)
        for key in keys
        if value[key] not in (None, [], {})
    }


def _model_in(annotation: object) -> type | None:
    """Return the Pydantic model a field holds (through list, Optional, Annotated and unions), if any."""
    import typing

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        if found := _model_in(argument):
            return found
    return None


def _check_round_trip(path: Path, text: str, data: dict) -> None:
    """Make sure the YAML reads back as exactly the fields built (a failure is a bug in the importer)."""
    from planforge.loading import parse_yaml, to_plain

    if to_plain(parse_yaml(path.with_name(f"{path.stem} (imported).yaml"), text)) != data:
        raise AssertionError("planforge import wrote YAML that does not read back as the imported plan")


__all__ = ["Imported", "KIND_NAMES", "bare", "guess_kind", "import_notes"]
