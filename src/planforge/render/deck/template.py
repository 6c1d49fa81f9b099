"""The presentation a deck is drawn on: the built-in 16:9 master, or a company .pptx with its own layouts.

A company template supplies its slide master, theme fonts and colours, and layouts picked by name. Where a
layout is missing, the deck falls back to the built-in design on the template's blank layout and says so.
"""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from planforge.errors import PlanforgeWarning, Problem, TemplateError
from planforge.render.deck.draw import emu
from planforge.render.deck.measure import twin_family
from planforge.render.deck.theme import BUILTIN, Box, Placements, Theme

PT = 12700

LAYOUT_NAMES = {
    "content": ("title only", "title and content", "title, content", "title, text", "only title"),
    "cover": ("title slide", "title"),
    "divider": ("section header", "section title", "section divider", "divider", "section"),
}
"""Slide role → layout names it takes, first match wins (compared without case)."""

ROLE_USE = {
    "content": "every content slide (action title, tracker, body, footer)",
    "cover": "the title slide",
    "divider": "section dividers",
}

TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
TEXT_TYPES = (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024


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


def company_base(path: Path, theme: Theme = BUILTIN) -> Base:
    """Open a company template: its slides removed, layouts chosen by name, theme and placements read from it."""
    presentation = _open(path)
    _remove_slides(presentation)
    layouts = [layout for master in presentation.slide_masters for layout in master.slide_layouts]
    chosen: dict[str, Any] = {}
    notes = [f"slide size {presentation.slide_width / PT / 72:.2f} × {presentation.slide_height / PT / 72:.2f} in",
             "layouts: " + ", ".join(repr(layout.name) for layout in layouts)]
    for role, names in LAYOUT_NAMES.items():
        layout = _find_layout(layouts, names)
        if layout is not None and role == "content" and _title_placeholder(layout) is None:
            layout = None
        chosen[role] = layout
        if layout is None:
            message = (f"{path}: no layout named {' or '.join(repr(n.title()) for n in names[:2])} for "
                       f"{ROLE_USE[role]}; using planforge's built-in design there")
            warnings.warn(message, PlanforgeWarning, stacklevel=2)
            notes.append(f"{role}: missing, built-in design instead")
        else:
            placeholders = ", ".join(_describe(ph) for ph in layout.placeholders) or "no placeholders"
            notes.append(f"{role}: layout {layout.name!r} ({placeholders})")
    # Slides in the built-in design go on the content layout, so they keep a real title placeholder.
    blank = chosen["content"] or min(layouts, key=lambda layout: len(layout.placeholders))
    company_theme = _read_theme(presentation, theme, chosen["content"], notes, path)
    return Base(presentation, company_theme, chosen, blank, True, notes)


def check(path: Path) -> list[str]:
    """What planforge finds in a company template and what it will use, one line each (warnings included)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        base = company_base(path)
    return base.notes + [f"warning: {w.message}" for w in caught if issubclass(w.category, PlanforgeWarning)]


# --- reading a company template ------------------------------------------------------------------------------


def _open(path: Path):
    path = Path(path)
    if not path.is_file():
        raise TemplateError([Problem(path, None, None, "deck template not found", "give the path of a .pptx file")])
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        raise TemplateError([Problem(path, None, None, "deck template is larger than 50 MB",
                                     "use a template without embedded media")])
    if not zipfile.is_zipfile(path):
        raise TemplateError([Problem(path, None, None, "not a PowerPoint file (a .pptx is a zip archive)",
                                     "save the template from PowerPoint as .pptx (not .ppt or .key)")])
    try:
        return Presentation(str(path))
    except Exception as error:  # python-pptx raises many types for broken packages; all mean the same here
        raise TemplateError([Problem(path, None, None, f"cannot open the deck template ({type(error).__name__}: "
                                     f"{error})", "save the template again from PowerPoint as .pptx")]) from None


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


def _find_layout(layouts, names: tuple[str, ...]):
    by_name = {}
    for layout in layouts:
        by_name.setdefault(layout.name.strip().lower(), layout)
    return next((by_name[name] for name in names if name in by_name), None)


def _title_placeholder(layout):
    return next((ph for ph in layout.placeholders if ph.placeholder_format.type in TITLE_TYPES), None)


def _text_placeholder(layout):
    return next((ph for ph in layout.placeholders
                 if ph.placeholder_format.type in TEXT_TYPES and ph.placeholder_format.idx != 0), None)


def _placeholder(layout, kind):
    return next((ph for ph in layout.placeholders if ph.placeholder_format.type == kind), None)


def _describe(placeholder) -> str:
    kind = placeholder.placeholder_format.type
    name = kind.name.lower() if kind is not None else "placeholder"
    return f"{name} {_where(_box(placeholder))}"


def _where(box: Box) -> str:
    return f"at ({box.x:g}, {box.y:g}) pt, {box.w:g} × {box.h:g} pt"


def _box(shape) -> Box:
    return Box(round(shape.left / PT, 1), round(shape.top / PT, 1), round(shape.width / PT, 1),
               round(shape.height / PT, 1))


def _read_theme(presentation, theme: Theme, content, notes: list[str], path: Path) -> Theme:
    """The theme with the template's size, fonts, colours and the content layout's placeholder bounds."""
    width, height = presentation.slide_width / PT, presentation.slide_height / PT
    root = etree.fromstring(presentation.slide_master.part.part_related_by(RT.THEME).blob)
    font = _theme_font(root, "a:minorFont") or theme.font
    colours = {slot: _theme_colour(root, slot) for slot in ("dk1", "dk2", "accent1")}
    palette = replace(theme.palette, navy=colours["dk2"] or theme.palette.navy,
                      accent=colours["accent1"] or theme.palette.accent, text=colours["dk1"] or theme.palette.text)
    notes.append(f"theme font {font!r}, dark {palette.navy}, accent {palette.accent}, text {palette.text}")
    if twin_family(font) is None:
        warnings.warn(f"{path}: planforge has no metric-compatible copy of the font {font!r}; text is measured "
                      f"as Arial and may wrap differently", PlanforgeWarning, stacklevel=3)
        notes.append(f"font {font!r}: measured as Arial (no metric-compatible font shipped)")
    else:
        notes.append(f"font {font!r}: measured with {twin_family(font)}")
    company = replace(theme, font=font, palette=palette, width=width, height=height,
                      margin=min(theme.margin, width * 0.04))
    placements = _placements(company, content)
    for name in ("title", "tracker", "body", "source", "page_number"):
        notes.append(f"{name.replace('_', ' ')} {_where(getattr(placements, name))}")
    return company.with_placements(placements)


def _theme_font(root, which: str) -> str | None:
    latin = root.find(f".//{qn(which)}/{qn('a:latin')}")
    typeface = latin.get("typeface") if latin is not None else None
    return typeface or None


def _theme_colour(root, slot: str) -> str | None:
    holder = root.find(f".//{qn('a:clrScheme')}/{qn('a:' + slot)}")
    if holder is None or not len(holder):
        return None
    colour = holder[0]
    value = colour.get("val") if colour.tag == qn("a:srgbClr") else colour.get("lastClr")
    return value.upper() if value and len(value) == 6 else None


def _placements(theme: Theme, content) -> Placements:
    """Where title, tracker, body and footer go: the content layout's placeholders, else the built-in spots."""
    builtin = scaled_placements(theme)
    if content is None:
        return builtin
    title = _box(_title_placeholder(content))
    footer = _placeholder(content, PP_PLACEHOLDER.FOOTER)
    number = _placeholder(content, PP_PLACEHOLDER.SLIDE_NUMBER)
    page_number = _box(number) if number is not None else builtin.page_number
    bottom_band = min(page_number.y, _box(footer).y if footer is not None else theme.height) - 8
    body_placeholder = _text_placeholder(content)
    if body_placeholder is not None:
        body = _box(body_placeholder)
        body = Box(body.x, max(body.y, title.bottom + 8), body.w, min(body.bottom, bottom_band) - max(body.y, title.bottom + 8))
    else:
        body = Box(title.x, title.bottom + 16, title.w, bottom_band - title.bottom - 16)
    source = _box(footer) if footer is not None else Box(body.x, bottom_band + 4, body.w * 0.7, theme.height - bottom_band - 8)
    tracker_top = title.y - 22
    tracker = Box(body.x + body.w * 0.3, tracker_top, body.w * 0.7, 16) if tracker_top >= 2 else \
        Box(source.right + 8, page_number.y, max(page_number.x - source.right - 16, 0), 16)
    return Placements(tracker=tracker, title=title, title_rule_y=None, body=body, source=source,
                      page_number=page_number)


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
