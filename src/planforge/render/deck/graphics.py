"""The graphics a master or layout shows (pictures, shapes, text boxes, lines, graphic frames) and where they are.

Every one that planforge does not fill is an obstacle: `obstacles` lists them with their boxes in points, groups
resolved member by member and text that does not wrap counted at the width it really takes.
"""

from __future__ import annotations

from typing import Iterator

from lxml import etree
from pptx.oxml.ns import qn

from planforge.render.deck.theme import Box

PT = 12700


def local(element) -> str:
    """An element's tag without its namespace ("" for comments)."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def iter_graphics(tree, offset=(0.0, 0.0, 1.0, 1.0), include_placeholders: tuple = ()) -> Iterator[tuple[object, Box]]:
    """Every visible shape of a shape tree that is not a placeholder (except the types listed), with its box in
    points; group members come out one by one, placed through the group's transform."""
    ox, oy, sx, sy = offset
    for shape in tree:
        kind = local(shape)
        if kind not in ("sp", "pic", "grpSp", "graphicFrame", "cxnSp"):
            continue
        non_visual = next((child for child in shape if local(child).startswith("nv")), None)
        c_nv_pr = non_visual.find(qn("p:cNvPr")) if non_visual is not None else None
        if c_nv_pr is not None and c_nv_pr.get("hidden") in ("1", "true"):
            continue
        placeholder = non_visual.find(f"{qn('p:nvPr')}/{qn('p:ph')}") if non_visual is not None else None
        if placeholder is not None and placeholder.get("type", "body") not in include_placeholders:
            continue
        xfrm = _xfrm(shape)
        if xfrm is None:
            continue
        x, y, w, h = xfrm
        box = Box(ox + x * sx / PT, oy + y * sy / PT, w * sx / PT, h * sy / PT)
        if kind == "grpSp":
            child = shape.find(f"{qn('p:grpSpPr')}/{qn('a:xfrm')}")
            ch_off, ch_ext = child.find(qn("a:chOff")), child.find(qn("a:chExt"))
            if ch_off is None or ch_ext is None:
                continue
            cw, chh = int(ch_ext.get("cx", 0)) or 1, int(ch_ext.get("cy", 0)) or 1
            gsx, gsy = w * sx / cw, h * sy / chh
            inner = (box.x - int(ch_off.get("x", 0)) * gsx / PT, box.y - int(ch_off.get("y", 0)) * gsy / PT, gsx, gsy)
            yield from iter_graphics(shape, inner, include_placeholders)
            continue
        yield shape, box


def _xfrm(shape) -> tuple[int, int, int, int] | None:
    kind = local(shape)
    if kind == "graphicFrame":
        xfrm = shape.find(qn("p:xfrm"))
    elif kind == "grpSp":
        xfrm = shape.find(f"{qn('p:grpSpPr')}/{qn('a:xfrm')}")
    else:
        xfrm = shape.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
    if xfrm is None:
        return None
    off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    if off is None or ext is None:
        return None
    return int(off.get("x", 0)), int(off.get("y", 0)), int(ext.get("cx", 0)), int(ext.get("cy", 0))


def obstacles(layout, width: float, height: float) -> list[tuple[str, Box]]:
    """The graphics a slide on the layout shows that planforge must keep clear of: (what it is, box) each.

    Pictures, shapes, text boxes, lines and graphic frames of the master (unless the layout hides them) and of the
    layout. A graphic covering most of the slide is a background, not an obstacle; one that shows nothing (no
    fill, no line, no text) is left out.
    """
    trees = []
    if layout._element.get("showMasterSp", "1") not in ("0", "false"):
        trees.append(layout.slide_master._element.find(f"{qn('p:cSld')}/{qn('p:spTree')}"))
    trees.append(layout._element.find(f"{qn('p:cSld')}/{qn('p:spTree')}"))
    found = []
    for tree in trees:
        for shape, box in iter_graphics(tree):
            clipped = _clip(box, width, height)
            if clipped is None or clipped.w * clipped.h >= 0.6 * width * height or not _shows_something(shape):
                continue
            clipped = _clip(_text_extent(shape, box), width, height) or clipped
            name = shape.find(".//" + qn("p:cNvPr")).get("name", "") if shape.find(".//" + qn("p:cNvPr")) is not None else ""
            found.append((f"{local(shape)} {name!r}".strip(), clipped))
    return found


def _text_extent(shape, box: Box) -> Box:
    """The box text really takes in a shape that does not wrap: wider than the shape when its text is longer (the
    shape grows to the text, leftwards or both ways depending on the program), measured wide to be safe."""
    body = shape.find(qn("p:txBody"))
    body_pr = body.find(qn("a:bodyPr")) if body is not None else None
    if body_pr is None or body_pr.get("wrap") != "none":
        return box
    from planforge.render.deck import measure

    widest = 0.0
    for paragraph in body.iter(qn("a:p")):
        text = "".join(t.text or "" for t in paragraph.iter(qn("a:t")))
        sizes = [int(r.get("sz")) / 100 for r in paragraph.iter(qn("a:rPr"), qn("a:endParaRPr")) if r.get("sz")]
        with measure.measuring_with(measure.DEFAULT_FAMILY):
            widest = max(widest, measure.text_width(text, max(sizes, default=18.0)) * 1.2)
    excess = widest + 14.4 - box.w
    return box if excess <= 0 else Box(box.x - excess, box.y, box.w + 2 * excess, box.h)


def _clip(box: Box, width: float, height: float) -> Box | None:
    x0, y0, x1, y1 = max(0.0, box.x), max(0.0, box.y), min(width, box.right), min(height, box.bottom)
    if x1 - x0 <= 0.5 and y1 - y0 <= 0.5:
        return None
    if x1 < x0 or y1 < y0:
        return None
    return Box(x0, y0, max(x1 - x0, 0.75), max(y1 - y0, 0.75))


def _shows_something(shape) -> bool:
    kind = local(shape)
    if kind in ("pic", "graphicFrame"):
        return True
    if "".join(shape.itertext()).strip():
        return True
    properties = shape.find(qn("p:spPr"))
    if properties is None:
        return False
    fill = any(local(child) in ("solidFill", "gradFill", "blipFill", "pattFill") for child in properties)
    styled = shape.find(f"{qn('p:style')}/{qn('a:fillRef')}") is not None and properties.find(qn("a:noFill")) is None
    line = properties.find(qn("a:ln"))
    outlined = line is not None and line.find(qn("a:noFill")) is None and len(line)
    styled_line = shape.find(f"{qn('p:style')}/{qn('a:lnRef')}") is not None and (line is None or line.find(qn("a:noFill")) is None)
    return bool(fill or styled or outlined or styled_line)
