"""Split a seed note (Markdown exported from Apple Notes) into the pieces a plan must keep word for word.

The coverage test checks the pieces against a loaded plan; renderer tests check them against rendered output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from planforge.text import plain

# Copies of the notes the plans were transcribed from, so the suite runs on a fresh clone.
SEEDS = Path(__file__).resolve().parent / "seeds"

# Lines the notes exporter left behind that carry no content.
EXPORT_DEBRIS = {"ur presentation software as needed."}

ACTION_TITLE = "Action Title (McKinsey Style)"

# Labels that become model structure (field names, table headers) rather than text.
LABELS = {
    "Purpose", "Key Outcomes", "Objective", "Key Actions", "Success Metrics", "Primary Objectives",
    "Key Deliverables", "Meetings / Stakeholders", "Documents / Deliverables", ACTION_TITLE,
}

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_SEPARATOR = re.compile(r"^[\s\-—–*]*$")
_HEADING = re.compile(r"^(?:#+\s+.*|\*\*[^*]+\*+)$")
_LABELLED = re.compile(r"^\*\*(?P<label>[^*]+?)(?::\*\*|\*\*:)\s*(?P<rest>.*)$")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\d+\.)\s+")
_NUMBERING = re.compile(r"^\d+\.\s+")
_WEEK_RANGE = re.compile(r"\bWeeks? (?P<first>\d+)–(?P<last>\d+)(?::| –)\s*“?(?P<name>[^”]+?)”?$")
_SLIDE = re.compile(r"^Slide (\d+):")
_QUOTED = re.compile(r"“([^”]+)”")
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\bvs\.)\s+(?=[A-Z“])")
_UNDERSCORE_ITALIC = re.compile(r"(?<!\w)_(.+?)_(?!\w)")
_REFERENCE = re.compile(
    r"^\d+\.\s+\*\*(?P<authors>.+?) \((?P<year>\d{4})\)\.\s*\*+(?P<title>.+?)\*+\s*(?P<rest>.*)$"
)


@dataclass(frozen=True)
class Piece:
    """A sentence, bullet or table cell of a seed, without markup."""

    text: str
    line: int


@dataclass(frozen=True)
class WeekRange:
    """A "Weeks N–M: name" heading or overview line."""

    first: int
    last: int
    name: str
    line: int


@dataclass(frozen=True)
class SeedReference:
    """One entry of a seed's reference list, split into its parts."""

    authors: str
    year: int
    title: str
    publisher: str | None
    url: str | None
    line: int


@dataclass(frozen=True)
class Seed:
    """Everything a seed note says, split for checking."""

    pieces: list[Piece]
    week_ranges: list[WeekRange]
    references: list[SeedReference]
    action_titles: dict[int, str]
    """Action titles the author wrote, by the number of the slide they follow."""


def clean(text: str) -> str:
    """Return text without inline markup (`**`, `*`, `_`) and with whitespace normalised."""
    text = plain(text).replace("*", "")
    text = _UNDERSCORE_ITALIC.sub(r"\1", text)
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    """Split cleaned text into sentences (abbreviations such as "e.g.," and "U.S. and" stay whole)."""
    return [s for s in _SENTENCE_END.split(text) if s]


def read_seed(path: Path) -> Seed:
    """Split a seed note into pieces, week ranges, references and action titles."""
    text = _FRONT_MATTER.sub(lambda m: "\n" * m.group().count("\n"), path.read_text(encoding="utf-8"))
    pieces: list[Piece] = []
    week_ranges: list[WeekRange] = []
    references: list[SeedReference] = []
    action_titles: dict[int, str] = {}
    slide = 0
    table_started = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or _SEPARATOR.match(line) or line in EXPORT_DEBRIS:
            table_started = False
            continue
        if line.startswith("|"):
            if re.fullmatch(r"\|[-|\s]+\|", line):
                continue
            if not table_started:
                table_started = True  # the first row of a table names its columns, it is no content
                continue
            for cell in line.strip("|").split("|"):
                for part in cell.split("<br/>"):
                    pieces.extend(_pieces(part, number, week_ranges))
            continue
        table_started = False
        reference = _REFERENCE.match(line)
        if reference:
            references.append(_reference(reference, number))
            continue
        if _HEADING.match(line):
            heading = clean(line.lstrip("#"))
            if _SLIDE.match(heading):
                slide = int(_SLIDE.match(heading)[1])
            week_ranges.extend(_week_range(heading, number))
            # Headings are section names the renderers supply; only quoted names (phase themes) are content.
            pieces.extend(Piece(quoted, number) for quoted in _QUOTED.findall(heading))
            continue
        labelled = _LABELLED.match(line)
        if labelled and clean(labelled["label"]) == ACTION_TITLE:
            action_titles[slide] = clean(labelled["rest"])
        pieces.extend(_pieces(line, number, week_ranges))
    return Seed(pieces, week_ranges, references, action_titles)


def _pieces(raw: str, number: int, week_ranges: list[WeekRange]) -> list[Piece]:
    """Split one bullet, cell or paragraph into pieces; a `**Label:** rest` line gives the label and the rest."""
    text = _LIST_MARKER.sub("", raw.strip())
    labelled = _LABELLED.match(text)
    parts = [text]
    if labelled:
        week = _week_range(f"{clean(labelled['label'])}: {clean(labelled['rest'])}", number)
        if week:
            week_ranges.extend(week)
            return []
        parts = [labelled["label"], labelled["rest"]]
    result = []
    for part in parts:
        cleaned = _NUMBERING.sub("", clean(part)).rstrip(":").strip()
        if not cleaned or cleaned in LABELS:
            continue
        result.extend(Piece(sentence, number) for sentence in sentences(cleaned))
    return result


def _week_range(text: str, number: int) -> list[WeekRange]:
    """Return the "Weeks N–M: name" range the text states, if any."""
    match = _WEEK_RANGE.search(text)
    return [WeekRange(int(match["first"]), int(match["last"]), match["name"], number)] if match else []


def _reference(match: re.Match, number: int) -> SeedReference:
    rest = clean(match["rest"])
    url = None
    if rest.endswith("Link"):
        url, rest = "Link", rest.removesuffix("Link").strip()
    return SeedReference(
        authors=clean(match["authors"]),
        year=int(match["year"]),
        title=clean(match["title"]).removesuffix("."),
        publisher=rest.removesuffix(".") or None,
        url=url,
        line=number,
    )


def model_strings(value) -> list[str]:
    """Return every string inside a `model_dump()` result, cleaned like seed pieces."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in model_strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in model_strings(v)]
    if isinstance(value, str):
        return [clean(value)]
    return []


def missing_pieces(seed: Seed, corpus: str) -> list[Piece]:
    """Return the seed pieces that do not appear in the corpus text."""
    return [piece for piece in seed.pieces if piece.text not in corpus]
