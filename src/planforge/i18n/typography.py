"""Typography of generated labels by language: French no-break spaces around `: ; ! ? « »`."""

from __future__ import annotations

import re

NBSP = "\u00a0"
"""No-break space: before a colon and inside « » in French."""
NNBSP = "\u202f"
"""Narrow no-break space: before ; ! ? in French."""

_SPACES = "[ \u00a0\u202f]*"
_COLON = re.compile(_SPACES + r":(?!//)")
_TALL = re.compile(_SPACES + r"([;!?])")
_CLOSE = re.compile(_SPACES + "»")
_OPEN = re.compile("«" + _SPACES)


def typeset(text: str, code: str) -> str:
    """Return a label with the spacing its language asks for (French: no-break spaces); others unchanged."""
    if code != "fr":
        return text
    text = _COLON.sub(NBSP + ":", text)
    text = _TALL.sub(NNBSP + r"\1", text)
    text = _CLOSE.sub(NBSP + "»", text)
    return _OPEN.sub("«" + NBSP, text)
