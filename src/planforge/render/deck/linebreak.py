"""Where text may break (UAX #14 via uniseg), over-long words made breakable, and fonts for scripts the deck font lacks.

Measuring and drawing both pass every run of text through `breakable` with the same size and width, so the break
hints it adds (soft hyphens, zero-width spaces, no-break spaces in numbers) are the same in what is measured and what
LibreOffice or PowerPoint sets.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

SHY = "\u00ad"
"""Soft hyphen: a break opportunity that shows a hyphen only when the line breaks there."""
ZWSP = "\u200b"
"""Zero-width space: a break opportunity that shows nothing."""
NBSP = "\u00a0"

# Chunks of these characters have no break opportunity inside them under UAX #14 (letters, digits, most
# punctuation that only attaches), so they skip the slow rule engine.
_PLAIN_CHUNK = re.compile(r"[A-Za-z0-9\u00c0-\u024f.,;:'’\"“”‘()!%&+*#@\u00a0]*")
# A space between digit groups ("410 000", "5 000") is a thousands separator, and one between a number and its
# percent or currency sign ("20 %", "0,35 €", "R$ 150", "CHF 12" is left alone) is part of the amount: never a break.
_CURRENCY_SIGNS = "$€£¥₹₩₽¢₺₫₪₱₦"
_DIGIT_GROUP_SPACE = re.compile(rf"(?<=\d) (?=\d{{3}}(?!\d)|[%‰‱{_CURRENCY_SIGNS}](?!\w))|(?<=[{_CURRENCY_SIGNS}]) (?=\d)")
# Over-long segments without hyphenation points (URLs, codes) may also break after these.
_URL_BREAK_AFTER = re.compile(r"(?<=[/?&=._#~:;,-])(?=[^/?&=._#~:;,\-])")

CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallback.ttf",
)
"""Fonts that cover Chinese, Japanese and Korean, in order of preference (the first found is measured)."""
EA_FONT_FALLBACK = "Noto Sans CJK JP"
"""The East Asian font named in runs when no CJK font file is on this machine."""
RTL_FONT_FILES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
"""Fonts (regular, bold) that cover both Arabic and Hebrew, in order of preference: the one LibreOffice falls back
to for those scripts, which text in them is measured with and runs name as their complex-script font (`a:cs`)."""
_RTL_LETTER = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
# Spaces, digits and punctuation take the script of the letter before them: after Arabic, the Arabic font.
_WEAK = "\\s\\d\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e\u00a0-\u00bf\u2000-\u206f"
RTL_TEXT = re.compile(f"[{_RTL_LETTER}][{_RTL_LETTER}{_WEAK}]*")
"""Hebrew or Arabic text with the spaces, digits and punctuation that follow its letters (all set in its font)."""


def keep_numbers_whole(text: str) -> str:
    """Text with the spaces between digit groups, and between a number and its % or currency sign, made no-break."""
    return _DIGIT_GROUP_SPACE.sub(NBSP, text) if " " in text else text


@lru_cache(maxsize=65_536)
def units(chunk: str) -> tuple[str, ...]:
    """A text without ordinary spaces cut after every UAX #14 break opportunity (mandatory breaks included)."""
    if _PLAIN_CHUNK.fullmatch(chunk):
        return (chunk,)
    if "://" in chunk or chunk.startswith("www."):
        # LibreOffice and PowerPoint do not break a web address where UAX #14 would (after a "/" before letters):
        # it is one word, broken only when longer than the line, where `breakable` puts its hints.
        return (chunk,)
    from uniseg.linebreak import line_break_units

    return tuple(line_break_units(chunk))


def break_units(text: str) -> list[str]:
    """The text cut after every break opportunity; each unit keeps its trailing spaces and line break."""
    result: list[str] = []
    for line_number, line in enumerate(text.split("\n")):
        if line_number:
            if result:
                result[-1] += "\n"
            else:
                result.append("\n")
        for chunk in re.findall(r"[^ ]+ *| +", line):
            body = chunk.rstrip(" ")
            spaces = chunk[len(body):]
            if not body:
                if result and not result[-1].endswith("\n"):
                    result[-1] += spaces
                elif not result:
                    result.append(spaces)  # a run's leading space ("**Why:** Paid …" after its bold run) is kept
                continue
            pieces = list(units(body))
            pieces[-1] += spaces
            result.extend(pieces)
    return result


_LANGUAGE: ContextVar[str] = ContextVar("hyphenation_language", default="en_US")


@contextmanager
def hyphenating_in(language: str | None) -> Iterator[None]:
    """Hyphenate over-long words by the rules of `language` (e.g. "de", "fr_FR") inside the block.

    None (a plan and project that name no language) is English, as every output declares such a plan."""
    token = _LANGUAGE.set((language or "en_US").replace("-", "_"))
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def hyphenation_language() -> str:
    """The language `breakable` hyphenates in now (`hyphenating_in`), as pyphen names it: "en_US", "de"."""
    return _LANGUAGE.get()


def breakable(text: str, too_wide: Callable[[str], bool], language: str | None = None) -> str:
    """Text with break hints in every unit `too_wide` says cannot fit a line: soft hyphens at hyphenation points,
    then zero-width spaces after URL punctuation, then between characters, until every piece fits."""
    language = language or _LANGUAGE.get()
    text = keep_numbers_whole(text)
    if not too_wide(text.replace("\n", " ")) and "\n" not in text:
        return text
    out = []
    for unit in break_units(text):
        core = unit.rstrip(" \n")
        if core and too_wide(core):
            unit = _hinted(core, too_wide, language) + unit[len(core):]
        out.append(unit)
    return "".join(out)


def _hinted(word: str, too_wide: Callable[[str], bool], language: str) -> str:
    pieces = _hyphenated(word, language).split(SHY)
    hinted = []
    for index, piece in enumerate(pieces):
        hyphen = SHY if index < len(pieces) - 1 else ""
        if too_wide(piece + ("-" if hyphen else "")):
            parts = _URL_BREAK_AFTER.split(piece)
            piece = ZWSP.join(ZWSP.join(part) if too_wide(part) else part for part in parts)
        hinted.append(piece + hyphen)
    return "".join(hinted)


def _hyphenated(word: str, language: str) -> str:
    """The word with soft hyphens at its hyphenation points (letters only; other text is left alone)."""
    hyphenator = _hyphenator(language)
    if hyphenator is None:
        return word
    return re.sub(r"[^\W\d_]{6,}", lambda m: hyphenator.inserted(m.group(), hyphen=SHY), word)


@lru_cache(maxsize=16)
def _hyphenator(language: str):
    """pyphen's dictionary for the language; for one it has none of, English when the language is not written in
    Latin letters (its Latin words are mostly English names), else None: only the measured break, no hyphen."""
    import pyphen

    for candidate in (language, language.split("_")[0]):
        if candidate in pyphen.LANGUAGES:
            return pyphen.Pyphen(lang=candidate)
    return None if _written_in_latin(language) else pyphen.Pyphen(lang="en_US")


def _written_in_latin(language: str) -> bool:
    """Whether the language ("fi", "sr_Latn", "ja") is written in Latin letters: its script subtag, else CLDR's
    likely script for it (an unknown language counts as Latin)."""
    parts = language.split("_")
    script = next((part for part in parts[1:] if len(part) == 4), None)
    if script is None:
        from babel.core import get_global

        likely = get_global("likely_subtags").get(parts[0].lower()) or ""
        script = next((part for part in likely.split("_")[1:] if len(part) == 4), "Latn")
    return script.title() == "Latn"


# --- scripts the deck font does not cover ---------------------------------------------------------------------


def covered_by_latin_font(char: str) -> bool:
    """Whether a character is one every deck font draws itself (Latin, general punctuation, currency)."""
    code = ord(char)
    return code < 0x0250 or 0x2000 <= code < 0x20D0


def is_wide(char: str) -> bool:
    """Whether a character is set full width (CJK ideographs, kana, hangul, full-width forms, emoji)."""
    import unicodedata

    return unicodedata.east_asian_width(char) in ("W", "F")


AUTOSPACE_EM = 0.25
"""The space LibreOffice adds where text changes between Asian script and other letters, digits or signs (its Asian
typography default, "apply spacing between Asian and non-Asian text"): a fifth of the text's height, 0.23–0.25 em on
its PDFs at 9–40 pt. DrawingML has no paragraph property that turns it off (`a:pPr` holds only `eaLnBrk`,
`latinLnBrk` and `hangingPunct` for Asian text), so it is measured; the upper end, so nothing drawn overflows."""


_FIRST_ASIAN = "\u1100"
"""No character below this (Hangul Jamo, the first wide script block) is Asian script to `is_asian_script`."""


def is_asian_script(char: str) -> bool:
    """Whether a character is Asian script to LibreOffice's spacing: a wide letter, digit or punctuation mark (Han,
    kana, Hangul, full-width forms; not emoji)."""
    import unicodedata

    return unicodedata.east_asian_width(char) in ("W", "F", "H") and unicodedata.category(char)[0] in "LNP"


def script_changes(text: str, before: str = "") -> int:
    """How often the text (after `before`) changes between Asian script and other characters; a space belongs to the
    text before it, as in LibreOffice (the space in `第 12` is Asian, so the change is before `1`)."""
    joined = before + text
    if not joined or max(joined) < _FIRST_ASIAN:
        return 0  # no Asian script at all (most text): no per-character work
    count, previous = 0, None
    for char in joined:
        if char.isspace() or char in (SHY, ZWSP):
            continue
        asian = is_asian_script(char)
        count += previous is not None and asian != previous
        previous = asian
    return count - (script_changes(before) if before else 0)


@lru_cache(maxsize=1)
def cjk_font_file() -> Path | None:
    """The CJK font on this machine that LibreOffice falls back to and text is measured with, if any."""
    return next((Path(p) for p in CJK_FONT_FILES if Path(p).exists()), None)


@lru_cache(maxsize=1)
def east_asian_font_name() -> str:
    """The font named for East Asian text in runs (`a:ea`): the measured CJK font's family."""
    path = cjk_font_file()
    if path is None:
        return EA_FONT_FALLBACK
    from PIL import ImageFont

    return ImageFont.truetype(str(path), 10).getname()[0]


@lru_cache(maxsize=1)
def _cjk_font(units_per_em: int):
    path = cjk_font_file()
    if path is None:
        return None
    from PIL import ImageFont

    return ImageFont.truetype(str(path), units_per_em, layout_engine=ImageFont.Layout.BASIC)


def has_rtl_text(text: str) -> bool:
    """Whether the text holds Hebrew or Arabic letters."""
    return RTL_TEXT.search(text) is not None


def ends_in_rtl_text(text: str) -> bool:
    """Whether the text ends in Hebrew or Arabic (what follows it, a space say, is set in that script's font)."""
    match = RTL_TEXT.search(text[-64:])
    while match is not None and match.end() < len(text[-64:]):
        match = RTL_TEXT.search(text[-64:], match.end())
    return match is not None


@lru_cache(maxsize=1)
def rtl_font_files() -> tuple[Path, Path] | None:
    """The (regular, bold) font files on this machine that Arabic and Hebrew are measured with, if any."""
    return next(((Path(r), Path(b)) for r, b in RTL_FONT_FILES if Path(r).exists() and Path(b).exists()), None)


@lru_cache(maxsize=1)
def complex_script_font_name() -> str | None:
    """The family named for Arabic and Hebrew text in runs (`a:cs`): the measured font's; None when there is none."""
    files = rtl_font_files()
    if files is None:
        return None
    from PIL import ImageFont

    return ImageFont.truetype(str(files[0]), 10).getname()[0]


@lru_cache(maxsize=4)
def _rtl_font(bold: bool, units_per_em: int):
    files = rtl_font_files()
    if files is None:
        return None
    from PIL import ImageFont, features

    # Arabic letters take other forms (and widths) joined in a word: shape it when Pillow can.
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(files[bold]), units_per_em, layout_engine=engine)


def rtl_width(text: str, bold: bool, units_per_em: int) -> float | None:
    """Advance width in font units of Hebrew or Arabic text in the font that covers it; None when there is none.

    Italic is measured upright: the covering font's oblique faces lack Arabic, so it is slanted, not replaced."""
    font = _rtl_font(bold, units_per_em)
    if font is None:
        return None
    return font.getlength(text)


def fallback_width(char: str, units_per_em: int) -> float:
    """Advance width in font units of a character the deck font lacks: the CJK font's, else a full em."""
    font = _cjk_font(units_per_em)
    if font is not None and is_wide(char) and _has_glyph(font, char):
        return font.getlength(char)
    return float(units_per_em)


@lru_cache(maxsize=8_192)
def _has_glyph(font, char: str) -> bool:
    # A font without the glyph draws its .notdef box: compare with a character no font has.
    return font.getmask(char).getbbox() != font.getmask("\U0010fffd").getbbox() or char.isspace()
