"""Placeholders and shape order on a slide: the title placeholder, inherited ones, the slide-number field."""

from __future__ import annotations

from pptx.oxml.ns import qn

from planforge.render.deck import draw
from planforge.render.deck.template import TITLE_TYPES
from planforge.render.deck.theme import Box


def title_placeholder(target, box: Box):
    """Add a title placeholder of the slide's own, for a layout that has none: screen readers, the outline view
    and PowerPoint's Accessibility Checker find a slide's title only in a title placeholder."""
    shape = target.shapes.add_textbox(draw.emu(box.x), draw.emu(box.y), draw.emu(box.w), draw.emu(box.h))
    shape.name = "Title"
    element = shape._element
    element.nvSpPr.cNvSpPr.attrib.pop("txBox", None)
    element.nvSpPr.nvPr.append(element.makeelement(qn("p:ph"), {"type": "title"}))
    return target.shapes.title


def add_placeholder(target, layout_placeholder, box: Box | None, name: str):
    """Put a placeholder on the slide that inherits from the layout's (None: the master's title), at `box`."""
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls

    if layout_placeholder is None:
        ph = '<p:ph type="title"/>'
    else:
        fmt = layout_placeholder._element.ph
        attributes = {"type": fmt.get("type"), "sz": fmt.get("sz"), "idx": fmt.get("idx")}
        ph = "<p:ph " + " ".join(f'{k}="{v}"' for k, v in attributes.items() if v is not None) + "/>"
    tree = target.shapes._spTree
    shape_id = max((int(e.get("id")) for e in tree.iter() if e.tag.endswith("}cNvPr") and e.get("id", "").isdigit()),
                   default=1) + 1
    element = parse_xml(
        f'<p:sp {nsdecls("p", "a")}><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr>'
        f'<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr/>'
        f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p/></p:txBody></p:sp>')
    tree.append(element)
    shape = target.shapes[-1]
    if box is not None:
        shape.left, shape.top, shape.width, shape.height = (draw.emu(box.x), draw.emu(box.y), draw.emu(box.w),
                                                            draw.emu(box.h))
    number_shapes_quickly(target)
    return shape


def slide_number_field(shape) -> None:
    """Turn the text of a slide-number placeholder into PowerPoint's slide-number field (renumbers itself)."""
    from lxml import etree
    from pptx.oxml.ns import qn

    for run in shape._element.iter(qn("a:r")):
        field = etree.Element(qn("a:fld"), id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", type="slidenum")
        for child in list(run):
            field.append(child)
        run.getparent().replace(run, field)


def send_to_back(target, shape) -> None:
    """Move a shape behind everything else on the slide (a panel under the title placeholder)."""
    tree = target.shapes._spTree
    tree.remove(shape._element)
    tree.insert(2, shape._element)  # after the group's own nvGrpSpPr and grpSpPr


def number_shapes_quickly(target) -> None:
    """Give shapes added from now on the next id by counting, not by searching the slide's XML for the highest.

    The ids are the same as long as no shape is removed from the slide afterwards (call this again after removing).
    """
    target.shapes.turbo_add_enabled = True


def keep_only_title(target) -> None:
    """Remove the placeholders a layout put on the slide, except its title (empty ones show prompts)."""
    for shape in list(target.placeholders):
        if shape.placeholder_format.type not in TITLE_TYPES:
            shape._element.getparent().remove(shape._element)
