"""The McKinsey-style deck: storyline → measured layout → native PowerPoint shapes → reproducible .pptx bytes."""

from __future__ import annotations

from planforge.render import RenderOptions
from planforge.render.deck.package import pin_properties, to_bytes
from planforge.render.deck.slides import Deck
from planforge.render.deck.storyline import storyline
from planforge.render.deck.template import builtin_presentation
from planforge.render.deck.theme import BUILTIN

SUFFIX = ".pptx"


def render(document, options: RenderOptions | None = None) -> bytes:
    """Render a plan document as an editable 16:9 deck and return the .pptx bytes."""
    options = options or RenderOptions()
    theme = BUILTIN
    presentation = builtin_presentation(theme)
    deck = Deck(presentation, theme, storyline(document), ghost=options.ghost)
    deck.build()
    pin_properties(presentation, document.title, document.owner)
    return to_bytes(presentation)
