"""A stand-in company template: Calibri, burgundy and orange, a brand bar on the master, one sample slide."""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu

from planforge.render.deck.template import widescreen

PT = 12700
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
DARK = "7A1E1E"
ACCENT = "E07B00"
TITLE_BOX = (40, 40, 880, 70)
"""Where the template's "Title Only" layout puts its title (points)."""


def make_template(path: Path, drop: tuple[str, ...] = (), font: str = "Calibri") -> Path:
    """Write a 16:9 template with its own font, colours, title position and brand bar; drop the named layouts."""
    presentation = widescreen(Presentation(), 960, 540)
    master = presentation.slide_master
    theme = master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for holder in root.iter(qn("a:majorFont"), qn("a:minorFont")):
        holder.find(qn("a:latin")).set("typeface", font)
    scheme = root.find(f".//{qn('a:clrScheme')}")
    for slot, colour in (("a:dk2", DARK), ("a:accent1", ACCENT)):
        holder = scheme.find(qn(slot))
        for child in list(holder):
            holder.remove(child)
        etree.SubElement(holder, qn("a:srgbClr")).set("val", colour)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    # A brand bar along the bottom of the master (masters cannot add shapes, so copy one from a scratch slide).
    scratch = presentation.slides.add_slide(master.slide_layouts[6])
    bar = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Emu(530 * PT), presentation.slide_width, Emu(10 * PT))
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor.from_string(DARK)
    bar.name = "Brand bar"
    master.shapes._spTree.append(copy.deepcopy(bar._element))
    slide_ids = presentation.slides._sldIdLst
    presentation.part.drop_rel(slide_ids[0].rId)
    slide_ids.remove(slide_ids[0])
    title_only = next(layout for layout in master.slide_layouts if layout.name == "Title Only")
    title = title_only.placeholders[0]
    title.left, title.top, title.width, title.height = (Emu(v * PT) for v in TITLE_BOX)
    for name in drop:
        master.slide_layouts.remove(next(layout for layout in master.slide_layouts if layout.name == name))
    sample = presentation.slides.add_slide(master.slide_layouts[0])
    sample.shapes.title.text = "Sample slide to delete"
    # Like most real templates, the sample slide sits in a named section.
    sample_id = presentation.slides._sldIdLst[0].id
    presentation.part._element.append(etree.fromstring(
        f'<p:extLst xmlns:p="{P}"><p:ext uri="{{521415D9-36F7-43E2-AB2F-B90AF26B5E84}}">'
        f'<p14:sectionLst xmlns:p14="{P14}"><p14:section name="Examples" id="{{6A1B2C3D-0000-4000-8000-000000000001}}">'
        f'<p14:sldIdLst><p14:sldId id="{sample_id}"/></p14:sldIdLst></p14:section></p14:sectionLst></p:ext></p:extLst>'))
    presentation.save(path)
    return path
