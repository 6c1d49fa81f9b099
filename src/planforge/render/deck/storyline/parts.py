"""The storyline's vocabulary: slides and the content each kind of slide lays out."""

from __future__ import annotations

from dataclasses import dataclass, field

from planforge.i18n import _, colon
from planforge.render.deck.measure import Para

Item = tuple[Para, ...]
"""A bullet with its sub-bullets: the unit that is never split across slides."""


@dataclass(frozen=True)
class Group:
    """A labelled list (e.g. "Key actions" and its bullets); no heading means a full-width block."""

    heading: str | None
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Groups:
    """Labelled rows of bullets or paragraphs."""

    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Table:
    """A table: header cells, rows of cells (each cell a list of items) and relative column widths."""

    header: tuple[str, ...]
    rows: tuple[tuple[tuple[Item, ...], ...], ...]
    weights: tuple[float, ...]
    label_column: bool = True
    """The first column names its row (set bold, in the dark colour)."""


@dataclass(frozen=True)
class Outcomes:
    """Paragraph rows followed by a table (an area's outcomes and its KPIs)."""

    groups: Groups
    table: Table | None


@dataclass(frozen=True)
class Statement:
    """A one-sentence message set large, with rows that support it below."""

    statement: str
    groups: Groups
    loc: tuple | None = None
    """Where the plan writes the statement."""


@dataclass(frozen=True)
class Card:
    """One card: a heading and its items."""

    heading: str
    items: tuple[Item, ...]
    loc: tuple | None = None
    """Where the plan writes the heading."""


@dataclass(frozen=True)
class Cards:
    """A lead paragraph over a row of cards (an area's initiatives)."""

    lead: tuple[Item, ...]
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class RoadmapPhase:
    """A phase bar on the roadmap."""

    name: str
    theme: str | None
    start_day: int
    end_day: int


@dataclass(frozen=True)
class RoadmapBlock:
    """A row of the roadmap: a block of weeks."""

    label: str
    first_week: int
    last_week: int
    detail: str | None = None
    loc: tuple | None = None
    """Where the plan writes the label."""


@dataclass(frozen=True)
class Roadmap:
    """Phases over days and week blocks over weeks, drawn on one time axis."""

    phases: tuple[RoadmapPhase, ...]
    blocks: tuple[RoadmapBlock, ...]


@dataclass(frozen=True)
class Cover:
    """The title slide."""

    title: str
    subtitle: str | None
    lines: tuple[str, ...]
    audience: str | None = None

    def paras(self) -> list[Para]:
        """Subtitle, who the plan is for, then the who/when lines, one paragraph each."""
        audience = (_("Audience") + colon(space=True) + self.audience,) if self.audience else ()
        return [Para(line) for line in ((self.subtitle,) if self.subtitle else ()) + audience + self.lines]


@dataclass(frozen=True)
class Divider:
    """A section divider."""

    number: str
    name: str
    subtitle: str | None = None
    optional: bool = False
    """The plan gives it no wording: it is left out when its section takes fewer than three slides."""


@dataclass(frozen=True)
class Agenda:
    """The agenda: numbered entries with an optional one-line description each."""

    entries: tuple[tuple[str, str | None], ...]
    locs: tuple[tuple | None, ...] = ()
    """Where the plan writes each entry's name."""


@dataclass(frozen=True)
class Stack:
    """Short parts sharing one slide, top to bottom, as many as fit; the rest share the next slide.

    `parts[i]` are the slides part i is drawn as on a shared slide (e.g. privacy text as a labelled row); `separate[i]`
    the slide it makes on its own. The slide's title is the stack's when every part fits, else the first part's."""

    parts: tuple[tuple["Slide", ...], ...]
    separate: tuple["Slide", ...]


@dataclass(frozen=True)
class Slide:
    """One slide of the storyline (a long one may become several slides when laid out)."""

    kind: str
    """The builder that lays it out, e.g. "groups", "table", "roadmap"."""
    title: str
    section: int | None
    content: object
    kicker: str | None = None
    """A short label over the title naming the part of the plan the slide covers."""
    notes: str | None = None
    source: str | None = None
    topic_at: tuple | None = None
    """For a content slide whose title is a topic planforge made up, where the plan's wording of the slide (the
    mapping that takes its `title`) belongs; None when the plan gives the title or the slide takes none."""


def topic_titled(story: "Storyline") -> list[Slide]:
    """The content slides of `story` that show a made-up topic title instead of the plan's action title."""
    return [slide for slide in story.slides if slide.topic_at is not None]


@dataclass(frozen=True)
class Storyline:
    """The slides in order and the sections the tracker shows."""

    sections: tuple[str, ...]
    slides: tuple[Slide, ...] = field(default_factory=tuple)


