"""The deck opened with python-pptx: storyline, titles, tables, notes, chrome, continuation, fit and determinism."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pptx import Presentation
from pptx.util import Emu

from company_template import DARK, TITLE_BOX, make_template
from planforge.errors import PlanforgeWarning, TemplateError
from planforge.loading import load_plan
from planforge.model import PlanFile
from planforge.render import RenderOptions
from planforge.render.deck import layout, measure, render, template
from planforge.render.deck.storyline import storyline
from planforge.render.deck.theme import BUILTIN
from planforge.text import plain

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "plans" / "30-60-90-day-plan.yaml"
STRATEGY = ROOT / "plans" / "lrp-brainstorming.yaml"
HOSTILE = ROOT / "tests" / "fixtures" / "render" / "hostile_plan.yaml"
PT = 12700


def document(path: Path):
    return load_plan(path).document


def deck_of(doc, **options) -> Presentation:
    return Presentation(io.BytesIO(render(doc, RenderOptions(**options))))


@pytest.fixture(scope="module")
def plan_deck():
    return deck_of(document(PLAN))


@pytest.fixture(scope="module")
def strategy_deck():
    return deck_of(document(STRATEGY))


def titles(deck) -> list[str]:
    return [slide.shapes.title.text for slide in deck.slides]


def named(slide, name: str):
    return next((shape for shape in slide.shapes if shape.name == name), None)


def tables(slide) -> list:
    return [shape.table for shape in slide.shapes if shape.has_table]


def cell_texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(parts)


def plan_data(**changes) -> dict:
    """A small valid 30-60-90 plan as a mapping, with fields replaced."""
    data = {
        "kind": "30-60-90",
        "title": "Test plan",
        "phases": [
            {"name": "Days 1–30", "start_day": 1, "end_day": 30, "key_objectives": ["Learn the product"]},
            {"name": "Days 31–60", "start_day": 31, "end_day": 60, "key_objectives": ["Ship a quick win"]},
        ],
        "week_blocks": [
            {"title": "Foundations", "weeks": [{"week": 1, "primary_objectives": ["Meet the team"]},
                                               {"week": 2, "key_actions": ["Review the roadmap"]}]},
        ],
    }
    data.update(changes)
    return data


def validated(data: dict):
    return PlanFile.model_validate(data).root


# --------------------------------------------------------------------------- the seed decks


def test_plan_deck_follows_the_seed_storyline(plan_deck):
    plan = document(PLAN)
    got = titles(plan_deck)
    expected_order = [
        plan.title,
        plan.storyline.executive_summary.title,
        plan.storyline.phase_summary.title,
        *(phase.slide.title for phase in plan.phases),
        plan.storyline.roadmap.title,
        *(block.slide.title for block in plan.week_blocks),
        plan.storyline.pitfalls.title,
        plan.storyline.references.title,
        plan.storyline.appendix.title,
    ]
    assert got[:len(expected_order)] == expected_order
    # The appendix: full phase summary, one table per block of weeks, the full pitfalls.
    appendix = got[len(expected_order):]
    for block in plan.week_blocks:
        assert any(block.title in title for title in appendix)
    assert len(plan_deck.slides) == len(expected_order) + len(appendix)


def test_plan_deck_is_16_by_9(plan_deck):
    assert (plan_deck.slide_width, plan_deck.slide_height) == (Emu(960 * PT), Emu(540 * PT))


def test_phase_summary_is_a_real_table_with_the_condensed_wording(plan_deck):
    slide = plan_deck.slides[2]
    (table,) = tables(slide)
    cells = cell_texts(table)
    assert cells[0] == ["Timeframe", "Key objectives", "Expected outcomes"]
    assert [row[0] for row in cells[1:]] == ["Days 1–30", "Days 31–60", "Days 61–90"]
    assert cells[1][1].splitlines() == ["Establish Trust & Understanding", "Assess Org & Products", "Align on Quick Wins"]
    assert "Clear stakeholder priorities" in cells[1][2]


def test_appendix_week_tables_hold_every_element_of_both_weeks(plan_deck):
    plan = document(PLAN)
    block = plan.week_blocks[0]
    slide = next(s for s in plan_deck.slides if s.shapes.title.text.startswith("Weeks 1–2: Establish Foundations"))
    (table,) = tables(slide)
    cells = cell_texts(table)
    assert cells[0] == ["Element", "Week 1", "Week 2"]
    assert [row[0] for row in cells[1:]] == ["Primary objectives", "Key actions", "Meetings / stakeholders",
                                             "Documents / deliverables", "Success metrics"]
    week_one = "\n".join(row[1] for row in cells[1:])
    for bullet in block.weeks[0].key_actions + block.weeks[0].stakeholders:
        assert plain(bullet.text) in week_one
        for item in bullet.items:
            assert plain(item) in week_one


def test_header_row_is_styled_as_a_header(plan_deck):
    (table,) = tables(plan_deck.slides[2])
    header = table.cell(0, 0)
    assert str(header.fill.fore_color.rgb) == BUILTIN.palette.navy
    run = header.text_frame.paragraphs[0].runs[0]
    assert run.font.bold is True
    assert str(run.font.color.rgb) == BUILTIN.palette.white
    assert table._tbl.tblPr.get("firstRow") == "1"


def test_roadmap_draws_phases_and_blocks_as_native_shapes(plan_deck):
    plan = document(PLAN)
    slide = next(s for s in plan_deck.slides if s.shapes.title.text == plan.storyline.roadmap.title)
    names = [shape.name for shape in slide.shapes]
    assert [n for n in names if n.startswith("Phase ") and "label" not in n] == ["Phase 1", "Phase 2", "Phase 3"]
    assert [n for n in names if n.startswith("Block ")] == [f"Block {i}" for i in range(1, 7)]
    assert not any(shape.shape_type == 13 for shape in slide.shapes)  # no pictures
    bars = [named(slide, f"Block {i}") for i in range(1, 7)]
    # Blocks run left to right in week order, each starting where the previous one ends.
    for before, after in zip(bars, bars[1:]):
        assert after.left >= before.left + before.width - PT * 5
    text = slide_text(slide)
    for block in plan.week_blocks:
        assert plain(block.slide.label or block.title) in text


def test_block_slides_use_the_condensed_wording(plan_deck):
    plan = document(PLAN)
    block = plan.week_blocks[0]
    slide = next(s for s in plan_deck.slides if s.shapes.title.text == block.slide.title)
    text = slide_text(slide)
    for bullet in block.slide.objectives + block.slide.deliverables + block.slide.success_metrics:
        assert plain(bullet.text) in text
    assert "Conduct 1:1s with direct reports" not in text  # the full table wording lives in the appendix


def test_inline_bold_and_italic_become_runs(plan_deck):
    slide = plan_deck.slides[1]
    runs = [run for shape in slide.shapes if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
    bold = {run.text for run in runs if run.font.bold}
    assert "90-day plan" in bold
    assert not any("**" in run.text for run in runs)
    references = next(s for s in plan_deck.slides if "Watkins" in slide_text(s))
    italic = {run.text.strip() for shape in references.shapes if shape.has_text_frame
              for p in shape.text_frame.paragraphs for run in p.runs if run.font.italic}
    assert any(text.startswith("The First 90 Days") for text in italic)


def test_every_content_slide_has_tracker_and_page_number(plan_deck):
    sections = storyline(document(PLAN)).sections
    for number, slide in enumerate(plan_deck.slides, start=1):
        if number == 1:
            assert named(slide, "Page number") is None  # the cover
            continue
        assert named(slide, "Page number").text_frame.text == str(number)
        labels = [named(slide, f"Tracker {i}") for i in range(1, len(sections) + 1)]
        assert [label.text_frame.text for label in labels] == list(sections)
        current = [label.text_frame.text for label in labels if label.text_frame.paragraphs[0].runs[0].font.bold]
        assert len(current) == 1


def test_tracker_highlights_the_section_of_the_slide(plan_deck):
    plan = document(PLAN)
    slide = next(s for s in plan_deck.slides if s.shapes.title.text == plan.storyline.pitfalls.title)
    bold = [shape.text_frame.text for shape in slide.shapes
            if shape.name.startswith("Tracker") and shape.text_frame.paragraphs[0].runs[0].font.bold]
    assert bold == ["Risks"]


def test_titles_and_trackers_sit_at_the_same_place_on_every_content_slide(plan_deck):
    positions = {(s.shapes.title.left, s.shapes.title.top, s.shapes.title.width) for s in plan_deck.slides
                 if named(s, "Page number") and named(s, "Kicker") is not None}
    assert len(positions) == 1


def test_strategy_deck_follows_the_strategy_storyline(strategy_deck):
    strategy = document(STRATEGY)
    got = titles(strategy_deck)
    assert got[0] == strategy.title
    assert got[1] == strategy.storyline.executive_summary.title
    assert got[2] == strategy.storyline.agenda.title
    expected = []
    for area in strategy.areas:
        expected.append(area.name)
        expected.append(area.slides.vision.title)
        expected.append(area.slides.initiatives.title)
        # Privacy before outcomes, as the HTML and Markdown order an area.
        if area.privacy:
            expected.append(area.slides.privacy.title)
        expected.append(area.slides.outcomes.title)
    assert got[3:] == expected


def test_strategy_executive_summary_is_derived_from_the_areas_when_the_plan_has_none(strategy_deck):
    strategy = document(STRATEGY)
    assert not strategy.executive_summary
    text = slide_text(strategy_deck.slides[1])
    for area in strategy.areas:
        assert area.name in text
        assert area.slides.vision.title in text


def test_kpi_table_lists_every_kpi_with_its_target(strategy_deck):
    strategy = document(STRATEGY)
    area = strategy.areas[0]
    slide = next(s for s in strategy_deck.slides if s.shapes.title.text == area.slides.outcomes.title)
    (table,) = tables(slide)
    cells = cell_texts(table)
    assert cells[0] == ["KPI", "Target", "Horizon"]
    assert [(row[0], row[1]) for row in cells[1:]] == [(k.metric, k.target) for k in area.kpis]


def test_strategy_defaults_name_the_section_when_the_plan_has_no_titles():
    doc = document(ROOT / "tests" / "fixtures" / "minimal_strategy.yaml")
    got = titles(deck_of(doc))
    # The area's vision, initiatives and KPIs fit one slide: the area on a page, with no divider before it.
    # One area: no agenda (the tracker says as much).
    assert got == [doc.title, "Executive summary", "Care team at a glance"]
    assert tables(deck_of(doc).slides[2])


# --------------------------------------------------------------------------- notes, sources, defaults


def test_notes_and_source_lines_come_from_the_storyline():
    doc = validated(plan_data(storyline={
        "executive_summary": {"title": "Why this plan", "notes": "Say **why** first.", "source": "Source: HR survey 2025"},
    }, executive_summary={"purpose": ["Explain the plan"]}))
    deck = deck_of(doc)
    slide = deck.slides[1]
    assert slide.shapes.title.text == "Why this plan"
    assert slide.notes_slide.notes_text_frame.text == "Say why first."
    assert named(slide, "Source").text_frame.text == "Source: HR survey 2025"
    assert named(deck.slides[2], "Source") is None
    assert not deck.slides[2].has_notes_slide


def test_default_titles_name_the_section():
    got = titles(deck_of(validated(plan_data())))
    assert got[:3] == ["Test plan", "30-60-day plan at a glance", "Days 1–30"]
    assert "Weeks 1–2: Foundations" in got


def test_summary_kickers_name_the_plans_own_span():
    def kickers(phases):
        data = plan_data(phases=[{"name": f"Phase {n}", "start_day": 30 * n - 29, "end_day": 30 * n,
                                  "key_objectives": [f"Goal {n}"], "focus_areas": [f"Area {n}"]}
                                 for n in range(1, phases + 1)])
        return [s.kicker for s in storyline(validated(data)).slides if "at a glance" in s.title or "in full" in s.title]

    assert kickers(3) == ["30-60-90 day summary", "Appendix: 30-60-90 day summary"]
    assert kickers(4) == ["30-60-90-120-day summary", "Appendix: 30-60-90-120-day summary"]
    six = load_plan(ROOT / "tests" / "plans" / "construction-six-phases-20-blocks.yaml").document
    got = [s.kicker for s in storyline(six).slides]
    assert "Phase summary" in got and "Appendix: phase summary" in got
    assert not any("30-60-90" in (kicker or "") for kicker in got)


def test_a_phase_slide_calls_the_focus_areas_focus_areas_unless_it_words_key_actions():
    def headings(slide_wording):
        data = plan_data()
        data["phases"][0].update(focus_areas=["Meet every squad"], slide=slide_wording)
        phase = next(s for s in storyline(validated(data)).slides if s.kicker == "Days 1–30")
        return [group.heading for group in phase.content.groups]

    assert headings({}) == ["Objectives", "Focus areas"]
    assert headings({"key_actions": ["Book the squad meetings"]}) == ["Objectives", "Key actions"]


def test_a_long_divider_title_takes_the_lines_its_box_holds_and_its_source_is_in_the_footer():
    title = ("Keep the Full Week-by-Week Detail in the Appendix So the Main Storyline Stays Focused on the Three "
             "Decisions the Board Needs to Take This Quarter")
    doc = validated(plan_data(storyline={"appendix": {"title": title, "source": "Source: Board pack, May 2026"}}))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        deck = deck_of(doc)
    assert not [w for w in caught if "shortened" in str(w.message)]
    (divider,) = [s for s in deck.slides if named(s, "Band") is not None]
    assert divider.shapes.title.text == title
    source, band = named(divider, "Source"), named(divider, "Band")
    assert source.text_frame.text == "Source: Board pack, May 2026"
    assert source.left >= band.left + band.width and source.top + source.height <= deck.slide_height


# --------------------------------------------------------------------------- continuation


def long_bullet(n: int) -> str:
    return (f"Metric {n}: agree with every squad lead how the quick wins are measured, who owns each number and "
            f"when the steering committee reviews it, so the review in week {n} has data")


def test_a_long_list_continues_on_the_next_slide_without_splitting_a_bullet():
    metrics = [long_bullet(n) for n in range(1, 31)]
    data = plan_data()
    data["phases"][0]["slide"] = {"title": "Measure everything", "success_metrics": metrics}
    deck = deck_of(validated(data))
    pages = [s for s in deck.slides if s.shapes.title.text.startswith("Measure everything")]
    assert len(pages) >= 2
    assert [s.shapes.title.text for s in pages] == ["Measure everything"] + ["Measure everything (cont.)"] * (len(pages) - 1)
    paragraphs = [p.text for s in pages for shape in s.shapes if shape.has_text_frame
                  for p in shape.text_frame.paragraphs]
    for metric in metrics:
        assert paragraphs.count(metric) == 1  # whole, in one paragraph, once
    order = [paragraphs.index(m) for m in metrics]
    assert order == sorted(order)


def test_a_long_table_continues_with_its_header_repeated():
    pitfalls = [{"pitfall": f"Risk number {n} with a longer name", "mitigation": long_bullet(n)} for n in range(1, 41)]
    deck = deck_of(validated(plan_data(pitfalls=pitfalls, storyline={"pitfalls": {"title": "Address risks early"}})))
    pages = [s for s in deck.slides if s.shapes.title.text.startswith("Address risks early")]
    assert len(pages) >= 2
    assert pages[1].shapes.title.text == "Address risks early (cont.)"
    rows = []
    for slide in pages:
        (table,) = tables(slide)
        cells = cell_texts(table)
        assert cells[0] == ["Pitfall", "Mitigation"]
        rows.extend(cells[1:])
    assert [row[0] for row in rows] == [f"{n}. Risk number {n} with a longer name" for n in range(1, 41)]
    # Balanced pages: no continuation slide is left nearly empty.
    counts = [len(table.rows) - 1 for slide in pages for table in tables(slide)]
    assert max(counts) - min(counts) <= 2


def test_a_row_taller_than_a_slide_is_split_between_bullets():
    actions = [long_bullet(n) for n in range(1, 41)]
    data = plan_data()
    data["week_blocks"][0]["weeks"][0]["key_actions"] = actions
    deck = deck_of(validated(data))
    pages = [s for s in deck.slides if s.shapes.title.text.startswith("Weeks 1–2: Foundations") and tables(s)]
    assert len(pages) >= 2
    labels = [row[0] for s in pages for row in cell_texts(tables(s)[0])[1:]]
    assert "Key actions" in labels and "Key actions (cont.)" in labels
    text = [p.text for s in pages for row in tables(s)[0].rows for cell in row.cells
            for p in cell.text_frame.paragraphs]
    for action in actions:
        assert text.count(action) == 1


# --------------------------------------------------------------------------- nothing overflows


def frame_height(frame, width: float) -> float:
    """Measured height of a text frame's paragraphs, read back from the saved deck."""
    height = 0.0
    for index, paragraph in enumerate(frame.paragraphs):
        p_pr = paragraph._p.pPr
        left = int(p_pr.get("marL", "0")) / PT if p_pr is not None else 0.0
        spacing = _child_val(p_pr, "lnSpc", 100000) / 100000
        before = _child_val(p_pr, "spcBef", 0) / 100
        # A paragraph without runs takes the size of its end mark, PowerPoint's 18 pt when it has none.
        sizes = {run.font.size.pt for run in paragraph.runs} or {(paragraph._p.get_or_add_endParaRPr().sz or 1800) / 100}
        assert len(sizes) == 1
        size = sizes.pop()
        marked = _marked_text(paragraph.runs)
        lines = len(measure.wrap(marked, size, width - left))
        height += (before if index else 0) + lines * measure.line_height(size, spacing)
    return height


def _child_val(p_pr, tag: str, default: int) -> int:
    if p_pr is None:
        return default
    found = p_pr.find(f"{{http://schemas.openxmlformats.org/drawingml/2006/main}}{tag}")
    return int(found[0].get("val")) if found is not None else default


def _marked_text(runs) -> str:
    """The paragraph's text with its runs' styles as inline markup, to measure it as the deck did.

    Neighbouring runs of one style are joined first: "**a****b**" would read as other markers than two bold runs.
    """
    groups: list[tuple[tuple, str]] = []
    for run in runs:
        style = (bool(run.font.bold), bool(run.font.italic))
        if groups and groups[-1][0] == style:
            groups[-1] = (style, groups[-1][1] + run.text)
        else:
            groups.append((style, run.text))
    return "".join(_marked(text, bold, italic) for (bold, italic), text in groups)


def _marked(text: str, bold: bool, italic: bool) -> str:
    if bold and italic:
        return f"***{text}***"
    if bold:
        return f"**{text}**"
    if italic:
        return f"*{text}*"
    return text


def text_sizes(slide) -> list[tuple[str, float]]:
    found = []
    for shape in slide.shapes:
        frames = [shape.text_frame] if shape.has_text_frame else []
        if shape.has_table:
            frames = [cell.text_frame for row in shape.table.rows for cell in row.cells]
        for frame in frames:
            found.extend((shape.name, run.font.size.pt) for p in frame.paragraphs for run in p.runs if run.text.strip())
    return found


def check_fits(deck) -> list[str]:
    """Every text frame and table cell holds its measured text; every shape lies on the slide."""
    problems = []
    width, height = deck.slide_width / PT, deck.slide_height / PT
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            x, y = shape.left / PT, shape.top / PT
            w, h = shape.width / PT, shape.height / PT
            if x < -0.01 or y < -0.01 or x + w > width + 0.01 or y + h > height + 0.01:
                problems.append(f"slide {number}: {shape.name} off the slide")
            if shape.has_text_frame and shape.text_frame.text.strip() and shape.text_frame.word_wrap is not False:
                needed = frame_height(shape.text_frame, w)
                if needed > h + 0.01:
                    problems.append(f"slide {number}: {shape.name} needs {needed:.1f} pt, has {h:.1f}")
            if shape.has_table:
                table = shape.table
                if y + sum(r.height for r in table.rows) / PT > height:
                    problems.append(f"slide {number}: table runs off the slide")
                for row in table.rows:
                    for column, cell in zip(table.columns, row.cells):
                        inner_w = (column.width - cell.margin_left - cell.margin_right) / PT
                        inner_h = (row.height - cell.margin_top - cell.margin_bottom) / PT
                        needed = frame_height(cell.text_frame, inner_w)
                        if needed > inner_h + 0.01:
                            problems.append(f"slide {number}: cell {cell.text[:30]!r} needs {needed:.1f} pt")
        title = slide.shapes.title
        if number > 1 and title is not None and named(slide, "Page number") and named(slide, "Band") is None:
            size = title.text_frame.paragraphs[0].runs[0].font.size.pt
            if len(measure.wrap(title.text, size, title.width / PT)) > 2:
                problems.append(f"slide {number}: title longer than two lines")
        for name, size in text_sizes(slide):
            smallest = 8 if name in ("Source", "Page number") else 10
            if size < smallest:
                problems.append(f"slide {number}: {name} set at {size} pt")
    return problems


@pytest.mark.parametrize("path", [PLAN, STRATEGY, HOSTILE, ROOT / "tests" / "fixtures" / "minimal_plan.yaml"],
                         ids=lambda p: p.stem)
def test_nothing_overflows_its_box(path):
    assert check_fits(deck_of(document(path))) == []


def test_continued_slides_fit_too():
    data = plan_data(pitfalls=[{"pitfall": f"Risk {n}", "mitigation": long_bullet(n)} for n in range(1, 30)])
    data["phases"][0]["slide"] = {"success_metrics": [long_bullet(n) for n in range(1, 30)]}
    data["week_blocks"][0]["weeks"][0]["key_actions"] = [long_bullet(n) for n in range(1, 30)]
    assert check_fits(deck_of(validated(data))) == []


def test_the_overflow_check_catches_a_box_too_small():
    deck = deck_of(validated(plan_data()))
    shape = named(deck.slides[2], "Kicker") or deck.slides[2].shapes.title
    shape.width = Emu(30 * PT)
    assert check_fits(deck)


def test_a_title_too_long_for_two_lines_warns_and_keeps_the_full_title_in_the_notes():
    title = " ".join(["Overlong"] * 60)
    with pytest.warns(PlanforgeWarning, match="title shortened.*speaker notes"):
        deck = Presentation(io.BytesIO(render(validated(plan_data(storyline={"roadmap": {"title": title}})))))
    (slide,) = [s for s in deck.slides if s.shapes.title is not None and "Overlong" in s.shapes.title.text_frame.text]
    assert slide.shapes.title.text_frame.text.endswith("…")
    assert f"Full title: {title}" in slide.notes_slide.notes_text_frame.text


# --------------------------------------------------------------------------- tracker, ghost, determinism


def test_tracker_never_shows_bare_numbers_when_the_section_names_do_not_fit():
    # Names alike at their start: shortened they could not be told apart, so the tracker shows the neighbours.
    areas = [{"name": f"Product area number {n}", "vision": f"Vision {n}."} for n in range(1, 13)]
    doc = PlanFile.model_validate({"kind": "strategy", "title": "Many areas", "areas": areas}).root
    deck = deck_of(doc)
    slide = next(s for s in deck.slides if s.shapes.title.text == "Product area number 5: vision and objectives")
    labels = [shape.text_frame.text for shape in slide.shapes if shape.name.startswith("Tracker")]
    assert "Product area number 5" in labels and len(labels) == 3
    assert not any(label.strip("…").isdigit() for label in labels)
    assert check_fits(deck) == []


def test_tracker_shortens_other_sections_by_measure_or_their_short_name():
    areas = [{"name": f"{word} and everything around it", "vision": "Vision."}
             for word in ("Ticketing", "Knowledge", "Workforce", "Quality", "Analytics", "Integrations", "Assistant")]
    areas[0]["short"] = "Inbox"
    doc = PlanFile.model_validate({"kind": "strategy", "title": "Many areas", "areas": areas}).root
    deck = deck_of(doc)
    slide = next(s for s in deck.slides if s.shapes.title.text.startswith("Quality and everything"))
    labels = [shape.text_frame.text for shape in slide.shapes if shape.name.startswith("Tracker")]
    assert labels[1] == "Inbox" and "Quality and everything around it" in labels
    assert all(label.endswith("…") for label in labels[2:4])
    assert not any(label.strip("…").isdigit() for label in labels)
    assert check_fits(deck) == []


def test_ghost_deck_keeps_the_storyline_with_empty_bodies(plan_deck):
    ghost = deck_of(document(PLAN), ghost=True)
    story = storyline(document(PLAN))
    assert titles(ghost) == [slide.title for slide in story.slides]
    for slide in list(ghost.slides)[1:]:
        assert not tables(slide)
        assert not any(shape.name.startswith(("Block", "Phase")) for shape in slide.shapes)


def test_rendering_twice_gives_identical_bytes():
    doc = document(PLAN)
    assert render(doc) == render(doc)
    other = validated(plan_data())
    assert render(other) == render(other) != render(doc)


def test_core_properties_are_pinned(plan_deck):
    properties = plan_deck.core_properties
    assert properties.title == document(PLAN).title
    assert properties.last_modified_by == "planforge"
    assert properties.revision == 1
    assert properties.created.year == 2000 and properties.modified.year == 2000


def test_render_emits_no_warnings_for_the_seed_plans():
    with warnings.catch_warnings():
        warnings.simplefilter("error", PlanforgeWarning)
        render(document(PLAN))
        render(document(STRATEGY))


# --------------------------------------------------------------------------- unusual plans


def _strategy(**changes) -> dict:
    data = {"kind": "strategy", "title": "S", "areas": [{"name": "Area", "vision": "A vision."}]}
    data.update(changes)
    return data


UNUSUAL = {
    "one phase, nothing else": {"kind": "30-60-90", "title": "T",
                                "phases": [{"name": "P1", "start_day": 1, "end_day": 30, "key_objectives": ["a"]}]},
    "twelve phases, seventeen blocks": plan_data(
        phases=[{"name": f"Days {i * 10 + 1}–{i * 10 + 10}", "start_day": i * 10 + 1, "end_day": i * 10 + 10,
                 "theme": "A theme with quite a few words in it", "key_objectives": ["x"]} for i in range(12)],
        week_blocks=[{"title": f"Block {i}", "weeks": [{"week": i + 1, "key_actions": ["Act"]}]} for i in range(17)]),
    "weeks beyond the days": plan_data(week_blocks=[{"title": "Late", "weeks": [{"week": 20}, {"week": 21}]}]),
    "one bullet longer than a slide": plan_data(phases=[
        {"name": "P", "start_day": 1, "end_day": 30, "key_objectives": ["word " * 900]}]),
    "a table cell longer than a slide": plan_data(pitfalls=[{"pitfall": "Risk", "mitigation": "word " * 900}]),
    "control characters": plan_data(title="Bell \a and vertical tab \v", storyline={
        "pitfalls": {"notes": "form feed \f here"}}, pitfalls=[{"pitfall": "A\x01", "mitigation": "B"}]),
    "strategy, bare": _strategy(),
    "strategy, nine initiatives": _strategy(areas=[{"name": "A", "vision": "V.", "initiatives": [
        {"name": f"Initiative {i}", "description": "A description of the initiative. " * 6} for i in range(9)]}]),
    "strategy, initiatives summary without initiatives": _strategy(areas=[
        {"name": "A", "vision": "V.", "initiatives_summary": "We will focus on one thing."}]),
    "strategy, next steps and summary": _strategy(executive_summary=["One", "Two"], next_steps=["Do it", "Then this"]),
}


@pytest.mark.parametrize("name", sorted(UNUSUAL))
def test_unusual_plans_render_and_fit(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanforgeWarning)
        deck = deck_of(validated(UNUSUAL[name]))
    assert check_fits(deck) == []


def test_control_characters_become_spaces():
    deck = deck_of(validated(UNUSUAL["control characters"]))
    assert deck.slides[0].shapes.title.text == "Bell   and vertical tab"
    assert deck.core_properties.title == "Bell   and vertical tab"


def test_a_long_roadmap_continues_under_the_same_phases():
    deck = deck_of(validated(UNUSUAL["twelve phases, seventeen blocks"]))
    pages = [s for s in deck.slides if s.shapes.title.text.startswith("Roadmap:")]
    assert len(pages) == 2
    for slide in pages:
        assert [n for n in (s.name for s in slide.shapes) if n.startswith("Phase ") and "label" not in n] == \
            [f"Phase {i}" for i in range(1, 13)]
    blocks = [s.name for slide in pages for s in slide.shapes if s.name.startswith("Block ")]
    assert blocks == [f"Block {i}" for i in range(1, 18)]


def test_strategy_next_steps_close_the_deck():
    deck = deck_of(validated(UNUSUAL["strategy, next steps and summary"]))
    assert titles(deck)[-1] == "Next steps"
    assert "Do it" in slide_text(deck.slides[-1])
    assert "One" in slide_text(deck.slides[1])


# --------------------------------------------------------------------------- layout without drawing


def _long_cases() -> dict:
    """Plans whose decks continue: a long list, a long table, a row taller than a slide, a long roadmap, many areas."""
    long_list = plan_data()
    long_list["phases"][0]["slide"] = {"title": "Measure everything",
                                       "success_metrics": [long_bullet(n) for n in range(1, 31)]}
    tall_row = plan_data()
    tall_row["week_blocks"][0]["weeks"][0]["key_actions"] = [long_bullet(n) for n in range(1, 41)]
    kpis = [{"metric": f"KPI {k}", "target": "10%", "horizon": "2026"} for k in range(12)]
    areas = [{"name": f"Area {i}", "vision": "A vision. " * 3, "outcomes": "One outcome of the area. " * 20,
              "kpis": kpis} for i in range(8)]
    return {
        "long list": long_list,
        "long table": plan_data(pitfalls=[{"pitfall": f"Risk {n}", "mitigation": long_bullet(n)}
                                          for n in range(1, 41)]),
        "tall row": tall_row,
        "long roadmap": UNUSUAL["twelve phases, seventeen blocks"],
        "many areas": _strategy(areas=areas),
        "nine initiatives": UNUSUAL["strategy, nine initiatives"],
    }


@pytest.mark.parametrize("name", sorted(_long_cases()))
def test_layout_lists_the_slides_render_makes(name):
    doc = validated(_long_cases()[name])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanforgeWarning)
        slides = layout(doc)
        deck = deck_of(doc)
    assert [slide.title for slide in slides] == titles(deck)
    assert [slide.number for slide in slides] == list(range(1, len(deck.slides) + 1))
    assert any(slide.continued for slide in slides)
    for slide in slides:
        assert slide.continued == slide.title.endswith("(cont.)")
        assert (slide.loc is None) or slide.continued


def _value_at(data, loc):
    for segment in loc:
        data = data[segment]
    return data["text"] if isinstance(data, dict) else data


def test_a_continued_slide_names_the_first_item_moved_onto_it():
    data = _long_cases()["long list"]
    slides = [slide for slide in layout(validated(data)) if slide.continued]
    deck = deck_of(validated(data))
    assert len(slides) >= 2
    for slide in slides:
        assert slide.loc[:4] == ("phases", 0, "slide", "success_metrics")
        moved = _value_at(data, slide.loc)
        body = [p.text for shape in deck.slides[slide.number - 1].shapes if shape.has_text_frame
                and shape != deck.slides[slide.number - 1].shapes.title for p in shape.text_frame.paragraphs]
        assert moved in body
        assert body.index(moved) == min(body.index(text) for text in data["phases"][0]["slide"]["success_metrics"]
                                        if text in body)


def test_a_continued_table_names_the_cell_it_goes_on_with():
    data = _long_cases()["tall row"]
    continued = [slide for slide in layout(validated(data)) if slide.continued and slide.kind == "table"]
    assert continued
    for slide in continued:
        assert slide.loc[:5] == ("week_blocks", 0, "weeks", 0, "key_actions")
    assert len({slide.loc for slide in continued}) == len(continued)


def test_layout_draws_nothing_and_keeps_the_seed_decks_whole():
    slides = layout(document(PLAN))
    assert [slide.title for slide in slides] == titles(deck_of(document(PLAN)))
    assert not any(slide.continued for slide in slides)


# --------------------------------------------------------------------------- company templates


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("template") / "company.pptx")


def test_a_company_template_supplies_master_layouts_font_and_colours(company):
    deck = deck_of(document(PLAN), deck_template=company)
    layouts = [slide.slide_layout.name for slide in deck.slides]
    assert layouts[0] == "Title Slide"
    assert layouts[1] == "Title Only"
    assert "Section Header" in layouts
    assert "Sample slide to delete" not in titles(deck)
    # The template's section listed its sample slide; a section naming a removed slide makes PowerPoint repair.
    assert b"sectionLst" not in etree.tostring(deck.part._element)
    content = deck.slides[1]
    assert (content.shapes.title.left, content.shapes.title.top, content.shapes.title.width) == \
        tuple(Emu(v * PT) for v in TITLE_BOX[:3])
    run = content.shapes.title.text_frame.paragraphs[0].runs[0]
    # The title keeps the master's title style (font, colour, alignment); planforge writes only the size it fitted.
    assert run.font.name is None and run.font.color.type is None and run.font.size is not None
    assert content.shapes.title.text_frame.paragraphs[0].alignment is None
    (table,) = tables(deck.slides[2])
    assert str(table.cell(0, 0).fill.fore_color.rgb) == DARK
    # Nothing planforge draws covers the master's brand bar at the bottom.
    for slide in deck.slides:
        for shape in slide.shapes:
            assert shape.top + shape.height <= Emu(530 * PT) or shape.name == "Band"


def test_a_company_deck_fits_measured_with_the_metric_twin_of_its_font(company):
    deck = deck_of(document(STRATEGY), deck_template=company)
    with measure.measuring_with("Carlito"):
        assert check_fits(deck) == []


def test_company_placeholders_keep_the_master_style(company):
    deck = deck_of(document(PLAN), deck_template=company)
    cover = deck.slides[0]
    run = cover.shapes.title.text_frame.paragraphs[0].runs[0]
    assert run.font.name is None and run.font.color.type is None
    assert [ph.placeholder_format.type for ph in cover.placeholders][:1] != []
    assert not any(ph.text_frame.text == "" for ph in cover.placeholders)


def test_a_missing_layout_falls_back_to_the_built_in_design_with_a_warning(tmp_path):
    partial = make_template(tmp_path / "partial.pptx", drop=("Title Slide", "Section Header"))
    with pytest.warns(PlanforgeWarning) as record:
        deck = deck_of(document(PLAN), deck_template=partial)
    messages = [str(w.message) for w in record]
    assert any("no layout for the title slide" in m and "--layout cover=" in m for m in messages)
    assert any("no layout for section dividers" in m and "deck: {layouts: {divider:" in m for m in messages)
    cover = deck.slides[0]
    assert cover.background.fill.fore_color.rgb is not None  # the built-in dark cover
    assert named(cover, "Accent") is not None
    divider = next(s for s in deck.slides if named(s, "Band") is not None)
    assert divider.shapes.title.text == document(PLAN).storyline.appendix.title


def test_template_check_reports_layouts_placeholders_and_choices(tmp_path):
    partial = make_template(tmp_path / "partial.pptx", drop=("Section Header",))
    lines = template.check(partial)
    text = "\n".join(lines)
    assert "layouts: 'Title Slide' (title), 'Title and Content' (obj)" in text
    assert "content: layout 'Title Only' — its type is 'titleOnly'" in text
    assert "cover: layout 'Title Slide' — its type is 'title'" in text
    assert "title at (40, 40) pt, 880 × 70 pt" in text
    assert "kept clear of sp 'Brand bar' at (0, 530) pt, 960 × 10 pt" in text
    assert "divider: none, planforge's built-in design" in text
    assert "body font 'Calibri': measured with Carlito" in text
    assert any(line.startswith("warning:") and "section dividers" in line for line in lines)


def test_an_unknown_font_warns_that_measurement_is_approximate(tmp_path):
    odd = make_template(tmp_path / "odd.pptx", font="Futura Bold Condensed")
    with pytest.warns(PlanforgeWarning, match="the font 'Futura Bold Condensed' .* not installed.*--font-dir"):
        render(validated(plan_data()), RenderOptions(deck_template=odd))


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04broken"])
def test_a_broken_template_is_a_located_template_error(tmp_path, content):
    bad = tmp_path / "bad.pptx"
    bad.write_bytes(content)
    with pytest.raises(TemplateError) as caught:
        render(validated(plan_data()), RenderOptions(deck_template=bad))
    assert caught.value.problems[0].path == bad
    assert caught.value.problems[0].hint


def test_a_missing_template_is_a_template_error(tmp_path):
    with pytest.raises(TemplateError, match="not found"):
        render(validated(plan_data()), RenderOptions(deck_template=tmp_path / "nope.pptx"))


def test_company_decks_are_deterministic_too(company):
    doc = document(STRATEGY)
    assert render(doc, RenderOptions(deck_template=company)) == render(doc, RenderOptions(deck_template=company))


# --------------------------------------------------------------------------- command line


def cli(*args):
    from typer.testing import CliRunner

    from planforge.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def test_render_ghost_writes_the_deck_and_prints_the_titles_in_order(tmp_path):
    out = tmp_path / "ghost.pptx"
    result = cli("render", PLAN, "--format", "pptx", "--ghost", "-o", out)
    assert result.exit_code == 0, result.output
    story = storyline(document(PLAN))
    printed = [line.split(". ", 1)[1] for line in result.output.splitlines() if ". " in line and line[:4].strip()[:-1].isdigit()]
    assert printed == [slide.title for slide in story.slides]
    assert titles(Presentation(str(out))) == printed


def test_ghost_is_refused_for_documents():
    result = cli("render", PLAN, "--format", "md", "--ghost", "-o", "-")
    assert result.exit_code == 2
    assert "decks only" in result.output


def test_template_check_prints_the_report_and_warnings(tmp_path):
    partial = make_template(tmp_path / "partial.pptx", drop=("Title Slide",))
    result = cli("template", "check", partial)
    assert result.exit_code == 0, result.output
    assert "content: layout 'Title Only'" in result.output
    assert "cover: none, planforge's built-in design" in result.output
    assert "warning: " in result.output and "--layout cover=" in result.output


def test_template_check_of_a_broken_file_fails_cleanly(tmp_path):
    bad = tmp_path / "bad.pptx"
    bad.write_text("nope")
    result = cli("template", "check", bad)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{bad}: not a PowerPoint file" in result.output


def test_render_shows_template_warnings_as_one_line_each(tmp_path):
    partial = make_template(tmp_path / "partial.pptx", drop=("Section Header",))
    result = cli("render", STRATEGY, "--format", "pptx", "--deck-template", partial, "-o", tmp_path / "deck.pptx")
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "section dividers" in result.output
    assert "warnings.warn" not in result.output


# --------------------------------------------------------------------------- random plans

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/&’“”().,:;%€", min_size=1,
                max_size=18)
_TEXT = st.lists(_WORD, min_size=1, max_size=45).map(" ".join).map(
    lambda t: t if len(t) < 3 else f"**{t[:len(t) // 3]}** {t[len(t) // 3:]}")
_BULLETS = st.lists(st.one_of(_TEXT, st.fixed_dictionaries({"text": _TEXT, "items": st.lists(_TEXT, max_size=4)})),
                    max_size=12)


@settings(max_examples=12, deadline=None)
@given(title=_TEXT, objectives=_BULLETS, metrics=_BULLETS, actions=_BULLETS,
       pitfalls=st.lists(st.tuples(_TEXT, _TEXT), max_size=14))
def test_random_plans_fit(title, objectives, metrics, actions, pitfalls):
    data = plan_data(storyline={"roadmap": {"title": title}},
                     pitfalls=[{"pitfall": p, "mitigation": m} for p, m in pitfalls])
    data["phases"][0]["slide"] = {"title": title, "objectives": objectives, "success_metrics": metrics}
    data["week_blocks"][0]["weeks"][0]["key_actions"] = actions
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanforgeWarning)
        deck = deck_of(validated(data))
    assert check_fits(deck) == []


def test_a_roadmap_block_takes_the_colour_of_the_phase_most_of_its_days_fall_in():
    from planforge.render.deck.slides.roadmap import block_phase
    from planforge.render.deck.storyline import RoadmapBlock, RoadmapPhase

    phases = [RoadmapPhase("Days 1–30", None, 1, 30), RoadmapPhase("Days 31–60", None, 31, 60),
              RoadmapPhase("Days 61–90", None, 61, 90)]
    # Weeks 5–6 are days 29–42: two days in the first phase, twelve in the second.
    assert block_phase(RoadmapBlock("b", 5, 6), phases) == 1
    assert block_phase(RoadmapBlock("b", 1, 2), phases) == 0
    assert block_phase(RoadmapBlock("b", 9, 10), phases) == 2
    assert block_phase(RoadmapBlock("b", 20, 21), phases) == 2


def test_phase_boundaries_do_not_cross_the_week_labels():
    deck = deck_of(document(PLAN))
    slide = next(s for s in deck.slides if any(shape.name == "Phase 1" for shape in s.shapes))
    labels_bottom = max(shape.top + shape.height for shape in slide.shapes if shape.name.startswith("Week "))
    lines = [shape for shape in slide.shapes if shape.shape_type == 9]  # connectors
    dashed = [line for line in lines if line.begin_x == line.end_x]
    assert dashed and all(min(line.begin_y, line.end_y) >= labels_bottom for line in dashed)


def test_a_markdown_link_in_plan_text_is_a_hyperlink_on_its_label():
    phases = plan_data()["phases"]
    phases[0]["key_objectives"] = ["Read the [onboarding guide](https://example.com/guide) with the team"]
    deck = deck_of(validated(plan_data(phases=phases)))
    linked = [(run.text, run.hyperlink.address) for slide in deck.slides for shape in slide.shapes
              if shape.has_text_frame for p in shape.text_frame.paragraphs for run in p.runs if run.hyperlink.address]
    assert ("onboarding guide", "https://example.com/guide") in linked
    assert all("](" not in slide_text(slide) for slide in deck.slides)


def test_linked_runs_carry_no_trace_of_how_they_were_marked():
    import zipfile

    phases = plan_data()["phases"]
    phases[0]["key_objectives"] = ["Read the [onboarding guide](https://example.com/guide) and https://example.com/x"]
    data = render(validated(plan_data(phases=phases)), RenderOptions())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    assert sum(part.count(b"<a:hlinkClick ") for part in parts.values()) >= 2  # the objective shows on several slides
    assert [name for name, part in parts.items() if b"urn:planforge" in part] == []


@pytest.mark.parametrize("areas, pages", [(6, [7]), (8, [9]), (12, [7, 6]), (20, [7, 7, 7])])
def test_the_agenda_takes_a_row_more_a_page_rather_than_leave_one_row_on_a_page_of_its_own(areas, pages):
    # Six areas and next steps are seven rows: all on one slide, not "Next steps" alone on "Agenda (cont.)"; rows
    # that need more than one slide are shared out evenly.
    doc = validated({"kind": "strategy", "title": "Council plan", "next_steps": ["Adopt the plan"],
                     "executive_summary": ["Every service cheaper and more reliable"],
                     "areas": [{"name": f"Service area {n}", "vision": f"Service {n} is reliable and cheaper."}
                               for n in range(1, areas + 1)]})
    deck = deck_of(doc)
    agenda = [slide for slide in deck.slides if slide.shapes.title.text.startswith("Agenda")]
    rows = [sum(1 for shape in slide.shapes if shape.name.startswith("Oval")) for slide in agenda]
    assert [len([s for s in layout(doc) if s.kind == "agenda"])] == [len(pages)]
    assert rows == pages
    numbers = [shape.text_frame.text for slide in agenda for shape in slide.shapes
               if shape.name.startswith("TextBox") and shape.text_frame.text.isdigit()]
    assert numbers == [str(n) for n in range(1, areas + 2)]


def test_the_space_after_a_bold_lead_is_kept_when_the_text_after_it_wraps():
    # "**Why these OKRs:** Paid …" drew "Why these OKRs:Paid …" once the text after the label needed two lines.
    text = ("**Why these OKRs:** Paid acquisition costs rose 38 % last year. In H1 we shift budget to channels we own "
            "and prove that content brings customers, not just traffic.")
    doc = validated({"kind": "strategy", "title": "T", "executive_summary": [text],
                     "areas": [{"name": "A", "vision": "A vision."}]})
    paragraph = next(p for shape in deck_of(doc).slides[1].shapes if shape.has_text_frame
                     for p in shape.text_frame.paragraphs if p.text.startswith("Why"))
    assert paragraph.text.replace("\u00a0", " ") == plain(text)



def _cover_template(tmp_path: Path, second: str | None) -> Path:
    """A company template whose cover's subtitle placeholder holds two lines, with a second text placeholder
    `below` it (a cover made for the author and date, as real masters have) or `above` the title (a caption)."""
    import copy

    path = make_template(tmp_path / "brand.pptx")
    master = Presentation(str(path))
    cover = next(layout for layout in master.slide_master.slide_layouts if layout.name == "Title Slide")
    subtitle = next(ph for ph in cover.placeholders if ph.placeholder_format.idx == 1)
    subtitle.height = Emu(40 * PT)
    if second:
        added = copy.deepcopy(subtitle._element)
        added.find(".//{*}ph").attrib.update({"type": "body", "idx": "11"})
        added.find(".//{*}cNvPr").set("id", "99")
        subtitle._element.addnext(added)
        added = next(ph for ph in cover.placeholders if ph.placeholder_format.idx == 11)
        added.top = Emu(subtitle.top + subtitle.height + 6 * PT) if second == "below" else Emu(10 * PT)
        added.height = Emu(90 * PT) if second == "below" else Emu(40 * PT)
    master.save(str(path))
    return path


COVER_LINES = ("Credit for small firms in one tap", "Executive board", "Director of Product", "Banco Jacarandá",
               "Mariana Albuquerque", "2027")


@pytest.mark.parametrize("second", [None, "below", "above"])
def test_a_company_cover_keeps_every_who_and_when_line(tmp_path, second):
    # A subtitle placeholder too small for six lines kept only the subtitle: audience, role, owner, date dropped unsaid.
    doc = validated(plan_data(subtitle=COVER_LINES[0], audience="Executive board", role="Director of Product",
                              organisation="Banco Jacarandá", owner="Mariana Albuquerque", date="2027-03-15"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", PlanforgeWarning)
        deck = deck_of(doc, deck_template=_cover_template(tmp_path, second))
    texts = [shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame]
    for line in COVER_LINES:
        assert line in " ".join(texts), texts
    if second == "below":  # the subtitle in the first placeholder, who and when in the one made for them
        assert COVER_LINES[0] in texts and any(text.startswith("Audience") for text in texts)
    else:  # a caption above the title is no place for them
        assert any(COVER_LINES[0] in text and "Mariana Albuquerque" in text for text in texts), texts


def test_the_built_in_tracker_takes_the_row_to_the_title_edge_before_it_shortens_a_name():
    # Twelve short names do not fit the tracker's usual two thirds of the row, but fit the row: all shown in full,
    # and the kicker, if drawn, stays left of them.
    names = ["Roads", "Water", "Housing", "Parks", "Libraries", "Waste", "Economy", "Consents", "Safety", "Climate",
             "Digital", "People"]
    areas = [{"name": f"{name} service", "short": name, "vision": f"{name} gets better."} for name in names]
    doc = PlanFile.model_validate({"kind": "strategy", "title": "Council plan", "areas": areas}).root
    deck = deck_of(doc)
    slide = next(s for s in deck.slides if s.shapes.title.text.startswith("Parks service"))
    labels = [shape.text_frame.text for shape in slide.shapes if shape.name.startswith("Tracker")]
    assert labels == ["Summary", *names]
    kicker, first = named(slide, "Kicker"), named(slide, "Tracker 1")
    assert kicker is None or kicker.left + kicker.width < first.left
    assert check_fits(deck) == []
