"""Cover, section dividers, agenda and ghost slides."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import partial

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER

from planforge.errors import PlanforgeWarning
from planforge.render.deck import draw, measure
from planforge.render.deck.draw import Ink
from planforge.render.deck.measure import Para, TextStyle
from planforge.render.deck.slides.base import (
    Deck,
    Page,
    builder,
    continued_pages,
)
from planforge.render.deck.slides.fitting import fit_lines, fit_paras, set_title
from planforge.render.deck.slides.rows import centred
from planforge.render.deck.slides.placeholders import number_shapes_quickly, send_to_back
from planforge.render.deck.storyline import (
    Agenda,
    Cover,
    Divider,
    Slide,
)
from planforge.render.deck.template import TEXT_TYPES, TITLE_TYPES
from planforge.render.deck.theme import Box
from planforge.text import plain


@builder("cover")
def build_cover(deck: Deck, slide: Slide) -> list[Page]:
    """The title slide: the company's title layout when it has one, else the built-in design."""
    body = _company_cover if deck.base.layouts.get("cover") is not None else _builtin_cover
    return [Page(slide, slide.title, partial(body, deck, slide), role="cover", chrome=False)]


def _builtin_cover(deck: Deck, slide: Slide, target) -> None:
    """The document title on the dark colour, and under it subtitle, audience and who/when lines: one stack,
    measured as a whole, whose title ends at the usual height and which moves up when the lines below need room."""
    content: Cover = slide.content
    theme = deck.theme
    palette = theme.palette
    target.background.fill.solid()
    target.background.fill.fore_color.rgb = RGBColor.from_string(palette.navy)
    unit = theme.height / 540
    left = theme.margin * 2
    width = theme.width * 0.72
    paras = content.paras()
    stack = _cover_stack(theme, content.title, paras, width, unit)
    title_top = stack.title_bottom - stack.title_height
    draw.rectangle(target, Box(left, title_top - 22 * unit, 64 * unit, 5 * unit), palette.accent, name="Accent")
    set_title(target, stack.title, Box(left, title_top, stack.title_width, stack.title_height), theme, palette.white,
              stack.title_size, stack.title_size, _COVER_TITLE_LINES, bold=True, anchor="bottom")
    if paras:
        below = Box(left, stack.title_bottom + _COVER_GAP * unit, width, stack.below_height)
        draw.text_box(target, below, paras, TextStyle(stack.below_size, space_before=stack.below_size * 0.4),
                      Ink(theme.font, palette.tint(palette.navy, 0.7)), name="Subtitle")


_COVER_TITLE_LINES = 3
_COVER_GAP = 14
"""Points (at 540 pt slide height) between the title and the lines under it."""


@dataclass(frozen=True)
class _CoverStack:
    title: str
    title_width: float
    title_size: float
    title_height: float
    title_bottom: float
    below_size: float
    below_height: float


def _cover_stack(theme, title: str, paras: list[Para], width: float, unit: float) -> _CoverStack:
    """Sizes and place of the cover's title and lines: the largest title (then lines) for which the whole stack,
    accent bar included, fits between the slide's top and bottom margins."""
    top, bottom = 40 * unit, theme.height - 40 * unit
    overhead = 22 * unit + _COVER_GAP * unit
    smallest_title, smallest_below = theme.sizes.cover_title_min, 12.0
    below_sizes = measure.sizes_between(theme.sizes.cover_subtitle, smallest_below, 0.5)
    with measure.measuring_with(theme.title_measure_family or theme.measure_family):
        fits = [size for size in measure.sizes_between(theme.sizes.cover_title, smallest_title, 0.5)
                if len(measure.wrap(title, size, width, bold=True)) <= _COVER_TITLE_LINES] or [smallest_title]
    chosen = None
    for title_size in fits:
        with measure.measuring_with(theme.title_measure_family or theme.measure_family):
            lines = len(measure.wrap(title, title_size, width, bold=True))
            title_height = min(lines, _COVER_TITLE_LINES) * measure.line_height(title_size)
        room = bottom - top - overhead - title_height
        below_size = next((size for size in below_sizes if _below_height(paras, size, width) <= room), None)
        if below_size is not None:
            chosen = title_size, title_height, below_size
            break
    if chosen is None:
        # Even the smallest sizes overflow: the lines keep the smallest size and the build says so.
        fit_paras(paras, Box(0, 0, width, 0), smallest_below, smallest_below)
        title_size = fits[-1]
        with measure.measuring_with(theme.title_measure_family or theme.measure_family):
            title_height = min(len(measure.wrap(title, title_size, width, bold=True)),
                               _COVER_TITLE_LINES) * measure.line_height(title_size)
        chosen = title_size, title_height, smallest_below
    title_size, title_height, below_size = chosen
    below_height = _below_height(paras, below_size, width)
    # The title ends where the design puts it (322 of 540 pt) unless the lines below would pass the bottom margin.
    title_bottom = min(322 * unit, bottom - below_height - _COVER_GAP * unit)
    title_bottom = max(title_bottom, top + 22 * unit + title_height)
    with measure.measuring_with(theme.title_measure_family or theme.measure_family):
        title_width = balanced_width(title, title_size, width, bold=True)
    return _CoverStack(title, title_width, title_size, title_height, title_bottom, below_size, below_height)


def _below_height(paras: list[Para], size: float, width: float) -> float:
    return measure.block_height(paras, TextStyle(size, space_before=size * 0.4), width) if paras else 0.0


_RANGE_BREAK = re.compile(r"[-‐-―]$")


def balanced_width(text: str, size: float, width: float, bold: bool = False) -> float:
    """The width, at most `width`, at which text sets in as many lines as at `width` but as evenly as it can: no
    lone word on the last line and no break after a dash before a number ("2026–" / "2028") when another width
    gives the same number of lines. A box this wide wraps the text there, so the text itself stays one string."""
    lines = measure.wrap(text, size, width, bold=bold)
    words = text.split()
    if len(lines) < 2 or "\n" in text:
        return width
    narrowest = max(measure.text_width(word, size, bold) for word in words) / measure.WIDTH_SAFETY
    if narrowest >= width:
        return width
    count = len(lines)
    candidates: dict[tuple[str, ...], list[float]] = {}
    steps = 80
    for step in range(steps + 1):
        trial = width - (width - narrowest) * step / steps
        option = tuple(measure.wrap(text, size, trial, bold=bold))
        if len(option) == count:
            candidates.setdefault(option, []).append(trial)

    def penalty(option: tuple[str, ...]) -> tuple[int, float]:
        widths = [measure.text_width(line, size, bold) for line in option]
        bad = sum(1 for line, after in zip(option, option[1:]) if _RANGE_BREAK.search(line) and after[:1].isdigit())
        lone = len(option[-1].split()) == 1 and len(words) > count
        hyphens = sum(line.endswith("-") for line in option) - sum(line.endswith("-") for line in lines)
        return bad * 2 + lone + 2 * max(hyphens, 0), max(widths) - min(widths)

    # The middle of the widths giving these lines: room both ways for the renderer's own rounding.
    trials = candidates[min(candidates, key=penalty)]
    return (max(trials) + min(trials)) / 2 if trials[0] < width else width


def _company_cover(deck: Deck, slide: Slide, target) -> None:
    """The company's title layout: the title and the subtitle placeholder, set in the master's own style."""
    content: Cover = slide.content
    title = target.shapes.title
    unit = deck.theme.unit
    fill_placeholder(deck, target, title, [Para(content.title, bold=True)], deck.theme.sizes.cover_title, 20 * unit)
    paras = content.paras()
    middle = title.top + title.height // 2 if title is not None else 0
    holders = sorted((ph for ph in target.placeholders if ph.placeholder_format.type in TEXT_TYPES
                      and ph.top >= middle), key=lambda ph: (ph.top, ph.left))
    if len(holders) > 1 and content.subtitle and len(paras) > 1:
        # A cover with two text placeholders under its title (subtitle, then author and date): the subtitle in the
        # first, the other lines in the second.
        for other in list(target.placeholders):
            if other.placeholder_format.type not in TITLE_TYPES and other._element not in (holders[0]._element,
                                                                                           holders[1]._element):
                other._element.getparent().remove(other._element)
        fill_placeholder(deck, target, holders[0], paras[:1], deck.theme.sizes.cover_subtitle, 12 * unit)
        fill_placeholder(deck, target, holders[1], paras[1:], deck.theme.sizes.cover_subtitle, 12 * unit)
        return
    fill_or_remove(deck, target, paras, deck.theme.sizes.cover_subtitle, 12 * unit)


def fill_placeholder(deck: Deck, target, shape, paras: list[Para], largest: float, smallest: float) -> None:
    """Set paragraphs into a company placeholder at the largest size that fits its bounds, in its own style: the
    master's size unless it does not fit, the master's colour unless it is not legible on what is behind it."""
    box = Box(shape.left / 12700, shape.top / 12700, shape.width / 12700, shape.height / 12700)
    looks = deck.base.chrome.looks if deck.base.chrome else None
    if deck.base.chrome:
        box = _clear_of(box, deck.base.chrome.obstacles.get(id(target.slide_layout), []), 6 * deck.theme.unit)
        shape.left, shape.top, shape.width, shape.height = (draw.emu(box.x), draw.emu(box.y), draw.emu(box.w),
                                                            draw.emu(box.h))
    kind = shape.placeholder_format.type
    look = looks.look(target.slide_layout, _XML_TYPE.get(kind, "body")) if looks else None
    if look is not None and look.size:
        largest = look.size
        smallest = min(smallest, largest)
    family = looks.family(look.font, deck.theme.measure_family) if look is not None else deck.theme.measure_family
    with measure.measuring_with(family):
        # Lines that do not fit one a paragraph are joined, from the last ones up, before any is cut.
        for tried in _joined(paras):
            # Measured in bold: a master may set its titles bold, and bold is the wider case.
            measured = [Para(p.text, p.level, p.marker, p.number, True, p.italic) for p in tried]
            size = measure.fit_size([(measured, box.w, box.h)], TextStyle(largest),
                                    measure.sizes_between(largest, smallest, 0.5))
            if size is not None:
                paras = tried
                break
        else:
            full = " · ".join(p.text for p in paras)
            size, text = fit_lines(full, box.w, smallest, smallest,
                                   max(1, int(box.h // measure.line_height(smallest))), bold=True)
            paras = [Para(text)]
            if text != full:
                warnings.warn(f"the template's placeholder cannot hold “{plain(full)[:60]}…”: shortened",
                              PlanforgeWarning, stacklevel=2)
    colour = None
    if look is not None and looks is not None:
        colour = looks.colour(target.slide_layout, box, look.colour, size, look.bold)
        panel = looks.panel(target.slide_layout, box, look.colour, size, look.bold)
        if panel is not None:
            # A busy picture behind the placeholder: a plain panel under it, and a colour that reads on that.
            fill, colour = panel
            pad = 6 * deck.theme.unit
            send_to_back(target, draw.rectangle(target, box.inset(-pad, -pad / 2), fill, name="Panel"))
    draw.fill_frame(shape.text_frame, paras, TextStyle(size), Ink(None, colour, align=None), anchor=None,
                        width=box.w)


def _joined(paras: list[Para]) -> list[list[Para]]:
    """The paragraphs as they are, then with their last two, three … joined on one line by " · " (a title slide's
    who/when lines in a one-line subtitle placeholder), down to one paragraph."""
    tries = [paras]
    for keep in range(len(paras) - 2, -1, -1):
        tries.append(paras[:keep] + [Para(" · ".join(p.text for p in paras[keep:]))])
    return tries


def _clear_of(box: Box, obstacles, gap: float) -> Box:
    """The placeholder's box, narrowed clear of the layout's graphics it only partly covers (not those it sits on)."""
    from planforge.render.deck.keepout import grown, largest_free, overlaps

    beside = [grown(o, gap) for o in obstacles if overlaps(grown(o, gap), box) and not (
        o.x <= box.x + 1 and o.y <= box.y + 1 and o.right >= box.right - 1 and o.bottom >= box.bottom - 1)]
    return largest_free(box, beside, min_width=box.w * 0.3) if beside else box


_XML_TYPE = {PP_PLACEHOLDER.TITLE: "title", PP_PLACEHOLDER.CENTER_TITLE: "ctrTitle", PP_PLACEHOLDER.SUBTITLE: "subTitle",
             PP_PLACEHOLDER.BODY: "body", PP_PLACEHOLDER.OBJECT: "obj"}


def fill_or_remove(deck: Deck, target, paras: list[Para], largest: float, smallest: float) -> None:
    """Fill the slide's first text placeholder, or remove it when there is nothing to say."""
    placeholder = next((ph for ph in target.placeholders if ph.placeholder_format.type in TEXT_TYPES), None)
    for other in list(target.placeholders):
        if other.placeholder_format.type not in TITLE_TYPES and (placeholder is None or other._element is not placeholder._element):
            other._element.getparent().remove(other._element)
    if placeholder is None:
        return
    if paras:
        fill_placeholder(deck, target, placeholder, paras, largest, smallest)
    else:
        placeholder._element.getparent().remove(placeholder._element)


@builder("divider")
def build_divider(deck: Deck, slide: Slide) -> list[Page]:
    """A section divider: the company's section layout when it has one, else the built-in design."""
    return [Page(slide, slide.title, partial(_divider, deck, slide), role="divider", chrome=False)]


def _divider(deck: Deck, slide: Slide, target) -> None:
    if deck.base.layouts.get("divider") is not None:
        content: Divider = slide.content
        unit = deck.theme.unit
        fill_placeholder(deck, target, target.shapes.title, [Para(slide.title, bold=True)],
                         deck.theme.sizes.divider_action, 20 * unit)
        fill_or_remove(deck, target, [Para(content.subtitle)] if content.subtitle else [], 18 * unit, 12 * unit)
        number_shapes_quickly(target)
        layout = target.slide_layout
        deck._tracker(target, slide.section, layout)
        if slide.source:
            deck._source(target, slide.source, layout=layout, divider=True)
    else:
        left = _builtin_divider(deck, slide, target)
        # The tracker's grey and navy are for light ground: on a company master it is checked against the layout
        # the slide is on, and kept off the band (and the section label) drawn over it.
        deck._tracker(target, slide.section, target.slide_layout if deck.base.chrome else None, left)
        if slide.source:
            # Like a content slide's, in the footer: right of the band.
            band_right = deck.theme.width * 0.3 + deck.theme.margin
            source = deck.theme.place.source
            box = Box(max(source.x, band_right), source.y, source.right - max(source.x, band_right), source.h)
            deck._source(target, slide.source, box, divider=True)
        layout = None
    deck._page_number(target, layout)


def _builtin_divider(deck: Deck, slide: Slide, target) -> float:
    """Big number on a dark band, section name and an optional line on what the section shows; return the
    leftmost x the tracker may take."""
    content: Divider = slide.content
    theme = deck.theme
    palette = theme.palette
    band = theme.width * 0.3
    middle = theme.height / 2
    draw.rectangle(target, Box(0, 0, band, theme.height), palette.navy, name="Band")
    draw.text_box(target, Box(theme.margin, middle - 60, band - 2 * theme.margin, 100), [Para(content.number, bold=True)],
                  TextStyle(72), Ink(theme.font, palette.on_navy, align="right"), anchor="bottom", name="Number")
    left = band + theme.margin
    width = theme.width - left - theme.margin * 1.5
    tracker_left = left
    if slide.title == content.name:
        set_title(target, content.name, Box(left, middle - 120, width, 112), theme, palette.navy,
                  theme.sizes.divider, theme.sizes.divider_min, None, bold=True, anchor="bottom")
    else:
        # An action title for the section: the section's name becomes a label above it.
        label = Para(content.name, bold=True)
        # As wide as the name (when it fits on the line), so the tracker may share its row.
        fits = measure.text_width(content.name, 16, bold=True) + 2 <= width
        label_box = Box(left, middle - 168, measure.text_width(content.name, 16, bold=True) + 2 if fits else width,
                        measure.line_height(16))
        draw.text_box(target, label_box, [label], TextStyle(16), Ink(theme.font, palette.accent), name="Section",
                      wrap=not fits)
        row = theme.place.tracker
        if label_box.y < row.bottom and row.y < label_box.bottom:
            tracker_left = label_box.right + 24 * theme.unit
        set_title(target, slide.title, Box(left, middle - 144, width, 136), theme, palette.navy,
                  theme.sizes.divider_action, theme.sizes.divider_min, None, bold=True, anchor="bottom")
    draw.rectangle(target, Box(left, middle, 64, 4), palette.accent, name="Accent")
    if content.subtitle:
        para = Para(content.subtitle)
        box = Box(left, middle + 20, width, theme.height - middle - 70)
        size = fit_paras([para], box, 18, 12)
        draw.text_box(target, box, [para], TextStyle(size, space_before=6), Ink(theme.font, palette.grey_dark),
                      name="Subtitle")
    return tracker_left


_AGENDA_PAD = 8.0
_AGENDA_CIRCLE = 34.0


def _agenda_height(entry: tuple[str, str | None], size: float, width: float, unit: float) -> float:
    """The height of one agenda row at `size`: its name and description (at 85 %), or the number circle."""
    name, description = entry
    text = measure.block_height([Para(name, bold=True)], TextStyle(size), width)
    if description:
        text += 3 * unit + measure.block_height([Para(description)], TextStyle(size * 0.85), width)
    return max(text, _circle(size)) + 2 * _pad(size)


def _circle(size: float) -> float:
    """The number circle's diameter beside an agenda name at `size` (34 pt beside 18 pt)."""
    return size * _AGENDA_CIRCLE / 18


def _pad(size: float) -> float:
    return size * _AGENDA_PAD / 18


@builder("agenda")
def build_agenda(deck: Deck, slide: Slide) -> list[Page]:
    """Numbered agenda rows (section name and the message it will make), every row at one size: the largest at
    which all rows fit one slide, else pages of rows at the smallest."""
    content: Agenda = slide.content
    theme, box, unit = deck.theme, deck.theme.place.body, deck.theme.unit
    width = box.w - (_AGENDA_CIRCLE + 16) * unit
    for size in measure.sizes_between(18 * unit, 12 * unit, 0.5):
        heights = [_agenda_height(entry, size, width, unit) for entry in content.entries]
        if sum(heights) <= box.h:
            pages = [list(range(len(heights)))]
            break
    else:
        pages = _balanced(heights, box.h)
    return continued_pages(slide, [
        (partial(_draw_agenda, deck, entries=[content.entries[i] for i in page], heights=[heights[i] for i in page],
                 first=page[0], size=size),
         content.locs[page[0]] if page[0] < len(content.locs) else None)
        for page in pages])


def _balanced(heights: list[float], available: float) -> list[list[int]]:
    """Rows on as few pages as fit them, shared out evenly (13 rows as 7 + 6, not 9 + 4)."""
    greedy = measure.paginate(heights, available)
    count = len(greedy)
    share = -(-len(heights) // count)
    even = [list(range(i, min(i + share, len(heights)))) for i in range(0, len(heights), share)]
    fits = len(even) == count and all(sum(heights[i] for i in page) <= available for page in even)
    return even if fits else greedy


def _draw_agenda(deck: Deck, target, entries, heights: list[float], first: int, size: float) -> None:
    """Draw one page of agenda rows, the spare height shared between them (the whole centred when short)."""
    theme = deck.theme
    palette = theme.palette
    box = theme.place.body
    unit = theme.unit  # distances and type scale with the slide (a 1080 pt master is twice 540)
    extra = min((box.h - sum(heights)) / len(heights), 28.0 * unit)
    pad = extra / 2 + _pad(size)
    y = centred(box, sum(heights) + extra * len(heights), pad, pad).y
    circle = _circle(size)
    # The text starts where it starts beside the largest circle, so rows line up from slide to slide.
    text_x = box.x + (_AGENDA_CIRCLE + 16) * unit
    width = box.right - text_x
    for index, ((name, description), height) in enumerate(zip(entries, heights)):
        top = y + pad
        draw.rectangle(target, Box(box.x, top, circle, circle), palette.accent, shape=MSO_SHAPE.OVAL)
        draw.text_box(target, Box(box.x, top, circle, circle), [Para(str(first + index + 1), bold=True)],
                      TextStyle(max(size * 14 / 18, 10 * unit)), Ink(theme.font, palette.on_accent, align="center"),
                      anchor="middle")
        style = TextStyle(size)
        name_height = measure.block_height([Para(name, bold=True)], style, width)
        draw.text_box(target, Box(text_x, top, width, name_height), [Para(name, bold=True)], style,
                      Ink(theme.font, palette.navy))
        if description:
            below = top + name_height + 3 * unit
            small = TextStyle(size * 0.85)
            draw.text_box(target, Box(text_x, below, width, measure.block_height([Para(description)], small, width)),
                          [Para(description)], small, Ink(theme.font, palette.grey_dark))
        if index:
            draw.line(target, box.x, y, box.right, y, palette.grey_light, 0.75 * unit)
        y += height + extra


@builder("ghost")
def build_ghost(deck: Deck, slide: Slide) -> list[Page]:
    """Storyline review: the slide's chrome and action title, and an empty body."""
    return [Page(slide, slide.title, lambda target: None)]
