"""Renderers by output format. Each renderer is a module with `render(document, options) -> bytes`; what a build needs
to know about a format before rendering (its file suffix, how heavy it is) lives here, so that planning a build
imports no renderer.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class Format:
    """An output format: the module that renders it, the suffix of its files, roughly how many times as long as a
    Markdown page it takes to render (builds start the heaviest first), whether builds make it unless told which
    formats to make, and the module whose `require(what)` says whether a program it needs is installed."""

    __slots__ = ("module", "suffix", "weight", "default", "needs")

    def __init__(self, module: str, suffix: str, weight: float = 1.0, default: bool = True, needs: str | None = None):
        self.module, self.suffix, self.weight, self.default, self.needs = module, suffix, weight, default, needs

    def __repr__(self) -> str:
        return f"Format({self.module!r}, {self.suffix!r}, {self.weight!r})"


RENDERERS: dict[str, Format] = {
    "md": Format("planforge.render.markdown", ".md"),
    "html": Format("planforge.render.html", ".html"),
    "pptx": Format("planforge.render.deck", ".pptx", weight=5.0),
    "pdf": Format("planforge.render.pdf", ".pdf", weight=20.0, default=False, needs="planforge.render.libreoffice"),
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


def default_formats(start=None) -> list[str]:
    """The formats a build makes when none are named: the project's `formats` setting (planforge.toml or
    [tool.planforge] in pyproject.toml, see `planforge.project`), else every format marked default."""
    import os

    from planforge.paths import project_files

    chosen = None
    # Parsing TOML costs a no-op build more than the rest of it: only a settings file that says `formats` is read.
    if any(b"formats" in data for _, data in project_files(os.path.realpath(start or "."))):
        from pathlib import Path

        from planforge.project import find_project_config

        chosen = find_project_config(Path(start or ".")).formats(list(RENDERERS))
    return chosen if chosen is not None else [name for name, fmt in RENDERERS.items() if fmt.default]


def require_tools(formats) -> None:
    """Raise `planforge.render.libreoffice.ToolMissing` (one line: how to install it) when a format needs a
    program that is not installed."""
    for name in formats:
        needs = RENDERERS[name].needs
        if needs:
            importlib.import_module(needs).require(f"the {name} format")
