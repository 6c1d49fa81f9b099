"""`planforge import`: notes → plan YAML that validates, and whose Markdown and deck show every piece of the notes."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from guards import hang_guard
from planforge.cli import app
from planforge.importing import import_notes
from planforge.lint import lint_file
from planforge.loading import LoadedPlan, load_plan
from planforge.render import RenderOptions, renderer
from rendertext import markdown_to_html, parse_html, visible_text
from seedtext import SEEDS, clean, missing_pieces, read_seed

HERE = Path(__file__).resolve().parent
OWN_NOTES = sorted((HERE / "notes").glob("*.md"))
SEED_NOTES = sorted(SEEDS.glob("*.md"))
ALL_NOTES = SEED_NOTES + OWN_NOTES
IDS = [p.stem for p in ALL_NOTES]


def imported_plan(notes: Path, folder: Path) -> tuple[LoadedPlan, object]:
    """Import notes into `folder` and load the plan back through the normal loader."""
    result = import_notes(notes)
    path = folder / f"{notes.stem}.yaml"
    path.write_text(result.text, encoding="utf-8")
    return load_plan(path), result


def markdown_text(plan: LoadedPlan) -> str:
    text = renderer("md").render(plan.document, RenderOptions()).decode("utf-8")
    return " ".join(visible_text(parse_html(markdown_to_html(text))).split())


def deck_text(plan: LoadedPlan) -> str:
    from pptx import Presentation

    deck = Presentation(io.BytesIO(renderer("pptx").render(plan.document, RenderOptions())))
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts += [p.text for p in shape.text_frame.paragraphs]
            if shape.has_table:
                texts += [p.text for row in shape.table.rows for cell in row.cells for p in cell.text_frame.paragraphs]
    return " ".join(" ".join(texts).split())


def unplaced(result) -> str:
    return "\n".join(clean(note) for note in result.notes)


@pytest.mark.parametrize("notes", ALL_NOTES, ids=IDS)
def test_every_piece_of_the_notes_reads_in_the_markdown_or_is_kept_under_notes(notes, tmp_path):
    plan, result = imported_plan(notes, tmp_path)

    missing = missing_pieces(read_seed(notes), markdown_text(plan))
    not_kept = [piece for piece in missing if piece.text not in unplaced(result)]

    assert not not_kept, "\n".join(f"{notes.name}:{p.line}: lost: {p.text!r}" for p in not_kept)
    if notes in SEED_NOTES:
        assert not missing, "the seeds import completely; only export debris may be left under notes:"


@pytest.mark.parametrize("notes", ALL_NOTES, ids=IDS)
def test_every_piece_of_the_notes_shows_in_the_deck_or_is_kept_under_notes(notes, tmp_path):
    plan, result = imported_plan(notes, tmp_path)

    missing = missing_pieces(read_seed(notes), deck_text(plan))
    not_kept = [piece for piece in missing if piece.text not in unplaced(result)]

    assert not not_kept, "\n".join(f"{notes.name}:{p.line}: not in the deck: {p.text!r}" for p in not_kept)


@pytest.mark.parametrize("notes", ALL_NOTES, ids=IDS)
def test_whatever_is_kept_under_notes_comes_with_a_located_warning(notes):
    result = import_notes(notes)

    assert len(result.warnings) >= (1 if result.notes else 0)
    assert all(w.line is not None for w in result.warnings if "kept under `notes:`" in w.message)


@pytest.mark.parametrize("notes", ALL_NOTES, ids=IDS)
def test_import_is_deterministic_and_starts_with_the_schema_line(notes):
    first, second = import_notes(notes).text, import_notes(notes).text

    assert first == second
    assert first.startswith("# yaml-language-server: $schema=")


# ---------------------------------------------------------------------------------------------------------------
# The seeds become the plans a person transcribed


def test_the_strategy_seed_becomes_three_areas_with_their_kpis(tmp_path):
    plan, result = imported_plan(SEEDS / "lrp-brainstorming.md", tmp_path)
    strategy = plan.document

    assert result.kind == "strategy" and result.notes == []
    assert [a.name for a in strategy.areas] == ["Care team", "POX", "Marketing"]
    assert [i.name for i in strategy.areas[2].initiatives] == ["Paid Marketing", "SEO", "CRM", "Digital Flyer Experience"]
    assert strategy.areas[2].privacy.startswith("Ensure all initiatives comply")
    assert [(k.metric, k.target, k.horizon) for k in strategy.areas[0].kpis] == [
        ("Reduction in average handling time", "X%", None),
        ("Increase in customer self-service resolution rates", "Y%", None),
        ("Customer satisfaction score", "X%", "within the next three years"),
        ("Reduction in operational costs", "Y%", "within the next three years"),
    ]


def test_the_imported_strategy_seed_lints_every_placeholder(tmp_path):
    plan, _ = imported_plan(SEEDS / "lrp-brainstorming.md", tmp_path)
    seed_placeholders = len(re.findall(r"[XYZ]%", (SEEDS / "lrp-brainstorming.md").read_text(encoding="utf-8")))

    findings = [f for f in lint_file(plan.path) if f.code == "PF101"]

    written = sum(1 for loc, text in _strings(plan.tree) for _ in re.finditer(r"[XYZ]%", text))
    assert len(findings) == written and written >= seed_placeholders
    lines = plan.text.splitlines()
    assert all(lines[f.line - 1][f.column - 1:f.column + 1] in ("X%", "Y%", "Z%") for f in findings)


def _strings(node, loc=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*loc, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, (*loc, index))
    elif isinstance(node, str) and loc[0] != "kind":
        yield loc, node


def test_the_day_plan_seed_keeps_its_structure_and_the_authors_action_titles(tmp_path):
    plan, result = imported_plan(SEEDS / "30-60-90-day-plan.md", tmp_path)
    document = plan.document
    seed = read_seed(SEEDS / "30-60-90-day-plan.md")

    assert result.kind == "30-60-90"
    assert [(p.name, p.start_day, p.end_day) for p in document.phases] == [
        ("Days 1–30", 1, 30), ("Days 31–60", 31, 60), ("Days 61–90", 61, 90)]
    assert [(b.first_week, b.last_week) for b in document.week_blocks] == [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12)]
    assert document.week_blocks[5].slide.label == "Scale, Measure & Institutionalize"
    assert document.week_blocks[0].weeks[0].stakeholders[0].items[0] == "Squad 1 (Marketing)"
    assert len(document.pitfalls) == 6 and document.pitfalls[1].brief.pitfall == "Overlapping Roadmaps (US vs. Canada)"
    assert [(r.authors, r.year, r.url) for r in document.references][:2] == [
        ("Watkins, M. D.", 2013, "Link"), ("Kotter, J. P.", 1995, "Link")]
    placed = {2: document.storyline.phase_summary.title, 5: document.phases[2].slide.title,
              6: document.storyline.roadmap.title, 13: document.storyline.pitfalls.title}
    assert seed.action_titles == placed
    assert result.notes == ["ur presentation software as needed."]
    assert [w.line for w in result.warnings] == [99]


# ---------------------------------------------------------------------------------------------------------------
# Notes it has never seen


def test_a_sixty_day_plan_with_three_week_blocks_and_an_owner_column(tmp_path):
    plan, result = imported_plan(HERE / "notes" / "60-day-plan-data-platform.md", tmp_path)
    document = plan.document

    assert [(p.start_day, p.end_day) for p in document.phases] == [(1, 30), (31, 60)]
    assert [[w.week for w in b.weeks] for b in document.week_blocks] == [[1, 2, 3], [4, 5, 6], [7, 8]]
    assert document.week_blocks[2].weeks[1].success_metrics[0].text == "Compute cost down by 20%"
    assert document.phases[0].slide.title == "Map the Data Estate Before Changing It to Earn the Analysts’ Trust"
    assert document.pitfalls[1].brief.pitfall == "Endless Architecture Debates"
    assert result.notes == ["Hidden Consumers of Old Tables — Owner: Platform lead",
                            "Architecture Debates That Never End — Owner: Head of data platform",
                            "Team Fatigue From On-Call — Owner: Engineering manager"]
    assert [w.line for w in result.warnings] == [43, 44, 45]


def test_phases_from_the_slide_outline_when_there_is_no_summary_table(tmp_path):
    plan, result = imported_plan(HERE / "notes" / "100-day-plan-engineering-manager.md", tmp_path)
    document = plan.document

    assert [(p.name, p.theme) for p in document.phases] == [("Days 1–45", "Listen and Learn"), ("Days 46–100", "Lead the Change")]
    assert document.phases[0].key_objectives[1].text == "Build a **one-to-one rhythm** with every engineer."
    assert [w.week for w in document.week_blocks[0].weeks] == [1, 2, 3, 4]
    assert document.week_blocks[0].weeks[0].stakeholders[1].text == "Previous manager"
    assert document.references[0].url == "https://press.stripe.com/an-elegant-puzzle"
    assert document.references[1].title == "The Manager's Path"
    assert result.notes == ["Open Questions", "Should the team own the billing service?",
                            "Who approves hiring for the second half?"]


def test_a_strategy_with_heading_areas_a_kpi_table_and_next_steps(tmp_path):
    plan, result = imported_plan(HERE / "notes" / "strategy-payments.md", tmp_path)
    strategy = plan.document

    assert result.notes == [] and result.warnings == []
    assert [a.name for a in strategy.areas] == ["Checkout", "Payouts"]
    assert [b.text for b in strategy.areas[0].objectives] == ["Offer local wallets in all eleven markets",
                                                               "Keep card authorisation above industry benchmarks"]
    assert [(k.metric, k.target, k.horizon) for k in strategy.areas[0].kpis] == [
        ("Increase in checkout conversion", "4%", "by FY2027"),
        ("Reduction in payment failures", "30%", "within the next two years"),
    ]
    assert [(k.metric, k.baseline, k.target, k.horizon) for k in strategy.areas[1].kpis][0] == (
        "Next-day payout share", "35%", "90%", "FY2027")
    assert strategy.areas[0].slides.vision.title == "Make Paying the Easiest Part of Buying From Us"
    assert len(strategy.executive_summary) == 2 and len(strategy.next_steps) == 2


def test_a_strategy_with_missing_and_unknown_sections(tmp_path):
    plan, result = imported_plan(HERE / "notes" / "strategy-missing-sections.md", tmp_path)
    strategy = plan.document

    assert [a.name for a in strategy.areas] == ["Help centre", "Agent desktop", "Community forum"]
    assert strategy.areas[0].outcomes is None and strategy.areas[1].initiatives_summary is None
    assert [i.name for i in strategy.areas[2].initiatives] == ["Moderation", "Answer to Article"]
    assert result.notes == ["Team and Hiring", "Hire two engineers and one designer for the agent desktop."]
    codes = {f.code for f in lint_file(plan.path)}
    assert {"PF101", "PF102", "PF304", "PF310"} <= codes


def test_initiatives_named_with_a_dash_and_text_outside_any_section(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(
        "# Growth vision\n\n"
        "Written on the train; to be tidied up.\n\n"
        "## Acquisition\n\n"
        "**Product Vision and Objectives**\n\n"
        "New customers arrive through partners, not ads.\n\n"
        "**Key Initiatives and Improvements**\n"
        "- **Partner Portal** – Self-service sign-up for resellers.\n",
        encoding="utf-8",
    )

    result = import_notes(notes)

    assert "- name: Partner Portal\n        description: Self-service sign-up for resellers." in result.text
    assert result.notes == ["Written on the train; to be tidied up."]
    assert result.warnings[0].line == 3


def test_required_text_the_notes_lack_is_written_as_tbd_with_a_comment(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Plan\n\n**Week 1–2: Start**\n| **Element** | **Week 1** | **Week 2** |\n|---|---|---|\n"
                     "| **Key Actions** | - Meet people | - Read docs |\n", encoding="utf-8")

    result = import_notes(notes)

    assert "key_objectives:  # planforge import: the notes give no key objectives for Days 1–30; write it here\n" \
           "      - TBD" in result.text
    assert any("wrote `TBD`" in w.message for w in result.warnings)


ODD_NOTES = {
    "reversed_ranges": "# T\n\n**Part 1: High-Level 30-60-90 Day Summary**\n| **Timeframe** | **Key Objectives** |\n"
                       "|---|---|\n| **Days 30–1** | 1. Learn |\n| | |\n\n**Slide 2: Weeks 3–1 – “B”**\n"
                       "* **Objective:**\n\n**Action Title (McKinsey Style):** **Do it**\n"
                       "**Action Title (McKinsey Style):** **Do it again**\n",
    "weeks_out_of_range": "# T\n\n**Week 0–1: Zero**\n| **Element** | **Week 0** | **Week 1** |\n|---|---|---|\n"
                          "| **Key Actions** | - a | - b |\n\n**Week 500–501: Far**\n"
                          "| **Element** | **Week 500** | **Week 501** |\n|---|---|---|\n| **Key Actions** | - c | - d |\n",
    "text_too_long": "# T\n\n**Product Vision and Objectives**\n\n" + "Every customer is served well. " * 400 + "\n",
    "one_cell_tables": "# T\n|a|\n|b|\n\n**Product Vision and Objectives**\n| x |\n",
}


@pytest.mark.parametrize("name", sorted(ODD_NOTES))
def test_odd_notes_still_import_into_valid_plans_keeping_their_text(name, tmp_path):
    notes = tmp_path / f"{name}.md"
    notes.write_text(ODD_NOTES[name], encoding="utf-8")

    plan, result = imported_plan(notes, tmp_path)

    # Words of section labels and table headers become the plan's structure, not its text.
    structure = {"element", "week", "objectives", "objective", "action", "title", "mckinsey", "style", "product",
                 "vision", "part", "high", "level", "summary", "timeframe", "slide", "actions"}
    words = set(re.findall(r"[a-z]{4,}", ODD_NOTES[name].lower())) - structure
    kept = (plan.text + " ".join(result.notes)).lower()
    assert all(word in kept for word in words), sorted(w for w in words if w not in kept)


def test_notes_that_are_neither_kind_are_refused_unless_the_kind_is_given(tmp_path):
    notes = tmp_path / "shopping.md"
    notes.write_text("# Shopping\n\n- milk\n- eggs\n", encoding="utf-8")

    result = CliRunner().invoke(app, ["import", str(notes)])
    assert result.exit_code == 1 and "--kind" in result.stderr

    forced = CliRunner().invoke(app, ["import", str(notes), "--kind", "strategy"])
    assert forced.exit_code == 0 and "notes:\n  - milk\n  - eggs\n" in forced.stdout


# ---------------------------------------------------------------------------------------------------------------
# The command


def test_the_command_writes_the_plan_and_refuses_to_overwrite_it(tmp_path):
    output = tmp_path / "plans" / "plan.yaml"
    output.parent.mkdir()
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "planforge.schema.json").write_text("{}", encoding="utf-8")
    notes = SEEDS / "30-60-90-day-plan.md"

    first = CliRunner().invoke(app, ["import", str(notes), "-o", str(output)])
    again = CliRunner().invoke(app, ["import", str(notes), "-o", str(output)])
    forced = CliRunner().invoke(app, ["import", str(notes), "-o", str(output), "--force"])

    assert first.exit_code == 0, first.output
    assert output.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schema/planforge.schema.json\n")
    assert f"{notes}:99: warning: text could not be placed; kept under `notes:`" in first.stderr
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert forced.exit_code == 0
    assert CliRunner().invoke(app, ["validate", str(output)]).exit_code == 0


def test_the_command_prints_to_stdout_without_output(tmp_path):
    result = CliRunner().invoke(app, ["import", str(SEEDS / "lrp-brainstorming.md")])

    assert result.exit_code == 0
    assert "kind: strategy\n" in result.stdout and "wrote stdout" in result.stderr


def test_a_missing_notes_file_is_reported_without_a_traceback(tmp_path):
    result = CliRunner().invoke(app, ["import", str(tmp_path / "nope.md")])

    assert result.exit_code == 1 and "no such file" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("run", ["[" * 200_000, "![" * 100_000, "[a][" * 50_000, "[" * 50_000 + "]" * 50_000])
def test_notes_with_brackets_no_reader_can_match_in_time_are_refused_at_once(run, tmp_path):
    notes = tmp_path / "tangled.md"
    notes.write_text("# Plan\n\n**Product Vision and Objectives**\n\nA vision.\n\n" + run + "\n", encoding="utf-8")

    with hang_guard(10):  # markdown-it alone takes 20 s and more on each of these
        result = CliRunner().invoke(app, ["import", str(notes)])

    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"{notes}:7:") and "“[” in one paragraph" in result.stderr and "\\[" in result.stderr


def test_many_links_and_escaped_brackets_still_import(tmp_path):
    links = " ".join(f"[site {i}](https://example.com/{i})" for i in range(3000))
    notes = tmp_path / "linked.md"
    notes.write_text("# Plan\n\n**Product Vision and Objectives**\n\n" + links + " " + "\\[" * 20_000 + "\n",
                     encoding="utf-8")

    with hang_guard(30):
        result = import_notes(notes, kind="strategy")

    squeezed = "".join(result.text.split())  # YAML folds the long text
    assert squeezed.count("](https://example.com/") == 3000 and squeezed.count("[" * 5000) == 4  # in 5,000-long texts


def test_an_unknown_kind_is_a_usage_error():
    assert CliRunner().invoke(app, ["import", str(SEEDS / "lrp-brainstorming.md"), "--kind", "memo"]).exit_code == 2


def test_a_risks_heading_under_a_phase_lists_the_plans_pitfalls(tmp_path):
    notes = tmp_path / "kickoff.md"
    notes.write_text("# Ops lead onboarding\n\n## First 30 days — listen\n- shadow each shift\n\n"
                     "## Days 31-60: fix returns\n- dedicated returns cell\n\n"
                     "### Risks we talked about\n- union rep worried about batch picking → involve him in the pilot\n"
                     "- peak season starts Nov 20\n\nAction items:\n1. me: send draft plan to Sam\n", encoding="utf-8")
    plan, result = imported_plan(notes, tmp_path)

    pitfalls = [(p.pitfall, p.mitigation) for p in plan.document.pitfalls]
    assert pitfalls[0] == ("union rep worried about batch picking", "involve him in the pilot")
    assert [p for p, _ in pitfalls] == ["union rep worried about batch picking", "peak season starts Nov 20"]
    # The action items that follow the risks are no pitfalls: they wait under `notes:`, with a located warning.
    assert "me: send draft plan to Sam" in " ".join(plan.document.notes)
    assert not any("Risks" in str(area) for phase in plan.document.phases for area in phase.focus_areas)


def test_a_french_data_protection_heading_is_the_areas_privacy(tmp_path):
    notes = tmp_path / "note.md"
    notes.write_text("# Note stratégique\n\n## Axe 1 : Simplifier le remboursement\n\nRembourser en 48 heures.\n\n"
                     "### Protection des données\n\nLes données de santé restent chez un hébergeur certifié HDS.\n",
                     encoding="utf-8")
    plan, _ = imported_plan(notes, tmp_path)

    area = plan.document.areas[0]
    assert "hébergeur certifié HDS" in area.privacy
    assert not area.initiatives


def test_a_front_matter_date_is_a_date_every_output_words(tmp_path):
    notes = tmp_path / "okrs.md"
    notes.write_text("---\ntitle: Growth OKRs\ndate: 2027-01-08\n---\n\n## Objective 1: Grow organic search\n\n"
                     "- KR 1.1: Organic sign-ups from 1,200 to 2,500 a month\n", encoding="utf-8")
    plan, _ = imported_plan(notes, tmp_path)

    assert plan.document.date == datetime.date(2027, 1, 8)
    assert "8 January 2027" in markdown_text(plan)


def test_plain_label_lines_in_an_area_name_the_part_they_open(tmp_path):
    # "Initiatives:" over a list made the label the area's vision and the list its objectives; "Privacy: …" was vision.
    notes = tmp_path / "okrs.md"
    notes.write_text("# Growth OKRs\n\n## Objective 1: Grow organic search\n\nOrganic search becomes our first channel."
                     "\n\n- KR 1.1: Organic sign-ups from 1,200 to 2,500 a month\n\nInitiatives:\n"
                     "- Comparison pages with product marketing\n- Technical SEO sprint\n\n"
                     "Privacy: retargeting only users who accepted marketing cookies.\n\n"
                     "## Objective 2: Cut acquisition cost\n\nSpend less per customer.\n\n"
                     "- KR 2.1: Blended CAC from €310 to €240\n", encoding="utf-8")
    plan, result = imported_plan(notes, tmp_path)

    area = plan.document.areas[0]
    assert area.vision == "Organic search becomes our first channel."
    assert [i.name for i in area.initiatives] == ["Comparison pages with product marketing", "Technical SEO sprint"]
    assert not area.objectives
    assert area.privacy == "retargeting only users who accepted marketing cookies."
    assert not result.placement.lost
