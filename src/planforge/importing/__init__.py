"""`planforge import`: Markdown notes in the seeds' style → a commented plan YAML, nothing dropped silently."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from planforge.errors import PlanError, PlanforgeError, Problem
from planforge.importing.draft import Draft
from planforge.model.common import MAX_ITEMS, MAX_TEXT
from planforge.importing.report import Placement, placement
from planforge.importing.notes import Heading, ItemList, Label, Labelled, Notes, Paragraph, Table, bare, parse

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
    placement: Placement
    """How much of the note went where (what `import --report` prints)."""


def import_notes(path: Path, kind: str | None = None, schema: str | None = None) -> Imported:
    """Convert a Markdown notes file into plan YAML; `kind` forces 'strategy' or '30-60-90' instead of guessing."""
    from planforge.importing.emit import dump

    notes = parse(read_notes(path), path)
    kind = kind or guess_kind(path, notes)
    data, draft = _best_reading(path, notes, kind)
    front = notes.front_matter
    if not data.get("title"):
        data["title"] = front.get("title") or _fallback_title(path, notes)
        if not front.get("title"):
            draft.warn(None, f"the notes have no `# heading`; titled the plan “{data['title']}”", "check `title:`")
    for key, field in (("description", "subtitle"), ("subtitle", "subtitle"), ("author", "owner"),
                       ("date", "date"), ("audience", "audience"), ("organisation", "organisation")):
        if front.get(key) and not data.get(field):
            data[field] = _date(front[key]) if field == "date" else front[key]
    if front.get("lang") or front.get("language") or _is_french(notes):
        data.setdefault("lang", front.get("lang") or front.get("language") or "fr")
    data = _within_limits(_within_counts(data, draft), draft)
    if draft.notes:
        data["notes"] = _notes_within_limits(draft)
    ordered = _in_model_order(data)
    yaml_text = dump(ordered, _header(path, notes, schema), _section_comments(ordered, draft), draft.comments)
    _check_round_trip(path, yaml_text, ordered)
    unplaced = data.get("notes", [])
    return Imported(yaml_text, kind, draft.warnings, unplaced, placement(notes, ordered, unplaced))


_FRENCH = frozenset("le la les des du une et est pour dans avec sur au aux ces nous mon mes".split())
_ENGLISH = frozenset("the and of to is for in with on my our a an this that be".split())


def _is_french(notes: Notes) -> bool:
    """Tell whether the notes are written in French, by their most common short words."""
    texts = [b.text for b in notes.blocks if isinstance(b, (Paragraph, Heading, Label))]
    texts += [i.text for b in notes.blocks if isinstance(b, ItemList) for i in b.items]
    words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ]+", " ".join(texts).lower())
    french = sum(w in _FRENCH for w in words)
    return french >= 10 and french > 2 * sum(w in _ENGLISH for w in words)


def _best_reading(path: Path, notes: Notes, kind: str) -> tuple[dict, Draft]:
    """Read the notes both ways — as the seeds' labelled sections and as an outline of headings — and keep the better.

    Notes in the seeds' style (slide outlines, action titles, bold section labels, Element/Timeframe tables) keep the
    labelled reading unless the outline places clearly more (at least 200 characters and half of what it left);
    other notes take the outline reading unless it leaves more. A field written as TBD counts as 50 characters left.
    """
    from planforge.importing.day_plan import DayPlanImport
    from planforge.importing.outline_plan import OutlinePlan
    from planforge.importing.outline_strategy import OutlineStrategy
    from planforge.importing.strategy import StrategyImport

    readings = []
    for reader in (StrategyImport, OutlineStrategy) if kind == "strategy" else (DayPlanImport, OutlinePlan):
        draft = Draft(path)
        reading = reader(notes, draft)
        data = reading.run()
        readings.append((sum(len(text) for text in draft.notes) + 50 * draft.filled, data, draft))
    (labelled, *first), (outline, *second) = readings
    saved = labelled - outline
    if not reading.found:
        return tuple(first)  # the outline found no phase, week or area of its own
    if _labelled_style(notes):
        return tuple(second) if saved >= 200 and saved * 2 >= labelled else tuple(first)
    return tuple(second) if saved >= 0 else tuple(first)


def _labelled_style(notes: Notes) -> bool:
    """Tell whether notes are written like the seeds: slide outlines, action titles, bold section labels."""
    from planforge.importing.draft import ACTION_TITLE, SLIDE
    from planforge.importing.strategy import AREA_SECTIONS

    for block in notes.blocks:
        if isinstance(block, Labelled) and ACTION_TITLE.match(block.label):
            return True
        if isinstance(block, (Heading, Label)) and SLIDE.match(block.text):
            return True
        if isinstance(block, Label) and any(word in block.text.lower() for words in AREA_SECTIONS.values()
                                            for word in words) and len(block.text.split()) >= 3:
            return True
        if isinstance(block, Table) and block.header and bare(block.header[0]).lower() in ("element", "timeframe"):
            return True
    return False


def _notes_within_limits(draft: Draft) -> list[str]:
    """Return the unplaced texts in the notes' order; when they are more than a plan allows, each heading's group
    becomes one entry, then neighbouring groups share entries, so volume is never an error."""
    notes = _chunks(draft.notes)
    if len(notes) <= MAX_ITEMS:
        return notes
    starts = sorted({0, *draft.groups})
    groups = [draft.notes[start:end] for start, end in zip(starts, [*starts[1:], len(draft.notes)])]
    merged = [_joined(group) for group in groups if group]
    while len(_chunks(merged)) > MAX_ITEMS and len(merged) > 1:
        merged = [_joined(merged[i:i + 2]) for i in range(0, len(merged), 2)]
    return _chunks(merged)[:MAX_ITEMS]


def _joined(texts: list[str]) -> str:
    head, *rest = texts
    return f"{head} {' • '.join(rest)}" if rest else head


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
        draft.groups.append(len(draft.notes))
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


# Lists the plan format bounds more tightly than MAX_ITEMS, by field.
_COUNTS = {"phases": 12, "week_blocks": 52, "areas": 50}
_WEEKS_IN_BLOCK = 26


def _within_counts(data: dict, draft: Draft) -> dict:
    """Return the plan with phases, week blocks, areas and weeks a plan cannot hold moved to `notes:`, with a warning."""
    for key, limit in _COUNTS.items():
        if len(data.get(key) or []) > limit:
            draft.groups.append(len(draft.notes))
            draft.notes.extend(_chunks([_as_text(extra) for extra in data[key][limit:]]))
            draft.warn(None, f"the notes have {len(data[key])} {key.replace('_', ' ')}; a plan holds {limit}, "
                             "the rest is kept under `notes:`", "split the notes into several plans")
            data[key] = data[key][:limit]
    for block in data.get("week_blocks") or []:
        if len(block.get("weeks") or []) > _WEEKS_IN_BLOCK:
            draft.notes.extend(_chunks([_as_text(week) for week in block["weeks"][_WEEKS_IN_BLOCK:]]))
            draft.warn(None, f"a block of {len(block['weeks'])} weeks is longer than a plan allows "
                             f"({_WEEKS_IN_BLOCK}); the rest is kept under `notes:`", "split the block")
            block["weeks"] = block["weeks"][:_WEEKS_IN_BLOCK]
    return data


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


_STRATEGY_HEADINGS = ("vision", "mission", "strateg", "okr", "key result", "pillar", "objective", "goal", "initiative",
                      "roadmap", "north star", "ambition", "resultats cles", "pilier", "objectif", "feuille de route",
                      "axe", "chantier")


def _date(text: str):
    """A front matter date as a date when it is one (`2027-01-08`), so that every output words it; else the text."""
    import datetime

    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        return text


def guess_kind(path: Path, notes: Notes) -> str:
    """Return 'strategy' or '30-60-90' from what the notes hold; refuse, saying what was seen, when neither shows."""
    from planforge.importing.outline import KEY_RESULT, NUMBERED_AREA, names, period, tree

    title, root = tree(notes)
    sections = [s for s in root.walk() if s is not root]
    periods = [s.title for s in sections if period(s.title)]
    strategy_sections = [s.title for s in sections if NUMBERED_AREA.match(bare(s.title)) or
                         names(s.title, _STRATEGY_HEADINGS)]
    texts = [i.text for b in notes.blocks if isinstance(b, ItemList) for i in b.items]
    texts += [b.text for b in notes.blocks if isinstance(b, (Paragraph, Labelled))]
    key_results = sum(bool(KEY_RESULT.match(t)) for t in texts)
    words = [b.text for b in notes.blocks if isinstance(b, (Heading, Label))]
    words += [b.label for b in notes.blocks if isinstance(b, Labelled)]
    words += [h for b in notes.blocks if isinstance(b, Table) for h in b.header]
    strategy = sum(bool(_STRATEGY_SIGNS.search(w)) for w in words) + len(strategy_sections) + key_results
    plan = sum(bool(_PLAN_SIGNS.search(w)) for w in words) + len(periods)
    if title and _PLAN_SIGNS.search(title):
        plan += 3
    if strategy == plan == 0:
        counts = [f"{len(sections)} heading(s)" + (f" ({', '.join(f'“{t}”' for t in [s.title for s in sections][:4])}"
                                                     f"{', …' if len(sections) > 4 else ''})" if sections else ""),
                  f"{sum(isinstance(b, ItemList) for b in notes.blocks)} list(s)",
                  f"{sum(isinstance(b, Table) for b in notes.blocks)} table(s)",
                  f"{sum(isinstance(b, Paragraph) for b in notes.blocks)} paragraph(s)"]
        raise PlanError([Problem(
            path, None, None, "cannot tell whether the notes are a strategy or a 30-60-90 day plan: saw "
            + ", ".join(counts) + ", but no heading names days, weeks, months or phases (a 30-60-90 plan) "
            "or a vision, objectives, key results or pillars (a strategy)",
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
