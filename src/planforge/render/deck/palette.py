"""Legible colours from a company theme: every colour planforge draws with, checked against what is behind it.

Text must meet WCAG AA against every colour under where it goes (4.5:1 under 18 pt, 3:1 above); bars and other
graphics that carry meaning need 3:1. The first choice is the master's own colour for the purpose; when it fails,
the first theme colour that passes is taken, and the notes say so (`planforge template check` prints them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from planforge.render.deck.brand import Scheme
from planforge.render.deck.colours import AA_LARGE, AA_NORMAL, contrast_ratio
from planforge.render.deck.theme import Palette


def mix(colour: str, other: str, amount: float) -> str:
    """`colour` moved `amount` (0–1) of the way to `other`."""
    a = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
    b = [int(other[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(x + (y - x) * amount):02X}" for x, y in zip(a, b))


def worst(colour: str, behind: Iterable[str]) -> float:
    """The lowest contrast of a colour against any of the colours behind it."""
    return min((contrast_ratio(colour, other) for other in behind), default=21.0)


@dataclass
class Picker:
    """Picks colours that pass against the colours behind, and notes every fallback."""

    scheme: Scheme
    notes: list[str] = field(default_factory=list)

    def pick(self, purpose: str, wanted: Sequence[str], behind: Sequence[str], needed: float) -> str:
        """The first of the wanted colours (scheme names or RRGGBB) meeting `needed` against everything behind;
        else the first theme colour that does; else the one that comes closest."""
        first = self._hex(wanted[0])
        tried = [self._hex(name) for name in wanted]
        for colour in tried:
            if worst(colour, behind) >= needed:
                if colour != first:
                    self.notes.append(f"{purpose}: {first} has {worst(first, behind):.1f}:1 against what is behind it "
                                      f"(needs {needed:g}:1); using {colour} ({worst(colour, behind):.1f}:1)")
                return colour
        theme = [self.scheme.colour(slot) for slot in ("tx1", "bg1", "tx2", "bg2", "accent1", "accent2", "accent3",
                                                         "accent4", "accent5", "accent6")] + ["000000", "FFFFFF"]
        for colour in theme:
            if worst(colour, behind) >= needed:
                self.notes.append(f"{purpose}: no preferred colour reaches {needed:g}:1; using theme colour {colour} "
                                  f"({worst(colour, behind):.1f}:1)")
                return colour
        best = max(theme + tried, key=lambda colour: worst(colour, behind))
        self.notes.append(f"{purpose}: nothing reaches {needed:g}:1 against what is behind it; best is {best} "
                          f"({worst(best, behind):.1f}:1)")
        return best

    def _hex(self, name: str) -> str:
        return name if len(name) == 6 and all(c in "0123456789ABCDEF" for c in name) else self.scheme.colour(name)

    def grey(self, purpose: str, text: str, base: str, behind: Sequence[str], amounts: Sequence[float]) -> str:
        """The text colour faded toward the background as far as legibility allows (a secondary grey)."""
        for amount in amounts:
            colour = mix(text, base, amount)
            if worst(colour, behind) >= AA_NORMAL:
                return colour
        return text


def company_palette(scheme: Scheme, behind: Sequence[str], base: str, notes: list[str]) -> Palette:
    """The palette drawn with on a company template's content slides, legible on the colours `behind` the body.

    `base` is the colour most of the body area shows (its average), toward which greys fade and from which pale
    fills are tinted, so a dark master gets dark cards and a light one light cards.
    """
    picker = Picker(scheme)
    text = picker.pick("body text", ["tx1", "dk1", "lt1", "000000", "FFFFFF"], behind, AA_NORMAL)
    pale = mix(base, text, 0.06)
    light = mix(base, text, 0.12)
    on_fills = list(behind) + [pale]  # text sits on cards, label cells and Gantt rows (pale); light is for rules
    text = picker.pick("body text on cards", [text, "tx1", "000000", "FFFFFF"], on_fills, AA_NORMAL)
    navy = picker.pick("headings and table headers", ["tx2", "dk2", "accent1", text], on_fills, AA_NORMAL)
    accent = picker.pick("accent (bars, bullets)", ["accent1", "accent2", "accent3", "accent4", "accent5",
                                                    "accent6", "tx2", navy], behind, AA_LARGE)
    grey_dark = picker.grey("secondary text", text, base, on_fills, (0.3, 0.2, 0.1, 0.0))
    grey_mid = picker.grey("tracker and page number", text, base, on_fills, (0.45, 0.35, 0.25, 0.15, 0.0))
    bg1 = scheme.colour("bg1")
    on = [bg1, "FFFFFF", text, "000000"]
    palette = Palette(
        navy=navy, accent=accent, text=text, grey_dark=grey_dark, grey_mid=grey_mid,
        grey_rule=mix(text, base, 0.7), grey_light=light, grey_pale=pale, white=bg1,
        on_navy=picker.pick("text on heading-coloured fills", on, [navy], AA_NORMAL),
        on_accent=picker.pick("text on accent fills", on, [accent], AA_NORMAL),
        on_grey=picker.pick("text on grey fills", on, [grey_dark], AA_NORMAL),
        marker=picker.pick("bullets and list numbers", [accent, "accent1", "accent2", "accent5", "accent6", navy, text],
                           on_fills, AA_NORMAL),
    )
    notes.extend(picker.notes)
    return palette
