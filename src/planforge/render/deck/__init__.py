"""The McKinsey-style deck: storyline → measured layout → native PowerPoint shapes → reproducible .pptx bytes."""

from __future__ import annotations

from planforge.render import RenderOptions
from planforge.render.deck.measure import DEFAULT_FAMILY, measuring_with, twin_family
from planforge.render.deck.package import pin_properties, to_bytes
from planforge.render.deck.slides import Deck
from planforge.render.deck.storyline import storyline
from planforge.render.deck.template import builtin_base, company_base

SUFFIX = ".pptx"


def render(document, options: RenderOptions | None = None) -> bytes:
    """Render a plan document as an editable 16:9 deck and return the .pptx bytes."""
    options = options or RenderOptions()
    base = company_base(options.deck_template) if options.deck_template else builtin_base()
    with measuring_with(twin_family(base.theme.font) or DEFAULT_FAMILY):
        deck = Deck(base, storyline(document), ghost=options.ghost)
        deck.build()
    pin_properties(base.presentation, document.title, document.owner)
    return to_bytes(base.presentation)


def slide_titles(document) -> list[str]:
    """The storyline's action titles in order (one per storyline slide, before any continuation)."""
    return [slide.title for slide in storyline(document).slides]
