"""Pages, the builder registry and the chrome every content slide shares (title, tracker, footer)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

from planforge.errors import PlanforgeWarning
from planforge.i18n import N_, _
from planforge.render.deck import colours, draw, measure
from planforge.render.deck.keepout import overlaps
from planforge.render.deck.draw import Ink
from planforge.render.deck.measure import Para, TextStyle
from planforge.render.deck.storyline import (
    Item,
    Slide,
    Storyline,
)
from planforge.render.deck.template import Base
from planforge.render.deck.slides.fitting import set_title, shorten_label
from planforge.render.deck.slides.placeholders import (
    add_placeholder, keep_only_title, number_shapes_quickly, send_to_back, slide_number_field,
)
from planforge.render.deck.theme import Box
from planforge.text import plain

CONTINUED = N_(" (cont.)")
"""Ends the title of a slide that continues the one before, in English (`continued_suffix()` in the plan's)."""


MIN_SECTION_SLIDES = 3
"""A section opens with its divider only when it takes at least this many slides (unless the plan words the divider)."""


def continued_suffix() -> str:
    """What ends the title of a continued slide, in the current language (" (cont.)", " (suite)")."""
    return _(CONTINUED)



@dataclass
class Page:
    """One slide of the deck, laid out but not drawn: its title, what it continues, and how to draw its body."""

    slide: Slide
    """The storyline slide it shows (all or part of)."""
    title: str
    """The action title as the slide shows it, with " (cont.)" on a continuation."""
    draw: Callable[[Any], None]
    """Draws the body onto the slide `Deck.add` made for this page."""
    continuation: bool = False
    """The page continues content that did not fit the slide before it."""
    first: tuple | None = None
    """Where the plan writes the first thing the page shows (a model location), when known."""
    role: str = "content"
    chrome: bool = True


def continued_pages(slide: Slide, bodies: Sequence[tuple[Callable[[Any], None], tuple | None]]) -> list[Page]:
    """Pages for one storyline slide whose content took several: (draw, first location) each, the rest continued."""
    return [Page(slide, slide.title + (continued_suffix() if number else ""), body, number > 0, first)
            for number, (body, first) in enumerate(bodies)]


def first_location(items: Sequence[Item]) -> tuple | None:
    """Where the plan writes the first of these items that came from it."""
    return next((para.loc for item in items for para in item if para.loc is not None), None)


Builder = Callable[["Deck", Slide], list[Page]]
BUILDERS: dict[str, Builder] = {}
"""Slide kind → the function that lays it out on one or more pages (drawing comes after, page by page)."""


def builder(kind: str) -> Callable[[Builder], Builder]:
    """Register a function as the builder of a slide kind."""
    def register(function: Builder) -> Builder:
        BUILDERS[kind] = function
        return function
    return register


class Deck:
    """A presentation being built: adds slides with the shared chrome and counts them."""

    def __init__(self, base: Base, story: Storyline, ghost: bool = False):
        self.base = base
        self.presentation = base.presentation
        self.theme = base.theme
        self.story = story
        self.ghost = ghost
        self.count = 0
        self._trackers: dict[tuple, tuple[float, float, list[tuple[int, str, float, float]]]] = {}

    def build(self) -> None:
        """Lay out and draw every slide of the storyline in order."""
        for page in self.pages():
            target = self.add(page)
            page.draw(target)
            draw.link_runs(target)

    def pages(self) -> list[Page]:
        """Lay out every slide of the storyline without drawing: the pages `build` draws, in order.

        A divider the plan does not word is left out when its section takes fewer than three slides: a divider
        before one or two slides only interrupts (the tracker still names the section)."""
        laid_out = [self.lay_out(slide) for slide in self.story.slides]
        pages = []
        for index, (slide, slide_pages) in enumerate(zip(self.story.slides, laid_out)):
            if slide.kind == "divider" and slide.content.optional:
                following = 0
                for later, later_pages in zip(self.story.slides[index + 1:], laid_out[index + 1:]):
                    if later.section != slide.section or later.kind == "divider":
                        break
                    following += len(later_pages)
                if following < MIN_SECTION_SLIDES:
                    continue
            pages.extend(slide_pages)
        return pages

    def lay_out(self, slide: Slide) -> list[Page]:
        """The pages one storyline slide takes."""
        kind = slide.kind if not self.ghost or slide.kind in ("cover", "divider") else "ghost"
        return BUILDERS[kind](self, slide)

    def add(self, page: Page):
        """Add a slide for the page with its title, tracker, kicker, source line, page number and notes."""
        slide, role = page.slide, page.role
        target = self.presentation.slides.add_slide(self.base.layout(role))
        if role == "content" or not self.base.layouts.get(role):
            keep_only_title(target)
            number_shapes_quickly(target)
        self.count += 1
        if slide.notes:
            target.notes_slide.notes_text_frame.text = draw.xml_safe(plain(slide.notes))
        if not page.chrome:
            return target
        place = self.theme.place
        company = self.base.company and self.base.layouts.get("content") is not None
        if company and self.base.chrome.panel:
            self._panels(target)
        if company:
            # The master's title style stays: planforge writes only the size that fits (and a colour when the
            # master's is not legible on this background). Every content title is fitted in the same range, and a
            # long one takes the lines its placeholder holds before it goes smaller or is shortened.
            set_title(target, page.title, place.title, self.theme, self.theme.title_color, self.theme.sizes.title,
                      self.theme.sizes.title_min, None, bold=self.theme.title_bold, anchor=None, inherit=True)
        else:
            set_title(target, page.title, place.title, self.theme, self.theme.palette.navy,
                      self.theme.sizes.title, self.theme.sizes.title_min, 2)
        if place.title_rule_y is not None:
            draw.line(target, place.title.x, place.title_rule_y, place.title.right, place.title_rule_y,
                      self.theme.palette.grey_rule, 0.75)
        tracker_left = self._tracker(target, slide.section)
        if slide.kicker:
            self._kicker(target, slide.kicker, tracker_left)
        if slide.source:
            self._source(target, slide.source)
        self._page_number(target)
        return target

    def _room_on(self, target, layout, box: Box, inks: Sequence[str], size: float) -> bool:
        """Whether chrome drawn at `box` on a slide of another company layout (a divider) is clear of that layout's
        graphics and of the slide's placeholders, and legible on what that layout shows there."""
        chrome = self.base.chrome
        if chrome is None:
            return True
        taken = chrome.obstacles.get(id(layout), []) + [
            Box(ph.left / 12700, ph.top / 12700, ph.width / 12700, ph.height / 12700) for ph in target.placeholders
            if ph.width is not None and ph.has_text_frame and ph.text_frame.text.strip()]
        if any(overlaps(box, other) for other in taken):
            return False
        return chrome.looks is None or all(chrome.looks.colour(layout, box, ink, size, False) is None for ink in inks)

    def _panels(self, target) -> None:
        """Plain fills behind the body, tracker and footer, where the master's picture is too busy to read on: one
        behind the tracker, one behind body and footer together when nothing but free space lies between them."""
        place, fill, pad = self.theme.place, self.base.chrome.panel, 6 * self.theme.unit
        lower = [place.body, place.source, place.page_number]
        union = Box(min(b.x for b in lower), min(b.y for b in lower), 0, 0)
        union = Box(union.x, union.y, max(b.right for b in lower) - union.x, max(b.bottom for b in lower) - union.y)
        clear = not any(overlaps(union.inset(-pad, -pad / 2), other)
                        for other in (*self.base.chrome.obstacles.get(id(self.base.layouts["content"]), []),
                                      place.title, place.tracker))
        boxes = [("tracker", place.tracker)] + ([("body", union)] if clear else
                                                [("body", place.body), ("source", place.source),
                                                 ("page number", place.page_number)])
        if self.base.chrome.title_panel:
            boxes.append(("title", place.title))
        for name, box in boxes:
            send_to_back(target, draw.rectangle(target, box.inset(-pad, -pad / 2), fill, name=f"Panel ({name})"))

    def _tracker(self, target, current: int | None, layout=None, left: float | None = None) -> float:
        """Draw the section labels top-right, the current one highlighted; return where they start.

        On another company layout than the content one (`layout`), nothing is drawn where its graphics are. `left`
        is the leftmost x the row may take (on the built-in divider, right of its dark band and section label).
        """
        theme, box = self.theme, self.theme.place.tracker
        if current is None:
            return box.right
        if left is not None and box.x < left:
            box = Box(left, box.y, max(box.right - left, 0.0), box.h)
        if layout is not None and not self._room_on(target, layout, box, (theme.palette.grey_mid, theme.palette.navy),
                                                     theme.sizes.tracker):
            return self.theme.place.tracker.right
        if (current, left) not in self._trackers:
            self._trackers[current, left] = self._tracker_layout(current, left)
        start, line_h, labels = self._trackers[current, left]
        for index, label, x, width in labels:
            is_current = index == current
            ink = Ink(theme.font, theme.palette.navy if is_current else theme.palette.grey_mid)
            draw.text_box(target, Box(x, box.y, width + 2, line_h), [Para(label, bold=is_current)],
                          TextStyle(theme.sizes.tracker), ink, name=f"Tracker {index + 1}", wrap=False)
            if is_current:
                draw.rectangle(target, Box(x, box.y + line_h + 1.5, width, 2), theme.palette.accent)
        return start

    def _tracker_layout(self, current: int, left: float | None = None
                        ) -> tuple[float, float, list[tuple[int, str, float, float]]]:
        """Where the tracker of a slide in section `current` starts, its line height, and each label's section
        number, text, x and width: the same on every slide of the section, so worked out once."""
        theme, box = self.theme, self.theme.place.tracker
        size = theme.sizes.tracker
        gap = 14.0 * theme.unit
        labels = list(self.story.sections)
        indexes = list(range(len(labels)))
        widths = [measure.text_width(label, size, bold=i == current) for i, label in enumerate(labels)]
        if sum(widths) + gap * (len(labels) - 1) > box.w and self.base.chrome is None:
            # On the built-in design the row is free to the title's left edge: names take it before the kicker.
            box = Box(theme.place.title.x, box.y, box.right - theme.place.title.x, box.h)
        if left is not None and box.x < left:
            box = Box(left, box.y, max(box.right - left, 0.0), box.h)
        if box.w < widths[current]:
            return box.right, measure.line_height(size), []  # not even the current name fits: no tracker
        if sum(widths) + gap * (len(labels) - 1) > box.w:
            # Too many sections to name them in full: the current one in full, the others shortened to what fits.
            gap = min(gap, 10.0 * theme.unit)
            budget = (box.w - widths[current] - gap * (len(labels) - 1)) / max(len(labels) - 1, 1)
            shortened = [label if i == current else shorten_label(label, size, budget) for i, label in enumerate(labels)]
            if len(set(shortened)) == len(shortened) and all(len(label) > 3 for label in shortened):
                labels = shortened
            else:
                # Shortened that far the names no longer tell sections apart: the current one and its neighbours.
                shown = [i for i in (current - 1, current, current + 1) if 0 <= i < len(labels)]
                budget = (box.w - widths[current] - gap * (len(shown) - 1)) / max(len(shown) - 1, 1)
                indexes = shown
                labels = [labels[i] if i == current else shorten_label(labels[i], size, budget) for i in shown]
            widths = [measure.text_width(label, size, bold=i == current) for i, label in zip(indexes, labels)]
        x = start = box.right - sum(widths) - gap * (len(labels) - 1)
        placed = []
        for index, label, width in zip(indexes, labels, widths):
            placed.append((index, label, x, width))
            x += width + gap
        return start, measure.line_height(size), placed

    def _kicker(self, target, text: str, tracker_left: float) -> None:
        theme, place = self.theme, self.theme.place
        size = theme.sizes.tracker
        width = tracker_left - place.title.x - 24
        style = TextStyle(size)
        para = Para(text, bold=True)
        if width < 4 * size or measure.para_lines(para, style, width) > 1:
            return  # the tracker takes the row
        # The accent is chosen for graphics (3:1); small text in it needs 4.5:1, else the heading colour.
        legible = all(colours.legible(theme.palette.accent, behind, size / theme.unit, True) for behind in self._behind())
        colour = theme.palette.accent if legible else theme.palette.navy
        draw.text_box(target, Box(place.title.x, place.tracker.y, width, measure.line_height(size)), [para], style,
                      Ink(theme.font, colour), name="Kicker")

    def _behind(self) -> tuple[str, ...]:
        """The colours under the tracker row of content slides."""
        chrome = self.base.chrome
        if chrome is None:
            return (self.theme.palette.white,)
        return (chrome.panel,) if chrome.panel else (chrome.behind or (self.theme.palette.white,))

    def _source(self, target, text: str, box: Box | None = None, layout=None, divider: bool = False) -> None:
        """The source line in the footer (at `box` if given). On a divider it is a plain text box, and on a
        company layout of its own (`layout`) only where that layout leaves room and it is legible."""
        theme = self.theme
        box = box or theme.place.source
        para = Para(text)
        for size in measure.sizes_between(theme.sizes.footer, theme.sizes.footer_min, 0.5):
            if measure.block_height([para], TextStyle(size), box.w) <= box.h:
                break
        else:
            warnings.warn(f"source line too long for the footer: {text[:60]}…", PlanforgeWarning, stacklevel=2)
        if layout is not None and not self._room_on(target, layout, box, (theme.palette.grey_dark,), size):
            warnings.warn(f"no room for the source line on the divider's layout, left out: {text[:60]}",
                          PlanforgeWarning, stacklevel=2)
            return
        footer = self.base.chrome.footer if self.base.chrome and not divider else None
        ink = Ink(theme.font, theme.palette.grey_dark)
        if footer is not None:
            draw.fill_frame(add_placeholder(target, footer, box, "Source").text_frame, [para], TextStyle(size),
                            replace(ink, align=None), anchor="bottom")
            return
        draw.text_box(target, box, [para], TextStyle(size), ink, anchor="bottom", name="Source")

    def _page_number(self, target, layout=None) -> None:
        theme = self.theme
        box = theme.place.page_number
        number = self.base.chrome.number if self.base.chrome else None
        if layout is not None and not self._room_on(target, layout, box, (theme.palette.grey_mid,),
                                                     theme.sizes.page_number):
            return  # this layout's own graphics or text are where the number would go, or it would not be legible
        ink = Ink(theme.font, theme.palette.grey_mid, align="right")
        if number is not None and layout is None:
            shape = add_placeholder(target, number, box, "Page number")
            draw.fill_frame(shape.text_frame, [Para(str(self.count))], TextStyle(theme.sizes.page_number),
                            replace(ink, align=None), anchor="bottom")
            slide_number_field(shape)
            return
        draw.text_box(target, box, [Para(str(self.count))], TextStyle(theme.sizes.page_number), ink,
                      anchor="bottom", name="Page number")
