"""Renderers by output format. Each is a module with `SUFFIX` and `render(document, options) -> bytes`, and may set
`WEIGHT`, roughly how many times as long as the Markdown renderer it takes (1 when unset; builds start heavy ones first).
"""

from __future__ import annotations

import importlib
from types import ModuleType

RENDERERS: dict[str, str] = {
    "md": "planforge.render.markdown",
    "html": "planforge.render.html",
    "pptx": "planforge.render.deck",
}
"""Output format name → module that renders it (imported only when used)."""


def __getattr__(name: str):
    # RenderOptions lives in its own module so that reading RENDERERS (an up-to-date build does) does not import
    # dataclasses; `from planforge.render import RenderOptions` still works.
    if name == "RenderOptions":
        from planforge.render.options import RenderOptions

        return RenderOptions
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def renderer(name: str) -> ModuleType:
    """Return the renderer module for an output format name such as 'md'."""
    return importlib.import_module(RENDERERS[name])
