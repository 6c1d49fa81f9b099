"""The Gantt roadmap in native shapes: laid out first (`chart_pages`, boxes only), then drawn."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from pptx.enum.shapes import MSO_SHAPE

from planforge.i18n import _, join_phrase
from planforge.i18n.formatting import weeks_label
from planforge.render.deck import draw, measure
from planforge.render.deck.draw import Ink
from planforge.render.deck.measure import Para, TextStyle
from planforge.render.deck.slides.base import Deck, Page, builder, continued_pages
from planforge.render.deck.slides.fitting import fit_lines, shorten_label
from planforge.render.deck.storyline import Roadmap, RoadmapBlock, Slide
from planforge.render.deck.theme import Box, Theme
from planforge.text import plain

ROW_MIN = 30.0
"""The shortest row (points on a 540 pt slide): more blocks than fit at this height continue on the next slide."""
ROW_MAX = 80.0
"""The tallest row: a roadmap of few blocks grows its rows up to this so the chart uses the body."""
PHASE_HEIGHT = 50.0
SCALE_HEIGHT = 18.0
HEADER = PHASE_HEIGHT + 6 + SCALE_HEIGHT + 4
"""Phases, the gap under them, the week scale and the gap above the rows."""


@dataclass(frozen=True)
class Label:
    """One line of text placed on the chart: its box, text (maybe shortened), size and alignment."""

    box: Box
    text: str
    size: float
    align: str = "center"
    bold: bool = True


@dataclass(frozen=True)
class Phase:
    """A phase chevron: its shape's box, the depth of its point, and its label (None when none fits)."""

    box: Box
    point: float
    paras: tuple[Para, ...]
    label_box: Box
    size: float


@dataclass(frozen=True)
class Row:
    """One block of weeks: its band, its name in the label column, its bar, the bar's label and its phase."""

    band: Box
    name: Label
    bar: Box
    weeks: Label | None
    """The bar's label (its weeks): inside the bar, beside it, shortened, or None when not even that fits."""
    phase: int


@dataclass(frozen=True)
class Chart:
    """Everything one roadmap slide draws, as boxes in points."""

    phases: tuple[Phase, ...]
    headers: tuple[Label, Label]
    weeks: tuple[tuple[int, Label], ...]
    """The week scale: (week number, its label)."""
    rows: tuple[Row, ...]
    lines: tuple[tuple[float, float, float], ...]
    """Dashed phase boundaries as (x, top, bottom): cut wherever a bar or a label lies on them."""
    first: int
    """How many blocks slides before this one show."""


@dataclass(frozen=True)
class _Axis:
    """Where days and weeks fall on the roadmap's time axis."""

    left: float
    span: float
    axis_days: float
    week_days: float

    def x(self, day: float) -> float:
        return self.left + self.span * day / self.axis_days

    @property
    def right(self) -> float:
        return self.left + self.span

    @property
    def weeks(self) -> int:
        return round(self.axis_days / self.week_days)


def _axis(content: Roadmap, left: float, span: float) -> _Axis:
    total_days = max(p.end_day for p in content.phases)
    total_weeks = max((b.last_week for b in content.blocks), default=1)
    # When the weeks cover the phases' days (12 weeks ≈ 90 days), both share the axis end to end.
    week_days = total_days / total_weeks if abs(total_weeks * 7 - total_days) <= 7 else 7.0
    return _Axis(left, span, max(total_days, total_weeks * week_days), week_days)


@builder("roadmap")
def build_roadmap(deck: Deck, slide: Slide) -> list[Page]:
    """A Gantt chart in native shapes: phases as chevrons over a week scale, one bar per block of weeks.

    More blocks than fit at a readable row height continue on the next slide under the same phases and scale.
    """
    charts = chart_pages(deck.theme, slide.content)
    return continued_pages(slide, [
        (partial(_draw, deck, chart=chart, content=slide.content),
         next((block.loc for block in slide.content.blocks[chart.first:chart.first + len(chart.rows)]), None))
        for chart in charts])


def chart_pages(theme: Theme, content: Roadmap) -> list[Chart]:
    """Lay the roadmap out on as many slides as its blocks need, rows of one height and type of one size on all."""
    unit, box = theme.unit, theme.place.body
    room = box.h - HEADER * unit
    per_slide = max(1, int(room // (ROW_MIN * unit)))
    count = len(content.blocks)
    pages = max(1, -(-count // per_slide))
    per_page = max(1, -(-count // pages))  # spread evenly: 17 blocks are 9 + 8, not 10 + 7
    row_height = min(ROW_MAX * unit, room / max(per_page, 1))
    label_width = box.w * 0.24
    axis = _axis(content, box.x + label_width + 12 * unit, box.w - label_width - 12 * unit)
    name_box = Box(box.x + 6 * unit, 0, label_width - 12 * unit, row_height - 6 * unit)
    name_size = _name_size(theme, [b.label for b in content.blocks], name_box, row_height)
    weeks_size = max(10 * unit, name_size - 2 * unit)
    long_names = _long_week_names(theme, axis)
    phases = tuple(_phases(theme, content, axis))
    headers = (_header(theme, _("Phase"), Box(box.x, box.y, label_width, PHASE_HEIGHT * unit)),
               _header(theme, _("Block of weeks"),
                       Box(box.x, box.y + (PHASE_HEIGHT + 6) * unit, label_width, SCALE_HEIGHT * unit)))
    weeks = tuple(_week_scale(theme, axis))
    charts = []
    for first in range(0, max(count, 1), per_page):
        blocks = content.blocks[first:first + per_page]
        rows = tuple(_row(theme, content, axis, block, box.y + HEADER * unit + index * row_height, row_height,
                          name_box, name_size, weeks_size, long_names) for index, block in enumerate(blocks))
        charts.append(Chart(phases, headers, weeks, rows, tuple(_lines(theme, content, axis, rows)), first))
    return charts


def _name_size(theme: Theme, names: list[str], box: Box, row_height: float) -> float:
    """One size for every block's name: the largest (growing with the row) at which all fit their box."""
    unit = theme.unit
    largest = min(theme.sizes.label, max(10 * unit, row_height * 0.24))
    for size in measure.sizes_between(largest, 10 * unit, 0.5):
        lines = int(box.h // measure.line_height(size))
        if lines and all(len(measure.wrap(name, size, box.w, bold=True)) <= lines for name in names):
            return size
    return 10 * unit


def _header(theme: Theme, text: str, box: Box) -> Label:
    """A bold heading of the label column, shortened by measure if a translation is too long for it."""
    size = 12 * theme.unit
    room = usable = box.w * measure.WIDTH_SAFETY
    short = shorten_label(text, size, room)
    while measure.text_width(short, size, bold=True) > usable and room > 0:
        room -= size / 2  # shorten_label measures regular text; the heading is bold
        short = shorten_label(text, size, room)
    return Label(box, short, size, "left")


def _phases(theme: Theme, content: Roadmap, axis: _Axis) -> list[Phase]:
    """The chevrons, their labels in one size: name and theme, else the name, else its days, else nothing."""
    unit, top = theme.unit, theme.place.body.y
    height = PHASE_HEIGHT * unit
    last = len(content.phases) - 1
    shapes = []
    for index, phase in enumerate(content.phases):
        x0, x1 = axis.x(phase.start_day - 1), axis.x(phase.end_day)
        point = min(12 * unit, (x1 - x0) / 3)
        shape = Box(x0, top, x1 - x0 + (point if index < last else 0), height)
        # Clear of the notch the phase before points into; the last one's own point lies inside its box, and
        # half of it is enough there: the text's box ends 4 pt above and below, where the point's edges have
        # come in by most of its depth.
        inner = Box(x0 + (point if index else 0) + 6 * unit, top + 4 * unit,
                    max(0.0, x1 - x0 - (point if index else 0) - (point / 2 if index == last else 0) - 12 * unit),
                    height - 8 * unit)
        shapes.append((phase, shape, point, inner))
    sizes = measure.sizes_between(12 * unit, 10 * unit, 0.5)
    # The largest size at which every phase shows as much as it can at the smallest.
    most = [_level(_phase_label(phase, inner, sizes[-1]), phase) for phase, _shape, _point, inner in shapes]
    size = next(size for size in sizes if all(_level(_phase_label(phase, inner, size), phase) >= level
                                              for (phase, _shape, _point, inner), level in zip(shapes, most)))
    return [Phase(shape, point, _phase_label(phase, inner, size), inner, size)
            for phase, shape, point, inner in shapes]


def _level(paras: tuple[Para, ...], phase) -> int:
    """How much of a phase a label shows: 3 name and theme, 2 the name, 1 its days, 0 nothing."""
    if not paras:
        return 0
    return 3 if len(paras) == 2 else 2 if paras[0].text == phase.name else 1


def _phase_label(phase, inner: Box, size: float) -> tuple[Para, ...]:
    """What of a phase fits its chevron at `size`: name (on one line, so "Days 151–180" never breaks) and theme,
    else the name, else its days ("121–150"), else nothing."""
    if inner.w <= 0 or measure.line_height(size) > inner.h:
        return ()
    style = TextStyle(size)
    name = Para(phase.name, bold=True)
    if measure.para_lines(name, style, inner.w) == 1:
        if phase.theme and measure.block_height([name, Para(phase.theme)], style, inner.w) <= inner.h:
            return name, Para(phase.theme)
        return (name,)
    # Its days say more than a name cut short ("Days…"), in any language; else the alt text says it all.
    days = Para(f"{phase.start_day}–{phase.end_day}", bold=True)
    return (days,) if measure.para_lines(days, style, inner.w) == 1 else ()


def _long_week_names(theme: Theme, axis: _Axis) -> bool:
    """Whether every week's label fits its week in full ("Week 12"); else the scale and the bars say "W12"."""
    week_width = axis.span * axis.week_days / axis.axis_days
    return measure.text_width(weeks_label(axis.weeks, axis.weeks), 10 * theme.unit) <= \
        (week_width - 4 * theme.unit) * measure.WIDTH_SAFETY


def _week_scale(theme: Theme, axis: _Axis):
    """The week labels over the rows: "Week 5" when every one fits its week, else "W5" every n-th week."""
    unit, size = theme.unit, 10 * theme.unit
    total = axis.weeks
    top = theme.place.body.y + (PHASE_HEIGHT + 6) * unit
    week_width = axis.span * axis.week_days / axis.axis_days
    long_names = _long_week_names(theme, axis)
    short = _("W{number}")
    # With many weeks, label every second, fourth... week so the labels never touch.
    widest = measure.text_width(short.format(number=total), size) + 4 * unit
    every = 1 if long_names else max(1, -(-int(widest) // int(max(week_width, 1))))
    for week in range(1, total + 1, every):
        x0 = axis.x((week - 1) * axis.week_days)
        text = weeks_label(week, week) if long_names else short.format(number=week)
        width = min(week_width * every, axis.right - x0)
        if measure.text_width(text, size) <= width * measure.WIDTH_SAFETY:
            yield week, Label(Box(x0, top, width, SCALE_HEIGHT * unit), text, size,
                              "left" if every > 1 else "center", bold=False)


def _row(theme: Theme, content: Roadmap, axis: _Axis, block: RoadmapBlock, y: float, height: float, name_box: Box,
         name_size: float, weeks_size: float, long_names: bool) -> Row:
    unit, box = theme.unit, theme.place.body
    name_box = Box(name_box.x, y + 3 * unit, name_box.w, name_box.h)
    lines = max(1, int(name_box.h // measure.line_height(name_size)))
    _size, name = fit_lines(block.label, name_box.w, name_size, name_size, lines, bold=True, height=name_box.h)
    x0 = axis.x((block.first_week - 1) * axis.week_days)
    x1 = axis.x(block.last_week * axis.week_days)
    bar_height = min(height * 0.56, 36 * unit)
    bar = Box(x0 + 2 * unit, y + (height - bar_height) / 2, max(x1 - x0 - 4 * unit, 2 * unit), bar_height)
    weeks = _bar_label(block, bar, Box(axis.left, y, axis.right - axis.left, height), weeks_size, unit, long_names)
    return Row(Box(box.x, y, box.w, height), Label(name_box, name, name_size, "left"), bar, weeks,
               block_phase(block, content.phases))


def _bar_label(block: RoadmapBlock, bar: Box, lane: Box, size: float, unit: float, long_names: bool) -> Label | None:
    """The bar's label, its weeks worded as the scale words them ("Weeks 5–6" or "W5–6"): inside the bar when it
    fits there, else beside it on the right, else on the left, else cut to the wider side (None: not even that)."""
    if not block.detail:
        return None
    height = measure.line_height(size)
    top = bar.y + (bar.h - height) / 2
    pad, gap = 4 * unit, 4 * unit
    right = Box(bar.right + gap, top, lane.right - bar.right - gap, height)
    left = Box(lane.x, top, bar.x - gap - lane.x, height)
    # The short form's number stands for the range, so a translation that wraps it ("第{number}週") wraps the range.
    span = block.first_week if block.first_week == block.last_week else f"{block.first_week}–{block.last_week}"
    text = block.detail if long_names else _("W{number}").format(number=span)

    def width(text: str) -> float:
        return measure.text_width(text, size, bold=True) / measure.WIDTH_SAFETY

    if height <= bar.h and width(text) <= bar.w - 2 * pad:
        return Label(bar, text, size, "center")
    if width(text) <= right.w:
        return Label(Box(right.x, top, width(text), height), text, size, "left")
    if width(text) <= left.w:
        return Label(Box(left.right - width(text), top, width(text), height), text, size, "right")
    room = max(right, left, key=lambda b: b.w)
    short = shorten_label(text, size, room.w * measure.WIDTH_SAFETY)
    if room.w <= 0 or len(short) < 3 or width(short) > room.w:
        return None  # the bar's alt text still says its weeks
    x = room.x if room is right else room.right - width(short)
    return Label(Box(x, top, width(short), height), short, size, "left" if room is right else "right")


def _lines(theme: Theme, content: Roadmap, axis: _Axis, rows: tuple[Row, ...]):
    """Each phase boundary from the top of the rows to their bottom, left out where a bar or a label lies on it
    (with a little air around a label; a bar only needs to be clear of the line's own width)."""
    if not rows:
        return
    unit = theme.unit
    gap = 3 * unit
    top, bottom = rows[0].band.y, rows[-1].band.bottom
    obstacles = [(row.bar, unit) for row in rows] + [(row.weeks.box, gap) for row in rows
                                                    if row.weeks is not None and row.weeks.box != row.bar]
    for phase in content.phases[:-1]:
        x = axis.x(phase.end_day)
        if x >= axis.right - 0.5:
            continue
        cuts = sorted((b.y - gap, b.bottom + gap) for b, pad in obstacles if b.x - pad <= x <= b.right + pad)
        y = top
        for cut_top, cut_bottom in cuts:
            if cut_top > y + gap:
                yield x, y, cut_top
            y = max(y, cut_bottom)
        if bottom > y + gap:
            yield x, y, bottom


_SHAPES = (MSO_SHAPE.PENTAGON, MSO_SHAPE.CHEVRON)


def _draw(deck: Deck, target, chart: Chart, content: Roadmap) -> None:
    """Draw one laid-out roadmap slide: phases, week scale, striped rows, phase boundaries, bars and labels."""
    theme = deck.theme
    palette, unit = theme.palette, theme.unit
    colours = [palette.navy, palette.accent, palette.grey_dark]
    on_colours = [palette.on_navy, palette.on_accent, palette.on_grey]
    count = len(chart.phases)
    for index, (phase, source) in enumerate(zip(chart.phases, content.phases)):
        bar = draw.rectangle(target, phase.box, colours[index % len(colours)], shape=_SHAPES[index > 0],
                             name=f"Phase {index + 1}", alt=_phase_alt(source, index, count))
        bar.adjustments[0] = phase.point / phase.box.h
        if phase.paras:
            draw.text_box(target, phase.label_box, phase.paras, TextStyle(phase.size),
                          Ink(theme.font, on_colours[index % len(colours)]), anchor="middle",
                          name=f"Phase {index + 1} label")
    for header, name in zip(chart.headers, ("Heading of the phases", "Heading of the blocks")):
        _text(target, theme, header, palette.navy, name=name)
    for week, label in chart.weeks:
        _text(target, theme, label, palette.grey_dark, name=f"Week {week}")
    for index, row in enumerate(chart.rows):
        if index % 2 == 0:  # decorative: alternate rows striped
            draw.rectangle(target, row.band, palette.grey_pale, name=f"Row {index + 1}")
    # Phase boundaries go under the bars, and stop short of every bar and label they would cross.
    for x, top, bottom in chart.lines:
        draw.line(target, x, top, x, bottom, palette.grey_rule, 0.75 * unit, dash="dash")
    for index, (row, block) in enumerate(zip(chart.rows, content.blocks[chart.first:]), start=chart.first + 1):
        _text(target, theme, row.name, palette.navy, name=f"Name of block {index}", wrap=True)
        bar = draw.rectangle(target, row.bar, colours[row.phase % len(colours)], shape=MSO_SHAPE.ROUNDED_RECTANGLE,
                             name=f"Block {index}", alt=_block_alt(block, content.phases[row.phase]))
        bar.adjustments[0] = 0.15
        if row.weeks is not None:
            inside = row.weeks.box == row.bar
            _text(target, theme, row.weeks, on_colours[row.phase % len(colours)] if inside else palette.navy,
                  name=f"Weeks of block {index}")


def _text(target, theme: Theme, label: Label, colour: str, name: str | None = None, wrap: bool = False) -> None:
    draw.text_box(target, label.box, [Para(label.text, bold=label.bold)], TextStyle(label.size),
                  Ink(theme.font, colour, align=label.align), anchor="middle", name=name, wrap=wrap)


def _phase_alt(phase, index: int, count: int) -> str:
    """What a phase chevron says to someone who cannot see it: which phase, its name and theme, its days."""
    name = plain(phase.name)
    days = ("" if f"{phase.start_day}–{phase.end_day}" in name
            else _("(days {first}–{last})").format(first=phase.start_day, last=phase.end_day))
    title = _("Roadmap phase {number} of {count}: {name}").format(number=index + 1, count=count, name=name)
    return join_phrase(title + (f", {plain(phase.theme)}" if phase.theme else ""), days)


def _block_alt(block, phase) -> str:
    """What a block's bar says: its weeks, its label and the phase it falls in (the bar's colour shows that too)."""
    weeks = block.detail or weeks_label(block.first_week, block.last_week)
    return _("Roadmap: {weeks} {label}, {phase}").format(weeks=weeks, label=plain(block.label), phase=plain(phase.name))


def block_phase(block, phases) -> int:
    """The phase most of a block's days fall in (week n is days 7n-6 to 7n), the last phase for days past all."""
    first_day, last_day = (block.first_week - 1) * 7 + 1, block.last_week * 7
    overlaps = [max(0, min(last_day, p.end_day) - max(first_day, p.start_day) + 1) for p in phases]
    if max(overlaps) == 0:
        return len(phases) - 1 if first_day > max(p.end_day for p in phases) else 0
    return overlaps.index(max(overlaps))
