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
    deck_layouts: tuple[tuple[str, str], ...] = ()
    """Deck only: (slide role, layout name) pairs naming the company template's layout for a role."""
    layouts_source: str = "the settings"
    """Where `deck_layouts` were given, for messages (the command line, planforge.toml …)."""
    font_dirs: tuple[Path, ...] = ()
    """Deck only: folders of font files to measure a template's fonts with."""
    ghost: bool = False
    """Deck only: action titles with empty bodies, for storyline review."""
    handout: bool = False
    """PDF only: every slide on a page with its speaker notes, instead of the slides alone."""
    keep_external_links: bool = False
    """Deck only: keep the company template's external relationships (linked images, hyperlinks) instead of
    removing them."""
