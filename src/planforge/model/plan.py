"""The 30-60-90 day plan: phases, week-by-week blocks, pitfalls, references and storyline."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from planforge.model.common import MAX_ITEMS, Bullets, DocumentBase, SlideSpec, Strict, Text


class ExecutiveSummary(Strict):
    """Why the plan exists and what it will achieve."""

    purpose: Bullets = Field(default_factory=list, description="Why this plan exists.")
    key_outcomes: Bullets = Field(default_factory=list, description="What the plan will achieve.")


class PhaseSlide(SlideSpec):
    """The phase as the deck shows it: action title plus condensed wording."""

    summary_objectives: Bullets = Field(
        default_factory=list, description="Key objectives as the summary slide shows them; defaults to the phase's."
    )
    summary_outcomes: Bullets = Field(
        default_factory=list, description="Expected outcomes as the summary slide shows them; defaults to the phase's."
    )
    objectives: Bullets = Field(default_factory=list, description="The phase slide's objective bullets.")
    key_actions: Bullets = Field(default_factory=list, description="The phase slide's key actions.")
    success_metrics: Bullets = Field(default_factory=list, description="The phase slide's success metrics.")


class Phase(Strict):
    """One phase of the plan, e.g. Days 1–30."""

    name: Text = Field(description="Name of the phase as shown, e.g. 'Days 1–30'.")
    start_day: int = Field(ge=1, le=1000, description="First day of the phase (1 for the first phase).")
    end_day: int = Field(ge=1, le=1000, description="Last day of the phase, e.g. 30.")
    theme: Text | None = Field(default=None, description="The phase's theme, e.g. 'Establishing Trust & Understanding'.")
    key_objectives: Bullets = Field(min_length=1, description="Key objectives of the phase.")
    focus_areas: Bullets = Field(default_factory=list, description="Focus areas of the phase.")
    expected_outcomes: Bullets = Field(default_factory=list, description="Expected outcomes at the end of the phase.")
    slide: PhaseSlide = Field(default_factory=PhaseSlide, description="The phase's slide: action title and condensed wording.")

    @model_validator(mode="after")
    def _days_in_order(self) -> Phase:
        if self.end_day < self.start_day:
            raise ValueError(f"end_day {self.end_day} is before start_day {self.start_day}")
        return self


class Week(Strict):
    """One week of the week-by-week breakdown."""

    week: int = Field(ge=1, le=200, description="Week number, counted from the start of the plan (1 = days 1–7).")
    primary_objectives: Bullets = Field(default_factory=list, description="Primary objectives of the week.")
    key_actions: Bullets = Field(default_factory=list, description="Key actions of the week.")
    stakeholders: Bullets = Field(default_factory=list, description="Meetings and stakeholders of the week.")
    deliverables: Bullets = Field(default_factory=list, description="Documents and deliverables of the week.")
    success_metrics: Bullets = Field(default_factory=list, description="How success is measured that week.")


class BlockSlide(SlideSpec):
    """The week block as the deck shows it: action title plus condensed wording."""

    label: Text | None = Field(default=None, description="The block's name as the deck shows it; defaults to its title.")
    objectives: Bullets = Field(default_factory=list, description="Primary objectives as the slide shows them.")
    deliverables: Bullets = Field(default_factory=list, description="Key deliverables as the slide shows them.")
    success_metrics: Bullets = Field(default_factory=list, description="Success metrics as the slide shows them.")


class WeekBlock(Strict):
    """A block of consecutive weeks with one theme, e.g. Weeks 1–2: Establish Foundations."""

    title: Text = Field(description="Theme of the block, e.g. 'Establish Foundations'.")
    weeks: list[Week] = Field(min_length=1, max_length=26, description="The weeks in the block, in order.")
    slide: BlockSlide = Field(default_factory=BlockSlide, description="The block's slide: action title and condensed wording.")

    @model_validator(mode="after")
    def _weeks_consecutive(self) -> WeekBlock:
        numbers = [w.week for w in self.weeks]
        expected = list(range(numbers[0], numbers[0] + len(numbers)))
        if numbers != expected:
            raise ValueError(f"weeks must be consecutive, got {numbers}")
        return self

    @property
    def first_week(self) -> int:
        """Number of the block's first week."""
        return self.weeks[0].week

    @property
    def last_week(self) -> int:
        """Number of the block's last week."""
        return self.weeks[-1].week


class PitfallBrief(Strict):
    """Shorter wording of a pitfall for the deck's table."""

    pitfall: Text | None = Field(default=None, description="The pitfall as the deck shows it.")
    mitigation: Text | None = Field(default=None, description="The mitigation as the deck shows it.")


class Pitfall(Strict):
    """A risk to the plan and how it is mitigated."""

    pitfall: Text = Field(description="What could go wrong, e.g. 'Misaligned Expectations'.")
    mitigation: Text = Field(description="How the risk is mitigated.")
    brief: PitfallBrief = Field(default_factory=PitfallBrief, description="Shorter wording for the deck.")


class Reference(Strict):
    """A source the plan draws on."""

    authors: Text = Field(description="Author(s) or organisation, e.g. 'Watkins, M. D.'.")
    year: int | None = Field(default=None, ge=1000, le=3000, description="Year of publication.")
    title: Text = Field(description="Title of the work.")
    publisher: Text | None = Field(default=None, description="Publisher or journal.")
    url: Text | None = Field(
        default=None, description="Web address. 'Link' or 'TBD' mark a missing address; lint flags them."
    )


    @field_validator("url")
    @classmethod
    def _url_has_a_scheme(cls, url: str | None) -> str | None:
        # An address without its scheme ("teamtopologies.com/book") would be no link in any output; a placeholder
        # such as 'Link' or 'TBD' (no dot, or spaces) is left to lint.
        if url and "." in url and not re.search(r"\s", url) and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url):
            raise ValueError(f"`{url}` has no scheme, so it would be no link"
                             f"\nhint: write the whole address: `url: https://{url}`")
        return url


class PlanStoryline(Strict):
    """Action titles, notes and sources of the plan's document-level slides."""

    title: SlideSpec = Field(default_factory=SlideSpec, description="The title slide (notes only; its title is the document title).")
    executive_summary: SlideSpec = Field(default_factory=SlideSpec, description="The executive summary slide.")
    phase_summary: SlideSpec = Field(default_factory=SlideSpec, description="The 30-60-90 summary slide.")
    roadmap: SlideSpec = Field(default_factory=SlideSpec, description="The roadmap (timeline of phases and week blocks) slide.")
    pitfalls: SlideSpec = Field(default_factory=SlideSpec, description="The pitfalls and mitigations slide.")
    references: SlideSpec = Field(default_factory=SlideSpec, description="The references slide.")
    appendix: SlideSpec = Field(default_factory=SlideSpec, description="The appendix with the full week-by-week tables.")


class Plan306090(DocumentBase):
    """A 30-60-90 day plan for a new role."""

    kind: Literal["30-60-90"] = Field(description="Document type: '30-60-90' for a 30-60-90 day plan.")
    role: Text | None = Field(default=None, description="The role the plan is for, e.g. 'Director, Product Management'.")
    executive_summary: ExecutiveSummary = Field(
        default_factory=ExecutiveSummary, description="Purpose and key outcomes of the plan."
    )
    phases: list[Phase] = Field(min_length=1, max_length=12, description="The phases, e.g. Days 1–30, 31–60, 61–90.")
    week_blocks: list[WeekBlock] = Field(
        default_factory=list, max_length=52, description="Week-by-week breakdown, in blocks of consecutive weeks."
    )
    week_breakdown_intro: Text | None = Field(
        default=None, description="Paragraph introducing the week-by-week breakdown."
    )
    pitfalls: list[Pitfall] = Field(default_factory=list, max_length=MAX_ITEMS, description="Potential pitfalls with mitigations.")
    references: list[Reference] = Field(default_factory=list, max_length=MAX_ITEMS, description="Sources the plan draws on.")
    storyline: PlanStoryline = Field(
        default_factory=PlanStoryline, description="Action titles, notes and sources of document-level slides."
    )
