"""PF204: a content slide titled by planforge's fallback topic is found where the plan's title belongs, and the
build counts such slides in one line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from planforge.cli import app
from planforge.lint import lint_file

UNTITLED = """\
kind: strategy
title: Retail banking strategy
areas:
  - name: Digital lending
    vision: Customers get a loan decision in minutes. Branches keep the advice.
    initiatives:
      - name: Instant decisions
        description: Score applications in real time.
  - name: Payments
    vision: Payments are instant and free between our customers.
    slides:
      vision:
        notes: Say why instant payments matter to small businesses.
"""

TITLES = """\
    slides:
      vision:
        title: Loan decisions in minutes win customers the branches keep
      initiatives:
        title: Real-time scoring cuts the decision from days to minutes
"""


def plan_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "strategy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def topic_findings(path: Path) -> list:
    return [f for f in lint_file(path) if f.code == "PF204"]


def test_each_untitled_content_slide_is_reported_where_its_title_belongs(tmp_path):
    found = topic_findings(plan_file(tmp_path, UNTITLED))

    assert [(f.line, f.column, f.message.split("”")[0].lstrip("slide “"), f.hint.split("`")[1]) for f in found] == [
        # No `storyline:` in the file: the summary's title belongs at the top level.
        (1, 1, "Executive summary", "storyline: {executive_summary: {title: …}}"),
        # An area without `slides:`, its vision and initiatives on one slide: the area's mapping, which takes
        # `slides:` (the shared slide takes the vision's title).
        (4, 5, "Digital lending at a glance", "slides: {vision: {title: …}}"),
        # `slides: vision:` written with notes only: the `vision:` key, which takes `title:`.
        (12, 7, "Payments: vision and objectives", "title: …"),
    ]
    assert all(f.severity == "warning" for f in found)
    assert "under `vision:`" in found[-1].hint and "to this item" in found[1].hint


def test_titles_from_the_plan_silence_it(tmp_path):
    text = UNTITLED.replace("  - name: Payments", TITLES + "  - name: Payments").replace(
        "        notes: Say", "        title: Instant free payments keep small businesses with us\n        notes: Say")
    text += "storyline:\n  executive_summary:\n    title: Two areas grow the bank's digital share by 2028\n"

    assert topic_findings(plan_file(tmp_path, text)) == []


def test_a_fallback_title_fails_lint_only_when_strict(tmp_path):
    path = str(plan_file(tmp_path, UNTITLED))

    assert CliRunner().invoke(app, ["lint", path]).exit_code == 0
    strict = CliRunner().invoke(app, ["lint", "--strict", path])
    assert strict.exit_code == 1 and f"{path}:12:7: PF204" in strict.stdout


def test_the_example_plans_have_an_action_title_on_every_content_slide():
    root = Path(__file__).resolve().parents[2]
    assert [f for plan in sorted((root / "plans").glob("*.yaml")) for f in topic_findings(plan)] == []


def build(tmp_path: Path, text: str):
    plan = plan_file(tmp_path, text)
    return CliRunner().invoke(app, ["build", str(plan), "-o", str(tmp_path / "out"), "-f", "pptx"])


def test_build_counts_fallback_titles_in_one_line(tmp_path):
    result = build(tmp_path, UNTITLED)

    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "topic title" in line]
    assert lines == ["3 slides have topic titles; `planforge lint` shows where"]


def test_build_says_nothing_of_titles_when_the_plan_gives_them_all(tmp_path):
    # A plan whose only content slide is titled by the plan (no summary of its own: the derived one is titled too).
    text = ("kind: strategy\ntitle: T\nareas:\n  - name: A\n    vision: Serve better.\n"
            "    slides:\n      vision:\n        title: Serving better keeps our customers\n"
            "storyline:\n  executive_summary:\n    title: One area keeps our customers by serving them better\n")
    result = build(tmp_path, text)

    assert result.exit_code == 0, result.output
    assert "topic title" not in result.output + result.stderr
