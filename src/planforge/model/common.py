"""Building blocks shared by every kind of plan: text, bullets, slide specs."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from planforge.i18n import TAG

# Limits keep hostile files from turning into huge decks or slow renders.
MAX_TEXT = 5_000
MAX_ITEMS = 200
MAX_NUMBER = 10**15

Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
    Field(description="Text; may carry inline **bold** and *italic*."),
]

Number = Annotated[
    Annotated[int, Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]
    | Annotated[float, Field(ge=-MAX_NUMBER, le=MAX_NUMBER, allow_inf_nan=False)],
    Field(description="A number, written as a number (2500000, 12.5); shown in the plan's language."),
]

Quantity = Annotated[
    Number | Text,
    Field(description="A number (shown in the plan's language, with the KPI's `unit`) or text as written."),
]

Unit = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20),
    Field(description="A unit: '%', a currency ('$', 'CAD', '€') or a word such as 'days'."),
]


class Strict(BaseModel):
    """Base model: unknown keys are errors, values are not coerced between types."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Bullet(Strict):
    """A bullet with one level of sub-bullets, e.g. "Intro meetings with:" followed by names."""

    text: Text = Field(description="The bullet's own text.")
    items: list[Text] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="Sub-bullets under this bullet (one level only).",
    )


def _as_bullets(values: list[str | Bullet]) -> list[Bullet]:
    return [Bullet(text=v) if isinstance(v, str) else v for v in values]


Bullets = Annotated[
    list[Text | Bullet],
    Field(max_length=MAX_ITEMS),
    AfterValidator(_as_bullets),
]
"""A list of bullets; each is a string, or a mapping with `text` and sub-bullet `items`."""


class SlideSpec(Strict):
    """What one slide says about itself: its action title, speaker notes and source line."""

    title: Text | None = Field(
        default=None,
        description="Action title: one full sentence stating the slide's message (at most ~20 words).",
    )
    notes: Text | None = Field(default=None, description="Speaker notes for the slide.")
    source: Text | None = Field(default=None, description="Source or footnote line shown at the foot of the slide.")


class LintSettings(Strict):
    """Per-file lint settings."""

    ignore: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}\d{3}$")]] = Field(
        default_factory=list,
        description="Lint rule codes to switch off for this file, e.g. PF101.",
    )


LanguageTag = Annotated[
    str,
    StringConstraints(pattern=TAG.pattern, max_length=35),
    Field(description="Language of the plan as a BCP 47 tag, e.g. 'en', 'en-CA', 'fr' or 'fr-CA'."),
]


SlideRole = Literal["content", "cover", "divider", "blank"]


class DeckSettings(Strict):
    """How the deck uses a company template (`--deck-template`)."""

    layouts: dict[SlideRole, Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        default_factory=dict,
        description="Slide role (content, cover, divider, blank) → the name of the template's layout it uses, e.g. "
                    "{content: 'Titre seul'}; overrides planforge's choice. Defaults to the project's `deck.layouts`; "
                    "`--layout ROLE=NAME` overrides both.",
    )


class DocumentBase(Strict):
    """Fields every plan has."""

    title: Text = Field(description="Document title, shown on the title slide and as the page heading.")
    subtitle: Text | None = Field(default=None, description="Line under the title.")
    organisation: Text | None = Field(default=None, description="Company or organisation the plan is for.")
    owner: Text | None = Field(default=None, description="Who wrote or owns the plan.")
    date: datetime.date | Text | None = Field(
        default=None, description="Date or period of the plan, e.g. 2025-09-20 or 'September 2025'."
    )
    audience: Text | None = Field(default=None, description="Who the plan is for, e.g. 'VP Product'.")
    lang: LanguageTag | None = Field(
        default=None,
        description="Language of the plan (BCP 47, e.g. 'fr-CA'): the deck's, page's and document's labels, dates "
        "and numbers follow it. Defaults to the project's `lang` setting, else English.",
    )
    lint: LintSettings = Field(default_factory=LintSettings, description="Per-file lint settings.")
    deck: DeckSettings = Field(default_factory=DeckSettings, description="How the deck uses a company template.")
    notes: list[Text] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="Imported text that planforge could not place; listed at the end of the Markdown only, kept for "
                    "the author.",
    )
