"""What a renderer is asked to produce, besides the document."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RenderOptions:
    """Choices that change what a renderer produces."""

    templates_dir: Path | None = None
    """A folder of user Jinja templates that override the packaged ones file by file."""
    deck_template: Path | None = None
    """A company .pptx whose slide master, layouts, fonts and colours the deck uses."""
    ghost: bool = False
    """Deck only: action titles with empty bodies, for storyline review."""
