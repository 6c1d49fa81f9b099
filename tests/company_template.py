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


# --------------------------------------------------------------------------- hostile masters
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HOSTILE = ("dark-title-band", "corner-logos", "textbox-top-right", "swapped-colour-map", "pale-accent",
           "photo-background", "four-three", "keynote-size", "french-names", "japanese-names", "two-masters",
           "verdana")
"""Generated masters that broke planforge decks before (issue 11), one hostile trait each."""
FRENCH = {"Title Slide": "Diapositive de titre", "Title and Content": "Titre et contenu",
          "Section Header": "En-tête de section", "Two Content": "Deux contenus", "Comparison": "Comparaison",
          "Title Only": "Titre seul", "Blank": "Vide", "Content with Caption": "Contenu avec légende",
          "Picture with Caption": "Image avec légende"}
JAPANESE = {"Title Slide": "タイトル スライド", "Title and Content": "タイトルとコンテンツ", "Section Header": "セクション見出し",
            "Title Only": "タイトルのみ", "Blank": "白紙"}


def _png(colours, size=(120, 80), noise: bool = False) -> bytes:
    """A small PNG: one colour, or a coarse checkerboard of the given colours (a busy 'photo')."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, "#" + colours[0])
    if noise:
        cell = 6
        for y in range(0, size[1], cell):
            for x in range(0, size[0], cell):
                colour = colours[(x // cell * 7 + y // cell * 3) % len(colours)]
                image.paste("#" + colour, (x, y, x + cell, y + cell))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _theme(master):
    part = master.part.part_related_by(RT.THEME)
    return part, etree.fromstring(part.blob)


def _set_slot(root, slot: str, colour: str) -> None:
    holder = root.find(f".//{qn('a:clrScheme')}/{qn('a:' + slot)}")
    for child in list(holder):
        holder.remove(child)
    etree.SubElement(holder, qn("a:srgbClr")).set("val", colour)


def _copy_shape(presentation, master, make) -> None:
    """Draw a shape on a scratch slide with `make(shapes)` and move it onto the master."""
    scratch = presentation.slides.add_slide(master.slide_layouts[6])
    shape = make(scratch.shapes)
    element = copy.deepcopy(shape._element)
    for blip in element.iter(qn("a:blip")):
        # A picture's image is related to the scratch slide: relate it to the master too.
        image_part = scratch.part.related_part(blip.get(qn("r:embed")))
        blip.set(qn("r:embed"), master.part.relate_to(image_part, RT.IMAGE))
    master.shapes._spTree.append(element)
    slide_ids = presentation.slides._sldIdLst
    presentation.part.drop_rel(slide_ids[-1].rId)
    slide_ids.remove(slide_ids[-1])


def _picture(shapes, png: bytes, box, name: str):
    import io

    picture = shapes.add_picture(io.BytesIO(png), *(Emu(round(v * PT)) for v in box))
    picture.name = name
    return picture


def hostile_template(path: Path, case: str) -> Path:
    """Write a template with one of the HOSTILE traits (a plain 16:9 Office master otherwise)."""
    width, height = {"four-three": (720, 540), "keynote-size": (1920, 1080)}.get(case, (960, 540))
    presentation = widescreen(Presentation(), width, height)
    if (width, height) != (960, 540):
        presentation.slide_height = Emu(height * PT)
        # widescreen scales x only; the 1920 × 1080 master doubles y as well.
        for owner in (presentation.slide_master, *presentation.slide_master.slide_layouts):
            for placeholder in owner.placeholders:
                if placeholder._element.spPr.find(qn("a:xfrm")) is not None:
                    placeholder.top = round(placeholder.top * height / 540)
                    placeholder.height = round(placeholder.height * height / 540)
    master = presentation.slide_master
    theme_part, root = _theme(master)
    if case == "dark-title-band":
        _copy_shape(presentation, master, lambda shapes: _band(shapes, (0, 0, width, 120), "1B1B2F", "Title band"))
        for owner in (master, *master.slide_layouts):
            for placeholder in owner.placeholders:
                if placeholder.placeholder_format.type in (1, 3):  # title, centre title
                    if placeholder._element.spPr.find(qn("a:xfrm")) is not None or owner is master:
                        placeholder.left, placeholder.top = Emu(36 * PT), Emu(20 * PT)
                        placeholder.width, placeholder.height = Emu((width - 72) * PT), Emu(84 * PT)
    elif case == "corner-logos":
        logo = _png(["C8102E"])
        for index, (x, y) in enumerate(((8, 8), (width - 98, 8), (8, height - 68), (width - 98, height - 68))):
            _copy_shape(presentation, master, lambda shapes, x=x, y=y, i=index: _picture(
                shapes, logo, (x, y, 90, 60), f"Logo {i + 1}"))
    elif case == "textbox-top-right":
        def confidential(shapes):
            box = shapes.add_textbox(Emu((width - 260) * PT), Emu(6 * PT), Emu(250 * PT), Emu(30 * PT))
            box.name = "Confidential"
            box.text_frame.text = "CONFIDENTIAL – INTERNAL USE ONLY"
            return box
        _copy_shape(presentation, master, confidential)
    elif case == "swapped-colour-map":
        master._element.find(qn("p:clrMap")).attrib.update({"bg1": "dk1", "tx1": "lt1", "bg2": "dk2", "tx2": "lt2"})
        # …with a light background written as an explicit colour, as Keynote exports do.
        _solid_background(master, "F2F2F2")
    elif case == "pale-accent":
        _set_slot(root, "accent1", "DDDDDD")
        _set_slot(root, "accent2", "E8E8E8")
    elif case == "photo-background":
        image_part_rid = _relate_image(presentation, master, _png(["1E1E1E", "8A8A8A", "D9D9D9", "4D4D4D"],
                                                                 (320, 180), noise=True))
        _picture_background(master, image_part_rid)
    elif case == "french-names":
        for layout in master.slide_layouts:
            layout.name = FRENCH.get(layout.name, layout.name)
    elif case == "japanese-names":
        for layout in master.slide_layouts:
            layout.name = JAPANESE.get(layout.name, layout.name)
            # Without types too: only the name (or the structure) can tell the roles apart.
            layout._element.attrib.pop("type", None)
    elif case == "verdana":
        for holder in root.iter(qn("a:majorFont"), qn("a:minorFont")):
            holder.find(qn("a:latin")).set("typeface", "Verdana")
    theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if case == "two-masters":
        _add_second_master(presentation)
    presentation.save(path)
    return path


def _band(shapes, box, colour: str, name: str):
    band = shapes.add_shape(MSO_SHAPE.RECTANGLE, *(Emu(round(v * PT)) for v in box))
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor.from_string(colour)
    band.line.fill.background()
    band.name = name
    return band


def _solid_background(master, colour: str) -> None:
    c_sld = master._element.find(qn("p:cSld"))
    for old in c_sld.findall(qn("p:bg")):
        c_sld.remove(old)
    c_sld.insert(0, etree.fromstring(
        f'<p:bg xmlns:p="{P}" xmlns:a="{A}"><p:bgPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
        f'<a:effectLst/></p:bgPr></p:bg>'))


def _relate_image(presentation, master, png: bytes) -> str:
    import io

    scratch = presentation.slides.add_slide(master.slide_layouts[6])
    picture = scratch.shapes.add_picture(io.BytesIO(png), 0, 0)
    image_part = scratch.part.related_part(picture._element.blipFill.find(qn("a:blip")).get(qn("r:embed")))
    rid = master.part.relate_to(image_part, RT.IMAGE)
    slide_ids = presentation.slides._sldIdLst
    presentation.part.drop_rel(slide_ids[-1].rId)
    slide_ids.remove(slide_ids[-1])
    return rid


def _picture_background(master, rid: str) -> None:
    c_sld = master._element.find(qn("p:cSld"))
    for old in c_sld.findall(qn("p:bg")):
        c_sld.remove(old)
    c_sld.insert(0, etree.fromstring(
        f'<p:bg xmlns:p="{P}" xmlns:a="{A}" xmlns:r="{R}"><p:bgPr><a:blipFill dpi="0" rotWithShape="1">'
        f'<a:blip r:embed="{rid}"/><a:srcRect/><a:stretch><a:fillRect/></a:stretch></a:blipFill><a:effectLst/>'
        f'</p:bgPr></p:bg>'))


def _add_second_master(presentation) -> None:
    """Append a copy of the master (own theme and layouts) whose layouts are renamed, as templates with a 'light'
    and a 'dark' master have; the first master keeps the standard layouts."""
    from pptx.opc.package import Part, PartFactory  # noqa: F401  (python-pptx's part machinery)
    from pptx.opc.packuri import PackURI

    package = presentation.part.package
    first = presentation.slide_master
    theme_old = first.part.part_related_by(RT.THEME)
    theme_new = Part(PackURI("/ppt/theme/theme2.xml"), theme_old.content_type, package, theme_old.blob)
    master_xml = copy.deepcopy(first._element)
    master_part = type(first.part)(PackURI("/ppt/slideMasters/slideMaster2.xml"), first.part.content_type, package,
                                   master_xml)
    master_part.relate_to(theme_new, RT.THEME)
    layout_ids = master_xml.find(qn("p:sldLayoutIdLst"))
    for child in list(layout_ids):
        layout_ids.remove(child)
    next_id = 2147483900
    for index, layout in enumerate(first.slide_layouts, start=1):
        element = copy.deepcopy(layout._element)
        element.find(qn("p:cSld")).set("name", "Dark " + layout.name)
        part = type(layout.part)(PackURI(f"/ppt/slideLayouts/slideLayout{100 + index}.xml"), layout.part.content_type,
                                 package, element)
        part.relate_to(master_part, RT.SLIDE_MASTER)
        rid = master_part.relate_to(part, RT.SLIDE_LAYOUT)
        next_id += 1
        etree.SubElement(layout_ids, qn("p:sldLayoutId"), id=str(next_id)).set(qn("r:id"), rid)
    rid = presentation.part.relate_to(master_part, RT.SLIDE_MASTER)
    masters = presentation.part._element.find(qn("p:sldMasterIdLst"))
    next_id += 1
    etree.SubElement(masters, qn("p:sldMasterId"), id=str(next_id)).set(qn("r:id"), rid)
