"""Slide builders, one module per slide family; importing the package registers them all."""

from planforge.render.deck.slides import cards, covers, roadmap, rows, stack, tables  # noqa: F401  (register the builders)
from planforge.render.deck.slides.base import BUILDERS, CONTINUED, Deck, Page, continued_suffix

__all__ = ["BUILDERS", "CONTINUED", "Deck", "Page", "continued_suffix"]
