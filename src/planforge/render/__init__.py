"""Renderers by output format. Each renderer is a module with `render(document, options) -> bytes`; what a build needs
to know about a format before rendering (its file suffix, how heavy it is) lives here, so that planning a build
imports no renderer.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class Format:
    """An output format: the module that renders it, the suffix of its files, and roughly how many times as long as
    a Markdown page it takes to render (builds start the heaviest first)."""

    __slots__ = ("module", "suffix", "weight")

    def __init__(self, module: str, suffix: str, weight: float = 1.0):
        self.module, self.suffix, self.weight = module, suffix, weight

    def __repr__(self) -> str:
        return f"Format({self.module!r}, {self.suffix!r}, {self.weight!r})"


RENDERERS: dict[str, Format] = {
    "md": Format("planforge.render.markdown", ".md"),
    "html": Format("planforge.render.html", ".html"),
    "pptx": Format("planforge.render.deck", ".pptx", weight=5.0),
}
"""Output format name → its Format (the renderer module is imported only when used)."""


def __getattr__(name: str):
    # RenderOptions lives in its own module so that reading RENDERERS (an up-to-date build does) does not import
    # dataclasses; `from planforge.render import RenderOptions` still works.
    if name == "RenderOptions":
        from planforge.render.options import RenderOptions

        return RenderOptions
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def renderer(name: str) -> ModuleType:
    """Return the renderer module for an output format name such as 'md'."""
    return importlib.import_module(RENDERERS[name].module)


def suffix(name: str) -> str:
    """The file suffix of an output format, e.g. '.md' for 'md'."""
    return RENDERERS[name].suffix
