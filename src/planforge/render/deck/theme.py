"""The deck's look in one place: palette, font, sizes, 16:9 geometry and where every slide element sits (points)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in points from the top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        """x of the right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """y of the bottom edge."""
        return self.y + self.h

    def scaled(self, factor: float) -> Box:
        """The box with every coordinate multiplied by factor."""
        return Box(self.x * factor, self.y * factor, self.w * factor, self.h * factor)

    def inset(self, dx: float, dy: float = 0.0) -> Box:
        """Return the box shrunk by dx on the left and right and dy on the top and bottom."""
        return Box(self.x + dx, self.y + dy, self.w - 2 * dx, self.h - 2 * dy)


@dataclass(frozen=True)
class Palette:
    """Colours as RRGGBB hex: one dark, one accent, greys."""

    navy: str = "0B2545"
    accent: str = "1A73E8"
    text: str = "262626"
    grey_dark: str = "595959"
    grey_mid: str = "6E6E6E"
    """Secondary text (tracker, page numbers): 4.5:1 on white and on the pale grey, WCAG AA at any size."""
    grey_rule: str = "BFBFBF"
    grey_light: str = "E3E6EA"
    grey_pale: str = "F3F4F6"
    white: str = "FFFFFF"
    on_navy: str = "FFFFFF"
    """Text on a fill of the dark colour (table headers, phase bars)."""
    on_accent: str = "FFFFFF"
    """Text on a fill of the accent colour."""
    on_grey: str = "FFFFFF"
    """Text on a fill of the dark grey."""
    marker: str | None = None
    """Bullets and list numbers (text, so 4.5:1); None: the accent."""

    @property
    def bullets(self) -> str:
        """The colour of bullets and list numbers."""
        return self.marker or self.accent

    def tint(self, colour: str, amount: float) -> str:
        """Mix a colour with white; amount 0 keeps it, 1 gives white."""
        channels = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
        mixed = [round(c + (255 - c) * amount) for c in channels]
        return "".join(f"{c:02X}" for c in mixed)


@dataclass(frozen=True)
class Sizes:
    """Font sizes in points: the largest a layout tries and the smallest it accepts."""

    title: float = 24
    title_min: float = 20
    body: float = 18
    body_min: float = 12
    statement: float = 26
    table: float = 16
    table_min: float = 10
    label: float = 14
    footer: float = 9
    footer_min: float = 8
    tracker: float = 10
    page_number: float = 9
    cover_title: float = 40
    cover_title_min: float = 28
    cover_subtitle: float = 20
    cover_meta: float = 14
    divider: float = 36
    divider_action: float = 32
    divider_min: float = 24


@dataclass(frozen=True)
class Placements:
    """Fixed positions of the elements every content slide shares."""

    tracker: Box
    title: Box
    title_rule_y: float | None
    """Where the thin rule under the title runs; None when a company master draws its own."""
    body: Box
    source: Box
    page_number: Box


@dataclass(frozen=True)
class Theme:
    """Everything that decides how the deck looks; every builder reads from one Theme."""

    font: str = "Arial"
    palette: Palette = field(default_factory=Palette)
    sizes: Sizes = field(default_factory=Sizes)
    width: float = 960.0
    height: float = 540.0
    margin: float = 36.0
    placements: Placements | None = None
    title_font: str | None = None
    """The font titles are set in (a company master's heading font); None: `font`."""
    title_color: str | None = None
    """The colour of action titles; None: the palette's dark colour (the built-in design), or the master's own
    title colour on a company template (written only when it is not legible there)."""
    measure_family: str = "Liberation Sans"
    """The font family body text is measured with (`measure`'s name for it)."""
    title_measure_family: str | None = None
    """The font family titles are measured with; None: `measure_family`."""
    title_bold: bool = False
    """Whether a company master sets its titles bold (planforge writes the weight it measured with)."""
    unit: float = 1.0
    """Slide height / 540 pt: fixed distances and type scale by it on larger masters."""

    @property
    def place(self) -> Placements:
        """Positions of title, tracker, body and footer (built-in ones unless a template supplied its own)."""
        return self.placements or builtin_placements(self)

    def with_placements(self, placements: Placements) -> Theme:
        """Return this theme with other positions, e.g. a company master's placeholder bounds."""
        return replace(self, placements=placements)


def builtin_placements(theme: Theme) -> Placements:
    """The built-in layout: tracker top-right, two-line title, body, footer line and page number."""
    left, right = theme.margin, theme.width - theme.margin
    width = right - left
    return Placements(
        tracker=Box(left + width * 0.35, 14, width * 0.65, 16),
        title=Box(left, 36, width, 60),
        title_rule_y=102,
        body=Box(left, 116, width, 378),
        source=Box(left, 504, width - 60, 22),
        page_number=Box(right - 48, 508, 48, 14),
    )


BUILTIN = Theme()
"""The built-in theme."""
