"""Typography of generated labels by language: French no-break spaces around `: ; ! ? « »`; Japanese and Chinese
full-width colons with no space after, and no spaces between the parts of a phrase."""

from __future__ import annotations

import re
from typing import Iterable

NBSP = "\u00a0"
"""No-break space: before a colon and inside « » in French."""
NNBSP = "\u202f"
"""Narrow no-break space: before ; ! ? in French."""
FULL_WIDTH_COLON = "\uff1a"
"""The colon of Japanese and Chinese labels ("担当：経営企画部"); its glyph carries its own space."""

CJK = frozenset({"ja", "zh"})
"""Languages written without spaces between words, whose labels take full-width punctuation."""
_COMMA = {"ja": "、", "zh": "，"}
"""The comma that joins the parts of a phrase ("**0.9 %**（現状1.8 %）、2027年度までに達成")."""

_LEADING = "（(「『【〔、，。：；"
_TRAILING = "、，。：；"
_SPACES = "[ \u00a0\u202f]*"
_COLON = re.compile(_SPACES + r":(?!//)")
_TALL = re.compile(_SPACES + r"([;!?])")
_CLOSE = re.compile(_SPACES + "»")
_OPEN = re.compile("«" + _SPACES)
_CJK_COLON = re.compile(_SPACES + r":(?!//) ?")


def typeset(text: str, code: str) -> str:
    """Return a label with the spacing its language asks for (French: no-break spaces; Japanese and Chinese:
    full-width colons); others unchanged."""
    if code in CJK:
        return _CJK_COLON.sub(FULL_WIDTH_COLON, text)
    if code != "fr":
        return text
    text = _COLON.sub(NBSP + ":", text)
    text = _TALL.sub(NNBSP + r"\1", text)
    text = _CLOSE.sub(NBSP + "»", text)
    return _OPEN.sub("«" + NBSP, text)


def colon(code: str, space: bool = False) -> str:
    """The colon after a label (":", French "\u00a0:", Japanese "："), with the space that follows it when `space`
    (none after a full-width colon)."""
    if code in CJK:
        return FULL_WIDTH_COLON
    return typeset(":", code) + (" " if space else "")


def join_phrase(parts: Iterable[str], code: str) -> str:
    """Join the parts of a phrase: with spaces, or in Japanese and Chinese with nothing before a part that starts
    with punctuation ("（現状1.8 %）") and the language's comma before any other."""
    parts = [part for part in parts if part]
    if code not in CJK:
        return " ".join(parts)
    joined = parts[0] if parts else ""
    for part in parts[1:]:
        punctuated = part[0] in _LEADING or joined.endswith(tuple(_TRAILING))
        joined += part if punctuated else _COMMA[code] + part
    return joined
