"""Which slides a plan becomes, in what order, with their action titles and content (no layout here)."""

from __future__ import annotations

from planforge.model import Plan306090, Strategy
from planforge.render.deck.storyline.parts import (
    Agenda, Card, Cards, Cover, Divider, Group, Groups, Item, Outcomes, Roadmap, RoadmapBlock, RoadmapPhase, Slide,
    Stack, Statement, Storyline, Table, topic_titled,
)
from planforge.render.deck.storyline.plan import PLAN_SECTIONS, plan_storyline
from planforge.render.deck.storyline.strategy import strategy_storyline


def storyline(document) -> Storyline:
    """Return the storyline of any plan document."""
    if isinstance(document, Plan306090):
        return plan_storyline(document)
    if isinstance(document, Strategy):
        return strategy_storyline(document)
    raise TypeError(f"no deck storyline for {type(document).__name__}")


__all__ = ["Agenda", "Card", "Cards", "Cover", "Divider", "Group", "Groups", "Item", "Outcomes", "PLAN_SECTIONS",
           "Roadmap", "RoadmapBlock", "RoadmapPhase", "Slide", "Stack", "Statement", "Storyline", "Table", "storyline",
           "topic_titled"]
