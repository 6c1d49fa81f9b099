"""The plans in plans/ keep every sentence, bullet, table cell, reference and action title of the seed notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from planforge.loading import load_plan
from seedtext import SEEDS, Seed, clean, missing_pieces, model_strings, read_seed

ROOT = Path(__file__).resolve().parents[1]
SHARED_SEEDS = Path("/work/shared/seeds")
PLAN_OF_SEED = {
    "30-60-90-day-plan.md": ROOT / "plans" / "30-60-90-day-plan.yaml",
    "lrp-brainstorming.md": ROOT / "plans" / "lrp-brainstorming.yaml",
}


def corpus(plan_path: Path) -> str:
    """Return all text of a plan, markup stripped, one string per line."""
    return "\n".join(model_strings(load_plan(plan_path).document.model_dump()))


def report(seed_name: str, missing: list) -> str:
    return "\n".join(f"{seed_name}:{piece.line}: missing from the plan: {piece.text!r}" for piece in missing)


@pytest.mark.parametrize("seed_name", sorted(PLAN_OF_SEED))
def test_every_piece_of_the_seed_is_in_the_plan(seed_name):
    seed = read_seed(SEEDS / seed_name)
    missing = missing_pieces(seed, corpus(PLAN_OF_SEED[seed_name]))
    assert not missing, report(seed_name, missing)


@pytest.mark.parametrize(("seed_name", "least"), [("30-60-90-day-plan.md", 300), ("lrp-brainstorming.md", 40)])
def test_the_splitter_finds_the_whole_note(seed_name, least):
    # Guards the check itself: a splitter that skipped most lines would pass everything.
    assert len(read_seed(SEEDS / seed_name).pieces) >= least


def test_week_ranges_survive_as_block_weeks_and_titles_or_labels():
    seed = read_seed(SEEDS / "30-60-90-day-plan.md")
    blocks = load_plan(PLAN_OF_SEED["30-60-90-day-plan.md"]).document.week_blocks
    assert len(seed.week_ranges) == 18  # Part 2 headings, the Slide 6 overview, the headings of Slides 7–12
    for week in seed.week_ranges:
        names = {
            (block.first_week, block.last_week, clean(name))
            for block in blocks
            for name in (block.title, block.slide.label)
            if name
        }
        assert (week.first, week.last, week.name) in names, f"line {week.line}: Weeks {week.first}–{week.last}: {week.name}"


def test_references_keep_authors_year_title_publisher_and_link():
    seed = read_seed(SEEDS / "30-60-90-day-plan.md")
    plan = load_plan(PLAN_OF_SEED["30-60-90-day-plan.md"]).document
    written = [
        (clean(r.authors), r.year, clean(r.title), r.publisher and clean(r.publisher), r.url) for r in plan.references
    ]
    expected = [(r.authors, r.year, r.title, r.publisher, r.url) for r in seed.references]
    assert len(expected) == 7
    assert written == expected


def test_the_authors_action_titles_sit_on_the_slides_they_follow():
    seed = read_seed(SEEDS / "30-60-90-day-plan.md")
    plan = load_plan(PLAN_OF_SEED["30-60-90-day-plan.md"]).document
    placed = {
        2: plan.storyline.phase_summary.title,
        5: plan.phases[2].slide.title,
        6: plan.storyline.roadmap.title,
        13: plan.storyline.pitfalls.title,
    }
    assert seed.action_titles == {slide: clean(title) for slide, title in placed.items()}


def test_every_slide_of_the_plans_has_an_action_title():
    plan = load_plan(PLAN_OF_SEED["30-60-90-day-plan.md"]).document
    strategy = load_plan(PLAN_OF_SEED["lrp-brainstorming.md"]).document
    titles = [plan.storyline.executive_summary.title, plan.storyline.phase_summary.title,
              plan.storyline.roadmap.title, plan.storyline.pitfalls.title, plan.storyline.references.title,
              plan.storyline.appendix.title]
    titles += [phase.slide.title for phase in plan.phases] + [block.slide.title for block in plan.week_blocks]
    titles += [strategy.storyline.executive_summary.title, strategy.storyline.agenda.title]
    for area in strategy.areas:
        titles += [area.slides.vision.title, area.slides.initiatives.title, area.slides.outcomes.title]
        if area.privacy:
            titles.append(area.slides.privacy.title)
    for title in titles:
        assert title, "a slide has no action title"
        assert len(title.split()) <= 20 and not title.endswith("."), title


def test_dropping_a_bullet_is_caught(tmp_path):
    plan_text = PLAN_OF_SEED["30-60-90-day-plan.md"].read_text(encoding="utf-8")
    bullet = "      - Identify resource needs and skill gaps\n"
    assert plan_text.count(bullet) == 1
    copy = tmp_path / "30-60-90-day-plan.yaml"
    copy.write_text(plan_text.replace(bullet, ""), encoding="utf-8")

    missing = missing_pieces(read_seed(SEEDS / "30-60-90-day-plan.md"), corpus(copy))

    assert [piece.text for piece in missing] == ["Identify resource needs and skill gaps"]


def test_dropping_a_sentence_from_a_paragraph_is_caught(tmp_path):
    plan_text = PLAN_OF_SEED["lrp-brainstorming.md"].read_text(encoding="utf-8")
    sentence = " We will stay proactive in understanding and adapting to new regulations to protect customer privacy and\n      ensure compliance."
    assert plan_text.count(sentence) == 1
    copy = tmp_path / "lrp-brainstorming.yaml"
    copy.write_text(plan_text.replace(sentence, ""), encoding="utf-8")

    missing = missing_pieces(read_seed(SEEDS / "lrp-brainstorming.md"), corpus(copy))

    assert [piece.text for piece in missing] == [
        "We will stay proactive in understanding and adapting to new regulations to protect customer privacy and ensure "
        "compliance."
    ]


def test_the_splitter_reads_tables_nested_bullets_labels_headings_and_references(tmp_path):
    note = tmp_path / "note.md"
    note.write_text(
        "---\nsource: exporter\n---\n"
        "# Title of the note\n\n"
        "**Week 1–2: Establish Foundations**\n"
        "|  **Element**<br/> | **Week 1**<br/> |\n"
        "|-----|-----|\n"
        "|  **Key Actions**<br/> | - Intro meetings with: <br/> • Squad 1 (Marketing) <br/>- Weigh impact vs. complexity<br/> |\n"
        "——-\n"
        "ur presentation software as needed.\n\n"
        "**Slide 3: Days 1–30 – “Establishing Trust & Understanding”****\n"
        "**\n"
        "\t1. **Action:** Conduct 1:1s with **direct reports**.\n"
        "\t•\t**Paid Marketing**: Expand reach. Leverage the U.S. creator platform.\n"
        "**Action Title (McKinsey Style):** **Deliver a Phased Strategy**\n"
        "1. **Kotter, J. P. (1995). *****Leading Change: Why Transformation Efforts Fail.*** Harvard Business Review. _Link_\n",
        encoding="utf-8",
    )

    seed: Seed = read_seed(note)

    assert [piece.text for piece in seed.pieces] == [
        "Intro meetings with", "Squad 1 (Marketing)", "Weigh impact vs. complexity",
        "Establishing Trust & Understanding",
        "Action", "Conduct 1:1s with direct reports.",
        "Paid Marketing", "Expand reach.", "Leverage the U.S. creator platform.",
        "Deliver a Phased Strategy",
    ]
    assert [(w.first, w.last, w.name) for w in seed.week_ranges] == [(1, 2, "Establish Foundations")]
    assert seed.action_titles == {3: "Deliver a Phased Strategy"}
    [reference] = seed.references
    assert (reference.authors, reference.year, reference.title, reference.publisher, reference.url) == (
        "Kotter, J. P.", 1995, "Leading Change: Why Transformation Efforts Fail", "Harvard Business Review", "Link"
    )


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="the shared seed notes exist only in the team workspace")
@pytest.mark.parametrize("seed_name", sorted(PLAN_OF_SEED))
def test_the_copies_of_the_seeds_match_the_originals(seed_name):
    assert (SEEDS / seed_name).read_bytes() == (SHARED_SEEDS / seed_name).read_bytes()
