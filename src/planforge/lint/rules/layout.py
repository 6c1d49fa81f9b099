"""PF4xx: what the deck's layout does with the text: titles that wrap too far, content continued on more slides.

Both rules ask the deck renderer through its public names only: `measure.wrap` and the built-in theme's title box
and minimum title size for titles; `layout`, the renderer's own pagination without the drawing, for slides the deck
continues.
"""

from __future__ import annotations

import warnings
from typing import Iterator

from planforge.errors import PlanforgeError
from planforge.lint.context import Hit, LintContext
from planforge.lint.registry import WARNING, rule
from planforge.lint.rules.titles import action_titles

MAX_TITLE_LINES = 2


@rule("PF401", "title-wraps", WARNING, f"An action title wraps beyond {MAX_TITLE_LINES} lines on the slide.",
      "shorten the title until it fits two lines; put the detail in the slide body")
def title_wraps(ctx: LintContext) -> Iterator[Hit]:
    """Find action titles that need more than two lines in the deck's title box even at its smallest title size."""
    from planforge.render.deck import measure
    from planforge.render.deck.theme import BUILTIN

    size, width = BUILTIN.sizes.title_min, BUILTIN.place.title.w
    for loc, title in action_titles(ctx):
        lines = len(measure.wrap(title, size, width))
        if lines > MAX_TITLE_LINES:
            yield ctx.hit(loc, f"action title takes {lines} lines on the slide even at {size:g} pt (at most {MAX_TITLE_LINES})")


@rule("PF402", "continued-slide", WARNING, "The deck has to continue a slide's content on another slide.",
      "cut or condense the content (e.g. the `slide:` wording), or split it into two slides")
def continued_slide(ctx: LintContext) -> Iterator[Hit]:
    """Find where the deck breaks content onto a '(cont.)' slide, at the YAML line of the first thing moved."""
    from planforge.i18n import using
    from planforge.render.deck.slides import continued_suffix

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # English labels for a language without a catalogue are no lint finding
        with using(ctx.document.lang):
            suffix = continued_suffix()
    for slide in _continued_slides(ctx.plan.text, ctx.document):
        if slide.loc is not None:
            title = slide.title.removesuffix(suffix)
            yield ctx.hit(slide.loc, f"the deck continues “{title}” on slide {slide.number}, from here on")


_LAID_OUT: dict[str, list] = {}
# Laying out a deck is the slow part of lint; a plan text already seen in this process is not laid out again.
_LAID_OUT_MAX = 32


def _continued_slides(text: str, document) -> list:
    """The deck's continued slides (`planforge.render.deck.SlideLayout`), as the renderer lays them out."""
    if text not in _LAID_OUT:
        if len(_LAID_OUT) >= _LAID_OUT_MAX:
            _LAID_OUT.pop(next(iter(_LAID_OUT)))
        _LAID_OUT[text] = _lay_out(document)
    return _LAID_OUT[text]


def _lay_out(document) -> list:
    from planforge.render.deck import layout

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the deck's own overflow warnings are not lint findings
            return [slide for slide in layout(document) if slide.continued]
    except PlanforgeError:
        return []
