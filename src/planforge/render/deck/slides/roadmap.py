"""The Gantt roadmap in native shapes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from pptx.enum.shapes import MSO_SHAPE

from planforge.i18n import _
from planforge.i18n.formatting import weeks_label
from planforge.render.deck import draw, measure
from planforge.render.deck.draw import Ink
from planforge.render.deck.measure import Para, TextStyle
from planforge.render.deck.slides.base import (
    Deck,
    Page,
    builder,
    continued_pages,
)
from planforge.render.deck.slides.fitting import fit_lines, fit_paras
from planforge.render.deck.storyline import Roadmap, Slide
from planforge.render.deck.theme import Box
from planforge.text import plain

_ROW_MIN = 30.0
_ROW_MAX = 52.0


@builder("roadmap")
def build_roadmap(deck: Deck, slide: Slide) -> list[Page]:
    """A Gantt chart in native shapes: phases as chevrons over a week scale, one bar per block of weeks.

    More blocks than fit at a readable row height continue on the next slide under the same phases and scale.
    """
    content: Roadmap = slide.content
    box = deck.theme.place.body
    header = 50.0 + 6 + 18 + 4
    per_slide = max(1, int((box.h - header) // _ROW_MIN))
    chunks = [content.blocks[i:i + per_slide] for i in range(0, len(content.blocks), per_slide)] or [()]
    return continued_pages(slide, [
        (partial(_draw_roadmap, deck, content=content, blocks=blocks, first=number * per_slide),
         next((block.loc for block in blocks), None))
        for number, blocks in enumerate(chunks)])


@dataclass(frozen=True)
class _Axis:
    """Where days and weeks fall on the roadmap's time axis."""

    left: float
    span: float
    axis_days: float
    week_days: float

    def x(self, day: float) -> float:
        return self.left + self.span * day / self.axis_days


def _axis(content: Roadmap, left: float, span: float) -> _Axis:
    total_days = max(p.end_day for p in content.phases)
    total_weeks = max((b.last_week for b in content.blocks), default=1)
    # When the weeks cover the phases' days (12 weeks ≈ 90 days), both share the axis end to end.
    week_days = total_days / total_weeks if abs(total_weeks * 7 - total_days) <= 7 else 7.0
    return _Axis(left, span, max(total_days, total_weeks * week_days), week_days)


def _draw_roadmap(deck: Deck, target, content: Roadmap, blocks, first: int) -> None:
    """Draw the phases, the week scale and the rows of `blocks` (`first` counts the blocks on slides before)."""
    theme = deck.theme
    palette = theme.palette
    box = theme.place.body
    label_width = box.w * 0.24
    axis = _axis(content, box.x + label_width + 12, box.w - label_width - 12)
    colours = [palette.navy, palette.accent, palette.grey_dark]
    on_colours = [palette.on_navy, palette.on_accent, palette.on_grey]
    phase_height = 50.0
    last = len(content.phases) - 1
    for index, phase in enumerate(content.phases):
        x0, x1 = axis.x(phase.start_day - 1), axis.x(phase.end_day)
        point = min(12.0, (x1 - x0) / 3)
        shape = MSO_SHAPE.PENTAGON if index == 0 else MSO_SHAPE.CHEVRON
        bar = draw.rectangle(target, Box(x0, box.y, x1 - x0 + (point if index < last else 0), phase_height),
                             colours[index % len(colours)], shape=shape, name=f"Phase {index + 1}",
                             alt=_phase_alt(phase, index, len(content.phases)))
        bar.adjustments[0] = point / phase_height
        inner = Box(x0 + (point if index else 0) + 6, box.y + 4, x1 - x0 - point - 12, phase_height - 8)
        paras = _roadmap_label([Para(phase.name, bold=True)] + ([Para(phase.theme)] if phase.theme else []), inner)
        if paras:
            size = fit_paras(paras, inner, 12, 10)
            draw.text_box(target, inner, paras, TextStyle(size), Ink(theme.font, on_colours[index % len(colours)]),
                          anchor="middle",
                          name=f"Phase {index + 1} label")
    draw.text_box(target, Box(box.x, box.y, label_width, phase_height), [Para(_("Phase"), bold=True)], TextStyle(12),
                  Ink(theme.font, palette.navy), anchor="middle")

    scale_y = box.y + phase_height + 6
    scale_height = 18.0
    total_weeks = round(axis.axis_days / axis.week_days)
    week_width = axis.span * axis.week_days / axis.axis_days
    week_size = 10.0
    widest = measure.text_width(weeks_label(total_weeks, total_weeks), week_size)
    long_names = widest <= week_width - 4
    # With many weeks, label every second, fourth... week so the labels never touch.
    short = _("W{number}")
    every = 1 if long_names else max(1, -(-int(measure.text_width(short.format(number=total_weeks), week_size) + 4)
                                          // int(max(week_width, 1))))
    for week in range(1, total_weeks + 1, every):
        x0 = axis.x((week - 1) * axis.week_days)
        text = weeks_label(week, week) if long_names else short.format(number=week)
        draw.text_box(target, Box(x0, scale_y, week_width * every, scale_height), [Para(text)], TextStyle(week_size),
                      Ink(theme.font, palette.grey_dark, align="left" if every > 1 else "center"), anchor="middle",
                      name=f"Week {week}")
    draw.text_box(target, Box(box.x, scale_y, label_width, scale_height), [Para(_("Block of weeks"), bold=True)],
                  TextStyle(12), Ink(theme.font, palette.navy), anchor="middle")

    rows_top = scale_y + scale_height + 4
    row_height = min(_ROW_MAX, (box.bottom - rows_top) / max(len(blocks), 1))
    rows_bottom = rows_top + row_height * len(blocks)
    for index in range(0, len(blocks), 2):
        draw.rectangle(target, Box(box.x, rows_top + index * row_height, box.w, row_height), palette.grey_pale,
                       name=f"Row {index + 1}")  # decorative: alternate rows striped
    # Phase boundaries go under the bars, so a bar crossing one stays whole.
    for phase in content.phases[:-1]:
        x = axis.x(phase.end_day)
        # From below the week labels: a line through "Week 5" would strike the label out.
        draw.line(target, x, rows_top, x, rows_bottom, palette.grey_rule, 0.75, dash="dash")
    for index, block in enumerate(blocks):
        y = rows_top + index * row_height
        label_box = Box(box.x + 6, y + 3, label_width - 12, row_height - 6)
        lines = max(1, int(label_box.h // measure.line_height(10)))
        size, label = fit_lines(block.label, label_box.w, 12, 10, lines, bold=True)
        draw.text_box(target, label_box, [Para(label, bold=True)], TextStyle(size), Ink(theme.font, palette.navy),
                      anchor="middle")
        x0 = axis.x((block.first_week - 1) * axis.week_days)
        x1 = axis.x(block.last_week * axis.week_days)
        phase_index = block_phase(block, content.phases)
        bar_box = Box(x0 + 2, y + row_height * 0.22, max(x1 - x0 - 4, 2), row_height * 0.56)
        bar = draw.rectangle(target, bar_box, colours[phase_index % len(colours)], shape=MSO_SHAPE.ROUNDED_RECTANGLE,
                             name=f"Block {first + index + 1}", alt=_block_alt(block, content.phases[phase_index]))
        bar.adjustments[0] = 0.15
        fits = measure.text_width(block.detail or "", 10, bold=True) <= (bar_box.w - 8) * measure.WIDTH_SAFETY
        if block.detail and fits and bar_box.h >= measure.line_height(10):
            draw.text_box(target, bar_box, [Para(block.detail, bold=True)], TextStyle(10),
                          Ink(theme.font, on_colours[phase_index % len(colours)], align="center"), anchor="middle")


def _roadmap_label(paras: list[Para], box: Box) -> list[Para]:
    """A phase label that fits its chevron at 10 pt or more: name and theme, else the name, else nothing."""
    for candidate in (paras, paras[:1]):
        if measure.fit_size([(candidate, box.w, box.h)], TextStyle(12), measure.sizes_between(12, 10, 0.5)):
            return candidate
    return []


def _phase_alt(phase, index: int, count: int) -> str:
    """What a phase chevron says to someone who cannot see it: which phase, its name and theme, its days."""
    theme = f", {plain(phase.theme)}" if phase.theme else ""
    name = plain(phase.name)
    days = ("" if f"{phase.start_day}–{phase.end_day}" in name
            else " " + _("(days {first}–{last})").format(first=phase.start_day, last=phase.end_day))
    return _("Roadmap phase {number} of {count}: {name}").format(number=index + 1, count=count,
                                                                 name=name) + theme + days


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
