"""PF4xx: what the deck's layout does with the text: titles that wrap too far, content continued on more slides.

Both rules ask the deck renderer through its public names only: `measure.wrap` and the built-in theme's title box
and minimum title size for titles; `render` and the `CONTINUED` title suffix for slides the deck continues.
"""

from __future__ import annotations

import io
import re
import warnings
from typing import Iterator

from planforge.errors import PlanforgeError
from planforge.lint.context import Hit, LintContext
from planforge.lint.registry import WARNING, rule
from planforge.lint.rules.titles import action_titles
from planforge.text import plain

MAX_TITLE_LINES = 2
_NUMBERING = re.compile(r"^\d+[.)]\s+")


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
    texts = [(loc, _normal(plain(text))) for loc, text in ctx.texts()]
    for number, title, paragraphs in _continued_slides(ctx.plan.text, ctx.document):
        loc = next((loc for paragraph in paragraphs if (loc := _written_at(paragraph, texts)) is not None), None)
        if loc is not None:
            yield ctx.hit(loc, f"the deck continues “{title}” on slide {number}, from here on")


_RENDERED: dict[str, list[tuple[int, str, list[str]]]] = {}
# Rendering a deck is the slow part of lint; a plan text already seen in this process is not rendered again.
_RENDERED_MAX = 32


def _continued_slides(text: str, document) -> list[tuple[int, str, list[str]]]:
    """Return (slide number, title without the suffix, body paragraphs in order) of every continuation slide."""
    if text not in _RENDERED:
        if len(_RENDERED) >= _RENDERED_MAX:
            _RENDERED.pop(next(iter(_RENDERED)))
        _RENDERED[text] = _render_continued(document)
    return _RENDERED[text]


def _render_continued(document) -> list[tuple[int, str, list[str]]]:
    from pptx import Presentation

    from planforge.render.deck import render
    from planforge.render.deck.slides import CONTINUED

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the deck's own overflow warnings are not lint findings
            deck = Presentation(io.BytesIO(render(document)))
    except PlanforgeError:
        return []
    found = []
    for number, slide in enumerate(deck.slides, start=1):
        title_shape = slide.shapes.title
        title = title_shape.text_frame.text if title_shape is not None else ""
        if not title.endswith(CONTINUED.strip()):
            continue
        paragraphs = []
        for shape in slide.shapes:
            if shape == title_shape:
                continue
            if shape.has_text_frame:
                paragraphs += [p.text for p in shape.text_frame.paragraphs]
            if shape.has_table:
                # The first row repeats the table's header; the moved content starts below it.
                paragraphs += [p.text for row in list(shape.table.rows)[1:] for cell in row.cells
                               for p in cell.text_frame.paragraphs]
        body = [_normal(p) for p in paragraphs if p.strip() and not p.rstrip().endswith(CONTINUED.strip())]
        found.append((number, title.removesuffix(CONTINUED.strip()).rstrip(), body))
    return found


def _normal(text: str) -> str:
    return " ".join(text.split())


def _written_at(shown: str, texts: list[tuple[tuple, str]]) -> tuple | None:
    """Return where the plan writes the text a slide shows: the same text, else text holding it (one sentence of
    a paragraph), else text it holds with little around it (a number in front); None when nothing matches."""
    shown = _NUMBERING.sub("", shown)
    if len(shown) < 4:
        return None
    for matches in (
        lambda written: written == shown,
        lambda written: shown in written,
        lambda written: len(written) >= 4 and written in shown and len(written) >= 0.6 * len(shown),
    ):
        for loc, written in texts:
            if matches(written):
                return loc
    return None
