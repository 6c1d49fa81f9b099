"""Both seed decks as LibreOffice draws them: every seed sentence visible, no overlaps, nothing off the page or tiny."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu, Pt

from company_template import make_template
from deckpdf import SOFFICE, off_page, overlapping_words, read_pdf, set_lines, small_words, to_pdf, visible_text
from planforge.loading import load_plan
from planforge.render import RenderOptions
from planforge.render.deck import measure, render
from planforge.render.deck.theme import BUILTIN
from seedtext import SEEDS, clean, missing_pieces, read_seed

ROOT = Path(__file__).resolve().parents[1]
SEED_OF_PLAN = {"30-60-90-day-plan": "30-60-90-day-plan.md", "lrp-brainstorming": "lrp-brainstorming.md"}
FOOTER_TOP = BUILTIN.place.body.bottom
COMPANY_BODY_BOTTOM = 492.5
"""Bottom of the body in the stand-in company template (above its footer placeholders at 500.5 pt)."""

pytestmark = [pytest.mark.slow, pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")]


DECKS = [*SEED_OF_PLAN, *(f"company:{name}" for name in SEED_OF_PLAN)]
"""Both seed plans in the built-in design, and in a company template set in Calibri."""


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Each deck and the pages LibreOffice makes of it."""
    folder = tmp_path_factory.mktemp("decks")
    template = make_template(folder / "company.pptx")
    result = {}
    for deck in DECKS:
        plan = deck.removeprefix("company:")
        options = RenderOptions(deck_template=template if deck.startswith("company:") else None)
        pptx = folder / f"{deck.replace(':', '-')}.pptx"
        pptx.write_bytes(render(load_plan(ROOT / "plans" / f"{plan}.yaml").document, options))
        pdf = to_pdf(pptx, folder)
        result[deck] = (pptx, read_pdf(pdf), pdf)
    return result


@pytest.mark.parametrize("name", DECKS)
def test_libreoffice_opens_the_deck_and_draws_every_slide(converted, name):
    pptx, pages, _ = converted[name]
    assert len(pages) == len(Presentation(str(pptx)).slides)
    assert all(page.words for page in pages)


@pytest.mark.parametrize("name", DECKS)
def test_every_sentence_bullet_and_cell_of_the_seed_is_visible(converted, name):
    seed = read_seed(SEEDS / SEED_OF_PLAN[name.removeprefix("company:")])
    text = visible_text(converted[name][1])
    missing = missing_pieces(seed, text)
    assert not missing, "\n".join(f"{name}:{p.line}: not visible: {p.text!r}" for p in missing)


def test_every_reference_and_action_title_of_the_seed_is_visible(converted):
    seed = read_seed(SEEDS / SEED_OF_PLAN["30-60-90-day-plan"])
    text = visible_text(converted["30-60-90-day-plan"][1])
    for reference in seed.references:
        assert f"{reference.authors} ({reference.year}). {reference.title}" in text
        if reference.publisher:
            assert reference.publisher in text
    for title in seed.action_titles.values():
        assert clean(title) in text


@pytest.mark.parametrize("name", DECKS)
def test_no_two_words_overlap(converted, name):
    for page in converted[name][1]:
        overlaps = overlapping_words(page)
        assert not overlaps, f"page {page.number}: " + ", ".join(f"{a.text!r}/{b.text!r}" for a, b in overlaps[:5])


@pytest.mark.parametrize("name", DECKS)
def test_nothing_is_drawn_off_the_page(converted, name):
    problems = [problem for page in converted[name][1] for problem in off_page(page)]
    assert not problems


@pytest.mark.parametrize("name", DECKS)
def test_no_text_below_ten_points_except_the_footer(converted, name):
    small = [(page.number, w.text, w.size) for page in converted[name][1] for w in small_words(page, 10, FOOTER_TOP)]
    assert not small


@pytest.mark.parametrize("name", DECKS)
def test_body_text_stays_out_of_the_footer_band(converted, name):
    footer_top = COMPANY_BODY_BOTTOM if name.startswith("company:") else FOOTER_TOP
    intruders = [(page.number, w.text) for page in converted[name][1] for w in page.words
                 if w.bottom > footer_top + 1 and w.size >= 10]
    assert not intruders


@pytest.mark.parametrize("name", DECKS)
def test_libreoffice_sets_no_line_wider_than_measured(converted, name):
    # The layout is only as good as the measurement: a line LibreOffice draws wider than measure.text_width
    # says (beyond the safety kept on every line) could wrap once more than planned and overflow its box.
    family = "Carlito" if name.startswith("company:") else "Liberation Sans"
    worst = (0.0, "")
    with measure.measuring_with(family):
        for line in set_lines(converted[name][2]):
            text = "".join(c for c, _, _ in line.chars).strip()
            if len(text) < 12 or line.chars[0][0] in "•–":
                continue
            measured = sum(measure.text_width(c, line.size, bold, italic) for c, bold, italic in line.chars)
            worst = max(worst, (line.width / measured, text))
    assert worst[0] < 1 / measure.WIDTH_SAFETY, worst


def test_the_checks_see_overlapping_and_off_page_text(tmp_path):
    # Guards the checks themselves: two boxes on top of each other, one running off the slide.
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    for left in (Emu(Pt(100)), Emu(Pt(104))):
        box = slide.shapes.add_textbox(left, Pt(100), Pt(300), Pt(40))
        box.text_frame.text = "Overlapping words here"
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    box = slide.shapes.add_textbox(Pt(650), Pt(300), Pt(300), Pt(40))
    box.text_frame.word_wrap = False
    box.text_frame.text = "This line runs off the right edge of the slide"
    small = slide.shapes.add_textbox(Pt(100), Pt(200), Pt(300), Pt(40))
    small.text_frame.text = "tiny"
    small.text_frame.paragraphs[0].runs[0].font.size = Pt(7)
    path = tmp_path / "broken.pptx"
    deck.save(path)
    (page,) = read_pdf(to_pdf(path, tmp_path))
    assert overlapping_words(page)
    assert off_page(page)
    assert [w.text for w in small_words(page, 10, 500)] == ["tiny"]
