"""The plan format: Pydantic models for every document kind, chosen by `kind`."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, RootModel

from planforge.model.common import Bullet, SlideSpec
from planforge.model.plan import Phase, Plan306090, Pitfall, Reference, Week, WeekBlock
from planforge.model.strategy import Area, Initiative, Kpi, Strategy

Document = Annotated[Strategy | Plan306090, Field(discriminator="kind")]
"""Any plan document; the `kind` key picks the type."""

KINDS = {"strategy": Strategy, "30-60-90": Plan306090}
"""Document types by the value of their `kind` key."""


class PlanFile(RootModel[Document]):
    """A planforge plan file: a strategy vision or a 30-60-90 day plan."""


__all__ = [
    "Area", "Bullet", "Document", "Initiative", "KINDS", "Kpi", "Phase", "Pitfall", "Plan306090",
    "PlanFile", "Reference", "SlideSpec", "Strategy", "Week", "WeekBlock",
]
