"""Finding the font a deck's text will be set in, so it is measured with that font (or a wide stand-in).

Order: a metric-compatible font shipped with planforge (Liberation Sans for Arial, Carlito for Calibri), then a
font folder given with `--font-dir`, then the system's fonts through fontconfig (`fc-list`). A font found nowhere
is measured with a deliberately wide stand-in, so text still fits whatever font a viewer substitutes for it.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from planforge.render.deck import measure

STAND_IN = "Wide stand-in"
"""The family name text is measured in when its font is nowhere to be found."""
STAND_IN_FACTOR = 1.22
# Liberation Sans widened by 22 %: wider than DejaVu Sans (+15 % regular, up to +21 % bold), the font LibreOffice
# puts in for missing fonts here, and than Verdana, Century Gothic or Lexend Deca (~+14 %), wide template fonts.
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")

Faces = dict[tuple[bool, bool], tuple[Path, int]]
"""(bold, italic) → font file and face index within it."""


@dataclass(frozen=True)
class Measured:
    """How a font will be measured: the family name `measure` knows it by, and how it was found, in words."""

    font: str
    family: str
    how: str
    found: bool


def measuring_family(font: str, font_dirs: Iterable[Path] = ()) -> Measured:
    """The family to measure `font` with: its shipped twin, its own files, or the wide stand-in."""
    twin = measure.twin_family(font)
    if twin is not None:
        return Measured(font, twin, f"measured with {twin} (same metrics, shipped with planforge)", True)
    faces = find_font(font, tuple(Path(d) for d in font_dirs))
    if faces:
        measure.register_family(font, faces)
        regular = faces[(False, False)][0]
        return Measured(font, font, f"measured with {regular}", True)
    _register_stand_in()
    return Measured(font, STAND_IN, f"not found on this system: measured {round((STAND_IN_FACTOR - 1) * 100)} % wider "
                    "than Arial so text fits a substitute", False)


def not_found_hint(font: str) -> str:
    """What to do so a font is measured as it will render."""
    return (f"install {font!r} (so fontconfig's `fc-list` shows it) or pass the folder holding its .ttf/.otf files "
            f"with --font-dir")


def _register_stand_in() -> None:
    shipped = measure.FAMILIES[measure.DEFAULT_FAMILY]
    measure.register_family(STAND_IN, {style: (measure.FONTS_DIR / name, 0) for style, name in shipped.items()},
                            STAND_IN_FACTOR)


@lru_cache(maxsize=128)
def find_font(font: str, font_dirs: tuple[Path, ...] = ()) -> Faces | None:
    """The regular, bold and italic faces of a font family, from the given folders or fontconfig; None if absent."""
    wanted = font.strip().lower()
    candidates = [face for face in (*_folder_faces(font_dirs), *_fontconfig_faces(font)) if face[0].lower() == wanted]
    faces: Faces = {}
    for bold, italic in ((False, False), (True, False), (False, True), (True, True)):
        # The face nearest in weight (400 regular, 700 bold) with the right slant; files listed first win ties.
        fitting = [c for c in candidates if c[2] == italic] or ([] if italic else candidates)
        if fitting:
            best = min(fitting, key=lambda c: abs(c[1] - (700 if bold else 400)))
            faces[(bold, italic)] = (best[3], best[4])
    if (False, False) not in faces or abs(next(c[1] for c in candidates if (c[3], c[4]) == faces[(False, False)]) - 400) > 150:
        return None
    for bold, italic in ((True, True), (False, True)):
        faces.setdefault((bold, italic), faces[(bold, False)] if (bold, False) in faces else faces[(False, False)])
    faces.setdefault((True, False), faces[(False, False)])
    faces.setdefault((True, True), faces[(True, False)])
    return faces


# fontconfig's weight scale → the CSS/OpenType one (usWeightClass), at fontconfig's named weights.
_FC_WEIGHTS = ((0, 100), (40, 200), (50, 300), (55, 350), (75, 380), (80, 400), (100, 500), (180, 600), (200, 700),
               (205, 800), (210, 900), (215, 950))


def _css_weight(fc_weight: float) -> float:
    for (low, low_css), (high, high_css) in zip(_FC_WEIGHTS, _FC_WEIGHTS[1:]):
        if fc_weight <= high:
            return low_css + (high_css - low_css) * (fc_weight - low) / (high - low)
    return 950


def _folder_faces(folders: tuple[Path, ...]):
    """(family, weight 100–900, italic, file, index) of every font file in the folders."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES):
            try:
                fonts = TTCollection(str(path), lazy=True).fonts if path.suffix.lower() == ".ttc" else \
                    [TTFont(str(path), lazy=True)]
                for index, face in enumerate(fonts):
                    names = face["name"]
                    family = names.getDebugName(16) or names.getDebugName(1)
                    os2 = face["OS/2"]
                    if family:
                        yield family, os2.usWeightClass, bool(os2.fsSelection & 0b1), path, index
            except (TTLibError, OSError, ValueError, AssertionError, KeyError, struct.error):
                continue


def _fontconfig_faces(font: str):
    """(family, weight 100–900, italic, file, index) of the system's faces of a family, as fontconfig lists them."""
    fc_list = shutil.which("fc-list")
    if fc_list is None or not font.strip():
        return
    pattern = "".join("\\" + c if c in "\\-:,=" else c for c in font.strip())
    try:
        listed = subprocess.run([fc_list, pattern, "--format", "%{family[0]}|%{weight}|%{slant}|%{file}|%{index}\n"],
                                capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return
    for line in sorted(listed.splitlines()):
        parts = line.split("|")
        if len(parts) != 5 or not parts[3]:
            continue
        family, weight, slant, file, index = parts
        try:
            yield family, _css_weight(float(weight)), float(slant) > 0, Path(file), int(index or 0)
        except ValueError:
            continue
