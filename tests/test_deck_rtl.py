"""Decks of plans in right-to-left languages (Arabic, Hebrew): paragraphs and tables set right to left, runs in the
plan's language and in a font that covers its script, and that script measured in that font."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import ImageFont

from planforge.loading import load_plan
from planforge.render.deck import linebreak, measure, render
from planforge.render.deck.fontlookup import STAND_IN, _register_stand_in

ROOT = Path(__file__).resolve().parents[1]
ARABIC = ROOT / "tests" / "plans" / "ar-water-utility-strategy.yaml"
ENGLISH = ROOT / "plans" / "lrp-brainstorming.yaml"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
HEBREW_PLAN = """\
kind: 30-60-90
lang: he
title: תוכנית 90 הימים הראשונים
role: מנהלת הנדסה
phases:
  - name: ימים 1 עד 30
    start_day: 1
    end_day: 30
    key_objectives:
      - לפגוש כל צוות ולהבין את המערכות
  - name: ימים 31 עד 60
    start_day: 31
    end_day: 60
    key_objectives:
      - לכתוב את מפת הדרכים עם הצוותים
  - name: ימים 61 עד 90
    start_day: 61
    end_day: 90
    key_objectives:
      - לשחרר את הגרסה הראשונה של הפלטפורמה
"""

pytestmark = pytest.mark.skipif(linebreak.rtl_font_files() is None, reason="no font covering Arabic and Hebrew")


def _slides(data: bytes) -> list[etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = sorted((n for n in package.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml")),
                       key=lambda n: int(n[len("ppt/slides/slide"):-4]))
        return [etree.fromstring(package.read(name)) for name in names]


def _deck(plan: Path) -> list[etree._Element]:
    return _slides(render(load_plan(plan).document))


def _text_paragraphs(slides) -> list[etree._Element]:
    """Paragraphs holding text (shapes' empty default paragraphs aside)."""
    return [p for slide in slides for p in slide.iter(f"{A}p") if p.find(f"{A}r") is not None]


def _has_rtl(text: str) -> bool:
    return linebreak.has_rtl_text(text)


@pytest.fixture(scope="module")
def arabic() -> list[etree._Element]:
    return _deck(ARABIC)


def test_every_paragraph_of_an_arabic_deck_is_right_to_left(arabic):
    paragraphs = _text_paragraphs(arabic)
    assert paragraphs
    assert all(p.find(f"{A}pPr").get("rtl") == "1" for p in paragraphs)
    # Text the design aligns left starts at the right; nothing is left-aligned unless the design aligns it right.
    aligned = [p.find(f"{A}pPr").get("algn") for p in paragraphs if _has_rtl("".join(p.itertext()))]
    assert aligned.count("r") > len(aligned) / 2
    assert "l" not in aligned or aligned.count("l") < aligned.count("r")


def test_arabic_runs_say_their_language_and_name_a_font_that_covers_arabic(arabic):
    runs = [r for slide in arabic for r in slide.iter(f"{A}r")]
    assert {r.find(f"{A}rPr").get("lang") for r in runs} == {"ar-SA"}
    arabic_runs = [r for r in runs if _has_rtl(r.findtext(f"{A}t"))]
    assert arabic_runs
    covering = {r.find(f"{A}rPr/{A}cs").get("typeface") for r in arabic_runs}
    assert covering == {linebreak.complex_script_font_name()} == {"DejaVu Sans"}
    assert {r.find(f"{A}rPr/{A}latin").get("typeface") for r in arabic_runs} != covering


def test_tables_of_an_arabic_deck_read_right_to_left(arabic):
    tables = [t for slide in arabic for t in slide.iter(f"{A}tblPr")]
    assert tables and all(t.get("rtl") == "1" for t in tables)


def test_a_hebrew_deck_is_right_to_left_in_hebrew(tmp_path):
    plan = tmp_path / "he.yaml"
    plan.write_text(HEBREW_PLAN, encoding="utf-8")
    slides = _deck(plan)
    paragraphs = _text_paragraphs(slides)
    assert paragraphs
    assert all(p.find(f"{A}pPr").get("rtl") == "1" for p in paragraphs)
    runs = [r for slide in slides for r in slide.iter(f"{A}r")]
    assert {r.find(f"{A}rPr").get("lang") for r in runs} == {"he-IL"}
    assert all(r.find(f"{A}rPr/{A}cs").get("typeface") == "DejaVu Sans" for r in runs)


def test_an_english_deck_has_no_right_to_left_settings():
    slides = _deck(ENGLISH)
    assert not [p for slide in slides for p in slide.iter(f"{A}pPr") if p.get("rtl")]
    assert not [t for slide in slides for t in slide.iter(f"{A}tblPr") if t.get("rtl")]
    assert {cs.get("typeface") for slide in slides for cs in slide.iter(f"{A}cs")} == {"Arial"}


def _shaped(text: str, bold: bool, size: float) -> float:
    regular, heavy = linebreak.rtl_font_files()
    font = ImageFont.truetype(str(heavy if bold else regular), 1000, layout_engine=ImageFont.Layout.RAQM)
    return font.getlength(text) * size / 1000


@pytest.mark.parametrize("word", ["العدادات", "الذكية", "שלום", "المياه غير المحسوبة"])
@pytest.mark.parametrize("bold", [False, True])
def test_arabic_and_hebrew_are_measured_in_the_font_that_covers_them(word, bold):
    width = measure.text_width(word, 20, bold)
    assert width == pytest.approx(_shaped(word, bold, 20))
    # Not a full em per letter, as a character the deck font lacks is otherwise measured.
    assert width < 0.7 * 20 * len(word)
    # The wide stand-in for a missing deck font does not widen text set in the covering font.
    _register_stand_in()
    with measure.measuring_with(STAND_IN):
        assert measure.text_width(word, 20, bold) == pytest.approx(width)


def test_latin_text_in_an_arabic_line_keeps_the_deck_font():
    mixed = measure.text_width("KPI العدادات", 20)
    assert mixed == pytest.approx(measure.text_width("KPI ", 20) + _shaped("العدادات", False, 20))


def test_an_arabic_line_is_set_as_wide_as_the_covering_font_draws_it():
    # The spaces and the full stop after Arabic words are set in the Arabic font (wider than Arial's): a sentence
    # in a box a point narrower than it is drawn takes two lines, as LibreOffice sets it.
    sentence = "تركيب ٢٠٠ ألف عداد ذكي في الأحياء ذات الفاقد الأعلى."
    drawn = _shaped(sentence, False, 18)
    assert measure.line_count(sentence, 18, drawn / measure.WIDTH_SAFETY - 1) == 2
    assert measure.line_count(sentence, 18, drawn / measure.WIDTH_SAFETY + 1) == 1
