"""GitHub-flavoured Markdown from the `markdown/` Jinja templates."""

from __future__ import annotations

import re
from typing import Any

from planforge.render import RenderOptions
from planforge.render.templating import render_template

TEMPLATES = {
    "strategy": "markdown/strategy.md.j2",
    "30-60-90": "markdown/30-60-90.md.j2",
}
"""Template for each document kind."""


def render(document: Any, options: RenderOptions) -> bytes:
    """Return the document as UTF-8 Markdown."""
    text = render_template(TEMPLATES[document.kind], document, options.templates_dir)
    # Optional template sections leave runs of blank lines; one blank line is all Markdown needs.
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text.encode("utf-8")
