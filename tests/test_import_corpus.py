"""`planforge import` on a corpus of notes of many shapes: most of each note's text reaches the plan's own fields,
the built Markdown shows it, and the deck shows the note's phases or areas.

The notes: the five real notes written by others (../shared/notes-real, when present beside the repository), the two
seeds, and notes of other shapes in tests/notes/ (heading outlines, nested numbered lists, OKRs, prose by month,
tables per week, French, a messy mixed one). Text fragments are defined in notefragments.py, apart from the importer.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from notefragments import fragments, share_found
from planforge.cli import app
from planforge.importing import import_notes
from planforge.loading import load_plan
from planforge.render import RenderOptions, renderer
from rendertext import markdown_to_html, parse_html, visible_text

HERE = Path(__file__).resolve().parent
REAL = HERE.parent.parent / "shared" / "notes-real"
OWN = sorted((HERE / "notes").rglob("*.md"))
SEEDS = sorted((HERE / "seeds").glob("*.md"))
REAL_NOTES = sorted(p for p in REAL.glob("*.md") if p.name != "SOURCES.md") if REAL.is_dir() else []
CORPUS = REAL_NOTES + SEEDS + OWN
IDS = [p.stem for p in CORPUS]

# What the deck must show of each note: its phases (30-60-90) or areas (strategy), as a person reads the note.
SHOWN = {
    "em-90-day-plan-prose": ["Month 1", "Month 2", "Month 3"],
    "em-m1-onboarding-tables": ["Days 1-30", "Days 31-60", "Days 61-90", "Team Orientation", "Active Management"],
    "rust-2018-roadmap": ["Ship Rust edition 2018", "Build resources for intermediate Rustaceans",
                          "Grow Rust’s teams and new leaders within them", "Network services", "WebAssembly"],
    "sales-account-manager-30-60-90": ["First 30 Days", "Days 31-60", "Days 61-90"],
    "swe-30-60-90-by-goal-type": ["30 Days", "60 Days", "90 Days"],
    "30-60-90-day-plan": ["Days 1–30", "Days 31–60", "Days 61–90"],
    "lrp-brainstorming": ["Care team", "POX", "Marketing"],
    "pm-heading-outline": ["Discover", "Decide", "Deliver"],
    "nested-numbered-onboarding": ["learn the estate", "fix what hurts", "set the direction"],
    "okr-platform": ["Make deploys boring", "Make the platform self-service", "Keep costs flat while usage grows"],
    "prose-by-month": ["Month 1", "Month 2", "Month 3", "Listen", "Fix the basics", "Set the course"],
    "tables-per-week": ["Days 1–30", "Days 31–60", "Learn the team", "Start improving"],
    "plan-francais": ["comprendre", "décider", "livrer"],
    "strategie-francais": ["Fidéliser les abonnés", "Réduire les appels au service client"],
    "strategy-pillars": ["Self-service first", "One agent desktop", "Privacy by design"],
    "messy-mixed": ["30 days", "60 days", "90 Days"],
    "strategy-bold-statements": ["Faster checkout", "Fewer failed payments"],
    "100-day-plan-engineering-manager": ["Days 1–45", "Days 46–100"],
    "60-day-plan-data-platform": ["Days 1–30", "Days 31–60"],
    "strategy-missing-sections": ["Help centre", "Agent desktop", "Community forum"],
    "strategy-payments": ["Checkout", "Payouts"],
    "meeting-notes-90-day-ops": ["First 30 days", "Days 31-60", "Days 61–90"],
    "okr-doc-marketing": ["Make organic search our largest acquisition channel",
                          "Cut blended customer acquisition cost", "Turn customers into referrers"],
    "note-strategie-fr": ["Reconquérir les jeunes artisans", "Simplifier le parcours de remboursement",
                          "Une mutuelle ancrée dans les territoires"],
}
DECKS = {"em-90-day-plan-prose", "rust-2018-roadmap", "swe-30-60-90-by-goal-type", "okr-platform", "plan-francais",
         "messy-mixed", "tables-per-week", "nested-numbered-onboarding"}


def built(notes: Path, folder: Path):
    """Import notes, write the plan, load it through the normal loader (it must validate) and render its Markdown."""
    result = import_notes(notes)
    path = folder / f"{notes.stem}.yaml"
    path.write_text(result.text, encoding="utf-8")
    plan = load_plan(path)
    markdown = renderer("md").render(plan.document, RenderOptions()).decode("utf-8")
    return result, plan, markdown


def seen(markdown: str) -> str:
    return visible_text(parse_html(markdown_to_html(markdown)))


def test_the_corpus_has_notes_of_every_shape():
    assert len(CORPUS) >= 12 + (0 if REAL_NOTES else -5)
    assert {p.stem for p in OWN} >= {"pm-heading-outline", "nested-numbered-onboarding", "okr-platform",
                                      "prose-by-month", "tables-per-week", "plan-francais", "messy-mixed"}


@pytest.mark.parametrize("notes", CORPUS, ids=IDS)
def test_most_of_the_note_reaches_the_markdown_and_the_plan_fields(notes, tmp_path):
    result, plan, markdown = built(notes, tmp_path)
    pieces = fragments(notes)
    document = plan.document
    # The plan without its `notes:` shows what was placed in the plan's own fields.
    fields_only = renderer("md").render(document.model_copy(update={"notes": []}), RenderOptions()).decode("utf-8")

    in_markdown, missing = share_found(pieces, seen(markdown))
    placed, _ = share_found(pieces, seen(fields_only))

    assert len(pieces) >= 10
    assert in_markdown >= 0.9, "\n".join(f"{notes.name}:{f.line}: not in the Markdown: {f.text!r}" for f in missing)
    structured = getattr(document, "phases", None) or getattr(document, "areas", None)
    assert structured
    assert placed >= 0.7, f"only {placed:.0%} placed outside notes:"


@pytest.mark.parametrize("notes", [p for p in CORPUS if p.stem in DECKS], ids=lambda p: p.stem)
def test_the_deck_shows_the_notes_phases_or_areas(notes, tmp_path):
    from pptx import Presentation

    _, plan, _ = built(notes, tmp_path)
    deck = Presentation(io.BytesIO(renderer("pptx").render(plan.document, RenderOptions())))
    titles = " | ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                        if shape.has_text_frame and shape.name.lower().startswith(("title", "kicker", "divider")))
    titles = titles or " | ".join(slide.shapes.title.text_frame.text for slide in deck.slides if slide.shapes.title)
    lowered = " ".join(titles.split()).lower()
    for name in SHOWN[notes.stem]:
        assert name.lower() in lowered, f"the deck's titles do not show “{name}”: {titles[:600]}"


@pytest.mark.parametrize("notes", CORPUS, ids=IDS)
def test_the_deck_shows_what_the_note_is_organised_by(notes, tmp_path):
    _, plan, markdown = built(notes, tmp_path)
    headings = " ".join(line for line in markdown.splitlines() if line.startswith(("#", "|", "- **"))).lower()
    for name in SHOWN[notes.stem]:
        assert name.lower() in " ".join(re.sub(r"[\\*]", "", headings).split()), name


@pytest.mark.parametrize("notes", CORPUS, ids=IDS)
def test_links_keep_their_addresses(notes, tmp_path):
    _, _, markdown = built(notes, tmp_path)
    source = notes.read_text(encoding="utf-8")
    addresses = set(re.findall(r"\]\((https?://[^)\s]+)\)", source))
    missing = [a for a in addresses if a not in markdown.replace("\\", "")]
    assert not missing


@pytest.mark.parametrize("notes", CORPUS, ids=IDS)
def test_task_boxes_and_quote_markers_do_not_reach_the_plan(notes, tmp_path):
    _, plan, _ = built(notes, tmp_path)
    texts = list(_strings(plan.document.model_dump()))
    assert not [t for t in texts if re.match(r"\s*(?:\[[ xX]\]|>)", t)]


def _strings(value):
    if isinstance(value, dict):
        for child in value.values():
            yield from _strings(child)
    elif isinstance(value, list):
        for child in value:
            yield from _strings(child)
    elif isinstance(value, str):
        yield value


@pytest.mark.parametrize("notes", CORPUS, ids=IDS)
def test_the_report_accounts_for_every_fragment(notes):
    result = import_notes(notes)
    report = result.placement

    # Only words the plan turned into its structure (a roadmap line naming a block's weeks) may be found nowhere.
    assert len(report.lost) <= 0.05 * report.total, report.lost[:5]
    assert sum(count for _, count in report.parts) + len(report.lost) == report.total
    notes_count = dict(report.parts).get("notes:", 0)
    assert (notes_count > 0) == bool(result.notes) or not result.notes


def test_import_report_prints_placement_and_what_went_to_notes(tmp_path):
    notes = HERE / "notes" / "outlines" / "messy-mixed.md"
    result = CliRunner().invoke(app, ["import", str(notes), "-o", str(tmp_path / "plan.yaml"), "--report"])

    assert result.exit_code == 0, result.output
    assert re.search(r"30-60-90 plan: \d+ of \d+ text fragments placed in the plan \(\d+%\)", result.stderr)
    assert "phase “30 days”" in result.stderr
    assert "kept under `notes:`" in result.stderr


def test_front_matter_gives_the_title_and_subtitle(tmp_path):
    _, plan, _ = built(HERE / "notes" / "outlines" / "messy-mixed.md", tmp_path)

    assert plan.document.title == "New job — 30/60/90 (rough!!)"
    assert plan.document.subtitle == "Notes to self before starting at Acme Robotics"


def test_many_unplaced_texts_are_grouped_by_heading_instead_of_failing(tmp_path):
    notes = tmp_path / "long.md"
    sections = "\n".join(f"## Topic {n}\n\n" + "\n".join(f"- idea {n}.{i}" for i in range(30)) + "\n"
                         for n in range(20))
    notes.write_text("# Days 1-30 and beyond\n\n## Days 1-30\n- learn\n\n" + sections, encoding="utf-8")

    result, plan, markdown = built(notes, tmp_path)

    assert 0 < len(plan.document.notes) <= 200
    assert all(f"idea {n}.{i}" in markdown for n in range(20) for i in range(30))
    joined = " ".join(plan.document.notes)
    assert joined.index("idea 3.0") < joined.index("idea 4.0")


@pytest.mark.parametrize("notes", CORPUS, ids=IDS)
def test_french_notes_make_french_plans(notes, tmp_path):
    _, plan, _ = built(notes, tmp_path)
    french = notes.stem in ("plan-francais", "strategie-francais", "note-strategie-fr")
    assert (plan.document.lang == "fr") == french


# ---------------------------------------------------------------------------------------------------------------
# The shapes, one by one


OUTLINES = HERE / "notes" / "outlines"


def document(name: str, folder: Path, where: Path = OUTLINES):
    return built(where / f"{name}.md", folder)[1].document


def test_phase_headings_with_labelled_sub_sections(tmp_path):
    plan = document("pm-heading-outline", tmp_path)

    assert [(p.name, p.start_day, p.end_day, p.theme) for p in plan.phases] == [
        ("Phase 1 (Days 1-30)", 1, 30, "Discover"), ("Phase 2 (Days 31-60)", 31, 60, "Decide"),
        ("Phase 3 (Days 61-90)", 61, 90, "Deliver")]
    assert plan.phases[0].key_objectives[0].text.startswith("Understand how money moves")
    assert plan.phases[0].focus_areas[0].text.startswith("Shadow two support shifts")
    assert plan.phases[2].expected_outcomes[0].text == "Refund disputes down by 15% for merchants in the pilot"
    assert [(p.pitfall, p.mitigation) for p in plan.pitfalls][1] == (
        "**Pilot merchants churn**", "choose merchants with account managers who know them well")


def test_an_outline_of_nested_numbered_items(tmp_path):
    plan = document("nested-numbered-onboarding", tmp_path)

    assert [(p.start_day, p.end_day, p.theme) for p in plan.phases] == [
        (1, 30, "learn the estate"), (31, 60, "fix what hurts"), (61, 90, "set the direction")]
    first = plan.phases[0].key_objectives[0]
    assert first.text == "Map every pipeline that feeds the finance dashboards"
    assert first.items == ["List owners and schedules", "Note which jobs page someone at night"]


def test_objectives_with_key_results_become_areas_with_kpis(tmp_path):
    plan = document("okr-platform", tmp_path)

    assert [a.name for a in plan.areas] == ["Make deploys boring", "Make the platform self-service",
                                            "Keep costs flat while usage grows"]
    kpi = plan.areas[0].kpis[0]
    assert (kpi.metric, kpi.baseline, kpi.target, kpi.horizon) == (
        "KR 1.1: Cut median deploy time from 40 min to 12 min by end of Q2", "40 min", "12 min", "by end of Q2")
    assert (plan.areas[1].kpis[0].baseline, plan.areas[1].kpis[0].target) == ("9 days", "1 day")
    assert [i.name for i in plan.areas[0].initiatives][:2] == ["Deploy queue", "Canary by default"]
    assert plan.next_steps[0].text == "Review KRs with engineering managers on 14 January"


def test_prose_by_month_and_risks_written_as_prose(tmp_path):
    plan = document("prose-by-month", tmp_path)

    assert [(p.name, p.theme) for p in plan.phases] == [("Month 1", "Listen"), ("Month 2", "Fix the basics"),
                                                        ("Month 3", "Set the course")]
    assert [p.pitfall for p in plan.pitfalls] == [
        "The biggest risk is moving too slowly for a leadership team that wants retention fixed this quarter.",
        "Another risk is losing a tenured CSM during the transition"]
    assert plan.pitfalls[1].mitigation == "I will make retention of the team an explicit goal."


def test_a_table_per_phase_with_a_week_per_row(tmp_path):
    plan = document("tables-per-week", tmp_path)

    assert [(b.title, b.first_week, b.last_week) for b in plan.week_blocks] == [
        ("Learn the team", 1, 4), ("Start improving", 5, 8)]
    week = plan.week_blocks[1].weeks[0]
    assert (week.primary_objectives[0].text, week.deliverables[0].text) == ("Releases", "Release train proposal")
    assert [o.text for o in plan.phases[1].key_objectives][0] == "**Week 5:** Releases"


def test_a_french_plan(tmp_path):
    plan = document("plan-francais", tmp_path)

    assert [(p.start_day, p.end_day, p.theme) for p in plan.phases] == [
        (1, 30, "comprendre"), (31, 60, "décider"), (61, 90, "livrer")]
    assert plan.phases[0].expected_outcomes[0].text.startswith("Une cartographie des flux")
    assert len(plan.pitfalls) == 2
    assert plan.references[0].url == "https://www.hbr.org/books/watkins"


def test_goal_types_over_milestones_group_each_phase(tmp_path):
    if not REAL_NOTES:
        pytest.skip("../shared/notes-real is not beside the repository")
    plan = document("swe-30-60-90-by-goal-type", tmp_path, REAL)

    assert [(p.name, p.start_day, p.end_day) for p in plan.phases] == [
        ("30 Days", 1, 30), ("60 Days", 31, 60), ("90 Days", 61, 90)]
    assert [o.text for o in plan.phases[1].key_objectives] == [
        "**Learning/Performance Goals**", "**Initiative Goals**", "**Personal Goals**"]
    assert plan.phases[2].key_objectives[2].items == ["Have coffee/lunch with a non-engineer"]


def test_a_bold_sentence_is_text_not_a_section(tmp_path):
    plan = document("strategy-bold-statements", tmp_path)

    assert plan.executive_summary[0].text == "**Mission:** **We make paying the easiest part of buying from us.**"
    assert plan.areas[0].vision == "**Every checkout finishes in under ten seconds, on any phone.**"
    assert [(k.baseline, k.target) for k in plan.areas[0].kpis] == [("31 s", "10 s"), (None, "96%")]


def test_a_messy_note_keeps_its_weeks_and_loses_its_debris(tmp_path):
    plan = document("messy-mixed", tmp_path)

    assert [(b.first_week, b.last_week) for b in plan.week_blocks] == [(1, 1), (2, 4)]
    assert plan.week_blocks[0].weeks[0].key_actions[1].text == (
        "read the [onboarding wiki](https://wiki.acme.example/onboarding)")  # a link stays a link
    assert [(p.start_day, p.end_day) for p in plan.phases] == [(1, 30), (31, 60), (61, 90)]


# ---------------------------------------------------------------------------------------------------------------
# Odd notes: each imports into a valid plan for either kind (or is refused with a message), never a traceback

ODD = {
    "empty": "",
    "front_matter_only": "---\ntitle: x\n---\n",
    "lone_hash": "#\n",
    "deep_list": "# Days 1-30\n\n" + "".join("  " * i + f"- level {i}\n" for i in range(60)),
    "ragged_table": "# T\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 | 4 |\n| only |\n",
    "impossible_ranges": "# T\n\n## Days 0-0\n- x\n## Week 999\n- y\n## Phase 0\n- z\n## Days 900-1200\n- w\n"
                         "## Weeks 5-3\n- v\n## Month 40\n- u\n",
    "too_many_phases_and_blocks": "# Days 1-30 plan\n" + "".join(f"## Days {n * 30 + 1}-{n * 30 + 30}\n- item {n}\n"
                                                                 for n in range(15))
                                  + "".join(f"## Weeks {n * 2 + 1}-{n * 2 + 2}: block {n}\n- thing {n}\n" for n in range(60)),
    "too_many_areas": "# Strategy vision\n" + "".join(f"## Objective {n + 1}: goal {n}\n- KR {n + 1}.1: reach {n}%\n"
                                                       for n in range(70)),
    "deep_quotes": "# Days 1-30\n\n" + ">" * 300 + " level 7 quoted\n",
    "html_and_code": "# T\n\n<div><table><tr><td>a<br>b</td></tr></table></div>\n\n<!-- c -->\n\n```\ncode\n```\n\n"
                     "## Days 1–30\n> > nested quote\n",
}


@pytest.mark.parametrize("kind", [None, "strategy", "30-60-90"])
@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_notes_import_into_valid_plans_or_are_refused_plainly(name, kind, tmp_path):
    notes = tmp_path / f"{name}.md"
    notes.write_text(ODD[name], encoding="utf-8")
    output = tmp_path / "plan.yaml"

    result = CliRunner().invoke(app, ["import", str(notes), "-o", str(output), *(["--kind", kind] if kind else [])])

    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code == 0:
        assert CliRunner().invoke(app, ["validate", str(output)]).exit_code == 0
        words = set(re.findall(r"\b(?:item|thing|goal|level) \d+", ODD[name]))
        kept = output.read_text(encoding="utf-8")
        assert all(word in kept for word in words)
    else:
        assert kind is None and "--kind" in result.stderr
