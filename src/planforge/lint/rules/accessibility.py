"""PF5xx: the deck's accessibility, computed on the deck as it is built (in planforge's design, or in the company
template `lint --deck-template` names).

The deck is drawn once per plan and checked by `planforge.render.deck.accessibility` — what PowerPoint's
Accessibility Checker and WCAG AA look for. Each finding is reported at the plan line whose text causes it (the
repeated action title, the text set in low contrast, the bare web address) where there is one, else on the file.
"""

from __future__ import annotations

import re
import warnings
from typing import Iterator

from planforge.errors import PlanforgeError
from planforge.lint.context import Hit, LintContext
from planforge.lint.registry import WARNING, rule
from planforge.lint.rules.titles import action_titles
from planforge.text import plain


@rule("PF501", "missing-alt-text", WARNING, "A shape on a slide that is not text has no alternative text and is not "
      "marked decorative.", "planforge describes its own shapes; a shape without a description comes from the deck "
      "template: give it alternative text in PowerPoint, or mark it decorative")
def missing_alt_text(ctx: LintContext) -> Iterator[Hit]:
    """Find shapes a screen reader would announce without saying what they show."""
    for finding in _findings(ctx, "alt-text"):
        yield Hit(None, None, finding.message)


@rule("PF502", "low-contrast", WARNING, "Text on a slide is below WCAG AA contrast against what is behind it.",
      "use the theme's text colours, or a template whose colours meet 4.5:1 (3:1 for text from 18 pt)")
def low_contrast(ctx: LintContext) -> Iterator[Hit]:
    """Find text whose colour is too close to its background for many readers."""
    for finding in _findings(ctx, "contrast"):
        yield _at_text(ctx, finding.text, finding.message)


@rule("PF503", "slide-without-title", WARNING, "A slide has no title a screen reader or the outline can find.",
      "give the slide an action title (`title:` under its `slide:` or `storyline:` entry)")
def slide_without_title(ctx: LintContext) -> Iterator[Hit]:
    """Find slides whose title placeholder is missing or empty."""
    for finding in _findings(ctx, "no-title"):
        yield Hit(None, None, finding.message)


@rule("PF504", "duplicate-slide-title", WARNING, "Two slides have the same title, so they cannot be told apart in "
      "the outline or by a screen reader.", "give each slide its own action title")
def duplicate_slide_title(ctx: LintContext) -> Iterator[Hit]:
    """Find slides titled like an earlier slide, at the plan's second use of the title when it writes one."""
    written = [(loc, " ".join(plain(title).split())) for loc, title in action_titles(ctx)]
    for finding in _findings(ctx, "duplicate-title"):
        places = [loc for loc, title in written if title == finding.text]
        if len(places) > 1:
            yield ctx.hit(places[-1], finding.message)
        else:
            yield _at_text(ctx, finding.text, finding.message)


@rule("PF505", "table-without-header", WARNING, "A table on a slide has no header row.",
      "planforge's tables have one; a table without comes from elsewhere: mark its first row as the header")
def table_without_header(ctx: LintContext) -> Iterator[Hit]:
    """Find tables a screen reader reads without column names."""
    for finding in _findings(ctx, "table-header"):
        yield Hit(None, None, finding.message)


@rule("PF506", "bare-url", WARNING, "Text on a slide shows a bare web address, which a screen reader spells out.",
      "say what the link is in words, and give the address as a reference's `url:`")
def bare_url(ctx: LintContext) -> Iterator[Hit]:
    """Find web addresses written into the plan's prose (a reference's `url:` follows its title and is fine)."""
    slides: dict[tuple, list[int]] = {}
    for finding in _findings(ctx, "bare-url"):
        loc = _text_location(ctx, finding.text)
        if loc is None or loc[-1] != "url":
            slides.setdefault((loc, finding.text), []).append(finding.slide)
    for (loc, address), numbers in slides.items():
        message = f"{_slides(numbers)} the bare web address {address}"
        if loc is None:
            yield Hit(None, None, message)
            continue
        places = ctx.occurrences(loc, re.compile(re.escape(address)))
        line, column = places[0][:2] if places else ctx.plan.position(loc)
        yield Hit(line, column, message)


def _slides(numbers: list[int]) -> str:
    numbers = sorted(set(numbers))
    if len(numbers) == 1:
        return f"slide {numbers[0]} shows"
    return f"slides {', '.join(map(str, numbers[:-1]))} and {numbers[-1]} show"


def _at_text(ctx: LintContext, text: str, message: str) -> Hit:
    loc = _text_location(ctx, text)
    return ctx.hit(loc, message) if loc is not None else Hit(None, None, message)


def _text_location(ctx: LintContext, text: str) -> tuple | None:
    """Where the plan writes the text a slide shows: the value that is it, else the first that holds it."""
    wanted = " ".join(text.split())
    if not wanted:
        return None
    holding = None
    for loc, value in ctx.texts():
        shown = " ".join(plain(value).split())
        if shown == wanted:
            return loc
        if holding is None and wanted in shown:
            holding = loc
    return holding


_AUDITED: dict[str, list] = {}
# Drawing the deck is the slow part of these rules; a plan text already seen in this process is not drawn again.
_AUDITED_MAX = 16


def _findings(ctx: LintContext, kind: str) -> list:
    key = (ctx.plan.text, ctx.deck_template)
    if key not in _AUDITED:
        if len(_AUDITED) >= _AUDITED_MAX:
            _AUDITED.pop(next(iter(_AUDITED)))
        _AUDITED[key] = _audit(ctx.document, ctx.deck_template)
    return [finding for finding in _AUDITED[key] if finding.kind == kind]


def _audit(document, deck_template=None) -> list:
    from planforge.render import RenderOptions
    from planforge.render.deck import audit

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the deck's own overflow warnings are not lint findings
            return audit(document, RenderOptions(deck_template=deck_template))
    except PlanforgeError:
        return []
