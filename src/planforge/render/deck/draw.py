"""Native PowerPoint shapes: text boxes, tables, rectangles and lines placed in points, text set from Paras."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Sequence

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from planforge.i18n import current
from planforge.render.deck import linebreak, measure
from planforge.render.deck.measure import Para, TextStyle
from planforge.render.deck.theme import Box
from planforge.text import runs

NO_TABLE_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
"""PowerPoint's built-in "No Style, No Grid" table style: every look comes from explicit cell settings."""

BULLETS = ("•", "–")


# Characters XML 1.0 cannot carry; YAML's escapes ("\a", "\x01") can put them into plan text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


# DrawingML tags in Clark notation, worked out once: qn() parses its argument on every call, and a deck writes
# thousands of paragraphs, runs and cell borders.
_A = {name: qn(f"a:{name}") for name in (
    "p", "pPr", "lnSpc", "spcPct", "spcBef", "spcPts", "buClr", "srgbClr", "buSzPct", "buFont", "buAutoNum", "buChar",
    "buNone", "r", "rPr", "solidFill", "latin", "ea", "cs", "t", "br", "endParaRPr", "lnL", "lnR", "lnT", "lnB", "noFill",
    "bodyPr", "noAutofit", "extLst", "ext",
)}
_AUTOFITS = {qn("a:noAutofit"), qn("a:normAutofit"), qn("a:spAutoFit")}
_AFTER_AUTOFIT = {qn("a:scene3d"), qn("a:sp3d"), qn("a:flatTx"), qn("a:extLst")}


def xml_safe(text: str) -> str:
    """Text with characters a .pptx cannot hold replaced by spaces."""
    return _NOT_XML.sub(" ", text)


def emu(points: float) -> Emu:
    """Points → EMU, rounded to whole EMU."""
    return Emu(round(points * 12700))


@dataclass(frozen=True)
class Ink:
    """How text is coloured and aligned in a box."""

    font: str | None
    """None leaves the font to the slide master (company placeholders)."""
    color: str | None
    """None leaves the colour to the slide master (company placeholders)."""
    align: str | None = "left"
    """None leaves the alignment to the slide master (company placeholders)."""
    bullet_color: str | None = None


def text_box(slide, box: Box, paras: Sequence[Para], style: TextStyle, ink: Ink, anchor: str = "top",
             name: str | None = None, wrap: bool = True):
    """Add a text box holding the paragraphs, with no insets and no autofit, so measurement is exact.

    `wrap=False` keeps each paragraph on one line however narrow the box (labels measured to fit it).
    """
    shape = slide.shapes.add_textbox(emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    if name:
        shape.name = name
    # Runs carry the language; break hints depend on the width and the family measured in.
    key = ("text", tuple(paras), style, ink, anchor, wrap, current().office_tag, box.w, measure.current_family())
    if not _reuse(shape, key, _P_TXBODY):
        fill_frame(shape.text_frame, paras, style, ink, anchor, width=box.w if wrap else None)
        if not wrap:
            shape.text_frame.word_wrap = False
        _remember(shape, key, _P_TXBODY)
    return shape


# Every content slide draws the tracker, the rule under the title and often the same source line again. A new
# shape from python-pptx always starts out the same, so the part our settings change (text body, or shape
# properties) is kept once finished and copied into the next shape made from the same settings.
_FINISHED: dict[tuple, object] = {}
_FINISHED_MAX = 512
_P_TXBODY, _P_SPPR = qn("p:txBody"), qn("p:spPr")


def _reuse(shape, key: tuple, tag: str) -> bool:
    """Put a copy of the part finished before for `key` into the new shape; False when there is none yet."""
    finished = _FINISHED.get(key)
    if finished is None:
        return False
    element = shape._element
    element.replace(element.find(tag), copy.deepcopy(finished))
    return True


def _remember(shape, key: tuple, tag: str) -> None:
    """Keep a copy of the shape's finished part for shapes made from the same settings (oldest out when full)."""
    if len(_FINISHED) >= _FINISHED_MAX:
        del _FINISHED[next(iter(_FINISHED))]
    _FINISHED[key] = copy.deepcopy(shape._element.find(tag))


def fill_frame(frame, paras: Sequence[Para], style: TextStyle, ink: Ink, anchor: str | None = "top",
               insets: bool = True, width: float | None = None) -> None:
    """Replace a text frame's content with the paragraphs, set exactly as `measure` assumes (anchor None: the
    placeholder's own).

    `width` is the width the text was measured in: words too wide for it get the same break hints as measured.
    """
    body = frame._txBody
    _body_properties(body.find(_A["bodyPr"]), anchor, insets)
    for old in body.findall(_A["p"]):
        body.remove(old)
    # The paragraphs are written as XML directly: python-pptx's property setters cost ~1 ms a run.
    for index, para in enumerate(paras):
        _paragraph(body, para, style, ink, first=index == 0, width=width)
    if not paras:
        # An empty paragraph still has a height: make it the style's, not PowerPoint's default 18 pt.
        empty = etree.SubElement(body, _A["p"])
        etree.SubElement(empty, _A["endParaRPr"], lang=current().office_tag, sz=_hundredths(style.size))


def _body_properties(body_pr, anchor: str | None, insets: bool) -> None:
    """Wrap words, no autofit, no insets (unless kept) and the anchor: what python-pptx's TextFrame setters write
    (word_wrap, auto_size, margin_*, vertical_anchor), in their order, without their cost on every text frame."""
    body_pr.set("wrap", "square")
    for child in [child for child in body_pr if child.tag in _AUTOFITS]:
        body_pr.remove(child)
    after = next((index for index, child in enumerate(body_pr) if child.tag in _AFTER_AUTOFIT), len(body_pr))
    body_pr.insert(after, body_pr.makeelement(_A["noAutofit"]))
    if insets:
        for side in ("lIns", "rIns", "tIns", "bIns"):
            body_pr.set(side, "0")
    if anchor is not None:
        body_pr.set("anchor", _ANCHOR_XML[anchor])


_ANCHOR_XML = {"top": "t", "middle": "ctr", "bottom": "b"}


def _hundredths(points: float) -> str:
    return str(round(points * 100))


def _paragraph(body, para: Para, style: TextStyle, ink: Ink, first: bool, width: float | None = None) -> None:
    paragraph = etree.SubElement(body, _A["p"])
    p_pr = etree.SubElement(paragraph, _A["pPr"])
    left = style.left(para)
    bullet_at = style.indent if para.level else 0.0
    marked = para.marker in ("bullet", "number")
    p_pr.set("marL", str(emu(left)))
    p_pr.set("indent", str(-emu(left - bullet_at)) if marked else "0")
    rtl = current().direction == "rtl"
    if ink.align:
        # A right-to-left plan's text starts at the right: left and right alignment swap (centred stays).
        p_pr.set("algn", _ALIGN_XML[_MIRRORED.get(ink.align, ink.align) if rtl else ink.align])
    if rtl:
        p_pr.set("rtl", "1")
    # Children in the schema's order: lnSpc, spcBef, bullet colour, size, font, then the bullet itself.
    line = etree.SubElement(p_pr, _A["lnSpc"])
    etree.SubElement(line, _A["spcPct"]).set("val", str(round(style.line_spacing * 100000)))
    before = etree.SubElement(p_pr, _A["spcBef"])
    etree.SubElement(before, _A["spcPts"]).set("val", "0" if first else _hundredths(style.gap(para)))
    if marked:
        color = etree.SubElement(p_pr, _A["buClr"])
        etree.SubElement(color, _A["srgbClr"]).set("val", ink.bullet_color or ink.color or "000000")
        etree.SubElement(p_pr, _A["buSzPct"]).set("val", "100000")
        etree.SubElement(p_pr, _A["buFont"]).set("typeface", ink.font or "+mn-lt")
        if para.marker == "number":
            etree.SubElement(p_pr, _A["buAutoNum"], type="arabicPeriod", startAt=str(para.number))
        else:
            etree.SubElement(p_pr, _A["buChar"]).set("char", BULLETS[min(para.level, 1)])
    else:
        etree.SubElement(p_pr, _A["buNone"])
    text_width = None if width is None else width - left
    hyphens = frozenset() if text_width is None else measure.hyphen_breaks(para.text, style.size, text_width,
                                                                            para.bold, para.italic)
    offset = 0
    for run in runs(para.text):
        bold, italic = run.bold or para.bold, run.italic or para.italic
        text = measure.breakable_run(run.text, style.size, text_width, bold, italic)
        start, offset = offset, offset + len(text)
        if linebreak.SHY in text:
            # Where the measured line breaks inside a word: a hyphen and a line break; other soft hyphens go.
            text = "".join(("-\n" if start + index in hyphens else "") if char == linebreak.SHY else char
                           for index, char in enumerate(text))
        # A line break in the text is drawn as one (a:br), as `measure` counts it.
        for number, line in enumerate(text.split("\n")):
            if number:
                etree.SubElement(etree.SubElement(paragraph, _A["br"]), _A["rPr"], lang=current().office_tag,
                                 sz=_hundredths(style.size))
            for piece, link in ([(line, run.link)] if run.link and line else _linked(line, run.text)):
                _run(paragraph, piece, style.size, bold, italic, ink, link)
    etree.SubElement(paragraph, _A["endParaRPr"], lang=current().office_tag, sz=_hundredths(style.size))


_URL = re.compile(r"https?://[^\s\u200b]+")
_LINK_TARGET = "{urn:planforge}link"
"""Where a run marks the address it links to until `link_runs` gives the slide a relationship for it."""


def _linked(line: str, whole: str) -> list[tuple[str, str | None]]:
    """The line cut into (text, address) pieces: web addresses (break hints and all) link to the address as
    written in `whole`, the run's text before hints."""
    if "://" not in whole:
        return [(line, None)] if line else []
    targets = [m.group().rstrip(".,;)") for m in _URL.finditer(whole)]
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for target in targets:
        # The piece of the line that shows (part of) this address.
        for match in re.finditer(r"\S+", line[position:]):
            shown = match.group().replace(linebreak.ZWSP, "")
            if shown and (shown.rstrip("-") in target or target.startswith(shown.rstrip(".,;)"))):
                start, end = position + match.start(), position + match.end()
                pieces += [(line[position:start], None), (line[start:end], target)]
                position = end
                break
    pieces.append((line[position:], None))
    return [(text, link) for text, link in pieces if text]


def link_runs(slide) -> None:
    """Turn the runs marked with an address into hyperlinks (a:hlinkClick) of the slide."""
    from pptx.opc.constants import RELATIONSHIP_TYPE

    for r_pr in slide._element.iter(_A["rPr"]):
        target = r_pr.attrib.pop(_LINK_TARGET, None)
        if target:
            r_id = slide.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
            etree.SubElement(r_pr, qn("a:hlinkClick")).set(qn("r:id"), r_id)
            # lxml keeps the marker's namespace declared on the run (xmlns:ns7="urn:planforge") after the pop.
            etree.cleanup_namespaces(r_pr)


def _run(paragraph, text: str, size: float, bold: bool, italic: bool, ink: Ink, link: str | None = None) -> None:
    r = etree.SubElement(paragraph, _A["r"])
    r_pr = etree.SubElement(r, _A["rPr"], lang=current().office_tag, sz=_hundredths(size), b="1" if bold else "0",
                            i="1" if italic else "0")
    # rPr children in the schema's order: fill, then the latin, East Asian and complex-script fonts.
    if ink.color:
        fill = etree.SubElement(r_pr, _A["solidFill"])
        etree.SubElement(fill, _A["srgbClr"]).set("val", ink.color)
    if ink.font:
        etree.SubElement(r_pr, _A["latin"]).set("typeface", ink.font)
        # CJK is set in the font it was measured with; other scripts in the deck font where it has them.
        etree.SubElement(r_pr, _A["ea"]).set("typeface", linebreak.east_asian_font_name())
        # Hebrew and Arabic are set in the font they were measured with (the deck font may lack them).
        cs = linebreak.complex_script_font_name() if current().direction == "rtl" or linebreak.has_rtl_text(text) \
            else None
        etree.SubElement(r_pr, _A["cs"]).set("typeface", cs or ink.font)
    if link:
        r_pr.set(_LINK_TARGET, link)
    etree.SubElement(r, _A["t"]).text = xml_safe(text)


_ALIGN_XML = {"left": "l", "center": "ctr", "right": "r"}
_MIRRORED = {"left": "right", "right": "left"}


DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_C_NV_PR = qn("p:cNvPr")


_BREAKING_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def describe(shape, alt: str | None) -> None:
    """Give a shape that is not text its alternative text, or mark it decorative (`adec:decorative`) when `alt` is
    None: screen readers then read the one and skip the other, and PowerPoint's Accessibility Checker is content."""
    properties = shape._element.find(f"*/{_C_NV_PR}")
    if alt:
        # Runs of spaces and line breaks become one space; no-break spaces (French "Carte 1 sur 3 : …") stay.
        properties.set("descr", xml_safe(_BREAKING_SPACES.sub(" ", alt).strip(" ")))
        return
    extensions = properties.makeelement(_A["extLst"])
    extension = etree.SubElement(extensions, _A["ext"], uri=DECORATIVE_URI)
    etree.SubElement(extension, f"{{{ADEC}}}decorative", nsmap={"adec": ADEC}, val="1")
    properties.append(extensions)


def rectangle(slide, box: Box, fill: str | None, line: str | None = None, line_width: float = 0.75, shape=MSO_SHAPE.RECTANGLE, name: str | None = None, alt: str | None = None):
    """Add a rectangle (or another auto shape) with a solid fill and an optional outline, no shadow, no text.

    `alt` says what it shows for someone who cannot see it; without, the shape is marked decorative.
    """
    item = slide.shapes.add_shape(shape, emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    if name:
        item.name = name
    describe(item, alt)
    key = ("rectangle", shape, box, fill, line, line_width)
    if not _reuse(item, key, _P_SPPR):
        if fill:
            item.fill.solid()
            item.fill.fore_color.rgb = RGBColor.from_string(fill)
        else:
            item.fill.background()
        if line:
            item.line.color.rgb = RGBColor.from_string(line)
            item.line.width = Pt(line_width)
        else:
            item.line.fill.background()
        _remember(item, key, _P_SPPR)
    _drop_style(item)
    return item


def _drop_style(shape) -> None:
    """Remove the theme style reference python-pptx adds, so no theme shadow or outline shows up."""
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def line(slide, x1: float, y1: float, x2: float, y2: float, color: str, width: float = 0.75, dash: str | None = None):
    """Add a straight line between two points, marked decorative (rules and boundaries)."""
    connector = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, emu(x1), emu(y1), emu(x2), emu(y2))
    describe(connector, None)
    key = ("line", x1, y1, x2, y2, color, width, dash)
    if not _reuse(connector, key, _P_SPPR):
        connector.line.color.rgb = RGBColor.from_string(color)
        connector.line.width = Pt(width)
        if dash:
            ln = connector.line._get_or_add_ln()
            etree.SubElement(ln, qn("a:prstDash")).set("val", dash)
        _remember(connector, key, _P_SPPR)
    _drop_style(connector)
    return connector


@dataclass(frozen=True)
class CellLook:
    """Fill, text colour and borders of one table cell."""

    fill: str | None
    ink: Ink
    bottom_border: str | None = None
    bottom_width: float = 0.75


def table(
    slide,
    box: Box,
    column_widths: Sequence[float],
    row_heights: Sequence[float],
    cells: Sequence[Sequence[Sequence[Para]]],
    looks: Sequence[Sequence[CellLook]],
    styles: Sequence[Sequence[TextStyle]],
    margins: tuple[float, float],
    header_rows: int = 1,
    alt: str | None = None,
):
    """Add a real PowerPoint table with explicit column widths, row heights, fills and borders, `alt` its summary."""
    frame = slide.shapes.add_table(len(row_heights), len(column_widths), emu(box.x), emu(box.y),
                                   emu(sum(column_widths)), emu(sum(row_heights)))
    if alt:
        describe(frame, alt)
    grid = frame.table
    tbl_pr = grid._tbl.tblPr
    tbl_pr.set("firstRow", "1" if header_rows else "0")
    tbl_pr.set("bandRow", "0")
    if current().direction == "rtl":
        tbl_pr.set("rtl", "1")  # the first column on the right
    style_id = tbl_pr.find(qn("a:tableStyleId"))
    if style_id is None:
        style_id = etree.SubElement(tbl_pr, qn("a:tableStyleId"))
    style_id.text = NO_TABLE_STYLE
    for index, width in enumerate(column_widths):
        grid.columns[index].width = emu(width)
    for index, height in enumerate(row_heights):
        grid.rows[index].height = emu(height)
    horizontal, vertical = margins
    for r, row in enumerate(cells):
        for c, paras in enumerate(row):
            cell = grid.cell(r, c)
            look = looks[r][c]
            # Margins and anchor as the cell's setters write them (margin_left, _right, _top, _bottom, then
            # vertical_anchor), at a fraction of their cost.
            tc_pr = cell._tc.get_or_add_tcPr()
            for side, margin in (("marL", horizontal), ("marR", horizontal), ("marT", vertical), ("marB", vertical)):
                tc_pr.set(side, str(emu(margin)))
            fill_frame(cell.text_frame, paras, styles[r][c], look.ink, insets=False,
                       width=column_widths[c] - 2 * horizontal)
            tc_pr.set("anchor", "t")
            _cell_borders(cell, look)
    return frame


def _cell_borders(cell, look: CellLook) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    for child in list(tc_pr):
        tc_pr.remove(child)
    # Schema order: lnL, lnR, lnT, lnB, then the fill.
    for side in ("lnL", "lnR", "lnT", "lnB"):
        border = etree.SubElement(tc_pr, _A[side])
        if side == "lnB" and look.bottom_border:
            border.set("w", str(emu(look.bottom_width)))
            fill = etree.SubElement(border, _A["solidFill"])
            etree.SubElement(fill, _A["srgbClr"]).set("val", look.bottom_border)
        else:
            border.set("w", "0")
            etree.SubElement(border, _A["noFill"])
    if look.fill:
        fill = etree.SubElement(tc_pr, _A["solidFill"])
        etree.SubElement(fill, _A["srgbClr"]).set("val", look.fill)
    else:
        etree.SubElement(tc_pr, _A["noFill"])
