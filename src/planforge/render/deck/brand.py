"""What a company master really shows: colours through its colour map, backgrounds, text styles and graphics.

Colours are resolved the way PowerPoint does: a scheme name (`tx1`, `bg2`, `accent1` …) goes through the master's
`p:clrMap` (or a layout's override) to a theme slot, then lumMod/lumOff/tint/shade apply. The backdrop is a small
picture of what a slide on a layout shows before planforge draws anything (background fill, gradient or picture,
the master's and layout's shapes and pictures, the title placeholder's fill), so any colour can be checked against
the pixels really behind it.
"""

from __future__ import annotations

import colorsys
import io
from dataclasses import dataclass

from lxml import etree
from PIL import Image
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from planforge.render.deck.colours import contrast_ratio
from planforge.render.deck.graphics import iter_graphics, local as _local
from planforge.render.deck.theme import Box

PT = 12700
SCALE = 0.5
"""Backdrop pixels per point."""
_SLOTS = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6", "hlink",
          "folHlink")
_DEFAULT_MAP = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}
_PRESET = {"black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "008000", "blue": "0000FF",
           "gray": "808080", "grey": "808080", "yellow": "FFFF00"}
_UNKNOWN = "808080"
"""What a picture planforge cannot decode (EMF, SVG) is taken to look like: mid grey, the hardest to read on."""


@dataclass(frozen=True)
class Scheme:
    """A master's theme colours (slot → RRGGBB) and its colour map (tx1/bg1/tx2/bg2 → slot)."""

    slots: dict[str, str]
    mapping: dict[str, str]

    def colour(self, name: str) -> str:
        """The RRGGBB a scheme colour name shows as (`tx1`, `bg1`, `accent2`, `dk1` …)."""
        slot = self.mapping.get(name, name)
        return self.slots.get(slot, "000000" if slot.startswith("dk") else "FFFFFF")

    @property
    def background(self) -> str:
        return self.colour("bg1")

    @property
    def text(self) -> str:
        return self.colour("tx1")

    def resolve(self, holder, placeholder: str | None = None) -> tuple[str, float] | None:
        """(RRGGBB, opacity) of a colour element or of the first colour inside a fill element; None if none."""
        if holder is None:
            return None
        element = holder if _local(holder) in _COLOUR_TAGS else next(
            (child for child in holder if _local(child) in _COLOUR_TAGS), None)
        if element is None:
            return None
        kind = _local(element)
        if kind == "srgbClr":
            base = element.get("val", "000000")
        elif kind == "schemeClr":
            value = element.get("val", "tx1")
            base = placeholder if value == "phClr" and placeholder else self.colour(value)
        elif kind == "sysClr":
            base = element.get("lastClr") or ("FFFFFF" if element.get("val") == "window" else "000000")
        elif kind == "prstClr":
            base = _PRESET.get(element.get("val", "").lower(), "000000")
        elif kind == "hslClr":
            h, s, lum = (int(element.get(k, 0)) for k in ("hue", "sat", "lum"))
            base = _hex(colorsys.hls_to_rgb(h / 21600000, lum / 100000, s / 100000))
        else:  # scrgbClr
            base = _hex(tuple(int(element.get(k, 0)) / 100000 for k in ("r", "g", "b")))
        return _transform(base.upper()[:6].rjust(6, "0"), element)


_COLOUR_TAGS = {"srgbClr", "schemeClr", "sysClr", "prstClr", "hslClr", "scrgbClr"}


def _hex(rgb) -> str:
    return "".join(f"{max(0, min(255, round(c * 255))):02X}" for c in rgb)


def _transform(colour: str, element) -> tuple[str, float]:
    """Apply lumMod, lumOff, tint, shade and alpha as DrawingML defines them (in HLS for the luminance ones)."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4))
    alpha = 1.0
    for change in element:
        name, value = _local(change), int(change.get("val", 0)) / 100000
        if name in ("lumMod", "lumOff"):
            h, lum, s = colorsys.rgb_to_hls(r, g, b)
            lum = lum * value if name == "lumMod" else lum + value
            r, g, b = colorsys.hls_to_rgb(h, max(0.0, min(1.0, lum)), s)
        elif name == "tint":  # tint and shade work on linear light, as PowerPoint and LibreOffice draw them
            r, g, b = (_gamma(1 - (1 - _linear(c)) * value) for c in (r, g, b))
        elif name == "shade":
            r, g, b = (_gamma(_linear(c) * value) for c in (r, g, b))
        elif name == "alpha":
            alpha = value
    return _hex((r, g, b)), alpha


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    c = max(0.0, min(1.0, c))
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def read_scheme(master, layout=None) -> Scheme:
    """The theme colours of a master and its colour map (with a layout's override, if it has one)."""
    root = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    scheme = root.find(f".//{qn('a:clrScheme')}")
    slots: dict[str, str] = {}
    plain = Scheme({}, {})
    for slot in _SLOTS:
        holder = scheme.find(qn(f"a:{slot}")) if scheme is not None else None
        found = plain.resolve(holder) if holder is not None else None
        if found:
            slots[slot] = found[0]
    mapping = dict(_DEFAULT_MAP)
    colour_map = master._element.find(qn("p:clrMap"))
    override = layout._element.find(f"{qn('p:clrMapOvr')}/{qn('a:overrideClrMapping')}") if layout is not None else None
    for source in (colour_map, override):
        if source is not None:
            mapping.update({key: value for key, value in source.attrib.items()})
    return Scheme(slots, mapping)


# --- what a slide on a layout shows -----------------------------------------------------------------------------


@dataclass
class Backdrop:
    """A picture of a slide on a layout before planforge draws on it, SCALE pixels per point."""

    image: Image.Image

    def pixels(self, box: Box) -> list[tuple[int, int, int]]:
        """The colours under a box (clipped to the slide), sampled at every pixel."""
        width, height = self.image.size
        x0, y0 = max(0, int(box.x * SCALE)), max(0, int(box.y * SCALE))
        x1, y1 = min(width, max(x0 + 1, int(round(box.right * SCALE)))), min(height, max(y0 + 1, int(round(box.bottom * SCALE))))
        if x0 >= width or y0 >= height:
            return []
        region = self.image.crop((x0, y0, x1, y1))
        if region.width * region.height > 4000:
            region = region.resize((min(region.width, 80), min(region.height, 50)), Image.Resampling.BOX)
        return list(region.get_flattened_data()) if hasattr(region, "get_flattened_data") else list(region.getdata())

    def colours(self, box: Box) -> list[str]:
        """The distinct RRGGBB colours under a box."""
        return sorted({"%02X%02X%02X" % pixel[:3] for pixel in self.pixels(box)})

    def worst_contrast(self, colour: str, box: Box) -> float:
        """The lowest contrast a colour has against anything under the box."""
        colours = self.colours(box)
        return min((contrast_ratio(colour, other) for other in colours), default=21.0)

    def mean(self, box: Box) -> str:
        """The average colour under a box."""
        pixels = self.pixels(box) or [(255, 255, 255)]
        return "".join(f"{round(sum(p[i] for p in pixels) / len(pixels)):02X}" for i in range(3))


def backdrop(layout, scheme: Scheme, width: float, height: float, keep: tuple = ()) -> Backdrop:
    """Paint what a slide on the layout shows: background, then master and layout graphics, then the fills of the
    placeholders planforge keeps (`keep`: placeholder types such as "title")."""
    image = Image.new("RGB", (max(1, round(width * SCALE)), max(1, round(height * SCALE))), "white")
    master = layout.slide_master
    bg = layout._element.find(f"{qn('p:cSld')}/{qn('p:bg')}")
    owner = layout
    if bg is None:
        bg, owner = master._element.find(f"{qn('p:cSld')}/{qn('p:bg')}"), master
    if bg is not None:
        _paint_background(image, bg, owner, scheme)
    if layout._element.get("showMasterSp", "1") not in ("0", "false"):
        _paint_tree(image, master, master._element.find(f"{qn('p:cSld')}/{qn('p:spTree')}"), scheme, keep)
    _paint_tree(image, layout, layout._element.find(f"{qn('p:cSld')}/{qn('p:spTree')}"), scheme, keep)
    return Backdrop(image)


def _paint_background(image: Image.Image, bg, owner, scheme: Scheme) -> None:
    properties = bg.find(qn("p:bgPr"))
    if properties is not None:
        fill = next((child for child in properties if _local(child).endswith("Fill")), None)
        _paint_fill(image, Box(0, 0, image.width / SCALE, image.height / SCALE), fill, owner, scheme)
        return
    reference = bg.find(qn("p:bgRef"))
    if reference is None:
        return
    placeholder = scheme.resolve(reference)
    index = int(reference.get("idx", "0"))
    master = getattr(owner, "slide_master", owner)
    theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    styles = theme.find(f".//{qn('a:bgFillStyleLst')}") if theme is not None and index >= 1001 else None
    fills = list(styles) if styles is not None else []
    fill = fills[index - 1001] if 0 <= index - 1001 < len(fills) else None
    if fill is None and placeholder:
        image.paste(Image.new("RGB", image.size, "#" + placeholder[0]))
        return
    _paint_fill(image, Box(0, 0, image.width / SCALE, image.height / SCALE), fill, owner, scheme,
                placeholder[0] if placeholder else None)


def _paint_fill(image: Image.Image, box: Box, fill, owner, scheme: Scheme, placeholder: str | None = None) -> None:
    if fill is None:
        return
    kind = _local(fill)
    if kind == "solidFill":
        found = scheme.resolve(fill, placeholder)
        if found:
            _blend(image, box, Image.new("RGB", (1, 1), "#" + found[0]), found[1])
    elif kind == "gradFill":
        stops = [scheme.resolve(stop, placeholder) for stop in fill.iter(qn("a:gs"))]
        stops = [stop for stop in stops if stop]
        if stops:
            # The stops side by side, stretched over the box: the colours a gradient shows, near enough to check.
            strip = Image.new("RGB", (len(stops), 1))
            for index, (colour, _alpha) in enumerate(stops):
                strip.putpixel((index, 0), tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4)))
            vertical = fill.find(qn("a:lin")) is not None and 2700000 <= int(fill.find(qn("a:lin")).get("ang", 0)) % 10800000 <= 8100000
            _blend(image, box, strip.transpose(Image.Transpose.ROTATE_270) if vertical else strip, stops[0][1])
    elif kind == "blipFill":
        blip = fill.find(qn("a:blip"))
        picture = _picture(owner, blip)
        alpha = blip.find(qn("a:alphaModFix")) if blip is not None else None
        _blend(image, box, picture, int(alpha.get("amt", 100000)) / 100000 if alpha is not None else 1.0)
    elif kind == "pattFill":
        found = scheme.resolve(fill.find(qn("a:bgClr")), placeholder)
        if found:
            _blend(image, box, Image.new("RGB", (1, 1), "#" + found[0]), found[1])


def _picture(owner, blip) -> Image.Image:
    """The picture a blip shows, or mid grey when it cannot be decoded (EMF, SVG, broken)."""
    rid = blip.get(qn("r:embed")) if blip is not None else None
    try:
        data = owner.part.related_part(rid).blob
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except Exception:  # any undecodable or missing image part counts as an unknown picture
        return Image.new("RGB", (1, 1), "#" + _UNKNOWN)
    if picture.mode in ("RGBA", "LA", "P", "PA"):
        picture = picture.convert("RGBA")
        flat = Image.new("RGBA", picture.size, (255, 255, 255, 0))
        flat.alpha_composite(picture)
        return flat
    return picture.convert("RGB")


def _blend(image: Image.Image, box: Box, picture: Image.Image, alpha: float) -> None:
    x0, y0 = round(box.x * SCALE), round(box.y * SCALE)
    size = (max(1, round(box.w * SCALE)), max(1, round(box.h * SCALE)))
    scaled = picture.resize(size, Image.Resampling.BILINEAR)
    mask = scaled.getchannel("A") if scaled.mode == "RGBA" else Image.new("L", size, 255)
    if alpha < 1:
        mask = mask.point(lambda value: round(value * alpha))
    image.paste(scaled.convert("RGB"), (x0, y0), mask)


def _paint_tree(image: Image.Image, owner, tree, scheme: Scheme, keep: tuple) -> None:
    if tree is None:
        return
    for shape, box in iter_graphics(tree, include_placeholders=keep):
        kind = _local(shape)
        if kind == "pic":
            _paint_fill(image, box, shape.find(qn("p:blipFill")), owner, scheme)
            continue
        properties = shape.find(qn("p:spPr")) if kind != "grpSp" else None
        if properties is None:
            continue
        fill = next((child for child in properties if _local(child) in ("solidFill", "gradFill", "blipFill",
                                                                          "pattFill")), None)
        if fill is None and properties.find(qn("a:noFill")) is None:
            fill = _style_fill(shape, scheme)
        _paint_fill(image, box, fill, owner, scheme)
        line = properties.find(qn("a:ln"))
        if line is not None and box.h * SCALE < 2 and line.find(qn("a:solidFill")) is not None:
            _paint_fill(image, Box(box.x, box.y - 0.5, box.w, 1.5), line.find(qn("a:solidFill")), owner, scheme)


def _style_fill(shape, scheme: Scheme):
    """A shape's fill from its theme style reference (`p:style/a:fillRef`), as a solid fill of its colour."""
    reference = shape.find(f"{qn('p:style')}/{qn('a:fillRef')}")
    if reference is None or reference.get("idx") == "0":
        return None
    colour = scheme.resolve(reference)
    if colour is None:
        return None
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", colour[0])
    return fill
