"""Every deck passes an accessibility check as built: every shape that is not text has alternative text or is marked
decorative, every text meets WCAG AA contrast against what is behind it, every slide has its own title, every table a
header row (`planforge.render.deck.accessibility`, which `planforge lint` reports as PF5xx)."""

from __future__ import annotations

import io

import pytest
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn

from deck_corpus import deck, names
from planforge.render.deck.accessibility import Finding, audit
from planforge.render.deck.colours import contrast_ratio

NAMES = names()


def findings(name: str, kind: str) -> list[Finding]:
    return [f for f in audit(Presentation(io.BytesIO(deck(name)))) if f.kind == kind]


@pytest.mark.parametrize("name", NAMES)
def test_every_shape_that_is_not_text_has_alt_text_or_is_decorative(name):
    assert not findings(name, "alt-text"), [f.message for f in findings(name, "alt-text")][:10]


@pytest.mark.parametrize("name", NAMES)
def test_every_text_meets_wcag_aa_contrast(name):
    low = findings(name, "contrast")
    assert not low, "\n".join(f.message for f in low[:10])


@pytest.mark.parametrize("name", NAMES)
def test_every_slide_has_its_own_title_and_every_table_a_header_row(name):
    found = [f for kind in ("no-title", "duplicate-title", "table-header") for f in findings(name, kind)]
    assert not found, [f.message for f in found]


def test_the_roadmap_says_in_words_what_its_shapes_show():
    slides = Presentation(io.BytesIO(deck("30-60-90-day-plan"))).slides
    roadmap = next(slide for slide in slides if any(shape.name == "Phase 1" for shape in slide.shapes))
    described = {shape.name: shape._element.find(f"*/{qn('p:cNvPr')}").get("descr") for shape in roadmap.shapes}
    assert described["Phase 1"] == "Roadmap phase 1 of 3: Days 1–30, Establishing Trust & Understanding"
    assert described["Block 1"] == "Roadmap: Weeks 1–2 Establish Foundations, Days 1–30"
    assert described["Block 6"] == "Roadmap: Weeks 11–12 Scale, Measure & Institutionalize, Days 61–90"


def test_cards_and_tables_are_described_and_rules_are_decorative():
    slides = Presentation(io.BytesIO(deck("lrp-brainstorming"))).slides
    cards = [shape for slide in slides for shape in slide.shapes if shape.name.startswith("Card ")
             and not shape.name.endswith(" bar")]
    assert cards and all(card._element.find(f"*/{qn('p:cNvPr')}").get("descr").startswith("Card ") for card in cards)
    tables = [shape for slide in slides for shape in slide.shapes if shape.has_table]
    assert tables and all("Table of" in t._element.find(f"*/{qn('p:cNvPr')}").get("descr") for t in tables)
    lines = [shape for slide in slides for shape in slide.shapes if shape._element.tag == qn("p:cxnSp")]
    assert lines and all(etree.tostring(line._element).count(b"adec:decorative") == 1 for line in lines)


def test_the_tracker_and_page_numbers_are_legible_and_the_current_section_not_by_colour_alone():
    slides = Presentation(io.BytesIO(deck("30-60-90-day-plan"))).slides
    content = slides[2]
    trackers = [shape for shape in content.shapes if shape.name.startswith("Tracker ")]
    number = next(shape for shape in content.shapes if shape.name == "Page number")
    for shape in [*trackers, number]:
        run = shape.text_frame.paragraphs[0].runs[0]
        size = run.font.size.pt
        assert size < 18 and contrast_ratio(str(run.font.color.rgb), "FFFFFF") >= 4.5, shape.name
    # The current section is bold and underlined by a bar as well as in another colour.
    bold = [shape for shape in trackers if shape.text_frame.paragraphs[0].runs[0].font.bold]
    assert len(bold) == 1


def test_the_check_finds_what_it_is_there_to_find():
    presentation = Presentation(io.BytesIO(deck("30-60-90-day-plan")))
    slide = presentation.slides[6]
    chevron = next(shape for shape in slide.shapes if shape.name == "Phase 1")
    del chevron._element.find(f"*/{qn('p:cNvPr')}").attrib["descr"]
    rule = next(shape for shape in slide.shapes if shape._element.tag == qn("p:cxnSp"))
    properties = rule._element.find(f"*/{qn('p:cNvPr')}")
    properties.remove(properties.find(qn("a:extLst")))
    number = next(shape for shape in slide.shapes if shape.name == "Page number")
    number.text_frame.paragraphs[0].runs[0].font.color.rgb.__class__  # the run exists
    fill = number.text_frame.paragraphs[0].runs[0]._r.find(f"{qn('a:rPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
    fill.set("val", "8C8C8C")
    presentation.slides[3].shapes.title.text_frame.text = presentation.slides[2].shapes.title.text_frame.text
    presentation.slides[5].shapes.title.text_frame.text = "see https://example.com/x for more"
    table = next(shape for slide in presentation.slides for shape in slide.shapes if shape.has_table)
    table._element.find(f".//{qn('a:tblPr')}").set("firstRow", "0")
    found = {(f.kind, f.slide) for f in audit(presentation)}
    assert {("alt-text", 7), ("contrast", 7), ("duplicate-title", 4), ("bare-url", 6), ("table-header", 3)} <= found
    assert sum(kind == "alt-text" for kind, _ in found) == 1
    message = next(f.message for f in audit(presentation) if f.kind == "contrast")
    assert "8C8C8C on FFFFFF at 9 pt is 3.36:1, below the 4.5:1" in message
