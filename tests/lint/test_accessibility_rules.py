"""PF5xx on decks with accessibility faults put in: each rule reports what the check of the built deck finds, at the
plan line whose text causes it where there is one, and `--format github` annotates it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pptx.oxml.ns import qn
from typer.testing import CliRunner

from planforge.cli import app
from planforge.lint import lint_file
from planforge.lint.rules import accessibility as rules
from planforge.render.deck import _draw
from planforge.render.deck import accessibility
from planforge.render import RenderOptions

HERE = Path(__file__).resolve().parent
PLAN = HERE.parents[1] / "plans" / "30-60-90-day-plan.yaml"


def faulty_audit(document, deck_template=None):
    """The real check, on the plan's deck with a fault of each kind put in."""
    presentation = _draw(document, RenderOptions())
    slides = list(presentation.slides)
    roadmap = next(slide for slide in slides if any(shape.name == "Phase 1" for shape in slide.shapes))
    chevron = next(shape for shape in roadmap.shapes if shape.name == "Phase 1")
    del chevron._element.find(f"*/{qn('p:cNvPr')}").attrib["descr"]
    label = next(shape for shape in roadmap.shapes if shape.has_text_frame and shape.text_frame.text.startswith("Days 31"))
    for fill in label._element.iter(qn("a:srgbClr")):
        fill.set("val", "2E7BEA")  # near the accent under it
    slides[4].shapes.title.text_frame.text = ""
    table = next(shape for slide in slides for shape in slide.shapes if shape.has_table)
    table._element.find(f".//{qn('a:tblPr')}").set("firstRow", "0")
    return accessibility.audit(presentation)


@pytest.fixture
def plan(tmp_path, monkeypatch):
    monkeypatch.setattr(rules, "_audit", faulty_audit)
    monkeypatch.setattr(rules, "_AUDITED", {})
    copy = tmp_path / "plan.yaml"
    shutil.copy(PLAN, copy)
    return copy


def test_each_fault_is_reported_by_its_rule(plan):
    found = {f.code: f for f in lint_file(plan) if f.code.startswith("PF5")}
    assert set(found) == {"PF501", "PF502", "PF503", "PF505"}
    assert "“Phase 1” has no alternative text" in found["PF501"].message
    assert "slide 5 has no title" in found["PF503"].message
    assert "has no header row" in found["PF505"].message
    # The low-contrast text is the second phase's name and theme: each reported where the plan writes it.
    lines = plan.read_text(encoding="utf-8").splitlines()
    low = [f for f in lint_file(plan) if f.code == "PF502"]
    assert sorted(lines[f.line - 1].strip() for f in low) == ["- name: Days 31–60", "theme: Refining Strategy & Roadmap"]
    assert all("below the 4.5:1 WCAG AA asks for" in f.message for f in low)


def test_github_format_annotates_accessibility_findings(plan):
    result = CliRunner().invoke(app, ["lint", "--format", "github", str(plan)])
    annotations = [line for line in result.stdout.splitlines() if "title=PF5" in line]
    assert any(line.startswith(f"::warning file={plan},line=") and "title=PF502" in line for line in annotations)
    assert any(f"::warning file={plan},title=PF501::" in line for line in annotations)


def test_the_real_plans_have_no_accessibility_findings():
    for path in sorted((HERE.parents[1] / "plans").glob("*.yaml")):
        assert not [f for f in lint_file(path) if f.code.startswith("PF5")], path


def test_deck_template_draws_the_deck_in_the_company_template(tmp_path, monkeypatch):
    import sys

    sys.path.insert(0, str(HERE.parent))
    from company_template import make_template

    template = make_template(tmp_path / "brand.pptx")
    seen = []

    def recording_audit(document, deck_template=None):
        seen.append(deck_template)
        presentation = _draw(document, RenderOptions(deck_template=deck_template))
        return accessibility.audit(presentation)

    monkeypatch.setattr(rules, "_audit", recording_audit)
    monkeypatch.setattr(rules, "_AUDITED", {})
    result = CliRunner().invoke(app, ["lint", "--deck-template", str(template), str(PLAN)])
    assert seen == [template]
    assert "PF5" not in result.stdout  # the stand-in template's colours are made legible, its shapes described
    missing = CliRunner().invoke(app, ["lint", "--deck-template", str(tmp_path / "none.pptx"), str(PLAN)])
    assert missing.exit_code == 2 and "deck template not found" in missing.output
