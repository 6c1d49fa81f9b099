"""Plan text as storyline content: bullets with where the plan writes them, sentences, slide wording."""

from __future__ import annotations

import re
from typing import Sequence

from planforge.model.common import Bullet, SlideSpec
from planforge.render.deck.measure import Para
from planforge.render.deck.storyline.parts import Group, Item

Sourced = tuple[Sequence[Bullet], Sequence[tuple]]
"""Bullets with where the plan writes each one (model locations, in the same order)."""


def at(loc: tuple, bullets: Sequence[Bullet]) -> Sourced:
    """Bullets written as the list at `loc`."""
    return bullets, [(*loc, index) for index in range(len(bullets))]


def bullet_items(sourced: Sourced, numbered: bool = False) -> tuple[Item, ...]:
    """Bullets (with sub-bullets) as items; numbered lists count from 1."""
    items = []
    for index, (bullet, loc) in enumerate(zip(*sourced), start=1):
        head = Para(bullet.text, 0, "number" if numbered else "bullet", index, loc=loc)
        subs = (Para(text, 1, "bullet", loc=(*loc, "items", sub)) for sub, text in enumerate(bullet.items))
        items.append((head, *subs))
    return tuple(items)


def text_items(text: str | None, loc: tuple | None = None) -> tuple[Item, ...]:
    """A paragraph as one item per sentence group: paragraphs split at blank lines, never mid-sentence."""
    if not text:
        return ()
    return tuple((Para(part.strip(), loc=loc),) for part in re.split(r"\n\s*\n", text) if part.strip())


# A sentence ends at . ! or ? followed by a capital, except after abbreviations such as "e.g." or "vs.".
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bcf\.)\s+(?=[A-Z“\"*])")


def sentences(text: str) -> list[str]:
    """Split prose into its sentences, each kept word for word."""
    return [part for part in _SENTENCE_END.split(" ".join(text.split())) if part]


def sentence_items(text: str | None, loc: tuple | None = None) -> tuple[Item, ...]:
    """Prose as one bullet per sentence, so a paragraph reads as a list on a slide."""
    if not text:
        return ()
    return tuple((Para(sentence, 0, "bullet", loc=loc),) for sentence in sentences(text))


def spec_fields(spec: SlideSpec | None) -> dict:
    return {"notes": spec.notes, "source": spec.source} if spec else {}


def title_or(spec: SlideSpec | None, default: str) -> str:
    return spec.title if spec and spec.title else default


def topic_of(spec: SlideSpec | None, loc: tuple) -> dict:
    """`topic_at` for a content slide worded by `spec` (written at `loc`): set when the plan gives no title."""
    return {} if spec and spec.title else {"topic_at": loc}


def group_of(heading: str, sourced: Sourced, numbered: bool = False) -> list[Group]:
    return [Group(heading, bullet_items(sourced, numbered))] if sourced[0] else []


def first_of(*candidates: Sourced) -> Sourced:
    """The first of the candidates that has bullets (e.g. a slide's own wording, else the plan's full text)."""
    return next((c for c in candidates if c[0]), ((), ()))




def text_or_none(value) -> str | None:
    """A plan text field as a string, None when it is empty."""
    return str(value) if value else None


def worded(spec: SlideSpec | None) -> bool:
    """Whether the plan gives a slide its own title, notes or source (it then opens a slide of its own)."""
    return bool(spec and (spec.title or spec.notes or spec.source))
