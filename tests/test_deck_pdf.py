"""Both seed decks as LibreOffice draws them: every seed sentence visible, no overlaps, nothing off the page or tiny."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu, Pt

from deckpdf import SOFFICE, off_page, overlapping_words, read_pdf, small_words, to_pdf, visible_text
from planforge.loading import load_plan
from planforge.render.deck import render
from planforge.render.deck.theme import BUILTIN
from seedtext import SEEDS, clean, missing_pieces, read_seed

ROOT = Path(__file__).resolve().parents[1]
SEED_OF_PLAN = {"30-60-90-day-plan": "30-60-90-day-plan.md", "lrp-brainstorming": "lrp-brainstorming.md"}
FOOTER_TOP = BUILTIN.place.body.bottom

pytestmark = [pytest.mark.slow, pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Each seed plan's deck and the pages LibreOffice makes of it."""
    folder = tmp_path_factory.mktemp("decks")
    result = {}
    for name in SEED_OF_PLAN:
        pptx = folder / f"{name}.pptx"
        pptx.write_bytes(render(load_plan(ROOT / "plans" / f"{name}.yaml").document))
        result[name] = (pptx, read_pdf(to_pdf(pptx, folder)))
    return result


@pytest.mark.parametrize("name", sorted(SEED_OF_PLAN))
def test_libreoffice_opens_the_deck_and_draws_every_slide(converted, name):
    pptx, pages = converted[name]
    assert len(pages) == len(Presentation(str(pptx)).slides)
    assert all(page.words for page in pages)


@pytest.mark.parametrize("name", sorted(SEED_OF_PLAN))
def test_every_sentence_bullet_and_cell_of_the_seed_is_visible(converted, name):
    seed = read_seed(SEEDS / SEED_OF_PLAN[name])
    text = visible_text(converted[name][1])
    missing = missing_pieces(seed, text)
    assert not missing, "\n".join(f"{SEED_OF_PLAN[name]}:{p.line}: not visible: {p.text!r}" for p in missing)


def test_every_reference_and_action_title_of_the_seed_is_visible(converted):
    seed = read_seed(SEEDS / SEED_OF_PLAN["30-60-90-day-plan"])
    text = visible_text(converted["30-60-90-day-plan"][1])
    for reference in seed.references:
        assert f"{reference.authors} ({reference.year}). {reference.title}" in text
        if reference.publisher:
            assert reference.publisher in text
    for title in seed.action_titles.values():
        assert clean(title) in text


@pytest.mark.parametrize("name", sorted(SEED_OF_PLAN))
def test_no_two_words_overlap(converted, name):
    for page in converted[name][1]:
        overlaps = overlapping_words(page)
        assert not overlaps, f"page {page.number}: " + ", ".join(f"{a.text!r}/{b.text!r}" for a, b in overlaps[:5])


@pytest.mark.parametrize("name", sorted(SEED_OF_PLAN))
def test_nothing_is_drawn_off_the_page(converted, name):
    problems = [problem for page in converted[name][1] for problem in off_page(page)]
    assert not problems


@pytest.mark.parametrize("name", sorted(SEED_OF_PLAN))
def test_no_text_below_ten_points_except_the_footer(converted, name):
    small = [(page.number, w.text, w.size) for page in converted[name][1] for w in small_words(page, 10, FOOTER_TOP)]
    assert not small


@pytest.mark.parametrize("name", sorted(SEED_OF_PLAN))
def test_body_text_stays_out_of_the_footer_band(converted, name):
    intruders = [(page.number, w.text) for page in converted[name][1] for w in page.words
                 if w.bottom > FOOTER_TOP + 1 and w.size >= 10]
    assert not intruders


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
