"""The strategy vision: per product area, vision, initiatives, privacy, outcomes and KPIs."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from planforge.model.common import MAX_ITEMS, Bullets, DocumentBase, Quantity, SlideSpec, Strict, Text, Unit


class Kpi(Strict):
    """A key performance indicator with its target."""

    metric: Text = Field(description="What is measured, e.g. 'Customer satisfaction score'.")
    baseline: Quantity | None = Field(
        default=None, description="Where the metric stands today: a number (72, with `unit: '%'`) or text ('72%')."
    )
    target: Quantity = Field(
        description="Where it should be: a number (2500000, with `unit: $`) or text ('+15%'). A placeholder such as "
        "'X%' is kept and flagged by lint."
    )
    unit: Unit | None = Field(
        default=None,
        description="Unit of a numeric baseline and target: '%', a currency ('$', 'CAD', '€') or a word ('days'). "
        "Numbers are written in the plan's language: 2500000 $ → '2 500 000 $' in French.",
    )
    horizon: Text | None = Field(default=None, description="By when, e.g. 'within three years' or 'FY2027'.")


class Initiative(Strict):
    """A key initiative or pillar of an area."""

    name: Text = Field(description="Short name of the initiative or pillar, e.g. 'Paid Marketing'.")
    description: Text = Field(description="What the initiative does and why.")
    owner: Text | None = Field(default=None, description="Person or team accountable.")
    kpis: list[Kpi] = Field(default_factory=list, max_length=MAX_ITEMS, description="KPIs that track this initiative.")


class AreaSlides(Strict):
    """Action titles, notes and sources of an area's slides."""

    divider: SlideSpec = Field(default_factory=SlideSpec, description="The section divider that opens the area.")
    vision: SlideSpec = Field(default_factory=SlideSpec, description="The vision and objectives slide.")
    initiatives: SlideSpec = Field(default_factory=SlideSpec, description="The key initiatives slide.")
    outcomes: SlideSpec = Field(default_factory=SlideSpec, description="The expected outcomes and KPI slide.")
    privacy: SlideSpec = Field(default_factory=SlideSpec, description="The privacy and compliance slide.")


class Area(Strict):
    """One product area (team, squad or domain) of the strategy."""

    name: Text = Field(description="Name of the area, e.g. 'Care team' or 'Marketing'.")
    short: Text | None = Field(
        default=None, max_length=40,
        description="Short name for the deck's section tracker when the full name is too long, e.g. 'Care'.",
    )
    vision: Text = Field(description="Product vision and objectives: the paragraph(s) stating where the area is going.")
    objectives: Bullets = Field(default_factory=list, description="Objectives as bullets, when the vision lists them.")
    initiatives_summary: Text | None = Field(
        default=None, description="Lead paragraph of 'Key Initiatives and Improvements', kept as written."
    )
    initiatives: list[Initiative] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Key initiatives or pillars."
    )
    privacy: Text | None = Field(default=None, description="Privacy and compliance commitments of the area.")
    outcomes: Text | None = Field(default=None, description="Expected outcomes and long-term goals, as written.")
    kpis: list[Kpi] = Field(default_factory=list, max_length=MAX_ITEMS, description="Outcome KPIs with targets.")
    slides: AreaSlides = Field(default_factory=AreaSlides, description="Action titles, notes and sources of this area's slides.")


class StrategyStoryline(Strict):
    """Action titles, notes and sources of the strategy's document-level slides."""

    title: SlideSpec = Field(default_factory=SlideSpec, description="The title slide (notes only; its title is the document title).")
    executive_summary: SlideSpec = Field(default_factory=SlideSpec, description="The executive summary slide.")
    agenda: SlideSpec = Field(default_factory=SlideSpec, description="The agenda slide.")
    next_steps: SlideSpec = Field(default_factory=SlideSpec, description="The closing next-steps slide.")


class Strategy(DocumentBase):
    """A strategy vision (long-range plan) across product areas."""

    kind: Literal["strategy"] = Field(description="Document type: 'strategy' for a strategy vision.")
    horizon: Text | None = Field(default=None, description="Time frame of the strategy, e.g. 'three years'.")
    executive_summary: Bullets = Field(
        default_factory=list, description="Key messages for the executive summary; derived from the areas when empty."
    )
    areas: list[Area] = Field(min_length=1, max_length=50, description="The product areas, in the order presented.")
    next_steps: Bullets = Field(default_factory=list, description="Next steps that close the deck.")
    storyline: StrategyStoryline = Field(
        default_factory=StrategyStoryline, description="Action titles, notes and sources of document-level slides."
    )
