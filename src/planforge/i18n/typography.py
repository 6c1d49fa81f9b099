"""Typography of generated labels by language: French no-break spaces around `: ; ! ? « »`."""

from __future__ import annotations

import re

NBSP = "\u00a0"
"""No-break space: before a colon and inside « » in French."""
NNBSP = "\u202f"
"""Narrow no-break space: before ; ! ? in French."""

_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]?(?=:(?!//))")
_BEFORE_TALL = re.compile(r"[ \u00a0\u202f]?(?=[;!?])")
_BEFORE_CLOSE = re.compile(r"[ \u00a0\u202f]?»")
_AFTER_OPEN = re.compile(r"«[ \u00a0\u202f]?")


def typeset(text: str, code: str) -> str:
    """Return a label with the spacing its language asks for (French: no-break spaces); others unchanged."""
    if code != "fr":
        return text
    # A placeholder such as "{name}:" keeps its colon rule; format fields never contain these characters.
    text = _BEFORE_COLON.sub(NBSP, text)
    text = _BEFORE_TALL.sub(NNBSP, text)
    text = _BEFORE_CLOSE.sub(NBSP + "»", text)
    return _AFTER_OPEN.sub("«" + NBSP, text)
