"""Renderers by output format. Each is a module with `SUFFIX` and `render(document, options) -> bytes`."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

RENDERERS: dict[str, str] = {
    "md": "planforge.render.markdown",
    "html": "planforge.render.html",
    "pptx": "planforge.render.deck",
}
"""Output format name → module that renders it (imported only when used)."""


@dataclass(frozen=True)
class RenderOptions:
    """Choices that change what a renderer produces."""

    templates_dir: Path | None = None
    """A folder of user Jinja templates that override the packaged ones file by file."""
    deck_template: Path | None = None
    """A company .pptx whose slide master, layouts, fonts and colours the deck uses."""
    ghost: bool = False
    """Deck only: action titles with empty bodies, for storyline review."""


def renderer(name: str) -> ModuleType:
    """Return the renderer module for an output format name such as 'md'."""
    return importlib.import_module(RENDERERS[name])
