"""An accessibility check of a built deck, slide by slide, as PowerPoint's Accessibility Checker and WCAG see it.

It reads the slides' XML as it will be saved: shapes that are not text without alternative text or a decorative
flag, text below WCAG AA contrast against what is drawn behind it (the shape's own fill, a filled shape under it,
the slide's, layout's or master's background), slides without a title or with another slide's title, tables without
a header row, and text that shows a bare web address.
"""

from __future__ import annotations

import colorsys
import math
import re
from dataclasses import dataclass

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from planforge.render.deck.colours import contrast_ratio, required_contrast
from planforge.render.deck.draw import DECORATIVE_URI

BARE_URL = re.compile(r"(?<![\w/])(?:https?://|www\.)\S+", re.IGNORECASE)
_TITLES = {"title", "ctrTitle"}
_SHAPES = {qn("p:sp"), qn("p:cxnSp"), qn("p:pic"), qn("p:graphicFrame"), qn("p:grpSp")}
_MAPPED = {"bg1", "tx1", "bg2", "tx2"}


@dataclass(frozen=True)
class Finding:
    """One accessibility problem on one slide."""

    kind: str
    """"alt-text", "contrast", "no-title", "duplicate-title", "table-header" or "bare-url"."""
    slide: int
    """The slide number, from 1."""
    shape: str
    """The shape's name."""
    message: str
    text: str = ""
    """The text concerned: the title, the run set in low contrast, the web address."""


def audit(presentation) -> list[Finding]:
    """Every accessibility problem of the presentation's slides, slide by slide in reading order."""
    findings: list[Finding] = []
    titles: dict[str, int] = {}
    for number, slide in enumerate(presentation.slides, start=1):
        scene = _Scene(slide)
        findings += scene.alt_texts(number)
        findings += scene.contrasts(number)
        findings += scene.tables(number)
        findings += scene.addresses(number)
        title = scene.title()
        if not title:
            findings.append(Finding("no-title", number, "", f"slide {number} has no title"))
        elif title in titles:
            findings.append(Finding("duplicate-title", number, "", f"slide {number} has the same title as slide "
                                    f"{titles[title]}: “{title}”", title))
        else:
            titles[title] = number
    return findings


@dataclass(frozen=True)
class _Box:
    x: int
    y: int
    w: int
    h: int

    def holds(self, x: float, y: float) -> bool:
        return self.x <= x <= self.x + self.w and self.y <= y <= self.y + self.h


class _Scene:
    """One slide with its layout and master: colours resolved, shapes in drawing order."""

    def __init__(self, slide):
        self.slide = slide
        self.layout = slide.slide_layout
        self.master = self.layout.slide_master
        theme = etree.fromstring(self.master.part.part_related_by(RT.THEME).blob)
        scheme = theme.find(f".//{qn('a:clrScheme')}")
        self.scheme = {etree.QName(slot).localname: _fixed_colour(slot) for slot in scheme} if scheme is not None else {}
        clr_map = self.master._element.find(qn("p:clrMap"))
        self.clr_map = dict(clr_map.attrib) if clr_map is not None else {}
        self.background = self._background()
        # Filled areas drawn so far, bottom to top: (box, colour or None where a picture makes it unknown).
        self.painted: list[tuple[_Box, str | None]] = []
        for owner in (self.master, self.layout):
            for element in owner.shapes._spTree.iterchildren(*_SHAPES):
                if not _placeholder_type(element):
                    self._paint(element)

    # --- colours -------------------------------------------------------------------------------------------

    def colour(self, holder) -> str | None:
        """The RRGGBB of the colour element inside `holder` (a solidFill, bgRef...), None when it has none."""
        if holder is None:
            return None
        for element in holder:
            tag = etree.QName(element).localname
            value = None
            if tag == "srgbClr":
                value = element.get("val")
            elif tag == "sysClr":
                value = element.get("lastClr")
            elif tag == "schemeClr":
                slot = element.get("val")
                slot = self.clr_map.get(slot, {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}[slot]) \
                    if slot in _MAPPED else slot
                value = self.scheme.get(slot)
            elif tag == "prstClr":
                value = {"black": "000000", "white": "FFFFFF"}.get(element.get("val"))
            if value:
                return _modified(value.upper(), element)
        return None

    def _background(self) -> str | None:
        for owner in (self.slide, self.layout, self.master):
            bg = owner._element.find(f"{qn('p:cSld')}/{qn('p:bg')}")
            if bg is None:
                continue
            properties = bg.find(qn("p:bgPr"))
            if properties is not None:
                return self.colour(properties.find(qn("a:solidFill")))  # a picture or gradient: unknown
            return self.colour(bg.find(qn("p:bgRef")))
        return self.colour(etree.fromstring('<a:x xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
                                            '<a:schemeClr val="bg1"/></a:x>'))

    def _paint(self, element) -> None:
        box = self._box(element)
        if box is None:
            return
        if element.tag == qn("p:pic"):
            self.painted.append((box, None))
            return
        properties = element.find(qn("p:spPr"))
        fill = properties.find(qn("a:solidFill")) if properties is not None else None
        if fill is not None:
            self.painted.append((box, self.colour(fill)))
        elif properties is not None and properties.find(qn("a:blipFill")) is not None:
            self.painted.append((box, None))

    def behind(self, x: float, y: float) -> str | None:
        """The colour drawn at a point so far: the topmost filled shape there, else the slide's background."""
        for box, colour in reversed(self.painted):
            if box.holds(x, y):
                return colour
        return self.background

    def _box(self, element) -> _Box | None:
        xfrm = element.find(f"*/{qn('a:xfrm')}")
        if xfrm is None:
            xfrm = element.find(qn("p:xfrm"))
        if xfrm is None and _placeholder_type(element):
            inherited = self._inherited(element)
            return self._box(inherited) if inherited is not None else None
        if xfrm is None or xfrm.find(qn("a:off")) is None:
            return None
        off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
        return _Box(int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))

    def _inherited(self, element):
        """The layout's (else the master's) placeholder a slide placeholder takes its place and style from."""
        ph = element.find(f".//{qn('p:ph')}")
        kind, idx = ph.get("type", "body"), ph.get("idx", "0")
        for owner in (self.layout, self.master):
            for candidate in owner.shapes._spTree.iter(qn("p:sp")):
                other = candidate.find(f".//{qn('p:ph')}")
                if other is not None and (other.get("type", "body") == kind or
                                          (owner is self.layout and other.get("idx", "0") == idx != "0")):
                    return candidate
        return None

    # --- checks ----------------------------------------------------------------------------------------------

    def alt_texts(self, number: int) -> list[Finding]:
        found = []
        for element in self.slide.shapes._spTree.iter(*_SHAPES):
            if _placeholder_type(element) or _has_text(element):
                continue  # text speaks for itself
            if not _described(element):
                name = _properties(element).get("name", "")
                found.append(Finding("alt-text", number, name, f"slide {number}: “{name}” has no alternative text "
                                     "and is not marked decorative"))
        return found

    def contrasts(self, number: int) -> list[Finding]:
        found = []
        for element in self.slide.shapes._spTree.iterchildren(*_SHAPES):
            if element.tag == qn("p:sp") and _has_text(element):
                box = self._box(element)
                properties = element.find(qn("p:spPr"))
                own = self.colour(properties.find(qn("a:solidFill"))) if properties is not None else None
                if box is not None:
                    back = own or self.behind(box.x + box.w / 2, box.y + box.h / 2)
                    found += self._runs(number, element, element.find(qn("p:txBody")), back)
            elif element.tag == qn("p:graphicFrame"):
                found += self._table_contrast(number, element)
            self._paint(element)
        return found

    def _table_contrast(self, number: int, frame) -> list[Finding]:
        table = frame.find(f".//{qn('a:tbl')}")
        box = self._box(frame)
        if table is None or box is None:
            return []
        found = []
        widths = [int(column.get("w")) for column in table.iter(qn("a:gridCol"))]
        y = box.y
        for row in table.iter(qn("a:tr")):
            x = box.x
            for column, cell in enumerate(row.iter(qn("a:tc"))):
                width = widths[column] if column < len(widths) else 0
                properties = cell.find(qn("a:tcPr"))
                own = self.colour(properties.find(qn("a:solidFill"))) if properties is not None else None
                back = own or self.behind(x + width / 2, y + int(row.get("h")) / 2)
                found += self._runs(number, frame, cell.find(qn("a:txBody")), back)
                x += width
            y += int(row.get("h"))
        return found

    def _runs(self, number: int, element, body, back: str | None) -> list[Finding]:
        if body is None or back is None:
            return []
        name = _properties(element).get("name", "")
        default_colour, default_size = self._text_defaults(element)
        found = []
        for run in body.iter(qn("a:r")):
            text = run.findtext(qn("a:t")) or ""
            if not text.strip():
                continue
            properties = run.find(qn("a:rPr"))
            colour = self.colour(properties.find(qn("a:solidFill"))) if properties is not None else None
            colour = colour or default_colour
            size = int(properties.get("sz")) / 100 if properties is not None and properties.get("sz") else default_size
            bold = properties is not None and properties.get("b") in ("1", "true")
            if colour is None:
                continue
            ratio = contrast_ratio(colour, back)
            needed = required_contrast(size, bold)
            if ratio < needed:
                found.append(Finding("contrast", number, name,
                                     f"slide {number}: “{text.strip()[:40]}” in {colour} on {back} at {size:g} pt is "
                                     f"{math.floor(ratio * 100) / 100:.2f}:1, below the {needed:g}:1 WCAG AA asks for", text.strip()))
        return found

    def _text_defaults(self, element) -> tuple[str | None, float]:
        """The colour and size a run without its own takes: the placeholder's layout and master style, else tx1."""
        kind = _placeholder_type(element)
        style = {"title": "p:titleStyle", "ctrTitle": "p:titleStyle", "body": "p:bodyStyle", "subTitle": "p:bodyStyle",
                 "obj": "p:bodyStyle"}.get(kind or "", "p:otherStyle")
        holders = []
        if kind:
            inherited = self._inherited(element)
            if inherited is not None:
                holders.append(inherited.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}"))
        holders.append(self.master._element.find(f"{qn('p:txStyles')}/{qn(style)}"))
        colour, size = None, None
        for holder in holders:
            defaults = holder.find(f"{qn('a:lvl1pPr')}/{qn('a:defRPr')}") if holder is not None else None
            if defaults is None:
                continue
            colour = colour or self.colour(defaults.find(qn("a:solidFill")))
            size = size or (int(defaults.get("sz")) / 100 if defaults.get("sz") else None)
        return colour or self.colour(etree.fromstring(
            '<a:x xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:schemeClr val="tx1"/></a:x>')), \
            size or 18.0

    def tables(self, number: int) -> list[Finding]:
        found = []
        for frame in self.slide.shapes._spTree.iter(qn("p:graphicFrame")):
            properties = frame.find(f".//{qn('a:tblPr')}")
            if properties is not None and properties.get("firstRow") not in ("1", "true"):
                name = _properties(frame).get("name", "")
                found.append(Finding("table-header", number, name, f"slide {number}: table “{name}” has no header row"))
        return found

    def addresses(self, number: int) -> list[Finding]:
        found = []
        for element in self.slide.shapes._spTree.iter(qn("p:sp"), qn("p:graphicFrame")):
            for paragraph in element.iter(qn("a:p")):
                text = "".join(t.text or "" for t in paragraph.iter(qn("a:t")))
                for match in BARE_URL.finditer(text):
                    address = match.group().rstrip(".,;:)")
                    found.append(Finding("bare-url", number, _properties(element).get("name", ""),
                                         f"slide {number} shows the bare web address {address}", address))
        return found

    def title(self) -> str:
        shape = self.slide.shapes.title
        return " ".join(shape.text_frame.text.split()) if shape is not None else ""


def _fixed_colour(slot) -> str | None:
    for element in slot:
        value = element.get("val") if etree.QName(element).localname == "srgbClr" else element.get("lastClr")
        if value:
            return value.upper()
    return None


def _modified(value: str, element) -> str:
    """A colour with the lumMod/lumOff, tint and shade a theme colour reference applies."""
    mods = {etree.QName(child).localname: int(child.get("val", "100000")) / 100000 for child in element}
    if not mods:
        return value
    r, g, b = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    if "shade" in mods:
        r, g, b = (c * mods["shade"] for c in (r, g, b))
    if "tint" in mods:
        r, g, b = (c + (1 - c) * (1 - mods["tint"]) for c in (r, g, b))
    if "lumMod" in mods or "lumOff" in mods:
        h, lightness, s = colorsys.rgb_to_hls(r, g, b)
        lightness = min(1.0, max(0.0, lightness * mods.get("lumMod", 1.0) + mods.get("lumOff", 0.0)))
        r, g, b = colorsys.hls_to_rgb(h, lightness, s)
    return "".join(f"{round(min(max(c, 0), 1) * 255):02X}" for c in (r, g, b))


def _properties(element):
    return element.find(f"*/{qn('p:cNvPr')}")


def _placeholder_type(element) -> str | None:
    ph = element.find(f"*/{qn('p:nvPr')}/{qn('p:ph')}")
    return ph.get("type", "body") if ph is not None else None


def _has_text(element) -> bool:
    body = element.find(qn("p:txBody"))
    return body is not None and any((t.text or "").strip() for t in body.iter(qn("a:t")))


def _described(element) -> bool:
    properties = _properties(element)
    if properties is None:
        return False
    if (properties.get("descr") or "").strip():
        return True
    return any(ext.get("uri") == DECORATIVE_URI for ext in properties.iter(qn("a:ext")))
