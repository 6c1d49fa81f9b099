"""`planforge render PLAN --format md|html|pptx [-o FILE|-] [--templates DIR]`: outputs, defaults and clean errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from golden_documents import golden_path, plan_paths
from planforge.cli import app
from planforge.errors import Problem, TemplateError

PLANS = {path.stem: path for path in plan_paths()}
STRATEGY = PLANS["lrp-brainstorming"]
INVALID = Path(__file__).parent / "bad" / "unknown_key_typo.yaml"


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_default_output_is_the_plan_name_with_the_suffix_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = run("render", STRATEGY, "--format", "md")

    assert result.exit_code == 0, result.output
    assert "wrote lrp-brainstorming.md" in result.output
    assert (tmp_path / "lrp-brainstorming.md").read_bytes() == golden_path(STRATEGY, "md").read_bytes()


def test_dash_writes_to_stdout_and_o_to_a_file(tmp_path):
    to_stdout = run("render", STRATEGY, "-f", "html", "-o", "-")
    (tmp_path / "out").mkdir()  # a missing folder is an error (tests/test_output_option.py)
    to_file = run("render", STRATEGY, "-f", "html", "-o", tmp_path / "out" / "page.html")

    assert to_stdout.exit_code == 0 and to_file.exit_code == 0
    assert to_stdout.stdout_bytes == golden_path(STRATEGY, "html").read_bytes()
    assert (tmp_path / "out" / "page.html").read_bytes() == golden_path(STRATEGY, "html").read_bytes()


def test_templates_option_overrides_packaged_templates(tmp_path):
    (tmp_path / "markdown").mkdir()
    (tmp_path / "markdown" / "strategy.md.j2").write_text("{{ document.areas[0].name }}\n")

    result = run("render", STRATEGY, "-f", "md", "-o", "-", "--templates", tmp_path)

    assert result.exit_code == 0 and result.stdout == "Care team\n"


def test_a_broken_template_is_reported_with_file_and_line_not_a_traceback(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "strategy.html.j2").write_text("<p>\n{{ document.nope }}\n</p>\n")

    result = run("render", STRATEGY, "-f", "html", "-o", tmp_path / "x.html", "--templates", tmp_path)

    assert result.exit_code == 1
    assert f"{tmp_path / 'html' / 'strategy.html.j2'}:2: template error" in result.output
    assert "nope" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_a_renderer_failing_with_a_planforge_error_prints_it(tmp_path, monkeypatch):
    from planforge.render import markdown

    def broken(document, options):
        raise TemplateError([Problem("corporate.pptx", None, None, "layout 'Title Only' is missing", "add it")])

    monkeypatch.setattr(markdown, "render", broken)
    result = run("render", STRATEGY, "-f", "md", "-o", tmp_path / "x.md")

    assert result.exit_code == 1
    assert "corporate.pptx: layout 'Title Only' is missing" in result.output and "hint: add it" in result.output


@pytest.mark.parametrize(("args", "code", "message"), [
    (("-f", "docx"), 2, "unknown format 'docx'; choose one of: md, html, pptx"),
    (("-f", "md", "--templates", "/no/such/folder"), 1, "templates folder not found"),
])
def test_bad_options_are_clear_errors(args, code, message):
    result = run("render", STRATEGY, *args)
    assert result.exit_code == code
    assert message in result.output and "Traceback" not in result.output


def test_an_invalid_plan_reports_its_problems(tmp_path):
    result = run("render", INVALID, "-f", "md", "-o", tmp_path / "x.md")
    assert result.exit_code == 1
    assert f"{INVALID}:" in result.output and not (tmp_path / "x.md").exists()
