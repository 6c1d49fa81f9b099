"""Reading a company template into a Base: a layout per role, where things go, fonts and legible colours.

Order: choose the layouts (`layouts`), then the content layout's keep-out geometry (the free region for the body,
tracker, source line and page number, clear of every master and layout graphic), then fonts (heading and body,
found on the system or measured wide), then colours checked against the backdrop where each is drawn.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from planforge.errors import PlanforgeWarning, Problem, TemplateError
from planforge.render.deck import brand, fontlookup, graphics, keepout, layouts as roles, palette, styles
from planforge.render.deck.colours import AA_LARGE, AA_NORMAL
from planforge.render.deck.template import PT, Base, Chrome
from planforge.render.deck.theme import Box, Placements, Sizes, Theme

GAP = 6.0
"""Points kept between planforge's text and a master's graphics (at 540 pt slide height)."""


def read_company(presentation, path: Path, theme: Theme, explicit: dict[str, str], font_dirs: tuple[Path, ...],
                 source: str) -> Base:
    """The Base for a company template whose slides are already removed."""
    width, height = presentation.slide_width / PT, presentation.slide_height / PT
    unit = height / 540
    neutral_text_defaults(presentation)
    every = [layout for master in presentation.slide_masters for layout in master.slide_layouts]
    notes = [f"slide size {width:g} × {height:g} pt ({width / 72:.2f} × {height / 72:.2f} in); type and spacing "
             f"scaled ×{unit:.2f}",
             "layouts: " + ", ".join(f"{layout.name!r} ({roles.layout_type(layout)})" for layout in every)]
    unknown = [f"{role}: {name!r}" for role, name in explicit.items() if roles.find_named(every, name) is None]
    if unknown or any(role not in roles.ROLES for role in explicit):
        bad = [role for role in explicit if role not in roles.ROLES]
        message = "; ".join(unknown + [f"{role!r} is not a slide role" for role in bad])
        raise TemplateError([Problem(path, None, None, f"layouts named in {source} are not in the template ({message})",
                                     "name one of: " + ", ".join(repr(layout.name) for layout in every)
                                     + f"; roles are {', '.join(roles.ROLES)}")])
    geometry: dict[int, tuple] = {}

    def geometry_of(layout):
        if id(layout) not in geometry:
            geometry[id(layout)] = content_geometry(layout, width, height, unit, theme.margin * unit)
        return geometry[id(layout)]

    chosen = roles.choose(every, explicit, lambda layout: geometry_of(layout)[0].body.w * geometry_of(layout)[0].body.h
                          if roles.title_placeholder(layout) is not None else 0.0, source)
    for role in roles.ROLES:
        choice = chosen[role]
        if choice.layout is None:
            if role != "blank":
                warnings.warn(f"{path}: no layout for {roles.ROLE_USE[role]} (no layout of type "
                              f"{' or '.join(roles.ROLE_TYPES[role][:2])!r} or named like "
                              f"{roles.ROLE_NAMES[role][0]!r}); using planforge's built-in design there. To choose "
                              f"one: `deck: {{layouts: {{{role}: \"<layout name>\"}}}}` in the plan or planforge.toml, "
                              f"or --layout {role}=\"<layout name>\"", PlanforgeWarning, stacklevel=4)
            notes.append(f"{role}: none, planforge's built-in design ({choice.reason})")
        else:
            notes.append(f"{role}: layout {choice.layout.name!r} — {choice.reason}")
    content = chosen["content"].layout
    layouts = {role: chosen[role].layout for role in ("content", "cover", "divider")}
    if content is None:
        company_theme = replace(theme, width=width, height=height, unit=unit, sizes=_scaled(theme.sizes, unit))
        company_theme = company_theme.with_placements(_builtin_spots(company_theme))
        blank = chosen["blank"].layout or min(every, key=lambda layout: len(layout.placeholders))
        return Base(presentation, company_theme, layouts, blank, True, notes, Chrome())
    placements, footer, number, found = geometry_of(content)
    body_area = placements.body.w * placements.body.h
    notes.append(f"free content area {placements.body.w:.0f} × {placements.body.h:.0f} pt at "
                 f"({placements.body.x:.0f}, {placements.body.y:.0f}) — {body_area / (width * height):.0%} of the slide")
    for what, box in found:
        notes.append(f"kept clear of {what} at ({box.x:.0f}, {box.y:.0f}) pt, {box.w:.0f} × {box.h:.0f} pt")
    for name in ("title", "tracker", "body", "source", "page_number"):
        box = getattr(placements, name)
        notes.append(f"{name.replace('_', ' ')} at ({box.x:.0f}, {box.y:.0f}) pt, {box.w:.0f} × {box.h:.0f} pt"
                     + (" (the layout's footer placeholder)" if name == "source" and footer is not None else "")
                     + (" (the layout's slide-number placeholder)" if name == "page_number" and number is not None
                        else ""))
    company_theme, (panel, title_panel), behind = _look(content, theme, placements, width, height, unit, font_dirs,
                                                        notes, path)
    obstacles = {}
    for layout in (chosen["cover"].layout, chosen["divider"].layout, content):
        if layout is not None:
            obstacles[id(layout)] = [box for _what, box in graphics.obstacles(layout, width, height)]
    notes.append("to change: another layout for a role with --layout ROLE=NAME or deck.layouts in the plan or "
                 "planforge.toml; a font measured wide by installing it or with --font-dir DIR; a colour replaced "
                 "above by changing the theme colour it came from")
    return Base(presentation, company_theme, layouts, content, True, notes,
                Chrome(footer, number, obstacles, panel, Looks(width, height, font_dirs), behind, title_panel))


class Looks:
    """The master's own text looks on any layout, and colours legible on what that layout shows behind them."""

    def __init__(self, width: float, height: float, font_dirs: tuple[Path, ...]):
        self.width, self.height, self.font_dirs = width, height, font_dirs
        self._backdrops: dict[int, brand.Backdrop] = {}

    def look(self, layout, kind: str) -> styles.TextLook:
        """The text look of the layout's placeholder of this type (`title`, `ctrTitle`, `subTitle`, `body` …)."""
        master = layout.slide_master
        return styles.placeholder_look(layout, kind, brand.read_scheme(master, layout), styles.theme_fonts(master))

    def family(self, font: str | None, fallback: str) -> str:
        """The family `measure` measures a font with."""
        return fontlookup.measuring_family(font, self.font_dirs).family if font else fallback

    def colour(self, layout, box: Box, colour: str, size: float, bold: bool) -> str | None:
        """A colour to write instead of the master's `colour` at `box`, or None when the master's is legible there."""
        if id(layout) not in self._backdrops:
            scheme = brand.read_scheme(layout.slide_master, layout)
            self._backdrops[id(layout)] = brand.backdrop(layout, scheme, self.width, self.height,
                                                         keep=("title", "ctrTitle", "subTitle", "body"))
        behind = self._backdrops[id(layout)].colours(box)
        # WCAG's 18 pt is on a 540 pt high slide: a 1080 pt master shows 36 pt as large.
        needed = AA_LARGE if size / (self.height / 540) >= 18 or (bold and size / (self.height / 540) >= 14) \
            else AA_NORMAL
        if palette.worst(colour, behind) >= needed:
            return None
        scheme = brand.read_scheme(layout.slide_master, layout)
        return palette.Picker(scheme).pick("placeholder text", [colour, "tx1", "bg1", "tx2", "000000", "FFFFFF"],
                                           behind, needed)

    def panel(self, layout, box: Box, colour: str, size: float, bold: bool) -> tuple[str, str] | None:
        """(panel fill, text colour) when no colour reads on everything behind `box` (a busy picture); else None."""
        chosen = self.colour(layout, box, colour, size, bold) or colour
        behind = self._backdrops[id(layout)].colours(box)
        needed = AA_LARGE if size / (self.height / 540) >= 18 else AA_NORMAL
        if palette.worst(chosen, behind) >= needed:
            return None
        scheme = brand.read_scheme(layout.slide_master, layout)
        fill = scheme.colour("bg1") if palette.worst(scheme.colour("tx1"), [scheme.colour("bg1")]) >= AA_NORMAL \
            else "FFFFFF"
        ink = palette.Picker(scheme).pick("text on a panel", [colour, "tx1", "000000", "FFFFFF"], [fill], needed)
        return fill, ink


_METRIC_CHANGES = ("cap", "spc", "baseline", "kern")


def neutral_text_defaults(presentation) -> None:
    """Remove what the template's default text style adds to text boxes that changes how wide or tall text sets
    (all caps, letter spacing, raised baseline, space after paragraphs): planforge measures its text exactly."""
    roots = [presentation.part._element.find(qn("p:defaultTextStyle"))]
    for master in presentation.slide_masters:
        theme_part = master.part.part_related_by(RT.THEME)
        theme = etree.fromstring(theme_part.blob)
        defaults = theme.findall(f".//{qn('a:objectDefaults')}//{qn('a:lstStyle')}")
        if defaults:
            for style in defaults:
                _neutralise(style)
            theme_part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)
    for root in roots:
        if root is not None:
            _neutralise(root)


def _neutralise(style) -> None:
    for level in style:
        for after in level.findall(qn("a:spcAft")):
            level.remove(after)
        run = level.find(qn("a:defRPr"))
        if run is not None:
            for name in _METRIC_CHANGES:
                if run.get(name) not in (None, "0", "none"):
                    run.set(name, "none" if name == "cap" else "0")


def _scaled(sizes: Sizes, unit: float) -> Sizes:
    return Sizes(**{name: round(value * unit * 2) / 2 for name, value in vars(sizes).items()})


def _builtin_spots(theme: Theme) -> Placements:
    from planforge.render.deck.template import scaled_placements

    return scaled_placements(theme)


def content_geometry(layout, width: float, height: float, unit: float, margin: float):
    """(placements, footer placeholder, slide-number placeholder, graphics kept clear of) of a content layout."""
    found = graphics.obstacles(layout, width, height)
    gap = GAP * unit
    blocked = [keepout.grown(box, gap) for _what, box in found]
    title_ph = roles.title_placeholder(layout)
    title = _box(title_ph) if title_ph is not None else Box(margin, margin, width - 2 * margin, 60 * unit)
    # A title placeholder running edge to edge gets side margins, so body and tracker line up inside the slide.
    left = max(title.x, margin) if title.x < margin * 0.5 else title.x
    right = min(title.right, width - margin) if title.right > width - margin * 0.5 else title.right
    title = Box(left, title.y, right - left, title.h)
    # A graphic the whole title sits on (a band) is its background; one it only partly covers (a logo) is kept
    # clear of by narrowing the title.
    beside = [box for box in blocked if keepout.overlaps(box, title) and not _contains(box, title)]
    if beside:
        title = keepout.largest_free(title, beside, min_width=title.w * 0.4)
    footer = _placeholder(layout, PP_PLACEHOLDER.FOOTER)
    number = _placeholder(layout, PP_PLACEHOLDER.SLIDE_NUMBER)
    footer_row = [_box(ph) for ph in (footer, number) if ph is not None]
    bottom = min((box.y for box in footer_row), default=height - 40 * unit) - 4 * unit
    if bottom < height * 0.75:
        bottom = height - 40 * unit
    tracker_h = 16 * unit
    tracker = _strip(Box(title.x, title.y - tracker_h - 6 * unit, title.w, tracker_h), blocked, title.w * 0.4)
    top = title.bottom + 12 * unit
    if tracker is None:
        # No room above the title: the tracker goes in a strip just below it.
        tracker = _strip(Box(title.x, top, title.w, tracker_h), blocked, title.w * 0.4)
        top += tracker_h + 8 * unit if tracker is not None else 0
    area = Box(title.x, top, title.w, bottom - top)
    body = keepout.largest_free(area, blocked + [keepout.grown(title, gap)], min_width=title.w * 0.3)
    if tracker is None:
        # Nowhere free for it at the top: above the body, which gives up that strip.
        tracker = Box(body.x, body.y, body.w, tracker_h)
        body = Box(body.x, body.y + tracker_h + 8 * unit, body.w, body.h - tracker_h - 8 * unit)
    footer_h = 22 * unit
    source_box = _placed(footer, blocked, body.w * 0.3) or _strip(
        Box(body.x, bottom + 4 * unit, body.w * 0.75, min(footer_h, height - bottom - 8 * unit)), blocked, body.w * 0.3)
    number_box = _placed(number, blocked, 24 * unit) or _strip(
        Box(body.right - 48 * unit, bottom + 8 * unit, 48 * unit, 14 * unit), blocked, 20 * unit, prefer="right") \
        or Box(body.right - 48 * unit, body.bottom - 14 * unit, 48 * unit, 14 * unit)
    if source_box is None:
        source_box = Box(body.x, body.bottom - footer_h, body.w * 0.75, footer_h)
        body = Box(body.x, body.y, body.w, body.h - footer_h - 4 * unit)
    placements = Placements(tracker=tracker, title=title, title_rule_y=None, body=body, source=source_box,
                            page_number=number_box)
    footer = footer if footer is not None and _placed(footer, blocked, body.w * 0.3) == source_box else None
    number = number if number is not None and _placed(number, blocked, 24 * unit) == number_box else None
    return placements, footer, number, found


def _contains(outer: Box, inner: Box) -> bool:
    return outer.x <= inner.x + 1 and outer.y <= inner.y + 1 and outer.right >= inner.right - 1 and \
        outer.bottom >= inner.bottom - 1


def _box(shape) -> Box:
    return Box(shape.left / PT, shape.top / PT, shape.width / PT, shape.height / PT)


def _placeholder(layout, kind):
    return next((ph for ph in layout.placeholders if ph.placeholder_format.type == kind), None)


def _placed(placeholder, blocked, min_width: float) -> Box | None:
    """A footer-row placeholder's box, narrowed to the free stretch of it that is widest; None if too narrow."""
    if placeholder is None:
        return None
    return _strip(_box(placeholder), blocked, min_width)


def _strip(strip: Box, blocked, min_width: float, prefer: str = "widest") -> Box | None:
    if strip.y < 0 or strip.h <= 0:
        return None
    spans = [span for span in keepout.free_spans(strip, blocked) if span[1] - span[0] >= min_width]
    if not spans:
        return None
    x0, x1 = spans[-1] if prefer == "right" else max(spans, key=lambda span: span[1] - span[0])
    return Box(x0, strip.y, x1 - x0, strip.h)


def _look(content, theme: Theme, place: Placements, width: float, height: float, unit: float,
          font_dirs: tuple[Path, ...], notes: list[str], path: Path) -> tuple[Theme, tuple, tuple[str, ...]]:
    """The theme on a company content layout: fonts, sizes, legible colours (and a panel if the body needs one)."""
    master = content.slide_master
    scheme = brand.read_scheme(master, content)
    fonts = styles.theme_fonts(master)
    title_look = styles.placeholder_look(content, "title", scheme, fonts)
    body_look = styles.placeholder_look(content, "body", scheme, fonts)
    notes.append(f"colour map: bg1→{scheme.mapping.get('bg1')}, tx1→{scheme.mapping.get('tx1')}, "
                 f"bg2→{scheme.mapping.get('bg2')}, tx2→{scheme.mapping.get('tx2')}; theme colours "
                 + ", ".join(f"{slot} {colour}" for slot, colour in scheme.slots.items()))
    title_font = title_look.font or fonts.major or theme.font
    body_font = body_look.font or fonts.minor or theme.font
    measured = {}
    for role, font in (("titles", title_font), ("body", body_font)):
        measured[role] = fontlookup.measuring_family(font, font_dirs)
        notes.append(f"{role} font {font!r}: {measured[role].how}")
    for font in dict.fromkeys((title_font, body_font)):
        uses = " and ".join(role for role, found in measured.items() if found.font == font)
        if not next(found for found in measured.values() if found.font == font).found:
            warnings.warn(f"{path}: the font {font!r} ({uses}) is not installed, so text is measured with a wide "
                          f"stand-in and may look loose; {fontlookup.not_found_hint(font)}", PlanforgeWarning,
                          stacklevel=5)
    sizes = _scaled(theme.sizes, unit)
    if title_look.size:
        sizes = replace(sizes, title=max(title_look.size, sizes.title_min), title_min=min(sizes.title_min,
                                                                                         title_look.size))
    notes.append(f"title style: {title_look.size or sizes.title:g} pt, colour {title_look.colour}, "
                 f"{'bold' if title_look.bold else 'regular'} (fitted between {sizes.title_min:g} and "
                 f"{sizes.title:g} pt)")
    backdrop = brand.backdrop(content, scheme, width, height, keep=("title",))
    body_behind = backdrop.colours(place.body)
    panel = None
    picker = palette.Picker(scheme)
    text_first = palette.Picker(scheme).pick("body text", ["tx1", "dk1", "lt1", "000000", "FFFFFF"], body_behind, AA_NORMAL)
    if palette.worst(text_first, body_behind) < AA_NORMAL:
        # A busy picture: no colour reads on all of it, so the body gets a plain panel of the master's background.
        panel = scheme.colour("bg1") if palette.worst(scheme.colour("tx1"), [scheme.colour("bg1")]) >= AA_NORMAL \
            else "FFFFFF"
        body_behind = [panel]
        notes.append(f"body: no colour reaches {AA_NORMAL:g}:1 on the background picture; body, tracker and footer "
                     f"get a {panel} panel")
    base = backdrop.mean(place.body) if panel is None else panel
    company_palette = palette.company_palette(scheme, body_behind, base, notes)
    chrome_behind = [panel] if panel else sorted({*backdrop.colours(place.tracker), *backdrop.colours(place.source),
                                                  *backdrop.colours(place.page_number)})
    greys = palette.Picker(scheme)
    company_palette = replace(
        company_palette,
        grey_mid=greys.pick("tracker and page number", [company_palette.grey_mid, company_palette.text, "tx1"],
                            chrome_behind, AA_NORMAL),
        grey_dark=greys.pick("source line", [company_palette.grey_dark, company_palette.text, "tx1"],
                             chrome_behind, AA_NORMAL),
        navy=greys.pick("current section in the tracker", [company_palette.navy, company_palette.text, "tx1"],
                        chrome_behind + body_behind, AA_NORMAL))
    notes.extend(greys.notes)
    title_behind = backdrop.colours(place.title)
    title_size_needed = AA_LARGE if sizes.title_min / unit >= 18 else AA_NORMAL
    title_colour = None
    master_colour = title_look.colour or scheme.text
    title_panel = None
    if palette.worst(master_colour, title_behind) < title_size_needed and not any(
            palette.worst(c, title_behind) >= title_size_needed for c in ("000000", "FFFFFF", scheme.colour("tx1"),
                                                                          scheme.colour("bg1"))):
        # Nothing reads on all of a busy picture behind the title: it gets a plain panel too.
        title_panel = panel or (scheme.colour("bg1") if palette.worst(scheme.colour("tx1"), [scheme.colour("bg1")])
                                >= AA_NORMAL else "FFFFFF")
        panel = panel or title_panel
        title_behind = [title_panel]
    if palette.worst(master_colour, title_behind) < title_size_needed:
        title_colour = picker.pick("action titles", [master_colour, "tx1", "tx2", "bg1", "000000", "FFFFFF"],
                                   title_behind, AA_NORMAL)
        notes.append(f"action titles: the master's {master_colour} has {palette.worst(master_colour, title_behind):.1f}:1 "
                     f"on what is behind the title; written in {title_colour} instead")
    else:
        notes.append(f"action titles: the master's colour {master_colour} "
                     f"({palette.worst(master_colour, title_behind):.1f}:1 on what is behind them)")
    notes.append(f"palette: text {company_palette.text}, headings {company_palette.navy}, accent "
                 f"{company_palette.accent}, secondary {company_palette.grey_dark}, tracker {company_palette.grey_mid}, "
                 f"on headings {company_palette.on_navy}, on accent {company_palette.on_accent}")
    company = replace(theme, font=body_font, title_font=title_font, palette=company_palette, sizes=sizes, width=width,
                      height=height, margin=theme.margin * unit, unit=unit, title_color=title_colour,
                      measure_family=measured["body"].family, title_measure_family=measured["titles"].family,
                      title_bold=title_look.bold)
    return company.with_placements(place), (panel, title_panel), tuple(chrome_behind)
