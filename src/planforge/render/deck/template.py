"""The presentation a deck is drawn on: the built-in 16:9 master (company masters come later)."""

from __future__ import annotations

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from planforge.render.deck.draw import emu
from planforge.render.deck.theme import Theme

CONTENT_LAYOUT = "Title Only"
"""Layout every slide uses: a title placeholder the builders position, and nothing else."""


def builtin_presentation(theme: Theme):
    """Return python-pptx's default presentation turned 16:9, with the theme's font and colours in its master."""
    presentation = Presentation()
    scale = emu(theme.width) / presentation.slide_width
    presentation.slide_width = emu(theme.width)
    presentation.slide_height = emu(theme.height)
    # The default master is 4:3; widen every placeholder that has its own position so new slides look right.
    master = presentation.slide_master
    for owner in (master, *master.slide_layouts):
        for placeholder in owner.placeholders:
            if placeholder._element.spPr.find(qn("a:xfrm")) is not None:
                placeholder.left = round(placeholder.left * scale)
                placeholder.width = round(placeholder.width * scale)
    _apply_theme(master, theme)
    return presentation


def content_layout(presentation):
    """Return the layout content slides are added with."""
    return next(layout for layout in presentation.slide_layouts if layout.name == CONTENT_LAYOUT)


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
