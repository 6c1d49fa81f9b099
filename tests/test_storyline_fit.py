"""A storyline that fits the content: an area's short parts share a slide, dividers only before long sections,
agenda rows measured, short slides centred rather than stopping at the top."""

from __future__ import annotations

import io

from pptx import Presentation

from planforge.model import PlanFile
from planforge.render.deck import layout, render
from planforge.render.deck.theme import BUILTIN

BODY = BUILTIN.place.body


def strategy(areas: list[dict], **fields) -> object:
    return PlanFile.model_validate({"kind": "strategy", "title": "Bank strategy", "areas": areas, **fields}).root


def area(name: str = "Lending", **fields) -> dict:
    data = {
        "name": name,
        "vision": "Customers get a credit decision in minutes on any device.",
        "initiatives": [{"name": "Instant decisioning", "description": "Automated scoring with referral rules."},
                        {"name": "Document upload", "description": "Customers photograph payslips in the app."}],
        "kpis": [{"metric": "Digital loan applications", "baseline": "0", "target": "250 000", "horizon": "FY2028"}],
    }
    data.update(fields)
    return data


def deck(document) -> Presentation:
    return Presentation(io.BytesIO(render(document)))


def texts(slide) -> str:
    """Every text of the slide (shapes and table cells), no-break spaces as spaces."""
    text = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) + " ".join(
        cell.text for shape in slide.shapes if shape.has_table for row in shape.table.rows for cell in row.cells)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_a_short_untitled_area_is_one_slide_with_vision_initiatives_and_kpis_and_no_divider():
    document = strategy([area()])
    pages = layout(document)
    assert [(p.kind, p.title) for p in pages][2:] == [("stack", "Lending at a glance")]
    slide = deck(document).slides[2]
    shown = texts(slide)
    for text in ("Customers get a credit decision", "Instant decisioning", "Document upload", "250 000"):
        assert text in shown
    assert any(shape.has_table for shape in slide.shapes)


def test_parts_the_plan_titles_open_slides_of_their_own_and_the_long_section_keeps_its_divider():
    titled = area(slides={"vision": {"title": "Decisions in minutes win customers"},
                          "initiatives": {"title": "Two initiatives take the paper out of lending"},
                          "outcomes": {"title": "A quarter of a million digital applications by 2028"}})
    pages = layout(strategy([titled, area("Payments")]))
    assert [p.title for p in pages][2:7] == ["Lending", "Decisions in minutes win customers",
                                             "Two initiatives take the paper out of lending",
                                             "A quarter of a million digital applications by 2028",
                                             "Payments at a glance"]
    assert pages[2].kind == "divider"


def test_an_untitled_part_joins_the_titled_part_before_it():
    titled = area(privacy="Investment profiles are kept apart from marketing data.",
                  slides={"initiatives": {"title": "Two initiatives take the paper out of lending"}})
    pages = layout(strategy([titled]))
    # The vision alone; initiatives, privacy and KPIs under the initiatives' title; two slides: no divider.
    assert [(p.kind, p.title) for p in pages][2:] == [
        ("statement", "Lending: vision and objectives"), ("stack", "Two initiatives take the paper out of lending")]
    slide = deck(strategy([titled])).slides[3]
    assert "Investment profiles" in texts(slide) and "250 000" in texts(slide)


def test_a_divider_the_plan_words_is_kept_before_a_one_slide_area():
    pages = layout(strategy([area(slides={"divider": {"title": "Lending moves online"}})]))
    assert [p.kind for p in pages][2:] == ["divider", "stack"]


def test_parts_that_do_not_fit_together_share_what_fits_and_every_part_is_shown_once():
    long = "Scoring uses bureau data, open banking transactions and the bank's own history to decide. " * 2
    big = area(initiatives=[{"name": f"Initiative {n}", "description": long} for n in range(1, 7)],
               kpis=[{"metric": f"Metric number {n} of the lending area", "target": f"{n}0 %"} for n in range(1, 11)])
    document = strategy([big])
    pages = layout(document)[2:]
    assert len(pages) >= 2 and "at a glance" not in " ".join(p.title for p in pages)
    shown = [texts(slide) for slide in deck(document).slides][2:]
    for n in range(1, 7):
        assert sum(f"Initiative {n}" in text for text in shown) == 1
    for n in range(1, 11):
        assert sum(f"Metric number {n} of" in text for text in shown) == 1


def test_nine_agenda_entries_share_one_slide_at_one_size():
    document = strategy([area(f"Area {n}", vision=f"Area {n} makes one promise to customers.") for n in range(9)],
                        executive_summary=["Nine areas, one bank"])
    agenda = deck(document).slides[2]
    assert agenda.shapes.title.text == "Agenda"
    assert [p.title for p in layout(document)].count("Agenda (cont.)") == 0
    names = [shape for shape in agenda.shapes if shape.has_text_frame and shape.text_frame.text.startswith("Area ")
             and "promise" not in shape.text_frame.text and shape.top / 12700 >= BODY.y]
    sizes = {run.font.size for shape in names for paragraph in shape.text_frame.paragraphs for run in paragraph.runs}
    assert len(names) == 9 and len(sizes) == 1


def _body_top(slide) -> float:
    """Where the highest body shape starts, in points."""
    return min(shape.top / 12700 for shape in slide.shapes
               if shape.top is not None and BODY.y - 1 <= shape.top / 12700 < BODY.bottom and shape.name != "Title")


def test_a_short_slide_is_centred_in_the_body_and_a_full_one_starts_at_the_top():
    short = strategy([area()], next_steps=["Confirm owners", "Publish the KPIs"])
    slides = deck(short).slides
    assert _body_top(slides[-1]) > BODY.y + BODY.h * 0.25
    full = strategy([area()], next_steps=[f"Step {n}: agree the owner and the budget with finance" for n in range(9)])
    assert _body_top(deck(full).slides[-1]) < BODY.y + BODY.h * 0.1


def test_an_agenda_of_fewer_than_three_entries_is_left_out_unless_the_plan_words_it():
    assert "agenda" not in [p.kind for p in layout(strategy([area()]))]
    assert "agenda" not in [p.kind for p in layout(strategy([area(), area("Payments")]))]
    assert "agenda" in [p.kind for p in layout(strategy([area(), area("Payments")], next_steps=["Decide"],
                                                        executive_summary=["Two areas"]))]
    worded = strategy([area()], storyline={"agenda": {"title": "One area decides the year"}})
    assert "One area decides the year" in [p.title for p in layout(worded)]


def plan(**fields):
    data = {"kind": "30-60-90", "title": "First 90 days",
            "phases": [{"name": f"Days {a}–{b}", "start_day": a, "end_day": b, "key_objectives": [f"Objective {b}"],
                        "expected_outcomes": [f"Outcome {b}"]} for a, b in ((1, 30), (31, 60), (61, 90))]}
    data.update(fields)
    return PlanFile.model_validate(data).root


def test_a_plan_of_phases_only_has_a_tracker_of_its_sections_and_no_appendix_repeating_its_slides():
    from planforge.render.deck.storyline import storyline

    story = storyline(plan(pitfalls=[{"pitfall": "Moving too fast", "mitigation": "Listen first"}]))
    assert story.sections == ("Summary", "Phases", "Risks")
    assert [s.kind for s in story.slides].count("divider") == 0
    assert all(s.section in (None, 0, 1, 2) for s in story.slides)


def test_the_appendix_shows_what_the_deck_shows_only_in_brief():
    from planforge.render.deck.storyline import storyline

    brief = plan(pitfalls=[{"pitfall": "Moving too fast before the teams trust the new lead",
                            "mitigation": "Listen first", "brief": {"pitfall": "Moving too fast"}}])
    story = storyline(brief)
    assert story.sections[-1] == "Appendix"
    assert [s.title for s in story.slides if s.section == len(story.sections) - 1] == [
        "Appendix", "Potential pitfalls and mitigation strategies in full"]


def test_an_agenda_that_would_repeat_the_derived_summary_word_for_word_is_left_out():
    visions = [area(f"Area {n}", vision=f"Area {n} makes one promise.", initiatives=[], kpis=[]) for n in range(4)]
    assert "agenda" not in [p.kind for p in layout(strategy(visions))]
    assert "agenda" in [p.kind for p in layout(strategy(visions, executive_summary=["Four promises, one museum"]))]


def test_a_single_area_opens_with_no_divider_however_long():
    long = area(initiatives=[{"name": f"Initiative {n}", "description": "A long description. " * 12}
                             for n in range(1, 10)])
    pages = layout(strategy([long]))
    assert len(pages) >= 5 and "divider" not in [p.kind for p in pages]


def test_a_worded_area_divider_shows_its_title_once():
    document = strategy([area(slides={"divider": {"title": "Lending moves online"}}), area("Payments")])
    divider = next(slide for slide in deck(document).slides if "Lending moves online" in texts(slide))
    assert texts(divider).count("Lending moves online") == 1
