"""Text planforge did not write itself (plan text and keys, file names, messages quoting them) reaches a terminal or
a CI log neutralised: never read as Rich markup or emoji codes, control characters and bidi controls escaped, so a
plan cannot write a GitHub workflow command or a terminal escape sequence. Warnings print once, cleanly; a full
stdout is a message; URLs are emitted as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from planforge.console import annotation, printable
from company_template import make_template

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLANFORGE = Path(sys.executable).parent / "planforge"


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(PLANFORGE), *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CI": "1", "COLUMNS": "300", **env})


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "plans").mkdir()
    return tmp_path


def mistake_on_line(line: int) -> str:
    """A strategy plan whose only mistake (an unknown key) is on `line`."""
    return "kind: strategy\ntitle: Plan\n" + "# padding\n" * (line - 3) + "unknown_key: 1\n"


@pytest.mark.parametrize("line", [100, 1234])
def test_a_problem_on_line_100_prints_its_line_number_not_an_emoji(project, line):
    (project / "plans" / "x.yaml").write_text(mistake_on_line(line), encoding="utf-8")

    result = run("validate", cwd=project)

    assert f"plans/x.yaml:{line}:1:" in result.stderr, result.stderr
    assert "💯" not in result.stderr


@pytest.mark.parametrize("name", [":fire:.yaml", "[red]x[.yaml", "[bold].yaml", ":100:.yaml"])
def test_file_names_with_markup_and_emoji_codes_print_as_they_are(project, name):
    (project / "plans" / name).write_text(mistake_on_line(5), encoding="utf-8")

    for command in (["validate"], ["build", "-f", "md"]):
        result = run(*command, cwd=project)
        assert f"plans/{name}:5:1:" in result.stderr, result.stderr
    assert f"plans/{name}" in run("validate", cwd=project).stdout


@pytest.mark.parametrize("name", ["a\\[1].yaml", "b\\\\[x.yaml", "\\[bold].yaml"])
def test_backslashes_before_brackets_in_file_names_print_as_they_are(project, name):
    (project / "plans" / name).write_text(mistake_on_line(5), encoding="utf-8")

    assert f"plans/{name}:5:1:" in run("validate", cwd=project).stderr
    assert f"plan name `{name.removesuffix('.yaml')}` cannot" in run("build", "-f", "md", cwd=project).stderr


def test_a_key_with_a_newline_cannot_write_a_workflow_command(project):
    (project / "plans" / "x.yaml").write_text(
        'kind: strategy\ntitle: Plan\n"a\\n::warning file=README.md,line=1::injected by a plan": 1\n', encoding="utf-8")

    for env in ({}, {"GITHUB_ACTIONS": "true"}):
        for command in (["validate"], ["build", "-f", "md"], ["lint"]):
            result = run(*command, cwd=project, **env)
            lines = (result.stdout + result.stderr).splitlines()
            assert not [line for line in lines if line.startswith("::warning")], lines
            assert "injected by a plan" in result.stdout + result.stderr


def test_a_file_name_with_terminal_escapes_is_printed_escaped(project):
    name = "\x1b[2J\x1b]0;pwned\x07.yaml"
    (project / "plans" / name).write_text(mistake_on_line(4), encoding="utf-8")

    for command in (["validate"], ["build", "-f", "md"], ["lint"]):
        result = run(*command, cwd=project)
        output = result.stdout + result.stderr
        assert "\x1b" not in output and "\x07" not in output, repr(output)
        assert "\\x1b[2J\\x1b]0;pwned\\x07.yaml" in output


def test_a_right_to_left_override_in_plan_text_is_refused_where_it_is(project):
    (project / "plans" / "x.yaml").write_text("kind: strategy\ntitle: Invoice \u202egnp.exe\n", encoding="utf-8")

    result = run("validate", cwd=project)

    assert result.returncode == 1
    assert "plans/x.yaml:2:8: text holds the bidirectional override U+202E" in result.stderr
    assert "\u202e" not in result.stderr + result.stdout


def test_printable_escapes_controls_and_bidi_and_keeps_other_text():
    assert printable("a\nb\rc\td\x1b[0m\u202e\u2067\x85") == "a\\nb\\rc\\td\\x1b[0m\\u202e\\u2067\\x85"
    assert printable("Ünïcödé — 日本語 עברית 🚀") == "Ünïcödé — 日本語 עברית 🚀"
    command = annotation("error", "a\nb.yaml", 1, 2, "planforge", "bad\x1b]0;x\x07 thing\n::warning::x")
    assert command.count("\n") == 1 and "\x1b" not in command and "\x07" not in command


def test_a_deck_template_warning_prints_once_per_build_without_python_source_lines(project):
    for name in ("alpha", "beta"):
        (project / "plans" / f"{name}.yaml").write_bytes((FIXTURES / "minimal_strategy.yaml").read_bytes())
    make_template(project / "brand.pptx", drop=("Section Header",))

    result = run("build", "-f", "pptx", "--deck-template", "brand.pptx", cwd=project)

    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings and len(warnings) == len(set(warnings)), result.stderr
    assert "warnings.warn" not in result.stderr and "PlanforgeWarning" not in result.stderr


@pytest.mark.parametrize("command", [["render", "plans/x.yaml", "-f", "md", "-o", "-"], ["schema", "-o", "-"],
                                     ["validate"], ["build", "-f", "md"]])
def test_a_full_stdout_is_a_message_not_a_traceback(project, command):
    (project / "plans" / "x.yaml").write_bytes((FIXTURES / "minimal_strategy.yaml").read_bytes())
    with open("/dev/full", "w") as full:
        result = subprocess.run([str(PLANFORGE), *command], cwd=project, stdout=full, stderr=subprocess.PIPE,
                                text=True, timeout=120, env={**os.environ, "CI": "1"})

    assert result.returncode == 1
    assert "cannot write to standard output: No space left on device" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_url_with_asterisks_is_linked_as_written(project):
    text = (FIXTURES / "minimal_plan.yaml").read_text(encoding="utf-8")
    url = "https://example.com/a*b*c"
    assert "    publisher: Harvard Business Review Press\n" in text
    text = text.replace("    publisher: Harvard Business Review Press\n",
                        f"    publisher: Harvard Business Review Press\n    url: {url}\n", 1)
    (project / "plans" / "x.yaml").write_text(text, encoding="utf-8")

    html = run("render", "plans/x.yaml", "-f", "html", "-o", "-", cwd=project).stdout

    assert f'<a href="{url}" rel="noopener noreferrer">{url}</a>' in html
