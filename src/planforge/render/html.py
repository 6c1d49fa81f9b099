"""A self-contained HTML page from the `html/` Jinja templates."""

from __future__ import annotations

from typing import Any

from planforge.render import RenderOptions
from planforge.render.templating import render_template

TEMPLATES = {
    "strategy": "html/strategy.html.j2",
    "30-60-90": "html/30-60-90.html.j2",
}
"""Template for each document kind."""


def render(document: Any, options: RenderOptions) -> bytes:
    """Return the document as one UTF-8 HTML page with its stylesheet inline."""
    text = render_template(TEMPLATES[document.kind], document, options.templates_dir)
    return (text.strip() + "\n").encode("utf-8")
