"""The text styles a company master gives its placeholders: size, colour, font and weight, resolved in order.

A slide's placeholder inherits from the layout's placeholder (`a:lstStyle`), then the master's placeholder of the
same type, then the master's `p:txStyles` (title style for titles, body style for body text, other style for the
rest). Fonts written `+mj-lt`/`+mn-lt` are the theme's major (headings) and minor (body) fonts.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from planforge.render.deck.brand import Scheme


@dataclass(frozen=True)
class TextLook:
    """What text in a placeholder looks like unless planforge says otherwise (None: not set anywhere)."""

    size: float | None
    colour: str | None
    font: str | None
    bold: bool
    align: str | None = None
    anchor: str | None = None


@dataclass(frozen=True)
class ThemeFonts:
    """A theme's heading (major) and body (minor) Latin fonts."""

    major: str | None
    minor: str | None

    def typeface(self, name: str | None) -> str | None:
        """A typeface as written in a text style, with the theme references resolved."""
        if not name:
            return None
        if name.startswith("+mj"):
            return self.major
        if name.startswith("+mn"):
            return self.minor
        return name


def theme_fonts(master) -> ThemeFonts:
    """The major and minor Latin fonts of a master's theme."""
    root = etree.fromstring(master.part.part_related_by(RT.THEME).blob)

    def latin(which: str) -> str | None:
        found = root.find(f".//{qn(which)}/{qn('a:latin')}")
        return (found.get("typeface") or None) if found is not None else None

    return ThemeFonts(latin("a:majorFont"), latin("a:minorFont"))


_STYLE_OF = {"title": "p:titleStyle", "ctrTitle": "p:titleStyle", "body": "p:bodyStyle", "subTitle": "p:bodyStyle",
             "obj": "p:bodyStyle"}


def placeholder_look(layout, kind: str, scheme: Scheme, fonts: ThemeFonts) -> TextLook:
    """The first-level text look of the layout's placeholder of this type (`title`, `body`, `ftr`, `sldNum` …)."""
    master = layout.slide_master
    chain = []
    for owner in (layout, master):
        shape = _placeholder_element(owner, kind)
        if shape is not None:
            chain.append((shape.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}"), shape))
    styles = master._element.find(qn("p:txStyles"))
    general = styles.find(qn(_STYLE_OF.get(kind, "p:otherStyle"))) if styles is not None else None
    chain.append((general.find(qn("a:lvl1pPr")) if general is not None else None, None))
    size = colour = font = bold = align = anchor = None
    for level, shape in chain:
        if anchor is None and shape is not None:
            body_pr = shape.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")
            anchor = body_pr.get("anchor") if body_pr is not None else None
        if level is None:
            continue
        align = align or level.get("algn")
        run = level.find(qn("a:defRPr"))
        if run is None:
            continue
        if size is None and run.get("sz"):
            size = int(run.get("sz")) / 100
        if bold is None and run.get("b") is not None:
            bold = run.get("b") in ("1", "true")
        if colour is None:
            fill = run.find(qn("a:solidFill"))
            found = scheme.resolve(fill) if fill is not None else None
            colour = found[0] if found else None
        if font is None:
            latin = run.find(qn("a:latin"))
            font = fonts.typeface(latin.get("typeface")) if latin is not None else None
    default_font = fonts.major if kind in ("title", "ctrTitle") else fonts.minor
    return TextLook(size, colour or scheme.text, font or default_font, bool(bold), align, anchor)


def _placeholder_element(owner, kind: str):
    wanted = {"title": ("title", "ctrTitle"), "ctrTitle": ("ctrTitle", "title")}.get(kind, (kind,))
    for shape in owner._element.iter(qn("p:sp")):
        placeholder = shape.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
        if placeholder is not None and placeholder.get("type", "body") in wanted:
            return shape
    return None
