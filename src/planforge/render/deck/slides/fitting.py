"""Text set at the largest size that fits its box: titles, labels, paragraphs (shortened with a warning if none)."""

from __future__ import annotations

import warnings
from typing import Sequence

from planforge.errors import PlanforgeWarning
from planforge.i18n import _
from planforge.render.deck import draw, linebreak, measure
from planforge.render.deck.draw import Ink
from planforge.render.deck.measure import Para, TextStyle
from planforge.render.deck.slides.placeholders import title_placeholder
from planforge.render.deck.theme import Box, Theme
from planforge.text import plain


def shorten_label(label: str, size: float, width: float) -> str:
    """A label cut to fit `width` at `size`: whole words where they fit, else its start and "…" (never empty)."""
    if measure.text_width(label, size) <= width:
        return label
    words = label.split()
    for count in range(len(words) - 1, 0, -1):
        candidate = " ".join(words[:count]).rstrip(",;:–-") + "…"
        if measure.text_width(candidate, size) <= width:
            return candidate
    units = linebreak.break_units(label)
    if len(units) > 1 and measure.text_width(units[0].strip() + "…", size) <= width:
        # CJK: as many characters as fit.
        text = ""
        for unit in units:
            if measure.text_width(text + unit.strip() + "…", size) > width:
                break
            text += unit.strip()
        return text + "…"
    for end in range(len(label) - 1, 0, -1):
        if measure.text_width(label[:end] + "…", size) <= width:
            return label[:end] + "…"
    return label[:1] + "…"


def fit_lines(text: str, width: float, largest: float, smallest: float, max_lines: int | None,
              bold: bool = False, height: float | None = None) -> tuple[float, str]:
    """The largest size (half-point steps) at which text fits in `max_lines` lines (and `height`, if given), and
    the text. `max_lines` None: as many lines as `height` holds at each size.

    Text too long even at `smallest` is cut at a word with an ellipsis, with a warning: a title must never
    run out of its box.
    """
    if max_lines is None:
        max_lines = 10 ** 6 if height is not None else 2
    if height is not None:
        max_lines = max(1, min(max_lines, int(height // measure.line_height(smallest))))
    for size in measure.sizes_between(largest, smallest, 0.5):
        lines = max_lines if height is None else max(1, min(max_lines, int(height // measure.line_height(size))))
        if len(measure.wrap(text, size, width, bold=bold)) <= lines:
            return size, text
    warnings.warn(f"text too long for {max_lines} line(s) at {smallest:g} pt, shortened: {plain(text)[:60]}…",
                  PlanforgeWarning, stacklevel=3)
    # Cut at a break opportunity (a space, or between CJK characters), never inside a word.
    units = linebreak.break_units(plain(text))
    low, high = 0, len(units)
    while low < high:
        middle = (low + high + 1) // 2
        if len(measure.wrap("".join(units[:middle]).rstrip() + " …", smallest, width, bold=bold)) <= max_lines:
            low = middle
        else:
            high = middle - 1
    return smallest, "".join(units[:low]).rstrip() + " …"


def set_title(target, text: str, box: Box, theme: Theme, color: str | None, largest: float, smallest: float,
              max_lines: int | None, bold: bool = False, anchor: str | None = "top", inherit: bool = False) -> float:
    """Write the slide title into its placeholder at `box`, at the largest size that fits; return the size.

    `inherit` leaves font and alignment to the master's title style (a company template); the colour too when
    `color` is None. `max_lines` None: as many lines as `box` holds at each size.
    """
    with measure.measuring_with(theme.title_measure_family or theme.measure_family):
        full = text
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            size, text = fit_lines(text, box.w, largest, smallest, max_lines, bold,
                                   height=box.h if inherit or max_lines is None else None)
    if text != full:
        # The slide cannot show the whole title: the speaker notes keep it, and the build says so.
        notes = target.notes_slide.notes_text_frame
        before = notes.text
        notes.text = draw.xml_safe(_("Full title: {title}").format(title=plain(full))
                                   + (f"\n\n{before}" if before else ""))
        warnings.warn(f"title shortened to fit the slide (the full title is in the speaker notes): "
                      f"{plain(full)[:60]}…", PlanforgeWarning, stacklevel=2)
    else:
        for warning in caught:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    shape = target.shapes.title
    if shape is None:
        shape = title_placeholder(target, box)
    shape.left, shape.top, shape.width, shape.height = draw.emu(box.x), draw.emu(box.y), draw.emu(box.w), draw.emu(box.h)
    ink = Ink(None, color, align=None) if inherit else Ink(theme.title_font or theme.font, color)
    # Drawn in the family it was measured in, so over-long words get the same break hints.
    with measure.measuring_with(theme.title_measure_family or theme.measure_family):
        draw.fill_frame(shape.text_frame, [Para(text, bold=bold)], TextStyle(size), ink, anchor, width=box.w)
    return size


def fit_paras(paras: Sequence[Para], box: Box, largest: float, smallest: float) -> float:
    """The largest size (half-point steps) at which the paragraphs fit the box, or `smallest` with a warning."""
    size = measure.fit_size([(paras, box.w, box.h)], TextStyle(largest), measure.sizes_between(largest, smallest, 0.5))
    if size is None:
        warnings.warn(f"text does not fit its box: {plain(paras[0].text)[:60]}", PlanforgeWarning, stacklevel=2)
        return smallest
    return size
