"""The presentation a deck is drawn on: the built-in 16:9 master, or a company .pptx with its own layouts.

A company template supplies its slide master, theme fonts and colours, and a layout for each slide role
(`layouts`); `company` reads its look. Where a role has no layout, the deck falls back to the built-in design and
says so.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from planforge.errors import PlanforgeWarning, Problem, TemplateError
from planforge.render.deck.draw import emu
from planforge.render.deck.theme import BUILTIN, Box, Placements, Theme

PT = 12700

TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
TEXT_TYPES = (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Chrome:
    """What a company content layout supplies besides its title: footer and slide-number placeholders to fill
    (None: planforge draws text boxes) and the graphics of each layout to keep clear of."""

    footer: Any = None
    number: Any = None
    obstacles: dict = field(default_factory=dict)
    """id(layout) → boxes of the graphics a slide on it shows."""
    panel: str | None = None
    """A fill drawn behind body text where the master's background is too busy to read on (None: not needed)."""
    looks: Any = None
    """The master's text looks per layout and legible colours for them (`company.Looks`)."""
    behind: tuple = ()
    """The colours under the tracker, source line and page number of content slides."""
    title_panel: str | None = None
    """A fill behind action titles on a background too busy for any colour (None: not needed)."""


@dataclass
class Base:
    """A presentation to draw on, its theme, and the layout each slide role uses (None: built-in design)."""

    presentation: Any
    theme: Theme
    layouts: dict[str, Any]
    blank: Any
    company: bool
    notes: list[str]
    """What was found and chosen, in words, for `planforge template check`."""
    chrome: Chrome | None = None
    """A company template's own footer and slide-number placeholders and the graphics to keep clear of."""

    def layout(self, role: str):
        """The layout to add a slide of this role with."""
        return self.layouts.get(role) or self.blank


def builtin_base(theme: Theme = BUILTIN) -> Base:
    """python-pptx's default presentation turned 16:9, with the theme's font and colours in its master."""
    presentation = widescreen(Presentation(), theme.width, theme.height)
    master = presentation.slide_master
    _apply_theme(master, theme)
    layouts = {layout.name: layout for layout in master.slide_layouts}
    # The built-in cover and dividers are drawn by planforge; only content slides use a placeholder title.
    return Base(presentation, theme, {"content": layouts["Title Only"]}, layouts["Title Only"], False, [])


def widescreen(presentation, width: float, height: float):
    """Give python-pptx's default (4:3) presentation another slide size in points, its placeholders widened to match."""
    scale = emu(width) / presentation.slide_width
    presentation.slide_width = emu(width)
    presentation.slide_height = emu(height)
    # Widen every placeholder that has its own position, so new slides look right.
    master = presentation.slide_master
    for owner in (master, *master.slide_layouts):
        for placeholder in owner.placeholders:
            if placeholder._element.spPr.find(qn("a:xfrm")) is not None:
                placeholder.left = round(placeholder.left * scale)
                placeholder.width = round(placeholder.width * scale)
    return presentation


def company_base(path: Path, theme: Theme = BUILTIN, layouts: dict[str, str] | None = None,
                 font_dirs: tuple[Path, ...] = (), layouts_source: str = "the settings") -> Base:
    """Open a company template: its slides removed, a layout per role, its look read and made legible."""
    presentation = _open(path)
    _remove_slides(presentation)
    from planforge.render.deck.company import read_company

    return read_company(presentation, Path(path), theme, dict(layouts or {}), tuple(font_dirs), layouts_source)


def check(path: Path, layouts: dict[str, str] | None = None, font_dirs: tuple[Path, ...] = (),
          layouts_source: str = "the settings") -> list[str]:
    """What planforge finds in a company template and what it will use, one line each (warnings included)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        base = company_base(path, layouts=layouts, font_dirs=font_dirs, layouts_source=layouts_source)
    return base.notes + [f"warning: {w.message}" for w in caught if issubclass(w.category, PlanforgeWarning)]


# --- reading a company template ------------------------------------------------------------------------------


def _open(path: Path):
    # The package is checked (sizes, XML, external links, .potx) in its own module before python-pptx reads it.
    from planforge.render.deck.template_package import open_presentation

    return open_presentation(path)


def _remove_slides(presentation) -> None:
    """Drop the template's own slides (examples, instructions); its masters and layouts stay."""
    slide_ids = presentation.slides._sldIdLst
    for slide_id in list(slide_ids):
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    # Custom shows and slide sections name slides by id; left pointing at removed slides, PowerPoint repairs the file.
    root = presentation.part._element
    for shows in root.findall(qn("p:custShowLst")):
        root.remove(shows)
    for extensions in root.findall(qn("p:extLst")):
        for extension in list(extensions):
            if any(etree.QName(child).localname == "sectionLst" for child in extension):
                extensions.remove(extension)


def scaled_placements(theme: Theme) -> Placements:
    """The built-in positions stretched to another slide size."""
    place = BUILTIN.place
    sx, sy = theme.width / BUILTIN.width, theme.height / BUILTIN.height

    def scale(box: Box) -> Box:
        return Box(box.x * sx, box.y * sy, box.w * sx, box.h * sy)

    return Placements(scale(place.tracker), scale(place.title), place.title_rule_y * sy, scale(place.body),
                      scale(place.source), scale(place.page_number))


def _apply_theme(master, theme: Theme) -> None:
    """Set the master theme's fonts and dark/accent colours, so text a user adds matches the deck."""
    part = master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    for font in root.iter(qn("a:majorFont"), qn("a:minorFont")):
        font.find(qn("a:latin")).set("typeface", theme.font)
    scheme = root.find(f".//{qn('a:clrScheme')}")
    for slot, colour in (("a:dk2", theme.palette.navy), ("a:accent1", theme.palette.accent)):
        holder = scheme.find(qn(slot))
        for child in list(holder):
            holder.remove(child)
        etree.SubElement(holder, qn("a:srgbClr")).set("val", colour)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
